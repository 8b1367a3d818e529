/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "crypto.h"
#include "report.h"
#include "trust.h"

void trusted_free(vtrusted *t, const veto_config *cfg)
{
	if (t->owned) {
		policy_free(&t->own, cfg);
		veto_envelope_free(t->env);
	}
	memset(t, 0, sizeof(*t));
}

static void sig_reason(veto_report *rep, veto_code code, unsigned index, int have, unsigned need)
{
	veto_reason *x = rep_add(rep, code);
	if (x == NULL)
		return;
	x->index = index;
	str_copy(x->role, sizeof(x->role), "owner");
	x->has_counts = 1;
	x->have = (uint64_t)have;
	x->need = need;
}

/* Envelope and type; VETO_OK or a refusal already reported. */
static int open_policy(veto_envelope **e, veto_report *rep, const veto_config *cfg,
                       const uint8_t *bytes, size_t len, unsigned index)
{
	veto_diag d = {{0}};
	veto_status st = env_parse(e, &d, cfg, bytes, len);
	if (st == VETO_E_NOMEM)
		return TRUST_NOMEM;
	if (st != VETO_OK) {
		veto_reason *x = rep_addf(rep, VETO_R_MALFORMED_POLICY, "%s", d.detail);
		if (x != NULL)
			x->index = index;
		return TRUST_REFUSED;
	}
	if (!env_type_is(*e, VETO_TYPE_POLICY)) {
		veto_reason *x = rep_addf(rep, VETO_R_POLICY_TYPE, "payloadType is \"%.100s\", not \"%s\"",
		                          (*e)->type, VETO_TYPE_POLICY);
		if (x != NULL)
			x->index = index;
		veto_envelope_free(*e);
		*e = NULL;
		return TRUST_REFUSED;
	}
	return TRUST_OK;
}

static int read_policy(vpolicy *p, veto_report *rep, const veto_config *cfg,
                       const veto_envelope *e, unsigned index, unsigned flags)
{
	veto_diag d = {{0}};
	(void)flags;
	veto_status st = policy_parse(p, &d, cfg, e->payload, e->payload_len, VKEY_CHECK_LATER);
	if (st == VETO_E_NOMEM)
		return TRUST_NOMEM;
	if (st != VETO_OK) {
		veto_reason *x = rep_addf(rep, VETO_R_MALFORMED_POLICY, "payload: %s", d.detail);
		if (x != NULL)
			x->index = index;
		return TRUST_REFUSED;
	}
	return TRUST_OK;
}

/* Whether two envelopes carry the same payload, compared by digest. */
static int same_payload(const veto_envelope *a, const veto_envelope *b)
{
	uint8_t ha[32], hb[32];
	cr_sha256(ha, a->payload, a->payload_len);
	cr_sha256(hb, b->payload, b->payload_len);
	return cr_equal(ha, hb, 32);
}

static int keys_ok(vpolicy *p, veto_report *rep, unsigned index)
{
	veto_diag d = {{0}};
	if (policy_keys_check(p, &d) == VETO_OK)
		return 1;
	veto_reason *x = rep_addf(rep, VETO_R_MALFORMED_POLICY, "payload: %s", d.detail);
	if (x != NULL)
		x->index = index;
	return 0;
}

int trust_keys_check(vtrusted *t, veto_report *rep, unsigned index)
{
	return keys_ok(t->policy, rep, index) ? TRUST_OK : TRUST_REFUSED;
}

static void check_expiry(veto_report *rep, const vpolicy *p, int64_t now, unsigned index)
{
	char when[21];
	if (!p->has_expires || now < p->expires)
		return;
	if (veto_time_format(when, p->expires) != VETO_OK)
		when[0] = '\0';
	veto_reason *x = rep_addf(rep, VETO_R_POLICY_EXPIRED,
	                          "policy serial %llu expired at %s",
	                          (unsigned long long)p->serial, when);
	if (x != NULL)
		x->index = index;
}

