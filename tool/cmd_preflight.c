/* SPDX-License-Identifier: Apache-2.0 */
/* veto preflight: one release against many owners' policies. */
#include <stdio.h>
#include <stdlib.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "decision.h"
#include "output.h"
#include "stage.h"
#include "util.h"

static const char preflight_help[] =
    "usage: veto preflight --update UPDATE POLICY... [--now TIME] [--json]\n"
    "                      [--report FILE]\n"
    "\n"
    "For a vendor's pipeline: evaluates one release against many owners'\n"
    "published policies, each trusted on its own (its own owner keys, expiry\n"
    "and device) with an empty installed state, and counts how many would\n"
    "accept or refuse, by reason.  Exit status: 0 when every policy accepts,\n"
    "1 when any refuses, 2 on a usage or I/O error.\n"
    "\n"
    "  --update UPDATE  the update envelope\n"
    HELP_NOW
    "  --json           one JSON object on standard output\n"
    "  --report FILE    also writes that JSON object to FILE (atomically)\n";

enum { O_UPDATE, O_JSON, O_NOW, O_REPORT };
static const opt_def preflight_opts[] = {
	[O_UPDATE] = {.name = "update", .takes_value = true},
	[O_JSON] = {.name = "json"},
	[O_NOW] = {.name = "now", .takes_value = true},
	/* SPEC 9.1: the JSON object also to a file, for pipelines */
	[O_REPORT] = {.name = "report", .takes_value = true},
};

/* The decisions, one per policy, and their tally. */
typedef struct tally {
	preflight_results res;
	veto_report *reports;
	bool *accepted;
	size_t n_done; /* reports initialised */
} tally;

/* Counts policy i's refusal codes: a policy counts once per code, however
 * many reasons of that code it has (two removed features: one policy). */
static void count_codes(tally *t, size_t i)
{
	bool seen[VETO_CODE_COUNT_] = {false};
	const veto_report *r = &t->reports[i];
	for (size_t k = 0; k < r->n_refusals; k++) {
		veto_code code = r->refusals[k].code;
		if ((unsigned)code < VETO_CODE_COUNT_ && !seen[code]) {
			seen[code] = true;
			t->res.by_code[code]++;
		}
	}
}

/* Decides every policy.  One release, many policies: the update is parsed
 * once and each of its signatures verified once for all of them. */
static tool_exit decide_all(tally *t, const docs *in, const char *update_path, int64_t now)
{
	veto_config cfg;
	decision_config(&cfg);
	veto_preflight *pf = NULL;
	veto_status s = veto_preflight_new(&pf, &cfg, in->update, in->update_len);
	if (s != VETO_OK) {
		tool_err("%s: cannot decide: %s", shown_name(update_path), veto_strerror(s));
		return EXIT_TROUBLE;
	}
	tool_exit rc = EXIT_ACCEPT;
	for (size_t i = 0; i < t->res.n && rc == EXIT_ACCEPT; i++) {
		veto_report_init(&t->reports[i], NULL);
		t->n_done = i + 1;
		veto_check *c = NULL;
		s = veto_preflight_check(&c, &t->reports[i], pf, in->policies[i].ptr,
		                         in->policies[i].len, now);
		if (s == VETO_OK) {
			s = veto_check_finish(c, NULL);
			veto_check_free(c);
		}
		if (s != VETO_OK && s != VETO_REFUSED) {
			tool_err("%s: cannot decide: %s", shown_name(t->res.files[i]), veto_strerror(s));
			rc = EXIT_TROUBLE;
			break;
		}
		t->accepted[i] = s == VETO_OK;
		t->res.n_accept += t->accepted[i] ? 1U : 0U;
		count_codes(t, i);
	}
	veto_preflight_free(pf);
	return rc;
}

/* --report FILE: the object --json prints.  A run that exits 2 leaves an
 * existing FILE alone (SPEC 9.1: its report would list unreadable policies
 * as results). */
static tool_exit write_report(const char *path, const preflight_results *res, tool_exit rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (f == NULL) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	preflight_print_json(f, res);
	if (fclose(f) != 0 || text == NULL) {
		free(text);
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	while (len > 0 && text[len - 1] == '\n')
		len--;
	rc = report_end(path, rc, text, len, "preflight writes no state", true);
	free(text);
	return rc;
}

static tool_exit preflight(tally *t, const char *update_path, int64_t now, bool json,
                           const char *report_path)
{
	docs in = {0};
	t->reports = calloc(t->res.n, sizeof *t->reports);
	t->accepted = calloc(t->res.n, sizeof *t->accepted);
	t->res.reports = t->reports;
	t->res.accepted = t->accepted;
	tool_exit rc = docs_read(&in, t->res.files, t->res.n, update_path);
	if (rc == EXIT_ACCEPT && (t->reports == NULL || t->accepted == NULL)) {
		tool_err("out of memory");
		rc = EXIT_TROUBLE;
	}
	if (rc == EXIT_ACCEPT)
		rc = decide_all(t, &in, update_path, now);
	docs_free(&in);
	if (rc != EXIT_ACCEPT)
		return rc;
	if (json)
		preflight_print_json(stdout, &t->res);
	else
		preflight_print(stdout, &t->res);
	rc = t->res.n_accept == t->res.n ? EXIT_ACCEPT : EXIT_REFUSE;
	return report_path != NULL ? write_report(report_path, &t->res, rc) : rc;
}

static tool_exit preflight_run(const args *a)
{
	tool_exit rc;
	const char *update_path = args_one(a, O_UPDATE);
	tally t = {.res = {.n = a->n_operands, .files = a->operands}};
	int64_t now;
	if (update_path == NULL || t.res.n == 0)
		rc = tool_usage("give --update UPDATE and at least one POLICY file");
	else if ((rc = report_prepare(args_one(a, O_REPORT), NULL)) == EXIT_ACCEPT &&
	         (rc = parse_now(args_one(a, O_NOW), &now)) == EXIT_ACCEPT &&
	         (rc = check_one_stdin(t.res.files, t.res.n, &update_path, 1)) == EXIT_ACCEPT)
		rc = preflight(&t, update_path, now, a->count[O_JSON] > 0, args_one(a, O_REPORT));
	for (size_t i = 0; i < t.n_done; i++)
		veto_report_clear(&t.reports[i]);
	free(t.reports);
	free(t.accepted);
	return rc;
}

TOOL_COMMAND(cmd_preflight, "preflight", preflight_opts, preflight_help, preflight_run);
