/* SPDX-License-Identifier: Apache-2.0 */
/* veto policy next: see policy_next.h and SPEC section 9.1. */
#include "policy_next.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <veto.h>

#include "authkeys.h"
#include "files.h"
#include "jsonout.h"
#include "policy_build.h"
#include "statedoc.h"
#include "veto_statedir.h"

/* The owner keys trusted in a state directory: the trusted policy's owner
 * role, or the anchor's keys before any policy. */
static tool_exit state_owner_keys(const char *dir, auth_pk **pks, size_t *n)
{
	veto_sd_dir sd;
	char err[512];
	uint8_t *text = NULL;
	size_t len = 0;
	if (veto_sd_open(&sd, dir, err, sizeof err) != VETO_SD_OK) {
		tool_err("%s", err);
		return EXIT_TROUBLE;
	}
	int r = veto_sd_read(&sd, &text, &len, err, sizeof err);
	veto_sd_close(&sd);
	veto_state *st = NULL;
	if (r == VETO_SD_OK && veto_state_parse(&st, NULL, NULL, text, len) != VETO_OK) {
		snprintf(err, sizeof err, "%s/state.json: not a valid state", dir);
		r = VETO_SD_CORRUPT;
	}
	veto_state_free(st);
	if (r != VETO_SD_OK) {
		tool_err("%s", r == VETO_SD_MISSING ? "the state directory holds no state.json" : err);
		free(text);
		return EXIT_TROUBLE;
	}
	cJSON *tree = cJSON_ParseWithLength((const char *)text, len);
	free(text);
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(tree, "policy");
	cJSON *payload = NULL;
	veto_status s = VETO_E_NOMEM;
	if (cJSON_IsObject(env)) {
		payload = statedoc_policy_payload(tree);
		owner_role role;
		if (payload != NULL && owner_role_of(payload, &role))
			s = keys_from_map(pks, n, cJSON_GetObjectItemCaseSensitive(payload, "keys"),
			                  role.keyids);
	} else if (tree != NULL) {
		const cJSON *anchor = cJSON_GetObjectItemCaseSensitive(tree, "anchor");
		s = keys_from_map(pks, n, cJSON_GetObjectItemCaseSensitive(anchor, "keys"), NULL);
	}
	cJSON_Delete(payload);
	cJSON_Delete(tree);
	if (s != VETO_OK)
		return tool_fail("read the owner keys of the state", s);
	return EXIT_ACCEPT;
}

static tool_exit given_owner_keys(const args *a, auth_pk **pks, size_t *n)
{
	*n = 0;
	*pks = calloc(a->count[PO_OWNER] + 1, sizeof **pks);
	if (*pks == NULL)
		return tool_fail("read the owner keys", VETO_E_NOMEM);
	for (size_t i = 0; i < a->count[PO_OWNER]; i++, (*n)++)
		if (read_any_public_key(a->values[PO_OWNER][i], (*pks)[i]) != EXIT_ACCEPT)
			return EXIT_TROUBLE;
	return EXIT_ACCEPT;
}

/* The signed policy is carried forward only when the trusted owner keys
 * that belong to its own owner role meet its owner threshold. */
static tool_exit verify_signed(const args *a, const char *path, const veto_envelope *e,
                               const cJSON *old)
{
	auth_pk *pks = NULL;
	size_t n = 0;
	bool by_state = args_one(a, PO_STATE) != NULL;
	tool_exit rc = by_state ? state_owner_keys(args_one(a, PO_STATE), &pks, &n)
	                        : given_owner_keys(a, &pks, &n);
	owner_role r;
	size_t count = 0;
	if (rc == EXIT_ACCEPT && !owner_role_of(old, &r))
		rc = tool_fail("read the signed policy's owner role", VETO_E_MALFORMED);
	if (rc == EXIT_ACCEPT)
		count_owner_signers(e, (const auth_pk *)pks, n, &r, &count);
	free(pks);
	if (rc == EXIT_ACCEPT && count < r.threshold) {
		tool_err("%s: not carried forward: %zu of the %llu owner signature(s) its owner "
		         "role needs verify under %s (an unverified copy could say anything)",
		         shown_name(path), count, (unsigned long long)r.threshold,
		         by_state ? "the owner keys trusted in the state" : "the --owner keys");
		rc = EXIT_TROUBLE;
	}
	return rc;
}

