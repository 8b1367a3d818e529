/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "policy.h"

_Static_assert(VETO_MAX_KEYS <= 65535, "role key indexes are 16-bit");

int device_from_json(veto_diag *d, char vendor[65], char model[65], const cJSON *obj,
                     const char *where)
{
	static const char *const members[] = {"vendor", "model"};
	const char *v, *m;
	size_t vl, ml;
	char w[64];
	if (js_members(d, obj, where, members, 2, 2) != 0)
		return -1;
	snprintf(w, sizeof(w), "%s.vendor", where);
	if (js_str(d, &v, &vl, js_get(obj, "vendor"), w, 1, 64) != 0)
		return -1;
	if (!ident_ok(v, vl)) {
		diag_set(d, "%s: \"%.64s\" is not a vendor name ([a-z0-9][a-z0-9._-]{0,63})", w, v);
		return -1;
	}
	snprintf(w, sizeof(w), "%s.model", where);
	if (js_str(d, &m, &ml, js_get(obj, "model"), w, 1, 64) != 0)
		return -1;
	if (!ident_ok(m, ml)) {
		diag_set(d, "%s: \"%.64s\" is not a model name ([a-z0-9][a-z0-9._-]{0,63})", w, m);
		return -1;
	}
	memcpy(vendor, v, vl + 1);
	memcpy(model, m, ml + 1);
	return 0;
}

static int threshold_ok(veto_diag *d, unsigned *out, const cJSON *item, size_t n_keys,
                        const char *where)
{
	uint64_t t;
	if (js_u53(d, &t, item, where) != 0)
		return -1;
	size_t max = n_keys < 64 ? n_keys : 64;
	/* cppcheck-suppress knownConditionTrueFalse ; max is n_keys capped at 64, not always 0 */
	if (t < 1 || t > max) {
		diag_set(d, "%s: %llu is outside 1..%zu (the number of keys, at most 64)", where,
		         (unsigned long long)t, max);
		return -1;
	}
	*out = (unsigned)t;
	return 0;
}

