/* SPDX-License-Identifier: Apache-2.0 */
/* The vendor's pre-flight: one release checked against one or many
 * policies, each trusted on its own owner role.  A veto_preflight parses
 * the update envelope once, reads its manifest once, and remembers the keys
 * found well formed in earlier policies; the checks made from it view what
 * it owns (decision.h's ownership rule). */
#include <string.h>

#include "decision.h"
#include "preflight.h"

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
	bool upd_read;
	veto_status upd_status;
	veto_diag upd_diag;
	vupdate upd;
};

veto_status veto__pf_open(veto_preflight *pf, veto_envelope **e, veto_diag *d)
{
	*e = pf->uenv;
	*d = pf->env_diag;
	return pf->env_status;
}

veto_status veto__pf_read(veto_preflight *pf, vupdate *u, veto_diag *d)
{
	if (!pf->upd_read) {
		pf->upd_status = veto__update_parse(&pf->upd, &pf->upd_diag, &pf->cfg, pf->uenv->payload,
		                              pf->uenv->payload_len);
		if (pf->upd_status == VETO_E_NOMEM)
			return VETO_E_NOMEM;
		pf->upd_read = true;
	}
	*d = pf->upd_diag;
	if (pf->upd_status == VETO_OK)
		*u = pf->upd; /* a view: the arrays stay pf's */
	return pf->upd_status;
}

static bool pf_known(const veto_preflight *pf, const uint8_t pk[32])
{
	for (size_t k = 0; k < pf->n_known; k++)
		if (memcmp(pf->known[k], pk, 32) == 0)
			return true;
	return false;
}

veto_status veto__pf_keys_check(veto_preflight *pf, vtrusted *t, veto_report *rep, unsigned index)
{
	vpolicy *p = t->policy;
	for (size_t i = 0; i < p->n_keys; i++)
		if (!p->keys[i].valid && pf_known(pf, p->keys[i].pk))
			p->keys[i].valid = 1;
	veto_status st = veto__trust_keys_check(t, rep, index);
	if (st != VETO_OK)
		return st;
	for (size_t i = 0; i < p->n_keys && pf->n_known < PF_KNOWN_KEYS; i++)
		if (!pf_known(pf, p->keys[i].pk))
			memcpy(pf->known[pf->n_known++], p->keys[i].pk, 32);
	return VETO_OK;
}

/* The check takes over what it viewed in the short-lived pf: the envelope
 * and, when it was read, the manifest.  Afterwards pf owns neither and the
 * check no longer refers to pf. */
static void pf_hand_over(veto_preflight *pf, veto_check *c)
{
	pf->uenv = NULL;
	if (pf->upd_read && pf->upd_status == VETO_OK)
		pf->upd_read = false;
	c->pf = NULL;
}

veto_status veto_preflight_new(veto_preflight **out, const veto_config *cfg,
                               const uint8_t *update, size_t update_len)
{
	veto_config c;
	void *mem;
	if (out == NULL || update == NULL)
		return VETO_E_ARG;
	*out = NULL;
	veto_status st = veto__decision_alloc(&mem, &c, cfg, sizeof(veto_preflight));
	if (st != VETO_OK)
		return st;
	veto_preflight *pf = mem;
	pf->cfg = c;
	pf->env_status = veto__env_parse(&pf->uenv, &pf->env_diag, &c, update, update_len);
	if (pf->env_status == VETO_E_NOMEM) {
		veto__vx_free(&c, pf);
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
		veto__update_free(&pf->upd, &cfg);
	veto__vx_free(&cfg, pf);
}

veto_status veto_preflight_check(veto_check **out, veto_report *rep, veto_preflight *pf,
                                 const uint8_t *policy, size_t policy_len, int64_t now)
{
	veto_check *c;
	if (out == NULL || rep == NULL || pf == NULL || policy == NULL)
		return VETO_E_ARG;
	*out = NULL;
	veto_status st = veto__check_new(&c, rep, &pf->cfg);
	if (st != VETO_OK)
		return st;
	c->pf = pf;
	c->gov_index = 1;
	st = veto__trust_self(&c->gov, rep, &c->cfg, policy, policy_len, now, true);
	if (st == VETO_OK) {
		/* The policy's own device is the device; nothing is installed. */
		memcpy(c->vendor, c->gov.policy->vendor, sizeof(c->vendor));
		memcpy(c->model, c->gov.policy->model, sizeof(c->model));
	}
	return veto__check_run(out, c, st, NULL, 0);
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
	if (st == VETO_OK)
		pf_hand_over(pf, *out);
	veto_preflight_free(pf);
	return st;
}
