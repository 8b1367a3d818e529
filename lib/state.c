/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "report.h"
#include "state.h"

void veto_state_free(veto_state *s)
{
	if (s == NULL)
		return;
	veto_config cfg = s->cfg;
	anchor_free(&s->anchor, &cfg);
	if (s->penv != NULL) {
		policy_free(&s->policy, &cfg);
		veto_envelope_free(s->penv);
	}
	vx_free(&cfg, s->features);
	vx_free(&cfg, s->feature_text);
	vx_free(&cfg, s);
}

static veto_status set_features(veto_state *s, const vfeat *features, size_t n)
{
	s->features = vx_calloc(&s->cfg, n ? n : 1, sizeof(*s->features));
	s->feature_text = vx_calloc(&s->cfg, n ? n : 1, sizeof(*s->feature_text));
	if (s->features == NULL || s->feature_text == NULL)
		return VETO_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		s->features[i] = features[i];
		feat_offered_text(s->feature_text[i], sizeof(s->feature_text[i]), &features[i]);
	}
	s->n_features = n;
	return VETO_OK;
}

/* The trusted policy's envelope and parsed payload, copied into s. */
static veto_status set_policy(veto_state *s, const veto_envelope *penv, const vpolicy *policy)
{
	s->penv = env_dup(penv, &s->cfg);
	if (s->penv == NULL)
		return VETO_E_NOMEM;
	veto_status st = policy_dup(&s->policy, policy, &s->cfg);
	if (st != VETO_OK) {
		veto_envelope_free(s->penv);
		s->penv = NULL; /* veto_state_free frees the policy only with penv */
		return st;
	}
	cr_sha256(s->policy_sha256, s->penv->payload, s->penv->payload_len);
	return VETO_OK;
}

