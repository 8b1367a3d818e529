/* SPDX-License-Identifier: Apache-2.0 */
/* Trusting policies: a chain against the installed state (section 5), or
 * one policy on its own owner role (pre-flight). */
#ifndef VETO_TRUST_H
#define VETO_TRUST_H

#include "state.h"

/* The governing policy.  When `owned` is 0 both point into the state. */
typedef struct vtrusted {
	veto_envelope *env;
	vpolicy *policy;
	vpolicy own;
	int owned;
} vtrusted;

enum { TRUST_OK = 0, TRUST_REFUSED = 1, TRUST_NOMEM = -1 };

/* Reasons go to rep with `index` set to the policy's 1-based position.
 * With defer_keys, the keys of a last policy that passed every other check
 * are left for trust_keys_check, so that the update's signatures can vouch
 * for them first (checking a key costs a quarter of a verification). */
int trust_chain(vtrusted *out, veto_report *rep, const veto_config *cfg, const veto_state *s,
                const veto_bytes *policies, size_t n, int64_t now, int defer_keys);
int trust_self(vtrusted *out, veto_report *rep, const veto_config *cfg, const uint8_t *policy,
               size_t len, int64_t now, int defer_keys);
/* Checks the governing policy's remaining keys: TRUST_OK, or TRUST_REFUSED
 * with malformed-policy reported (index: the policy's position). */
int trust_keys_check(vtrusted *t, veto_report *rep, unsigned index);
void trusted_free(vtrusted *t, const veto_config *cfg);

#endif
