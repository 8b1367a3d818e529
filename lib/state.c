/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "report.h"
#include "state.h"

static void revs_free(vrevrole *revs, size_t n, const veto_config *cfg)
{
	if (revs == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		veto__vx_free(cfg, revs[i].updates);
		veto__vx_free(cfg, revs[i].keys);
	}
	veto__vx_free(cfg, revs);
}

/* A deep copy of src[0..n) into *out (NULL when n is 0). */
static veto_status revs_dup(vrevrole **out, const vrevrole *src, size_t n,
                            const veto_config *cfg)
{
	*out = NULL;
	if (n == 0)
		return VETO_OK;
	vrevrole *r = veto__vx_calloc(cfg, n, sizeof(*r));
	if (r == NULL)
		return VETO_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		r[i] = src[i];
		r[i].updates = veto__vx_calloc(cfg, src[i].n_updates ? src[i].n_updates : 1, 32);
		r[i].keys = veto__vx_calloc(cfg, src[i].n_keys ? src[i].n_keys : 1, 65);
		if (r[i].updates == NULL || r[i].keys == NULL) {
			revs_free(r, i + 1, cfg);
			return VETO_E_NOMEM;
		}
		if (src[i].n_updates)
			memcpy(r[i].updates, src[i].updates, src[i].n_updates * 32);
		if (src[i].n_keys)
			memcpy(r[i].keys, src[i].keys, src[i].n_keys * 65);
	}
	*out = r;
	return VETO_OK;
}

/* Whether s must be written as veto.state/1.1 (SPEC section 7). */
static bool needs_11(const veto_state *s)
{
	return s->v11 || s->has_floor || s->counter_max != s->counter || s->n_revs > 0;
}

veto_status veto__state_carry(veto_state *dst, const veto_state *src)
{
	dst->v11 = needs_11(src); /* once /1.1, always /1.1 */
	dst->has_floor = src->has_floor;
	dst->time_floor = src->time_floor;
	dst->counter_max = src->counter_max > dst->counter ? src->counter_max : dst->counter;
	revs_free(dst->revs, dst->n_revs, &dst->cfg);
	dst->n_revs = 0;
	veto_status st = revs_dup(&dst->revs, src->revs, src->n_revs, &dst->cfg);
	if (st == VETO_OK)
		dst->n_revs = src->n_revs;
	return st;
}

void veto__state_floor_raise(veto_state *s, int64_t t)
{
	if (!s->has_floor || t > s->time_floor) {
		s->has_floor = true;
		s->time_floor = t;
	}
}

void veto_state_free(veto_state *s)
{
	if (s == NULL)
		return;
	veto_config cfg = s->cfg;
	veto__anchor_free(&s->anchor, &cfg);
	if (s->penv != NULL) {
		veto__policy_free(&s->policy, &cfg);
		veto_envelope_free(s->penv);
	}
	veto__vx_free(&cfg, s->features);
	veto__vx_free(&cfg, s->feature_text);
	revs_free(s->revs, s->n_revs, &cfg);
	veto__vx_free(&cfg, s);
}

static veto_status set_features(veto_state *s, const vfeat *features, size_t n)
{
	s->features = veto__vx_calloc(&s->cfg, n ? n : 1, sizeof(*s->features));
	s->feature_text = veto__vx_calloc(&s->cfg, n ? n : 1, sizeof(*s->feature_text));
	if (s->features == NULL || s->feature_text == NULL)
		return VETO_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		s->features[i] = features[i];
		veto__feat_offered_text(s->feature_text[i], sizeof(s->feature_text[i]), &features[i]);
	}
	s->n_features = n;
	return VETO_OK;
}

/* The trusted policy's envelope and parsed payload, copied into s. */
static veto_status set_policy(veto_state *s, const veto_envelope *penv, const vpolicy *policy)
{
	s->penv = veto__env_dup(penv, &s->cfg);
	if (s->penv == NULL)
		return VETO_E_NOMEM;
	veto_status st = veto__policy_dup(&s->policy, policy, &s->cfg);
	if (st != VETO_OK) {
		veto_envelope_free(s->penv);
		s->penv = NULL; /* veto_state_free frees the policy only with penv */
		return st;
	}
	veto__cr_sha256(s->policy_sha256, s->penv->payload, s->penv->payload_len);
	return VETO_OK;
}

