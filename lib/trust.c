/* SPDX-License-Identifier: Apache-2.0 */
/* Trusting policies (SPEC section 5): each policy against the owner role
 * trusted before it, every fault found before any is reported, and a
 * malformed policy reported alone.  Statuses: trust.h. */
#include <string.h>

#include "crypto.h"
#include "report.h"
#include "revocation.h"
#include "trust.h"

static void earlier_free(vpolicy *earlier, size_t n, const veto_config *cfg)
{
	for (size_t i = 0; i < n; i++)
		veto__policy_free(&earlier[i], cfg);
	veto__vx_free(cfg, earlier);
}

void veto__trusted_free(vtrusted *t, const veto_config *cfg)
{
	if (t->owned) {
		veto__policy_free(&t->own, cfg);
		veto_envelope_free(t->env);
	}
	earlier_free(t->earlier, t->n_earlier, cfg);
	memset(t, 0, sizeof(*t));
}

/* The owner role trusted now: the keys a new policy must be signed by, and
 * the policy that named them (NULL: the anchor's role), whose serial and
 * payload a new policy is compared with. */
typedef struct owner_role {
	vkey *keys;
	const uint16_t *idx; /* NULL: every key of keys */
	size_t n;
	unsigned threshold;
	const vpolicy *policy;
	const veto_envelope *env; /* policy's envelope */
} owner_role;

static void owner_of_policy(owner_role *o, const vpolicy *p, const veto_envelope *env)
{
	const vrole *r = &p->roles[p->owner];
	o->keys = p->keys;
	o->idx = r->keys;
	o->n = r->n_keys;
	o->threshold = r->threshold;
	o->policy = p;
	o->env = env;
}

/* The stored policy's owner role, else the anchor's.  Their keys were all
 * checked when the state was made; counting only marks keys of a new
 * policy. */
static void owner_of_state(owner_role *o, const veto_state *s)
{
	if (s->penv != NULL) {
		owner_of_policy(o, &s->policy, s->penv);
		return;
	}
	memset(o, 0, sizeof(*o));
	o->keys = s->anchor.keys;
	o->n = s->anchor.n_keys;
	o->threshold = s->anchor.threshold;
}

/* What stands against a well-formed policy, all found before any is
 * reported. */
typedef struct faults {
	size_t have, need;         /* signatures by the owner role trusted now */
	size_t have_own, need_own; /* by the policy's own owner role */
	uint64_t trusted_serial;
	bool rollback, equivocation, expired, wrong_device;
	/* (1.1) the verifier's time is before the policy's issued, or before
	 * the time floor (floor: its value) */
	bool behind_issued, behind_floor;
	int64_t floor;
} faults;

static bool any_fault(const faults *f)
{
	return f->have < f->need || f->have_own < f->need_own || f->rollback || f->equivocation ||
	       f->expired || f->wrong_device || f->behind_issued || f->behind_floor;
}

static void at_index(veto_reason *x, unsigned index)
{
	if (x != NULL)
		x->index = index;
}

/* (1.1) SPEC 5.1 rule 6 for p at now against the floor (has_floor,
 * floor): a time floor reset lifts only the floor, never issued. */
static void clock_faults(faults *f, const vpolicy *p, int64_t now, bool has_floor, int64_t floor)
{
	f->behind_issued = p->v11 && now < p->issued;
	f->behind_floor = has_floor && now < floor && !p->time_floor_reset;
	f->floor = floor;
}

static void clock_reason(veto_report *rep, const vpolicy *p, const faults *f, int64_t now,
                         unsigned index)
{
	char t_now[21], t_then[21];
	bool issued = f->behind_issued;
	if (veto_time_format(t_now, now) != VETO_OK)
		t_now[0] = '\0';
	if (veto_time_format(t_then, issued ? p->issued : f->floor) != VETO_OK)
		t_then[0] = '\0';
	at_index(veto__rep_addf(rep, VETO_R_CLOCK_BEHIND, "the verifier's time %s is earlier than %s %s",
	                  t_now, issued ? "the policy's issued" : "the time floor", t_then),
	         index);
}

static void sig_reason(veto_report *rep, veto_code code, unsigned index, size_t have, size_t need)
{
	veto_reason *x = veto__rep_add(rep, code);
	if (x == NULL)
		return;
	x->index = index;
	veto__str_copy(x->role, sizeof(x->role), "owner");
	x->has_counts = 1;
	x->have = have;
	x->need = need;
}

