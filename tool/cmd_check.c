/* SPDX-License-Identifier: Apache-2.0 */
/*
 * veto check and veto commit: one decision on an update, and for commit the
 * state written after it.  They share every step up to the decision, so
 * they share this file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "decision.h"
#include "files.h"
#include "receipt.h"
#include "stage.h"
#include "util.h"

#define IMAGE_CHUNK (64U * 1024U)

static const char check_help[] =
    "usage: veto check (--state DIR | --anchor ANCHOR) [--policy POLICY]...\n"
    "                  --update UPDATE [--image FILE [--stage-to FILE]] [--now TIME]\n"
    "                  [--local-time YYYY-MM-DDTHH:MM:SS] [--json] [--report FILE]\n"
    "                  [--receipt OUT [--receipt-key K.key] [--nonce TEXT]]\n"
    "\n"
    "Decides whether UPDATE may be installed, and says why.  Changes nothing.\n"
    "Without --state: the anchor's device, no trusted policy yet and an empty\n"
    "installed state.  Without --policy: the policy trusted in DIR governs.\n"
    "Exit status: 0 accept, 1 refuse, 2 usage or I/O error.\n"
    "\n"
    "  --state DIR      the state directory\n"
    "  --anchor ANCHOR  a trust anchor, for a device without a state\n"
    "  --policy POLICY  policy envelopes to trust first, oldest first (repeatable)\n"
    "  --update UPDATE  the update envelope\n"
    "  --image FILE     the image, streamed and compared with the manifest\n"
    "                   (without it the decision is on the manifest alone)\n"
    "  --stage-to FILE  writes the image, as it is hashed, to FILE's directory and\n"
    "                   names it FILE only when the update is accepted; on a\n"
    "                   refusal or an error an existing FILE is removed\n"
    HELP_NOW
    "  --local-time T   the device's local wall-clock time, for a policy whose\n"
    "                   windows are on the local clock (default: --now in the\n"
    "                   time zone of TZ, else the system's; none without a zone)\n"
    "  --revocation FILE  a revocation envelope (repeatable, at most 64); it\n"
    "                   applies to this decision only: check stores nothing\n"
    "  --json           one JSON object on standard output\n"
    HELP_REPORT
    HELP_RECEIPT;

static const char commit_help[] =
    "usage: veto commit --state DIR [--policy POLICY]... --update UPDATE\n"
    "                   --image FILE [--now TIME] [--report FILE]\n"
    "                   [--receipt OUT [--receipt-key K.key] [--nonce TEXT]]\n"
    "\n"
    "After installing an update: checks it again, image included (but not the\n"
    "owner's timing: the installation has happened), and only if\n"
    "it is accepted records it in DIR/state.json (security counter, update,\n"
    "features, and the governing policy) in one atomic write, under the\n"
    "directory's lock.  A refused commit changes nothing (exit 1).\n"
    "\n"
    "  --state DIR      the state directory\n"
    "  --policy POLICY  policy envelopes to trust first, oldest first (repeatable)\n"
    "  --update UPDATE  the update envelope\n"
    "  --image FILE     the installed image\n"
    "  --now TIME       YYYY-MM-DDTHH:MM:SSZ (default: the system clock)\n"
    HELP_REPORT
    HELP_RECEIPT
    "With a device key in DIR, commit runs only with --receipt: every change of\n"
    "state leaves a receipt.\n";

enum {
	O_STATE, O_ANCHOR, O_POLICY, O_UPDATE, O_IMAGE, O_NOW, O_JSON, O_LOCAL_TIME,
	O_REPORT, O_STAGE, O_REVOCATION, O_RECEIPT
};
static const opt_def check_opts[] = {
	[O_STATE] = {.name = "state", .takes_value = true},
	[O_ANCHOR] = {.name = "anchor", .takes_value = true},
	[O_POLICY] = {.name = "policy", .takes_value = true, .repeatable = true},
	[O_UPDATE] = {.name = "update", .takes_value = true},
	[O_IMAGE] = {.name = "image", .takes_value = true},
	[O_NOW] = {.name = "now", .takes_value = true},
	[O_JSON] = {.name = "json"},
	[O_LOCAL_TIME] = {.name = "local-time", .takes_value = true},
	[O_REPORT] = {.name = "report", .takes_value = true},
	[O_STAGE] = {.name = "stage-to", .takes_value = true},
	[O_REVOCATION] = {.name = "revocation", .takes_value = true, .repeatable = true},
	RECEIPT_OPT_DEFS(O_RECEIPT),
};
/* commit takes the same options but --anchor and --json (names NULL): both
 * would mean there is no state to record into, or no person to read it; and
 * no --stage-to: it records an installation that has happened (SPEC 9.1). */