veto_status veto__state_make(veto_state **out, const veto_config *cfg, const vanchor *anchor,
                       const veto_envelope *penv, const vpolicy *policy, uint64_t counter,
                       const uint8_t *update_sha256, const vfeat *features, size_t n_features)
{
	*out = NULL;
	veto_state *s = veto__vx_calloc(cfg, 1, sizeof(*s));
	if (s == NULL)
		return VETO_E_NOMEM;
	s->cfg = *cfg;
	s->counter = counter;
	s->counter_max = counter;
	if (update_sha256 != NULL) {
		s->has_update = true;
		memcpy(s->update_sha256, update_sha256, 32);
	}
	veto_status st = veto__anchor_dup(&s->anchor, anchor, cfg);
	if (st == VETO_OK && penv != NULL)
		st = set_policy(s, penv, policy);
	if (st == VETO_OK)
		st = set_features(s, features, n_features);
	if (st != VETO_OK) {
		veto_state_free(s);
		return st;
	}
	*out = s;
	return VETO_OK;
}

veto_status veto_state_from_anchor(veto_state **out, veto_report *rep, const veto_config *cfg_in,
                                   const uint8_t *anchor_json, size_t anchor_len,
                                   uint64_t security_counter, const char *const *features,
                                   size_t n_features)
{
	veto_config cfg;
	vanchor a;
	vfeat *list = NULL;
	veto_diag d = {{0}};
	if (out == NULL || anchor_json == NULL || (features == NULL && n_features))
		return VETO_E_ARG;
	*out = NULL;
	if (veto__cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	veto_status st = veto__anchor_parse(&a, &d, &cfg, anchor_json, anchor_len);
	if (st != VETO_OK) {
		if (rep != NULL && st != VETO_E_NOMEM)
			veto__rep_addf(rep, VETO_R_MALFORMED_ANCHOR, "%s", d.detail);
		return st == VETO_E_LIMIT ? VETO_E_MALFORMED : st;
	}
	st = VETO_E_MALFORMED;
	if (security_counter > JS_MAX_U53) {
		if (rep != NULL)
			veto__rep_addf(rep, VETO_R_MALFORMED_STATE, "security counter above 2^53-1");
		goto done;
	}
	if (n_features > VETO_MAX_FEATURES) {
		if (rep != NULL)
			veto__rep_addf(rep, VETO_R_MALFORMED_STATE, "more than %u features", VETO_MAX_FEATURES);
		goto done;
	}
	list = veto__vx_calloc(&cfg, n_features ? n_features : 1, sizeof(*list));
	if (list == NULL) {
		st = VETO_E_NOMEM;
		goto done;
	}
	size_t good = 0, at;
	while (good < n_features && features[good] != NULL &&
	       veto__feat_parse_offered(&list[good], features[good], strlen(features[good])) == VETO_OK)
		good++;
	/* A name repeated before the first bad entry is what is reported. */
	bool twice;
	if (veto__feat_repeated(&cfg, list, good, &twice, &at) != VETO_OK) {
		st = VETO_E_NOMEM;
		goto done;
	}
	if (twice || good < n_features) {
		const char *f = good < n_features ? features[good] : NULL;
		if (rep != NULL && twice)
			veto__rep_addf(rep, VETO_R_MALFORMED_STATE, "feature \"%s\" is named twice",
			         list[at].name);
		else if (rep != NULL)
			veto__rep_addf(rep, VETO_R_MALFORMED_STATE,
			         "feature \"%.80s\" is not \"name\" or \"name@VERSION\"", f ? f : "");
		goto done;
	}
	st = veto__state_make(out, &cfg, &a, NULL, NULL, security_counter, NULL, list, n_features);
done:
	veto__vx_free(&cfg, list);
	veto__anchor_free(&a, &cfg);
	return st;
}

/* The members of a state document; all are required, some may be null. */
enum state_member {
	S_FORMAT, S_ANCHOR, S_POLICY, S_SERIAL, S_POLICY_SHA256, S_COUNTER, S_UPDATE_SHA256,
	S_FEATURES, S_TIME_FLOOR, S_COUNTER_MAX, S_REVOCATIONS
};
/* A schema table (json.h): the documents' tables look alike by design. */
static const js_field state_fields[] = {
    [S_FORMAT] = {"format", JS_STRING, true, 1, 64},
    [S_ANCHOR] = {"anchor", JS_OBJECT, true, 0, 0},
    [S_POLICY] = {"policy", JS_ANY, true, 0, 0},
    [S_SERIAL] = {"policy_serial", JS_ANY, true, 0, 0},
    [S_POLICY_SHA256] = {"policy_sha256", JS_ANY, true, 0, 0},
    [S_COUNTER] = {"security_counter", JS_U53, true, 0, 0},
    [S_UPDATE_SHA256] = {"update_sha256", JS_ANY, true, 0, 0},
    [S_FEATURES] = {"features", JS_ARRAY, true, 0, VETO_MAX_FEATURES},
    /* (1.1): required in a veto.state/1.1, refused in a veto.state/1 */
    [S_TIME_FLOOR] = {"time_floor", JS_ANY, false, 0, 0},
    [S_COUNTER_MAX] = {"counter_max", JS_U53, false, 0, 0},
    [S_REVOCATIONS] = {"revocations", JS_OBJECT, false, 0, 0},
};

static const jsval *member(const jsval *root, enum state_member which)
{
	return veto__js_get(root, state_fields[which].name);
}

static veto_status nullable_u53(veto_diag *d, bool *has, uint64_t *v, const jsval *item,
                                const char *w)
{
	*has = !veto__js_is_null(item);
	return *has ? veto__js_u53(d, v, item, w) : VETO_OK;
}

/* What a state document says, read but not yet tied together. */
typedef struct state_doc {
	vanchor anchor;
	bool has_serial, has_psha, has_usha;
	uint64_t serial, counter;
	uint8_t psha[32], usha[32];
	vfeat *features;
	size_t n_features;
	const jsval *policy;
	veto_envelope *penv;
	vpolicy p;
	bool have_p;
	/* (1.1) */
	bool v11, has_floor;
	int64_t floor;
	uint64_t counter_max;
	vrevrole *revs;
	size_t n_revs;
} state_doc;

/* One sorted, distinct list of 64-hex entries (digests or keyids) into
 * out (n bytes each: 32 decoded, or 65 as text). */
static veto_status rev_list(veto_diag *d, void **out, size_t *count, const veto_config *cfg,
                            const jsval *list, const char *where, size_t max, bool as_text)
{
	size_t size = as_text ? 65 : 32;
	const char *prev = NULL;
	veto_status st = veto__js_array_table(d, out, count, cfg, list, where, max, size);
	if (st != VETO_OK)
		return st;
	size_t i = 0;
	for (const jsval *c = veto__js_first(list); c != NULL; c = veto__js_next(c), i++) {
		const char *t;
		size_t len;
		uint8_t *slot = (uint8_t *)*out + i * size;
		if (veto__js_str(d, &t, &len, c, where, 1, 128) != VETO_OK || !veto__is_hex64(t, len)) {
			veto__diag_set(d, "%s: an entry is not 64 lowercase hex digits", where);
			return VETO_E_MALFORMED;
		}
		if (prev != NULL && strcmp(prev, t) >= 0) {
			veto__diag_set(d, "%s: entries must be sorted and distinct", where);
			return VETO_E_MALFORMED;
		}
		prev = t;
		if (as_text)
			memcpy(slot, t, 65);
		else if (veto__hex_decode(slot, 32, t, len) != VETO_OK)
			return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

/* "revocations": {"<role>": {"updates": [...], "keys": [...]}, ...} */
static veto_status state_revs(state_doc *s, veto_diag *d, const veto_config *cfg,
                              const jsval *obj)
{
	static const js_field fields[] = {{"updates", JS_ARRAY, true, 0, STATE_MAX_REV_UPDATES},
	                                  {"keys", JS_ARRAY, true, 0, STATE_MAX_REV_KEYS}};
	size_t n = veto__js_count(obj);
	char w[80];
	if (n > VETO_MAX_ROLES) {
		veto__diag_set(d, "revocations: %zu roles, above the limit of %u", n, VETO_MAX_ROLES);
		return VETO_E_MALFORMED;
	}
	s->revs = veto__vx_calloc(cfg, n ? n : 1, sizeof(*s->revs));
	if (s->revs == NULL)
		return VETO_E_NOMEM;
	for (const jsval *r = veto__js_first(obj); r != NULL; r = veto__js_next(r)) {
		vrevrole *x = &s->revs[s->n_revs++];
		const char *name = veto__js_name(r);
		void *t;
		if (!veto__role_name_ok(name, strlen(name))) {
			veto__diag_set(d, "revocations: \"%.40s\" is not a role name", name);
			return VETO_E_MALFORMED;
		}
		memcpy(x->role, name, strlen(name) + 1);
		snprintf(w, sizeof(w), "revocations.%s", x->role);
		if (veto__js_members(d, r, w, JS_FIELDS(fields)) != VETO_OK)
			return VETO_E_MALFORMED;
		snprintf(w, sizeof(w), "revocations.%s.updates", x->role);
		veto_status st = rev_list(d, &t, &x->n_updates, cfg, veto__js_get(r, "updates"), w,
		                          STATE_MAX_REV_UPDATES, false);
		x->updates = t;
		if (st != VETO_OK)
			return st;
		snprintf(w, sizeof(w), "revocations.%s.keys", x->role);
		st = rev_list(d, &t, &x->n_keys, cfg, veto__js_get(r, "keys"), w, STATE_MAX_REV_KEYS, true);
		x->keys = t;
		if (st != VETO_OK)
			return st;
	}
	return VETO_OK;
}

/* (1.1) The format, and the members a veto.state/1.1 requires (refused in
 * a veto.state/1). */
static veto_status state_format11(state_doc *s, veto_diag *d, const veto_config *cfg,
                                  const jsval *root)
{
	const char *f;
	const jsval *floor = member(root, S_TIME_FLOOR), *max = member(root, S_COUNTER_MAX);
	const jsval *revs = member(root, S_REVOCATIONS);
	if (veto__js_str(d, &f, NULL, member(root, S_FORMAT), "format", 1, 64) != VETO_OK)
		return VETO_E_MALFORMED;
	s->v11 = strcmp(f, "veto.state/1.1") == 0;
	if (!s->v11 && strcmp(f, "veto.state/1") != 0) {
		veto__diag_set(d, "format: \"%.64s\" is not \"veto.state/1\" or \"veto.state/1.1\"", f);
		return VETO_E_MALFORMED;
	}
	if (!s->v11) {
		if (floor == NULL && max == NULL && revs == NULL)
			return VETO_OK;
		veto__diag_set(d, "%s: a member of veto.state/1.1, not allowed in a veto.state/1",
		         floor ? "time_floor" : max ? "counter_max" : "revocations");
		return VETO_E_MALFORMED;
	}
	if (floor == NULL || max == NULL || revs == NULL) {
		veto__diag_set(d, "%s: required in a veto.state/1.1",
		         !floor ? "time_floor" : !max ? "counter_max" : "revocations");
		return VETO_E_MALFORMED;
	}
	s->has_floor = !veto__js_is_null(floor);
	if (s->has_floor) {
		const char *t = NULL;
		size_t len = 0;
		if (veto__js_str(d, &t, &len, floor, "time_floor", 1, 64) != VETO_OK ||
		    veto_time_parse(&s->floor, t, len) != VETO_OK) {
			veto__time_diag(d, "time_floor", t, len, true);
			return VETO_E_MALFORMED;
		}
	}
	if (veto__js_u53(d, &s->counter_max, max, "counter_max") != VETO_OK ||
	    veto__js_object(d, revs, "revocations") != VETO_OK)
		return VETO_E_MALFORMED;
	return state_revs(s, d, cfg, revs);
}

static veto_status state_members(state_doc *s, veto_diag *d, const veto_config *cfg,
                                 const jsval *root)
{
	if (veto__js_members(d, root, "state", JS_FIELDS(state_fields)) != VETO_OK)
		return VETO_E_MALFORMED;
	veto_status st = state_format11(s, d, cfg, root);
	if (st != VETO_OK)
		return st;
	st = veto__anchor_from_json(&s->anchor, d, cfg, member(root, S_ANCHOR));
	if (st != VETO_OK)
		return st;
	if (nullable_u53(d, &s->has_serial, &s->serial, member(root, S_SERIAL), "policy_serial") ||
	    veto__js_digest(d, &s->has_psha, s->psha, member(root, S_POLICY_SHA256), "policy_sha256", true) ||
	    veto__js_u53(d, &s->counter, member(root, S_COUNTER), "security_counter") ||
	    veto__js_digest(d, &s->has_usha, s->usha, member(root, S_UPDATE_SHA256), "update_sha256", true))
		return VETO_E_MALFORMED;
	st = veto__feat_list_from_json(d, &s->features, &s->n_features, cfg, member(root, S_FEATURES),
	                         "features", FEAT_OFFERED);
	if (st != VETO_OK)
		return st;
	s->policy = member(root, S_POLICY);
	bool has_policy = !veto__js_is_null(s->policy);
	if (has_policy != s->has_serial || s->has_serial != s->has_psha) {
		veto__diag_set(d, "policy, policy_serial and policy_sha256 must be all null or all set");
		return VETO_E_MALFORMED;
	}
	if (!s->v11)
		s->counter_max = s->counter;
	else if (s->counter_max < s->counter) {
		veto__diag_set(d, "counter_max %llu is below security_counter %llu",
		         (unsigned long long)s->counter_max, (unsigned long long)s->counter);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

/* The stored policy: its digest, its schema, its serial and its device
 * must all agree with the rest of the state. */
static veto_status state_policy(state_doc *s, veto_diag *d, const veto_config *cfg)
{
	uint8_t h[32];
	veto_status st = veto__env_from_json(&s->penv, d, cfg, s->policy);
	if (st != VETO_OK)
		return st;
	if (!veto__env_type_is(s->penv, VETO_TYPE_POLICY)) {
		veto__diag_set(d, "policy: the stored envelope is not a policy");
		return VETO_E_MALFORMED;
	}
	veto__cr_sha256(h, s->penv->payload, s->penv->payload_len);
	if (!veto__cr_equal(h, s->psha, 32)) {
		veto__diag_set(d, "policy: the stored policy's payload digest differs from policy_sha256");
		return VETO_E_MALFORMED;
	}
	st = veto__policy_parse(&s->p, d, cfg, s->penv->payload, s->penv->payload_len, VKEY_CHECK_NOW);
	if (st != VETO_OK)
		return st;
	s->have_p = true;
	if (s->p.serial != s->serial) {
		veto__diag_set(d, "policy_serial %llu differs from the stored policy's serial %llu",
		         (unsigned long long)s->serial, (unsigned long long)s->p.serial);
		return VETO_E_MALFORMED;
	}
	if (strcmp(s->p.vendor, s->anchor.vendor) != 0 ||
	    strcmp(s->p.model, s->anchor.model) != 0) {
		veto__diag_set(d, "the stored policy governs another device than the anchor's");
		return VETO_E_MALFORMED;
	}
	if (s->p.v11 && !s->v11) {
		veto__diag_set(d, "a veto.state/1 cannot hold a veto.policy/1.1");
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

/* The state made from what the document says. */
static veto_status state_build(state_doc *s, veto_state **out, const veto_config *cfg)
{
	veto_status st = veto__state_make(out, cfg, &s->anchor, s->penv, s->have_p ? &s->p : NULL,
	                            s->counter, s->has_usha ? s->usha : NULL, s->features,
	                            s->n_features);
	if (st != VETO_OK)
		return st;
	veto_state *x = *out;
	x->v11 = s->v11;
	x->has_floor = s->has_floor;
	x->time_floor = s->floor;
	x->counter_max = s->counter_max;
	x->revs = s->revs; /* handed over */
	x->n_revs = s->n_revs;
	s->revs = NULL;
	s->n_revs = 0;
	return VETO_OK;
}

/* A state document into a new state (js_reader: out is a veto_state **). */
static veto_status state_from_json(void *out, veto_diag *d, const veto_config *cfg,
                                   const jsval *root)
{
	state_doc s;
	memset(&s, 0, sizeof(s));
	veto_status st = state_members(&s, d, cfg, root);
	if (st == VETO_OK && s.has_serial)
		st = state_policy(&s, d, cfg);
	if (st == VETO_OK)
		st = state_build(&s, out, cfg);
	revs_free(s.revs, s.n_revs, cfg);
	if (s.have_p)
		veto__policy_free(&s.p, cfg);
	veto_envelope_free(s.penv);
	veto__vx_free(cfg, s.features);
	veto__anchor_free(&s.anchor, cfg);
	return st;
}

veto_status veto_state_parse(veto_state **out, veto_report *rep, const veto_config *cfg_in,
                             const uint8_t *json, size_t len)
{
	veto_config cfg;
	veto_diag d = {{0}};
	if (out == NULL || json == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (veto__cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	/* A stored policy envelope and a full feature list fit well inside. */
	veto_status st = veto__js_read_doc(out, &d, &cfg, json, len, cfg.max_envelope + 256 * 1024,
	                             "state", false, state_from_json);
	if (st != VETO_OK && st != VETO_E_NOMEM) {
		if (rep != NULL)
			veto__rep_addf(rep, VETO_R_MALFORMED_STATE, "%s", d.detail);
		st = VETO_E_MALFORMED;
	}
	return st;
}

/* (1.1) The members a veto.state/1.1 adds, after "features". */
static void format11(vbuf *b, const veto_state *s)
{
	char text[65];
	veto__vbuf_puts(b, ",\n \"time_floor\": ");
	if (s->has_floor && veto_time_format(text, s->time_floor) == VETO_OK)
		veto__vbuf_jstrz(b, text);
	else
		veto__vbuf_puts(b, "null");
	veto__vbuf_puts(b, ", \"counter_max\": ");
	veto__vbuf_u64(b, s->counter_max);
	veto__vbuf_puts(b, ",\n \"revocations\": {");
	for (size_t r = 0; r < s->n_revs; r++) {
		const vrevrole *x = &s->revs[r];
		veto__vbuf_puts(b, r ? ", " : "");
		veto__vbuf_jstrz(b, x->role);
		veto__vbuf_puts(b, ": {\"updates\": [");
		for (size_t i = 0; i < x->n_updates; i++) {
			veto__hex_encode(text, x->updates[i], 32);
			veto__vbuf_puts(b, i ? ", " : "");
			veto__vbuf_jstrz(b, text);
		}
		veto__vbuf_puts(b, "], \"keys\": [");
		for (size_t i = 0; i < x->n_keys; i++) {
			veto__vbuf_puts(b, i ? ", " : "");
			veto__vbuf_jstrz(b, x->keys[i]);
		}
		veto__vbuf_puts(b, "]}");
	}
	veto__vbuf_puts(b, "}");
}

veto_status veto_state_format(char **out, size_t *out_len, const veto_state *s)
{
	vbuf b;
	char hex[65];
	if (out == NULL || s == NULL)
		return VETO_E_ARG;
	*out = NULL;
	veto__vbuf_init(&b, &s->cfg);
	veto__vbuf_puts(&b, needs_11(s) ? "{\"format\": \"veto.state/1.1\",\n \"anchor\": "
	                          : "{\"format\": \"veto.state/1\",\n \"anchor\": ");
	veto__anchor_to_json(&b, &s->anchor);
	veto__vbuf_puts(&b, ",\n \"policy\": ");
	if (s->penv != NULL) {
		veto__env_to_json(&b, s->penv);
		veto__vbuf_puts(&b, ",\n \"policy_serial\": ");
		veto__vbuf_u64(&b, s->policy.serial);
		veto__hex_encode(hex, s->policy_sha256, 32);
		veto__vbuf_puts(&b, ", \"policy_sha256\": ");
		veto__vbuf_jstrz(&b, hex);
	} else {
		veto__vbuf_puts(&b, "null,\n \"policy_serial\": null, \"policy_sha256\": null");
	}
	veto__vbuf_puts(&b, ",\n \"security_counter\": ");
	veto__vbuf_u64(&b, s->counter);
	veto__vbuf_puts(&b, ", \"update_sha256\": ");
	if (s->has_update) {
		veto__hex_encode(hex, s->update_sha256, 32);
		veto__vbuf_jstrz(&b, hex);
	} else {
		veto__vbuf_puts(&b, "null");
	}
	veto__vbuf_puts(&b, ",\n \"features\": [");
	for (size_t i = 0; i < s->n_features; i++) {
		if (i)
			veto__vbuf_puts(&b, ", ");
		veto__vbuf_jstrz(&b, s->feature_text[i]);
	}
	veto__vbuf_puts(&b, "]");
	if (needs_11(s))
		format11(&b, s);
	veto__vbuf_puts(&b, "}\n");
	return veto__vbuf_finish(&b, out, out_len);
}

const char *veto_state_vendor(const veto_state *s)
{
	return s ? s->anchor.vendor : NULL;
}

const char *veto_state_model(const veto_state *s)
{
	return s ? s->anchor.model : NULL;
}

uint64_t veto_state_security_counter(const veto_state *s)
{
	return s ? s->counter : 0;
}

int veto_state_policy_serial(const veto_state *s, uint64_t *serial)
{
	if (s == NULL || s->penv == NULL)
		return 0;
	if (serial != NULL)
		*serial = s->policy.serial;
	return 1;
}

size_t veto_state_feature_count(const veto_state *s)
{
	return s ? s->n_features : 0;
}

const char *veto_state_feature(const veto_state *s, size_t i)
{
	return s && i < s->n_features ? s->feature_text[i] : NULL;
}

uint64_t veto_state_counter_max(const veto_state *s)
{
	return s ? s->counter_max : 0;
}

int veto_state_time_floor(const veto_state *s, int64_t *floor)
{
	if (s == NULL || !s->has_floor)
		return 0;
	if (floor != NULL)
		*floor = s->time_floor;
	return 1;
}

size_t veto_state_revocation_roles(const veto_state *s)
{
	return s != NULL ? s->n_revs : 0;
}

const char *veto_state_revocation_role(const veto_state *s, size_t i)
{
	return s != NULL && i < s->n_revs ? s->revs[i].role : NULL;
}

size_t veto_state_revoked_update_count(const veto_state *s, size_t i)
{
	return s != NULL && i < s->n_revs ? s->revs[i].n_updates : 0;
}

const uint8_t *veto_state_revoked_update(const veto_state *s, size_t i, size_t j)
{
	return s != NULL && i < s->n_revs && j < s->revs[i].n_updates ? s->revs[i].updates[j] : NULL;
}

size_t veto_state_revoked_key_count(const veto_state *s, size_t i)
{
	return s != NULL && i < s->n_revs ? s->revs[i].n_keys : 0;
}

const char *veto_state_revoked_key(const veto_state *s, size_t i, size_t j)
{
	return s != NULL && i < s->n_revs && j < s->revs[i].n_keys ? s->revs[i].keys[j] : NULL;
}
