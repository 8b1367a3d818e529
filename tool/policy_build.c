/* SPDX-License-Identifier: Apache-2.0 */
/* The options of `veto policy new` and `policy next` applied to the
 * payload's tree: see policy_build.h. */
#include "policy_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <veto.h>

#include "authkeys.h"
#include "files.h"
#include "jsonout.h"

#define V(n) {.name = (n), .takes_value = true}
#define L(n) {.name = (n), .takes_value = true, .repeatable = true}
#define F(n) {.name = (n)}
const opt_def policy_opts[PO_COUNT] = {
    [PO_OUTPUT] = {.name = "output", .short_name = 'o', .takes_value = true},
    [PO_DEVICE] = V("device"), [PO_OWNER] = L("owner"), [PO_STATE] = V("state"),
    [PO_SERIAL] = V("serial"), [PO_ISSUED] = V("issued"), [PO_EXPIRES] = V("expires"),
    [PO_ROLE] = L("role"), [PO_REQUIRE] = L("require"), [PO_PROTECT] = L("protect"),
    [PO_REMOVAL] = L("removal-requires"), [PO_FORBID] = L("forbid"),
    [PO_ADDITION] = L("addition-requires"), [PO_ROLLBACK] = L("rollback-requires"),
    [PO_MINSC] = V("min-security-counter"), [PO_MAXIMG] = V("max-image-size"),
    [PO_DIGEST] = L("digest"), [PO_CLOCK] = V("clock"), [PO_WINDOW] = L("window"),
    [PO_HOLD] = L("hold"), [PO_FAST] = L("fast-path"), [PO_REVROLE] = L("revocation-role"),
    [PO_REVOKE] = L("revoke-update"), [PO_REIN_UPD] = L("reinstate-update"),
    [PO_REIN_KEY] = L("reinstate-key"), [PO_FLOOR_RESET] = F("time-floor-reset"),
    [PO_NO_ROLE] = L("no-role"), [PO_NO_PROTECT] = F("no-protect"),
    [PO_NO_REMOVAL] = F("no-removal-requires"), [PO_NO_FORBID] = F("no-forbid"),
    [PO_NO_ADDITION] = F("no-addition-requires"), [PO_NO_ROLLBACK] = F("no-rollback-requires"),
    [PO_NO_MINSC] = F("no-min-security-counter"), [PO_NO_MAXIMG] = F("no-max-image-size"),
    [PO_NO_DIGEST] = F("no-digest"), [PO_NO_TIMING] = F("no-timing"),
    [PO_NO_CLOCK] = F("no-clock"), [PO_NO_WINDOW] = F("no-window"), [PO_NO_HOLD] = F("no-hold"),
    [PO_NO_FAST] = F("no-fast-path"), [PO_NO_REVROLE] = F("no-revocation-role"),
    [PO_NO_REVOKE] = F("no-revoke-update"), [PO_NO_REINSTATE] = F("no-reinstate"),
};
#undef V
#undef L
#undef F

static tool_exit nomem(void)
{
	tool_err("out of memory");
	return EXIT_TROUBLE;
}

/* Replaces (or adds) member name of obj with v; v is consumed. */
static tool_exit set_member(cJSON *obj, const char *name, cJSON *v)
{
	if (v == NULL)
		return nomem();
	if (cJSON_GetObjectItemCaseSensitive(obj, name) != NULL)
		return cJSON_ReplaceItemInObjectCaseSensitive(obj, name, v) ? EXIT_ACCEPT : nomem();
	return cJSON_AddItemToObject(obj, name, v) ? EXIT_ACCEPT : nomem();
}

/* The strings of option i as a JSON array. */
static cJSON *string_list(const args *a, size_t i)
{
	return cJSON_CreateStringArray(a->values[i], (int)a->count[i]);
}

/* ---- plain members: lists of names, integers ------------------------------ */