int trust_chain(vtrusted *out, veto_report *rep, const veto_config *cfg, const veto_state *s,
                const veto_bytes *policies, size_t n, int64_t now, int defer_keys)
{
	memset(out, 0, sizeof(*out));
	if (n == 0) {
		/* The stored policy governs; its expiry is checked again now. */
		out->env = s->penv;
		/* NOLINTNEXTLINE(performance-no-int-to-ptr): a borrowed view of the stored policy; never written (its keys are all valid, and gov_keys_check skips policies it does not own) */
		out->policy = (vpolicy *)(uintptr_t)&s->policy;
		size_t before = rep->n_refusals;
		check_expiry(rep, out->policy, now, 0);
		return rep->n_refusals == before ? TRUST_OK : TRUST_REFUSED;
	}

	/* The owner role trusted now: the stored policy's, else the anchor.
	 * Their keys were all checked when the state was made; the counting
	 * below only marks keys of the new policy. */
	vkey *rkeys = s->anchor.keys;
	const uint16_t *ridx = NULL;
	size_t rn = s->anchor.n_keys;
	unsigned rthr = s->anchor.threshold;
	int has_serial = s->penv != NULL;
	uint64_t serial = has_serial ? s->policy.serial : 0;
	/* The trusted payload, whose digest only an equal serial needs. */
	const veto_envelope *cur = s->penv;
	if (has_serial) {
		const vrole *o = &s->policy.roles[s->policy.owner];
		rkeys = s->policy.keys;
		ridx = o->keys;
		rn = o->n_keys;
		rthr = o->threshold;
	}

	for (size_t i = 0; i < n; i++) {
		unsigned index = (unsigned)(i + 1);
		veto_envelope *e = NULL;
		vpolicy p;
		int rc = open_policy(&e, rep, cfg, policies[i].ptr, policies[i].len, index);
		if (rc != TRUST_OK)
			goto stop;
		size_t have;
		if (env_count(e, rkeys, ridx, rn, &have) != VETO_OK) {
			rc = TRUST_NOMEM;
			veto_envelope_free(e);
			goto stop;
		}
		if (have == 0) {
			/* No trusted owner key vouches for it: its payload is not read. */
			sig_reason(rep, VETO_R_POLICY_SIGNATURE, index, 0, rthr);
			veto_envelope_free(e);
			rc = TRUST_REFUSED;
			goto stop;
		}
		rc = read_policy(&p, rep, cfg, e, index, 0);
		if (rc != TRUST_OK) {
			veto_envelope_free(e);
			goto stop;
		}
		/* Every condition first, reported only once the policy is known to
		 * be well formed: a malformed policy is reported alone. */
		const vrole *no = &p.roles[p.owner];
		size_t n2;
		int have2 = env_count(e, p.keys, no->keys, no->n_keys, &n2) == VETO_OK ? (int)n2 : -1;
		int rollback = has_serial && p.serial < serial;
		int equivocation = has_serial && !rollback && p.serial == serial && !same_payload(e, cur);
		int expired = i + 1 == n && p.has_expires && now >= p.expires;
		int wrong_device = strcmp(p.vendor, s->anchor.vendor) != 0 ||
		                   strcmp(p.model, s->anchor.model) != 0;
		int fails = (unsigned)have < rthr || (have2 >= 0 && (unsigned)have2 < no->threshold) ||
		            rollback || equivocation || expired || wrong_device;
		size_t before = rep->n_refusals;
		/* The last policy's keys may wait for the update's signatures to
		 * vouch for them, when nothing else refuses it. */
		if (have2 < 0) {
			rc = TRUST_NOMEM;
		} else if ((fails || !defer_keys || i + 1 < n) && !keys_ok(&p, rep, index)) {
			/* reported: malformed-policy */
		} else {
			if ((unsigned)have < rthr)
				sig_reason(rep, VETO_R_POLICY_SIGNATURE, index, (int)have, rthr);
			if ((unsigned)have2 < no->threshold)
				sig_reason(rep, VETO_R_POLICY_NEW_OWNER_SIGNATURE, index, have2, no->threshold);
			if (rollback) {
				veto_reason *x = rep_addf(rep, VETO_R_POLICY_ROLLBACK,
				                          "policy serial %llu is below the trusted serial %llu",
				                          (unsigned long long)p.serial,
				                          (unsigned long long)serial);
				if (x != NULL)
					x->index = index;
			}
			if (equivocation) {
				veto_reason *x = rep_addf(rep, VETO_R_POLICY_EQUIVOCATION,
				                          "policy serial %llu is already trusted with other "
				                          "contents", (unsigned long long)p.serial);
				if (x != NULL)
					x->index = index;
			}
			if (expired)
				check_expiry(rep, &p, now, index);
			if (wrong_device) {
				veto_reason *x = rep_addf(rep, VETO_R_POLICY_WRONG_DEVICE,
				                          "policy governs %s/%s, this device is %s/%s", p.vendor,
				                          p.model, s->anchor.vendor, s->anchor.model);
				if (x != NULL)
					x->index = index;
			}
		}
		if (rc == TRUST_NOMEM || rep->n_refusals != before || rep_nomem(rep)) {
			policy_free(&p, cfg);
			veto_envelope_free(e);
			if (rc != TRUST_NOMEM)
				rc = rep_nomem(rep) ? TRUST_NOMEM : TRUST_REFUSED;
			goto stop;
		}
		/* Trusted: it becomes the owner role the next one answers to. */
		trusted_free(out, cfg);
		out->own = p;
		out->policy = &out->own;
		out->env = e;
		out->owned = 1;
		const vrole *o = &out->own.roles[out->own.owner];
		rkeys = out->own.keys;
		ridx = o->keys;
		rn = o->n_keys;
		rthr = o->threshold;
		has_serial = 1;
		serial = out->own.serial;
		cur = out->env;
		continue;
stop:
		trusted_free(out, cfg);
		return rc;
	}
	return TRUST_OK;
}

