/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) The members of a veto.policy/1.1 payload (SPEC section 5): read
 * and validated after everything version 1 has, each malformation named
 * by member and rule.  The revocation members are only validated here. */
#include <stdio.h>
#include <string.h>

#include "policy.h"

/* The members a veto.policy/1 may not hold. */
static const char *const members11[] = {
    "issued", "forbidden_features", "addition_requires", "rollback_requires", "timing",
    "revocation_roles", "revoked_updates", "reinstate", "time_floor_reset"};

veto_status veto__policy11_absent(veto_diag *d, const jsval *root)
{
	for (size_t i = 0; i < sizeof(members11) / sizeof(members11[0]); i++)
		if (veto__js_get(root, members11[i]) != NULL) {
			veto__diag_set(d, "%s: a member of veto.policy/1.1, not allowed in a veto.policy/1",
			         members11[i]);
			return VETO_E_MALFORMED;
		}
	return VETO_OK;
}

veto_status veto__policy_time_from_json(veto_diag *d, int64_t *out, const jsval *item,
                                  const char *where)
{
	const char *s = NULL;
	size_t len = 0;
	if (veto__js_str(d, &s, &len, item, where, 1, 64) != VETO_OK ||
	    veto_time_parse(out, s, len) != VETO_OK) {
		veto__time_diag(d, where, s, len, false);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

static veto_status read_issued(veto_diag *d, vpolicy *p, const jsval *root)
{
	const jsval *item = veto__js_get(root, "issued");
	if (item == NULL) {
		veto__diag_set(d, "issued: required in a veto.policy/1.1");
		return VETO_E_MALFORMED;
	}
	if (veto__policy_time_from_json(d, &p->issued, item, "issued") != VETO_OK)
		return VETO_E_MALFORMED;
	if (p->has_expires && p->issued >= p->expires) {
		veto__diag_set(d, "issued: must be earlier than expires");
		return VETO_E_MALFORMED;
	}
	/* A vendor that could sign policies could sign every consent. */
	if (veto__policy_role_has_vendor_key(p, &p->roles[p->owner])) {
		veto__diag_set(d, "roles.owner: holds a key of the vendor role (not allowed in a "
		            "veto.policy/1.1)");
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

bool veto__policy_forbids(const char *x, const char *n)
{
	size_t xl = strlen(x);
	return strncmp(n, x, xl) == 0 && (n[xl] == '\0' || n[xl] == ':' || n[xl] == '/');
}

static veto_status read_forbidden(veto_diag *d, vpolicy *p, vpolicy11 *x, const jsval *list)
{
	size_t n;
	if (veto__js_array(d, &n, list, "forbidden_features", POLICY_MAX_FORBIDDEN) != VETO_OK)
		return VETO_E_MALFORMED;
	if (n == 0) {
		veto__diag_set(d, "forbidden_features: must hold 1..64 names (absent: none forbidden)");
		return VETO_E_MALFORMED;
	}
	for (const jsval *c = veto__js_first(list); c != NULL; c = veto__js_next(c)) {
		const char *s;
		size_t len;
		if (veto__js_str(d, &s, &len, c, "forbidden_features", 1, FEAT_NAME_MAX + 8) != VETO_OK)
			return VETO_E_MALFORMED;
		if (!veto__feat_name_ok(s, len) || s[len - 1] == ':' || s[len - 1] == '/') {
			veto__diag_set(d, "forbidden_features: \"%.70s\" is not a feature name without a "
			            "version, not ending in ':' or '/'", s);
			return VETO_E_MALFORMED;
		}
		for (size_t i = 0; i < x->n_forbidden; i++)
			if (strcmp(x->forbidden[i], s) == 0) {
				veto__diag_set(d, "forbidden_features: \"%s\" is listed twice", s);
				return VETO_E_MALFORMED;
			}
		for (size_t i = 0; i < p->n_protect; i++)
			if (veto__policy_forbids(s, p->protect[i].name)) {
				veto__diag_set(d, "forbidden_features: \"%s\" matches the protected feature \"%s\"",
				         s, p->protect[i].name);
				return VETO_E_MALFORMED;
			}
		memcpy(x->forbidden[x->n_forbidden++], s, len + 1);
	}
	return VETO_OK;
}

/* A consenting list of roles, none holding a vendor key; *count its
 * length.  Absent: *has false. */
static veto_status read_consent(veto_diag *d, vpolicy *p, const jsval *root, const char *name,
                                role_flag which, bool *has, size_t *count)
{
	const jsval *list = veto__js_get(root, name);
	*has = list != NULL;
	*count = 0;
	if (list == NULL)
		return VETO_OK;
	if (veto__policy_role_list(d, p, list, name, which) != VETO_OK)
		return VETO_E_MALFORMED;
	*count = veto__js_count(list);
	for (const jsval *c = veto__js_first(list); c != NULL; c = veto__js_next(c)) {
		size_t at;
		const char *role;
		(void)veto__js_str(d, &role, NULL, c, name, 1, VETO_ROLE_MAX);
		if (veto__policy_role_find(p, role, &at) && veto__policy_role_has_vendor_key(p, &p->roles[at])) {
			veto__diag_set(d, "%s: role \"%s\" holds a key of the vendor role", name, role);
			return VETO_E_MALFORMED;
		}
	}
	return VETO_OK;
}

/* Distinct digests (64 lowercase hex) into out, at most max. */
/* Alike veto__policy_read_keyids by design: one reader per element kind. */
veto_status veto__policy_read_digests(veto_diag *d, uint8_t (*out)[32], size_t *n, const jsval *list,
                                const char *where, size_t max)
{
	size_t count;
	*n = 0;
	if (veto__js_array(d, &count, list, where, max) != VETO_OK)
		return VETO_E_MALFORMED;
	for (const jsval *c = veto__js_first(list); c != NULL; c = veto__js_next(c)) {
		const char *s;
		size_t len;
		if (veto__js_str(d, &s, &len, c, where, 1, 128) != VETO_OK ||
		    veto__hex_decode(out[*n], 32, s, len) != VETO_OK) {
			veto__diag_set(d, "%s: an entry is not 64 lowercase hex digits", where);
			return VETO_E_MALFORMED;
		}
		for (size_t i = 0; i < *n; i++)
			if (memcmp(out[i], out[*n], 32) == 0) {
				veto__diag_set(d, "%s: digest %.64s is listed twice", where, s);
				return VETO_E_MALFORMED;
			}
		(*n)++;
	}
	return VETO_OK;
}

/* Alike veto__policy_read_digests by design: one reader per element kind. */
veto_status veto__policy_read_keyids(veto_diag *d, char (*out)[65], size_t *n, const jsval *list,
                               const char *where, size_t max)
{
	size_t count;
	*n = 0;
	if (veto__js_array(d, &count, list, where, max) != VETO_OK)
		return VETO_E_MALFORMED;
	for (const jsval *c = veto__js_first(list); c != NULL; c = veto__js_next(c)) {
		const char *s;
		size_t len;
		if (veto__js_str(d, &s, &len, c, where, 1, 128) != VETO_OK || !veto__is_hex64(s, len)) {
			veto__diag_set(d, "%s: an entry is not a keyid (64 lowercase hex digits)", where);
			return VETO_E_MALFORMED;
		}
		for (size_t i = 0; i < *n; i++)
			if (strcmp(out[i], s) == 0) {
				veto__diag_set(d, "%s: keyid %.64s is listed twice", where, s);
				return VETO_E_MALFORMED;
			}
		memcpy(out[(*n)++], s, 65);
	}
	return VETO_OK;
}

static veto_status read_reinstate(veto_diag *d, vpolicy11 *x, const jsval *obj)
{
	static const js_field fields[] = {{"updates", JS_ARRAY, true, 0, POLICY_MAX_REVOKED},
	                                  {"keys", JS_ARRAY, true, 0, POLICY_MAX_REINSTATE_KEYS}};
	if (veto__js_members(d, obj, "reinstate", JS_FIELDS(fields)) != VETO_OK ||
	    veto__policy_read_digests(d, x->reinstate_updates, &x->n_reinstate_updates, veto__js_get(obj, "updates"),
	                 "reinstate.updates", POLICY_MAX_REVOKED) != VETO_OK)
		return VETO_E_MALFORMED;
	if (veto__policy_read_keyids(d, x->reinstate_keys, &x->n_reinstate_keys, veto__js_get(obj, "keys"),
	                        "reinstate.keys", POLICY_MAX_REINSTATE_KEYS) != VETO_OK)
		return VETO_E_MALFORMED;
	x->has_reinstate = true;
	for (size_t i = 0; i < x->n_revoked; i++)
		for (size_t j = 0; j < x->n_reinstate_updates; j++)
			if (memcmp(x->revoked[i], x->reinstate_updates[j], 32) == 0) {
				veto__diag_set(d, "reinstate.updates: a digest that revoked_updates also lists");
				return VETO_E_MALFORMED;
			}
	return VETO_OK;
}

/* revocation_roles, revoked_updates, reinstate: validated only (SPEC 5.3). */
static veto_status read_revocation(veto_diag *d, vpolicy *p, vpolicy11 *x, const jsval *root)
{
	const jsval *roles = veto__js_get(root, "revocation_roles");
	const jsval *revoked = veto__js_get(root, "revoked_updates");
	const jsval *reinstate = veto__js_get(root, "reinstate");
	if (roles != NULL &&
	    veto__policy_role_list(d, p, roles, "revocation_roles", ROLE_REVOCATION) != VETO_OK)
		return VETO_E_MALFORMED;
	if (revoked != NULL && veto__policy_read_digests(d, x->revoked, &x->n_revoked, revoked, "revoked_updates",
	                                    POLICY_MAX_REVOKED) != VETO_OK)
		return VETO_E_MALFORMED;
	if (reinstate != NULL && read_reinstate(d, x, reinstate) != VETO_OK)
		return VETO_E_MALFORMED;
	return VETO_OK;
}

static veto_status read_floor_reset(veto_diag *d, vpolicy *p, const jsval *root)
{
	const jsval *item = veto__js_get(root, "time_floor_reset");
	bool v;
	if (item == NULL)
		return VETO_OK;
	if (veto__js_bool(d, &v, item, "time_floor_reset") != VETO_OK || !v) {
		veto__diag_set(d, "time_floor_reset: only true is allowed (absent means no reset)");
		return VETO_E_MALFORMED;
	}
	p->time_floor_reset = true;
	return VETO_OK;
}

veto_status veto__policy11_from_json(veto_diag *d, vpolicy *p, const veto_config *cfg,
                               const jsval *root)
{
	if (read_issued(d, p, root) != VETO_OK)
		return VETO_E_MALFORMED;
	p->ext = veto__vx_calloc(cfg, 1, sizeof(*p->ext));
	if (p->ext == NULL) {
		veto__diag_set(d, "out of memory");
		return VETO_E_NOMEM;
	}
	vpolicy11 *x = p->ext;
	const jsval *forbidden = veto__js_get(root, "forbidden_features");
	const jsval *timing = veto__js_get(root, "timing");
	if ((forbidden != NULL && read_forbidden(d, p, x, forbidden) != VETO_OK) ||
	    read_consent(d, p, root, "addition_requires", ROLE_ADDITION, &x->has_addition,
	                 &x->n_addition) != VETO_OK ||
	    read_consent(d, p, root, "rollback_requires", ROLE_ROLLBACK, &x->has_rollback,
	                 &x->n_rollback) != VETO_OK)
		return VETO_E_MALFORMED;
	if (timing != NULL) {
		x->has_timing = true;
		if (veto__policy_timing_from_json(d, p, &x->timing, timing) != VETO_OK)
			return VETO_E_MALFORMED;
	}
	if (read_revocation(d, p, x, root) != VETO_OK || read_floor_reset(d, p, root) != VETO_OK)
		return VETO_E_MALFORMED;
	return VETO_OK;
}