static int role_index(const vpolicy *p, const char *name)
{
	for (size_t i = 0; i < p->n_roles; i++)
		if (strcmp(p->roles[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int parse_roles(veto_diag *d, vpolicy *p, const veto_config *cfg, const cJSON *roles)
{
	static const char *const members[] = {"keys", "threshold"};
	if (js_object(d, roles, "roles") != 0)
		return -1;
	size_t n = js_count(roles);
	if (n > VETO_MAX_ROLES) {
		diag_set(d, "roles: %zu roles, above the limit of %u", n, VETO_MAX_ROLES);
		return -1;
	}
	p->roles = vx_calloc(cfg, n ? n : 1, sizeof(*p->roles));
	if (p->roles == NULL)
		return -2;
	for (const cJSON *r = roles->child; r != NULL; r = r->next) {
		vrole *role = &p->roles[p->n_roles];
		char w[64];
		size_t nk, len = strlen(r->string);
		if (!role_name_ok(r->string, len)) {
			diag_set(d, "roles: \"%.40s\" is not a role name ([a-z0-9-]{1,32})", r->string);
			return -1;
		}
		memcpy(role->name, r->string, len + 1);
		p->n_roles++;
		snprintf(w, sizeof(w), "roles.%s", role->name);
		if (js_members(d, r, w, members, 2, 2) != 0)
			return -1;
		snprintf(w, sizeof(w), "roles.%s.keys", role->name);
		if (js_array(d, &nk, js_get(r, "keys"), w, VETO_MAX_KEYS) != 0)
			return -1;
		role->keys = vx_calloc(cfg, nk ? nk : 1, sizeof(*role->keys));
		if (role->keys == NULL)
			return -2;
		for (const cJSON *k = js_get(r, "keys")->child; k != NULL; k = k->next) {
			const char *kid;
			if (js_str(d, &kid, NULL, k, w, 1, 128) != 0)
				return -1;
			int at = keys_find(p->keys, p->n_keys, kid);
			if (at < 0) {
				diag_set(d, "%s: keyid %.70s is not in \"keys\"", w, kid);
				return -1;
			}
			for (size_t j = 0; j < role->n_keys; j++)
				if (role->keys[j] == (uint16_t)at) {
					diag_set(d, "%s: keyid %.70s is listed twice", w, kid);
					return -1;
				}
			role->keys[role->n_keys++] = (uint16_t)at;
		}
		snprintf(w, sizeof(w), "roles.%s.threshold", role->name);
		if (threshold_ok(d, &role->threshold, js_get(r, "threshold"), role->n_keys, w) != 0)
			return -1;
	}
	int owner = role_index(p, "owner"), vendor = role_index(p, "vendor");
	if (owner < 0 || vendor < 0) {
		diag_set(d, "roles: the \"%s\" role is missing", owner < 0 ? "owner" : "vendor");
		return -1;
	}
	p->owner = (size_t)owner;
	p->vendor_role = (size_t)vendor;
	return 0;
}

/* A list of distinct existing role names; sets the flag at `field`. */
static int parse_role_list(veto_diag *d, vpolicy *p, const cJSON *list, const char *where,
                           int waiver)
{
	size_t n;
	if (js_array(d, &n, list, where, VETO_MAX_ROLES) != 0)
		return -1;
	for (const cJSON *c = list->child; c != NULL; c = c->next) {
		const char *name;
		if (js_str(d, &name, NULL, c, where, 1, VETO_ROLE_MAX) != 0)
			return -1;
		int at = role_index(p, name);
		if (at < 0) {
			diag_set(d, "%s: role \"%.32s\" is not defined in \"roles\"", where, name);
			return -1;
		}
		uint8_t *flag = waiver ? &p->roles[at].waiver : &p->roles[at].required;
		if (*flag) {
			diag_set(d, "%s: role \"%.32s\" is listed twice", where, name);
			return -1;
		}
		*flag = 1;
	}
	return 0;
}

static int parse_protected(veto_diag *d, vpolicy *p, const veto_config *cfg, const cJSON *list)
{
	size_t n;
	if (js_array(d, &n, list, "protected_features", VETO_MAX_FEATURES) != 0)
		return -1;
	p->protect = vx_calloc(cfg, n ? n : 1, sizeof(*p->protect));
	if (p->protect == NULL)
		return -2;
	for (const cJSON *c = list->child; c != NULL; c = c->next) {
		const char *s;
		size_t len;
		vfeat *f = &p->protect[p->n_protect];
		if (js_str(d, &s, &len, c, "protected_features", 1, VETO_FEATURE_MAX) != 0)
			return -1;
		if (feat_parse_protected(f, s, len) != 0) {
			diag_set(d, "protected_features: \"%.80s\" is not \"name\" or \"name>=VERSION\"", s);
			return -1;
		}
		for (size_t j = 0; j < p->n_protect; j++)
			if (strcmp(p->protect[j].name, f->name) == 0) {
				diag_set(d, "protected_features: \"%s\" appears twice", f->name);
				return -1;
			}
		p->n_protect++;
	}
	return 0;
}

static int parse_digests(veto_diag *d, vpolicy *p, const cJSON *list)
{
	size_t n;
	if (js_array(d, &n, list, "digests", 2) != 0)
		return -1;
	if (n == 0) {
		diag_set(d, "digests: must not be empty");
		return -1;
	}
	p->digests = 0;
	for (const cJSON *c = list->child; c != NULL; c = c->next) {
		const char *s;
		unsigned bit;
		if (js_str(d, &s, NULL, c, "digests", 1, 16) != 0)
			return -1;
		if (strcmp(s, "sha256") == 0)
			bit = DIGEST_SHA256;
		else if (strcmp(s, "blake2b-256") == 0)
			bit = DIGEST_BLAKE2B;
		else {
			diag_set(d, "digests: \"%.16s\" is not \"sha256\" or \"blake2b-256\"", s);
			return -1;
		}
		if (p->digests & bit) {
			diag_set(d, "digests: \"%s\" is listed twice", s);
			return -1;
		}
		p->digests |= bit;
	}
	return 0;
}

static int parse_expires(veto_diag *d, vpolicy *p, const cJSON *item)
{
	const char *s;
	size_t len;
	if (cJSON_IsNull(item)) {
		p->has_expires = 0;
		return 0;
	}
	if (js_str(d, &s, &len, item, "expires", 20, 20) != 0 ||
	    veto_time_parse(&p->expires, s, len) != VETO_OK) {
		diag_set(d, "expires: not null nor a time of the form YYYY-MM-DDTHH:MM:SSZ");
		return -1;
	}
	p->has_expires = 1;
	return 0;
}

static int policy_from_json(veto_diag *d, vpolicy *p, const veto_config *cfg, const cJSON *root,
                            int check_keys)
{
	static const char *const members[] = {
	    "format", "serial", "expires", "device", "keys", "roles", "require",
	    "protected_features", "removal_requires",
	    /* optional */
	    "min_security_counter", "max_image_size", "digests"};
	const char *format;
	int rc;
	if (js_members(d, root, "policy", members, 12, 9) != 0)
		return -1;
	if (js_str(d, &format, NULL, js_get(root, "format"), "format", 1, 64) != 0)
		return -1;
	if (strcmp(format, "veto.policy/1") != 0) {
		diag_set(d, "format: \"%.64s\" is not \"veto.policy/1\"", format);
		return -1;
	}
	if (js_u53(d, &p->serial, js_get(root, "serial"), "serial") != 0 ||
	    parse_expires(d, p, js_get(root, "expires")) != 0 ||
	    device_from_json(d, p->vendor, p->model, js_get(root, "device"), "device") != 0)
		return -1;
	if ((rc = keys_from_json(d, &p->keys, &p->n_keys, cfg, js_get(root, "keys"), "keys",
	                         check_keys)) != 0)
		return rc;
	if ((rc = parse_roles(d, p, cfg, js_get(root, "roles"))) != 0)
		return rc;
	if (parse_role_list(d, p, js_get(root, "require"), "require", 0) != 0)
		return -1;
	if (!p->roles[p->vendor_role].required) {
		diag_set(d, "require: must contain \"vendor\"");
		return -1;
	}
	if ((rc = parse_protected(d, p, cfg, js_get(root, "protected_features"))) != 0)
		return rc;
	if (parse_role_list(d, p, js_get(root, "removal_requires"), "removal_requires", 1) != 0)
		return -1;
	/* A vendor can never waive its own removal: no waiving role may hold
	 * a key of the vendor role. */
	const vrole *vendor = &p->roles[p->vendor_role];
	for (size_t r = 0; r < p->n_roles; r++) {
		if (!p->roles[r].waiver)
			continue;
		p->n_waiver++;
		for (size_t i = 0; i < p->roles[r].n_keys; i++)
			for (size_t j = 0; j < vendor->n_keys; j++)
				if (p->roles[r].keys[i] == vendor->keys[j]) {
					diag_set(d, "removal_requires: role \"%s\" holds a key of the vendor role",
					         p->roles[r].name);
					return -1;
				}
	}
	p->min_counter = 0;
	p->max_image = 4294967296ULL;
	p->digests = DIGEST_SHA256 | DIGEST_BLAKE2B;
	const cJSON *it;
	if ((it = js_get(root, "min_security_counter")) != NULL &&
	    js_u53(d, &p->min_counter, it, "min_security_counter") != 0)
		return -1;
	if ((it = js_get(root, "max_image_size")) != NULL &&
	    js_u53(d, &p->max_image, it, "max_image_size") != 0)
		return -1;
	if ((it = js_get(root, "digests")) != NULL && parse_digests(d, p, it) != 0)
		return -1;
	return 0;
}

int policy_keys_check(vpolicy *p, veto_diag *d)
{
	return keys_check(d, p->keys, p->n_keys, "keys");
}

veto_status policy_parse(vpolicy *p, veto_diag *d, const veto_config *cfg,
                         const uint8_t *payload, size_t len, unsigned flags)
{
	cJSON *root;
	memset(p, 0, sizeof(*p));
	veto_status st = js_parse(&root, d, cfg, payload, len, cfg->max_depth);
	if (st != VETO_OK)
		return st;
	int rc = policy_from_json(d, p, cfg, root, !(flags & POLICY_KEYS_LATER));
	cJSON_Delete(root);
	if (rc != 0) {
		policy_free(p, cfg);
		if (rc == -2)
			diag_set(d, "out of memory");
		return rc == -2 ? VETO_E_NOMEM : VETO_E_MALFORMED;
	}
	return VETO_OK;
}

veto_status policy_dup(vpolicy *dst, const vpolicy *src, const veto_config *cfg)
{
	*dst = *src;
	dst->keys = vx_calloc(cfg, src->n_keys, sizeof(*dst->keys));
	dst->roles = vx_calloc(cfg, src->n_roles ? src->n_roles : 1, sizeof(*dst->roles));
	dst->protect = vx_calloc(cfg, src->n_protect ? src->n_protect : 1, sizeof(*dst->protect));
	if (dst->keys == NULL || dst->roles == NULL || dst->protect == NULL)
		goto nomem;
	memcpy(dst->keys, src->keys, src->n_keys * sizeof(*dst->keys));
	if (src->n_protect)
		memcpy(dst->protect, src->protect, src->n_protect * sizeof(*dst->protect));
	for (size_t i = 0; i < src->n_roles; i++) {
		const vrole *r = &src->roles[i];
		dst->roles[i] = *r;
		dst->roles[i].keys = vx_calloc(cfg, r->n_keys ? r->n_keys : 1, sizeof(*r->keys));
		if (dst->roles[i].keys == NULL) {
			dst->n_roles = i; /* free only the roles copied so far */
			goto nomem;
		}
		memcpy(dst->roles[i].keys, r->keys, r->n_keys * sizeof(*r->keys));
	}
	return VETO_OK;
nomem:
	policy_free(dst, cfg);
	return VETO_E_NOMEM;
}

void policy_free(vpolicy *p, const veto_config *cfg)
{
	if (p->roles != NULL)
		for (size_t i = 0; i < p->n_roles; i++)
			vx_free(cfg, p->roles[i].keys);
	vx_free(cfg, p->roles);
	vx_free(cfg, p->keys);
	vx_free(cfg, p->protect);
	memset(p, 0, sizeof(*p));
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
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	cfg_resolve(&cfg, cfg_in);
	veto_status st = policy_parse(&p, d, &cfg, payload, payload_len, 0);
	if (st != VETO_OK)
		return st;
	*keys = vx_calloc(&cfg, p.n_keys, sizeof(**keys));
	if (*keys == NULL) {
		policy_free(&p, &cfg);
		return VETO_E_NOMEM;
	}
	for (size_t i = 0; i < p.n_keys; i++)
		memcpy((*keys)[i], p.keys[i].pk, 32);
	*n_keys = p.n_keys;
	policy_free(&p, &cfg);
	return VETO_OK;
}

/* ---- anchors ------------------------------------------------------------- */

veto_status anchor_from_json(vanchor *a, veto_diag *d, const veto_config *cfg, const cJSON *obj)
{
	static const char *const members[] = {"device", "keys", "threshold"};
	memset(a, 0, sizeof(*a));
	if (js_members(d, obj, "anchor", members, 3, 3) != 0 ||
	    device_from_json(d, a->vendor, a->model, js_get(obj, "device"), "anchor.device") != 0)
		return VETO_E_MALFORMED;
	int rc = keys_from_json(d, &a->keys, &a->n_keys, cfg, js_get(obj, "keys"), "anchor.keys", 1);
	if (rc != 0)
		return rc == -2 ? VETO_E_NOMEM : VETO_E_MALFORMED;
	if (threshold_ok(d, &a->threshold, js_get(obj, "threshold"), a->n_keys, "anchor.threshold")) {
		anchor_free(a, cfg);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

veto_status anchor_parse(vanchor *a, veto_diag *d, const veto_config *cfg,
                         const uint8_t *json, size_t len)
{
	cJSON *root;
	memset(a, 0, sizeof(*a));
	if (len > cfg->max_envelope) {
		diag_set(d, "anchor of %zu bytes, above the limit of %zu", len, cfg->max_envelope);
		return VETO_E_LIMIT;
	}
	veto_status st = js_parse(&root, d, cfg, json, len, cfg->max_depth);
	if (st != VETO_OK)
		return st;
	st = anchor_from_json(a, d, cfg, root);
	cJSON_Delete(root);
	return st;
}

void anchor_to_json(vbuf *b, const vanchor *a)
{
	vbuf_puts(b, "{\"device\": {\"vendor\": ");
	vbuf_jstrz(b, a->vendor);
	vbuf_puts(b, ", \"model\": ");
	vbuf_jstrz(b, a->model);
	vbuf_puts(b, "}, \"keys\": ");
	keys_to_json(b, a->keys, a->n_keys);
	vbuf_puts(b, ", \"threshold\": ");
	vbuf_u64(b, a->threshold);
	vbuf_puts(b, "}");
}

veto_status anchor_dup(vanchor *dst, const vanchor *src, const veto_config *cfg)
{
	*dst = *src;
	dst->keys = vx_calloc(cfg, src->n_keys, sizeof(*dst->keys));
	if (dst->keys == NULL) {
		memset(dst, 0, sizeof(*dst));
		return VETO_E_NOMEM;
	}
	memcpy(dst->keys, src->keys, src->n_keys * sizeof(*dst->keys));
	return VETO_OK;
}

void anchor_free(vanchor *a, const veto_config *cfg)
{
	vx_free(cfg, a->keys);
	memset(a, 0, sizeof(*a));
}
