/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "report.h"
#include "trust.h"

/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding): one per decision; fields grouped by step */
struct veto_check {
	veto_config cfg;
	veto_report *rep;
	const veto_state *state; /* NULL for a pre-flight */
	vtrusted gov;
	int gov_ok;
	unsigned gov_index; /* position of the governing policy among those handed in */
	veto_envelope *uenv;
	int uenv_borrowed; /* owned by a veto_preflight */
	vupdate upd;
	int upd_borrowed; /* upd's arrays belong to a veto_preflight */
	int upd_ok; /* payload verified, read and evaluated */
	char vendor[65];
	char model[65];
	/* what runs now */
	uint64_t inst_counter;
	int inst_has_update;
	uint8_t inst_update_sha256[32];
	const vfeat *inst_features;
	size_t n_inst_features;
	cr_hash hash;
	void *engine_state; /* the embedder's SHA-256 state, when it has an engine */
	uint8_t upd_sha256[32]; /* of the update payload, computed when first needed */
	int has_upd_sha256;
	int image_given;
	uint64_t image_size;
	int image_overflow;
	int finished;
	int accepted;
};

void veto_check_free(veto_check *c)
{
	if (c == NULL)
		return;
	veto_config cfg = c->cfg;
	trusted_free(&c->gov, &cfg);
	if (!c->uenv_borrowed)
		veto_envelope_free(c->uenv);
	if (c->upd_ok && !c->upd_borrowed)
		update_free(&c->upd, &cfg);
	if (c->engine_state != NULL)
		cfg.sha256->end(c->engine_state, NULL);
	cr_wipe(&c->hash, sizeof(c->hash));
	vx_free(&cfg, c);
}

/* Whether every role flagged by `waiver` meets its threshold on the update. */
static int waivers_met(veto_check *c, vpolicy *p, int *nomem)
{
	if (p->n_waiver == 0)
		return 0; /* removal_requires empty: no waiver is possible */
	for (size_t r = 0; r < p->n_roles; r++) {
		const vrole *role = &p->roles[r];
		if (!role->waiver)
			continue;
		size_t have;
		if (env_count(c->uenv, p->keys, role->keys, role->n_keys, &have) != VETO_OK) {
			*nomem = 1;
			return 0;
		}
		if ((unsigned)have < role->threshold)
			return 0;
	}
	return 1;
}

/* "waived by owner, security-team", or why no waiver is possible. */
static void waiver_phrase(char *buf, size_t cap, const vpolicy *p, int waived)
{
	size_t at = 0;
	if (p->n_waiver == 0) {
		snprintf(buf, cap, "the policy allows no waiver");
		return;
	}
	int n = snprintf(buf, cap, "%s", waived ? "waived by " : "not waived: needs the signatures of ");
	at = n > 0 ? (size_t)n : 0;
	for (size_t r = 0, k = 0; r < p->n_roles && at < cap; r++) {
		if (!p->roles[r].waiver)
			continue;
		n = snprintf(buf + at, cap - at, "%s%s", k++ ? ", " : "", p->roles[r].name);
		if (n < 0)
			break;
		at += (size_t)n;
	}
}