static void malformed_payload(veto_report *rep, const veto_diag *d, unsigned index)
{
	at_index(veto__rep_addf(rep, VETO_R_MALFORMED_POLICY, "payload: %s", d->detail), index);
}

/* Envelope and type: VETO_OK, VETO_REFUSED (reported) or VETO_E_NOMEM. */
static veto_status open_policy(veto_envelope **e, veto_report *rep, const veto_config *cfg,
                               const veto_bytes *doc, unsigned index)
{
	veto_diag d = {{0}};
	veto_status st = veto__env_parse(e, &d, cfg, doc->ptr, doc->len);
	if (st == VETO_E_NOMEM)
		return st;
	if (st != VETO_OK) {
		at_index(veto__rep_addf(rep, VETO_R_MALFORMED_POLICY, "%s", d.detail), index);
		return VETO_REFUSED;
	}
	if (!veto__env_type_is(*e, VETO_TYPE_POLICY)) {
		at_index(veto__rep_addf(rep, VETO_R_POLICY_TYPE, "payloadType is \"%.100s\", not \"%s\"",
		                  (*e)->type, VETO_TYPE_POLICY),
		         index);
		veto_envelope_free(*e);
		*e = NULL;
		return VETO_REFUSED;
	}
	return VETO_OK;
}

/* The payload, its keys left for keys_ok.  VETO_OK, VETO_REFUSED, VETO_E_NOMEM. */
static veto_status read_policy(vpolicy *p, veto_report *rep, const veto_config *cfg,
                               const veto_envelope *e, unsigned index)
{
	veto_diag d = {{0}};
	veto_status st = veto__policy_parse(p, &d, cfg, e->payload, e->payload_len, VKEY_CHECK_LATER);
	if (st == VETO_E_NOMEM)
		return st;
	if (st != VETO_OK) {
		malformed_payload(rep, &d, index);
		return VETO_REFUSED;
	}
	return VETO_OK;
}

/* Whether two envelopes carry the same payload, compared by digest. */
static bool same_payload(const veto_envelope *a, const veto_envelope *b)
{
	uint8_t ha[32], hb[32];
	veto__cr_sha256(ha, a->payload, a->payload_len);
	veto__cr_sha256(hb, b->payload, b->payload_len);
	return veto__cr_equal(ha, hb, 32);
}

/* Checks the keys no signature vouched for; false with malformed-policy
 * reported at the first bad one. */
static bool keys_ok(vpolicy *p, veto_report *rep, unsigned index)
{
	veto_diag d = {{0}};
	if (veto__policy_keys_check(p, &d) == VETO_OK)
		return true;
	malformed_payload(rep, &d, index);
	return false;
}

veto_status veto__trust_keys_check(vtrusted *t, veto_report *rep, unsigned index)
{
	return keys_ok(t->policy, rep, index) ? VETO_OK : VETO_REFUSED;
}

static void check_expiry(veto_report *rep, const vpolicy *p, int64_t now, unsigned index)
{
	char when[21];
	if (!p->has_expires || now < p->expires)
		return;
	if (veto_time_format(when, p->expires) != VETO_OK)
		when[0] = '\0';
	at_index(veto__rep_addf(rep, VETO_R_POLICY_EXPIRED, "policy serial %llu expired at %s",
	                  (unsigned long long)p->serial, when),
	         index);
}

/* dev: the device's names, read only when f->wrong_device. */
static void report_faults(veto_report *rep, const vpolicy *p, const faults *f,
                          const vanchor *dev, int64_t now, unsigned index)
{
	if (f->have < f->need)
		sig_reason(rep, VETO_R_POLICY_SIGNATURE, index, f->have, f->need);
	if (f->have_own < f->need_own)
		sig_reason(rep, VETO_R_POLICY_NEW_OWNER_SIGNATURE, index, f->have_own, f->need_own);
	if (f->rollback)
		at_index(veto__rep_addf(rep, VETO_R_POLICY_ROLLBACK,
		                  "policy serial %llu is below the trusted serial %llu",
		                  (unsigned long long)p->serial, (unsigned long long)f->trusted_serial),
		         index);
	if (f->equivocation)
		at_index(veto__rep_addf(rep, VETO_R_POLICY_EQUIVOCATION,
		                  "policy serial %llu is already trusted with other contents",
		                  (unsigned long long)p->serial),
		         index);
	if (f->expired)
		check_expiry(rep, p, now, index);
	if (f->wrong_device)
		at_index(veto__rep_addf(rep, VETO_R_POLICY_WRONG_DEVICE,
		                  "policy governs %s/%s, this device is %s/%s", p->vendor, p->model,
		                  dev->vendor, dev->model),
		         index);
	if (f->behind_issued || f->behind_floor)
		clock_reason(rep, p, f, now, index);
}