static bool number_of(const cJSON *doc, const char *name, uint64_t *v)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(doc, name);
	if (!cJSON_IsNumber(n))
		return false;
	*v = (uint64_t)n->valuedouble;
	return true;
}

static bool time_of(const cJSON *doc, const char *name, int64_t *t)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, name));
	return s != NULL && veto_time_parse(t, s, strlen(s)) == VETO_OK;
}

/* serial + 1 (or --serial, above the signed one). */
static tool_exit next_serial(cJSON *doc, const args *a, const cJSON *old)
{
	uint64_t was = 0, serial;
	(void)number_of(old, "serial", &was);
	serial = was + 1;
	const char *st = args_one(a, PO_SERIAL);
	if (st != NULL && !parse_counter(st, &serial))
		return tool_usage("--serial takes plain digits (got '%s')", st);
	if (serial <= was || serial > 9007199254740991ULL)
		return tool_usage("--serial %s: a device trusts only a serial above the signed "
		                  "policy's %llu",
		                  st != NULL ? st : "", (unsigned long long)was);
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "serial", cJSON_CreateNumber((double)serial));
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "format", cJSON_CreateString("veto.policy/1.1"));
	return EXIT_ACCEPT;
}

/* issued now (or --issued), never before the signed one's unless the
 * owner repairs the floor; expires after the same lifetime. */
static tool_exit next_times(cJSON *doc, const args *a, const cJSON *old)
{
	int64_t issued, was_issued, was_expires, expires = 0;
	bool had_issued = time_of(old, "issued", &was_issued);
	bool was_never = cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(old, "expires"));
	tool_exit rc = policy_set_issued(doc, a, &issued);
	if (rc != EXIT_ACCEPT)
		return rc;
	if (had_issued && issued < was_issued && a->count[PO_FLOOR_RESET] == 0) {
		tool_err("refused: issued would be earlier than the signed policy's %s, which "
		         "devices that trusted it hold as their time floor: give "
		         "--time-floor-reset to repair a floor set by a wrong clock",
		         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(old, "issued")));
		return EXIT_TROUBLE;
	}
	bool never = was_never;
	if (args_one(a, PO_EXPIRES) != NULL)
		return policy_parse_expires(args_one(a, PO_EXPIRES), &never, &expires) != EXIT_ACCEPT
		           ? EXIT_TROUBLE
		           : policy_set_expires(doc, never, expires);
	if (!was_never && !had_issued)
		return tool_usage("the signed policy is a veto.policy/1 (no issued), so its lifetime "
		                  "is unknown: give --expires TIME or --expires never");
	if (!was_never && time_of(old, "expires", &was_expires))
		expires = issued + (was_expires - was_issued);
	return policy_set_expires(doc, never, expires);
}

/* "  kept NAME: VALUE" or "  changed NAME: OLD -> NEW" (or added,
 * removed) on stderr; the key map by its size, since it follows the roles. */
static void say_member(const char *name, const cJSON *was, const cJSON *now)
{
	const char *verb = was == NULL                           ? "added"
	                   : now == NULL                         ? "removed"
	                   : cJSON_Compare(was, now, true) ? "kept"
	                                                         : "changed";
	fprintf(stderr, "  %-8s %s: ", verb, name);
	if (strcmp(name, "keys") == 0) {
		fprintf(stderr, "%d key(s), built from the roles\n", cJSON_GetArraySize(now));
		return;
	}
	char *a = was != NULL ? json_compact(was) : NULL;
	char *b = now != NULL ? json_compact(now) : NULL;
	if (was != NULL && now != NULL && strcmp(verb, "changed") == 0)
		fprintf(stderr, "%s -> %s\n", a ? a : "?", b ? b : "?");
	else
		fprintf(stderr, "%s\n", now != NULL ? (b ? b : "?") : (a ? a : "?"));
	free(a);
	free(b);
}

