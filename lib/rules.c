/* SPDX-License-Identifier: Apache-2.0 */
/* The update judged under the governing policy (SPEC section 8), as a
 * straight sequence of steps: open the update envelope, count the roles'
 * signatures, read the manifest, then one step per rule family
 * (co-signatures, device, rollback, features, digests, size) and the start
 * of the image hash.  Every finding goes to the report; a step returns
 * VETO_E_NOMEM only when memory ran out. */
#include <stdio.h>
#include <string.h>

#include "decision.h"
#include "preflight.h"
#include "report.h"

const uint8_t *veto__check_update_sha256(veto_check *c)
{
	if (!c->has_upd_sha256) {
		veto__cr_sha256(c->upd_sha256, c->uenv->payload, c->uenv->payload_len);
		c->has_upd_sha256 = true;
	}
	return c->upd_sha256;
}

static veto_status role_count(veto_check *c, const vrole *role, size_t *count)
{
	return veto__env_count(c->uenv, c->gov.policy->keys, role->keys, role->n_keys, count);
}

/* The governing policy's keys that no signature vouched for are checked
 * now, after the update's signatures had their chance to vouch; a bad one
 * makes the policy untrusted (gov_ok false, malformed-policy reported). */
static veto_status gov_keys_check(veto_check *c)
{
	if (!c->gov.owned)
		return VETO_OK; /* the stored policy: checked when it was trusted */
	veto_status st = c->pf != NULL ? veto__pf_keys_check(c->pf, &c->gov, c->rep, c->gov_index)
	                               : veto__trust_keys_check(&c->gov, c->rep, c->gov_index);
	if (st != VETO_OK)
		c->gov_ok = false;
	return veto__rep_nomem(c->rep) ? VETO_E_NOMEM : VETO_OK;
}

/* Step 1: the update envelope and its payload type; *opened false when
 * either is wrong (reported). */
static veto_status open_update(veto_check *c, const uint8_t *update, size_t update_len,
                               bool *opened)
{
	veto_diag d = {{0}};
	veto_status st = c->pf != NULL ? veto__pf_open(c->pf, &c->uenv, &d)
	                               : veto__env_parse(&c->uenv, &d, &c->cfg, update, update_len);
	*opened = false;
	if (st == VETO_E_NOMEM)
		return st;
	if (st == VETO_OK && veto__env_type_is(c->uenv, VETO_TYPE_UPDATE)) {
		*opened = true;
		return VETO_OK;
	}
	if (st != VETO_OK)
		veto__rep_addf(c->rep, VETO_R_MALFORMED_UPDATE, "%s", d.detail);
	else
		veto__rep_addf(c->rep, VETO_R_UPDATE_TYPE, "payloadType is \"%.100s\", not \"%s\"",
		         c->uenv->type, VETO_TYPE_UPDATE);
	/* No signature can vouch for the policy's keys now: check them, so a
	 * malformed policy is reported beside the update's fault. */
	if (!c->gov_ok)
		return veto__rep_nomem(c->rep) ? VETO_E_NOMEM : VETO_OK;
	return gov_keys_check(c);
}

/* Step 2: signatures are counted on the envelope alone (the required
 * roles' only when the vendor role has one); they also vouch for their keys
 * before the policy's remaining keys are checked. */
static veto_status count_signatures(veto_check *c, size_t *vendor_sigs,
                                    size_t role_sigs[VETO_MAX_ROLES])
{
	const vpolicy *p = c->gov.policy;
	veto_status st = role_count(c, &p->roles[p->vendor_role], vendor_sigs);
	for (size_t r = 0; st == VETO_OK && *vendor_sigs > 0 && r < p->n_roles; r++)
		if (p->roles[r].required)
			st = role_count(c, &p->roles[r], &role_sigs[r]);
	return st;
}

/* Step 3: a vendor-role key of a trusted policy vouched: the payload is
 * read.  upd_ok false when it is malformed (reported). */
static veto_status read_manifest(veto_check *c)
{
	veto_diag d = {{0}};
	veto_status st = c->pf != NULL ? veto__pf_read(c->pf, &c->upd, &d)
	                               : veto__update_parse(&c->upd, &d, &c->cfg, c->uenv->payload,
	                                              c->uenv->payload_len);
	if (st == VETO_E_NOMEM)
		return st;
	if (st != VETO_OK) {
		veto__rep_addf(c->rep, VETO_R_MALFORMED_UPDATE, "payload: %s", d.detail);
		return VETO_OK;
	}
	c->upd_ok = true;
	return VETO_OK;
}