int trust_self(vtrusted *out, veto_report *rep, const veto_config *cfg, const uint8_t *policy,
               size_t len, int64_t now, int defer_keys)
{
	veto_envelope *e = NULL;
	memset(out, 0, sizeof(*out));
	int rc = open_policy(&e, rep, cfg, policy, len, 1);
	if (rc != TRUST_OK)
		return rc;
	/* Pre-flight has no anchor: the policy's own owner role is the only
	 * root there is, so the payload is read to learn it. */
	rc = read_policy(&out->own, rep, cfg, e, 1, 0);
	if (rc != TRUST_OK) {
		veto_envelope_free(e);
		return rc;
	}
	out->env = e;
	out->policy = &out->own;
	out->owned = 1;
	size_t before = rep->n_refusals;
	const vrole *o = &out->own.roles[out->own.owner];
	size_t have;
	if (env_count(e, out->own.keys, o->keys, o->n_keys, &have) != VETO_OK) {
		trusted_free(out, cfg);
		return TRUST_NOMEM;
	}
	int expired = out->own.has_expires && now >= out->own.expires;
	int fails = (unsigned)have < o->threshold || expired;
	if ((fails || !defer_keys) && !keys_ok(&out->own, rep, 1)) {
		/* reported alone: malformed-policy */
	} else {
		if ((unsigned)have < o->threshold)
			sig_reason(rep, VETO_R_POLICY_SIGNATURE, 1, (int)have, o->threshold);
		if (expired)
			check_expiry(rep, &out->own, now, 1);
	}
	if (rep_nomem(rep)) {
		trusted_free(out, cfg);
		return TRUST_NOMEM;
	}
	if (rep->n_refusals != before) {
		trusted_free(out, cfg);
		return TRUST_REFUSED;
	}
	return TRUST_OK;
}

veto_status veto_trust(veto_state **out, veto_report *rep, const veto_config *cfg_in,
                       const veto_state *state, const veto_bytes *policies, size_t n_policies,
                       int64_t now)
{
	veto_config cfg;
	vtrusted t;
	if (out == NULL || rep == NULL || state == NULL || policies == NULL || n_policies == 0)
		return VETO_E_ARG;
	*out = NULL;
	for (size_t i = 0; i < n_policies; i++)
		if (policies[i].ptr == NULL)
			return VETO_E_ARG;
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	cfg_resolve(&cfg, cfg_in);
	int rc = trust_chain(&t, rep, &cfg, state, policies, n_policies, now, 0);
	if (rc == TRUST_NOMEM)
		return VETO_E_NOMEM;
	if (rc != TRUST_OK)
		return VETO_REFUSED;
	veto_status st = state_make(out, &cfg, &state->anchor, t.env, t.policy, state->counter,
	                            state->has_update ? state->update_sha256 : NULL,
	                            state->features, state->n_features);
	trusted_free(&t, &cfg);
	return st;
}