typedef struct list_member {
	unsigned opt, no_opt; /* no_opt 0: the member cannot be removed */
	const char *member;
	bool required; /* removed means an empty list */
} list_member;

static const list_member list_members[] = {
    {PO_REQUIRE, 0, "require", true},
    {PO_PROTECT, PO_NO_PROTECT, "protected_features", true},
    {PO_REMOVAL, PO_NO_REMOVAL, "removal_requires", true},
    {PO_FORBID, PO_NO_FORBID, "forbidden_features", false},
    {PO_ADDITION, PO_NO_ADDITION, "addition_requires", false},
    {PO_ROLLBACK, PO_NO_ROLLBACK, "rollback_requires", false},
    {PO_DIGEST, PO_NO_DIGEST, "digests", false},
    {PO_REVROLE, PO_NO_REVROLE, "revocation_roles", false},
    {PO_REVOKE, PO_NO_REVOKE, "revoked_updates", false},
};

static tool_exit apply_lists(cJSON *doc, const args *a)
{
	for (size_t k = 0; k < sizeof list_members / sizeof list_members[0]; k++) {
		const list_member *m = &list_members[k];
		if (m->no_opt != 0 && a->count[m->no_opt] > 0 && a->count[m->opt] > 0)
			return tool_usage("--%s and --no-%s together: give one", policy_opts[m->opt].name,
			                  policy_opts[m->opt].name);
		tool_exit rc = EXIT_ACCEPT;
		if (a->count[m->opt] > 0)
			rc = set_member(doc, m->member, string_list(a, m->opt));
		else if (m->no_opt != 0 && a->count[m->no_opt] > 0 && m->required)
			rc = set_member(doc, m->member, cJSON_CreateArray());
		else if (m->no_opt != 0 && a->count[m->no_opt] > 0)
			cJSON_DeleteItemFromObjectCaseSensitive(doc, m->member);
		else if (m->required && cJSON_GetObjectItemCaseSensitive(doc, m->member) == NULL)
			rc = set_member(doc, m->member, cJSON_CreateArray());
		if (rc != EXIT_ACCEPT)
			return rc;
	}
	return EXIT_ACCEPT;
}

static tool_exit apply_integer(cJSON *doc, const args *a, unsigned opt, unsigned no_opt,
                               const char *member)
{
	const char *text = args_one(a, opt);
	uint64_t v;
	if (text != NULL && a->count[no_opt] > 0)
		return tool_usage("--%s and --no-%s together: give one", policy_opts[opt].name,
		                  policy_opts[opt].name);
	if (a->count[no_opt] > 0)
		cJSON_DeleteItemFromObjectCaseSensitive(doc, member);
	if (text == NULL)
		return EXIT_ACCEPT;
	if (!parse_counter(text, &v))
		return tool_usage("--%s takes plain digits, at most 2^53-1 (got '%s')",
		                  policy_opts[opt].name, text);
	return set_member(doc, member, cJSON_CreateNumber((double)v));
}

/* ---- roles and the key map -------------------------------------------- */