static void eval_cosignatures(veto_check *c, const size_t role_sigs[VETO_MAX_ROLES])
{
	const vpolicy *p = c->gov.policy;
	for (size_t r = 0; r < p->n_roles; r++) {
		const vrole *role = &p->roles[r];
		if (!role->required || role_sigs[r] >= role->threshold)
			continue;
		veto_reason *x = veto__rep_add(c->rep, VETO_R_COSIGNATURE_MISSING);
		if (x != NULL) {
			veto__str_copy(x->role, sizeof(x->role), role->name);
			x->has_counts = 1;
			x->have = role_sigs[r];
			x->need = role->threshold;
		}
	}
}

static void eval_device(veto_check *c)
{
	const vupdate *u = &c->upd;
	if (strcmp(u->vendor, c->vendor) != 0 || strcmp(u->model, c->model) != 0)
		veto__rep_addf(c->rep, VETO_R_WRONG_DEVICE, "update is for %s/%s, this device is %s/%s",
		         u->vendor, u->model, c->vendor, c->model);
}

/* The rollback rule; (1.1) "the installed one" is the counter high-water
 * mark, and a rollback that arises only from it may be consented to. */
static veto_status eval_rollback(veto_check *c)
{
	const vpolicy *p = c->gov.policy;
	const vupdate *u = &c->upd;
	uint64_t top = c->inst_counter_max;
	char why[128] = "";
	if (u->counter < top)
		snprintf(why, sizeof(why), "below the %s %llu",
		         top == c->inst_counter ? "installed counter" : "highest counter ever installed",
		         (unsigned long long)top);
	else if (u->counter == top &&
	         !(c->inst_has_update && veto__cr_equal(veto__check_update_sha256(c), c->inst_update_sha256, 32)))
		/* Only a byte-identical re-install may repeat a counter. */
		snprintf(why, sizeof(why),
		         "equal to the installed counter, but not a re-install of the installed update");
	bool below_min = u->counter < p->min_counter;
	if (why[0] == '\0' && !below_min)
		return VETO_OK;
	bool waived = false;
	if (!below_min && p->ext != NULL && p->ext->has_rollback) {
		veto_status st = veto__roles_met(c, ROLE_ROLLBACK, p->ext->n_rollback, &waived);
		if (st != VETO_OK)
			return st;
	}
	veto_reason *x;
	if (waived)
		x = veto__rep_addf(c->rep, VETO_N_ROLLBACK_WAIVED, "%s; signed by the roles of rollback_requires",
		             why);
	else if (why[0] != '\0')
		x = veto__rep_addf(c->rep, VETO_R_ROLLBACK, "%s", why);
	else
		x = veto__rep_addf(c->rep, VETO_R_ROLLBACK, "below the policy's min_security_counter %llu",
		             (unsigned long long)p->min_counter);
	if (x != NULL) {
		/* need: the smallest counter a new release could carry and pass */
		uint64_t next = top + 1;
		x->has_counts = 1;
		x->have = u->counter;
		x->need = next > p->min_counter ? next : p->min_counter;
	}
	return VETO_OK;
}

/* Whether the removal waiver holds, found when a declared removal first
 * needs it, with the phrase its reasons quote. */
typedef struct waiver {
	bool known;
	bool met;
	char why[128];
} waiver;

veto_status veto__roles_met(veto_check *c, role_flag which, size_t n_listed, bool *met)
{
	const vpolicy *p = c->gov.policy;
	*met = false;
	if (n_listed == 0)
		return VETO_OK; /* an empty list: no consent is possible */
	for (size_t r = 0; r < p->n_roles; r++) {
		const vrole *role = &p->roles[r];
		size_t have = 0;
		if (!veto__policy_role_is(role, which))
			continue;
		veto_status st = role_count(c, role, &have);
		if (st != VETO_OK || have < role->threshold)
			return st;
	}
	*met = true;
	return VETO_OK;
}

/* "waived by owner, security-team", or why no waiver is possible. */
static void waiver_phrase(char *buf, size_t cap, const vpolicy *p, bool waived)
{
	if (p->n_waiver == 0) {
		snprintf(buf, cap, "the policy allows no waiver");
		return;
	}
	int n = snprintf(buf, cap, "%s", waived ? "waived by " : "not waived: needs the signatures of ");
	size_t at = n > 0 ? (size_t)n : 0;
	for (size_t r = 0, k = 0; r < p->n_roles && at < cap; r++) {
		if (!p->roles[r].waiver)
			continue;
		n = snprintf(buf + at, cap - at, "%s%s", k++ ? ", " : "", p->roles[r].name);
		if (n < 0)
			break;
		at += (size_t)n;
	}
}