static const opt_def commit_opts[] = {
	[O_STATE] = {.name = "state", .takes_value = true},
	[O_ANCHOR] = {.name = NULL},
	[O_POLICY] = {.name = "policy", .takes_value = true, .repeatable = true},
	[O_UPDATE] = {.name = "update", .takes_value = true},
	[O_IMAGE] = {.name = "image", .takes_value = true},
	[O_NOW] = {.name = "now", .takes_value = true},
	[O_JSON] = {.name = NULL},
	[O_LOCAL_TIME] = {.name = NULL}, /* a commit does not judge timing */
	[O_REPORT] = {.name = "report", .takes_value = true},
	[O_STAGE] = {.name = NULL},
	[O_REVOCATION] = {.name = "revocation", .takes_value = true, .repeatable = true},
	RECEIPT_OPT_DEFS(O_RECEIPT),
};

/* What check or commit works on, from its command line. */
typedef struct check_job {
	bool committing;
	bool json;
	const char *dir;
	const char *anchor_path;
	const char *update_path;
	const char *image_path;
	const char *report_path;
	const char *stage_path;
	const char *const *pols;
	size_t n_pols;
	const char *const *revs; /* (1.1) --revocation files */
	size_t n_revs;
	int64_t now;
	bool has_local_time; /* (1.1) the device's local wall clock, when known */
	int64_t local_time;
} check_job;

/* What a run holds, released by run_free whatever step it reached. */
typedef struct check_run {
	docs in;
	uint8_t *anchor;
	size_t anchor_len;
	int image_fd;
	veto_sd_dir sd;
	veto_state *state;
	veto_state *next;
	veto_check *c;
	veto_report rep;
	report_names names;
	char stored_label[4200];
	char state_file[4200];
	veto_image_digests dg;
	stage st;
	bool accepted;
	bool written;       /* commit: the new state was written */
	receipt_out receipt; /* (1.1) --receipt */
} check_run;

/* (1.1) --local-time, or the verifier's time read in the process's time
 * zone (TZ, else the system's); no local time when there is no zone. */
static tool_exit parse_local_time(check_job *job, const char *text)
{
	char buf[32];
	struct tm tm;
	const char *tz = getenv("TZ");
	time_t t = (time_t)job->now;
	if (text == NULL) {
		if ((tz == NULL || tz[0] == '\0') && access("/etc/localtime", F_OK) != 0)
			return EXIT_ACCEPT; /* no zone: none is handed in */
		if (localtime_r(&t, &tm) == NULL ||
		    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm) != 19)
			return EXIT_ACCEPT;
		text = buf;
	}
	if (veto_local_time_parse(&job->local_time, text, strlen(text)) != VETO_OK &&
	    time_shaped(text, false))
		return tool_usage("--local-time '%s' is not a real time: the date must exist (no "
		                  "February 30) and seconds run 00..59", text);
	if (veto_local_time_parse(&job->local_time, text, strlen(text)) != VETO_OK)
		return tool_usage("--local-time '%s' is not a local time of the form "
		                  "YYYY-MM-DDTHH:MM:SS (no zone)", text);
	job->has_local_time = true;
	return EXIT_ACCEPT;
}