/* --role NAME:THRESHOLD:KEYS into roles, its key entries into fresh. */
static tool_exit apply_role(cJSON *roles, cJSON *fresh, const char *spec)
{
	char name[64], what[80];
	const char *c1 = strchr(spec, ':');
	const char *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
	if (c1 == NULL || c2 == NULL || c2[1] == '\0' || (size_t)(c1 - spec) >= sizeof name)
		return tool_usage("--role takes NAME:THRESHOLD:KEYS, as in "
		                  "auditor:2:a.pub,b.pub,c.pub (got '%s')",
		                  spec);
	memcpy(name, spec, (size_t)(c1 - spec));
	name[c1 - spec] = '\0';
	char num[24];
	uint64_t threshold;
	size_t nlen = (size_t)(c2 - c1 - 1);
	if (nlen == 0 || nlen >= sizeof num)
		return tool_usage("--role %s: the threshold is missing", name);
	memcpy(num, c1 + 1, nlen);
	num[nlen] = '\0';
	if (!parse_counter(num, &threshold) || threshold == 0)
		return tool_usage("--role %s: the threshold is a whole number from 1 up (got '%s')",
		                  name, num);
	cJSON *role = cJSON_CreateObject();
	cJSON *ids = cJSON_AddArrayToObject(role, "keys");
	if (ids == NULL || cJSON_AddNumberToObject(role, "threshold", (double)threshold) == NULL) {
		cJSON_Delete(role);
		return nomem();
	}
	snprintf(what, sizeof what, "role %s", name);
	char *files = strdup(c2 + 1);
	tool_exit rc = files != NULL ? EXIT_ACCEPT : nomem();
	for (char *save = NULL, *f = files ? strtok_r(files, ",", &save) : NULL;
	     f != NULL && rc == EXIT_ACCEPT; f = strtok_r(NULL, ",", &save))
		rc = add_key_file(fresh, ids, f, what);
	free(files);
	if (rc == EXIT_ACCEPT && threshold > (uint64_t)cJSON_GetArraySize(ids))
		rc = tool_usage("--role %s: threshold %s is more than its %d key(s): no set of "
		                "signatures could ever meet it",
		                name, num, cJSON_GetArraySize(ids));
	if (rc != EXIT_ACCEPT) {
		cJSON_Delete(role);
		return rc;
	}
	return set_member(roles, name, role);
}

static tool_exit apply_roles(cJSON *doc, const args *a, cJSON *fresh)
{
	cJSON *roles = cJSON_GetObjectItemCaseSensitive(doc, "roles");
	if (roles == NULL && (roles = cJSON_AddObjectToObject(doc, "roles")) == NULL)
		return nomem();
	for (size_t i = 0; i < a->count[PO_NO_ROLE]; i++) {
		const char *name = a->values[PO_NO_ROLE][i];
		if (cJSON_GetObjectItemCaseSensitive(roles, name) == NULL)
			return tool_usage("--no-role %s: the policy has no such role", name);
		cJSON_DeleteItemFromObjectCaseSensitive(roles, name);
	}
	for (size_t i = 0; i < a->count[PO_ROLE]; i++) {
		tool_exit rc = apply_role(roles, fresh, a->values[PO_ROLE][i]);
		if (rc != EXIT_ACCEPT)
			return rc;
	}
	return EXIT_ACCEPT;
}

/* "keys" anew: every key of every role, once, from the files just read or
 * from the signed policy's map. */
static tool_exit rebuild_keys(cJSON *doc, const cJSON *fresh, const cJSON *old_keys)
{
	cJSON *map = cJSON_CreateObject();
	if (map == NULL)
		return nomem();
	const cJSON *role;
	cJSON_ArrayForEach(role, cJSON_GetObjectItemCaseSensitive(doc, "roles"))
	{
		const cJSON *id;
		cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(role, "keys"))
		{
			const char *k = cJSON_GetStringValue(id);
			if (k == NULL || cJSON_GetObjectItemCaseSensitive(map, k) != NULL)
				continue;
			const cJSON *e = cJSON_GetObjectItemCaseSensitive(fresh, k);
			if (e == NULL)
				e = cJSON_GetObjectItemCaseSensitive(old_keys, k);
			if (e == NULL || !cJSON_AddItemToObject(map, k, cJSON_Duplicate(e, true))) {
				cJSON_Delete(map);
				return nomem();
			}
		}
	}
	return set_member(doc, "keys", map);
}

/* ---- reinstate -------------------------------------------------------- */

