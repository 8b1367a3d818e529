/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "envelope.h"
#include "policy.h"
#include "update.h"

static void env_free(veto_envelope *e)
{
	if (e == NULL)
		return;
	veto_config cfg = e->cfg;
	vx_free(&cfg, e->type);
	vx_free(&cfg, e->payload);
	vx_free(&cfg, e->sigs);
	vx_free(&cfg, e->pae);
	vx_free(&cfg, e);
}

void veto_envelope_free(veto_envelope *e)
{
	env_free(e);
}

veto_status env_from_json(veto_envelope **out, veto_diag *d, const veto_config *cfg,
                          const cJSON *obj)
{
	static const char *const members[] = {"payloadType", "payload", "signatures"};
	static const char *const sig_members[] = {"keyid", "sig"};
	const char *type, *payload;
	size_t type_len, payload_len, n_sigs;
	veto_envelope *e;

	*out = NULL;
	if (js_members(d, obj, "envelope", members, 3, 3) != 0 ||
	    js_str(d, &type, &type_len, js_get(obj, "payloadType"), "payloadType", 0, SIZE_MAX) != 0 ||
	    js_str(d, &payload, &payload_len, js_get(obj, "payload"), "payload", 0, SIZE_MAX) != 0)
		return VETO_E_MALFORMED;
	if (js_array(d, &n_sigs, js_get(obj, "signatures"), "signatures", SIZE_MAX) != 0)
		return VETO_E_MALFORMED;
	if (n_sigs > cfg->max_signatures) {
		diag_set(d, "signatures: %zu entries, above the limit of %u", n_sigs,
		         cfg->max_signatures);
		return VETO_E_LIMIT;
	}

	e = vx_calloc(cfg, 1, sizeof(*e));
	if (e == NULL)
		return VETO_E_NOMEM;
	e->cfg = *cfg;
	e->type = vx_strndup(cfg, type, type_len);
	e->type_len = type_len;
	e->payload = vx_alloc(cfg, payload_len / 4 * 3 + 3);
	e->sigs = vx_calloc(cfg, n_sigs ? n_sigs : 1, sizeof(*e->sigs));
	if (e->type == NULL || e->payload == NULL || e->sigs == NULL) {
		env_free(e);
		return VETO_E_NOMEM;
	}
	if (cr_b64_decode(e->payload, payload_len / 4 * 3 + 3, &e->payload_len, payload,
	                  payload_len) != 0) {
		diag_set(d, "payload: not valid base64 (standard or URL-safe alphabet, no whitespace)");
		env_free(e);
		return VETO_E_MALFORMED;
	}
	size_t i = 0;
	for (const cJSON *s = js_get(obj, "signatures")->child; s != NULL; s = s->next, i++) {
		char w[32];
		const char *kid, *sig;
		size_t kidlen, siglen, n;
		snprintf(w, sizeof(w), "signatures[%zu]", i);
		if (js_members(d, s, w, sig_members, 2, 2) != 0 ||
		    js_str(d, &kid, &kidlen, js_get(s, "keyid"), "keyid", 0, 128) != 0 ||
		    js_str(d, &sig, &siglen, js_get(s, "sig"), "sig", 0, 128) != 0)
			goto bad;
		if (!is_hex64(kid, kidlen)) {
			diag_set(d, "%s.keyid: not 64 lowercase hex digits", w);
			goto bad;
		}
		if (cr_b64_decode(e->sigs[i].sig, 64, &n, sig, siglen) != 0 || n != 64) {
			diag_set(d, "%s.sig: not the base64 of a 64-byte signature", w);
			goto bad;
		}
		memcpy(e->sigs[i].keyid, kid, 65);
	}
	e->n_sigs = n_sigs;
	*out = e;
	return VETO_OK;
bad:
	env_free(e);
	return VETO_E_MALFORMED;
}

veto_status env_parse(veto_envelope **out, veto_diag *d, const veto_config *cfg,
                      const uint8_t *json, size_t len)
{
	cJSON *root;
	*out = NULL;
	if (len > cfg->max_envelope) {
		diag_set(d, "envelope of %zu bytes, above the limit of %zu", len, cfg->max_envelope);
		return VETO_E_LIMIT;
	}
	veto_status st = js_parse(&root, d, cfg, json, len, cfg->max_depth);
	if (st != VETO_OK)
		return st;
	st = env_from_json(out, d, cfg, root);
	cJSON_Delete(root);
	return st;
}