static void eval_features(veto_check *c, vpolicy *p, int *nomem)
{
	const vupdate *u = &c->upd;
	veto_report *rep = c->rep;
	int waived = -1; /* computed on first need */
	char why[128];

	for (size_t i = 0; i < p->n_protect; i++) {
		const vfeat *want = &p->protect[i];
		size_t at = 0, rm;
		int removed = !feat_find(u->features, u->n_features, want->name, &at);
		int downgraded = !removed && want->nparts > 0 &&
		                 feat_version_cmp(&u->features[at], want) < 0;
		if (!removed && !downgraded)
			continue;
		char offered[80] = "", need[80];
		if (downgraded)
			feat_version_text(offered, sizeof(offered), &u->features[at]);
		feat_version_text(need, sizeof(need), want);
		veto_reason *x;
		if (!feat_find(u->removes, u->n_removes, want->name, &rm)) {
			/* Never waivable: a removal must be declared to be signed off. */
			x = rep_add(rep, VETO_R_UNDECLARED_REMOVAL);
			if (x != NULL) {
				str_copy(x->feature, sizeof(x->feature), want->name);
				str_copy(x->offered, sizeof(x->offered), offered);
				snprintf(x->detail, sizeof(x->detail), "%s without being named in \"removes\"",
				         removed ? "removed" : "downgraded");
			}
			continue;
		}
		if (waived < 0) {
			waived = waivers_met(c, p, nomem);
			waiver_phrase(why, sizeof(why), p, waived);
		}
		if (waived) {
			x = rep_addf(rep, VETO_N_FEATURE_REMOVAL_WAIVED, "%s", why);
			if (x != NULL)
				str_copy(x->feature, sizeof(x->feature), want->name);
		} else if (removed) {
			x = rep_addf(rep, VETO_R_FEATURE_REMOVED, "declared in \"removes\"; %s", why);
			if (x != NULL)
				str_copy(x->feature, sizeof(x->feature), want->name);
		} else {
			x = rep_addf(rep, VETO_R_FEATURE_DOWNGRADED, "needs >= %s; declared in \"removes\"; %s",
			             need, why);
			if (x != NULL) {
				str_copy(x->feature, sizeof(x->feature), want->name);
				str_copy(x->offered, sizeof(x->offered), offered);
			}
		}
	}
	/* Every loss the owner would see, protected or not. */
	for (size_t i = 0; i < c->n_inst_features; i++) {
		size_t at;
		if (feat_find(u->features, u->n_features, c->inst_features[i].name, &at))
			continue;
		veto_reason *x = rep_add(rep, VETO_N_FEATURE_DROPPED);
		if (x != NULL)
			str_copy(x->feature, sizeof(x->feature), c->inst_features[i].name);
	}
}

static const uint8_t *update_digest(veto_check *c)
{
	if (!c->has_upd_sha256) {
		cr_sha256(c->upd_sha256, c->uenv->payload, c->uenv->payload_len);
		c->has_upd_sha256 = 1;
	}
	return c->upd_sha256;
}

static void eval_rollback(veto_check *c, const vpolicy *p)
{
	const vupdate *u = &c->upd;
	veto_reason *x = NULL;
	if (u->counter < c->inst_counter) {
		x = rep_addf(c->rep, VETO_R_ROLLBACK, "below the installed counter %llu",
		             (unsigned long long)c->inst_counter);
	} else if (u->counter < p->min_counter) {
		x = rep_addf(c->rep, VETO_R_ROLLBACK, "below the policy's min_security_counter %llu",
		             (unsigned long long)p->min_counter);
	} else if (u->counter == c->inst_counter &&
	           !(c->inst_has_update && cr_equal(update_digest(c), c->inst_update_sha256, 32))) {
		/* Only a byte-identical re-install may repeat a counter. */
		x = rep_addf(c->rep, VETO_R_ROLLBACK,
		             "equal to the installed counter, but not a re-install of the installed update");
	}
	if (x != NULL) {
		/* need: the smallest counter a new release could carry and pass */
		uint64_t next = c->inst_counter + 1;
		x->has_counts = 1;
		x->have = u->counter;
		x->need = next > p->min_counter ? next : p->min_counter;
	}
}

#define PF_KNOWN_KEYS 64

struct veto_preflight {
	veto_config cfg;
	veto_envelope *uenv; /* NULL when malformed */
	veto_status env_status;
	veto_diag env_diag;
	/* Keys already found well formed in earlier policies: most policies
	 * name the same vendor and auditor keys. */
	uint8_t known[PF_KNOWN_KEYS][32];
	size_t n_known;
	/* The update payload does not depend on the policy: read once, the
	 * first time a policy's vendor key vouched for it. */
	int upd_read;
	veto_status upd_status;
	veto_diag upd_diag;
	vupdate upd;
};

/* The governing policy's keys that no signature vouched for are checked
 * now, after the update's signatures had their chance to vouch. */