static bool is_keyid(const char *s)
{
	if (strlen(s) != VETO_KEYIDCHARS)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* --reinstate-key KEY: a keyid as typed, or a key file's keyid. */
static tool_exit reinstate_keyid(cJSON *list, const char *key)
{
	char keyid[VETO_KEYIDCHARS + 1];
	auth_pk pk;
	if (is_keyid(key)) {
		snprintf(keyid, sizeof keyid, "%s", key);
	} else {
		if (read_any_public_key(key, pk) != EXIT_ACCEPT)
			return EXIT_TROUBLE;
		if (veto_keyid(keyid, pk) != VETO_OK)
			return nomem();
	}
	return cJSON_AddItemToArray(list, cJSON_CreateString(keyid)) ? EXIT_ACCEPT : nomem();
}

static tool_exit apply_reinstate(cJSON *doc, const args *a)
{
	bool upd = a->count[PO_REIN_UPD] > 0, key = a->count[PO_REIN_KEY] > 0;
	if (a->count[PO_NO_REINSTATE] > 0 && (upd || key))
		return tool_usage("--no-reinstate with --reinstate-update or --reinstate-key: give one");
	if (a->count[PO_NO_REINSTATE] > 0)
		cJSON_DeleteItemFromObjectCaseSensitive(doc, "reinstate");
	if (!upd && !key)
		return EXIT_ACCEPT;
	cJSON *r = cJSON_GetObjectItemCaseSensitive(doc, "reinstate");
	cJSON *rn = r != NULL ? cJSON_Duplicate(r, true) : cJSON_CreateObject();
	cJSON *keys = cJSON_CreateArray();
	if (rn == NULL || keys == NULL) {
		cJSON_Delete(rn);
		cJSON_Delete(keys);
		return nomem();
	}
	tool_exit rc = EXIT_ACCEPT;
	for (size_t i = 0; i < a->count[PO_REIN_KEY] && rc == EXIT_ACCEPT; i++)
		rc = reinstate_keyid(keys, a->values[PO_REIN_KEY][i]);
	if (rc == EXIT_ACCEPT && upd)
		rc = set_member(rn, "updates", string_list(a, PO_REIN_UPD));
	if (rc == EXIT_ACCEPT && key)
		rc = set_member(rn, "keys", keys);
	else
		cJSON_Delete(keys);
	/* Both lists are required: one not given stays as it was, or empty. */
	if (rc == EXIT_ACCEPT && cJSON_GetObjectItemCaseSensitive(rn, "updates") == NULL)
		rc = set_member(rn, "updates", cJSON_CreateArray());
	if (rc == EXIT_ACCEPT && cJSON_GetObjectItemCaseSensitive(rn, "keys") == NULL)
		rc = set_member(rn, "keys", cJSON_CreateArray());
	if (rc != EXIT_ACCEPT) {
		cJSON_Delete(rn);
		return rc;
	}
	return set_member(doc, "reinstate", rn);
}

/* ---- timing ----------------------------------------------------------- */

static const char day_names[7][4] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static bool day_of(const char *s, size_t len, unsigned *day)
{
	for (unsigned d = 0; d < 7; d++)
		if (len == 3 && strncmp(s, day_names[d], 3) == 0) {
			*day = d;
			return true;
		}
	return false;
}

/* "mon-fri", "sat,sun", "fri-mon" (ranges wrap past sunday): a set of
 * days as bits, monday first. */
static bool parse_days(const char *s, size_t len, unsigned *set)
{
	*set = 0;
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && s[end] != ',')
			end++;
		const char *dash = memchr(s + i, '-', end - i);
		unsigned a, b;
		if (dash == NULL ? !day_of(s + i, end - i, &a)
		                 : !day_of(s + i, (size_t)(dash - (s + i)), &a) ||
		                       !day_of(dash + 1, (size_t)(s + end - dash - 1), &b))
			return false;
		if (dash == NULL)
			b = a;
		for (unsigned d = a;; d = (d + 1) % 7) {
			*set |= 1U << d;
			if (d == b)
				break;
		}
		if (end < len && end + 1 == len)
			return false; /* a trailing comma */
		i = end + 1;
	}
	return *set != 0;
}

