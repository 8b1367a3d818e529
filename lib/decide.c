/* SPDX-License-Identifier: Apache-2.0 */
/* A decision's life cycle (SPEC section 8): begun against the installed
 * state, fed the image as a stream, finished, committed.  The rules are in
 * rules.c, the pre-flight in preflight.c. */
#include <string.h>

#include "decision.h"
#include "report.h"

void veto_check_free(veto_check *c)
{
	if (c == NULL)
		return;
	veto_config cfg = c->cfg;
	veto__trusted_free(&c->gov, &cfg);
	veto__rev_free(&c->revs, &cfg);
	if (c->pf == NULL) { /* decision.h: otherwise both are the veto_preflight's */
		veto_envelope_free(c->uenv);
		if (c->upd_ok)
			veto__update_free(&c->upd, &cfg);
	}
	if (c->engine_state != NULL)
		cfg.sha256->end(c->engine_state, NULL);
	veto__cr_wipe(&c->hash, sizeof(c->hash));
	veto__vx_free(&cfg, c);
}

veto_status veto__decision_alloc(void **out, veto_config *cfg, const veto_config *cfg_in, size_t size)
{
	*out = NULL;
	if (veto__cfg_enter(cfg, cfg_in) != VETO_OK)
		return VETO_E_CRYPTO;
	*out = veto__vx_calloc(cfg, 1, size);
	return *out != NULL ? VETO_OK : VETO_E_NOMEM;
}

veto_status veto__check_new(veto_check **out, veto_report *rep, const veto_config *cfg_in)
{
	veto_config cfg;
	void *mem;
	*out = NULL;
	veto_status st = veto__decision_alloc(&mem, &cfg, cfg_in, sizeof(veto_check));
	if (st != VETO_OK)
		return st;
	veto_check *c = mem;
	c->cfg = cfg;
	c->rep = rep;
	*out = c;
	return VETO_OK;
}

veto_status veto__check_run(veto_check **out, veto_check *c, veto_status trusted,
                      const uint8_t *update, size_t update_len)
{
	veto_status st = trusted;
	if (trusted == VETO_OK || trusted == VETO_REFUSED) {
		c->gov_ok = trusted == VETO_OK;
		st = veto__eval_update(c, update, update_len);
		if (st == VETO_OK && veto__rep_nomem(c->rep))
			st = VETO_E_NOMEM;
	}
	if (st != VETO_OK) {
		veto_check_free(c);
		*out = NULL;
		return st;
	}
	*out = c;
	return VETO_OK;
}

/* (1.1) The revocations handed in, judged under the policy that governs
 * once the command's policies are trusted (its keys checked first), else
 * the stored one.  Returns the trust status the decision goes on with. */
static veto_status check_revocations(veto_check *c, veto_status trusted, const veto_when *when)
{
	const veto_state *s = c->state;
	if (trusted == VETO_OK && c->gov.owned)
		trusted = veto__trust_keys_check(&c->gov, c->rep, c->gov_index);
	bool fresh = trusted == VETO_OK && c->gov.owned;
	const vpolicy *gov = trusted == VETO_OK ? c->gov.policy
	                                        : (s->penv != NULL ? &s->policy : NULL);
	vchain lift = {c->gov.earlier, c->gov.n_earlier, c->gov.policy};
	veto_status st = veto__rev_judge(&c->revs, c->rep, &c->cfg, gov, fresh ? &lift : NULL, s,
	                                 when->revocations, when->n_revocations);
	return st != VETO_OK ? st : trusted;
}

veto_status veto_check_begin(veto_check **out, veto_report *rep, const veto_config *cfg,
                             const veto_state *state, const veto_bytes *policies,
                             size_t n_policies, const uint8_t *update, size_t update_len,
                             int64_t now)
{
	veto_when when = {.now = now};
	return veto_check_begin_at(out, rep, cfg, state, policies, n_policies, update, update_len,
	                           &when);
}