/* Every member kept and changed; roles and reinstate entry by entry. */
static void say_changes(const cJSON *old, const cJSON *doc)
{
	static const char *const by_entry[] = {"roles", "reinstate", "timing"};
	fputs("veto policy next: from the signed policy:\n", stderr);
	const cJSON *m;
	for (int pass = 0; pass < 2; pass++) {
		const cJSON *walk = pass == 0 ? doc : old;
		const cJSON *other = pass == 0 ? old : doc;
		cJSON_ArrayForEach(m, walk)
		{
			const cJSON *o = cJSON_GetObjectItemCaseSensitive(other, m->string);
			if (pass == 1 && o != NULL)
				continue;
			bool entries = false;
			for (size_t k = 0; k < 3; k++)
				entries |= strcmp(m->string, by_entry[k]) == 0 && o != NULL;
			if (!entries) {
				say_member(m->string, pass == 0 ? o : m, pass == 0 ? m : NULL);
				continue;
			}
			char name[96];
			const cJSON *e;
			cJSON_ArrayForEach(e, m)
			{
				snprintf(name, sizeof name, "%s.%s", m->string, e->string);
				say_member(name, cJSON_GetObjectItemCaseSensitive(o, e->string), e);
			}
			cJSON_ArrayForEach(e, o)
			{
				snprintf(name, sizeof name, "%s.%s", m->string, e->string);
				if (cJSON_GetObjectItemCaseSensitive(m, e->string) == NULL)
					say_member(name, e, NULL);
			}
		}
	}
}

/* Rotation: a device trusts the result only when it meets the threshold of
 * the owner role it trusts now and of the one the result declares. */
static void say_rotation(const cJSON *old, const cJSON *doc)
{
	const cJSON *was = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(old, "roles"), "owner");
	const cJSON *now = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(doc, "roles"), "owner");
	if (cJSON_Compare(was, now, true))
		return;
	owner_role r1, r2;
	if (!owner_role_of(old, &r1) || !owner_role_of(doc, &r2))
		return;
	fprintf(stderr,
	        "veto policy next: the owner role changes: sign the result with the OLD owner "
	        "keys (%llu of them) AND the NEW owner keys (%llu of them), e.g. 'veto sign --key "
	        "old-owner.key' then 'veto cosign --key new-owner.key'; a device trusts it only "
	        "when both thresholds are met ('veto show SIGNED --owner OLD.pub' checks both)\n",
	        (unsigned long long)r1.threshold, (unsigned long long)r2.threshold);
}

tool_exit policy_next(const args *a)
{
	if (a->n_operands != 1)
		return tool_usage("give the last signed POLICY envelope");
	if ((a->count[PO_OWNER] > 0) == (args_one(a, PO_STATE) != NULL))
		return tool_usage("give the owner keys that signed POLICY with --owner K.pub, or a "
		                  "device state that trusts them with --state DIR (one of the two)");
	tool_exit rc = check_one_stdin(a->values[PO_OWNER], a->count[PO_OWNER], a->operands, 1);
	veto_envelope *e = NULL;
	cJSON *old = NULL, *doc = NULL;
	if (rc == EXIT_ACCEPT)
		rc = read_policy_envelope(a->operands[0], &e, &old);
	if (rc == EXIT_ACCEPT)
		rc = verify_signed(a, a->operands[0], e, old);
	veto_envelope_free(e);
	if (rc == EXIT_ACCEPT && (doc = cJSON_Duplicate(old, true)) == NULL)
		rc = tool_fail("copy the policy", VETO_E_NOMEM);
	if (rc == EXIT_ACCEPT)
		rc = next_serial(doc, a, old);
	if (rc == EXIT_ACCEPT)
		rc = next_times(doc, a, old);
	if (rc == EXIT_ACCEPT)
		rc = policy_apply(doc, a, cJSON_GetObjectItemCaseSensitive(old, "keys"));
	if (rc == EXIT_ACCEPT)
		rc = policy_finish(doc, args_one(a, PO_OUTPUT));
	if (rc == EXIT_ACCEPT) {
		say_changes(old, doc);
		say_rotation(old, doc);
	}
	cJSON_Delete(doc);
	cJSON_Delete(old);
	return rc;
}