/* --window DAYS/HH:MM-HH:MM */
static cJSON *window_new(const char *spec)
{
	const char *slash = strchr(spec, '/');
	const char *dash = slash != NULL ? strchr(slash, '-') : NULL;
	unsigned set;
	if (slash == NULL || dash == NULL || dash - slash != 6 || strlen(dash + 1) != 5 ||
	    !parse_days(spec, (size_t)(slash - spec), &set)) {
		tool_usage("--window takes DAYS/HH:MM-HH:MM, DAYS as mon-fri, sat,sun or fri-mon "
		           "(got '%s')",
		           spec);
		return NULL;
	}
	char start[6];
	memcpy(start, slash + 1, 5);
	start[5] = '\0';
	cJSON *w = cJSON_CreateObject();
	cJSON *days = cJSON_AddArrayToObject(w, "days");
	for (unsigned d = 0; d < 7 && days != NULL; d++)
		if (set & (1U << d))
			cJSON_AddItemToArray(days, cJSON_CreateString(day_names[d]));
	if (days == NULL || cJSON_AddStringToObject(w, "start", start) == NULL ||
	    cJSON_AddStringToObject(w, "end", dash + 1) == NULL) {
		cJSON_Delete(w);
		nomem();
		return NULL;
	}
	return w;
}

/* --hold FROM/UNTIL[/fast] */
static cJSON *hold_new(const char *spec)
{
	int64_t t;
	size_t len = strlen(spec);
	bool fast = len > 5 && strcmp(spec + len - 5, "/fast") == 0;
	if (fast)
		len -= 5;
	if (len != 41 || spec[20] != '/' || veto_time_parse(&t, spec, 20) != VETO_OK ||
	    veto_time_parse(&t, spec + 21, 20) != VETO_OK) {
		tool_usage("--hold takes FROM/UNTIL[/fast], both YYYY-MM-DDTHH:MM:SSZ (got '%s')",
		           spec);
		return NULL;
	}
	char from[21], until[21];
	memcpy(from, spec, 20);
	from[20] = '\0';
	memcpy(until, spec + 21, 20);
	until[20] = '\0';
	cJSON *h = cJSON_CreateObject();
	if (h == NULL || cJSON_AddStringToObject(h, "from", from) == NULL ||
	    cJSON_AddStringToObject(h, "until", until) == NULL ||
	    (fast && cJSON_AddTrueToObject(h, "fast_path") == NULL)) {
		cJSON_Delete(h);
		nomem();
		return NULL;
	}
	return h;
}

/* The whole list of option i made by make, replacing member of timing. */
static tool_exit timing_list(cJSON *timing, const args *a, unsigned i, const char *member,
                             cJSON *(*make)(const char *))
{
	cJSON *list = cJSON_CreateArray();
	if (list == NULL)
		return nomem();
	for (size_t k = 0; k < a->count[i]; k++) {
		cJSON *v = make(a->values[i][k]);
		if (v == NULL) {
			cJSON_Delete(list);
			return EXIT_TROUBLE;
		}
		cJSON_AddItemToArray(list, v);
	}
	return set_member(timing, member, list);
}

static tool_exit timing_fast(cJSON *timing, const args *a)
{
	cJSON *fp = cJSON_CreateObject();
	if (fp == NULL || !cJSON_AddItemToObject(fp, "require", string_list(a, PO_FAST))) {
		cJSON_Delete(fp);
		return nomem();
	}
	return set_member(timing, "fast_path", fp);
}

static const struct {
	unsigned no_opt;
	const char *member;
} timing_removals[] = {{PO_NO_CLOCK, "clock"},
                       {PO_NO_WINDOW, "windows"},
                       {PO_NO_HOLD, "holds"},
                       {PO_NO_FAST, "fast_path"}};

