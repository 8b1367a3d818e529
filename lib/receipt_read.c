/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) Reading signed receipts (SPEC 10): the device's signature verified
 * before a byte of the payload is parsed, then every member's shape; and the
 * chain of states through a list of receipts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "envelope.h"
#include "policy.h"
#include "receipt.h"
#include "revocation.h"

struct veto_receipt {
	veto_config cfg;
	veto_receipt_kind kind;
	int64_t time;
	char vendor[65];
	char model[65];
	bool has_nonce;
	char nonce[VETO_NONCE_MAX + 1];
	bool has_before, has_after;
	uint8_t before[32], after[32];
	const char *decision; /* static text, NULL for the payload's null */
	uint8_t *payload;     /* the verified bytes, NUL-terminated */
	size_t payload_len;
};

/* The members of a receipt, in the order they are written. */
enum receipt_member {
	R_FORMAT, R_KIND, R_DEVICE, R_TIME, R_NONCE, R_BEFORE, R_AFTER, R_POLICY, R_UPDATE,
	R_IMAGE, R_REVOCATIONS, R_DECISION, R_REFUSALS, R_NOTICES
};
/* A schema table (json.h): the documents' tables look alike by design. */
static const js_field receipt_fields[] = {
    [R_FORMAT] = {"format", JS_STRING, true, 1, 64},
    [R_KIND] = {"kind", JS_STRING, true, 1, 16},
    [R_DEVICE] = {"device", JS_OBJECT, true, 0, 0},
    [R_TIME] = {"time", JS_ANY, true, 0, 0},
    [R_NONCE] = {"nonce", JS_ANY, true, 0, 0},
    [R_BEFORE] = {"state_before", JS_ANY, true, 0, 0},
    [R_AFTER] = {"state_after", JS_ANY, true, 0, 0},
    [R_POLICY] = {"policy", JS_ANY, true, 0, 0},
    [R_UPDATE] = {"update", JS_ANY, true, 0, 0},
    [R_IMAGE] = {"image", JS_ANY, true, 0, 0},
    [R_REVOCATIONS] = {"revocations", JS_ARRAY, true, 0, REV_MAX_HANDED},
    [R_DECISION] = {"decision", JS_ANY, true, 0, 0},
    [R_REFUSALS] = {"refusals", JS_ARRAY, true, 0, SIZE_MAX},
    [R_NOTICES] = {"notices", JS_ARRAY, true, 0, SIZE_MAX},
};

static const jsval *member(const jsval *root, enum receipt_member which)
{
	return veto__js_get(root, receipt_fields[which].name);
}

/* What the payload says beyond the fields kept, for the rules that tie
 * the members together. */
typedef struct rdoc {
	veto_receipt *r;
	bool has_policy, has_update, has_image;
	size_t n_revs, n_refusals, n_notices;
} rdoc;

