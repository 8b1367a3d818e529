/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shared fixture of the unit suites: keys from fixed seeds, policy,
 * update and anchor texts built from parameters, envelopes signed by any
 * set of those keys (or with hand-made signature entries), and a decision
 * runner, so that each test states its scenario in a few lines.
 *
 * Everything an fx_* function returns is owned by the fixture's arena and
 * released by fx_teardown (installed as a checked fixture on every TCase
 * made with fx_tcase); tests never free it themselves.  Signatures are made
 * with libsodium directly, not through the library under test.  The keys
 * and the policy, update and anchor texts come from tests/support/world.c,
 * which the fuzz fixture and the benchmarks share.
 */
#ifndef VETO_UNIT_FIXTURE_H
#define VETO_UNIT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include "veto.h"
#include "world.h"

/* ---- keys ---------------------------------------------------------------- */

/* Each key's seed is 32 bytes filled with (index + 1). */
enum fx_keyname {
	K_OWNER,
	K_OWNER2,
	K_OWNER3,
	K_VENDOR,
	K_VENDOR2,
	K_AUD1,
	K_AUD2,
	K_AUD3,
	K_SEC,
	K_OTHER,
	K_COUNT
};

/* seed, pk, keyid and padded standard base64 (tests/support/world.h) */
typedef tw_key fx_key;

const fx_key *fx_key_get(int which);

/* ---- text helpers (arena-owned) ------------------------------------------ */

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 1, 2)))
#endif
char *fx_printf(const char *fmt, ...);
char *fx_b64(const uint8_t *data, size_t n);
char *fx_hex(const uint8_t *data, size_t n);
/* A copy of s with the first occurrence of `from` replaced by `to`;
 * fails the test when `from` is not in s. */
char *fx_replace(const char *s, const char *from, const char *to);
/* A copy of s with every occurrence of `from` replaced by `to`. */
char *fx_replace_all(const char *s, const char *from, const char *to);
void *fx_alloc(size_t n);

int64_t fx_time(const char *text);
/* 2026-11-21T00:00:00Z: the verifier's time of most tests. */
int64_t fx_now(void);

/* ---- policies ------------------------------------------------------------ */

#define FX_MAX_ROLES 8
#define FX_MAX_RKEYS 8

typedef struct fx_role {
	const char *name;
	int keys[FX_MAX_RKEYS];
	size_t n_keys;
	unsigned threshold;
} fx_role;

typedef struct fx_policy {
	uint64_t serial;
	const char *expires; /* NULL: "expires": null */
	const char *vendor;
	const char *model;
	fx_role roles[FX_MAX_ROLES];
	size_t n_roles;
	int extra_keys[4]; /* listed in "keys" but in no role */
	size_t n_extra_keys;
	const char *keys_json;          /* non-NULL: replaces the generated "keys" map */
	const char *require;            /* JSON array text */
	const char *protected_features; /* JSON array text */
	const char *removal_requires;   /* JSON array text */
	const char *extra;              /* appended members, e.g. ", \"digests\": [\"sha256\"]" */
} fx_policy;

/*
 * The default policy: serial 1, expires 2027-11-21T00:00:00Z, device
 * acme/thermo-2, roles owner {K_OWNER}/1, vendor {K_VENDOR}/1,
 * auditor {K_AUD1, K_AUD2, K_AUD3}/2; require ["vendor", "auditor"];
 * protected ["local-control", "works-with-nest>=1.0", "zigbee"];
 * removal_requires ["owner"].
 */
void fx_policy_init(fx_policy *p);
/* Sets (or adds) role `name` with the given keys and threshold. */
void fx_role_set(fx_policy *p, const char *name, unsigned threshold, const int *keys, size_t n);
#define FX_ROLE(p, name, thr, ...)                                                        \
	fx_role_set((p), (name), (thr), (const int[]){__VA_ARGS__},                            \
	            sizeof((const int[]){__VA_ARGS__}) / sizeof(int))
void fx_role_remove(fx_policy *p, const char *name);
char *fx_policy_text(const fx_policy *p);
/* The "keys" map of the given keys. */
char *fx_keys_json(const int *keys, size_t n);

/* A copy of a policy or anchor text in which key `which` (its keyid and
 * its base64, wherever they appear) is replaced by the 32 bytes given in
 * hex, with their own correct keyid: a malformed key that is otherwise
 * consistent. */
char *fx_with_bad_key(const char *text, int which, const char *hex_pk);

/* The default policy with a malformed key (hex) in one of FX_BAD_KEY_PLACES
 * places that no signature touches: the third auditor (where 0), a key
 * listed in "keys" but in no role (1), or a second vendor key (2). */
#define FX_BAD_KEY_PLACES 3
char *fx_policy_with_bad_key(int where, const char *hex_pk);

/* ---- updates and images -------------------------------------------------- */

