/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) The "timing" member of a policy (SPEC section 5.2): the clock, the
 * windows, the holds and the fast path, each malformation named by member
 * and rule.  The arithmetic that uses them is timing.c's. */
#include <stdio.h>
#include <string.h>

#include "policy.h"

static veto_status read_clock(veto_diag *d, vtiming *t, const jsval *item)
{
	const char *s;
	size_t len;
	t->clock = TCLOCK_UTC;
	if (item == NULL)
		return VETO_OK;
	if (veto__js_str(d, &s, &len, item, "timing.clock", 1, 16) != VETO_OK)
		return VETO_E_MALFORMED;
	if (strcmp(s, "utc") == 0)
		return VETO_OK;
	if (strcmp(s, "local") == 0) {
		t->clock = TCLOCK_LOCAL;
		return VETO_OK;
	}
	if (!veto__timing_offset(s, len, &t->offset)) {
		veto__diag_set(d, "timing.clock: \"%.16s\" is not \"utc\", \"local\" or an offset "
		            "+HH:MM/-HH:MM from 00:00 to 14:00", s);
		return VETO_E_MALFORMED;
	}
	t->clock = TCLOCK_OFFSET;
	return VETO_OK;
}

static veto_status read_hhmm(veto_diag *d, uint16_t *out, const jsval *item, const char *where)
{
	const char *s;
	size_t len;
	if (veto__js_str(d, &s, &len, item, where, 1, 16) != VETO_OK || !veto__timing_hhmm(s, len, out)) {
		veto__diag_set(d, "%s: not a time of day HH:MM (00:00..23:59)", where);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

static veto_status read_window(veto_diag *d, vwindow *w, const jsval *obj, size_t i)
{
	static const js_field fields[] = {{"days", JS_ARRAY, true, 0, 7},
	                                  {"start", JS_STRING, true, 1, 16},
	                                  {"end", JS_STRING, true, 1, 16}};
	char where[48];
	size_t n;
	snprintf(where, sizeof(where), "timing.windows[%zu]", i);
	if (veto__js_members(d, obj, where, JS_FIELDS(fields)) != VETO_OK)
		return VETO_E_MALFORMED;
	snprintf(where, sizeof(where), "timing.windows[%zu].days", i);
	const jsval *days = veto__js_get(obj, "days");
	if (veto__js_array(d, &n, days, where, 7) != VETO_OK)
		return VETO_E_MALFORMED;
	if (n == 0) {
		veto__diag_set(d, "%s: must name 1..7 days", where);
		return VETO_E_MALFORMED;
	}
	for (const jsval *c = veto__js_first(days); c != NULL; c = veto__js_next(c)) {
		const char *s;
		size_t len;
		uint8_t bit;
		if (veto__js_str(d, &s, &len, c, where, 1, 8) != VETO_OK || !veto__timing_day(s, len, &bit)) {
			veto__diag_set(d, "%s: an entry is not one of mon tue wed thu fri sat sun", where);
			return VETO_E_MALFORMED;
		}
		if (w->days & bit) {
			veto__diag_set(d, "%s: \"%s\" is listed twice", where, s);
			return VETO_E_MALFORMED;
		}
		w->days |= bit;
	}
	snprintf(where, sizeof(where), "timing.windows[%zu].start", i);
	if (read_hhmm(d, &w->start, veto__js_get(obj, "start"), where) != VETO_OK)
		return VETO_E_MALFORMED;
	snprintf(where, sizeof(where), "timing.windows[%zu].end", i);
	if (read_hhmm(d, &w->end, veto__js_get(obj, "end"), where) != VETO_OK)
		return VETO_E_MALFORMED;
	if (w->start == w->end) {
		veto__diag_set(d, "timing.windows[%zu]: start and end must differ", i);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

static veto_status read_hold(veto_diag *d, vhold *h, const jsval *obj, size_t i)
{
	static const js_field fields[] = {{"from", JS_STRING, true, 1, 64},
	                                  {"until", JS_STRING, true, 1, 64},
	                                  {"fast_path", JS_ANY, false, 0, 0}};
	char where[48];
	snprintf(where, sizeof(where), "timing.holds[%zu]", i);
	if (veto__js_members(d, obj, where, JS_FIELDS(fields)) != VETO_OK)
		return VETO_E_MALFORMED;
	snprintf(where, sizeof(where), "timing.holds[%zu].from", i);
	if (veto__policy_time_from_json(d, &h->from, veto__js_get(obj, "from"), where) != VETO_OK)
		return VETO_E_MALFORMED;
	snprintf(where, sizeof(where), "timing.holds[%zu].until", i);
	if (veto__policy_time_from_json(d, &h->until, veto__js_get(obj, "until"), where) != VETO_OK)
		return VETO_E_MALFORMED;
	if (h->from >= h->until) {
		veto__diag_set(d, "timing.holds[%zu]: from must be earlier than until", i);
		return VETO_E_MALFORMED;
	}
	const jsval *fast = veto__js_get(obj, "fast_path");
	snprintf(where, sizeof(where), "timing.holds[%zu].fast_path", i);
	h->fast_path = false;
	return fast == NULL ? VETO_OK : veto__js_bool(d, &h->fast_path, fast, where);
}

/* Whether role f shares no key with any role in "require". */
static bool outside_require(const vpolicy *p, const vrole *f)
{
	for (size_t r = 0; r < p->n_roles; r++) {
		if (!p->roles[r].required)
			continue;
		for (size_t i = 0; i < f->n_keys; i++)
			for (size_t j = 0; j < p->roles[r].n_keys; j++)
				if (f->keys[i] == p->roles[r].keys[j])
					return false;
	}
	return true;
}

static veto_status read_fast_path(veto_diag *d, vpolicy *p, const jsval *obj)
{
	static const js_field fields[] = {{"require", JS_ARRAY, true, 0, 32}};
	const char *w = "timing.fast_path.require";
	size_t n;
	bool outside = false;
	if (veto__js_members(d, obj, "timing.fast_path", JS_FIELDS(fields)) != VETO_OK ||
	    veto__js_array(d, &n, veto__js_get(obj, "require"), w, 32) != VETO_OK)
		return VETO_E_MALFORMED;
	if (n == 0) {
		veto__diag_set(d, "%s: must name 1..32 roles", w);
		return VETO_E_MALFORMED;
	}
	if (veto__policy_role_list(d, p, veto__js_get(obj, "require"), w, ROLE_FAST) != VETO_OK)
		return VETO_E_MALFORMED;
	for (size_t r = 0; r < p->n_roles; r++) {
		const vrole *f = &p->roles[r];
		if (!f->fast)
			continue;
		if (veto__policy_role_has_vendor_key(p, f)) {
			veto__diag_set(d, "%s: role \"%s\" holds a key of the vendor role", w, f->name);
			return VETO_E_MALFORMED;
		}
		outside = outside || outside_require(p, f);
	}
	if (!outside) {
		veto__diag_set(d, "%s: every role shares a key with a role in \"require\" (at least one must "
		            "hold no such key)", w);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

/* An array member of 1..max entries; *n its length. */
static veto_status read_list(veto_diag *d, const jsval *list, const char *where, size_t max,
                             size_t *n)
{
	if (veto__js_array(d, n, list, where, max) != VETO_OK)
		return VETO_E_MALFORMED;
	if (*n == 0) {
		veto__diag_set(d, "%s: must hold 1..%zu entries (absent: none)", where, max);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

veto_status veto__policy_timing_from_json(veto_diag *d, vpolicy *p, vtiming *t, const jsval *obj)
{
	static const js_field fields[] = {{"clock", JS_ANY, false, 0, 0},
	                                  {"windows", JS_ANY, false, 0, 0},
	                                  {"holds", JS_ANY, false, 0, 0},
	                                  {"fast_path", JS_OBJECT, false, 0, 0}};
	size_t n, i = 0;
	memset(t, 0, sizeof(*t));
	if (veto__js_members(d, obj, "timing", JS_FIELDS(fields)) != VETO_OK ||
	    read_clock(d, t, veto__js_get(obj, "clock")) != VETO_OK)
		return VETO_E_MALFORMED;
	const jsval *windows = veto__js_get(obj, "windows"), *holds = veto__js_get(obj, "holds");
	const jsval *fast = veto__js_get(obj, "fast_path");
	if (windows == NULL && holds == NULL) {
		veto__diag_set(d, "timing: must hold \"windows\" or \"holds\" or both");
		return VETO_E_MALFORMED;
	}
	if (windows != NULL) {
		if (read_list(d, windows, "timing.windows", TIMING_MAX_WINDOWS, &n) != VETO_OK)
			return VETO_E_MALFORMED;
		for (const jsval *c = veto__js_first(windows); c != NULL; c = veto__js_next(c), i++)
			if (read_window(d, &t->windows[i], c, i) != VETO_OK)
				return VETO_E_MALFORMED;
		t->n_windows = n;
	}
	if (fast != NULL) {
		if (read_fast_path(d, p, fast) != VETO_OK)
			return VETO_E_MALFORMED;
		t->has_fast_path = true;
	}
	if (holds == NULL)
		return VETO_OK;
	if (read_list(d, holds, "timing.holds", TIMING_MAX_HOLDS, &n) != VETO_OK)
		return VETO_E_MALFORMED;
	i = 0;
	for (const jsval *c = veto__js_first(holds); c != NULL; c = veto__js_next(c), i++) {
		if (read_hold(d, &t->holds[i], c, i) != VETO_OK)
			return VETO_E_MALFORMED;
		if (t->holds[i].fast_path && !t->has_fast_path) {
			veto__diag_set(d, "timing.holds[%zu].fast_path: true requires timing.fast_path", i);
			return VETO_E_MALFORMED;
		}
	}
	t->n_holds = n;
	return VETO_OK;
}
