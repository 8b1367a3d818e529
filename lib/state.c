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

veto_status state_make(veto_state **out, const veto_config *cfg, const vanchor *anchor,
                       const veto_envelope *penv, const vpolicy *policy, uint64_t counter,
                       const uint8_t *update_sha256, const vfeat *features, size_t n_features)
{
	*out = NULL;
	veto_state *s = vx_calloc(cfg, 1, sizeof(*s));
	if (s == NULL)
		return VETO_E_NOMEM;
	s->cfg = *cfg;
	veto_status st = anchor_dup(&s->anchor, anchor, cfg);
	if (st != VETO_OK)
		goto fail;
	if (penv != NULL) {
		s->penv = env_dup(penv, cfg);
		if (s->penv == NULL) {
			st = VETO_E_NOMEM;
			goto fail;
		}
		st = policy_dup(&s->policy, policy, cfg);
		if (st != VETO_OK) {
			veto_envelope_free(s->penv);
			s->penv = NULL;
			goto fail;
		}
		/* What the state records as policy_sha256. */
		cr_sha256(s->policy.payload_sha256, s->penv->payload, s->penv->payload_len);
	}
	s->counter = counter;
	if (update_sha256 != NULL) {
		s->has_update = 1;
		memcpy(s->update_sha256, update_sha256, 32);
	}
	st = set_features(s, features, n_features);
	if (st != VETO_OK)
		goto fail;
	*out = s;
	return VETO_OK;
fail:
	veto_state_free(s);
	return st;
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
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	cfg_resolve(&cfg, cfg_in);
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
	for (size_t i = 0; i < n_features; i++) {
		const char *f = features[i];
		if (f == NULL || feat_parse_offered(&list[i], f, strlen(f)) != 0) {
			if (rep != NULL)
				rep_addf(rep, VETO_R_MALFORMED_STATE,
				         "feature \"%.80s\" is not \"name\" or \"name@VERSION\"", f ? f : "");
			goto done;
		}
		if (feat_find(list, i, list[i].name) >= 0) {
			if (rep != NULL)
				rep_addf(rep, VETO_R_MALFORMED_STATE, "feature \"%s\" is named twice",
				         list[i].name);
			goto done;
		}
	}
	st = state_make(out, &cfg, &a, NULL, NULL, security_counter, NULL, list, n_features);
done:
	vx_free(&cfg, list);
	anchor_free(&a, &cfg);
	return st;
}

static int nullable_u53(veto_diag *d, int *has, uint64_t *v, const cJSON *item, const char *w)
{
	*has = !cJSON_IsNull(item);
	return *has ? js_u53(d, v, item, w) : 0;
}

static int nullable_hex(veto_diag *d, int *has, uint8_t out[32], const cJSON *item, const char *w)
{
	const char *s;
	size_t len;
	*has = !cJSON_IsNull(item);
	if (!*has)
		return 0;
	if (js_str(d, &s, &len, item, w, 1, 128) != 0 || hex_decode(out, 32, s, len) != 0) {
		diag_set(d, "%s: not null nor 64 lowercase hex digits", w);
		return -1;
	}
	return 0;
}

