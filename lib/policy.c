/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "crypto.h"
#include "policy.h"

_Static_assert(VETO_MAX_KEYS <= 65535, "role key indexes are 16-bit");

veto_status veto__ident_from_json(veto_diag *d, char out[65], const jsval *obj, const char *name,
                            const char *where)
{
	const char *s;
	size_t len;
	if (veto__js_str(d, &s, &len, veto__js_get(obj, name), where, 1, 64) != VETO_OK)
		return VETO_E_MALFORMED;
	if (!veto__ident_ok(s, len)) {
		veto__diag_set(d, "%s: \"%.64s\" is not a %s name ([a-z0-9][a-z0-9._-]{0,63})", where, s,
		         name);
		return VETO_E_MALFORMED;
	}
	memcpy(out, s, len + 1);
	return VETO_OK;
}

veto_status veto__device_from_json(veto_diag *d, char vendor[65], char model[65], const jsval *obj,
                             const char *where)
{
	static const js_field fields[] = {{"vendor", JS_STRING, true, 1, 64},
	                                  {"model", JS_STRING, true, 1, 64}};
	char wv[64], wm[64];
	snprintf(wv, sizeof(wv), "%s.vendor", where);
	snprintf(wm, sizeof(wm), "%s.model", where);
	if (veto__js_members(d, obj, where, JS_FIELDS(fields)) != VETO_OK ||
	    veto__ident_from_json(d, vendor, obj, "vendor", wv) != VETO_OK ||
	    veto__ident_from_json(d, model, obj, "model", wm) != VETO_OK)
		return VETO_E_MALFORMED;
	return VETO_OK;
}

static veto_status threshold_ok(veto_diag *d, unsigned *out, const jsval *item, size_t n_keys,
                                const char *where)
{
	uint64_t t;
	if (veto__js_u53(d, &t, item, where) != VETO_OK)
		return VETO_E_MALFORMED;
	size_t max = n_keys < 64 ? n_keys : 64;
	/* cppcheck-suppress knownConditionTrueFalse ; max is n_keys capped at 64, not always 0 */
	if (t < 1 || t > max) {
		veto__diag_set(d, "%s: %llu is outside 1..%zu (the number of keys, at most 64)", where,
		         (unsigned long long)t, max);
		return VETO_E_MALFORMED;
	}
	*out = (unsigned)t;
	return VETO_OK;
}

bool veto__policy_role_find(const vpolicy *p, const char *name, size_t *index)
{
	for (size_t i = 0; i < p->n_roles; i++) {
		if (strcmp(p->roles[i].name, name) == 0) {
			*index = i;
			return true;
		}
	}
	return false;
}

/* A role's "keys": distinct keyids of the policy's "keys" (found through
 * by_id, the keys in keyid order), as indexes. */
static veto_status role_keys(veto_diag *d, vrole *role, const name_index *by_id,
                             const veto_config *cfg, const jsval *list, const char *where)
{
	size_t nk, at;
	void *table;
	bool listed[VETO_MAX_KEYS] = {false};
	veto_status st = veto__js_array_table(d, &table, &nk, cfg, list, where, VETO_MAX_KEYS,
	                                sizeof(*role->keys));
	if (st != VETO_OK)
		return st;
	role->keys = table;
	for (const jsval *k = veto__js_first(list); k != NULL; k = veto__js_next(k)) {
		const char *kid;
		if (veto__js_str(d, &kid, NULL, k, where, 1, 128) != VETO_OK)
			return VETO_E_MALFORMED;
		if (!veto__name_index_find(by_id, kid, &at)) {
			veto__diag_set(d, "%s: keyid %.70s is not in \"keys\"", where, kid);
			return VETO_E_MALFORMED;
		}
		if (listed[at]) {
			veto__diag_set(d, "%s: keyid %.70s is listed twice", where, kid);
			return VETO_E_MALFORMED;
		}
		listed[at] = true;
		role->keys[role->n_keys++] = (uint16_t)at;
	}
	return VETO_OK;
}