static veto_status read_time(veto_diag *d, int64_t *out, const jsval *item)
{
	const char *s = NULL;
	size_t len = 0;
	veto_diag scratch = {{0}};
	if (veto__js_str(&scratch, &s, &len, item, "time", 20, 20) != VETO_OK ||
	    veto_time_parse(out, s, len) != VETO_OK) {
		veto__time_diag(d, "time", s, len, false);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

static veto_status read_nonce(veto_diag *d, veto_receipt *r, const jsval *item)
{
	const char *s;
	size_t len;
	if (veto__js_is_null(item))
		return VETO_OK;
	if (veto__js_str(d, &s, &len, item, "nonce", 1, VETO_NONCE_MAX) != VETO_OK ||
	    !veto__receipt_nonce_ok(s, len)) {
		veto__diag_set(d, "nonce: not null nor 1..%u characters U+0021..U+007E", VETO_NONCE_MAX);
		return VETO_E_MALFORMED;
	}
	memcpy(r->nonce, s, len + 1);
	r->has_nonce = true;
	return VETO_OK;
}

/* An object of fields (or null): members, then each digest and number. */
static veto_status read_object(veto_diag *d, bool *has, const jsval *item, const char *where,
                               const js_field *fields, size_t n)
{
	char w[48];
	*has = !veto__js_is_null(item);
	if (!*has)
		return VETO_OK;
	if (veto__js_members(d, item, where, fields, n) != VETO_OK)
		return VETO_E_MALFORMED;
	for (size_t i = 0; i < n; i++) {
		js_got g;
		snprintf(w, sizeof(w), "%s.%s", where, fields[i].name);
		if (veto__js_get(item, fields[i].name) == NULL)
			continue; /* optional and absent: js_members saw to the required */
		if (fields[i].kind == JS_ANY) { /* a digest */
			bool present;
			uint8_t digest[32];
			if (veto__js_digest(d, &present, digest, veto__js_get(item, fields[i].name), w,
			                    false) != VETO_OK)
				return VETO_E_MALFORMED;
		} else if (veto__js_field_read(d, &g, item, &fields[i], w) != VETO_OK) {
			return VETO_E_MALFORMED;
		}
	}
	return VETO_OK;
}

/* policy, update and image: each null or an object of its shape (JS_ANY
 * below: a SHA-256 digest). */
static veto_status read_objects(veto_diag *d, rdoc *x, const jsval *root)
{
	static const js_field policy[] = {{"serial", JS_U53, true, 0, 0},
	                                  {"sha256", JS_ANY, true, 0, 0}};
	static const js_field update[] = {{"sha256", JS_ANY, true, 0, 0},
	                                  {"security_counter", JS_U53, true, 0, 0},
	                                  {"version", JS_STRING, true, 1, 64}};
	static const js_field image[] = {{"size", JS_U53, true, 0, 0},
	                                 {"sha256", JS_ANY, false, 0, 0},
	                                 {"blake2b-256", JS_ANY, false, 0, 0}};
	if (read_object(d, &x->has_policy, member(root, R_POLICY), "policy", JS_FIELDS(policy)) !=
	        VETO_OK ||
	    read_object(d, &x->has_update, member(root, R_UPDATE), "update", JS_FIELDS(update)) !=
	        VETO_OK ||
	    read_object(d, &x->has_image, member(root, R_IMAGE), "image", JS_FIELDS(image)) != VETO_OK)
		return VETO_E_MALFORMED;
	return VETO_OK;
}

static veto_status read_revocations(veto_diag *d, rdoc *x, const jsval *list)
{
	char w[32];
	size_t i = 0;
	for (const jsval *e = veto__js_first(list); e != NULL; e = veto__js_next(e), i++) {
		bool has;
		uint8_t digest[32];
		snprintf(w, sizeof(w), "revocations[%zu]", i);
		if (veto__js_digest(d, &has, digest, e, w, false) != VETO_OK)
			return VETO_E_MALFORMED;
	}
	x->n_revs = i;
	return VETO_OK;
}

static veto_status read_decision(veto_diag *d, veto_receipt *r, const jsval *item)
{
	const char *s;
	size_t len;
	bool decides = r->kind != VETO_RECEIPT_INIT && r->kind != VETO_RECEIPT_STATUS;
	if (!decides && veto__js_is_null(item))
		return VETO_OK;
	if (!decides) {
		veto__diag_set(d, "decision: must be null (kind \"%s\")",
		               veto_receipt_kind_name(r->kind));
		return VETO_E_MALFORMED;
	}
	if (veto__js_str(d, &s, &len, item, "decision", 1, 16) == VETO_OK) {
		if (strcmp(s, "accept") == 0)
			r->decision = "accept";
		else if (strcmp(s, "refuse") == 0)
			r->decision = "refuse";
	}
	if (r->decision == NULL) {
		veto__diag_set(d, "decision: not \"accept\" nor \"refuse\" (kind \"%s\")",
		               veto_receipt_kind_name(r->kind));
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

/* ---- refusals and notices: the objects veto_report_json writes ---------- */

/* The code named s, when it is a code of that list (refusals or notices). */
static bool code_find(const char *s, bool notice, veto_code *out)
{
	for (int c = 1; c < (int)VETO_CODE_COUNT_; c++)
		if (strcmp(veto_code_name((veto_code)c), s) == 0 &&
		    (veto_code_is_notice((veto_code)c) != 0) == notice) {
			*out = (veto_code)c;
			return true;
		}
	return false;
}

enum reason_member { X_CODE, X_INDEX, X_ROLE, X_HAVE, X_NEED, X_FEATURE, X_OFFERED, X_DETAIL };

static veto_status read_reason(veto_diag *d, const jsval *obj, const char *w, bool notice)
{
	js_field f[] = {
	    [X_CODE] = {"code", JS_STRING, true, 1, 64},
	    [X_INDEX] = {"index", JS_U53, false, 0, 0},
	    [X_ROLE] = {"role", JS_STRING, false, 1, VETO_ROLE_MAX},
	    [X_HAVE] = {"have", JS_U53, false, 0, 0},
	    [X_NEED] = {"need", JS_U53, false, 0, 0},
	    [X_FEATURE] = {"feature", JS_STRING, false, 1, VETO_FEATURE_MAX},
	    [X_OFFERED] = {"offered", JS_STRING, false, 1, VETO_OFFERED_MAX},
	    [X_DETAIL] = {"detail", JS_STRING, false, 1, VETO_DETAIL_MAX},
	};
	char wm[64];
	js_got g[X_DETAIL + 1];
	veto_code code;
	if (veto__js_object(d, obj, w) != VETO_OK)
		return VETO_E_MALFORMED;
	snprintf(wm, sizeof(wm), "%s.code", w);
	if (veto__js_field_read(d, &g[X_CODE], obj, &f[X_CODE], wm) != VETO_OK)
		return VETO_E_MALFORMED;
	if (!code_find(g[X_CODE].str, notice, &code)) {
		veto__diag_set(d, "%s: \"%.64s\" is not the code of a %s", wm, g[X_CODE].str,
		               notice ? "notice" : "refusal");
		return VETO_E_MALFORMED;
	}
	f[X_OFFERED].name = veto_code_offered_name(code);
	if (veto__js_members(d, obj, w, JS_FIELDS(f)) != VETO_OK)
		return VETO_E_MALFORMED;
	for (size_t i = X_INDEX; i <= X_DETAIL; i++) {
		snprintf(wm, sizeof(wm), "%s.%s", w, f[i].name);
		if (veto__js_field_read(d, &g[i], obj, &f[i], wm) != VETO_OK)
			return VETO_E_MALFORMED;
	}
	if (g[X_INDEX].item != NULL && (g[X_INDEX].u53 < 1 || g[X_INDEX].u53 > UINT32_MAX)) {
		veto__diag_set(d, "%s.index: %llu is outside 1..%u", w,
		               (unsigned long long)g[X_INDEX].u53, (unsigned)UINT32_MAX);
		return VETO_E_MALFORMED;
	}
	if ((g[X_HAVE].item != NULL) != (g[X_NEED].item != NULL)) {
		veto__diag_set(d, "%s: \"have\" and \"need\" come together", w);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

static veto_status read_reasons(veto_diag *d, size_t *n, const jsval *list, bool notice)
{
	char w[48];
	size_t i = 0;
	for (const jsval *e = veto__js_first(list); e != NULL; e = veto__js_next(e), i++) {
		snprintf(w, sizeof(w), "%s[%zu]", notice ? "notices" : "refusals", i);
		if (read_reason(d, e, w, notice) != VETO_OK)
			return VETO_E_MALFORMED;
	}
	*n = i;
	return VETO_OK;
}

/* ---- the members tied together -------------------------------------------- */

/* What a command of each kind can say (receipt.c writes no more): a
 * member set where the kind has nothing to say is refused, named. */
static veto_status kind_rules(veto_diag *d, const rdoc *x)
{
	const veto_receipt *r = x->r;
	const char *k = veto_receipt_kind_name(r->kind);
	bool checked = r->kind == VETO_RECEIPT_CHECK || r->kind == VETO_RECEIPT_COMMIT;
	bool refused = r->decision != NULL && strcmp(r->decision, "refuse") == 0;
	const char *bad = NULL;
	if (!checked && x->has_update)
		bad = "update: must be null";
	else if (!checked && x->has_image)
		bad = "image: must be null";
	else if (x->has_image && !x->has_update)
		bad = "image: must be null when update is";
	else if (r->decision == NULL && (x->n_revs || x->n_refusals || x->n_notices))
		bad = "revocations, refusals and notices: must be empty";
	else if (r->kind == VETO_RECEIPT_INIT && x->has_policy)
		bad = "policy: must be null";
	else if (r->has_before && r->has_after && veto__cr_equal(r->before, r->after, 32))
		bad = "state_after: equal to state_before (nothing was written)";
	else if ((r->kind == VETO_RECEIPT_CHECK || r->kind == VETO_RECEIPT_STATUS) && r->has_after)
		bad = "state_after: must be null (nothing is written)";
	else if (r->kind == VETO_RECEIPT_COMMIT && refused && r->has_after)
		bad = "state_after: must be null for a refused commit";
	else if (r->decision != NULL && !refused && x->n_refusals > 0)
		bad = "decision: \"accept\" with refusals";
	else if (r->kind == VETO_RECEIPT_TRUST && refused && x->n_refusals == 0)
		bad = "decision: \"refuse\" without a refusal";
	if (bad == NULL)
		return VETO_OK;
	veto__diag_set(d, "%s (kind \"%s\")", bad, k);
	return VETO_E_MALFORMED;
}

static veto_status read_head(veto_diag *d, veto_receipt *r, const jsval *root)
{
	js_got g;
	bool ok = veto__js_field_read(d, &g, root, &receipt_fields[R_KIND], NULL) == VETO_OK;
	if (ok && !veto__receipt_kind_find(g.str, g.len, &r->kind)) {
		veto__diag_set(d, "kind: \"%.16s\" is not init, trust, check, commit or status", g.str);
		ok = false;
	}
	if (!ok || veto__device_from_json(d, r->vendor, r->model, member(root, R_DEVICE), "device") ||
	    read_time(d, &r->time, member(root, R_TIME)) ||
	    read_nonce(d, r, member(root, R_NONCE)) ||
	    veto__js_digest(d, &r->has_before, r->before, member(root, R_BEFORE), "state_before",
	                    true) ||
	    veto__js_digest(d, &r->has_after, r->after, member(root, R_AFTER), "state_after", true))
		return VETO_E_MALFORMED;
	return VETO_OK;
}

/* The receipt schema (js_reader). */
static veto_status receipt_from_json(void *out, veto_diag *d, const veto_config *cfg,
                                     const jsval *root)
{
	rdoc x = {.r = out};
	js_got g;
	(void)cfg;
	if (veto__js_members(d, root, "receipt", JS_FIELDS(receipt_fields)) != VETO_OK ||
	    veto__js_format(d, root, RECEIPT_FORMAT) != VETO_OK || read_head(d, x.r, root) ||
	    read_objects(d, &x, root) ||
	    veto__js_field_read(d, &g, root, &receipt_fields[R_REVOCATIONS], NULL) ||
	    read_revocations(d, &x, g.item) || read_decision(d, x.r, member(root, R_DECISION)) ||
	    veto__js_field_read(d, &g, root, &receipt_fields[R_REFUSALS], NULL) ||
	    read_reasons(d, &x.n_refusals, g.item, false) ||
	    veto__js_field_read(d, &g, root, &receipt_fields[R_NOTICES], NULL) ||
	    read_reasons(d, &x.n_notices, g.item, true))
		return VETO_E_MALFORMED;
	return kind_rules(d, &x);
}

/* ---- reading: verify, then parse ------------------------------------------- */

/* Whether a signature in e by pk verifies over its PAE (said in d if not). */
static veto_status device_signed(veto_diag *d, veto_envelope *e, const uint8_t pk[32])
{
	vkey me = {.valid = true};
	size_t have = 0;
	memcpy(me.pk, pk, 32);
	veto__keyid_of(me.keyid, pk);
	veto_status st = veto__env_count(e, &me, NULL, 1, &have);
	if (st == VETO_OK && have == 0) {
		veto__diag_set(d, "no signature by the device key %s verifies", me.keyid);
		st = VETO_REFUSED;
	}
	return st;
}

void veto_receipt_free(veto_receipt *r)
{
	if (r == NULL)
		return;
	veto_config cfg = r->cfg;
	veto__vx_free(&cfg, r->payload);
	veto__cr_wipe(r, sizeof(*r));
	veto__vx_free(&cfg, r);
}

/* The payload of e, verified, copied into a new receipt and read. */
static veto_status receipt_build(veto_receipt **out, veto_diag *d, const veto_config *cfg,
                                 const veto_envelope *e)
{
	veto_receipt *r = veto__vx_calloc(cfg, 1, sizeof(*r));
	if (r == NULL)
		return VETO_E_NOMEM;
	r->cfg = *cfg;
	r->payload = veto__vx_alloc(cfg, e->payload_len + 1);
	if (r->payload == NULL) {
		veto_receipt_free(r);
		return VETO_E_NOMEM;
	}
	memcpy(r->payload, e->payload, e->payload_len);
	r->payload[e->payload_len] = 0;
	r->payload_len = e->payload_len;
	veto_status st = veto__js_read_doc(r, d, cfg, r->payload, r->payload_len, 0, "receipt",
	                                   false, receipt_from_json);
	if (st != VETO_OK) {
		veto_receipt_free(r);
		return st;
	}
	*out = r;
	return VETO_OK;
}

veto_status veto_receipt_read(veto_receipt **out, veto_diag *d, const veto_config *cfg_in,
                              const uint8_t *envelope, size_t len,
                              const uint8_t device_pk[VETO_PUBLICKEYBYTES])
{
	veto_config cfg;
	veto_envelope *e = NULL;
	if (out == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (envelope == NULL || device_pk == NULL)
		return VETO_E_ARG;
	if (veto__cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	if (!veto__cr_key_valid(device_pk))
		return VETO_E_KEY;
	veto_status st = veto__env_parse(&e, d, &cfg, envelope, len);
	if (st != VETO_OK)
		return st;
	if (!veto__env_type_is(e, VETO_TYPE_RECEIPT)) {
		veto__diag_set(d, "payloadType \"%.64s\" is not \"%s\"", e->type, VETO_TYPE_RECEIPT);
		st = VETO_E_TYPE;
	}
	if (st == VETO_OK)
		st = device_signed(d, e, device_pk);
	if (st == VETO_OK) /* verified: only now is the payload read */
		st = receipt_build(out, d, &cfg, e);
	veto_envelope_free(e);
	return st;
}

/* ---- accessors -------------------------------------------------------------- */

veto_receipt_kind veto_receipt_get_kind(const veto_receipt *r)
{
	return r != NULL ? r->kind : (veto_receipt_kind)0;
}

int64_t veto_receipt_time(const veto_receipt *r)
{
	return r != NULL ? r->time : 0;
}

const char *veto_receipt_nonce(const veto_receipt *r)
{
	return r != NULL && r->has_nonce ? r->nonce : NULL;
}

const char *veto_receipt_decision(const veto_receipt *r)
{
	return r != NULL ? r->decision : NULL;
}

const char *veto_receipt_vendor(const veto_receipt *r)
{
	return r != NULL ? r->vendor : NULL;
}

const char *veto_receipt_model(const veto_receipt *r)
{
	return r != NULL ? r->model : NULL;
}

static int digest_out(bool has, const uint8_t digest[32], uint8_t *out)
{
	if (!has)
		return 0;
	if (out != NULL)
		memcpy(out, digest, 32);
	return 1;
}

int veto_receipt_state_before(const veto_receipt *r, uint8_t out[VETO_DIGESTBYTES])
{
	return r != NULL ? digest_out(r->has_before, r->before, out) : 0;
}

int veto_receipt_state_after(const veto_receipt *r, uint8_t out[VETO_DIGESTBYTES])
{
	return r != NULL ? digest_out(r->has_after, r->after, out) : 0;
}

const uint8_t *veto_receipt_payload_json(const veto_receipt *r, size_t *len)
{
	if (len != NULL)
		*len = r != NULL ? r->payload_len : 0;
	return r != NULL ? r->payload : NULL;
}

/* ---- the chain -------------------------------------------------------------- */

/* One state digest a receipt names: slot 2i is receipt i's before, 2i+1
 * its after. */
typedef struct dslot {
	const uint8_t *digest;
	size_t slot;
} dslot;

/* Digests are public: ordering them needs no constant time. */
static int dslot_cmp(const void *a, const void *b)
{
	const dslot *x = a, *y = b;
	int c = memcmp(x->digest, y->digest, 32);
	if (c != 0)
		return c;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* ids[2i], ids[2i+1]: a small number for receipt i's before and after
 * digests, equal for equal digests; 0 for null (and for NULL receipts). */
static veto_status number_states(size_t *ids, size_t *n_ids, const veto_config *cfg,
                                 const veto_receipt *const *r, size_t n)
{
	dslot *s = veto__vx_calloc(cfg, 2 * n, sizeof(*s));
	size_t m = 0;
	if (s == NULL)
		return VETO_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (r[i] != NULL && r[i]->has_before)
			s[m++] = (dslot){r[i]->before, 2 * i};
		if (r[i] != NULL && r[i]->has_after)
			s[m++] = (dslot){r[i]->after, 2 * i + 1};
	}
	qsort(s, m, sizeof(*s), dslot_cmp);
	size_t id = 0;
	for (size_t k = 0; k < m; k++) {
		if (k == 0 || memcmp(s[k - 1].digest, s[k].digest, 32) != 0)
			id++;
		ids[s[k].slot] = id;
	}
	*n_ids = id + 1;
	veto__vx_free(cfg, s);
	return VETO_OK;
}

/* The flags of receipt i, then what it adds to the sets of states written
 * (`written`) and started from by a receipt that wrote (`left`). */
static unsigned link_flags(const veto_receipt *r, size_t before, size_t after, bool first,
                           bool *written, bool *left)
{
	unsigned flags = 0;
	if (r->has_after) {
		if (left[before])
			flags |= VETO_LINK_FORK;
		left[before] = true;
	} else if (r->decision != NULL && strcmp(r->decision, "refuse") == 0) {
		return 0; /* refused and wrote nothing: breaks nothing */
	}
	if (!first && r->has_before && !written[before])
		flags |= VETO_LINK_GAP;
	if (r->has_after)
		written[after] = true;
	return flags;
}

veto_status veto_receipt_chain(unsigned *flags, const veto_config *cfg_in,
                               const veto_receipt *const *r, size_t n)
{
	veto_config cfg;
	size_t n_ids = 0;
	if (n == 0)
		return VETO_OK;
	if (flags == NULL || r == NULL)
		return VETO_E_ARG;
	memset(flags, 0, n * sizeof(*flags));
	veto__cfg_resolve(&cfg, cfg_in);
	if (n > SIZE_MAX / 2 / sizeof(dslot))
		return VETO_E_NOMEM;
	size_t *ids = veto__vx_calloc(&cfg, 2 * n, sizeof(*ids));
	bool *marks = NULL;
	veto_status st = ids != NULL ? number_states(ids, &n_ids, &cfg, r, n) : VETO_E_NOMEM;
	if (st == VETO_OK && (marks = veto__vx_calloc(&cfg, 2 * n_ids, sizeof(*marks))) == NULL)
		st = VETO_E_NOMEM;
	bool first = true;
	for (size_t i = 0; st == VETO_OK && i < n; i++) {
		if (r[i] == NULL)
			continue; /* did not verify: counts for nothing */
		flags[i] = link_flags(r[i], ids[2 * i], ids[2 * i + 1], first, marks, marks + n_ids);
		first = false;
	}
	veto__vx_free(&cfg, marks);
	veto__vx_free(&cfg, ids);
	return st;
}