static veto_status waiver_get(veto_check *c, const vpolicy *p, waiver *w)
{
	if (w->known)
		return VETO_OK;
	veto_status st = veto__roles_met(c, ROLE_WAIVER, p->n_waiver, &w->met);
	if (st != VETO_OK)
		return st;
	waiver_phrase(w->why, sizeof(w->why), p, w->met);
	w->known = true;
	return VETO_OK;
}

static void name_feature(veto_reason *x, const char *feature, const char *offered)
{
	if (x == NULL)
		return;
	veto__str_copy(x->feature, sizeof(x->feature), feature);
	if (offered != NULL)
		veto__str_copy(x->offered, sizeof(x->offered), offered);
}

/* One protected feature: kept, or removed or downgraded, declared or not,
 * waived or not. */
/* The update's two lists in name order: every lookup in O(log n). */
typedef struct offer {
	feat_index features;
	feat_index removes;
} offer;

static veto_status eval_protected(veto_check *c, const vpolicy *p, const vfeat *want,
                                  const offer *o, waiver *w)
{
	const vupdate *u = &c->upd;
	size_t at = 0, ignored;
	bool removed = !veto__name_index_find(&o->features, want->name, &at);
	bool downgraded = !removed && want->nparts > 0 && veto__feat_version_cmp(&u->features[at], want) < 0;
	if (!removed && !downgraded)
		return VETO_OK;
	char offered[80] = "", need[80];
	if (downgraded)
		veto__feat_version_text(offered, sizeof(offered), &u->features[at]);
	if (!veto__name_index_find(&o->removes, want->name, &ignored)) {
		/* Never waivable: a removal must be declared to be signed off. */
		name_feature(veto__rep_addf(c->rep, VETO_R_UNDECLARED_REMOVAL,
		                      "%s without being named in \"removes\"",
		                      removed ? "removed" : "downgraded"),
		             want->name, offered);
		return VETO_OK;
	}
	veto_status st = waiver_get(c, p, w);
	if (st != VETO_OK)
		return st;
	if (w->met) {
		name_feature(veto__rep_addf(c->rep, VETO_N_FEATURE_REMOVAL_WAIVED, "%s", w->why), want->name,
		             NULL);
	} else if (removed) {
		name_feature(veto__rep_addf(c->rep, VETO_R_FEATURE_REMOVED, "declared in \"removes\"; %s",
		                      w->why),
		             want->name, NULL);
	} else {
		veto__feat_version_text(need, sizeof(need), want);
		name_feature(veto__rep_addf(c->rep, VETO_R_FEATURE_DOWNGRADED,
		                      "needs >= %s; declared in \"removes\"; %s", need, w->why),
		             want->name, offered);
	}
	return VETO_OK;
}

static veto_status eval_features(veto_check *c)
{
	const vpolicy *p = c->gov.policy;
	const vupdate *u = &c->upd;
	waiver w = {false, false, ""};
	offer o;
	veto_status st = veto__feat_index_make(&o.features, &c->cfg, u->features, u->n_features);
	if (st != VETO_OK)
		return st;
	st = veto__feat_index_make(&o.removes, &c->cfg, u->removes, u->n_removes);
	for (size_t i = 0; st == VETO_OK && i < p->n_protect; i++)
		st = eval_protected(c, p, &p->protect[i], &o, &w);
	/* Every loss the owner would see, protected or not. */
	for (size_t i = 0; st == VETO_OK && i < c->n_inst_features; i++) {
		size_t ignored;
		if (!veto__name_index_find(&o.features, c->inst_features[i].name, &ignored))
			name_feature(veto__rep_add(c->rep, VETO_N_FEATURE_DROPPED), c->inst_features[i].name, NULL);
	}
	veto__name_index_free(&o.features, &c->cfg);
	veto__name_index_free(&o.removes, &c->cfg);
	return st;
}

/* (1.1) A feature whose name a forbidden_features entry matches (the name
 * itself, or followed by ':' or '/'); one reason per feature. */
static void eval_forbidden(veto_check *c)
{
	const vpolicy *p = c->gov.policy;
	const vupdate *u = &c->upd;
	if (p->ext == NULL)
		return;
	for (size_t i = 0; i < u->n_features; i++) {
		const char *n = u->features[i].name;
		for (size_t k = 0; k < p->ext->n_forbidden; k++)
			if (veto__policy_forbids(p->ext->forbidden[k], n)) {
				name_feature(veto__rep_addf(c->rep, VETO_R_FEATURE_FORBIDDEN, "%s",
				                      p->ext->forbidden[k]),
				             n, NULL);
				break;
			}
	}
}

/* (1.1) With addition_requires, a feature name the device lacks and no
 * protected entry names is an addition: refused unless consented to.  Not
 * in a pre-flight (no device). */
