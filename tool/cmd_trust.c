/* SPDX-License-Identifier: Apache-2.0 */
/* veto trust: adopts newer owner policies into a state directory. */
#include <stdio.h>
#include <string.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "decision.h"
#include "receipt.h"
#include "stage.h"
#include "util.h"

static const char trust_help[] =
    "usage: veto trust --state DIR [--policy POLICY...] [--revocation FILE...]\n"
    "                  [--now TIME] [--report FILE] [--receipt OUT [--receipt-key K.key]\n"
    "                  [--nonce TEXT]]\n"
    "\n"
    "Adopts newer owner policies, each checked against the one trusted before\n"
    "it (signatures of the current and the new owner keys, serial, expiry of\n"
    "the last one, device).  All or nothing: on success DIR/state.json is\n"
    "replaced atomically (exit 0); on refusal it is left untouched (exit 1).\n"
    "Revocations (at least one --policy or --revocation) are judged under the\n"
    "policy that governs afterwards; each accepted one is stored whatever\n"
    "becomes of the policies.\n"
    "\n"
    "  --state DIR      the state directory (made by veto init)\n"
    "  --policy POLICY  a policy envelope, oldest first (repeatable)\n"
    "  --revocation FILE  a revocation envelope (repeatable, at most 64)\n"
    "  --now TIME       the time to check expiry at, YYYY-MM-DDTHH:MM:SSZ\n"
    "                   (default: the system clock)\n"
    HELP_REPORT
    HELP_RECEIPT
    "With a device key in DIR, trust runs only with --receipt: every change of\n"
    "state leaves a receipt.\n";

/* An option table, shaped like every command's (args.h), by design. */
enum { O_STATE, O_POLICY, O_NOW, O_REPORT, O_REVOCATION, O_RECEIPT };
static const opt_def trust_opts[] = {
	[O_STATE] = {.name = "state", .takes_value = true},
	[O_POLICY] = {.name = "policy", .takes_value = true, .repeatable = true},
	[O_NOW] = {.name = "now", .takes_value = true},
	[O_REPORT] = {.name = "report", .takes_value = true},
	[O_REVOCATION] = {.name = "revocation", .takes_value = true, .repeatable = true},
	RECEIPT_OPT_DEFS(O_RECEIPT),
};

/* What trust works on, from its command line. */
typedef struct trust_job {
	const char *dir;
	const char *const *pols;
	size_t n_pols;
	const char *report_path; /* --report FILE, or NULL */
	const char *const *revs;
	size_t n_revs;
	int64_t now;
	receipt_out *receipt; /* (1.1) --receipt */
} trust_job;

/* Whether two states have the same text (nothing to write). */
static bool same_state(const veto_state *a, const veto_state *b)
{
	char *ta = NULL, *tb = NULL;
	size_t la = 0, lb = 0;
	bool same = format_state(a, &ta, &la) == EXIT_ACCEPT &&
	            format_state(b, &tb, &lb) == EXIT_ACCEPT && la == lb && memcmp(ta, tb, la) == 0;
	veto_free(NULL, ta);
	veto_free(NULL, tb);
	return same;
}

/* (1.1) The receipt staged, the state written when it changed (on a
 * refusal too: revocations accepted still change it), the receipt named:
 * a state is never written before its receipt is ready. */
static tool_exit record(const trust_job *job, veto_sd_dir *sd, const docs *in,
                        const veto_report *rep, const veto_state *state,
                        const veto_state *next, bool *written)
{
	veto_receipt_facts f = {.kind = VETO_RECEIPT_TRUST,
	                        .time = job->now,
	                        .before = state,
	                        .after = next,
	                        .report = rep,
	                        .revocations = in->revocations,
	                        .n_revocations = in->n_revocations};
	bool changed = next != NULL && !same_state(state, next);
	tool_exit rc = receipt_stage(job->receipt, &f);
	if (rc == EXIT_ACCEPT && changed) {
		rc = write_state(sd, next);
		*written = rc == EXIT_ACCEPT;
	}
	return receipt_end(job->receipt, rc, *written);
}

/* What was decided, and what became of DIR. */
static tool_exit print_trust(const trust_job *job, const char *subject, bool accepted,
                             const veto_report *rep, const report_names *names,
                             const veto_state *next, bool written)
{
	tool_exit rc = emit(subject, accepted, rep, names, false);
	if (accepted) {
		uint64_t serial = 0;
		(void)veto_state_policy_serial(next, &serial);
		printf("  policy serial %llu now governs %s/%s in %s\n", (unsigned long long)serial,
		       veto_state_vendor(next), veto_state_model(next), job->dir);
	} else if (written) {
		printf("  (the accepted revocations were stored in %s)\n", job->dir);
	} else {
		printf("  (%s left unchanged)\n", job->dir);
	}
	return rc;
}

