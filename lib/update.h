/* SPDX-License-Identifier: Apache-2.0 */
/* Update manifests. */
#ifndef VETO_UPDATE_H
#define VETO_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "feature.h"
#include "json.h"
#include "util.h"

typedef struct vupdate {
	char vendor[65];
	char model[65];
	char version[65];
	uint64_t counter;
	uint64_t size;
	int has_sha256;
	int has_blake2b;
	uint8_t sha256[32];
	uint8_t blake2b[32];
	vfeat *features;
	size_t n_features;
	vfeat *removes; /* names only */
	size_t n_removes;
	int has_released;
	int64_t released;
} vupdate;

veto_status update_parse(vupdate *u, veto_diag *d, const veto_config *cfg,
                         const uint8_t *payload, size_t len);
void update_free(vupdate *u, const veto_config *cfg);

/* Index of the entry named name in list, or -1. */
int feat_find(const vfeat *list, size_t n, const char *name);
/* An array of offered entries ("name" or "name@VERSION"), names distinct. */
int feat_list_from_json(veto_diag *d, vfeat **out, size_t *n, const veto_config *cfg,
                        const cJSON *arr, const char *where, int names_only);

#endif
