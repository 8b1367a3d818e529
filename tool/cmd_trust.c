/* SPDX-License-Identifier: Apache-2.0 */
/* veto trust: adopts newer owner policies into a state directory. */
#include <stdio.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "decision.h"
#include "util.h"

static const char trust_help[] =
    "usage: veto trust --state DIR --policy POLICY... [--now TIME]\n"
    "\n"
    "Adopts newer owner policies, each checked against the one trusted before\n"
    "it (signatures of the current and the new owner keys, serial, expiry of\n"
    "the last one, device).  All or nothing: on success DIR/state.json is\n"
    "replaced atomically (exit 0); on refusal it is left untouched (exit 1).\n"
    "\n"
    "  --state DIR      the state directory (made by veto init)\n"
    "  --policy POLICY  a policy envelope, oldest first (repeatable)\n"
    "  --now TIME       the time to check expiry at, YYYY-MM-DDTHH:MM:SSZ\n"
    "                   (default: the system clock)\n";

enum { O_STATE, O_POLICY, O_NOW };
static const opt_def trust_opts[] = {
	[O_STATE] = {.name = "state", .takes_value = true},
	[O_POLICY] = {.name = "policy", .takes_value = true, .repeatable = true},
	[O_NOW] = {.name = "now", .takes_value = true},
};

/* What trust works on, from its command line. */
typedef struct trust_job {
	const char *dir;
	const char *const *pols;
	size_t n_pols;
	int64_t now;
} trust_job;

/* Adopts the policies into the state read from sd, and writes the result. */
static tool_exit adopt(const trust_job *job, veto_sd_dir *sd, const docs *in)
{
	char names_buf[1024];
	const char *subject = join_names(names_buf, sizeof names_buf, job->pols, job->n_pols);
	char state_file[4200];
	snprintf(state_file, sizeof state_file, "%s/state.json", job->dir);
	report_names names = {.policy_files = job->pols, .n_policy_files = job->n_pols,
	                      .state_file = state_file};
	veto_report rep;
	veto_report_init(&rep, NULL);
	veto_state *state = NULL, *next = NULL;
	tool_exit rc = load_state(sd, job->dir, &rep, &state);
	veto_status s = VETO_OK;
	if (rc == EXIT_ACCEPT)
		s = veto_trust(&next, &rep, NULL, state, in->policies, job->n_pols, job->now);
	if (rc == EXIT_REFUSE) {
		rc = emit(subject, false, &rep, &names, false);
	} else if (rc == EXIT_TROUBLE) {
		/* load_state said why */
	} else if (s == VETO_REFUSED) {
		rc = emit(subject, false, &rep, &names, false);
		printf("  (%s left unchanged)\n", job->dir);
	} else if (s != VETO_OK) {
		rc = tool_fail("decide", s);
	} else if ((rc = write_state(sd, next)) == EXIT_ACCEPT) {
		uint64_t serial = 0;
		(void)veto_state_policy_serial(next, &serial);
		rc = emit(subject, true, &rep, &names, false);
		printf("  policy serial %llu now governs %s/%s in %s\n", (unsigned long long)serial,
		       veto_state_vendor(next), veto_state_model(next), job->dir);
	}
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
	trust_job job = {.dir = args_one(a, O_STATE),
	                 .pols = a->values[O_POLICY],
	                 .n_pols = a->count[O_POLICY]};
	docs in = {0};
	veto_sd_dir sd = VETO_SD_DIR_CLOSED;
	if (job.dir == NULL || job.n_pols == 0 || a->n_operands != 0)
		rc = tool_usage("give --state DIR and at least one --policy POLICY");
	else if ((rc = parse_now(args_one(a, O_NOW), &job.now)) == EXIT_ACCEPT &&
	         (rc = check_one_stdin(job.pols, job.n_pols, NULL, 0)) == EXIT_ACCEPT &&
	         (rc = docs_read(&in, job.pols, job.n_pols, NULL)) == EXIT_ACCEPT)
		rc = adopt(&job, &sd, &in);
	veto_sd_close(&sd);
	docs_free(&in);
	return rc;
}

TOOL_COMMAND(cmd_trust, "trust", trust_opts, trust_help, trust_run);
