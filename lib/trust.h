/* SPDX-License-Identifier: Apache-2.0 */
/* Trusting policies: a chain against the installed state (section 5), or
 * one policy on its own owner role (pre-flight).
 *
 * Status convention: VETO_OK when the policy is trusted; VETO_REFUSED when
 * it is not, with every reason in the report (index: the policy's 1-based
 * position); VETO_E_NOMEM when memory ran out (the report may then be
 * incomplete).  On anything but VETO_OK *out is empty. */
#ifndef VETO_TRUST_H
#define VETO_TRUST_H

#include <stdbool.h>

#include "state.h"

/* The governing policy.  When `owned` is false both point into the state. */
typedef struct vtrusted {
	veto_envelope *env;
	vpolicy *policy;
	vpolicy own;
	bool owned;
	/* (1.1) the time floor once the chain is trusted (the state's for the
	 * stored policy) */
	bool has_floor;
	int64_t floor;
	/* (1.1) the chain's policies before the last, kept (owned) only when
	 * the state stores revocations: trusting each lifts some (SPEC 5.3) */
	vpolicy *earlier;
	size_t n_earlier;
} vtrusted;

/* With defer_keys, the keys of a last policy that passed every other check
 * are left for veto__trust_keys_check, so that the update's signatures can vouch
 * for them first (checking a key costs a quarter of a verification). */
veto_status veto__trust_chain(vtrusted *out, veto_report *rep, const veto_config *cfg,
                        const veto_state *s, const veto_bytes *policies, size_t n, int64_t now,
                        bool defer_keys);
veto_status veto__trust_self(vtrusted *out, veto_report *rep, const veto_config *cfg,
                       const uint8_t *policy, size_t len, int64_t now, bool defer_keys);
/* Checks the governing policy's remaining keys: VETO_OK, or VETO_REFUSED
 * with malformed-policy reported (index: the policy's position). */
veto_status veto__trust_keys_check(vtrusted *t, veto_report *rep, unsigned index);
void veto__trusted_free(vtrusted *t, const veto_config *cfg);

#endif