/* Adopts the policies into the state read from sd, and writes the result. */
static tool_exit adopt(const trust_job *job, veto_sd_dir *sd, const docs *in)
{
	char names_buf[1024];
	const char *subject = job->n_pols > 0
	                          ? join_names(names_buf, sizeof names_buf, job->pols, job->n_pols)
	                          : join_names(names_buf, sizeof names_buf, job->revs, job->n_revs);
	char state_file[4200];
	snprintf(state_file, sizeof state_file, "%s/state.json", job->dir);
	report_names names = {.policy_files = job->pols, .n_policy_files = job->n_pols,
	                      .state_file = state_file};
	veto_report rep;
	veto_report_init(&rep, NULL);
	veto_state *state = NULL, *next = NULL;
	bool written = false;
	tool_exit rc = load_state(sd, job->dir, &rep, &state);
	if (rc != EXIT_TROUBLE && receipt_locked(job->receipt) != EXIT_ACCEPT)
		rc = EXIT_TROUBLE;
	veto_status s = VETO_OK;
	veto_when when = {.now = job->now, .revocations = in->revocations,
	                  .n_revocations = in->n_revocations};
	if (rc == EXIT_ACCEPT)
		s = veto_trust_at(&next, &rep, NULL, state, in->policies, job->n_pols, &when);
	if (rc == EXIT_REFUSE) {
		rc = emit(subject, false, &rep, &names, false);
	} else if (rc == EXIT_TROUBLE) {
		/* load_state said why */
	} else if (s == VETO_E_NO_POLICY) {
		rc = tool_usage("%s holds no trusted policy to judge revocations under: give --policy",
		                job->dir);
	} else if (s != VETO_OK && s != VETO_REFUSED) {
		rc = tool_fail("decide", s);
	} else if ((rc = record(job, sd, in, &rep, state, next, &written)) == EXIT_ACCEPT) {
		rc = print_trust(job, subject, s == VETO_OK, &rep, &names, next, written);
	}
	rc = receipt_end(job->receipt, rc, written); /* a run that decided nothing */
	const char *note = !written ? "the state was not changed"
	                   : s == VETO_OK ? "the state WAS written (the policy is trusted)"
	                                  : "the state WAS written (the revocations are stored)";
	rc = report_end_decision(job->report_path, rc, &rep, note);
	if (next != NULL)
		veto_state_free(next);
	if (state != NULL)
		veto_state_free(state);
	veto_report_clear(&rep);
	return rc;
}

static tool_exit trust_run(const args *a)
{
	tool_exit rc;
	receipt_out receipt;
	receipt_from_args(&receipt, a, O_RECEIPT);
	trust_job job = {.dir = args_one(a, O_STATE),
	                 .report_path = args_one(a, O_REPORT),
	                 .pols = a->values[O_POLICY],
	                 .n_pols = a->count[O_POLICY],
	                 .revs = a->values[O_REVOCATION],
	                 .n_revs = a->count[O_REVOCATION],
	                 .receipt = &receipt};
	docs in = {0};
	veto_sd_dir sd = VETO_SD_DIR_CLOSED;
	if ((rc = report_prepare(job.report_path, job.dir)) != EXIT_ACCEPT ||
	    (rc = receipt_prepare(&receipt, job.dir, RECEIPT_FOR_CHANGES)) != EXIT_ACCEPT)
		return rc; /* nothing removed: the files were not ours to touch */
	if (job.dir == NULL || job.n_pols + job.n_revs == 0 || a->n_operands != 0)
		rc = tool_usage("give --state DIR and at least one --policy POLICY or --revocation FILE");
	else if ((rc = parse_now(args_one(a, O_NOW), &job.now)) == EXIT_ACCEPT &&
	         (rc = check_one_stdin(job.pols, job.n_pols, job.revs, job.n_revs)) == EXIT_ACCEPT &&
	         (rc = docs_read(&in, job.pols, job.n_pols, NULL)) == EXIT_ACCEPT &&
	         (rc = docs_read_revocations(&in, job.revs, job.n_revs)) == EXIT_ACCEPT &&
	         (rc = receipt_load_key(&receipt)) == EXIT_ACCEPT)
		rc = adopt(&job, &sd, &in); /* writes the report and receipt of its decision */
	if (rc == EXIT_TROUBLE) { /* no decision made: an old report and receipt go */
		rc = receipt_end(&receipt, rc, false);
		rc = report_end(job.report_path, rc, NULL, 0, "", false);
	}
	veto_sd_close(&sd);
	docs_free(&in);
	return rc;
}

TOOL_COMMAND(cmd_trust, "trust", trust_opts, trust_help, trust_run);
