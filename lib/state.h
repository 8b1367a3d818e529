/* SPDX-License-Identifier: Apache-2.0 */
/* The installed state: trust anchor, trusted policy, what runs now. */
#ifndef VETO_STATE_H
#define VETO_STATE_H

#include <stdbool.h>

#include "envelope.h"
#include "policy.h"
#include "update.h"

/* (1.1) The revocations stored for one issuing role (SPEC 5.3, 7): each
 * list sorted and distinct. */
#define STATE_MAX_REV_UPDATES 1024U
#define STATE_MAX_REV_KEYS 256U
typedef struct vrevrole {
	char role[VETO_ROLE_MAX + 1];
	uint8_t (*updates)[32];
	size_t n_updates;
	char (*keys)[65];
	size_t n_keys;
} vrevrole;

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
	/* (1.1) */
	bool v11;             /* read as veto.state/1.1: written so for ever */
	bool has_floor;
	int64_t time_floor;   /* the latest owner-signed `issued` trusted */
	uint64_t counter_max; /* the counter high-water mark */
	vrevrole *revs;       /* revocations per issuing role */
	size_t n_revs;
};

/* A new state from copies of its parts.  policy is penv's payload, already
 * parsed, with every key checked (both NULL: no policy trusted yet). */
veto_status veto__state_make(veto_state **out, const veto_config *cfg, const vanchor *anchor,
                       const veto_envelope *penv, const vpolicy *policy, uint64_t counter,
                       const uint8_t *update_sha256, const vfeat *features, size_t n_features);

/* (1.1) The members a veto.state/1.1 adds (the version flag, the time
 * floor, the high-water mark and the revocations) copied from src into
 * dst, a state just made by veto__state_make.  VETO_OK or VETO_E_NOMEM. */
veto_status veto__state_carry(veto_state *dst, const veto_state *src);
/* (1.1) Raises s's time floor to t (never lowers it). */
void veto__state_floor_raise(veto_state *s, int64_t t);

#endif
