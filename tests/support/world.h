/* SPDX-License-Identifier: Apache-2.0 */
/*
 * world.h - the pieces of a test world that the unit suites
 * (tests/unit/fixture.c), the fuzz fixture (fuzz/fixture.c) and the
 * benchmarks (bench/common.c) build alike: keys from fixed seeds, the
 * one-line policy, update and anchor documents, and an envelope signed and
 * co-signed through the public API.  Each of them keeps only what is its
 * own (the unit arena and hand-made signatures, the fuzz world's committed
 * seed texts, the benchmark clock).
 *
 * Nothing here asserts or exits: a function that can fail says so (bool or
 * veto_status) and the caller fails the way its harness does.  Only the
 * public API (veto.h) and libsodium are used, never a library internal.
 */
#ifndef VETO_TEST_WORLD_H
#define VETO_TEST_WORLD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <veto.h>

/* ---- keys ---------------------------------------------------------------- */

/* A key made from a fixed seed (never do this for real keys). */
typedef struct tw_key {
	uint8_t seed[VETO_SEEDBYTES];
	uint8_t pk[VETO_PUBLICKEYBYTES];
	char keyid[VETO_KEYIDCHARS + 1]; /* SHA-256 of pk, computed with libsodium */
	char b64[48];                    /* standard base64 of pk, padded */
} tw_key;

/* The key of this seed: its public key from veto_key_public, its keyid and
 * base64 computed here, independently of the library. */
veto_status tw_key_from_seed(tw_key *k, const uint8_t seed[VETO_SEEDBYTES]);
/* ... of the seed made of 32 bytes `fill`. */
veto_status tw_key_filled(tw_key *k, uint8_t fill);

/* ---- a growing string ---------------------------------------------------- */

/* NUL-terminated once anything was written; {0} is empty.  A function
 * that returns false (out of memory) leaves what was written before. */
typedef struct tw_str {
	char *s;
	size_t len, cap;
} tw_str;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 0)))
#endif
bool tw_str_vprintf(tw_str *b, const char *fmt, va_list ap);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
bool tw_str_printf(tw_str *b, const char *fmt, ...);
void tw_str_free(tw_str *b);

/* ---- documents, one line of JSON each ------------------------------------ */

/* {"KEYID": {"ed25519": "B64"}, ...} */
bool tw_keys_json(tw_str *b, const tw_key *const *keys, size_t n);

/* ["a", "b", ...] of a NULL-terminated list (NULL: the empty list). */
bool tw_list_json(tw_str *b, const char *const *items);

typedef struct tw_role {
	const char *name;
	const tw_key *const *keys;
	size_t n_keys;
	unsigned threshold;
} tw_role;

typedef struct tw_policy {
	uint64_t serial;
	const char *expires; /* a time, or NULL: "expires": null */
	const char *vendor, *model;
	const tw_role *roles;
	size_t n_roles;
	const tw_key *const *extra_keys; /* listed in "keys" after the roles' keys */
	size_t n_extra_keys;
	const char *keys_json;          /* non-NULL: replaces the "keys" map */
	const char *require;            /* JSON array text */
	const char *protected_features; /* JSON array text */
	const char *removal_requires;   /* JSON array text */
	const char *extra;              /* members appended, ", ..."; may be NULL */
} tw_policy;

/* The policy payload: "keys" holds each role key once, in the order first
 * named, then the extra keys. */
bool tw_policy_text(tw_str *b, const tw_policy *p);

typedef struct tw_update {
	const char *vendor, *model, *version;
	uint64_t counter, size;
	const char *sha256, *blake2b; /* hex, or NULL: not carried */
	const char *features;         /* JSON array text */
	const char *removes;          /* JSON array text, or NULL: absent */
	const char *extra;            /* members appended, ", ..."; may be NULL */
} tw_update;

bool tw_update_text(tw_str *b, const tw_update *u);

/* A trust anchor for vendor/model naming these keys. */
bool tw_anchor_text(tw_str *b, const char *vendor, const char *model, unsigned threshold,
                    const tw_key *const *keys, size_t n);

/* (1.1) A revocation payload (SPEC 5.3): updates_json and keys_json are
 * JSON array texts, written as given. */
bool tw_revocation_text(tw_str *b, const char *vendor, const char *model, const char *role,
                        const char *updates_json, const char *keys_json);

/* ---- envelopes ----------------------------------------------------------- */

/* payload signed by signers[0] (veto_sign) and co-signed by the others in
 * order (veto_cosign); release *out with veto_free(NULL, *out).  On failure
 * *out is NULL and d says why. */
veto_status tw_sign(char **out, size_t *out_len, veto_diag *d, const char *payload,
                    const tw_key *const *signers, size_t n_signers);

/* (1.1) An envelope of any type around payload[0..len) (never checked),
 * signed by k over veto_pae with libsodium, as a device whose key lives
 * outside the library signs its receipts (veto_sign signs no receipt). */
bool tw_envelope_by(tw_str *b, const char *type, const uint8_t *payload, size_t len,
                    const tw_key *k);
/* The same signed by each of keys in order (fuzz_revocation.c signs the
 * revocations it is fed with a role's keys, so hostile payloads are read). */
bool tw_envelope_by_keys(tw_str *b, const char *type, const uint8_t *payload, size_t len,
                         const tw_key *const *keys, size_t n);

#endif
