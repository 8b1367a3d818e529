/* SPDX-License-Identifier: Apache-2.0 */
/* The installed state: trust anchor, trusted policy, what runs now. */
#ifndef VETO_STATE_H
#define VETO_STATE_H

#include <stdbool.h>

#include "envelope.h"
#include "policy.h"
#include "update.h"

struct veto_state {
	veto_config cfg;
	vanchor anchor;
	veto_envelope *penv; /* the trusted policy, or NULL */
	vpolicy policy;      /* its payload, parsed (when penv) */
	uint8_t policy_sha256[32]; /* SHA-256 of that payload (when penv) */
	uint64_t counter;
	bool has_update;
	uint8_t update_sha256[32];
	vfeat *features;
	size_t n_features;
	char (*feature_text)[VETO_FEATURE_MAX + 1];
};

/* A new state from copies of its parts.  policy is penv's payload, already
 * parsed, with every key checked (both NULL: no policy trusted yet). */
veto_status state_make(veto_state **out, const veto_config *cfg, const vanchor *anchor,
                       const veto_envelope *penv, const vpolicy *policy, uint64_t counter,
                       const uint8_t *update_sha256, const vfeat *features, size_t n_features);

#endif