static tool_exit job_from_args(check_job *job, const args *a, bool committing)
{
	*job = (check_job){.committing = committing,
	                   .json = a->count[O_JSON] > 0,
	                   .dir = args_one(a, O_STATE),
	                   .anchor_path = args_one(a, O_ANCHOR),
	                   .update_path = args_one(a, O_UPDATE),
	                   .image_path = args_one(a, O_IMAGE),
	                   .report_path = args_one(a, O_REPORT),
	                   .stage_path = args_one(a, O_STAGE),
	                   .pols = a->values[O_POLICY],
	                   .n_pols = a->count[O_POLICY],
	                   .revs = a->values[O_REVOCATION],
	                   .n_revs = a->count[O_REVOCATION]};
	if (a->n_operands != 0)
		return tool_usage("unexpected argument '%s'", a->operands[0]);
	if (committing &&
	    (job->dir == NULL || job->update_path == NULL || job->image_path == NULL))
		return tool_usage("give --state DIR, --update UPDATE and --image FILE: a commit "
		                  "records only an update whose image was checked");
	if (!committing && (job->dir == NULL) == (job->anchor_path == NULL))
		return tool_usage("give either --state DIR or --anchor ANCHOR (one of them)");
	if (job->update_path == NULL)
		return tool_usage("give --update UPDATE");
	if (job->stage_path != NULL && job->image_path == NULL)
		return tool_usage("--stage-to FILE stages the image: give --image FILE (or - )");
	tool_exit rc = parse_now(args_one(a, O_NOW), &job->now);
	if (rc == EXIT_ACCEPT && !committing)
		rc = parse_local_time(job, args_one(a, O_LOCAL_TIME));
	if (rc != EXIT_ACCEPT)
		return rc;
	const char *const others[] = {job->update_path, job->anchor_path, job->image_path};
	/* One '-' in all: each pair of lists is counted together. */
	rc = check_one_stdin(job->pols, job->n_pols, others, ARGS_COUNT(others));
	if (rc == EXIT_ACCEPT)
		rc = check_one_stdin(job->revs, job->n_revs, others, ARGS_COUNT(others));
	if (rc == EXIT_ACCEPT)
		rc = check_one_stdin(job->pols, job->n_pols, job->revs, job->n_revs);
	return rc;
}

/* Every file named on the command line is opened before deciding, so that
 * one that cannot be read is an I/O error (2), never a refusal. */
