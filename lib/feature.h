/* SPDX-License-Identifier: Apache-2.0 */
/* Feature names, versions and the two entry forms: protected "name" or
 * "name>=VERSION" (policy) and offered "name" or "name@VERSION" (update). */
#ifndef VETO_FEATURE_H
#define VETO_FEATURE_H

#include <stddef.h>
#include <stdint.h>

#define FEAT_NAME_MAX 64
#define FEAT_PARTS_MAX 8

typedef struct vfeat {
	char name[FEAT_NAME_MAX + 1];
	uint8_t nparts; /* 0: bare name (version 0) */
	uint32_t part[FEAT_PARTS_MAX];
} vfeat;

/* [a-z0-9][a-z0-9._:/-]{0,63} */
int feat_name_ok(const char *s, size_t len);
/* Vendor and model names: [a-z0-9][a-z0-9._-]{0,63} */
int ident_ok(const char *s, size_t len);
/* Role names: [a-z0-9-]{1,32} */
int role_name_ok(const char *s, size_t len);
/* (0|[1-9][0-9]{0,8})(\.(0|[1-9][0-9]{0,8})){0,7} into f->part. */
int feat_version_parse(vfeat *f, const char *s, size_t len);
/* "name" or "name@VERSION" */
int feat_parse_offered(vfeat *f, const char *s, size_t len);
/* "name" or "name>=VERSION" */
int feat_parse_protected(vfeat *f, const char *s, size_t len);
/* Numeric, part by part, a missing part counting as 0: <0, 0, >0. */
int feat_version_cmp(const vfeat *a, const vfeat *b);
/* The version as text ("0" for a bare name); buf of 80 bytes is enough. */
void feat_version_text(char *buf, size_t cap, const vfeat *f);
/* The offered form "name" or "name@VERSION". */
void feat_offered_text(char *buf, size_t cap, const vfeat *f);

#endif