static veto_status state_from_json(veto_state **out, veto_diag *d, const veto_config *cfg,
                                   const cJSON *root)
{
	static const char *const members[] = {"format", "anchor", "policy", "policy_serial",
	                                      "policy_sha256", "security_counter",
	                                      "update_sha256", "features"};
	const char *format;
	vanchor a;
	veto_envelope *penv = NULL;
	vpolicy p = {0};
	vfeat *features = NULL;
	size_t n_features = 0;
	uint64_t serial = 0, counter;
	uint8_t psha[32], usha[32];
	int has_serial, has_psha, has_usha, have_p = 0;
	veto_status st = VETO_E_MALFORMED;

	if (js_members(d, root, "state", members, 8, 8) != 0 ||
	    js_str(d, &format, NULL, js_get(root, "format"), "format", 1, 64) != 0)
		return VETO_E_MALFORMED;
	if (strcmp(format, "veto.state/1") != 0) {
		diag_set(d, "format: \"%.64s\" is not \"veto.state/1\"", format);
		return VETO_E_MALFORMED;
	}
	memset(&a, 0, sizeof(a));
	st = anchor_from_json(&a, d, cfg, js_get(root, "anchor"));
	if (st != VETO_OK)
		return st;
	st = VETO_E_MALFORMED;
	if (nullable_u53(d, &has_serial, &serial, js_get(root, "policy_serial"), "policy_serial") ||
	    nullable_hex(d, &has_psha, psha, js_get(root, "policy_sha256"), "policy_sha256") ||
	    js_u53(d, &counter, js_get(root, "security_counter"), "security_counter") ||
	    nullable_hex(d, &has_usha, usha, js_get(root, "update_sha256"), "update_sha256"))
		goto done;
	int rc = feat_list_from_json(d, &features, &n_features, cfg, js_get(root, "features"),
	                             "features", 0);
	if (rc != 0) {
		st = rc == -2 ? VETO_E_NOMEM : VETO_E_MALFORMED;
		goto done;
	}
	const cJSON *pol = js_get(root, "policy");
	if (cJSON_IsNull(pol) != !has_serial || !has_serial != !has_psha) {
		diag_set(d, "policy, policy_serial and policy_sha256 must be all null or all set");
		goto done;
	}
	if (has_serial) {
		uint8_t h[32];
		st = env_from_json(&penv, d, cfg, pol);
		if (st != VETO_OK)
			goto done;
		st = VETO_E_MALFORMED;
		if (!env_type_is(penv, VETO_TYPE_POLICY)) {
			diag_set(d, "policy: the stored envelope is not a policy");
			goto done;
		}
		cr_sha256(h, penv->payload, penv->payload_len);
		if (!cr_equal(h, psha, 32)) {
			diag_set(d, "policy: the stored policy's payload digest differs from policy_sha256");
			goto done;
		}
		st = policy_parse(&p, d, cfg, penv->payload, penv->payload_len, 0);
		if (st != VETO_OK)
			goto done;
		have_p = 1;
		st = VETO_E_MALFORMED;
		if (p.serial != serial) {
			diag_set(d, "policy_serial %llu differs from the stored policy's serial %llu",
			         (unsigned long long)serial, (unsigned long long)p.serial);
			goto done;
		}
		if (strcmp(p.vendor, a.vendor) != 0 || strcmp(p.model, a.model) != 0) {
			diag_set(d, "the stored policy governs another device than the anchor's");
			goto done;
		}
	}
	st = state_make(out, cfg, &a, penv, have_p ? &p : NULL, counter, has_usha ? usha : NULL,
	                features, n_features);
done:
	if (have_p)
		policy_free(&p, cfg);
	veto_envelope_free(penv);
	vx_free(cfg, features);
	anchor_free(&a, cfg);
	return st;
}

veto_status veto_state_parse(veto_state **out, veto_report *rep, const veto_config *cfg_in,
                             const uint8_t *json, size_t len)
{
	veto_config cfg;
	veto_diag d = {{0}};
	cJSON *root = NULL;
	if (out == NULL || json == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	cfg_resolve(&cfg, cfg_in);
	veto_status st;
	/* A stored policy envelope and a full feature list fit well inside. */
	if (len > cfg.max_envelope + 256 * 1024) {
		diag_set(&d, "state of %zu bytes is above the limit", len);
		st = VETO_E_MALFORMED;
	} else {
		st = js_parse(&root, &d, &cfg, json, len, cfg.max_depth);
		if (st == VETO_OK)
			st = state_from_json(out, &d, &cfg, root);
		cJSON_Delete(root);
	}
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
		hex_encode(hex, s->policy.payload_sha256, 32);
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
