/* SPDX-License-Identifier: Apache-2.0 */
/* Feature names, versions and the two entry forms: protected "name" or
 * "name>=VERSION" (policy) and offered "name" or "name@VERSION" (update). */
#ifndef VETO_FEATURE_H
#define VETO_FEATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "util.h"

#define FEAT_NAME_MAX 64
#define FEAT_PARTS_MAX 8

typedef struct vfeat {
	char name[FEAT_NAME_MAX + 1];
	uint8_t nparts; /* 0: bare name (version 0) */
	uint32_t part[FEAT_PARTS_MAX];
} vfeat;

/* [a-z0-9][a-z0-9._:/-]{0,63} */
bool veto__feat_name_ok(const char *s, size_t len);
/* Vendor and model names: [a-z0-9][a-z0-9._-]{0,63} */
bool veto__ident_ok(const char *s, size_t len);
/* Role names: [a-z0-9-]{1,32} */
bool veto__role_name_ok(const char *s, size_t len);
/* (0|[1-9][0-9]{0,8})(\.(0|[1-9][0-9]{0,8})){0,7} into f->part.  These
 * three return VETO_OK or VETO_E_MALFORMED. */
veto_status veto__feat_version_parse(vfeat *f, const char *s, size_t len);
/* "name" or "name@VERSION" */
veto_status veto__feat_parse_offered(vfeat *f, const char *s, size_t len);
/* "name" or "name>=VERSION" */
veto_status veto__feat_parse_protected(vfeat *f, const char *s, size_t len);
/* Numeric, part by part, a missing part counting as 0: <0, 0, >0. */
int veto__feat_version_cmp(const vfeat *a, const vfeat *b);
/* The version as text ("0" for a bare name); buf of 80 bytes is enough. */
void veto__feat_version_text(char *buf, size_t cap, const vfeat *f);
/* The offered form "name" or "name@VERSION". */
void veto__feat_offered_text(char *buf, size_t cap, const vfeat *f);

/* Whether list[0..n) has an entry named name, and where: a linear scan,
 * for one lookup; feat_index for many. */
bool veto__feat_find(const vfeat *list, size_t n, const char *name, size_t *index);

/* A list's entries in name order, for lookups in O(log n) (util.h's
 * name_index over the names): VETO_OK or VETO_E_NOMEM.  Looked up with
 * veto__name_index_find, released with veto__name_index_free. */
typedef name_index feat_index;
veto_status veto__feat_index_make(feat_index *x, const veto_config *cfg, const vfeat *list, size_t n);
/* Whether an entry of list[0..n) repeats the name of an earlier one; the
 * first such entry, in list order, goes to *index.  O(n log n).  VETO_OK or
 * VETO_E_NOMEM. */
veto_status veto__feat_repeated(const veto_config *cfg, const vfeat *list, size_t n, bool *found,
                          size_t *index);


/* How veto__feat_list_from_json reads each entry. */
typedef enum feat_form {
	FEAT_OFFERED,   /* "name" or "name@VERSION" */
	FEAT_NAME_ONLY  /* "name" */
} feat_form;

/* An array of entries into a new list, names distinct: VETO_OK,
 * VETO_E_MALFORMED or VETO_E_NOMEM. */
veto_status veto__feat_list_from_json(veto_diag *d, vfeat **out, size_t *n, const veto_config *cfg,
                                const jsval *arr, const char *where, feat_form form);

#endif