veto_status state_make(veto_state **out, const veto_config *cfg, const vanchor *anchor,
                       const veto_envelope *penv, const vpolicy *policy, uint64_t counter,
                       const uint8_t *update_sha256, const vfeat *features, size_t n_features)
{
	*out = NULL;
	veto_state *s = vx_calloc(cfg, 1, sizeof(*s));
	if (s == NULL)
		return VETO_E_NOMEM;
	s->cfg = *cfg;
	s->counter = counter;
	if (update_sha256 != NULL) {
		s->has_update = true;
		memcpy(s->update_sha256, update_sha256, 32);
	}
	veto_status st = anchor_dup(&s->anchor, anchor, cfg);
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
	if (cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	veto_status st = anchor_parse(&a, &d, &cfg, anchor_json, anchor_len);
	if (st != VETO_OK) {
		if (rep != NULL && st != VETO_E_NOMEM)
			rep_addf(rep, VETO_R_MALFORMED_ANCHOR, "%s", d.detail);
		return st == VETO_E_LIMIT ? VETO_E_MALFORMED : st;
	}
	st = VETO_E_MALFORMED;
	if (security_counter > JS_MAX_U53) {
		if (rep != NULL)
			rep_addf(rep, VETO_R_MALFORMED_STATE, "security counter above 2^53-1");
		goto done;
	}
	if (n_features > VETO_MAX_FEATURES) {
		if (rep != NULL)
			rep_addf(rep, VETO_R_MALFORMED_STATE, "more than %u features", VETO_MAX_FEATURES);
		goto done;
	}
	list = vx_calloc(&cfg, n_features ? n_features : 1, sizeof(*list));
	if (list == NULL) {
		st = VETO_E_NOMEM;
		goto done;
	}
	size_t good = 0, at;
	while (good < n_features && features[good] != NULL &&
	       feat_parse_offered(&list[good], features[good], strlen(features[good])) == VETO_OK)
		good++;
	/* A name repeated before the first bad entry is what is reported. */
	bool twice;
	if (feat_repeated(&cfg, list, good, &twice, &at) != VETO_OK) {
		st = VETO_E_NOMEM;
		goto done;
	}
	if (twice || good < n_features) {
		const char *f = good < n_features ? features[good] : NULL;
		if (rep != NULL && twice)
			rep_addf(rep, VETO_R_MALFORMED_STATE, "feature \"%s\" is named twice",
			         list[at].name);
		else if (rep != NULL)
			rep_addf(rep, VETO_R_MALFORMED_STATE,
			         "feature \"%.80s\" is not \"name\" or \"name@VERSION\"", f ? f : "");
		goto done;
	}
	st = state_make(out, &cfg, &a, NULL, NULL, security_counter, NULL, list, n_features);
done:
	vx_free(&cfg, list);
	anchor_free(&a, &cfg);
	return st;
}

/* The members of a state document; all are required, some may be null. */
enum state_member {
	S_FORMAT, S_ANCHOR, S_POLICY, S_SERIAL, S_POLICY_SHA256, S_COUNTER, S_UPDATE_SHA256,
	S_FEATURES
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
};

static const jsval *member(const jsval *root, enum state_member which)
{
	return js_get(root, state_fields[which].name);
}

static veto_status nullable_u53(veto_diag *d, bool *has, uint64_t *v, const jsval *item,
                                const char *w)
{
	*has = !js_is_null(item);
	return *has ? js_u53(d, v, item, w) : VETO_OK;
}

static veto_status nullable_hex(veto_diag *d, bool *has, uint8_t out[32], const jsval *item,
                                const char *w)
{
	const char *s;
	size_t len;
	*has = !js_is_null(item);
	if (!*has)
		return VETO_OK;
	if (js_str(d, &s, &len, item, w, 1, 128) != VETO_OK || hex_decode(out, 32, s, len) != VETO_OK) {
		diag_set(d, "%s: not null nor 64 lowercase hex digits", w);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
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
} state_doc;

static veto_status state_members(state_doc *s, veto_diag *d, const veto_config *cfg,
                                 const jsval *root)
{
	if (js_members(d, root, "state", JS_FIELDS(state_fields)) != VETO_OK ||
	    js_format(d, root, "veto.state/1") != VETO_OK)
		return VETO_E_MALFORMED;
	veto_status st = anchor_from_json(&s->anchor, d, cfg, member(root, S_ANCHOR));
	if (st != VETO_OK)
		return st;
	if (nullable_u53(d, &s->has_serial, &s->serial, member(root, S_SERIAL), "policy_serial") ||
	    nullable_hex(d, &s->has_psha, s->psha, member(root, S_POLICY_SHA256), "policy_sha256") ||
	    js_u53(d, &s->counter, member(root, S_COUNTER), "security_counter") ||
	    nullable_hex(d, &s->has_usha, s->usha, member(root, S_UPDATE_SHA256), "update_sha256"))
		return VETO_E_MALFORMED;
	st = feat_list_from_json(d, &s->features, &s->n_features, cfg, member(root, S_FEATURES),
	                         "features", FEAT_OFFERED);
	if (st != VETO_OK)
		return st;
	s->policy = member(root, S_POLICY);
	bool has_policy = !js_is_null(s->policy);
	if (has_policy != s->has_serial || s->has_serial != s->has_psha) {
		diag_set(d, "policy, policy_serial and policy_sha256 must be all null or all set");
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

/* The stored policy: its digest, its schema, its serial and its device
 * must all agree with the rest of the state. */
static veto_status state_policy(state_doc *s, veto_diag *d, const veto_config *cfg)
{
	uint8_t h[32];
	veto_status st = env_from_json(&s->penv, d, cfg, s->policy);
	if (st != VETO_OK)
		return st;
	if (!env_type_is(s->penv, VETO_TYPE_POLICY)) {
		diag_set(d, "policy: the stored envelope is not a policy");
		return VETO_E_MALFORMED;
	}
	cr_sha256(h, s->penv->payload, s->penv->payload_len);
	if (!cr_equal(h, s->psha, 32)) {
		diag_set(d, "policy: the stored policy's payload digest differs from policy_sha256");
		return VETO_E_MALFORMED;
	}
	st = policy_parse(&s->p, d, cfg, s->penv->payload, s->penv->payload_len, VKEY_CHECK_NOW);
	if (st != VETO_OK)
		return st;
	s->have_p = true;
	if (s->p.serial != s->serial) {
		diag_set(d, "policy_serial %llu differs from the stored policy's serial %llu",
		         (unsigned long long)s->serial, (unsigned long long)s->p.serial);
		return VETO_E_MALFORMED;
	}
	if (strcmp(s->p.vendor, s->anchor.vendor) != 0 ||
	    strcmp(s->p.model, s->anchor.model) != 0) {
		diag_set(d, "the stored policy governs another device than the anchor's");
		return VETO_E_MALFORMED;
	}
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
		st = state_make(out, cfg, &s.anchor, s.penv, s.have_p ? &s.p : NULL, s.counter,
		                s.has_usha ? s.usha : NULL, s.features, s.n_features);
	if (s.have_p)
		policy_free(&s.p, cfg);
	veto_envelope_free(s.penv);
	vx_free(cfg, s.features);
	anchor_free(&s.anchor, cfg);
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
	if (cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	/* A stored policy envelope and a full feature list fit well inside. */
	veto_status st = js_read_doc(out, &d, &cfg, json, len, cfg.max_envelope + 256 * 1024,
	                             "state", false, state_from_json);
	if (st != VETO_OK && st != VETO_E_NOMEM) {
		if (rep != NULL)
			rep_addf(rep, VETO_R_MALFORMED_STATE, "%s", d.detail);
		st = VETO_E_MALFORMED;
	}
	return st;
}

veto_status veto_state_format(char **out, size_t *out_len, const veto_state *s)
{
	vbuf b;
	char hex[65];
	if (out == NULL || s == NULL)
		return VETO_E_ARG;
	*out = NULL;
	vbuf_init(&b, &s->cfg);
	vbuf_puts(&b, "{\"format\": \"veto.state/1\",\n \"anchor\": ");
	anchor_to_json(&b, &s->anchor);
	vbuf_puts(&b, ",\n \"policy\": ");
	if (s->penv != NULL) {
		env_to_json(&b, s->penv);
		vbuf_puts(&b, ",\n \"policy_serial\": ");
		vbuf_u64(&b, s->policy.serial);
		hex_encode(hex, s->policy_sha256, 32);
		vbuf_puts(&b, ", \"policy_sha256\": ");
		vbuf_jstrz(&b, hex);
	} else {
		vbuf_puts(&b, "null,\n \"policy_serial\": null, \"policy_sha256\": null");
	}
	vbuf_puts(&b, ",\n \"security_counter\": ");
	vbuf_u64(&b, s->counter);
	vbuf_puts(&b, ", \"update_sha256\": ");
	if (s->has_update) {
		hex_encode(hex, s->update_sha256, 32);
		vbuf_jstrz(&b, hex);
	} else {
		vbuf_puts(&b, "null");
	}
	vbuf_puts(&b, ",\n \"features\": [");
	for (size_t i = 0; i < s->n_features; i++) {
		if (i)
			vbuf_puts(&b, ", ");
		vbuf_jstrz(&b, s->feature_text[i]);
	}
	vbuf_puts(&b, "]}\n");
	return vbuf_finish(&b, out, out_len);
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
