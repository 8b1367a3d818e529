/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "envelope.h"
#include "policy.h"
#include "revocation.h"
#include "update.h"

static void env_free(veto_envelope *e)
{
	if (e == NULL)
		return;
	veto_config cfg = e->cfg;
	veto__vx_free(&cfg, e->type);
	veto__vx_free(&cfg, e->payload);
	veto__vx_free(&cfg, e->sigs);
	veto__vx_free(&cfg, e->pae);
	veto__vx_free(&cfg, e);
}

void veto_envelope_free(veto_envelope *e)
{
	env_free(e);
}

/* One entry of "signatures" into s. */
static veto_status sig_from_json(veto_diag *d, vsig *s, const jsval *obj, size_t i)
{
	static const js_field fields[] = {{"keyid", JS_STRING, true, 0, 128},
	                                  {"sig", JS_STRING, true, 0, 128}};
	char w[32], wk[40], ws[40];
	js_got kid, sig;
	size_t n;
	snprintf(w, sizeof(w), "signatures[%zu]", i);
	snprintf(wk, sizeof(wk), "%s.keyid", w);
	snprintf(ws, sizeof(ws), "%s.sig", w);
	if (veto__js_members(d, obj, w, JS_FIELDS(fields)) != VETO_OK ||
	    veto__js_field_read(d, &kid, obj, &fields[0], wk) != VETO_OK ||
	    veto__js_field_read(d, &sig, obj, &fields[1], ws) != VETO_OK)
		return VETO_E_MALFORMED;
	if (!veto__is_hex64(kid.str, kid.len)) {
		veto__diag_set(d, "%s.keyid: not 64 lowercase hex digits", w);
		return VETO_E_MALFORMED;
	}
	if (veto__cr_b64_decode(s->sig, 64, &n, sig.str, sig.len) != VETO_OK || n != 64) {
		veto__diag_set(d, "%s.sig: not the base64 of a 64-byte signature", w);
		return VETO_E_MALFORMED;
	}
	memcpy(s->keyid, kid.str, 65);
	return VETO_OK;
}

enum env_member { E_TYPE, E_PAYLOAD, E_SIGNATURES };
static const js_field env_fields[] = {
    [E_TYPE] = {"payloadType", JS_STRING, true, 0, SIZE_MAX},
    [E_PAYLOAD] = {"payload", JS_STRING, true, 0, SIZE_MAX},
    [E_SIGNATURES] = {"signatures", JS_ARRAY, true, 0, SIZE_MAX},
};

veto_status veto__env_from_json(veto_envelope **out, veto_diag *d, const veto_config *cfg,
                          const jsval *obj)
{
	js_got type, payload, sigs;
	*out = NULL;
	if (veto__js_members(d, obj, "envelope", JS_FIELDS(env_fields)) != VETO_OK ||
	    veto__js_field_read(d, &type, obj, &env_fields[E_TYPE], NULL) != VETO_OK ||
	    veto__js_field_read(d, &payload, obj, &env_fields[E_PAYLOAD], NULL) != VETO_OK ||
	    veto__js_field_read(d, &sigs, obj, &env_fields[E_SIGNATURES], NULL) != VETO_OK)
		return VETO_E_MALFORMED;
	if (sigs.len > cfg->max_signatures) {
		veto__diag_set(d, "signatures: %zu entries, above the limit of %u", sigs.len,
		         cfg->max_signatures);
		return VETO_E_LIMIT;
	}
	veto_envelope *e = veto__vx_calloc(cfg, 1, sizeof(*e));
	if (e == NULL)
		return VETO_E_NOMEM;
	size_t cap = payload.len / 4 * 3 + 3;
	e->cfg = *cfg;
	e->type = veto__vx_strndup(cfg, type.str, type.len);
	e->type_len = type.len;
	e->payload = veto__vx_alloc(cfg, cap);
	e->sigs = veto__vx_calloc(cfg, sigs.len ? sigs.len : 1, sizeof(*e->sigs));
	if (e->type == NULL || e->payload == NULL || e->sigs == NULL) {
		env_free(e);
		return VETO_E_NOMEM;
	}
	if (veto__cr_b64_decode(e->payload, cap, &e->payload_len, payload.str, payload.len) != VETO_OK) {
		veto__diag_set(d, "payload: not valid base64 (standard or URL-safe alphabet, no whitespace)");
		env_free(e);
		return VETO_E_MALFORMED;
	}
	size_t i = 0;
	for (const jsval *s = veto__js_first(sigs.item); s != NULL; s = veto__js_next(s), i++) {
		if (sig_from_json(d, &e->sigs[i], s, i) != VETO_OK) {
			env_free(e);
			return VETO_E_MALFORMED;
		}
	}
	e->n_sigs = sigs.len;
	*out = e;
	return VETO_OK;
}