static tool_exit timing_members(cJSON *t, const args *a)
{
	for (size_t k = 0; k < sizeof timing_removals / sizeof timing_removals[0]; k++)
		if (a->count[timing_removals[k].no_opt] > 0)
			cJSON_DeleteItemFromObjectCaseSensitive(t, timing_removals[k].member);
	tool_exit rc = EXIT_ACCEPT;
	const char *clock = args_one(a, PO_CLOCK);
	if (clock != NULL)
		rc = set_member(t, "clock", cJSON_CreateString(clock));
	if (rc == EXIT_ACCEPT && a->count[PO_WINDOW] > 0)
		rc = timing_list(t, a, PO_WINDOW, "windows", window_new);
	if (rc == EXIT_ACCEPT && a->count[PO_HOLD] > 0)
		rc = timing_list(t, a, PO_HOLD, "holds", hold_new);
	if (rc == EXIT_ACCEPT && a->count[PO_FAST] > 0)
		rc = timing_fast(t, a);
	return rc;
}

static tool_exit apply_timing(cJSON *doc, const args *a)
{
	bool any = args_one(a, PO_CLOCK) != NULL || a->count[PO_WINDOW] > 0 ||
	           a->count[PO_HOLD] > 0 || a->count[PO_FAST] > 0;
	if (a->count[PO_NO_TIMING] > 0 && any)
		return tool_usage("--no-timing with a timing option (--clock, --window, --hold, "
		                  "--fast-path): give one");
	if (a->count[PO_NO_TIMING] > 0)
		cJSON_DeleteItemFromObjectCaseSensitive(doc, "timing");
	cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "timing");
	if (t == NULL && !any)
		return EXIT_ACCEPT;
	if (t == NULL && (t = cJSON_AddObjectToObject(doc, "timing")) == NULL)
		return nomem();
	tool_exit rc = timing_members(t, a);
	if (rc != EXIT_ACCEPT)
		return rc;
	if (cJSON_GetObjectItemCaseSensitive(t, "windows") == NULL &&
	    cJSON_GetObjectItemCaseSensitive(t, "holds") == NULL) {
		if (t->child != NULL)
			tool_warn("no windows and no holds remain: the timing member is left out "
			          "(its clock and fast path mean nothing without them)");
		cJSON_DeleteItemFromObjectCaseSensitive(doc, "timing");
	}
	return EXIT_ACCEPT;
}

/* ---- the whole payload ------------------------------------------------ */

tool_exit policy_apply(cJSON *doc, const args *a, const cJSON *old_keys)
{
	cJSON *fresh = cJSON_CreateObject();
	if (fresh == NULL)
		return nomem();
	tool_exit rc = apply_roles(doc, a, fresh);
	if (rc == EXIT_ACCEPT)
		rc = rebuild_keys(doc, fresh, old_keys);
	cJSON_Delete(fresh);
	if (rc == EXIT_ACCEPT)
		rc = apply_lists(doc, a);
	if (rc == EXIT_ACCEPT)
		rc = apply_integer(doc, a, PO_MINSC, PO_NO_MINSC, "min_security_counter");
	if (rc == EXIT_ACCEPT)
		rc = apply_integer(doc, a, PO_MAXIMG, PO_NO_MAXIMG, "max_image_size");
	if (rc == EXIT_ACCEPT)
		rc = apply_timing(doc, a);
	if (rc == EXIT_ACCEPT)
		rc = apply_reinstate(doc, a);
	/* Never carried over: only the owner asks for a floor reset, each time. */
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "time_floor_reset");
	if (rc == EXIT_ACCEPT && a->count[PO_FLOOR_RESET] > 0)
		rc = set_member(doc, "time_floor_reset", cJSON_CreateTrue());
	return rc;
}

static tool_exit set_time(cJSON *doc, const char *member, int64_t t)
{
	char text[21];
	if (veto_time_format(text, t) != VETO_OK) {
		tool_err("the time for \"%s\" is outside the years 0000-9999", member);
		return EXIT_TROUBLE;
	}
	return set_member(doc, member, cJSON_CreateString(text));
}