static int gov_keys_check(veto_check *c, veto_preflight *pf)
{
	vpolicy *p = c->gov.policy;
	if (!c->gov.owned)
		return TRUST_OK; /* the stored policy: checked when it was trusted */
	if (pf != NULL)
		for (size_t i = 0; i < p->n_keys; i++)
			for (size_t k = 0; k < pf->n_known && !p->keys[i].valid; k++)
				if (memcmp(pf->known[k], p->keys[i].pk, 32) == 0)
					p->keys[i].valid = 1;
	int rc = trust_keys_check(&c->gov, c->rep, c->gov_index);
	if (rc == TRUST_OK && pf != NULL)
		for (size_t i = 0; i < p->n_keys && pf->n_known < PF_KNOWN_KEYS; i++) {
			size_t k = 0;
			while (k < pf->n_known && memcmp(pf->known[k], p->keys[i].pk, 32) != 0)
				k++;
			if (k == pf->n_known)
				memcpy(pf->known[pf->n_known++], p->keys[i].pk, 32);
		}
	return rc;
}

static veto_status eval_update(veto_check *c, const uint8_t *update, size_t update_len,
                               veto_preflight *pf)
{
	veto_diag d = {{0}};
	veto_report *rep = c->rep;
	veto_status st;
	if (pf != NULL) {
		st = pf->env_status;
		d = pf->env_diag;
		c->uenv = pf->uenv;
		c->uenv_borrowed = 1;
	} else {
		st = env_parse(&c->uenv, &d, &c->cfg, update, update_len);
	}
	if (st == VETO_E_NOMEM)
		return st;
	if (st != VETO_OK || !env_type_is(c->uenv, VETO_TYPE_UPDATE)) {
		if (st != VETO_OK)
			rep_addf(rep, VETO_R_MALFORMED_UPDATE, "%s", d.detail);
		else
			rep_addf(rep, VETO_R_UPDATE_TYPE, "payloadType is \"%.100s\", not \"%s\"",
			         c->uenv->type, VETO_TYPE_UPDATE);
		/* No signature can vouch for the policy's keys now: check them, so
		 * a malformed policy is reported beside the update's fault. */
		if (c->gov_ok && gov_keys_check(c, pf) != TRUST_OK)
			c->gov_ok = 0;
		return rep_nomem(rep) ? VETO_E_NOMEM : VETO_OK;
	}
	if (!c->gov_ok)
		return VETO_OK; /* no policy to judge the update by */

	vpolicy *p = c->gov.policy;
	const vrole *vendor = &p->roles[p->vendor_role];
	size_t have;
	if (env_count(c->uenv, p->keys, vendor->keys, vendor->n_keys, &have) != VETO_OK)
		return VETO_E_NOMEM;
	/* Signatures are counted on the envelope alone; they also vouch for
	 * their keys before the policy's remaining keys are checked. */
	int counts[VETO_MAX_ROLES];
	for (size_t r = 0; have > 0 && r < p->n_roles; r++) {
		const vrole *role = &p->roles[r];
		size_t n = 0;
		if (role->required &&
		    env_count(c->uenv, p->keys, role->keys, role->n_keys, &n) != VETO_OK)
			return VETO_E_NOMEM;
		counts[r] = (int)n;
	}
	/* Only now is the policy known to be well formed; a malformed policy
	 * leaves the update unjudged. */
	if (gov_keys_check(c, pf) != TRUST_OK) {
		c->gov_ok = 0;
		return rep_nomem(rep) ? VETO_E_NOMEM : VETO_OK;
	}
	if (have == 0) {
		rep_addf(rep, VETO_R_UPDATE_UNTRUSTED,
		         "no signature by a key of the vendor role verifies; the manifest was not read");
		return VETO_OK;
	}
	/* A vendor-role key of a trusted policy vouched: the payload is read. */
	if (pf != NULL) {
		if (!pf->upd_read) {
			pf->upd_status = update_parse(&pf->upd, &pf->upd_diag, &pf->cfg, c->uenv->payload,
			                              c->uenv->payload_len);
			if (pf->upd_status == VETO_E_NOMEM)
				return VETO_E_NOMEM; /* not remembered: the next policy tries again */
			pf->upd_read = 1;
		}
		st = pf->upd_status;
		d = pf->upd_diag;
		if (st == VETO_OK) {
			c->upd = pf->upd; /* a view: the arrays stay pf's */
			c->upd_borrowed = 1;
		}
	} else {
		st = update_parse(&c->upd, &d, &c->cfg, c->uenv->payload, c->uenv->payload_len);
	}
	if (st == VETO_E_NOMEM)
		return st;
	if (st != VETO_OK) {
		rep_addf(rep, VETO_R_MALFORMED_UPDATE, "payload: %s", d.detail);
		return VETO_OK;
	}
	c->upd_ok = 1;
	const vupdate *u = &c->upd;

	for (size_t r = 0; r < p->n_roles; r++) {
		const vrole *role = &p->roles[r];
		if (role->required && (unsigned)counts[r] < role->threshold) {
			veto_reason *x = rep_add(rep, VETO_R_COSIGNATURE_MISSING);
			if (x != NULL) {
				str_copy(x->role, sizeof(x->role), role->name);
				x->has_counts = 1;
				x->have = (uint64_t)counts[r];
				x->need = role->threshold;
			}
		}
	}
	if (strcmp(u->vendor, c->vendor) != 0 || strcmp(u->model, c->model) != 0)
		rep_addf(rep, VETO_R_WRONG_DEVICE, "update is for %s/%s, this device is %s/%s",
		         u->vendor, u->model, c->vendor, c->model);
	eval_rollback(c, p);
	int nomem = 0;
	eval_features(c, p, &nomem);
	if (nomem)
		return VETO_E_NOMEM;
	if (!((u->has_sha256 && (p->digests & DIGEST_SHA256)) ||
	      (u->has_blake2b && (p->digests & DIGEST_BLAKE2B)))) {
		veto_reason *x = rep_addf(rep, VETO_R_DIGEST_NOT_ALLOWED,
		                          "the manifest carries no image digest that the policy accepts");
		if (x != NULL)
			snprintf(x->offered, sizeof(x->offered), "%s%s%s", u->has_sha256 ? "sha256" : "",
			         u->has_sha256 && u->has_blake2b ? "," : "",
			         u->has_blake2b ? "blake2b-256" : "");
	}
	if (u->size > p->max_image) {
		veto_reason *x = rep_add(rep, VETO_R_IMAGE_TOO_LARGE);
		if (x != NULL) {
			x->has_counts = 1;
			x->have = u->size;
			x->need = p->max_image;
		}
	}
	const veto_sha256_engine *eng = c->cfg.sha256;
	int own_sha = u->has_sha256 && eng == NULL;
	if (u->has_sha256 && eng != NULL) {
		c->engine_state = eng->begin(eng->ctx);
		if (c->engine_state == NULL)
			return VETO_E_NOMEM;
	}
	cr_hash_init(&c->hash, own_sha, u->has_blake2b);
	return rep_nomem(rep) ? VETO_E_NOMEM : VETO_OK;
}