/* One member of "roles"; the role counts in p->n_roles once named, so that
 * veto__policy_free releases its keys whatever happens next. */
static veto_status role_from_json(veto_diag *d, vpolicy *p, const name_index *by_id,
                                  const veto_config *cfg, const jsval *r)
{
	static const js_field fields[] = {{"keys", JS_ARRAY, true, 0, VETO_MAX_KEYS},
	                                  {"threshold", JS_U53, true, 0, 0}};
	vrole *role = &p->roles[p->n_roles];
	const char *name = veto__js_name(r);
	size_t len = strlen(name);
	char w[64];
	if (!veto__role_name_ok(name, len)) {
		veto__diag_set(d, "roles: \"%.40s\" is not a role name ([a-z0-9-]{1,32})", name);
		return VETO_E_MALFORMED;
	}
	memcpy(role->name, name, len + 1);
	p->n_roles++;
	snprintf(w, sizeof(w), "roles.%s", role->name);
	if (veto__js_members(d, r, w, JS_FIELDS(fields)) != VETO_OK)
		return VETO_E_MALFORMED;
	snprintf(w, sizeof(w), "roles.%s.keys", role->name);
	veto_status st = role_keys(d, role, by_id, cfg, veto__js_get(r, "keys"), w);
	if (st != VETO_OK)
		return st;
	snprintf(w, sizeof(w), "roles.%s.threshold", role->name);
	return threshold_ok(d, &role->threshold, veto__js_get(r, "threshold"), role->n_keys, w);
}