static veto_status env_reader(void *out, veto_diag *d, const veto_config *cfg,
                              const jsval *root)
{
	return veto__env_from_json(out, d, cfg, root);
}

veto_status veto__env_parse(veto_envelope **out, veto_diag *d, const veto_config *cfg,
                      const uint8_t *json, size_t len)
{
	*out = NULL;
	return veto__js_read_doc(out, d, cfg, json, len, cfg->max_envelope, "envelope", false,
	                   env_reader);
}

veto_status veto_envelope_parse(veto_envelope **out, veto_diag *d, const veto_config *cfg,
                                const uint8_t *json, size_t len)
{
	veto_config c;
	if (out == NULL || json == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (veto__cfg_enter(&c, cfg) != VETO_OK)
		return VETO_E_CRYPTO;
	return veto__env_parse(out, d, &c, json, len);
}

bool veto__env_type_is(const veto_envelope *e, const char *type)
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
	uint8_t *p = veto__vx_alloc(cfg, need);
	if (p == NULL)
		return VETO_E_NOMEM;
	st = veto_pae(p, need, out_len, type, type_len, payload, payload_len);
	if (st != VETO_OK) {
		veto__vx_free(cfg, p);
		return st;
	}
	*out = p;
	return VETO_OK;
}

/* The bytes signatures cover, built once. */
static veto_status env_pae(veto_envelope *e)
{
	if (e->pae != NULL)
		return VETO_OK;
	return pae_alloc(&e->pae, &e->pae_len, &e->cfg, e->type, e->type_len, e->payload,
	                 e->payload_len);
}

static bool sig_verifies(veto_envelope *e, size_t i, const uint8_t pk[32])
{
	if (e->sigs[i].state == VSIG_UNTRIED)
		e->sigs[i].state = veto__cr_verify(e->sigs[i].sig, e->pae, e->pae_len, pk) ? VSIG_VERIFIES
		                                                                     : VSIG_FAILS;
	return e->sigs[i].state == VSIG_VERIFIES;
}

veto_status veto__env_count(veto_envelope *e, vkey *keys, const uint16_t *idx, size_t n,
                      size_t *count_out)
{
	size_t count = 0;
	*count_out = 0;
	/* Building the signed bytes fails only for want of memory: a payload
	 * that fits in memory has a PAE length that fits in size_t. */
	if (env_pae(e) != VETO_OK)
		return VETO_E_NOMEM;
	for (size_t k = 0; k < n; k++) {
		vkey *key = &keys[idx ? idx[k] : k];
		/* A key counts once, however many of its signatures verify. */
		for (size_t i = 0; i < e->n_sigs; i++) {
			if (strcmp(e->sigs[i].keyid, key->keyid) == 0 && sig_verifies(e, i, key->pk)) {
				if (!key->valid)
					key->valid = true; /* keys already known good are never written */
				count++;
				break;
			}
		}
	}
	*count_out = count;
	return VETO_OK;
}