/* Reports a well-formed policy's faults; when its keys are checked now and
 * one is bad, only that (malformed-policy).  With keys_later, the keys of a
 * policy nothing else refuses wait for the update's signatures to vouch for
 * them.  VETO_OK, VETO_REFUSED or VETO_E_NOMEM. */
static veto_status judge(vpolicy *p, veto_report *rep, const faults *f, bool keys_later,
                         const vanchor *dev, int64_t now, unsigned index)
{
	size_t before = rep->n_refusals;
	bool keys_now = any_fault(f) || !keys_later;
	if (!keys_now || keys_ok(p, rep, index))
		report_faults(rep, p, f, dev, now, index);
	if (veto__rep_nomem(rep))
		return VETO_E_NOMEM;
	return rep->n_refusals == before ? VETO_OK : VETO_REFUSED;
}

/* A chain being trusted. */
typedef struct chain {
	veto_report *rep;
	const veto_config *cfg;
	const veto_state *s;
	int64_t now;
	bool defer_keys;
	owner_role owner; /* trusted now */
	bool has_floor;   /* (1.1) the time floor so far, policy by policy */
	int64_t floor;
} chain;

static veto_status chain_faults(const chain *ch, faults *f, const vpolicy *p, veto_envelope *e,
                                bool last)
{
	const vrole *own = &p->roles[p->owner];
	const vpolicy *cur = ch->owner.policy;
	const vanchor *dev = &ch->s->anchor;
	f->need_own = own->threshold;
	veto_status st = veto__env_count(e, p->keys, own->keys, own->n_keys, &f->have_own);
	if (st != VETO_OK)
		return st;
	f->trusted_serial = cur != NULL ? cur->serial : 0;
	f->rollback = cur != NULL && p->serial < cur->serial;
	f->equivocation = cur != NULL && p->serial == cur->serial && !same_payload(e, ch->owner.env);
	f->expired = last && p->has_expires && ch->now >= p->expires;
	f->wrong_device = strcmp(p->vendor, dev->vendor) != 0 || strcmp(p->model, dev->model) != 0;
	clock_faults(f, p, ch->now, ch->has_floor, ch->floor);
	return VETO_OK;
}

/* (1.1) After p is trusted the floor is the latest of itself and p's
 * issued; a time floor reset sets it to p's issued. */
static void floor_after(bool *has_floor, int64_t *floor, const vpolicy *p)
{
	if (!p->v11)
		return;
	if (p->time_floor_reset || !*has_floor || p->issued > *floor)
		*floor = p->issued;
	*has_floor = true;
}

/* The next policy of the chain against the owner role trusted now.  On
 * VETO_OK *e and *p are the caller's; otherwise nothing is kept. */
static veto_status trust_next(chain *ch, veto_envelope **e, vpolicy *p, const veto_bytes *doc,
                              unsigned index, bool last)
{
	faults f = {0};
	veto_status st = open_policy(e, ch->rep, ch->cfg, doc, index);
	if (st != VETO_OK)
		return st;
	f.need = ch->owner.threshold;
	st = veto__env_count(*e, ch->owner.keys, ch->owner.idx, ch->owner.n, &f.have);
	if (st == VETO_OK && f.have == 0) {
		/* No trusted owner key vouches for it: its payload is not read. */
		sig_reason(ch->rep, VETO_R_POLICY_SIGNATURE, index, 0, f.need);
		st = VETO_REFUSED;
	}
	if (st == VETO_OK)
		st = read_policy(p, ch->rep, ch->cfg, *e, index);
	if (st == VETO_OK) {
		st = chain_faults(ch, &f, p, *e, last);
		if (st == VETO_OK)
			st = judge(p, ch->rep, &f, ch->defer_keys && last, &ch->s->anchor, ch->now, index);
		if (st != VETO_OK)
			veto__policy_free(p, ch->cfg);
	}
	if (st != VETO_OK) {
		veto_envelope_free(*e);
		*e = NULL;
	}
	return st;
}

