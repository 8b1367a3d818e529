/* SPDX-License-Identifier: Apache-2.0 */
/* Policy payloads and trust anchors: parsed, validated, copied out of the
 * JSON tree into the library's own structures. */
#ifndef VETO_POLICY_H
#define VETO_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature.h"
#include "json.h"
#include "keys.h"
#include "util.h"

#define DIGEST_SHA256 1U
#define DIGEST_BLAKE2B 2U

typedef struct vrole {
	char name[VETO_ROLE_MAX + 1];
	uint16_t *keys; /* indexes into the policy's keys */
	size_t n_keys;
	unsigned threshold;
	bool required; /* named in "require" */
	bool waiver;   /* named in "removal_requires" */
} vrole;

typedef struct vpolicy {
	uint64_t serial;
	bool has_expires;
	int64_t expires;
	char vendor[65];
	char model[65];
	vkey *keys;
	size_t n_keys;
	vrole *roles;
	size_t n_roles;
	size_t owner;  /* index of the "owner" role */
	size_t vendor_role;
	vfeat *protect;
	size_t n_protect;
	size_t n_waiver; /* roles in removal_requires */
	uint64_t min_counter;
	uint64_t max_image;
	unsigned digests; /* DIGEST_* bits */
} vpolicy;

typedef struct vanchor {
	char vendor[65];
	char model[65];
	vkey *keys;
	size_t n_keys;
	unsigned threshold;
} vanchor;

/* Parses a policy payload; its keys are checked now, or left for
 * policy_keys_check (VKEY_CHECK_LATER).  VETO_E_MALFORMED (reason in d),
 * VETO_E_LIMIT (nesting) or VETO_E_NOMEM.  On success p owns memory
 * released by policy_free. */
veto_status policy_parse(vpolicy *p, veto_diag *d, const veto_config *cfg,
                         const uint8_t *payload, size_t len, vkey_check keys);
/* Checks the keys that no verified signature vouched for: VETO_OK or
 * VETO_E_MALFORMED. */
veto_status policy_keys_check(vpolicy *p, veto_diag *d);
void policy_free(vpolicy *p, const veto_config *cfg);
/* A deep copy of src into dst; VETO_E_NOMEM leaves dst empty. */
veto_status policy_dup(vpolicy *dst, const vpolicy *src, const veto_config *cfg);

veto_status anchor_from_json(vanchor *a, veto_diag *d, const veto_config *cfg, const jsval *obj);
veto_status anchor_parse(vanchor *a, veto_diag *d, const veto_config *cfg,
                         const uint8_t *json, size_t len);
void anchor_to_json(vbuf *b, const vanchor *a);
veto_status anchor_dup(vanchor *dst, const vanchor *src, const veto_config *cfg);
void anchor_free(vanchor *a, const veto_config *cfg);

/* Member `name` ("vendor" or "model") of obj: a vendor or model name
 * ([a-z0-9][a-z0-9._-]{0,63}) copied into out.  `where` names it in
 * messages.  VETO_OK or VETO_E_MALFORMED. */
veto_status ident_from_json(veto_diag *d, char out[65], const jsval *obj, const char *name,
                            const char *where);
/* Reads {"vendor": ..., "model": ...}: VETO_OK or VETO_E_MALFORMED. */
veto_status device_from_json(veto_diag *d, char vendor[65], char model[65], const jsval *obj,
                             const char *where);

#endif
