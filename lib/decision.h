/* SPDX-License-Identifier: Apache-2.0 */
/* One decision in progress (veto_check), shared by the files that make it:
 * decide.c (its life cycle and the image stream), rules.c (the update
 * judged under the governing policy) and preflight.c (the vendor's
 * pre-flight, one release against many policies).
 *
 * Ownership rule for the update: while `pf` is NULL the check owns `uenv`
 * and `upd` and releases them with itself.  While `pf` is set, both are
 * views into that veto_preflight, which owns them and outlives the check;
 * the check never releases them.  veto_preflight_begin hands them over to
 * its check (pf_hand_over) and clears `pf` before the caller sees it. */
#ifndef VETO_DECISION_H
#define VETO_DECISION_H

#include <stdbool.h>

#include "crypto.h"
#include "revocation.h"
#include "trust.h"
#include "update.h"

/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding): one per decision; fields grouped by step */
struct veto_check {
	veto_config cfg;
	veto_report *rep;
	const veto_state *state; /* NULL for a pre-flight */
	veto_preflight *pf;      /* non-NULL: uenv and upd belong to it */
	vtrusted gov;
	bool gov_ok;
	unsigned gov_index; /* position of the governing policy among those handed in */
	veto_envelope *uenv;
	vupdate upd;
	bool upd_ok; /* payload verified, read and evaluated */
	char vendor[65];
	char model[65];
	/* what runs now */
	uint64_t inst_counter;
	uint64_t inst_counter_max; /* (1.1) the high-water mark */
	bool inst_has_update;
	uint8_t inst_update_sha256[32];
	const vfeat *inst_features;
	size_t n_inst_features;
	cr_hash hash;
	void *engine_state; /* the embedder's SHA-256 state, when it has an engine */
	uint8_t upd_sha256[32]; /* of the update payload, computed when first needed */
	bool has_upd_sha256;
	bool image_given;
	uint64_t image_size; /* bytes taken: at most the manifest's size + 1 */
	bool finished;
	/* The image's digests as computed, kept for the second reading of the
	 * verdict (veto__check_verdict). */
	uint8_t image_sha256[32];
	uint8_t image_blake2b[32];
	/* The verdict, as VERDICT_ACCEPT or VERDICT_REFUSE and its complement:
	 * one flipped bit or skipped store cannot make an acceptance. */
	uint32_t verdict;
	uint32_t verdict_inv;
	/* (1.1) the times of the decision; timing only for a check before
	 * installing (never a commit's record nor a pre-flight) */
	int64_t now;
	bool has_local_time;
	int64_t local_time;
	bool veto__eval_timing;
	/* (1.1) the revocations handed in, judged (SPEC 5.3); revoked_keys:
	 * some key may be revoked, so thresholds count only live keys */
	vrevs revs;
	bool revoked_keys;
};

/* Verdict words far apart (Hamming distance 32), neither 0 nor all ones. */
#define VERDICT_ACCEPT 0x3CA5965AU
#define VERDICT_REFUSE 0xC35A69A5U

/* decide.c: the start of every decision object: libsodium initialised,
 * *cfg resolved from cfg_in, and size zeroed bytes from its allocator in
 * *out.  VETO_OK, VETO_E_CRYPTO, VETO_E_NOMEM. */
veto_status veto__decision_alloc(void **out, veto_config *cfg, const veto_config *cfg_in, size_t size);
/* decide.c: an empty check for rep under cfg.  VETO_OK, VETO_E_CRYPTO,
 * VETO_E_NOMEM. */
veto_status veto__check_new(veto_check **out, veto_report *rep, const veto_config *cfg);
/* decide.c: finishes starting c once its policy was judged (`trusted`:
 * veto__trust_chain's or veto__trust_self's status) by evaluating the update (bytes, or
 * c->pf's).  *out is c on VETO_OK; otherwise c is released and the status
 * (VETO_E_NOMEM) returned. */
veto_status veto__check_run(veto_check **out, veto_check *c, veto_status trusted,
                      const uint8_t *update, size_t update_len);

/* rules.c: opens the update envelope and judges it under the governing
 * policy, every reason going to c->rep; ready for the image stream.
 * VETO_OK (whatever was found) or VETO_E_NOMEM. */
veto_status veto__eval_update(veto_check *c, const uint8_t *update, size_t update_len);
/* rules.c: whether every role of the list `which` (n_listed roles; none:
 * never) meets its threshold on the update.  VETO_OK or VETO_E_NOMEM. */
veto_status veto__roles_met(veto_check *c, role_flag which, size_t n_listed, bool *met);
/* rules_timing.c: (1.1) the owner's timing (SPEC 5.2): the local time,
 * holds, windows and the fast path; every finding to c->rep.  VETO_OK or
 * VETO_E_NOMEM. */
veto_status veto__eval_timing(veto_check *c);
/* rules.c: SHA-256 of the update payload, computed on first need. */
const uint8_t *veto__check_update_sha256(veto_check *c);
/* decide.c: the same digest into out, for a check that may not change
 * (committing, a receipt); the update envelope must have been read. */
void veto__check_update_digest(const veto_check *c, uint8_t out[32]);

/* decide.c: decides c's verdict twice, the second time from other data
 * (the digests compared again, not the report's refusals), and stores it
 * in both words.  VETO_OK only when both readings accept (SECURITY.md,
 * fault injection); VETO_REFUSED otherwise. */
veto_status veto__check_verdict(veto_check *c);
/* decide.c: true only when both verdict words say accept. */
bool veto__check_accepted(const veto_check *c);

#endif