/* No policy handed in: the stored policy governs; its expiry and (1.1) the
 * clock are checked again now. */
static veto_status trust_stored(vtrusted *out, veto_report *rep, const veto_state *s, int64_t now)
{
	faults f = {0};
	out->env = s->penv;
	/* NOLINTNEXTLINE(performance-no-int-to-ptr): a borrowed view of the stored policy; never written (its keys are all valid, and gov_keys_check skips policies it does not own) */
	out->policy = (vpolicy *)(uintptr_t)&s->policy;
	out->has_floor = s->has_floor;
	out->floor = s->time_floor;
	size_t before = rep->n_refusals;
	check_expiry(rep, out->policy, now, 0);
	/* the stored policy's own reset was spent when it was trusted */
	clock_faults(&f, out->policy, now, s->has_floor, s->time_floor);
	f.behind_floor = s->has_floor && now < s->time_floor;
	if (f.behind_issued || f.behind_floor)
		clock_reason(rep, out->policy, &f, now, 0);
	return rep->n_refusals == before ? VETO_OK : VETO_REFUSED;
}

veto_status veto__trust_chain(vtrusted *out, veto_report *rep, const veto_config *cfg,
                        const veto_state *s, const veto_bytes *policies, size_t n, int64_t now,
                        bool defer_keys)
{
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return trust_stored(out, rep, s, now);
	chain ch = {rep, cfg, s, now, defer_keys, {0}, s->has_floor, s->time_floor};
	/* (1.1) each policy before the last lifts stored revocations as it is
	 * trusted (SPEC 5.3): they are kept for that when any are stored */
	vpolicy *earlier = NULL;
	size_t n_earlier = 0;
	if (n > 1 && s->n_revs > 0 && (earlier = veto__vx_calloc(cfg, n - 1, sizeof(*earlier))) == NULL)
		return VETO_E_NOMEM;
	owner_of_state(&ch.owner, s);
	for (size_t i = 0; i < n; i++) {
		veto_envelope *e = NULL;
		vpolicy p;
		veto_status st = trust_next(&ch, &e, &p, &policies[i], (unsigned)(i + 1), i + 1 == n);
		if (st == VETO_OK && earlier != NULL && out->owned) {
			earlier[n_earlier++] = out->own; /* moved: no longer out's to free */
			out->owned = false;
			veto_envelope_free(out->env);
		}
		veto__trusted_free(out, cfg);
		if (st != VETO_OK) {
			earlier_free(earlier, n_earlier, cfg);
			return st;
		}
		/* Trusted: it becomes the owner role the next one answers to. */
		out->own = p;
		out->policy = &out->own;
		out->env = e;
		out->owned = true;
		owner_of_policy(&ch.owner, &out->own, out->env);
		floor_after(&ch.has_floor, &ch.floor, &out->own);
	}
	out->has_floor = ch.has_floor;
	out->floor = ch.floor;
	out->earlier = earlier;
	out->n_earlier = n_earlier;
	return VETO_OK;
}

veto_status veto__trust_self(vtrusted *out, veto_report *rep, const veto_config *cfg,
                       const uint8_t *policy, size_t len, int64_t now, bool defer_keys)
{
	veto_envelope *e = NULL;
	veto_bytes doc = {policy, len};
	memset(out, 0, sizeof(*out));
	veto_status st = open_policy(&e, rep, cfg, &doc, 1);
	if (st != VETO_OK)
		return st;
	/* Pre-flight has no anchor: the policy's own owner role is the only
	 * root there is, so the payload is read to learn it. */
	st = read_policy(&out->own, rep, cfg, e, 1);
	if (st != VETO_OK) {
		veto_envelope_free(e);
		return st;
	}
	out->env = e;
	out->policy = &out->own;
	out->owned = true;
	const vrole *o = &out->own.roles[out->own.owner];
	faults f = {0};
	f.need = o->threshold;
	f.expired = out->own.has_expires && now >= out->own.expires;
	clock_faults(&f, &out->own, now, false, 0);
	st = veto__env_count(e, out->own.keys, o->keys, o->n_keys, &f.have);
	if (st == VETO_OK)
		st = judge(&out->own, rep, &f, defer_keys, NULL, now, 1);
	if (st != VETO_OK)
		veto__trusted_free(out, cfg);
	return st;
}

