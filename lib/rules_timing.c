/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) The timing rule family of a decision (SPEC section 5.2): the local
 * time, the holds, the windows, and the fast path that may lift them.
 * Evaluated only by a check before installing (decision.h: veto__eval_timing);
 * the arithmetic is timing.c's. */
#include <stdio.h>
#include <string.h>

#include "decision.h"
#include "report.h"

/* (b) of the fast path: the update changes nothing but fixes: exactly the
 * installed features, each at a numerically equal version, and no removes. */
static bool same_features(const veto_check *c)
{
	const vupdate *u = &c->upd;
	if (u->n_removes != 0 || u->n_features != c->n_inst_features)
		return false;
	for (size_t i = 0; i < u->n_features; i++) {
		size_t at;
		if (!veto__feat_find(c->inst_features, c->n_inst_features, u->features[i].name, &at) ||
		    veto__feat_version_cmp(&u->features[i], &c->inst_features[at]) != 0)
			return false;
	}
	return true; /* names are distinct in both lists and as many */
}

/* Whether the update takes the fast path: (a) every fast-path role meets
 * its threshold, (b) same_features, (c) a counter above the high-water
 * mark. */
static veto_status takes_fast_path(veto_check *c, const vtiming *t, bool *fast)
{
	*fast = false;
	if (!t->has_fast_path || c->upd.counter <= c->inst_counter_max || !same_features(c))
		return VETO_OK;
	return veto__roles_met(c, ROLE_FAST, 1, fast);
}

/* What the fast path lifted, as the notice's detail: codes in table order. */
static void lift(char *lifted, size_t cap, veto_code code)
{
	size_t at = strlen(lifted);
	snprintf(lifted + at, cap - at, "%s%s", at ? "," : "", veto_code_name(code));
}

/* The wall clock the windows are read on; NULL detail when known, else
 * "missing" or "inconsistent" (local clock only). */
static const char *wall_clock(const veto_check *c, const vtiming *t, int64_t *wall)
{
	*wall = c->now;
	if (t->clock == TCLOCK_OFFSET)
		*wall = c->now + t->offset;
	if (t->clock != TCLOCK_LOCAL)
		return NULL;
	if (!c->has_local_time)
		return "missing";
	if (!veto__timing_local_plausible(c->local_time, c->now))
		return "inconsistent";
	*wall = c->local_time;
	return NULL;
}

static void hold_reason(veto_check *c, const vhold *h)
{
	veto_reason *x = veto__rep_add(c->rep, VETO_R_ON_HOLD); /* its detail is "until" alone */
	if (x != NULL && veto_time_format(x->offered, h->until) != VETO_OK)
		x->offered[0] = '\0';
}

static void window_reason(veto_check *c, const vtiming *t, int64_t wall)
{
	veto_reason *x = veto__rep_add(c->rep, VETO_R_OUTSIDE_WINDOW); /* its detail: "next_open" */
	if (x != NULL)
		veto__timing_wall_text(x->offered, sizeof(x->offered), t, veto__timing_next_open(t, wall));
}

veto_status veto__eval_timing(veto_check *c)
{
	const vtiming *t = &c->gov.policy->ext->timing;
	char lifted[96] = "";
	int64_t wall;
	bool fast, lifted_hold = false;
	veto_status st = takes_fast_path(c, t, &fast);
	if (st != VETO_OK)
		return st;
	const char *unknown = wall_clock(c, t, &wall);
	if (unknown != NULL && t->n_windows > 0) {
		if (fast)
			lift(lifted, sizeof(lifted), VETO_R_LOCAL_TIME_UNKNOWN);
		else
			veto__rep_addf(c->rep, VETO_R_LOCAL_TIME_UNKNOWN, "%s", unknown);
	}
	for (size_t i = 0; i < t->n_holds; i++) {
		const vhold *h = &t->holds[i];
		if (!veto__timing_hold_active(h, c->now))
			continue;
		if (fast && h->fast_path)
			lifted_hold = true;
		else
			hold_reason(c, h);
	}
	if (lifted_hold)
		lift(lifted, sizeof(lifted), VETO_R_ON_HOLD);
	if (unknown == NULL && !veto__timing_open(t, wall)) {
		if (fast)
			lift(lifted, sizeof(lifted), VETO_R_OUTSIDE_WINDOW);
		else
			window_reason(c, t, wall);
	}
	if (lifted[0] != '\0')
		veto__rep_addf(c->rep, VETO_N_FAST_PATH_USED, "%s", lifted);
	return VETO_OK;
}