veto_status veto_check_begin_at(veto_check **out, veto_report *rep, const veto_config *cfg,
                                const veto_state *state, const veto_bytes *policies,
                                size_t n_policies, const uint8_t *update, size_t update_len,
                                const veto_when *when)
{
	veto_check *c;
	if (out == NULL || rep == NULL || state == NULL || update == NULL || when == NULL ||
	    (policies == NULL && n_policies) || (when->revocations == NULL && when->n_revocations))
		return VETO_E_ARG;
	for (size_t i = 0; i < when->n_revocations; i++)
		if (when->revocations[i].ptr == NULL)
			return VETO_E_ARG;
	if (when->n_revocations > REV_MAX_HANDED)
		return VETO_E_LIMIT;
	int64_t now = when->now;
	*out = NULL;
	for (size_t i = 0; i < n_policies; i++)
		if (policies[i].ptr == NULL)
			return VETO_E_ARG;
	if (n_policies == 0 && state->penv == NULL)
		return VETO_E_NO_POLICY;
	veto_status st = veto__check_new(&c, rep, cfg);
	if (st != VETO_OK)
		return st;
	c->state = state;
	memcpy(c->vendor, state->anchor.vendor, sizeof(c->vendor));
	memcpy(c->model, state->anchor.model, sizeof(c->model));
	c->inst_counter = state->counter;
	c->inst_counter_max = state->counter_max;
	c->now = now;
	c->has_local_time = when->has_local_time != 0;
	c->local_time = when->local_time;
	c->veto__eval_timing = when->installed == 0;
	c->inst_has_update = state->has_update;
	memcpy(c->inst_update_sha256, state->update_sha256, 32);
	c->inst_features = state->features;
	c->n_inst_features = state->n_features;
	c->gov_index = (unsigned)n_policies;
	st = veto__trust_chain(&c->gov, rep, &c->cfg, state, policies, n_policies, now, true);
	if (when->n_revocations > 0 && st != VETO_E_NOMEM)
		st = check_revocations(c, st, when);
	return veto__check_run(out, c, st, update, update_len);
}

/* No more of the image is read than can matter (SPEC section 8): nothing
 * when the update was not read (no image can change the decision), and at
 * most the manifest's size plus one byte, the byte that makes the answer
 * image-size whatever follows. */
int veto_check_wants_image(const veto_check *c)
{
	return c != NULL && !c->finished && c->upd_ok && c->image_size <= c->upd.size;
}

veto_status veto_check_image(veto_check *c, const uint8_t *data, size_t len)
{
	if (c == NULL || (data == NULL && len))
		return VETO_E_ARG;
	if (c->finished)
		return VETO_E_SEQUENCE;
	c->image_given = true;
	if (!veto_check_wants_image(c) || len == 0)
		return VETO_OK; /* bytes past the stop are ignored, never counted */
	/* image_size <= size <= 2^53-1 here, so room cannot wrap. */
	uint64_t room = c->upd.size + 1 - c->image_size;
	size_t take = (uint64_t)len > room ? (size_t)room : len;
	c->image_size += take;
	veto__cr_hash_update(&c->hash, data, take);
	if (c->engine_state != NULL)
		c->cfg.sha256->update(c->engine_state, data, take);
	return VETO_OK;
}

static void digest_differs(veto_check *c, const char *which)
{
	veto_reason *x = veto__rep_addf(c->rep, VETO_R_IMAGE_DIGEST,
	                          "the image's %s differs from the manifest's", which);
	if (x != NULL)
		veto__str_copy(x->offered, sizeof(x->offered), which);
}

/* An image longer than the manifest says: image-size alone, over the
 * bytes taken (the size plus one); no digest is compared or handed back. */
static void image_too_long(veto_check *c, veto_image_digests *computed)
{
	veto_reason *x = veto__rep_addf(c->rep, VETO_R_IMAGE_SIZE,
	                          "longer, so reading stopped at the first byte past it");
	if (x != NULL) {
		x->has_counts = 1;
		x->have = c->image_size;
		x->need = c->upd.size;
	}
	if (computed != NULL)
		computed->size = c->image_size;
}

/* The image fed against the manifest: its size, and every digest the
 * manifest carries (each must match, not just one). */
static void compare_image(veto_check *c, veto_image_digests *computed)
{
	const vupdate *u = &c->upd;
	uint8_t sha[32], b2[32];
	veto__cr_hash_final(&c->hash, sha, b2);
	if (c->engine_state != NULL) {
		c->cfg.sha256->end(c->engine_state, sha);
		c->engine_state = NULL;
	}
	if (c->image_size > u->size) {
		image_too_long(c, computed);
		return;
	}
	if (c->image_size != u->size) {
		veto_reason *x = veto__rep_add(c->rep, VETO_R_IMAGE_SIZE);
		if (x != NULL) {
			x->has_counts = 1;
			x->have = c->image_size;
			x->need = u->size;
		}
	}
	if (u->has_sha256 && !veto__cr_equal(sha, u->sha256, 32))
		digest_differs(c, "sha256");
	if (u->has_blake2b && !veto__cr_equal(b2, u->blake2b, 32))
		digest_differs(c, "blake2b-256");
	memcpy(c->image_sha256, sha, 32);
	memcpy(c->image_blake2b, b2, 32);
	if (computed != NULL) {
		computed->size = c->image_size;
		computed->has_sha256 = u->has_sha256;
		computed->has_blake2b = u->has_blake2b;
		memcpy(computed->sha256, sha, 32);
		memcpy(computed->blake2b256, b2, 32);
	}
}