/* The state after a trust: the chain's last policy and time floor when
 * t is trusted (NULL: the stored policy stays), then the revocations. */
static veto_status trusted_state(veto_state **out, const veto_config *cfg,
                                 const veto_state *state, const vtrusted *t, const vrevs *h)
{
	const veto_envelope *env = t != NULL ? t->env : state->penv;
	const vpolicy *p = t != NULL ? t->policy : (state->penv != NULL ? &state->policy : NULL);
	veto_status st = veto__state_make(out, cfg, &state->anchor, env, p, state->counter,
	                            state->has_update ? state->update_sha256 : NULL,
	                            state->features, state->n_features);
	if (st == VETO_OK)
		st = veto__state_carry(*out, state);
	if (st == VETO_OK && t != NULL) {
		(*out)->has_floor = t->has_floor;
		(*out)->time_floor = t->floor;
	}
	vchain lift = {t != NULL ? t->earlier : NULL, t != NULL ? t->n_earlier : 0,
	               t != NULL ? t->policy : NULL};
	if (st == VETO_OK)
		st = veto__rev_store(*out, t != NULL ? &lift : NULL, h);
	if (st != VETO_OK) {
		veto_state_free(*out);
		*out = NULL;
	}
	return st;
}

static bool trust_args_ok(veto_state **out, const veto_report *rep, const veto_state *state,
                          const veto_bytes *policies, size_t n_policies, const veto_when *when)
{
	if (out == NULL || rep == NULL || state == NULL || when == NULL ||
	    (policies == NULL && n_policies > 0) ||
	    (when->revocations == NULL && when->n_revocations > 0) ||
	    n_policies + when->n_revocations == 0)
		return false;
	for (size_t i = 0; i < n_policies; i++)
		if (policies[i].ptr == NULL)
			return false;
	for (size_t i = 0; i < when->n_revocations; i++)
		if (when->revocations[i].ptr == NULL)
			return false;
	return true;
}

veto_status veto_trust_at(veto_state **out, veto_report *rep, const veto_config *cfg_in,
                          const veto_state *state, const veto_bytes *policies, size_t n_policies,
                          const veto_when *when)
{
	veto_config cfg;
	vtrusted t = {0};
	vrevs h;
	if (!trust_args_ok(out, rep, state, policies, n_policies, when))
		return VETO_E_ARG;
	*out = NULL;
	if (when->n_revocations > REV_MAX_HANDED)
		return VETO_E_LIMIT;
	if (n_policies == 0 && state->penv == NULL)
		return VETO_E_NO_POLICY;
	if (veto__cfg_enter(&cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	veto_status pst = VETO_REFUSED;
	if (n_policies > 0)
		pst = veto__trust_chain(&t, rep, &cfg, state, policies, n_policies, when->now, false);
	if (pst == VETO_E_NOMEM)
		return pst;
	bool fresh = pst == VETO_OK;
	/* revocations are judged under the policy that governs once the
	 * command's policies are trusted, else the stored one */
	const vpolicy *gov = fresh ? t.policy : (state->penv != NULL ? &state->policy : NULL);
	vchain lift = {t.earlier, t.n_earlier, t.policy};
	veto_status st = veto__rev_judge(&h, rep, &cfg, gov, fresh ? &lift : NULL, state,
	                                 when->revocations, when->n_revocations);
	if (st == VETO_OK)
		st = trusted_state(out, &cfg, state, fresh ? &t : NULL, &h);
	veto__rev_free(&h, &cfg);
	veto__trusted_free(&t, &cfg);
	if (st == VETO_OK && veto__rep_nomem(rep))
		st = VETO_E_NOMEM;
	if (st != VETO_OK) {
		veto_state_free(*out);
		*out = NULL;
		return st;
	}
	return rep->n_refusals > 0 ? VETO_REFUSED : VETO_OK;
}

veto_status veto_trust(veto_state **out, veto_report *rep, const veto_config *cfg,
                       const veto_state *state, const veto_bytes *policies, size_t n_policies,
                       int64_t now)
{
	veto_when when = {.now = now};
	if (policies == NULL || n_policies == 0)
		return VETO_E_ARG;
	veto_status st = veto_trust_at(out, rep, cfg, state, policies, n_policies, &when);
	if (st == VETO_REFUSED) {
		/* version 1's promise: nothing to store when the policies fail */
		veto_state_free(*out);
		*out = NULL;
	}
	return st;
}
