/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) Revocations (SPEC 5.3): the document, its acceptance under the
 * governing policy, the per-role limits, the revoked sets a decision sees,
 * and storing into the state. */
#ifndef VETO_REVOCATION_H
#define VETO_REVOCATION_H

#include <stdbool.h>

#include "state.h"

#define REV_MAX_UPDATES 256U
#define REV_MAX_KEYS 64U
#define REV_MAX_HANDED 64U /* revocations in one command */

/* A revocation payload, parsed (its lists shaped as vpolicy11's, by design). */
typedef struct vrevdoc {
	char vendor[65];
	char model[65];
	char role[VETO_ROLE_MAX + 1];
	uint8_t updates[REV_MAX_UPDATES][32];
	size_t n_updates;
	char keys[REV_MAX_KEYS][65];
	size_t n_keys;
} vrevdoc;

/* One revocation handed in, once judged. */
typedef struct vrev {
	vrevdoc doc;          /* read only when the payload was opened */
	uint8_t sha256[32];   /* of the payload, when the envelope was read */
	bool accepted;        /* accepted and not refused by revocation-limit */
} vrev;

/* The revocations of one command.  n 0: nothing was handed in (items NULL);
 * then every question below costs a glance at the state alone. */
typedef struct vrevs {
	vrev *items;
	size_t n;
	size_t n_accepted;
} vrevs;

/* The policies a command trusts, in order.  Trusting each drops from the
 * stored revocations what its reinstate names and the entries of every role
 * it no longer lists (SPEC 5.3 "Storing"), so a chain lifts what a
 * device that took its policies one at a time would have lifted. */
typedef struct vchain {
	const vpolicy *earlier; /* those before the last, in order */
	size_t n_earlier;
	const vpolicy *last;    /* the one that governs */
} vchain;

/* Parses a revocation payload (strict JSON, schema, limits).  VETO_OK,
 * VETO_E_MALFORMED (reason in d), VETO_E_LIMIT, VETO_E_NOMEM. */
veto_status veto__rev_parse(vrevdoc *r, veto_diag *d, const veto_config *cfg, const uint8_t *payload,
                      size_t len);

/* Judges docs[0..n) under gov (NULL: no policy governs, so none is
 * trusted) for the device of s, against the keys revoked before the
 * command.  The policies the command trusts (lift: NULL when it trusts
 * none; lift->last is gov) drop what they lift before the limits are
 * judged.  Notices revocation-invalid and refusals revocation-limit go to
 * rep.  VETO_OK (whatever was found) or VETO_E_NOMEM.  *out is the caller's
 * (veto__rev_free). */
veto_status veto__rev_judge(vrevs *out, veto_report *rep, const veto_config *cfg, const vpolicy *gov,
                      const vchain *lift, const veto_state *s, const veto_bytes *docs, size_t n);
void veto__rev_free(vrevs *r, const veto_config *cfg);

/* The revoked sets under gov (SPEC 5.3 "Effect"): the state's entries of
 * the roles in gov's revocation_roles, plus the accepted revocations of h
 * (NULL: none), plus gov's revoked_updates, minus gov's reinstate. */
bool veto__rev_key_revoked(const vpolicy *gov, const veto_state *s, const vrevs *h, const char *keyid);
bool veto__rev_update_revoked(const vpolicy *gov, const veto_state *s, const vrevs *h,
                        const uint8_t sha256[32]);
/* Whether any key, or any update, could be revoked at all (a cheap
 * over-approximation, so the decision path pays nothing without them). */
bool veto__rev_any_keys(const vpolicy *gov, const veto_state *s, const vrevs *h);
bool veto__rev_any_updates(const vpolicy *gov, const veto_state *s, const vrevs *h);

/* The keys of role that are not revoked (veto__rev_key_revoked with h), as
 * indexes into gov's keys, into idx (room for role->n_keys); their count. */
size_t veto__rev_live_keys(uint16_t *idx, const vpolicy *gov, const vrole *role, const veto_state *s,
                     const vrevs *h);

/* The revocations of dst once the policies of lift (NULL: none) are
 * trusted and h's accepted revocations are added: each policy drops what
 * its reinstate names and the roles it no longer lists; then each accepted
 * revocation's entries join its role, sorted and distinct.  VETO_OK or
 * VETO_E_NOMEM (dst unchanged). */
veto_status veto__rev_store(veto_state *dst, const vchain *lift, const vrevs *h);

#endif