typedef struct fx_update {
	const char *vendor;
	const char *model;
	const char *version;
	uint64_t counter;
	uint64_t size;
	const char *sha256;   /* hex, or NULL: absent */
	const char *blake2b;  /* hex, or NULL: absent */
	const char *features; /* JSON array text */
	const char *removes;  /* JSON array text, or NULL: absent */
	const char *extra;    /* appended members */
} fx_update;

/* The test image: 5000 deterministic bytes. */
const uint8_t *fx_image(size_t *len);
const char *fx_image_sha256_hex(void);
const char *fx_image_blake2b_hex(void);

/* The default update: acme/thermo-2, version "2.4.1", counter 42, the test
 * image with both digests, features ["local-control",
 * "works-with-nest@1.2", "zigbee", "matter@1.3"], no removes. */
void fx_update_init(fx_update *u);
char *fx_update_text(const fx_update *u);

/* ---- envelopes ----------------------------------------------------------- */

typedef struct fx_sig {
	char keyid[65];
	uint8_t sig[64];
} fx_sig;

/* A signature by key over PAE(type, payload), with that key's keyid. */
void fx_sig_by(fx_sig *s, int key, const char *type, const char *payload);
/* An envelope with exactly these signature entries (payload as given,
 * never validated). */
char *fx_envelope(const char *type, const char *payload, const fx_sig *sigs, size_t n);
/* An envelope signed by each of keys, in order (raw: payload not checked). */
char *fx_env_keys(const char *type, const char *payload, const int *keys, size_t n);
#define FX_POLICY_ENV(payload, ...)                                                      \
	fx_env_keys(VETO_TYPE_POLICY, (payload), (const int[]){__VA_ARGS__},                  \
	            sizeof((const int[]){__VA_ARGS__}) / sizeof(int))
#define FX_UPDATE_ENV(payload, ...)                                                      \
	fx_env_keys(VETO_TYPE_UPDATE, (payload), (const int[]){__VA_ARGS__},                  \
	            sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

/* The default policy signed by K_OWNER; the default update signed by
 * K_VENDOR, K_AUD1 and K_AUD2. */
char *fx_default_policy_env(void);
char *fx_default_update_env(void);

/* ---- anchors and states -------------------------------------------------- */

char *fx_anchor_text(const char *vendor, const char *model, unsigned threshold,
                     const int *keys, size_t n);
/* acme/thermo-2, K_OWNER, threshold 1. */
char *fx_default_anchor(void);

/* A state from an anchor text (asserts success); features comma-separated
 * ("" for none). */
veto_state *fx_state_from(const char *anchor, uint64_t counter, const char *features);
/* The default anchor, counter 41, features
 * "local-control,works-with-nest@1.2,zigbee". */
veto_state *fx_state0(void);
/* veto_trust of one policy envelope at `now`, asserting it is trusted. */
veto_state *fx_trusted(const veto_state *s, const char *policy_env, int64_t now);
/* Registers a state made elsewhere with the arena. */
veto_state *fx_keep_state(veto_state *s);

/* ---- decisions ----------------------------------------------------------- */

typedef struct fx_run {
	veto_report rep;
	veto_status begin;  /* veto_check_begin's status */
	veto_status finish; /* veto_check_finish's, or begin's when that failed */
	veto_image_digests dig;
	veto_check *c; /* kept for commit; NULL when begin failed */
} fx_run;

/*
 * A whole decision: begin with the given policies (NULL entries not
 * allowed), feed image in chunks of `chunk` bytes (0: one call; image NULL:
 * no image at all), finish.  cfg may be NULL.
 */
fx_run *fx_decide_ex(const veto_config *cfg, const veto_state *s, const char *const *policies,
                     size_t n_policies, const char *update, const uint8_t *image,
                     size_t image_len, size_t chunk, int64_t now);
/* An empty fx_run owned by the arena (its report initialised with cfg),
 * for decisions made by hand. */
fx_run *fx_run_new(const veto_config *cfg);
/* veto_trust of the policy envelopes at `now`; the new state (when
 * trusted) goes to *out, owned by the arena; the status to r->finish. */
fx_run *fx_trust(veto_state **out, const veto_state *s, const char *const *policies,
                 size_t n_policies, int64_t now);
/* One policy (NULL: none handed in), the update, the test image when
 * with_image, at fx_now(). */
fx_run *fx_decide(const veto_state *s, const char *policy, const char *update, int with_image);

/* The codes of the refusals / notices, comma-separated ("" when none). */
const char *fx_refusals(const veto_report *rep);
const char *fx_notices(const veto_report *rep);
/* The nth (0-based) refusal or notice of that code, or NULL. */
const veto_reason *fx_reason(const veto_report *rep, veto_code code, size_t nth);

/* ---- suites -------------------------------------------------------------- */

/* Frees everything the arena holds. */
void fx_teardown(void);
/* A TCase with fx_teardown installed and a timeout fit for sanitizers. */
TCase *fx_tcase(const char *name);
/* Each test file defines this; fixture.c's main runs it. */
Suite *fx_suite(void);

#endif