veto_status veto_check_finish(veto_check *c, veto_image_digests *computed)
{
	if (c == NULL)
		return VETO_E_ARG;
	if (c->finished)
		return VETO_E_SEQUENCE;
	c->finished = true;
	if (computed != NULL)
		memset(computed, 0, sizeof(*computed));
	if (c->upd_ok && c->image_given)
		compare_image(c, computed);
	else if (c->upd_ok)
		veto__rep_addf(c->rep, VETO_N_IMAGE_UNCHECKED,
		         "decided on the manifest alone: the image was not checked");
	if (veto__rep_nomem(c->rep))
		return VETO_E_NOMEM;
	return veto__check_verdict(c);
}

/* The second reading: the image, when one was fed, compared with the
 * manifest once more, and the flags read again through volatile. */
static bool verdict_again(const veto_check *c)
{
	const volatile bool *gov_ok = &c->gov_ok;
	const volatile bool *upd_ok = &c->upd_ok;
	if (!*gov_ok || !*upd_ok)
		return false;
	if (!c->image_given)
		return true; /* decided on the manifest alone (image-unchecked) */
	const vupdate *u = &c->upd;
	bool same = c->image_size == u->size;
	if (u->has_sha256)
		same = same && veto__cr_equal(c->image_sha256, u->sha256, 32);
	if (u->has_blake2b)
		same = same && veto__cr_equal(c->image_blake2b, u->blake2b, 32);
	return same;
}

bool veto__check_accepted(const veto_check *c)
{
	const volatile uint32_t *v = &c->verdict;
	const volatile uint32_t *inv = &c->verdict_inv;
	return *v == VERDICT_ACCEPT && *inv == (uint32_t)~VERDICT_ACCEPT;
}

veto_status veto__check_verdict(veto_check *c)
{
	bool first = c->gov_ok && c->upd_ok && c->rep->n_refusals == 0;
	c->verdict = first ? VERDICT_ACCEPT : VERDICT_REFUSE;
	c->verdict_inv = ~c->verdict;
	if (!verdict_again(c) || !first) {
		c->verdict = VERDICT_REFUSE;
		c->verdict_inv = ~VERDICT_REFUSE;
	}
	return veto__check_accepted(c) ? VETO_OK : VETO_REFUSED;
}

void veto__check_update_digest(const veto_check *c, uint8_t out[32])
{
	if (c->has_upd_sha256)
		memcpy(out, c->upd_sha256, 32);
	else
		veto__cr_sha256(out, c->uenv->payload, c->uenv->payload_len);
}

veto_status veto_check_commit(veto_state **out, const veto_check *c)
{
	if (out == NULL || c == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (!c->finished || c->state == NULL)
		return VETO_E_SEQUENCE;
	if (!veto__check_accepted(c))
		return VETO_REFUSED; /* the verdict words, read again */
	if (!c->image_given)
		return VETO_E_SEQUENCE; /* committing always requires the checked image */
	const veto_state *s = c->state;
	/* The update's digest, what the new state records, is computed here
	 * (or was, by the rollback rule): never on a check that is not committed. */
	uint8_t sha[32];
	veto__check_update_digest(c, sha);
	veto_status st = veto__state_make(out, &c->cfg, &s->anchor, c->gov.env, c->gov.policy,
	                            c->upd.counter, sha, c->upd.features, c->upd.n_features);
	if (st == VETO_OK)
		st = veto__state_carry(*out, s); /* (1.1) the high-water mark is raised, never lowered */
	if (st != VETO_OK) {
		veto_state_free(*out);
		*out = NULL;
		return st;
	}
	(*out)->has_floor = c->gov.has_floor;
	(*out)->time_floor = c->gov.floor;
	/* (1.1) a policy recorded now is trusted now: its reinstate and its
	 * revocation_roles apply to what is stored; then the accepted
	 * revocations join */
	vchain lift = {c->gov.earlier, c->gov.n_earlier, c->gov.policy};
	st = veto__rev_store(*out, c->gov.owned ? &lift : NULL, &c->revs);
	if (st != VETO_OK) {
		veto_state_free(*out);
		*out = NULL;
	}
	return st;
}