static veto_status parse_roles(veto_diag *d, vpolicy *p, const veto_config *cfg,
                               const jsval *roles)
{
	if (veto__js_object(d, roles, "roles") != VETO_OK)
		return VETO_E_MALFORMED;
	size_t n = veto__js_count(roles);
	if (n > VETO_MAX_ROLES) {
		veto__diag_set(d, "roles: %zu roles, above the limit of %u", n, VETO_MAX_ROLES);
		return VETO_E_MALFORMED;
	}
	p->roles = veto__vx_calloc(cfg, n ? n : 1, sizeof(*p->roles));
	if (p->roles == NULL) {
		veto__diag_set(d, "out of memory");
		return VETO_E_NOMEM;
	}
	/* Every role's keyids are looked up in O(log n), not by a scan. */
	name_index by_id;
	veto_status st = veto__name_index_make(&by_id, cfg, p->keys, p->n_keys, sizeof(*p->keys),
	                                 offsetof(vkey, keyid));
	if (st != VETO_OK) {
		veto__diag_set(d, "out of memory");
		return st;
	}
	for (const jsval *r = veto__js_first(roles); r != NULL && st == VETO_OK; r = veto__js_next(r))
		st = role_from_json(d, p, &by_id, cfg, r);
	veto__name_index_free(&by_id, cfg);
	if (st != VETO_OK)
		return st;
	bool owner = veto__policy_role_find(p, "owner", &p->owner);
	bool vendor = veto__policy_role_find(p, "vendor", &p->vendor_role);
	if (!owner || !vendor) {
		veto__diag_set(d, "roles: the \"%s\" role is missing", !owner ? "owner" : "vendor");
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

static bool *role_flag_of(vrole *r, role_flag which)
{
	switch (which) {
	case ROLE_REQUIRED: return &r->required;
	case ROLE_WAIVER: return &r->waiver;
	case ROLE_ADDITION: return &r->addition;
	case ROLE_ROLLBACK: return &r->rollback;
	case ROLE_FAST: return &r->fast;
	default: return &r->revocation;
	}
}

bool veto__policy_role_is(const vrole *r, role_flag which)
{
	vrole copy = *r; /* role_flag_of reads through a writable pointer */
	return *role_flag_of(&copy, which);
}

veto_status veto__policy_role_list(veto_diag *d, vpolicy *p, const jsval *list, const char *where,
                             role_flag which)
{
	size_t n, at;
	if (veto__js_array(d, &n, list, where, VETO_MAX_ROLES) != VETO_OK)
		return VETO_E_MALFORMED;
	for (const jsval *c = veto__js_first(list); c != NULL; c = veto__js_next(c)) {
		const char *name;
		if (veto__js_str(d, &name, NULL, c, where, 1, VETO_ROLE_MAX) != VETO_OK)
			return VETO_E_MALFORMED;
		if (!veto__policy_role_find(p, name, &at)) {
			veto__diag_set(d, "%s: role \"%.32s\" is not defined in \"roles\"", where, name);
			return VETO_E_MALFORMED;
		}
		bool *flag = role_flag_of(&p->roles[at], which);
		if (*flag) {
			veto__diag_set(d, "%s: role \"%.32s\" is listed twice", where, name);
			return VETO_E_MALFORMED;
		}
		*flag = true;
	}
	return VETO_OK;
}

static veto_status protected_entry(veto_diag *d, vfeat *f, const jsval *c)
{
	const char *s;
	size_t len;
	if (veto__js_str(d, &s, &len, c, "protected_features", 1, VETO_FEATURE_MAX) != VETO_OK)
		return VETO_E_MALFORMED;
	if (veto__feat_parse_protected(f, s, len) != VETO_OK) {
		veto__diag_set(d, "protected_features: \"%.80s\" is not \"name\" or \"name>=VERSION\"", s);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

static veto_status parse_protected(veto_diag *d, vpolicy *p, const veto_config *cfg,
                                   const jsval *list)
{
	size_t n, at;
	void *table;
	bool twice;
	veto_status st = veto__js_array_table(d, &table, &n, cfg, list, "protected_features",
	                                VETO_MAX_FEATURES, sizeof(*p->protect));
	if (st != VETO_OK)
		return st;
	p->protect = table;
	for (const jsval *c = veto__js_first(list); c != NULL; c = veto__js_next(c), p->n_protect++)
		if ((st = protected_entry(d, &p->protect[p->n_protect], c)) != VETO_OK)
			break;
	/* A name repeated before the first bad entry is what is reported. */
	if (veto__feat_repeated(cfg, p->protect, p->n_protect, &twice, &at) != VETO_OK)
		return VETO_E_NOMEM;
	if (twice) {
		veto__diag_set(d, "protected_features: \"%s\" appears twice", p->protect[at].name);
		return VETO_E_MALFORMED;
	}
	return st;
}

static veto_status parse_digests(veto_diag *d, vpolicy *p, const jsval *list)
{
	size_t n;
	if (veto__js_array(d, &n, list, "digests", 2) != VETO_OK)
		return VETO_E_MALFORMED;
	if (n == 0) {
		veto__diag_set(d, "digests: must not be empty");
		return VETO_E_MALFORMED;
	}
	p->digests = 0;
	for (const jsval *c = veto__js_first(list); c != NULL; c = veto__js_next(c)) {
		const char *s;
		unsigned bit;
		if (veto__js_str(d, &s, NULL, c, "digests", 1, 16) != VETO_OK)
			return VETO_E_MALFORMED;
		if (strcmp(s, "sha256") == 0)
			bit = DIGEST_SHA256;
		else if (strcmp(s, "blake2b-256") == 0)
			bit = DIGEST_BLAKE2B;
		else {
			veto__diag_set(d, "digests: \"%.16s\" is not \"sha256\" or \"blake2b-256\"", s);
			return VETO_E_MALFORMED;
		}
		if (p->digests & bit) {
			veto__diag_set(d, "digests: \"%s\" is listed twice", s);
			return VETO_E_MALFORMED;
		}
		p->digests |= bit;
	}
	return VETO_OK;
}

static veto_status parse_expires(veto_diag *d, vpolicy *p, const jsval *item)
{
	const char *s = NULL;
	size_t len = 0;
	if (veto__js_is_null(item)) {
		p->has_expires = false;
		return VETO_OK;
	}
	if (veto__js_str(d, &s, &len, item, "expires", 20, 20) != VETO_OK ||
	    veto_time_parse(&p->expires, s, len) != VETO_OK) {
		veto__time_diag(d, "expires", s, len, true);
		return VETO_E_MALFORMED;
	}
	p->has_expires = true;
	return VETO_OK;
}

bool veto__policy_role_has_vendor_key(const vpolicy *p, const vrole *r)
{
	const vrole *vendor = &p->roles[p->vendor_role];
	for (size_t i = 0; i < r->n_keys; i++)
		for (size_t j = 0; j < vendor->n_keys; j++)
			if (r->keys[i] == vendor->keys[j])
				return true;
	return false;
}

/* A vendor can never waive its own removal: no waiving role may hold a key
 * of the vendor role.  Counts the waiving roles. */
static veto_status check_waivers(veto_diag *d, vpolicy *p)
{
	for (size_t r = 0; r < p->n_roles; r++) {
		if (!p->roles[r].waiver)
			continue;
		p->n_waiver++;
		if (veto__policy_role_has_vendor_key(p, &p->roles[r])) {
			veto__diag_set(d, "removal_requires: role \"%s\" holds a key of the vendor role",
			         p->roles[r].name);
			return VETO_E_MALFORMED;
		}
	}
	return VETO_OK;
}

/* The members of a policy, in the order they are read. */
enum policy_member {
	P_FORMAT, P_SERIAL, P_EXPIRES, P_DEVICE, P_KEYS, P_ROLES, P_REQUIRE, P_PROTECTED,
	P_REMOVAL, P_MIN_COUNTER, P_MAX_IMAGE, P_DIGESTS,
	/* (1.1): read by policy11.c, refused in a veto.policy/1 */
	P_ISSUED, P_FORBIDDEN, P_ADDITION, P_ROLLBACK, P_TIMING, P_REVOCATION_ROLES,
	P_REVOKED, P_REINSTATE, P_FLOOR_RESET
};
/* A schema table (json.h): the documents' tables look alike by design. */
static const js_field policy_fields[] = {
    [P_FORMAT] = {"format", JS_STRING, true, 1, 64},
    [P_SERIAL] = {"serial", JS_U53, true, 0, 0},
    [P_EXPIRES] = {"expires", JS_ANY, true, 0, 0},
    [P_DEVICE] = {"device", JS_OBJECT, true, 0, 0},
    [P_KEYS] = {"keys", JS_OBJECT, true, 0, 0},
    [P_ROLES] = {"roles", JS_OBJECT, true, 0, 0},
    [P_REQUIRE] = {"require", JS_ARRAY, true, 0, VETO_MAX_ROLES},
    [P_PROTECTED] = {"protected_features", JS_ARRAY, true, 0, VETO_MAX_FEATURES},
    [P_REMOVAL] = {"removal_requires", JS_ARRAY, true, 0, VETO_MAX_ROLES},
    [P_MIN_COUNTER] = {"min_security_counter", JS_U53, false, 0, 0},
    [P_MAX_IMAGE] = {"max_image_size", JS_U53, false, 0, 0},
    [P_DIGESTS] = {"digests", JS_ARRAY, false, 0, 2},
    [P_ISSUED] = {"issued", JS_ANY, false, 0, 0},
    [P_FORBIDDEN] = {"forbidden_features", JS_ANY, false, 0, 0},
    [P_ADDITION] = {"addition_requires", JS_ANY, false, 0, 0},
    [P_ROLLBACK] = {"rollback_requires", JS_ANY, false, 0, 0},
    [P_TIMING] = {"timing", JS_ANY, false, 0, 0},
    [P_REVOCATION_ROLES] = {"revocation_roles", JS_ANY, false, 0, 0},
    [P_REVOKED] = {"revoked_updates", JS_ANY, false, 0, 0},
    [P_REINSTATE] = {"reinstate", JS_ANY, false, 0, 0},
    [P_FLOOR_RESET] = {"time_floor_reset", JS_ANY, false, 0, 0},
};

static const jsval *member(const jsval *root, enum policy_member which)
{
	return veto__js_get(root, policy_fields[which].name);
}

/* The optional members and their defaults. */
static veto_status policy_options(veto_diag *d, vpolicy *p, const jsval *root)
{
	js_got g;
	p->min_counter = 0;
	p->max_image = 4294967296ULL;
	p->digests = DIGEST_SHA256 | DIGEST_BLAKE2B;
	if (veto__js_field_read(d, &g, root, &policy_fields[P_MIN_COUNTER], NULL) != VETO_OK)
		return VETO_E_MALFORMED;
	if (g.item != NULL)
		p->min_counter = g.u53;
	if (veto__js_field_read(d, &g, root, &policy_fields[P_MAX_IMAGE], NULL) != VETO_OK)
		return VETO_E_MALFORMED;
	if (g.item != NULL)
		p->max_image = g.u53;
	const jsval *digests = member(root, P_DIGESTS);
	return digests != NULL ? parse_digests(d, p, digests) : VETO_OK;
}

/* "veto.policy/1", which may hold none of the 1.1 members, or (1.1)
 * "veto.policy/1.1". */
static veto_status policy_format(veto_diag *d, vpolicy *p, const jsval *root)
{
	const char *s;
	size_t len;
	if (veto__js_str(d, &s, &len, veto__js_get(root, "format"), "format", 1, 64) != VETO_OK)
		return VETO_E_MALFORMED;
	if (strcmp(s, "veto.policy/1.1") == 0) {
		p->v11 = true;
		return VETO_OK;
	}
	if (strcmp(s, "veto.policy/1") != 0) {
		veto__diag_set(d, "format: \"%.64s\" is not \"veto.policy/1\" or \"veto.policy/1.1\"", s);
		return VETO_E_MALFORMED;
	}
	return veto__policy11_absent(d, root);
}

typedef struct policy_read {
	vpolicy *p;
	vkey_check keys;
} policy_read;

/* The policy schema (js_reader): each member in turn, then the rules that
 * tie them together. */
static veto_status policy_from_json(void *out, veto_diag *d, const veto_config *cfg,
                                    const jsval *root)
{
	const policy_read *r = out;
	vpolicy *p = r->p;
	js_got g;
	veto_status st;
	if (veto__js_members(d, root, "policy", JS_FIELDS(policy_fields)) != VETO_OK ||
	    policy_format(d, p, root) != VETO_OK ||
	    veto__js_field_read(d, &g, root, &policy_fields[P_SERIAL], NULL) != VETO_OK)
		return VETO_E_MALFORMED;
	p->serial = g.u53;
	if (parse_expires(d, p, member(root, P_EXPIRES)) != VETO_OK ||
	    veto__device_from_json(d, p->vendor, p->model, member(root, P_DEVICE), "device") != VETO_OK)
		return VETO_E_MALFORMED;
	if ((st = veto__keys_from_json(d, &p->keys, &p->n_keys, cfg, member(root, P_KEYS), "keys",
	                         r->keys)) != VETO_OK ||
	    (st = parse_roles(d, p, cfg, member(root, P_ROLES))) != VETO_OK)
		return st;
	if (veto__policy_role_list(d, p, member(root, P_REQUIRE), "require", ROLE_REQUIRED) != VETO_OK)
		return VETO_E_MALFORMED;
	if (!p->roles[p->vendor_role].required) {
		veto__diag_set(d, "require: must contain \"vendor\"");
		return VETO_E_MALFORMED;
	}
	if ((st = parse_protected(d, p, cfg, member(root, P_PROTECTED))) != VETO_OK)
		return st;
	if (veto__policy_role_list(d, p, member(root, P_REMOVAL), "removal_requires", ROLE_WAIVER) !=
	        VETO_OK ||
	    check_waivers(d, p) != VETO_OK)
		return VETO_E_MALFORMED;
	if ((st = policy_options(d, p, root)) != VETO_OK)
		return st;
	return p->v11 ? veto__policy11_from_json(d, p, cfg, root) : VETO_OK;
}

veto_status veto__policy_keys_check(vpolicy *p, veto_diag *d)
{
	return veto__keys_check(d, p->keys, p->n_keys, "keys");
}

veto_status veto__policy_parse(vpolicy *p, veto_diag *d, const veto_config *cfg,
                         const uint8_t *payload, size_t len, vkey_check keys)
{
	policy_read r = {p, keys};
	memset(p, 0, sizeof(*p));
	veto_status st = veto__js_read_doc(&r, d, cfg, payload, len, 0, "policy", false, policy_from_json);
	if (st != VETO_OK)
		veto__policy_free(p, cfg);
	return st;
}

veto_status veto__policy_dup(vpolicy *dst, const vpolicy *src, const veto_config *cfg)
{
	*dst = *src;
	dst->keys = veto__vx_calloc(cfg, src->n_keys, sizeof(*dst->keys));
	dst->roles = veto__vx_calloc(cfg, src->n_roles ? src->n_roles : 1, sizeof(*dst->roles));
	dst->protect = veto__vx_calloc(cfg, src->n_protect ? src->n_protect : 1, sizeof(*dst->protect));
	dst->ext = src->ext != NULL ? veto__vx_calloc(cfg, 1, sizeof(*dst->ext)) : NULL;
	if (dst->keys == NULL || dst->roles == NULL || dst->protect == NULL ||
	    (src->ext != NULL && dst->ext == NULL))
		goto nomem;
	if (src->ext != NULL)
		memcpy(dst->ext, src->ext, sizeof(*dst->ext));
	memcpy(dst->keys, src->keys, src->n_keys * sizeof(*dst->keys));
	if (src->n_protect)
		memcpy(dst->protect, src->protect, src->n_protect * sizeof(*dst->protect));
	for (size_t i = 0; i < src->n_roles; i++) {
		const vrole *r = &src->roles[i];
		dst->roles[i] = *r;
		dst->roles[i].keys = veto__vx_calloc(cfg, r->n_keys ? r->n_keys : 1, sizeof(*r->keys));
		if (dst->roles[i].keys == NULL) {
			dst->n_roles = i; /* free only the roles copied so far */
			goto nomem;
		}
		memcpy(dst->roles[i].keys, r->keys, r->n_keys * sizeof(*r->keys));
	}
	return VETO_OK;
nomem:
	veto__policy_free(dst, cfg);
	return VETO_E_NOMEM;
}

void veto__policy_free(vpolicy *p, const veto_config *cfg)
{
	if (p->roles != NULL)
		for (size_t i = 0; i < p->n_roles; i++)
			veto__vx_free(cfg, p->roles[i].keys);
	veto__vx_free(cfg, p->roles);
	veto__vx_free(cfg, p->keys);
	veto__vx_free(cfg, p->protect);
	veto__vx_free(cfg, p->ext);
	memset(p, 0, sizeof(*p));
}

veto_status veto__policy_read_unverified(vpolicy *p, veto_config *cfg, veto_diag *d,
                                   const veto_config *cfg_in, const uint8_t *payload,
                                   size_t len)
{
	if (veto__cfg_enter(cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	return veto__policy_parse(p, d, cfg, payload, len, VKEY_CHECK_NOW);
}

veto_status veto_policy_declared_keys(uint8_t (**keys)[VETO_PUBLICKEYBYTES], size_t *n_keys,
                                      veto_diag *d, const veto_config *cfg_in,
                                      const uint8_t *payload, size_t payload_len)
{
	veto_config cfg;
	vpolicy p;
	if (keys == NULL || n_keys == NULL || payload == NULL)
		return VETO_E_ARG;
	*keys = NULL;
	*n_keys = 0;
	veto_status st = veto__policy_read_unverified(&p, &cfg, d, cfg_in, payload, payload_len);
	if (st != VETO_OK)
		return st;
	*keys = veto__vx_calloc(&cfg, p.n_keys, sizeof(**keys));
	if (*keys == NULL) {
		veto__policy_free(&p, &cfg);
		return VETO_E_NOMEM;
	}
	for (size_t i = 0; i < p.n_keys; i++)
		memcpy((*keys)[i], p.keys[i].pk, 32);
	*n_keys = p.n_keys;
	veto__policy_free(&p, &cfg);
	return VETO_OK;
}

/* ---- anchors ------------------------------------------------------------- */

veto_status veto__anchor_from_json(vanchor *a, veto_diag *d, const veto_config *cfg, const jsval *obj)
{
	static const js_field fields[] = {{"device", JS_OBJECT, true, 0, 0},
	                                  {"keys", JS_OBJECT, true, 0, 0},
	                                  {"threshold", JS_U53, true, 0, 0}};
	memset(a, 0, sizeof(*a));
	if (veto__js_members(d, obj, "anchor", JS_FIELDS(fields)) != VETO_OK ||
	    veto__device_from_json(d, a->vendor, a->model, veto__js_get(obj, "device"), "anchor.device") !=
	        VETO_OK)
		return VETO_E_MALFORMED;
	veto_status st = veto__keys_from_json(d, &a->keys, &a->n_keys, cfg, veto__js_get(obj, "keys"),
	                                "anchor.keys", VKEY_CHECK_NOW);
	if (st != VETO_OK)
		return st;
	if (threshold_ok(d, &a->threshold, veto__js_get(obj, "threshold"), a->n_keys,
	                 "anchor.threshold") != VETO_OK) {
		veto__anchor_free(a, cfg);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

static veto_status anchor_reader(void *out, veto_diag *d, const veto_config *cfg,
                                 const jsval *root)
{
	return veto__anchor_from_json(out, d, cfg, root);
}

veto_status veto__anchor_parse(vanchor *a, veto_diag *d, const veto_config *cfg,
                         const uint8_t *json, size_t len)
{
	memset(a, 0, sizeof(*a));
	return veto__js_read_doc(a, d, cfg, json, len, cfg->max_envelope, "anchor", false, anchor_reader);
}

void veto__anchor_to_json(vbuf *b, const vanchor *a)
{
	veto__vbuf_puts(b, "{\"device\": {\"vendor\": ");
	veto__vbuf_jstrz(b, a->vendor);
	veto__vbuf_puts(b, ", \"model\": ");
	veto__vbuf_jstrz(b, a->model);
	veto__vbuf_puts(b, "}, \"keys\": ");
	veto__keys_to_json(b, a->keys, a->n_keys);
	veto__vbuf_puts(b, ", \"threshold\": ");
	veto__vbuf_u64(b, a->threshold);
	veto__vbuf_puts(b, "}");
}

veto_status veto__anchor_dup(vanchor *dst, const vanchor *src, const veto_config *cfg)
{
	*dst = *src;
	dst->keys = veto__vx_calloc(cfg, src->n_keys, sizeof(*dst->keys));
	if (dst->keys == NULL) {
		memset(dst, 0, sizeof(*dst));
		return VETO_E_NOMEM;
	}
	memcpy(dst->keys, src->keys, src->n_keys * sizeof(*dst->keys));
	return VETO_OK;
}

void veto__anchor_free(vanchor *a, const veto_config *cfg)
{
	veto__vx_free(cfg, a->keys);
	memset(a, 0, sizeof(*a));
}