veto_status veto_envelope_parse(veto_envelope **out, veto_diag *d, const veto_config *cfg,
                                const uint8_t *json, size_t len)
{
	veto_config c;
	if (out == NULL || json == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	cfg_resolve(&c, cfg);
	return env_parse(out, d, &c, json, len);
}

int env_type_is(const veto_envelope *e, const char *type)
{
	size_t n = strlen(type);
	return e->type_len == n && memcmp(e->type, type, n) == 0;
}

veto_status veto_pae(uint8_t *out, size_t cap, size_t *out_len, const char *type,
                     size_t type_len, const uint8_t *payload, size_t payload_len)
{
	char a[24], b[24];
	if (out_len == NULL || (type == NULL && type_len) || (payload == NULL && payload_len))
		return VETO_E_ARG;
	int na = snprintf(a, sizeof(a), "%zu", type_len);
	int nb = snprintf(b, sizeof(b), "%zu", payload_len);
	size_t fixed = 6 + 1 + (size_t)na + 1 + 1 + (size_t)nb + 1;
	if (type_len > SIZE_MAX - fixed || payload_len > SIZE_MAX - fixed - type_len)
		return VETO_E_LIMIT;
	size_t need = fixed + type_len + payload_len;
	*out_len = need;
	if (out == NULL || cap < need)
		return VETO_E_BUFFER;
	uint8_t *p = out;
	/* NOLINTNEXTLINE(bugprone-not-null-terminated-result): PAE is bytes with a length, not a C string */
	memcpy(p, "DSSEv1 ", 7), p += 7;
	memcpy(p, a, (size_t)na), p += na;
	*p++ = ' ';
	if (type_len)
		memcpy(p, type, type_len), p += type_len;
	*p++ = ' ';
	memcpy(p, b, (size_t)nb), p += nb;
	*p++ = ' ';
	if (payload_len)
		memcpy(p, payload, payload_len);
	return VETO_OK;
}

/* PAE(type, payload) in a new buffer; VETO_E_NOMEM or VETO_E_LIMIT. */
static veto_status pae_alloc(uint8_t **out, size_t *out_len, const veto_config *cfg,
                             const char *type, size_t type_len, const uint8_t *payload,
                             size_t payload_len)
{
	size_t need = 0;
	*out = NULL;
	veto_status st = veto_pae(NULL, 0, &need, type, type_len, payload, payload_len);
	if (st != VETO_E_BUFFER)
		return st == VETO_OK ? VETO_E_LIMIT : st;
	uint8_t *p = vx_alloc(cfg, need);
	if (p == NULL)
		return VETO_E_NOMEM;
	st = veto_pae(p, need, out_len, type, type_len, payload, payload_len);
	if (st != VETO_OK) {
		vx_free(cfg, p);
		return st;
	}
	*out = p;
	return VETO_OK;
}

/* The bytes signatures cover, built once. */
static int env_pae(veto_envelope *e)
{
	if (e->pae != NULL)
		return 0;
	return pae_alloc(&e->pae, &e->pae_len, &e->cfg, e->type, e->type_len, e->payload,
	                 e->payload_len) == VETO_OK ? 0 : -1;
}

static int sig_verifies(veto_envelope *e, size_t i, const uint8_t pk[32])
{
	if (e->sigs[i].verified == 0)
		e->sigs[i].verified = cr_verify(e->sigs[i].sig, e->pae, e->pae_len, pk) ? 1 : -1;
	return e->sigs[i].verified == 1;
}

int env_count(veto_envelope *e, vkey *keys, const uint16_t *idx, size_t n)
{
	int count = 0;
	if (env_pae(e) != 0)
		return -1;
	for (size_t k = 0; k < n; k++) {
		vkey *key = &keys[idx ? idx[k] : k];
		/* A key counts once, however many of its signatures verify. */
		for (size_t i = 0; i < e->n_sigs; i++) {
			if (strcmp(e->sigs[i].keyid, key->keyid) == 0 && sig_verifies(e, i, key->pk)) {
				if (!key->valid)
					key->valid = 1; /* keys already known good are never written */
				count++;
				break;
			}
		}
	}
	return count;
}

void env_to_json(vbuf *b, const veto_envelope *e)
{
	vbuf_puts(b, "{\"payloadType\": ");
	vbuf_jstr(b, e->type, e->type_len);
	vbuf_puts(b, ", \"payload\": ");
	vbuf_jb64(b, e->payload, e->payload_len);
	vbuf_puts(b, ", \"signatures\": [");
	for (size_t i = 0; i < e->n_sigs; i++) {
		vbuf_puts(b, i ? ", {\"keyid\": " : "{\"keyid\": ");
		vbuf_jstrz(b, e->sigs[i].keyid);
		vbuf_puts(b, ", \"sig\": ");
		vbuf_jb64(b, e->sigs[i].sig, 64);
		vbuf_puts(b, "}");
	}
	vbuf_puts(b, "]}");
}

veto_envelope *env_dup(const veto_envelope *src, const veto_config *cfg)
{
	veto_envelope *e = vx_calloc(cfg, 1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->cfg = *cfg;
	e->type = vx_strndup(cfg, src->type, src->type_len);
	e->type_len = src->type_len;
	e->payload = vx_alloc(cfg, src->payload_len);
	e->sigs = vx_calloc(cfg, src->n_sigs ? src->n_sigs : 1, sizeof(*e->sigs));
	if (e->type == NULL || e->payload == NULL || e->sigs == NULL) {
		env_free(e);
		return NULL;
	}
	if (src->payload_len)
		memcpy(e->payload, src->payload, src->payload_len);
	e->payload_len = src->payload_len;
	if (src->n_sigs)
		memcpy(e->sigs, src->sigs, src->n_sigs * sizeof(*e->sigs));
	e->n_sigs = src->n_sigs;
	return e;
}

/* ---- inspection ----------------------------------------------------------- */

const char *veto_envelope_type(const veto_envelope *e)
{
	return e ? e->type : NULL;
}

const uint8_t *veto_envelope_payload(const veto_envelope *e, size_t *len)
{
	if (e == NULL)
		return NULL;
	if (len != NULL)
		*len = e->payload_len;
	return e->payload;
}

size_t veto_envelope_sig_count(const veto_envelope *e)
{
	return e ? e->n_sigs : 0;
}

const char *veto_envelope_sig_keyid(const veto_envelope *e, size_t i)
{
	return e && i < e->n_sigs ? e->sigs[i].keyid : NULL;
}

int veto_envelope_sig_verifies(const veto_envelope *e, size_t i,
                               const uint8_t pk[VETO_PUBLICKEYBYTES])
{
	char kid[65];
	uint8_t *pae;
	size_t len;
	if (e == NULL || pk == NULL || i >= e->n_sigs || cr_init() != 0)
		return 0;
	keyid_of(kid, pk);
	if (strcmp(kid, e->sigs[i].keyid) != 0)
		return 0;
	if (pae_alloc(&pae, &len, &e->cfg, e->type, e->type_len, e->payload, e->payload_len) !=
	    VETO_OK)
		return 0;
	int ok = cr_verify(e->sigs[i].sig, pae, len, pk);
	vx_free(&e->cfg, pae);
	return ok;
}

/* ---- signing -------------------------------------------------------------- */

/* The payload must be a valid policy or update; returns its type. */
static veto_status payload_check(const char **type, veto_diag *d, const veto_config *cfg,
                                 const uint8_t *payload, size_t len)
{
	cJSON *root;
	const char *format;
	veto_status st = js_parse(&root, d, cfg, payload, len, cfg->max_depth);
	if (st != VETO_OK)
		return st;
	const cJSON *f = js_get(root, "format");
	if (js_str(d, &format, NULL, f, "format", 1, 64) != 0) {
		cJSON_Delete(root);
		return VETO_E_MALFORMED;
	}
	if (strcmp(format, "veto.policy/1") == 0) {
		vpolicy p;
		cJSON_Delete(root);
		st = policy_parse(&p, d, cfg, payload, len, 0);
		if (st == VETO_OK)
			policy_free(&p, cfg);
		*type = VETO_TYPE_POLICY;
		return st;
	}
	if (strcmp(format, "veto.update/1") == 0) {
		vupdate u;
		cJSON_Delete(root);
		st = update_parse(&u, d, cfg, payload, len);
		if (st == VETO_OK)
			update_free(&u, cfg);
		*type = VETO_TYPE_UPDATE;
		return st;
	}
	diag_set(d, "format: \"%.64s\" is neither \"veto.policy/1\" nor \"veto.update/1\"", format);
	cJSON_Delete(root);
	return VETO_E_MALFORMED;
}

static veto_status sign_entry(vsig *s, const char *type, const uint8_t *payload, size_t len,
                              const uint8_t seed[32], const veto_config *cfg)
{
	uint8_t pk[32];
	uint8_t *pae;
	size_t n;
	veto_status st = pae_alloc(&pae, &n, cfg, type, strlen(type), payload, len);
	if (st != VETO_OK)
		return st;
	st = VETO_E_CRYPTO;
	if (cr_public_from_seed(pk, seed) == 0 && cr_sign(s->sig, pae, n, seed) == 0) {
		keyid_of(s->keyid, pk);
		s->verified = 1;
		st = VETO_OK;
	}
	vx_free(cfg, pae);
	return st;
}

veto_status veto_sign(char **out, size_t *out_len, veto_diag *d, const veto_config *cfg_in,
                      const uint8_t *payload, size_t payload_len,
                      const uint8_t seed[VETO_SEEDBYTES])
{
	veto_config cfg;
	const char *type = NULL;
	vsig s;
	if (out == NULL || payload == NULL || seed == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	cfg_resolve(&cfg, cfg_in);
	if (payload_len > cfg.max_envelope) {
		diag_set(d, "payload of %zu bytes, above the envelope limit of %zu", payload_len,
		         cfg.max_envelope);
		return VETO_E_LIMIT;
	}
	veto_status st = payload_check(&type, d, &cfg, payload, payload_len);
	if (st != VETO_OK)
		return st;
	st = sign_entry(&s, type, payload, payload_len, seed, &cfg);
	if (st != VETO_OK)
		return st;
	/* A view over the caller's payload, only to be written out. */
	veto_envelope e = {.cfg = cfg,
	                   .type = (char *)(uintptr_t)type, /* NOLINT(performance-no-int-to-ptr): read-only view, only serialised */
	                   .type_len = strlen(type),
	                   .payload = (uint8_t *)(uintptr_t)payload, /* NOLINT(performance-no-int-to-ptr): read-only view, only serialised */
	                   .payload_len = payload_len,
	                   .sigs = &s,
	                   .n_sigs = 1};
	vbuf b;
	vbuf_init(&b, &cfg);
	env_to_json(&b, &e);
	vbuf_puts(&b, "\n");
	if (!b.nomem && b.len > cfg.max_envelope) {
		vbuf_free(&b);
		diag_set(d, "the envelope would exceed the limit of %zu bytes", cfg.max_envelope);
		return VETO_E_LIMIT;
	}
	return vbuf_finish(&b, out, out_len);
}

veto_status veto_cosign(char **out, size_t *out_len, int *added, veto_diag *d,
                        const veto_config *cfg_in, const uint8_t *envelope, size_t envelope_len,
                        const uint8_t seed[VETO_SEEDBYTES])
{
	veto_config cfg;
	veto_envelope *e = NULL;
	const char *type = NULL;
	uint8_t pk[32];
	char kid[65];
	vsig s;
	if (out == NULL || added == NULL || envelope == NULL || seed == NULL)
		return VETO_E_ARG;
	*out = NULL;
	*added = 0;
	if (cr_init() != 0 || cr_public_from_seed(pk, seed) != 0)
		return VETO_E_CRYPTO;
	cfg_resolve(&cfg, cfg_in);
	veto_status st = env_parse(&e, d, &cfg, envelope, envelope_len);
	if (st != VETO_OK)
		return st;
	if (!env_type_is(e, VETO_TYPE_POLICY) && !env_type_is(e, VETO_TYPE_UPDATE)) {
		diag_set(d, "payloadType \"%.64s\" is not a veto policy or update", e->type);
		st = VETO_E_TYPE;
		goto done;
	}
	st = payload_check(&type, d, &cfg, e->payload, e->payload_len);
	if (st != VETO_OK)
		goto done;
	if (strcmp(type, e->type) != 0) {
		diag_set(d, "payloadType \"%.64s\" does not match the payload's format", e->type);
		st = VETO_E_TYPE;
		goto done;
	}
	keyid_of(kid, pk);
	vkey me;
	memcpy(me.pk, pk, 32);
	memcpy(me.keyid, kid, 65);
	int have = env_count(e, &me, NULL, 1);
	if (have < 0) {
		st = VETO_E_NOMEM;
		goto done;
	}
	if (have == 0) {
		st = sign_entry(&s, e->type, e->payload, e->payload_len, seed, &cfg);
		if (st != VETO_OK)
			goto done;
		/* Replace an entry of this keyid that does not verify, else append. */
		size_t at = e->n_sigs;
		for (size_t i = 0; i < e->n_sigs; i++)
			if (strcmp(e->sigs[i].keyid, kid) == 0) {
				at = i;
				break;
			}
		if (at == e->n_sigs) {
			if (e->n_sigs >= cfg.max_signatures) {
				diag_set(d, "the envelope already holds %zu signatures, the limit", e->n_sigs);
				st = VETO_E_LIMIT;
				goto done;
			}
			vsig *grown = vx_calloc(&cfg, e->n_sigs + 1, sizeof(*grown));
			if (grown == NULL) {
				st = VETO_E_NOMEM;
				goto done;
			}
			if (e->n_sigs)
				memcpy(grown, e->sigs, e->n_sigs * sizeof(*grown));
			vx_free(&cfg, e->sigs);
			e->sigs = grown;
			e->n_sigs++;
		}
		e->sigs[at] = s;
		*added = 1;
	}
	vbuf b;
	vbuf_init(&b, &cfg);
	env_to_json(&b, e);
	vbuf_puts(&b, "\n");
	if (!b.nomem && b.len > cfg.max_envelope) {
		vbuf_free(&b);
		diag_set(d, "the envelope would exceed the limit of %zu bytes", cfg.max_envelope);
		*added = 0;
		st = VETO_E_LIMIT;
		goto done;
	}
	st = vbuf_finish(&b, out, out_len);
done:
	env_free(e);
	return st;
}
