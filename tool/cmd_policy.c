/* SPDX-License-Identifier: Apache-2.0 */
/* veto policy new, veto policy next: the owner's policy payload from key
 * files and options (SPEC section 9.1, Authoring). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <veto.h>

#include "args.h"
#include "authkeys.h"
#include "cmd.h"
#include "policy_build.h"
#include "policy_next.h"
#include "util.h"

static const char policy_help[] =
    "usage: veto policy new --device VENDOR/MODEL --role NAME:THRESHOLD:KEYS...\n"
    "                       --require ROLE... [OPTIONS] [-o POLICY.json]\n"
    "       veto policy next POLICY (--owner K.pub... | --state DIR) [OPTIONS]\n"
    "                       [-o POLICY.json]\n"
    "\n"
    "Writes a veto.policy/1.1 payload for 'veto sign'; nothing is written that\n"
    "sign would refuse.  KEYS: comma-separated public key files of any kind\n"
    "'veto key import' reads.  'new' needs the roles owner and vendor.  'next'\n"
    "starts from the signed POLICY, once its owner signatures verify under the\n"
    "--owner keys or the policy trusted in --state DIR: serial + 1, a fresh\n"
    "issued, the same lifetime, every other member kept unless an option says.\n"
    "\n"
    "OPTIONS (a list option may be repeated; in next it replaces the list):\n"
    "  --serial N  --issued TIME  --expires TIME|never\n"
    "  --role NAME:THRESHOLD:KEYS   --require ROLE   --protect FEATURE\n"
    "  --removal-requires ROLE  --forbid NAME  --addition-requires ROLE\n"
    "  --rollback-requires ROLE  --min-security-counter N  --max-image-size BYTES\n"
    "  --digest sha256|blake2b-256  --clock utc|local|+HH:MM|-HH:MM\n"
    "  --window DAYS/HH:MM-HH:MM (DAYS: mon-fri, sat,sun, fri-mon)\n"
    "  --hold FROM/UNTIL[/fast]  --fast-path ROLE  --revocation-role ROLE\n"
    "  --revoke-update DIGEST  --reinstate-update DIGEST  --reinstate-key KEY\n"
    "  --time-floor-reset\n"
    "next only: --no-role NAME, and --no-MEMBER to drop a member: --no-protect,\n"
    "  --no-removal-requires, --no-forbid, --no-addition-requires,\n"
    "  --no-rollback-requires, --no-min-security-counter, --no-max-image-size,\n"
    "  --no-digest, --no-timing, --no-clock, --no-window, --no-hold,\n"
    "  --no-fast-path, --no-revocation-role, --no-revoke-update, --no-reinstate\n"
    "\n"
    "Defaults: issued five minutes before now; new: serial 1, expires one year\n"
    "after issued; next: expires after the signed policy's lifetime.\n";

/* One year after t, on the calendar (29 February goes to 28 February). */
static int64_t one_year_after(int64_t t)
{
	char text[21];
	int64_t out = t + 365 * 86400;
	if (veto_time_format(text, t) != VETO_OK)
		return out;
	int year = atoi(text) + 1;
	for (int i = 3; i >= 0; i--, year /= 10)
		text[i] = (char)('0' + year % 10);
	if (veto_time_parse(&out, text, 20) != VETO_OK) { /* 29 February */
		text[9] = '8';
		if (veto_time_parse(&out, text, 20) != VETO_OK)
			out = t + 365 * 86400;
	}
	return out;
}

/* Options that belong to the other subcommand. */
static tool_exit refuse_foreign(const args *a, bool next)
{
	static const unsigned next_only[] = {PO_OWNER, PO_STATE, PO_NO_ROLE};
	if (next && a->count[PO_DEVICE] > 0)
		return tool_usage("--device is for 'policy new': 'policy next' keeps the signed "
		                  "policy's device");
	for (size_t i = 0; !next && i < PO_COUNT; i++)
		if (a->count[i] > 0 && (i >= PO_NO_PROTECT || i == next_only[0] ||
		                        i == next_only[1] || i == next_only[2]))
			return tool_usage("--%s is for 'policy next' only", policy_opts[i].name);
	return EXIT_ACCEPT;
}

static tool_exit new_header(cJSON *doc, const args *a)
{
	uint64_t serial = 1;
	const char *st = args_one(a, PO_SERIAL);
	if (st != NULL && (!parse_counter(st, &serial) || serial == 0))
		return tool_usage("--serial takes a whole number from 1 up (got '%s')", st);
	cJSON *dev = device_new(args_one(a, PO_DEVICE));
	if (dev == NULL)
		return EXIT_TROUBLE;
	if (cJSON_AddStringToObject(doc, "format", "veto.policy/1.1") == NULL ||
	    cJSON_AddNumberToObject(doc, "serial", (double)serial) == NULL ||
	    !cJSON_AddItemToObject(doc, "device", dev)) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	int64_t issued, expires;
	bool never = false;
	tool_exit rc = policy_set_issued(doc, a, &issued);
	expires = one_year_after(issued);
	if (rc == EXIT_ACCEPT && args_one(a, PO_EXPIRES) != NULL)
		rc = policy_parse_expires(args_one(a, PO_EXPIRES), &never, &expires);
	if (rc == EXIT_ACCEPT)
		rc = policy_set_expires(doc, never, expires);
	return rc;
}

static bool has_role(const args *a, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < a->count[PO_ROLE]; i++)
		if (strncmp(a->values[PO_ROLE][i], name, n) == 0 && a->values[PO_ROLE][i][n] == ':')
			return true;
	return false;
}

static tool_exit policy_new(const args *a)
{
	if (a->n_operands != 0)
		return tool_usage("'policy new' takes no operand (keys come with --role)");
	if (args_one(a, PO_DEVICE) == NULL)
		return tool_usage("give the device with --device VENDOR/MODEL");
	if (!has_role(a, "owner") || !has_role(a, "vendor"))
		return tool_usage("give at least the roles owner and vendor: --role owner:1:owner.pub "
		                  "--role vendor:1:vendor.pub");
	if (a->count[PO_REQUIRE] == 0)
		return tool_usage("give the roles every update must satisfy with --require ROLE "
		                  "(vendor at least)");
	cJSON *doc = cJSON_CreateObject();
	if (doc == NULL) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	tool_exit rc = new_header(doc, a);
	if (rc == EXIT_ACCEPT)
		rc = policy_apply(doc, a, NULL);
	if (rc == EXIT_ACCEPT)
		rc = policy_finish(doc, args_one(a, PO_OUTPUT));
	cJSON_Delete(doc);
	return rc;
}

static tool_exit policy_main(int argc, char **argv)
{
	tool_cmd = "policy";
	if (argc < 2)
		return tool_usage("give a subcommand: 'policy new' or 'policy next POLICY'");
	const char *sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		fputs(policy_help, stdout);
		return EXIT_ACCEPT;
	}
	bool next = strcmp(sub, "next") == 0;
	if (!next && strcmp(sub, "new") != 0)
		return tool_usage("unknown policy subcommand '%s' (use 'new' or 'next')", sub);
	tool_cmd = next ? "policy next" : "policy new";
	args a;
	tool_exit rc;
	if (!args_start(&a, policy_opts, PO_COUNT, argc - 1, argv + 1, policy_help, &rc))
		return rc;
	rc = refuse_foreign(&a, next);
	if (rc == EXIT_ACCEPT)
		rc = next ? policy_next(&a) : policy_new(&a);
	args_free(&a);
	return rc;
}

const tool_command cmd_policy = {
	.name = "policy",
	.run_argv = policy_main,
};