static tool_exit open_inputs(const check_job *job, check_run *run)
{
	if (docs_read(&run->in, job->pols, job->n_pols, job->update_path) != EXIT_ACCEPT ||
	    docs_read_revocations(&run->in, job->revs, job->n_revs) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	if (job->anchor_path != NULL && read_input(job->anchor_path, TOOL_MAX_DOCUMENT,
	                                           &run->anchor, &run->anchor_len) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	if (job->image_path != NULL) {
		struct stat st;
		run->image_fd = open_named_input(job->image_path, "image", &st);
		if (run->image_fd < 0)
			return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

/* The state the decision starts from: DIR's, or the anchor's. */
static tool_exit starting_state(const check_job *job, check_run *run)
{
	const char *subject = shown_name(job->update_path);
	run->names = (report_names){.policy_files = job->pols,
	                            .n_policy_files = job->n_pols,
	                            .image_hint = job->image_path == NULL};
	if (job->anchor_path != NULL)
		run->names.anchor_file = shown_name(job->anchor_path);
	if (job->dir != NULL) {
		snprintf(run->stored_label, sizeof run->stored_label, "policy trusted in %s",
		         job->dir);
		snprintf(run->state_file, sizeof run->state_file, "%s/state.json", job->dir);
		run->names.stored_policy = run->stored_label;
		run->names.state_file = run->state_file;
		tool_exit rc = load_state(&run->sd, job->dir, &run->rep, &run->state);
		if (rc != EXIT_TROUBLE && job->committing && receipt_locked(&run->receipt) != EXIT_ACCEPT)
			return EXIT_TROUBLE;
		return rc == EXIT_REFUSE ? emit(subject, false, &run->rep, &run->names, job->json) : rc;
	}
	if (veto_state_from_anchor(&run->state, &run->rep, NULL, run->anchor, run->anchor_len, 0,
	                           NULL, 0) == VETO_OK)
		return EXIT_ACCEPT;
	run->state = NULL;
	if (run->rep.n_refusals > 0)
		return emit(subject, false, &run->rep, &run->names, job->json);
	tool_err("%s: cannot read the trust anchor", shown_name(job->anchor_path));
	return EXIT_TROUBLE;
}

/* Streams the image in fixed chunks: the library keeps no copy, and
 * neither does the tool, whatever the image's size.  No more is read than
 * can matter (SPEC section 8): reading stops as soon as the library wants
 * no more (past the manifest's size, or an update not read at all), so an
 * endless source (/dev/zero, a pipe) never keeps the check busy, and the
 * rest of standard input is left undrained.  Every byte the decision takes
 * passes through the one veto_check_image call below, and from there to
 * --stage-to. */
static tool_exit feed_image(veto_check *c, int fd, const char *path, stage *st)
{
	uint8_t *buf = malloc(IMAGE_CHUNK);
	if (buf == NULL) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	tool_exit rc = EXIT_ACCEPT;
	for (bool more = true; more;) {
		ssize_t n = 0;
		if (veto_check_wants_image(c))
			n = read(fd, buf, IMAGE_CHUNK);
		else
			more = false; /* still one call of 0 bytes: the image was given */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tool_err("cannot read image %s: %s", shown_name(path), strerror(errno));
			rc = EXIT_TROUBLE;
			break;
		}
		/* Also called with 0 bytes at the end: an empty image is still
		 * an image given. */
		veto_status s = veto_check_image(c, buf, (size_t)n);
		if (s != VETO_OK) {
			tool_err("cannot hash image %s: %s", shown_name(path), veto_strerror(s));
			rc = EXIT_TROUBLE;
			break;
		}
		/* --stage-to: the bytes just hashed, never read again. */
		if (stage_write(st, buf, (size_t)n) != EXIT_ACCEPT) {
			rc = EXIT_TROUBLE;
			break;
		}
		if (n == 0)
			more = false;
	}
	free(buf);
	return rc;
}

static void no_policy_error(const char *dir)
{
	if (dir != NULL)
		tool_err("no policy governs: %s has no trusted policy yet; pass --policy "
		         "POLICY, or adopt one first with 'veto trust --state %s --policy "
		         "POLICY'",
		         dir, dir);
	else
		tool_err("no policy governs: a device known only by its anchor needs "
		         "--policy POLICY");
}

/* The decision itself: run->accepted, and the image's digests. */
static tool_exit decide(const check_job *job, check_run *run)
{
	veto_config cfg;
	decision_config(&cfg);
	veto_when when = {.now = job->now,
	                  .has_local_time = job->has_local_time,
	                  .local_time = job->local_time,
	                  .installed = job->committing,
	                  .revocations = run->in.revocations,
	                  .n_revocations = run->in.n_revocations};
	veto_status s = veto_check_begin_at(&run->c, &run->rep, &cfg, run->state, run->in.policies,
	                                    job->n_pols, run->in.update, run->in.update_len, &when);
	if (s == VETO_E_NO_POLICY) {
		no_policy_error(job->dir);
		return EXIT_TROUBLE;
	}
	if (s != VETO_OK)
		return tool_fail("decide", s);
	if (run->image_fd >= 0 && (stage_begin(&run->st) != EXIT_ACCEPT ||
	                           feed_image(run->c, run->image_fd, job->image_path,
	                                      &run->st) != EXIT_ACCEPT))
		return EXIT_TROUBLE;
	s = veto_check_finish(run->c, &run->dg);
	if (s != VETO_OK && s != VETO_REFUSED)
		return tool_fail("decide", s);
	run->accepted = s == VETO_OK;
	/* Staged (or removed) before anything says accept. */
	if (stage_end(&run->st, run->accepted ? EXIT_ACCEPT : EXIT_REFUSE) == EXIT_TROUBLE)
		return EXIT_TROUBLE;
	if (!run->accepted || !job->committing)
		return EXIT_ACCEPT;
	s = veto_check_commit(&run->next, run->c);
	if (s != VETO_OK)
		return tool_fail("commit", s);
	return EXIT_ACCEPT;
}

/* (1.1) The receipt staged, the state written (an accepted commit), the
 * receipt named: a state is never written before its receipt is ready. */
static tool_exit record(const check_job *job, check_run *run)
{
	veto_receipt_facts f = {.kind = job->committing ? VETO_RECEIPT_COMMIT : VETO_RECEIPT_CHECK,
	                        .time = job->now,
	                        .before = job->dir != NULL ? run->state : NULL,
	                        .after = run->next,
	                        .check = run->c,
	                        .report = &run->rep};
	tool_exit rc = receipt_stage(&run->receipt, &f);
	if (rc == EXIT_ACCEPT && run->next != NULL) {
		rc = write_state(&run->sd, run->next);
		run->written = rc == EXIT_ACCEPT;
	}
	return receipt_end(&run->receipt, rc, run->written);
}

static void print_digests(const veto_image_digests *dg)
{
	printf("  image: %llu bytes", (unsigned long long)dg->size);
	if (dg->has_sha256) {
		fputs(", sha256 ", stdout);
		put_hex(stdout, dg->sha256, sizeof dg->sha256);
	}
	if (dg->has_blake2b) {
		fputs(", blake2b-256 ", stdout);
		put_hex(stdout, dg->blake2b256, sizeof dg->blake2b256);
	}
	fputc('\n', stdout);
}

/* The report of a decision made, and what commit did. */
static tool_exit print_outcome(const check_job *job, const check_run *run)
{
	tool_exit rc = emit(shown_name(job->update_path), run->accepted, &run->rep, &run->names,
	                    job->json);
	if (!job->json && run->accepted && run->image_fd >= 0)
		print_digests(&run->dg);
	if (!job->json && run->accepted && job->stage_path != NULL)
		printf("  staged: %s\n", job->stage_path);
	if (job->committing && run->accepted)
		printf("  committed to %s: security counter %llu\n", job->dir,
		       (unsigned long long)veto_state_security_counter(run->next));
	else if (job->committing)
		printf("  (%s left unchanged)\n", job->dir);
	return rc;
}

/* What a --report that cannot be written leaves behind in the state. */
static const char *state_note(const check_job *job, const check_run *run)
{
	if (!job->committing)
		return "check writes no state";
	return run->written ? "the state WAS written (the update is committed)"
	                    : "the state was not changed";
}

static void run_free(check_run *run)
{
	veto_sd_close(&run->sd);
	if (run->c != NULL)
		veto_check_free(run->c);
	if (run->next != NULL)
		veto_state_free(run->next);
	if (run->state != NULL)
		veto_state_free(run->state);
	veto_report_clear(&run->rep);
	if (run->image_fd > STDIN_FILENO)
		close(run->image_fd);
	free(run->anchor);
	docs_free(&run->in);
}

static tool_exit check_or_commit(const args *a, bool committing)
{
	tool_exit rc;
	check_job job;
	check_run run = {.image_fd = -1, .sd = VETO_SD_DIR_CLOSED, .st = STAGE_UNUSED};
	veto_report_init(&run.rep, NULL);
	receipt_from_args(&run.receipt, a, O_RECEIPT);
	tool_exit usage = job_from_args(&job, a, committing);
	if ((rc = report_prepare(job.report_path, job.dir)) != EXIT_ACCEPT ||
	    (rc = stage_prepare(&run.st, job.stage_path, job.dir)) != EXIT_ACCEPT ||
	    (rc = receipt_prepare(&run.receipt, job.dir,
	                          committing ? RECEIPT_FOR_CHANGES : RECEIPT_OPTIONAL)) !=
	        EXIT_ACCEPT) {
		run_free(&run); /* nothing to remove: the files were not ours to touch */
		return rc;
	}
	if ((rc = usage) == EXIT_ACCEPT && (rc = open_inputs(&job, &run)) == EXIT_ACCEPT &&
	    (rc = receipt_load_key(&run.receipt)) == EXIT_ACCEPT &&
	    (rc = starting_state(&job, &run)) == EXIT_ACCEPT &&
	    (rc = decide(&job, &run)) == EXIT_ACCEPT && (rc = record(&job, &run)) == EXIT_ACCEPT)
		rc = print_outcome(&job, &run);
	rc = stage_end(&run.st, rc); /* a run that stopped before deciding */
	rc = receipt_end(&run.receipt, rc, run.written);
	rc = report_end_decision(job.report_path, rc, &run.rep, state_note(&job, &run));
	run_free(&run);
	return rc;
}

static tool_exit check_only_run(const args *a)
{
	return check_or_commit(a, false);
}

static tool_exit commit_run(const args *a)
{
	return check_or_commit(a, true);
}

TOOL_COMMAND(cmd_check, "check", check_opts, check_help, check_only_run);

TOOL_COMMAND(cmd_commit, "commit", commit_opts, commit_help, commit_run);