static veto_status check_new(veto_check **out, veto_report *rep, const veto_config *cfg_in)
{
	*out = NULL;
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	veto_config cfg;
	cfg_resolve(&cfg, cfg_in);
	veto_check *c = vx_calloc(&cfg, 1, sizeof(*c));
	if (c == NULL)
		return VETO_E_NOMEM;
	c->cfg = cfg;
	c->rep = rep;
	*out = c;
	return VETO_OK;
}

static veto_status check_run(veto_check **out, veto_check *c, int trust_rc,
                             const uint8_t *update, size_t update_len, veto_preflight *pf)
{
	veto_status st = VETO_E_NOMEM;
	if (trust_rc == TRUST_NOMEM)
		goto fail;
	c->gov_ok = trust_rc == TRUST_OK;
	st = eval_update(c, update, update_len, pf);
	if (st != VETO_OK || rep_nomem(c->rep)) {
		st = st != VETO_OK ? st : VETO_E_NOMEM;
		goto fail;
	}
	*out = c;
	return VETO_OK;
fail:
	veto_check_free(c);
	*out = NULL;
	return st;
}

veto_status veto_check_begin(veto_check **out, veto_report *rep, const veto_config *cfg,
                             const veto_state *state, const veto_bytes *policies,
                             size_t n_policies, const uint8_t *update, size_t update_len,
                             int64_t now)
{
	veto_check *c;
	if (out == NULL || rep == NULL || state == NULL || update == NULL ||
	    (policies == NULL && n_policies))
		return VETO_E_ARG;
	*out = NULL;
	for (size_t i = 0; i < n_policies; i++)
		if (policies[i].ptr == NULL)
			return VETO_E_ARG;
	if (n_policies == 0 && state->penv == NULL)
		return VETO_E_NO_POLICY;
	veto_status st = check_new(&c, rep, cfg);
	if (st != VETO_OK)
		return st;
	c->state = state;
	memcpy(c->vendor, state->anchor.vendor, sizeof(c->vendor));
	memcpy(c->model, state->anchor.model, sizeof(c->model));
	c->inst_counter = state->counter;
	c->inst_has_update = state->has_update;
	memcpy(c->inst_update_sha256, state->update_sha256, 32);
	c->inst_features = state->features;
	c->n_inst_features = state->n_features;
	c->gov_index = (unsigned)n_policies;
	int rc = trust_chain(&c->gov, rep, &c->cfg, state, policies, n_policies, now, 1);
	return check_run(out, c, rc, update, update_len, NULL);
}