void veto__env_to_json(vbuf *b, const veto_envelope *e)
{
	veto__vbuf_puts(b, "{\"payloadType\": ");
	veto__vbuf_jstr(b, e->type, e->type_len);
	veto__vbuf_puts(b, ", \"payload\": ");
	veto__vbuf_jb64(b, e->payload, e->payload_len);
	veto__vbuf_puts(b, ", \"signatures\": [");
	for (size_t i = 0; i < e->n_sigs; i++) {
		veto__vbuf_puts(b, i ? ", {\"keyid\": " : "{\"keyid\": ");
		veto__vbuf_jstrz(b, e->sigs[i].keyid);
		veto__vbuf_puts(b, ", \"sig\": ");
		veto__vbuf_jb64(b, e->sigs[i].sig, 64);
		veto__vbuf_puts(b, "}");
	}
	veto__vbuf_puts(b, "]}");
}

veto_envelope *veto__env_dup(const veto_envelope *src, const veto_config *cfg)
{
	veto_envelope *e = veto__vx_calloc(cfg, 1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->cfg = *cfg;
	e->type = veto__vx_strndup(cfg, src->type, src->type_len);
	e->type_len = src->type_len;
	e->payload = veto__vx_alloc(cfg, src->payload_len);
	e->sigs = veto__vx_calloc(cfg, src->n_sigs ? src->n_sigs : 1, sizeof(*e->sigs));
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
	if (e == NULL || pk == NULL || i >= e->n_sigs || veto__cr_init() != VETO_OK)
		return 0;
	veto__keyid_of(kid, pk);
	if (strcmp(kid, e->sigs[i].keyid) != 0)
		return 0;
	if (pae_alloc(&pae, &len, &e->cfg, e->type, e->type_len, e->payload, e->payload_len) !=
	    VETO_OK)
		return 0;
	bool ok = veto__cr_verify(e->sigs[i].sig, pae, len, pk);
	veto__vx_free(&e->cfg, pae);
	return ok;
}

/* ---- signing -------------------------------------------------------------- */

/* The payload's "format" (js_reader): out points to a buffer of 65. */
static veto_status format_reader(void *out, veto_diag *d, const veto_config *cfg,
                                 const jsval *root)
{
	const char *format;
	size_t len;
	(void)cfg;
	if (veto__js_str(d, &format, &len, veto__js_get(root, "format"), "format", 1, 64) != VETO_OK)
		return VETO_E_MALFORMED;
	memcpy(out, format, len + 1);
	return VETO_OK;
}

/* The payload must be a valid policy or update; returns its type. */
static veto_status payload_check(const char **type, veto_diag *d, const veto_config *cfg,
                                 const uint8_t *payload, size_t len)
{
	char format[65];
	veto_status st = veto__js_read_doc(format, d, cfg, payload, len, 0, "payload", false,
	                             format_reader);
	if (st != VETO_OK)
		return st;
	if (strcmp(format, "veto.policy/1") == 0 || strcmp(format, "veto.policy/1.1") == 0) {
		vpolicy p;
		st = veto__policy_parse(&p, d, cfg, payload, len, VKEY_CHECK_NOW);
		if (st == VETO_OK)
			veto__policy_free(&p, cfg);
		*type = VETO_TYPE_POLICY;
		return st;
	}
	if (strcmp(format, "veto.update/1") == 0) {
		vupdate u;
		st = veto__update_parse(&u, d, cfg, payload, len);
		if (st == VETO_OK)
			veto__update_free(&u, cfg);
		*type = VETO_TYPE_UPDATE;
		return st;
	}
	if (strcmp(format, "veto.revocation/1") == 0) { /* (1.1) SPEC 5.3 */
		vrevdoc *r = veto__vx_calloc(cfg, 1, sizeof(*r));
		if (r == NULL)
			return VETO_E_NOMEM;
		st = veto__rev_parse(r, d, cfg, payload, len);
		veto__vx_free(cfg, r);
		*type = VETO_TYPE_REVOCATION;
		return st;
	}
	veto__diag_set(d, "format: \"%.64s\" is not \"veto.policy/1\", \"veto.policy/1.1\", "
	            "\"veto.update/1\" or \"veto.revocation/1\"", format);
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
	if (veto__cr_public_from_seed(pk, seed) == VETO_OK && veto__cr_sign(s->sig, pae, n, seed) == VETO_OK) {
		veto__keyid_of(s->keyid, pk);
		s->state = VSIG_VERIFIES;
		st = VETO_OK;
	}
	veto__vx_free(cfg, pae);
	return st;
}

/* e as text with a final newline, refused above the envelope limit. */
static veto_status env_write(char **out, size_t *out_len, veto_diag *d, const veto_envelope *e)
{
	vbuf b;
	veto__vbuf_init(&b, &e->cfg);
	veto__env_to_json(&b, e);
	veto__vbuf_puts(&b, "\n");
	if (!b.nomem && b.len > e->cfg.max_envelope) {
		veto__vbuf_free(&b);
		veto__diag_set(d, "the envelope would exceed the limit of %zu bytes", e->cfg.max_envelope);
		return VETO_E_LIMIT;
	}
	return veto__vbuf_finish(&b, out, out_len);
}

/* Whether a payload of len bytes may be signed at all (else said in d). */
static bool payload_fits(veto_diag *d, const veto_config *cfg, size_t len)
{
	if (len <= cfg->max_envelope)
		return true;
	veto__diag_set(d, "payload of %zu bytes, above the envelope limit of %zu", len,
	         cfg->max_envelope);
	return false;
}

veto_status veto__env_sign_new(char **out, size_t *out_len, veto_diag *d, const veto_config *cfg,
                               const char *type, const uint8_t *payload, size_t payload_len,
                               const uint8_t seed[32])
{
	vsig s;
	*out = NULL;
	if (!payload_fits(d, cfg, payload_len))
		return VETO_E_LIMIT;
	veto_status st = sign_entry(&s, type, payload, payload_len, seed, cfg);
	if (st != VETO_OK)
		return st;
	/* A view over the caller's payload, only to be written out. */
	const veto_envelope e = {
	    .cfg = *cfg,
	    .type = (char *)(uintptr_t)type, /* NOLINT(performance-no-int-to-ptr): read-only view, only serialised */
	    .type_len = strlen(type),
	    .payload = (uint8_t *)(uintptr_t)payload, /* NOLINT(performance-no-int-to-ptr): read-only view, only serialised */
	    .payload_len = payload_len,
	    .sigs = &s,
	    .n_sigs = 1};
	return env_write(out, out_len, d, &e);
}

veto_status veto_sign(char **out, size_t *out_len, veto_diag *d, const veto_config *cfg_in,
                      const uint8_t *payload, size_t payload_len,
                      const uint8_t seed[VETO_SEEDBYTES])
{
	veto_config cfg;
	const char *type = NULL;
	if (out == NULL || payload == NULL || seed == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (veto__cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	if (!payload_fits(d, &cfg, payload_len))
		return VETO_E_LIMIT;
	/* only a policy, update or revocation: a receipt is signed by the
	 * gatekeeper alone (SPEC 9.1), through veto_receipt_sign */
	veto_status st = payload_check(&type, d, &cfg, payload, payload_len);
	if (st != VETO_OK)
		return st;
	return veto__env_sign_new(out, out_len, d, &cfg, type, payload, payload_len, seed);
}

/* Only a policy or an update is co-signed, and its payloadType must name
 * what its payload is. */
static veto_status cosign_check(veto_envelope *e, veto_diag *d)
{
	const char *type = NULL;
	if (!veto__env_type_is(e, VETO_TYPE_POLICY) && !veto__env_type_is(e, VETO_TYPE_UPDATE) &&
	    !veto__env_type_is(e, VETO_TYPE_REVOCATION)) {
		veto__diag_set(d, "payloadType \"%.64s\" is not a veto policy, update or revocation",
		         e->type);
		return VETO_E_TYPE;
	}
	veto_status st = payload_check(&type, d, &e->cfg, e->payload, e->payload_len);
	if (st != VETO_OK)
		return st;
	if (strcmp(type, e->type) != 0) {
		veto__diag_set(d, "payloadType \"%.64s\" does not match the payload's format", e->type);
		return VETO_E_TYPE;
	}
	return VETO_OK;
}

/* Replaces an entry of s's keyid (it does not verify), else appends s. */
static veto_status env_add_sig(veto_envelope *e, const vsig *s, veto_diag *d)
{
	size_t at = e->n_sigs;
	for (size_t i = 0; i < e->n_sigs; i++)
		if (strcmp(e->sigs[i].keyid, s->keyid) == 0) {
			at = i;
			break;
		}
	if (at == e->n_sigs) {
		if (e->n_sigs >= e->cfg.max_signatures) {
			veto__diag_set(d, "the envelope already holds %zu signatures, the limit", e->n_sigs);
			return VETO_E_LIMIT;
		}
		vsig *grown = veto__vx_calloc(&e->cfg, e->n_sigs + 1, sizeof(*grown));
		if (grown == NULL)
			return VETO_E_NOMEM;
		if (e->n_sigs)
			memcpy(grown, e->sigs, e->n_sigs * sizeof(*grown));
		veto__vx_free(&e->cfg, e->sigs);
		e->sigs = grown;
		e->n_sigs++;
	}
	e->sigs[at] = *s;
	return VETO_OK;
}

veto_status veto_cosign(char **out, size_t *out_len, int *added, veto_diag *d,
                        const veto_config *cfg_in, const uint8_t *envelope, size_t envelope_len,
                        const uint8_t seed[VETO_SEEDBYTES])
{
	veto_config cfg;
	veto_envelope *e = NULL;
	vkey me = {0};
	vsig s;
	size_t have = 0;
	if (out == NULL || added == NULL || envelope == NULL || seed == NULL)
		return VETO_E_ARG;
	*out = NULL;
	*added = 0;
	if (veto__cfg_enter(&cfg, cfg_in) != VETO_OK || veto__cr_public_from_seed(me.pk, seed) != VETO_OK)
		return VETO_E_CRYPTO;
	veto__keyid_of(me.keyid, me.pk);
	veto_status st = veto__env_parse(&e, d, &cfg, envelope, envelope_len);
	if (st != VETO_OK)
		return st;
	st = cosign_check(e, d);
	if (st == VETO_OK)
		st = veto__env_count(e, &me, NULL, 1, &have);
	if (st == VETO_OK && have == 0) {
		st = sign_entry(&s, e->type, e->payload, e->payload_len, seed, &cfg);
		if (st == VETO_OK)
			st = env_add_sig(e, &s, d);
		*added = st == VETO_OK;
	}
	if (st == VETO_OK) {
		st = env_write(out, out_len, d, e);
		if (st == VETO_E_LIMIT)
			*added = 0; /* nothing was written */
	}
	env_free(e);
	return st;
}

/* ---- (1.1) signing elsewhere: the bytes to sign, and attaching ------------ */

/* Whether the document's top-level object has a "payloadType" (js_reader). */
static veto_status envelope_probe(void *out, veto_diag *d, const veto_config *cfg,
                                  const jsval *root)
{
	(void)d;
	(void)cfg;
	*(bool *)out = veto__js_get(root, "payloadType") != NULL;
	return VETO_OK;
}

/* doc as an envelope ready to be signed: an envelope as cosign takes it, or
 * a new one without signatures around a payload as sign takes it. */
static veto_status doc_envelope(veto_envelope **out, int *kind, veto_diag *d,
                                const veto_config *cfg, const uint8_t *doc, size_t len)
{
	const char *type = NULL;
	bool is_env = false;
	*out = NULL;
	*kind = -1;
	veto_status st = veto__js_read_doc(&is_env, d, cfg, doc, len, cfg->max_envelope, "document",
	                             false, envelope_probe);
	if (st != VETO_OK)
		return st;
	*kind = is_env ? 1 : 0;
	if (is_env) {
		st = veto__env_parse(out, d, cfg, doc, len);
		if (st == VETO_OK && (st = cosign_check(*out, d)) != VETO_OK) {
			env_free(*out);
			*out = NULL;
		}
		return st;
	}
	st = payload_check(&type, d, cfg, doc, len);
	if (st != VETO_OK)
		return st;
	veto_envelope *e = veto__vx_calloc(cfg, 1, sizeof(*e));
	if (e != NULL) {
		e->cfg = *cfg;
		e->type_len = strlen(type);
		e->type = veto__vx_alloc(cfg, e->type_len + 1);
		e->payload = veto__vx_alloc(cfg, len + 1);
	}
	if (e == NULL || e->type == NULL || e->payload == NULL) {
		env_free(e);
		return VETO_E_NOMEM;
	}
	memcpy(e->type, type, e->type_len + 1);
	memcpy(e->payload, doc, len);
	e->payload_len = len;
	*out = e;
	return VETO_OK;
}

veto_status veto_pae_of(uint8_t **out, size_t *out_len, int *is_envelope, veto_diag *d,
                        const veto_config *cfg_in, const uint8_t *doc, size_t len)
{
	veto_config cfg;
	veto_envelope *e = NULL;
	int kind = -1;
	if (out == NULL || out_len == NULL || doc == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (veto__cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	veto_status st = doc_envelope(&e, &kind, d, &cfg, doc, len);
	if (st == VETO_OK)
		st = pae_alloc(out, out_len, &cfg, e->type, e->type_len, e->payload, e->payload_len);
	if (is_envelope != NULL)
		*is_envelope = kind;
	env_free(e);
	return st;
}

veto_status veto_attach(char **out, size_t *out_len, int *added, veto_diag *d,
                        const veto_config *cfg_in, const uint8_t *doc, size_t len,
                        const uint8_t pk[VETO_PUBLICKEYBYTES], const uint8_t sig[64])
{
	veto_config cfg;
	veto_envelope *e = NULL;
	vkey me = {0};
	size_t have = 0;
	int kind = -1;
	if (out == NULL || added == NULL || doc == NULL || pk == NULL || sig == NULL)
		return VETO_E_ARG;
	*out = NULL;
	*added = 0;
	if (veto__cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	if (!veto__cr_key_valid(pk))
		return VETO_E_KEY;
	memcpy(me.pk, pk, 32);
	veto__keyid_of(me.keyid, pk);
	veto_status st = doc_envelope(&e, &kind, d, &cfg, doc, len);
	if (st == VETO_OK)
		st = veto__env_count(e, &me, NULL, 1, &have); /* builds e->pae too */
	if (st == VETO_OK && have == 0) {
		vsig s = {.state = VSIG_VERIFIES};
		memcpy(s.keyid, me.keyid, sizeof s.keyid);
		memcpy(s.sig, sig, 64);
		if (!veto__cr_verify(sig, e->pae, e->pae_len, pk)) {
			veto__diag_set(d, "the signature does not verify under key %s over the envelope's "
			            "signed bytes (PAE)", me.keyid);
			st = VETO_E_SIGNATURE;
		}
		if (st == VETO_OK)
			st = env_add_sig(e, &s, d);
		*added = st == VETO_OK;
	}
	if (st == VETO_OK) {
		st = env_write(out, out_len, d, e);
		if (st != VETO_OK)
			*added = 0;
	}
	env_free(e);
	return st;
}