static veto_status eval_additions(veto_check *c)
{
	const vpolicy *p = c->gov.policy;
	const vupdate *u = &c->upd;
	bool known = false, met = false;
	if (p->ext == NULL || !p->ext->has_addition || c->state == NULL)
		return VETO_OK;
	for (size_t i = 0; i < u->n_features; i++) {
		size_t ignored;
		const char *n = u->features[i].name;
		if (veto__feat_find(c->inst_features, c->n_inst_features, n, &ignored) ||
		    veto__feat_find(p->protect, p->n_protect, n, &ignored))
			continue;
		if (!known) {
			veto_status st = veto__roles_met(c, ROLE_ADDITION, p->ext->n_addition, &met);
			if (st != VETO_OK)
				return st;
			known = true;
		}
		if (met)
			name_feature(veto__rep_addf(c->rep, VETO_N_FEATURE_ADDITION_WAIVED,
			                      "consented to by addition_requires"),
			             n, NULL);
		else
			name_feature(veto__rep_addf(c->rep, VETO_R_FEATURE_ADDED, "%s",
			                      p->ext->n_addition ? "needs the roles of addition_requires"
			                                         : "the policy allows no addition"),
			             n, NULL);
	}
	return VETO_OK;
}

static void eval_digests(veto_check *c)
{
	const vpolicy *p = c->gov.policy;
	const vupdate *u = &c->upd;
	if ((u->has_sha256 && (p->digests & DIGEST_SHA256)) ||
	    (u->has_blake2b && (p->digests & DIGEST_BLAKE2B)))
		return;
	veto_reason *x = veto__rep_addf(c->rep, VETO_R_DIGEST_NOT_ALLOWED,
	                          "the manifest carries no image digest that the policy accepts");
	if (x != NULL)
		snprintf(x->offered, sizeof(x->offered), "%s%s%s", u->has_sha256 ? "sha256" : "",
		         u->has_sha256 && u->has_blake2b ? "," : "", u->has_blake2b ? "blake2b-256" : "");
}

static void eval_size(veto_check *c)
{
	const vupdate *u = &c->upd;
	if (u->size <= c->gov.policy->max_image)
		return;
	veto_reason *x = veto__rep_add(c->rep, VETO_R_IMAGE_TOO_LARGE);
	if (x != NULL) {
		x->has_counts = 1;
		x->have = u->size;
		x->need = c->gov.policy->max_image;
	}
}

/* The digests the manifest carries are computed over the image stream;
 * SHA-256 by the embedder's engine when it has one. */
static veto_status start_image_hash(veto_check *c)
{
	const vupdate *u = &c->upd;
	const veto_sha256_engine *eng = c->cfg.sha256;
	if (u->has_sha256 && eng != NULL) {
		c->engine_state = eng->begin(eng->ctx);
		if (c->engine_state == NULL)
			return VETO_E_NOMEM;
	}
	veto__cr_hash_init(&c->hash, u->has_sha256 && eng == NULL, u->has_blake2b);
	return VETO_OK;
}

veto_status veto__eval_update(veto_check *c, const uint8_t *update, size_t update_len)
{
	size_t vendor_sigs = 0, role_sigs[VETO_MAX_ROLES] = {0};
	bool opened;
	veto_status st = open_update(c, update, update_len, &opened);
	if (st != VETO_OK || !opened)
		return st;
	if (!c->gov_ok)
		return VETO_OK; /* no policy to judge the update by */
	st = count_signatures(c, &vendor_sigs, role_sigs);
	if (st != VETO_OK)
		return st;
	/* Only now is the policy known to be well formed; a malformed policy
	 * leaves the update unjudged. */
	st = gov_keys_check(c);
	if (st != VETO_OK || !c->gov_ok)
		return st;
	if (vendor_sigs == 0) {
		veto__rep_addf(c->rep, VETO_R_UPDATE_UNTRUSTED,
		         "no signature by a key of the vendor role verifies; the manifest was not read");
		return VETO_OK;
	}
	st = read_manifest(c);
	if (st != VETO_OK || !c->upd_ok)
		return st;
	eval_cosignatures(c, role_sigs);
	eval_device(c);
	st = eval_rollback(c);
	if (st == VETO_OK)
		st = eval_features(c);
	if (st == VETO_OK)
		st = eval_additions(c);
	if (st != VETO_OK)
		return st;
	eval_forbidden(c);
	eval_digests(c);
	eval_size(c);
	if (c->veto__eval_timing && c->state != NULL && c->gov.policy->ext != NULL &&
	    c->gov.policy->ext->has_timing)
		st = veto__eval_timing(c);
	if (st != VETO_OK)
		return st;
	st = start_image_hash(c);
	if (st != VETO_OK)
		return st;
	return veto__rep_nomem(c->rep) ? VETO_E_NOMEM : VETO_OK;
}