/* Five minutes back: a device whose clock is a little slow still trusts a
 * policy made a moment ago. */
#define ISSUED_SLACK 300

tool_exit policy_set_issued(cJSON *doc, const args *a, int64_t *issued)
{
	const char *text = args_one(a, PO_ISSUED);
	if (text != NULL && veto_time_parse(issued, text, strlen(text)) != VETO_OK)
		return tool_usage("--issued takes YYYY-MM-DDTHH:MM:SSZ, a real UTC time (got '%s')",
		                  text);
	if (text == NULL) {
		if (parse_now(NULL, issued) != EXIT_ACCEPT)
			return EXIT_TROUBLE;
		*issued -= ISSUED_SLACK;
	}
	return set_time(doc, "issued", *issued);
}

tool_exit policy_parse_expires(const char *text, bool *never, int64_t *t)
{
	*never = strcmp(text, "never") == 0;
	if (!*never && veto_time_parse(t, text, strlen(text)) != VETO_OK)
		return tool_usage("--expires takes YYYY-MM-DDTHH:MM:SSZ or never (got '%s')", text);
	return EXIT_ACCEPT;
}

tool_exit policy_set_expires(cJSON *doc, bool never, int64_t t)
{
	if (never)
		return set_member(doc, "expires", cJSON_CreateNull());
	return set_time(doc, "expires", t);
}

static const char *const member_order[] = {
    "format", "serial", "issued", "expires", "device", "keys", "roles", "require",
    "protected_features", "removal_requires", "forbidden_features", "addition_requires",
    "rollback_requires", "min_security_counter", "max_image_size", "digests", "timing",
    "revocation_roles", "revoked_updates", "reinstate", "time_floor_reset",
};

/* The members in the contract's order (so that a diff between two
 * policies shows what changed, not where it was added). */
static void order_members(cJSON *doc)
{
	for (size_t i = 0; i < sizeof member_order / sizeof member_order[0]; i++) {
		cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(doc, member_order[i]);
		if (m != NULL)
			cJSON_AddItemToObject(doc, member_order[i], m);
	}
	cJSON *r = cJSON_GetObjectItemCaseSensitive(doc, "reinstate");
	cJSON *keys = cJSON_DetachItemFromObjectCaseSensitive(r, "keys");
	if (keys != NULL)
		cJSON_AddItemToObject(r, "keys", keys);
	cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "timing");
	static const char *const timing_order[] = {"clock", "windows", "holds", "fast_path"};
	for (size_t i = 0; t != NULL && i < 4; i++) {
		cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(t, timing_order[i]);
		if (m != NULL)
			cJSON_AddItemToObject(t, timing_order[i], m);
	}
}

tool_exit policy_finish(cJSON *doc, const char *out)
{
	order_members(doc);
	size_t len = 0;
	char *text = json_layout(doc, &len);
	if (text == NULL)
		return nomem();
	uint8_t(*keys)[VETO_PUBLICKEYBYTES] = NULL;
	size_t n = 0;
	veto_diag d = {{0}};
	veto_status s = veto_policy_declared_keys(&keys, &n, &d, NULL, (const uint8_t *)text, len);
	veto_free(NULL, keys);
	tool_exit rc = EXIT_ACCEPT;
	if (s != VETO_OK) {
		tool_err("refused: the policy would be malformed (veto sign would refuse it): %s",
		         diag_text(&d, s));
		rc = EXIT_TROUBLE;
	} else {
		if (cJSON_GetObjectItemCaseSensitive(doc, "forbidden_features") != NULL &&
		    cJSON_GetObjectItemCaseSensitive(doc, "addition_requires") == NULL)
			tool_warn("forbidden features are matched by name, and a vendor can rename one "
			          "(telemetry-lite): give --addition-requires ROLE too, so that no "
			          "feature the device lacks comes without consent");
		rc = write_output(out, text, len, -1);
	}
	free(text);
	return rc;
}
