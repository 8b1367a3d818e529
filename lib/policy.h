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
#include "timing.h"
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
	/* (1.1) */
	bool addition;   /* named in "addition_requires" */
	bool rollback;   /* named in "rollback_requires" */
	bool fast;       /* named in "timing.fast_path.require" */
	bool revocation; /* named in "revocation_roles" */
} vrole;

/* Which flag of a role a list of role names sets. */
typedef enum role_flag {
	ROLE_REQUIRED, ROLE_WAIVER, ROLE_ADDITION, ROLE_ROLLBACK, ROLE_FAST, ROLE_REVOCATION
} role_flag;

#define POLICY_MAX_FORBIDDEN 64U
#define POLICY_MAX_REVOKED 256U
#define POLICY_MAX_REINSTATE_KEYS 64U

/* (1.1) The members only a veto.policy/1.1 may hold, kept apart so that a
 * version-1 policy carries none of their weight (vpolicy.ext NULL). */
typedef struct vpolicy11 {
	char forbidden[POLICY_MAX_FORBIDDEN][FEAT_NAME_MAX + 1];
	size_t n_forbidden;
	bool has_addition; /* "addition_requires" present (maybe empty) */
	bool has_rollback; /* "rollback_requires" present (maybe empty) */
	size_t n_addition, n_rollback;
	bool has_timing;
	vtiming timing;
	/* revocation (SPEC 5.3): parsed and validated; their effect belongs
	 * to the revocation rules */
	uint8_t revoked[POLICY_MAX_REVOKED][32];
	size_t n_revoked;
	bool has_reinstate;
	uint8_t reinstate_updates[POLICY_MAX_REVOKED][32];
	size_t n_reinstate_updates;
	char reinstate_keys[POLICY_MAX_REINSTATE_KEYS][65];
	size_t n_reinstate_keys;
} vpolicy11;

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
	/* (1.1) */
	bool v11;              /* "format": "veto.policy/1.1" */
	int64_t issued;        /* required in a 1.1 policy */
	bool time_floor_reset; /* the owner's repair of a wrong time floor */
	vpolicy11 *ext;        /* the 1.1 members; NULL in a version-1 policy */
} vpolicy;

typedef struct vanchor {
	char vendor[65];
	char model[65];
	vkey *keys;
	size_t n_keys;
	unsigned threshold;
} vanchor;

/* Parses a policy payload; its keys are checked now, or left for
 * veto__policy_keys_check (VKEY_CHECK_LATER).  VETO_E_MALFORMED (reason in d),
 * VETO_E_LIMIT (nesting) or VETO_E_NOMEM.  On success p owns memory
 * released by veto__policy_free. */
veto_status veto__policy_parse(vpolicy *p, veto_diag *d, const veto_config *cfg,
                         const uint8_t *payload, size_t len, vkey_check keys);
/* Checks the keys that no verified signature vouched for: VETO_OK or
 * VETO_E_MALFORMED. */
veto_status veto__policy_keys_check(vpolicy *p, veto_diag *d);
void veto__policy_free(vpolicy *p, const veto_config *cfg);
/* A deep copy of src into dst; VETO_E_NOMEM leaves dst empty. */
veto_status veto__policy_dup(vpolicy *dst, const vpolicy *src, const veto_config *cfg);

/* The role called name: true and its index. */
bool veto__policy_role_find(const vpolicy *p, const char *name, size_t *index);
/* A list of distinct existing role names at `where`; sets `which` on each.
 * VETO_OK or VETO_E_MALFORMED. */
veto_status veto__policy_role_list(veto_diag *d, vpolicy *p, const jsval *list, const char *where,
                             role_flag which);
/* Whether r is named in the list `which` stands for. */
bool veto__policy_role_is(const vrole *r, role_flag which);
/* Whether role r holds a key of the vendor role. */
bool veto__policy_role_has_vendor_key(const vpolicy *p, const vrole *r);

/* policy11.c: (1.1) the members of a veto.policy/1.1 (root is the payload,
 * p holds everything version 1 has); VETO_OK, VETO_E_MALFORMED (member and
 * rule named in d), VETO_E_NOMEM. */
veto_status veto__policy11_from_json(veto_diag *d, vpolicy *p, const veto_config *cfg,
                               const jsval *root);
/* policy_timing.c: (1.1) the "timing" member into t (SPEC 5.2); fast-path
 * roles flagged in p.  VETO_OK or VETO_E_MALFORMED. */
veto_status veto__policy_timing_from_json(veto_diag *d, vpolicy *p, vtiming *t, const jsval *obj);
/* policy11.c: (1.1) a time "YYYY-MM-DDTHH:MM:SSZ" at `where`: VETO_OK or
 * VETO_E_MALFORMED. */
veto_status veto__policy_time_from_json(veto_diag *d, int64_t *out, const jsval *item,
                                  const char *where);
/* policy.c: a payload read for display, never trusted: libsodium set up,
 * *cfg resolved from cfg_in, p parsed with every key checked.  VETO_OK
 * (p the caller's: veto__policy_free(p, cfg)), or veto__policy_parse's status. */
veto_status veto__policy_read_unverified(vpolicy *p, veto_config *cfg, veto_diag *d,
                                   const veto_config *cfg_in, const uint8_t *payload,
                                   size_t len);
/* policy11.c: (1.1) whether forbidden_features entry x matches feature
 * name n: n is x, or begins with x followed by ':' or '/'. */
bool veto__policy_forbids(const char *x, const char *n);
/* policy11.c: VETO_E_MALFORMED, naming it, when a veto.policy/1 holds a
 * member of 1.1. */
veto_status veto__policy11_absent(veto_diag *d, const jsval *root);

veto_status veto__anchor_from_json(vanchor *a, veto_diag *d, const veto_config *cfg, const jsval *obj);
veto_status veto__anchor_parse(vanchor *a, veto_diag *d, const veto_config *cfg,
                         const uint8_t *json, size_t len);
void veto__anchor_to_json(vbuf *b, const vanchor *a);
veto_status veto__anchor_dup(vanchor *dst, const vanchor *src, const veto_config *cfg);
void veto__anchor_free(vanchor *a, const veto_config *cfg);

/* Member `name` ("vendor" or "model") of obj: a vendor or model name
 * ([a-z0-9][a-z0-9._-]{0,63}) copied into out.  `where` names it in
 * messages.  VETO_OK or VETO_E_MALFORMED. */
veto_status veto__ident_from_json(veto_diag *d, char out[65], const jsval *obj, const char *name,
                            const char *where);
/* Reads {"vendor": ..., "model": ...}: VETO_OK or VETO_E_MALFORMED. */
veto_status veto__device_from_json(veto_diag *d, char vendor[65], char model[65], const jsval *obj,
                             const char *where);

#endif
