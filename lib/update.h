/* SPDX-License-Identifier: Apache-2.0 */
/* Update manifests. */
#ifndef VETO_UPDATE_H
#define VETO_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature.h"
#include "util.h"

/* What the decision reads of a manifest.  "released" is checked but not
 * kept: no rule reads it.  "version" is kept for receipts (SPEC 10), which
 * name the update installed; no rule reads it either. */
typedef struct vupdate {
	char vendor[65];
	char model[65];
	char version[65]; /* 1..64 bytes of UTF-8 */
	uint64_t counter;
	uint64_t size;
	bool has_sha256;
	bool has_blake2b;
	uint8_t sha256[32];
	uint8_t blake2b[32];
	vfeat *features;
	size_t n_features;
	vfeat *removes; /* names only */
	size_t n_removes;
} vupdate;

/* Parses an update payload: VETO_E_MALFORMED (reason in d), VETO_E_LIMIT
 * (nesting) or VETO_E_NOMEM.  On success u owns memory released by
 * veto__update_free. */
veto_status veto__update_parse(vupdate *u, veto_diag *d, const veto_config *cfg,
                         const uint8_t *payload, size_t len);
void veto__update_free(vupdate *u, const veto_config *cfg);

#endif