veto_status veto_preflight_new(veto_preflight **out, const veto_config *cfg,
                               const uint8_t *update, size_t update_len)
{
	veto_config c;
	if (out == NULL || update == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	cfg_resolve(&c, cfg);
	veto_preflight *pf = vx_calloc(&c, 1, sizeof(*pf));
	if (pf == NULL)
		return VETO_E_NOMEM;
	pf->cfg = c;
	pf->env_status = env_parse(&pf->uenv, &pf->env_diag, &c, update, update_len);
	if (pf->env_status == VETO_E_NOMEM) {
		vx_free(&c, pf);
		return VETO_E_NOMEM;
	}
	*out = pf;
	return VETO_OK;
}

void veto_preflight_free(veto_preflight *pf)
{
	if (pf == NULL)
		return;
	veto_config cfg = pf->cfg;
	veto_envelope_free(pf->uenv);
	if (pf->upd_read && pf->upd_status == VETO_OK)
		update_free(&pf->upd, &cfg);
	vx_free(&cfg, pf);
}

veto_status veto_preflight_check(veto_check **out, veto_report *rep, veto_preflight *pf,
                                 const uint8_t *policy, size_t policy_len, int64_t now)
{
	veto_check *c;
	if (out == NULL || rep == NULL || pf == NULL || policy == NULL)
		return VETO_E_ARG;
	*out = NULL;
	veto_status st = check_new(&c, rep, &pf->cfg);
	if (st != VETO_OK)
		return st;
	c->gov_index = 1;
	int rc = trust_self(&c->gov, rep, &c->cfg, policy, policy_len, now, 1);
	if (rc == TRUST_OK) {
		/* The policy's own device is the device; nothing is installed. */
		memcpy(c->vendor, c->gov.policy->vendor, sizeof(c->vendor));
		memcpy(c->model, c->gov.policy->model, sizeof(c->model));
	}
	return check_run(out, c, rc, NULL, 0, pf);
}

veto_status veto_preflight_begin(veto_check **out, veto_report *rep, const veto_config *cfg,
                                 const uint8_t *policy, size_t policy_len,
                                 const uint8_t *update, size_t update_len, int64_t now)
{
	veto_preflight *pf;
	if (out == NULL || rep == NULL || policy == NULL || update == NULL)
		return VETO_E_ARG;
	*out = NULL;
	veto_status st = veto_preflight_new(&pf, cfg, update, update_len);
	if (st != VETO_OK)
		return st;
	st = veto_preflight_check(out, rep, pf, policy, policy_len, now);
	if (st == VETO_OK) {
		/* The check takes the envelope and the parsed update over from the
		 * short-lived pf. */
		(*out)->uenv_borrowed = 0;
		pf->uenv = NULL;
		if ((*out)->upd_borrowed) {
			(*out)->upd_borrowed = 0;
			pf->upd_read = 0;
		}
	}
	veto_preflight_free(pf);
	return st;
}

veto_status veto_check_image(veto_check *c, const uint8_t *data, size_t len)
{
	if (c == NULL || (data == NULL && len))
		return VETO_E_ARG;
	if (c->finished)
		return VETO_E_SEQUENCE;
	c->image_given = 1;
	if (len > UINT64_MAX - c->image_size)
		c->image_overflow = 1;
	else
		c->image_size += len;
	if (c->upd_ok && len) {
		cr_hash_update(&c->hash, data, len);
		if (c->engine_state != NULL)
			c->cfg.sha256->update(c->engine_state, data, len);
	}
	return VETO_OK;
}

veto_status veto_check_finish(veto_check *c, veto_image_digests *computed)
{
	if (c == NULL)
		return VETO_E_ARG;
	if (c->finished)
		return VETO_E_SEQUENCE;
	c->finished = 1;
	if (computed != NULL)
		memset(computed, 0, sizeof(*computed));
	if (c->upd_ok && c->image_given) {
		const vupdate *u = &c->upd;
		uint8_t sha[32], b2[32];
		cr_hash_final(&c->hash, sha, b2);
		if (c->engine_state != NULL) {
			c->cfg.sha256->end(c->engine_state, sha);
			c->engine_state = NULL;
		}
		if (c->image_overflow || c->image_size != u->size) {
			veto_reason *x = rep_add(c->rep, VETO_R_IMAGE_SIZE);
			if (x != NULL) {
				x->has_counts = 1;
				x->have = c->image_size;
				x->need = u->size;
			}
		}
		/* Every digest the manifest carries must match, not just one. */
		if (u->has_sha256 && !cr_equal(sha, u->sha256, 32)) {
			veto_reason *x = rep_addf(c->rep, VETO_R_IMAGE_DIGEST,
			                          "the image's sha256 differs from the manifest's");
			if (x != NULL)
				str_copy(x->offered, sizeof(x->offered), "sha256");
		}
		if (u->has_blake2b && !cr_equal(b2, u->blake2b, 32)) {
			veto_reason *x = rep_addf(c->rep, VETO_R_IMAGE_DIGEST,
			                          "the image's blake2b-256 differs from the manifest's");
			if (x != NULL)
				str_copy(x->offered, sizeof(x->offered), "blake2b-256");
		}
		if (computed != NULL) {
			computed->size = c->image_size;
			computed->has_sha256 = u->has_sha256;
			computed->has_blake2b = u->has_blake2b;
			memcpy(computed->sha256, sha, 32);
			memcpy(computed->blake2b256, b2, 32);
		}
	} else if (c->upd_ok) {
		rep_addf(c->rep, VETO_N_IMAGE_UNCHECKED,
		         "decided on the manifest alone: the image was not checked");
	}
	if (rep_nomem(c->rep))
		return VETO_E_NOMEM;
	c->accepted = c->gov_ok && c->upd_ok && c->rep->n_refusals == 0;
	if (c->accepted)
		(void)update_digest(c); /* what a commit records */
	return c->accepted ? VETO_OK : VETO_REFUSED;
}

veto_status veto_check_commit(veto_state **out, const veto_check *c)
{
	if (out == NULL || c == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (!c->finished || c->state == NULL)
		return VETO_E_SEQUENCE;
	if (!c->accepted)
		return VETO_REFUSED;
	if (!c->image_given)
		return VETO_E_SEQUENCE; /* committing always requires the checked image */
	const veto_state *s = c->state;
	/* finish computed the update's digest for an accepted decision */
	return state_make(out, &c->cfg, &s->anchor, c->gov.env, c->gov.policy, c->upd.counter,
	                  c->upd_sha256,
	                  c->upd.features, c->upd.n_features);
}
