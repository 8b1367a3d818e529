/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz.h - what the fuzz targets, their replay driver and the seed
 * generator share: the libFuzzer entry point, a fixed world (keys from
 * fixed seeds, a trust anchor, a signed owner policy, the states made from
 * them) and the checks that turn a broken invariant into a crash.
 *
 * Everything here goes through the public API (veto.h) only, so the
 * targets test what an embedder can reach.  The keys and the signing come
 * from tests/support/world.c (shared with the unit tests and the
 * benchmarks); the texts of this world stay here, because the committed
 * seed corpora hold their exact bytes.
 */
#ifndef VETO_FUZZ_H
#define VETO_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <veto.h>

#include "world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a finding: print where and abort, so that libFuzzer
 * saves the input and the replay test fails. */
#define FZ_CHECK(cond)                                                        \
	do {                                                                  \
		if (!(cond))                                                  \
			fz_fail(__FILE__, __LINE__, #cond);                   \
	} while (0)

#if defined(__GNUC__) || defined(__clang__)
__attribute__((noreturn))
#endif
void fz_fail(const char *file, int line, const char *what);

/* A key made from a fixed seed (never do this for real keys); its seed is
 * 32 bytes of one letter ('O' for the owner, ...): see fixture.c. */
typedef tw_key fz_key;

/* The fixed world every target runs against. */
typedef struct fz_world {
	fz_key owner, owner2, vendor, vendor2, aud[3];
	fz_key device;        /* (1.1) signs receipts (fuzz_receipt.c) */
	int64_t now;          /* 2026-11-21T00:00:00Z */
	char anchor[1024];    /* device acme/thermo-2, owner key, threshold 1 */
	size_t anchor_len;
	char *policy;         /* serial 1, signed by owner: the envelope */
	size_t policy_len;
	veto_state *state0;   /* from the anchor: counter 41, four features */
	veto_state *state1;   /* state0 with the policy trusted */
} fz_world;

/* Built on first use, kept for the life of the process (reachable, so not a
 * leak).  Aborts when the library cannot build it: nothing could be fuzzed. */
const fz_world *fz_get(void);

/* Signs payload with signers[0] and co-signs with the rest, in order
 * (release with veto_free(NULL, *out)).  Returns the veto_sign/veto_cosign
 * status. */
veto_status fz_sign(char **out, size_t *out_len, const char *payload,
                    const fz_key *const *signers, size_t n_signers);

/* A policy payload for device acme/<model>.  owners/vendors: role key lists
 * (1 or 2 keys each); expires: a quoted time or "null"; extra: members added
 * at the end (starting with ", ") or "".  Returns the length, or 0 when cap
 * is too small. */
size_t fz_policy_payload(char *buf, size_t cap, const fz_world *w, uint64_t serial,
                         const char *expires, const char *model,
                         const fz_key *const *owners, size_t n_owners,
                         const char *protected_features, const char *removal_requires,
                         const char *extra);

/* (1.1) A veto.policy/1.1 envelope of the world, signed by the owner:
 * fz_policy_payload's (expires null, protecting local-control and zigbee,
 * the owner's waiver) with the format changed, `issued`
 * 2026-11-01T00:00:00Z, and extra (members starting with ",") at the end.
 * Release with veto_free(NULL, ...); NULL on failure. */
char *fz_policy11(const fz_world *w, uint64_t serial, const char *extra);

/* An update payload for device acme/<model>, version "2.<counter>.0";
 * image_json: the members of "image"; features: the list's entries; extra:
 * members added at the end (starting with ", ") or "".  Returns the length,
 * or 0 when cap is too small. */
size_t fz_update_payload(char *buf, size_t cap, const char *model, unsigned counter,
                         const char *image_json, const char *features, const char *extra);

/* The SHA-256 and BLAKE2b-256 of an image, as lowercase hex, computed by
 * the library itself (a check of a signed manifest that carries both
 * digests, wrong, hands back what it computed).  0, or -1 on failure. */
int fz_image_digests(char sha256[65], char blake2b[65], const uint8_t *image, size_t len);

/* (1.1) The revocation world of fuzz_revocation.c and its seeds.  The
 * keys are fz_world's; auditor [aud0, aud1, aud2] threshold 2, vendor
 * [vendor] threshold 1. */
#define FZ_IMAGE_LEN 96U
#define FZ_REV_FULL 1023U /* the auditors' digests in `full` */
typedef struct fz_rev_world {
	char *policy;  /* veto.policy/1.1 serial 10, revocation_roles auditor and vendor */
	size_t policy_len;
	char *policy2; /* serial 11: revocation_roles auditor only; reinstates the
	                * stored auditor digest and aud2's key */
	size_t policy2_len;
	veto_state *plain;  /* state0 with `policy` trusted: no revocation */
	veto_state *stored; /* plain with stored revocations: auditor {updates
	                     * [stored_auditor], keys [aud2]}, vendor {updates
	                     * [stored_vendor]} */
	veto_state *full;   /* the same, but the auditors' updates are
	                     * stored_auditor and 1022 more: one short of the
	                     * role's limit of 1024 */
	char stored_auditor[65], stored_vendor[65]; /* hex digests */
	uint8_t stored_auditor_bin[32];             /* the first, as bytes */
	char *update;  /* counter 42, keeps every feature, signed by vendor, aud0 and
	                * aud1: accepted under plain and stored */
	size_t update_len;
	char update_sha256[65]; /* hex SHA-256 of its payload */
	uint8_t image[FZ_IMAGE_LEN];
} fz_rev_world;

/* Built on first use, kept for the life of the process; aborts when it
 * cannot be built. */
const fz_rev_world *fz_rev_get(void);

/* The fuzz_revocation input's signer sets (flag bits, see there): 0 aud0
 * and aud1; 1 aud2; 2 vendor; 3 aud1, owner, vendor2 (a stranger), aud2.
 * Their keys in *keys, their number returned. */
size_t fz_rev_signers(const fz_key *keys[4], unsigned set);

/* Walks a report: codes in range and in table order, strings terminated,
 * refusals before notices; returns the number of refusals. */
size_t fz_report_check(const veto_report *r);

/* 1 when r holds a reason or notice with this code. */
int fz_report_has(const veto_report *r, veto_code code);

/* Formats s, parses the text back, formats again and checks the two texts
 * are identical (the state document round-trips).  Status of the first
 * format (VETO_E_NOMEM is tolerated). */
void fz_state_roundtrip(const veto_state *s);

#endif
