/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) Signed receipts (SPEC 10): the veto.receipt/1 payload written from
 * the facts of one command, and that payload signed by the device's key.
 * Every fact is gathered and checked before a byte is written; reading a
 * receipt back is receipt_read.c's. */
#include <string.h>

#include "crypto.h"
#include "decision.h"
#include "receipt.h"
#include "report.h"
#include "state.h"

static const char *const kind_names[] = {
    [VETO_RECEIPT_INIT] = "init",     [VETO_RECEIPT_TRUST] = "trust",
    [VETO_RECEIPT_CHECK] = "check",   [VETO_RECEIPT_COMMIT] = "commit",
    [VETO_RECEIPT_STATUS] = "status",
};
#define N_KINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *veto_receipt_kind_name(veto_receipt_kind kind)
{
	if ((unsigned)kind == 0 || (unsigned)kind >= N_KINDS)
		return "unknown";
	return kind_names[kind];
}

bool veto__receipt_kind_find(const char *s, size_t len, veto_receipt_kind *kind)
{
	for (size_t k = 1; k < N_KINDS; k++)
		if (strlen(kind_names[k]) == len && memcmp(kind_names[k], s, len) == 0) {
			*kind = (veto_receipt_kind)k;
			return true;
		}
	return false;
}

bool veto__receipt_nonce_ok(const char *s, size_t len)
{
	if (len < 1 || len > VETO_NONCE_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	return true;
}

/* What a receipt says, gathered and checked before it is written. */
typedef struct rfacts {
	const veto_receipt_facts *f;
	const veto_config *cfg;
	const char *vendor;
	const char *model;
	char time[21];
	bool has_before, has_after;
	uint8_t before[32], after[32];
	bool has_policy;
	uint64_t serial;
	uint8_t policy_sha256[32];
	uint8_t revs[REV_MAX_HANDED][32]; /* the accepted revocations' payload digests */
	size_t n_revs;
	const char *decision; /* NULL: the payload's null */
} rfacts;

static bool is_decision(veto_receipt_kind k)
{
	return k == VETO_RECEIPT_TRUST || k == VETO_RECEIPT_CHECK || k == VETO_RECEIPT_COMMIT;
}

/* The pointers each kind needs, and none it must not have (a check for a
 * trust, a state written by a check): a receipt never says more than the
 * command did. */
static veto_status facts_args(const veto_receipt_facts *f)
{
	veto_receipt_kind k = f->kind;
	bool checked = k == VETO_RECEIPT_CHECK || k == VETO_RECEIPT_COMMIT;
	if ((unsigned)k == 0 || (unsigned)k >= N_KINDS)
		return VETO_E_ARG;
	if (f->nonce != NULL && !veto__receipt_nonce_ok(f->nonce, strnlen(f->nonce, VETO_NONCE_MAX + 1)))
		return VETO_E_ARG;
	if (checked != (f->check != NULL) || is_decision(k) != (f->report != NULL))
		return VETO_E_ARG;
	if ((k != VETO_RECEIPT_TRUST && f->n_revocations > 0) ||
	    (f->revocations == NULL && f->n_revocations > 0) || f->n_revocations > REV_MAX_HANDED)
		return VETO_E_ARG;
	for (size_t i = 0; i < f->n_revocations; i++)
		if (f->revocations[i].ptr == NULL)
			return VETO_E_ARG;
	if (k == VETO_RECEIPT_INIT && f->after == NULL)
		return VETO_E_ARG;
	if (k == VETO_RECEIPT_STATUS && f->before == NULL)
		return VETO_E_ARG;
	if (k == VETO_RECEIPT_TRUST && f->before == NULL && f->after == NULL)
		return VETO_E_ARG;
	if ((k == VETO_RECEIPT_CHECK || k == VETO_RECEIPT_STATUS) && f->after != NULL)
		return VETO_E_ARG;
	if (checked && f->check->state == NULL)
		return VETO_E_ARG; /* a vendor's pre-flight: no device decided */
	if (checked && f->report != f->check->rep)
		return VETO_E_ARG; /* the refusals and notices of that very check */
	if (checked && !f->check->finished)
		return VETO_E_SEQUENCE;
	if (k == VETO_RECEIPT_COMMIT && f->after != NULL && !veto__check_accepted(f->check))
		return VETO_E_ARG; /* a refused commit writes nothing */
	return VETO_OK;
}

/* SHA-256 of s's document, and the document itself in *text (the caller's,
 * released with s's config). */
static veto_status state_digest(uint8_t out[32], char **text, size_t *len, const veto_state *s)
{
	veto_status st = veto_state_format(text, len, s);
	if (st == VETO_OK)
		veto__cr_sha256(out, (const uint8_t *)*text, *len);
	return st;
}

/* state_before and state_after; after is null when its document is the
 * same bytes as before's (nothing was written). */
static veto_status facts_states(rfacts *r)
{
	const veto_receipt_facts *f = r->f;
	char *tb = NULL, *ta = NULL;
	size_t lb = 0, la = 0;
	veto_status st = VETO_OK;
	if (f->before != NULL && (st = state_digest(r->before, &tb, &lb, f->before)) == VETO_OK)
		r->has_before = true;
	if (st == VETO_OK && f->after != NULL &&
	    (st = state_digest(r->after, &ta, &la, f->after)) == VETO_OK)
		r->has_after = !(tb != NULL && lb == la && memcmp(tb, ta, la) == 0);
	if (tb != NULL)
		veto__vx_free(&f->before->cfg, tb);
	if (ta != NULL)
		veto__vx_free(&f->after->cfg, ta);
	return st;
}

static void policy_of_state(rfacts *r, const veto_state *s)
{
	if (s == NULL || s->penv == NULL)
		return;
	r->has_policy = true;
	r->serial = s->policy.serial;
	memcpy(r->policy_sha256, s->policy_sha256, 32);
}

/* Whether the report names revocation i (1-based) as not accepted. */
static bool rev_refused(const veto_report *rep, size_t i)
{
	for (size_t k = 0; k < rep->n_notices; k++)
		if (rep->notices[k].code == VETO_N_REVOCATION_INVALID && rep->notices[k].index == i)
			return true;
	for (size_t k = 0; k < rep->n_refusals; k++)
		if (rep->refusals[k].code == VETO_R_REVOCATION_LIMIT && rep->refusals[k].index == i)
			return true;
	return false;
}

/* Whether a trust refused its policies: any refusal but revocation-limit. */
static bool policies_refused(const veto_report *rep)
{
	for (size_t k = 0; k < rep->n_refusals; k++)
		if (rep->refusals[k].code != VETO_R_REVOCATION_LIMIT)
			return true;
	return false;
}

/* A trust: the revocations handed in that the report does not name,
 * each by its payload's digest (the envelope read again: it was read once
 * by the trust, so failing now means the caller handed in other bytes). */
static veto_status trust_revocations(rfacts *r)
{
	const veto_receipt_facts *f = r->f;
	for (size_t i = 0; i < f->n_revocations; i++) {
		veto_envelope *e = NULL;
		if (rev_refused(f->report, i + 1))
			continue;
		veto_status st = veto__env_parse(&e, NULL, r->cfg, f->revocations[i].ptr,
		                                 f->revocations[i].len);
		if (st != VETO_OK)
			return st == VETO_E_NOMEM ? st : VETO_E_MALFORMED;
		veto__cr_sha256(r->revs[r->n_revs++], e->payload, e->payload_len);
		veto_envelope_free(e);
	}
	return VETO_OK;
}

/* A check or commit: its governing policy when trusted, the revocations
 * it accepted, its verdict. */
static void check_facts(rfacts *r)
{
	const veto_check *c = r->f->check;
	r->vendor = c->vendor;
	r->model = c->model;
	if (c->gov_ok && c->gov.env != NULL) {
		r->has_policy = true;
		r->serial = c->gov.policy->serial;
		veto__cr_sha256(r->policy_sha256, c->gov.env->payload, c->gov.env->payload_len);
	}
	for (size_t i = 0; i < c->revs.n && r->n_revs < REV_MAX_HANDED; i++)
		if (c->revs.items[i].accepted)
			memcpy(r->revs[r->n_revs++], c->revs.items[i].sha256, 32);
	r->decision = veto__check_accepted(c) ? "accept" : "refuse";
}

static veto_status gather(rfacts *r)
{
	const veto_receipt_facts *f = r->f;
	veto_status st = facts_args(f);
	if (st != VETO_OK)
		return st;
	if (veto_time_format(r->time, f->time) != VETO_OK)
		return VETO_E_ARG;
	if ((st = facts_states(r)) != VETO_OK)
		return st;
	const veto_state *s = f->after != NULL ? f->after : f->before;
	if (s != NULL) {
		r->vendor = s->anchor.vendor;
		r->model = s->anchor.model;
	}
	switch (f->kind) {
	case VETO_RECEIPT_CHECK:
	case VETO_RECEIPT_COMMIT: check_facts(r); break;
	case VETO_RECEIPT_TRUST:
		if (!policies_refused(f->report))
			policy_of_state(r, s);
		r->decision = f->report->n_refusals > 0 ? "refuse" : "accept";
		return trust_revocations(r);
	case VETO_RECEIPT_STATUS: policy_of_state(r, f->before); break;
	default: break; /* init: no policy is trusted by an enrolment */
	}
	return VETO_OK;
}

static void put_hex(vbuf *b, const uint8_t d[32])
{
	char hex[65];
	veto__hex_encode(hex, d, 32);
	veto__vbuf_jstrz(b, hex);
}

static void put_hex_or_null(vbuf *b, bool has, const uint8_t d[32])
{
	if (has)
		put_hex(b, d);
	else
		veto__vbuf_puts(b, "null");
}

/* "update" and "image": a check's, when its update was read. */
static void put_update_image(vbuf *b, const veto_check *c)
{
	uint8_t sha[32];
	if (c == NULL || !c->upd_ok) {
		veto__vbuf_puts(b, ",\n \"update\": null,\n \"image\": null");
		return;
	}
	veto__check_update_digest(c, sha);
	veto__vbuf_puts(b, ",\n \"update\": {\"sha256\": ");
	put_hex(b, sha);
	veto__vbuf_puts(b, ", \"security_counter\": ");
	veto__vbuf_u64(b, c->upd.counter);
	veto__vbuf_puts(b, ", \"version\": ");
	veto__vbuf_jstrz(b, c->upd.version);
	veto__vbuf_puts(b, "},\n \"image\": ");
	if (!c->image_given) {
		veto__vbuf_puts(b, "null");
		return;
	}
	veto__vbuf_puts(b, "{\"size\": ");
	veto__vbuf_u64(b, c->image_size);
	/* an image longer than the manifest was not hashed to its end: the
	 * size taken alone (decide.c, image_too_long) */
	bool hashed = c->image_size <= c->upd.size;
	if (hashed && c->upd.has_sha256) {
		veto__vbuf_puts(b, ", \"sha256\": ");
		put_hex(b, c->image_sha256);
	}
	if (hashed && c->upd.has_blake2b) {
		veto__vbuf_puts(b, ", \"blake2b-256\": ");
		put_hex(b, c->image_blake2b);
	}
	veto__vbuf_puts(b, "}");
}

static void put_head(vbuf *b, const rfacts *r)
{
	veto__vbuf_puts(b, "{\"format\": \"" RECEIPT_FORMAT "\", \"kind\": ");
	veto__vbuf_jstrz(b, veto_receipt_kind_name(r->f->kind));
	veto__vbuf_puts(b, ",\n \"device\": {\"vendor\": ");
	veto__vbuf_jstrz(b, r->vendor);
	veto__vbuf_puts(b, ", \"model\": ");
	veto__vbuf_jstrz(b, r->model);
	veto__vbuf_puts(b, "}, \"time\": ");
	veto__vbuf_jstrz(b, r->time);
	veto__vbuf_puts(b, ", \"nonce\": ");
	if (r->f->nonce != NULL)
		veto__vbuf_jstrz(b, r->f->nonce);
	else
		veto__vbuf_puts(b, "null");
	veto__vbuf_puts(b, ",\n \"state_before\": ");
	put_hex_or_null(b, r->has_before, r->before);
	veto__vbuf_puts(b, ",\n \"state_after\": ");
	put_hex_or_null(b, r->has_after, r->after);
	veto__vbuf_puts(b, ",\n \"policy\": ");
	if (r->has_policy) {
		veto__vbuf_puts(b, "{\"serial\": ");
		veto__vbuf_u64(b, r->serial);
		veto__vbuf_puts(b, ", \"sha256\": ");
		put_hex(b, r->policy_sha256);
		veto__vbuf_puts(b, "}");
	} else {
		veto__vbuf_puts(b, "null");
	}
}

static void put_tail(vbuf *b, const rfacts *r)
{
	static const veto_report none = {0};
	veto__vbuf_puts(b, ",\n \"revocations\": [");
	for (size_t i = 0; i < r->n_revs; i++) {
		if (i)
			veto__vbuf_puts(b, ", ");
		put_hex(b, r->revs[i]);
	}
	veto__vbuf_puts(b, "],\n \"decision\": ");
	if (r->decision != NULL) {
		veto__vbuf_puts(b, "\"");
		veto__vbuf_puts(b, r->decision);
		veto__vbuf_puts(b, "\"");
	} else {
		veto__vbuf_puts(b, "null");
	}
	veto__vbuf_puts(b, ",\n ");
	veto__report_reasons_json(b, r->f->report != NULL ? r->f->report : &none);
	veto__vbuf_puts(b, "}\n");
}

/* *out NULL and *out_len 0 before anything can fail; false for out NULL. */
static bool out_reset(char **out, size_t *out_len)
{
	if (out == NULL)
		return false;
	*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	return true;
}

veto_status veto_receipt_payload(char **out, size_t *out_len, const veto_config *cfg_in,
                                 const veto_receipt_facts *f)
{
	veto_config cfg;
	vbuf b;
	if (!out_reset(out, out_len) || f == NULL)
		return VETO_E_ARG;
	if (veto__cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	rfacts *r = veto__vx_calloc(&cfg, 1, sizeof(*r)); /* 2 KiB of digests: not on a small stack */
	if (r == NULL)
		return VETO_E_NOMEM;
	r->f = f;
	r->cfg = &cfg;
	veto_status st = gather(r);
	if (st == VETO_OK && f->report != NULL && veto__rep_nomem(f->report))
		st = VETO_E_NOMEM; /* an incomplete report would make a receipt that says less */
	if (st == VETO_OK) {
		veto__vbuf_init(&b, &cfg);
		put_head(&b, r);
		put_update_image(&b, f->check);
		put_tail(&b, r);
		st = veto__vbuf_finish(&b, out, out_len);
	}
	veto__vx_free(&cfg, r);
	return st;
}

veto_status veto_receipt_sign(char **out, size_t *out_len, const veto_config *cfg_in,
                              const veto_receipt_facts *f, const uint8_t seed[VETO_SEEDBYTES])
{
	veto_config cfg;
	char *payload = NULL;
	size_t len = 0;
	if (!out_reset(out, out_len) || seed == NULL)
		return VETO_E_ARG;
	if (veto__cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	veto_status st = veto_receipt_payload(&payload, &len, &cfg, f);
	if (st == VETO_OK) {
		st = veto__env_sign_new(out, out_len, NULL, &cfg, VETO_TYPE_RECEIPT,
		                        (const uint8_t *)payload, len, seed);
		veto__vx_free(&cfg, payload);
	}
	return st;
}
