/* SPDX-License-Identifier: Apache-2.0 */
/* veto preflight: one release against many owners' policies, streamed.
 *
 * Each worker (the main thread, or --jobs N threads) holds one policy at a
 * time and has its own veto_preflight: the library allows distinct objects
 * to be used from distinct threads at once (include/veto.h, "Thread
 * safety"); nothing veto made is shared between workers, only the update's
 * bytes, read-only.  Decided policies wait in a ring of at most PF_AHEAD
 * per worker until every earlier one is decided, then are written, in the
 * order given, to a spool file; the counts are printed first, then the
 * spool.  Memory does not grow with the number of policies. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "decision.h"
#include <veto_statedir.h>
#include "files.h"
#include "output.h"
#include "stage.h"
#include "util.h"

static const char preflight_help[] =
    "usage: veto preflight --update UPDATE [POLICY...] [--policies-from FILE]\n"
    "                      [--jobs N] [--now TIME] [--json] [--report FILE]\n"
    "\n"
    "For a vendor's pipeline: evaluates one release against many owners'\n"
    "published policies, each trusted on its own (its own owner keys, expiry\n"
    "and device) with an empty installed state, and counts how many would\n"
    "accept or refuse, by reason.  Results come in the order the policies were\n"
    "given.  Exit status: 0 when every policy accepts, 1 when any refuses, 2 on\n"
    "a usage or I/O error (a policy file that cannot be read is reported in its\n"
    "place, and the others are still judged).\n"
    "\n"
    "  --update UPDATE       the update envelope\n"
    "  --policies-from FILE  policy files, one a line ('-': standard input);\n"
    "                        blank lines and lines starting with # are skipped\n"
    "  --jobs N              judge with N threads (1..256, default 1)\n"
    HELP_NOW
    "  --json                one JSON object on standard output\n"
    "  --report FILE         also writes that JSON object to FILE (atomically)\n";

enum { O_UPDATE, O_NOW, O_JSON, O_POLICIES_FROM, O_JOBS, O_REPORT };
static const opt_def preflight_opts[] = {
	[O_UPDATE] = {.name = "update", .takes_value = true},
	[O_NOW] = {.name = "now", .takes_value = true},
	[O_JSON] = {.name = "json"},
	[O_POLICIES_FROM] = {.name = "policies-from", .takes_value = true},
	[O_JOBS] = {.name = "jobs", .takes_value = true},
	/* SPEC 9.1: the JSON object also to a file, for pipelines */
	[O_REPORT] = {.name = "report", .takes_value = true},
};

#define PF_MAX_JOBS 256
#define PF_AHEAD 4

/* One policy in flight: taken by a worker, decided, then written. */
typedef struct slot {
	char *path; /* owned; NULL: free */
	veto_report rep;
	bool accepted;
	int read_errno; /* 0: read and judged */
	bool done;      /* decided, waiting to be written */
} slot;

typedef struct run {
	pthread_mutex_t lock;
	pthread_cond_t moved; /* a result was written, or the run stopped */
	/* The policies: the operands, then the lines of the list file. */
	const char *const *operands;
	size_t n_operands, next_operand;
	FILE *list; /* NULL: none, or read to its end */
	const char *list_path;
	/* What every worker decides with. */
	const uint8_t *update;
	size_t update_len;
	const char *update_path;
	int64_t now;
	veto_config cfg;
	/* Policies handed out and written; ring[i % window] holds policy i. */
	slot *ring;
	size_t window, next_in, next_out;
	bool stop; /* an error: no more policies are handed out */
	FILE *spool;
	bool json;
	/* --report: the JSON form, spooled beside a human one (NULL: none, or
	 * the JSON spool itself serves) */
	const char *report_path;
	FILE *rspool;
	preflight_results res;
} run;

/* Under the lock: no more work, exit status 2. */
static void run_stop(run *r)
{
	r->stop = true;
	pthread_cond_broadcast(&r->moved);
}

/* Under the lock: the next line of the list file that names a policy, or
 * NULL at its end (or on an error, which stops the run). */
static char *next_listed(run *r)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, r->list)) >= 0) {
		size_t len = (size_t)n;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		/* blank: nothing but spaces and tabs */
		if (line[strspn(line, " \t")] != '\0' && line[0] != '#')
			return line;
	}
	free(line);
	if (ferror(r->list)) {
		tool_err("cannot read %s: %s", shown_name(r->list_path), strerror(errno));
		run_stop(r);
	}
	if (r->list != stdin)
		fclose(r->list);
	r->list = NULL;
	return NULL;
}

/* Under the lock: the next policy's path (a copy), or NULL. */
static char *next_path(run *r)
{
	char *p = NULL;
	if (r->stop)
		return NULL;
	if (r->next_operand < r->n_operands) {
		p = strdup(r->operands[r->next_operand++]);
		if (p == NULL) {
			tool_err("out of memory");
			run_stop(r);
		}
		return p;
	}
	return r->list != NULL ? next_listed(r) : NULL;
}

/* 0, or why path cannot be read (an errno value).  An oversized file is
 * passed on: the library refuses it as malformed. */
static int read_policy(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	int fd = is_dash(path) ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	int e = 0;
	if (fd < 0)
		return errno != 0 ? errno : EIO;
	if (fstat(fd, &st) != 0) {
		e = errno;
	} else if (S_ISDIR(st.st_mode)) {
		e = EISDIR;
	} else {
		uint64_t hint = S_ISREG(st.st_mode) && st.st_size > 0 ? (uint64_t)st.st_size : 0;
		enum veto_sd_status fr = veto_sd_read_fd(fd, TOOL_MAX_DOCUMENT, hint, buf, len);
		e = fr == VETO_SD_OK ? 0 : errno != 0 ? errno : EIO;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return e;
}

/* One policy into its slot: VETO_OK when it was judged or could not be
 * read, or the error that stops the run. */
static veto_status judge(const run *r, veto_preflight *pf, slot *s)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	veto_report_init(&s->rep, NULL);
	s->accepted = false;
	s->read_errno = read_policy(s->path, &buf, &len);
	if (s->read_errno != 0)
		return VETO_OK;
	veto_check *c = NULL;
	veto_status st = veto_preflight_check(&c, &s->rep, pf, buf, len, r->now);
	if (st == VETO_OK) {
		st = veto_check_finish(c, NULL);
		veto_check_free(c);
	}
	free(buf);
	s->accepted = st == VETO_OK;
	if (st != VETO_OK && st != VETO_REFUSED)
		tool_err("%s: cannot decide: %s", shown_name(s->path), veto_strerror(st));
	return st == VETO_REFUSED ? VETO_OK : st;
}

/* Counts a policy's refusal codes: a policy counts once per code, however
 * many reasons of that code it has (two removed features: one policy). */
static void count_codes(preflight_results *res, const veto_report *rep)
{
	bool seen[VETO_CODE_COUNT_] = {false};
	for (size_t k = 0; k < rep->n_refusals; k++) {
		veto_code code = rep->refusals[k].code;
		if ((unsigned)code < VETO_CODE_COUNT_ && !seen[code]) {
			seen[code] = true;
			res->by_code[code]++;
		}
	}
}

/* Under the lock: one decided policy counted and written to the spool. */
static void write_one(run *r, slot *s)
{
	bool first = r->res.n == 0;
	r->res.n++;
	if (s->read_errno != 0) {
		/* Under the lock: strerror is called by one thread at a time. */
		const char *what = strerror(s->read_errno);
		tool_err("cannot read %s: %s", shown_name(s->path), what);
		if (r->json)
			preflight_json_unreadable(r->spool, first, s->path, what);
		else
			preflight_print_unreadable(r->spool, s->path, what);
		if (r->rspool != NULL)
			preflight_json_unreadable(r->rspool, first, s->path, what);
		return;
	}
	r->res.n_judged++;
	r->res.n_accept += s->accepted ? 1U : 0U;
	count_codes(&r->res, &s->rep);
	if (r->json)
		preflight_json_one(r->spool, first, s->path, s->accepted, &s->rep);
	else
		preflight_print_one(r->spool, s->path, s->accepted, &s->rep);
	if (r->rspool != NULL)
		preflight_json_one(r->rspool, first, s->path, s->accepted, &s->rep);
}

/* Under the lock: every decided policy whose predecessors are all written
 * is written, in order, and its slot freed. */
static void write_ready(run *r)
{
	slot *s;
	while ((s = &r->ring[r->next_out % r->window])->done) {
		write_one(r, s);
		veto_report_clear(&s->rep);
		free(s->path);
		s->path = NULL;
		s->done = false;
		r->next_out++;
	}
	pthread_cond_broadcast(&r->moved);
}

static void *worker(void *arg)
{
	run *r = arg;
	veto_preflight *pf = NULL;
	veto_status st = veto_preflight_new(&pf, &r->cfg, r->update, r->update_len);
	pthread_mutex_lock(&r->lock);
	if (st != VETO_OK) {
		tool_err("%s: cannot decide: %s", shown_name(r->update_path), veto_strerror(st));
		run_stop(r);
	}
	for (;;) {
		while (!r->stop && r->next_in >= r->next_out + r->window)
			pthread_cond_wait(&r->moved, &r->lock);
		char *path = next_path(r);
		if (path == NULL)
			break;
		slot *s = &r->ring[r->next_in++ % r->window];
		s->path = path;
		pthread_mutex_unlock(&r->lock);
		/* The slot is this worker's alone until it is marked done. */
		st = judge(r, pf, s);
		pthread_mutex_lock(&r->lock);
		s->done = true;
		if (st != VETO_OK)
			run_stop(r);
		write_ready(r);
	}
	pthread_mutex_unlock(&r->lock);
	veto_preflight_free(pf);
	return NULL;
}

/* Runs jobs workers: threads, or the main thread alone for one (or when
 * no thread could be started). */
static void run_workers(run *r, unsigned jobs)
{
	pthread_t tid[PF_MAX_JOBS];
	unsigned started = 0;
	while (jobs > 1 && started < jobs && pthread_create(&tid[started], NULL, worker, r) == 0)
		started++;
	if (started == 0)
		(void)worker(r);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

/* The counts, then the results spooled in spool (JSON or human), to f. */
static tool_exit print_all(FILE *f, run *r, FILE *spool, bool json)
{
	char buf[65536];
	size_t n;
	if (json)
		preflight_json_head(f, &r->res);
	else
		preflight_print_head(f, &r->res);
	if (fflush(spool) != 0 || ferror(spool) || fseek(spool, 0, SEEK_SET) != 0) {
		tool_err("cannot write the results to a temporary file: %s", strerror(errno));
		return EXIT_TROUBLE;
	}
	while ((n = fread(buf, 1, sizeof buf, spool)) > 0)
		fwrite(buf, 1, n, f);
	if (ferror(spool)) {
		tool_err("cannot read back the results: %s", strerror(errno));
		return EXIT_TROUBLE;
	}
	if (json)
		preflight_json_tail(f);
	return EXIT_ACCEPT;
}

/* --report FILE: the object --json prints, written whatever the verdict;
 * a run whose results are complete but list unreadable policies (exit 2)
 * still writes it (SPEC 9.1), one that stopped on an error leaves an
 * existing FILE alone. */
static tool_exit write_report(run *r, tool_exit rc)
{
	if (r->report_path == NULL)
		return rc;
	if (r->stop)
		return report_end(r->report_path, EXIT_TROUBLE, NULL, 0, "preflight writes no state",
		                  true);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (f == NULL) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	tool_exit p = print_all(f, r, r->rspool != NULL ? r->rspool : r->spool, true);
	if (fclose(f) != 0 || text == NULL || p != EXIT_ACCEPT) {
		free(text);
		if (p == EXIT_ACCEPT)
			tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	while (len > 0 && text[len - 1] == '\n')
		len--;
	tool_exit w = report_end(r->report_path, rc == EXIT_TROUBLE ? EXIT_REFUSE : rc, text, len,
	                         "preflight writes no state", true);
	free(text);
	return w == EXIT_TROUBLE ? EXIT_TROUBLE : rc;
}

static tool_exit preflight(run *r, unsigned jobs)
{
	uint8_t *update = NULL;
	tool_exit rc = read_input(r->update_path, TOOL_MAX_DOCUMENT, &update, &r->update_len);
	r->update = update;
	r->window = (size_t)jobs * PF_AHEAD;
	r->ring = calloc(r->window, sizeof *r->ring);
	r->spool = tmpfile();
	if (r->report_path != NULL && !r->json)
		r->rspool = tmpfile();
	if (rc == EXIT_ACCEPT && (r->ring == NULL || r->spool == NULL ||
	                          (r->report_path != NULL && !r->json && r->rspool == NULL))) {
		tool_err(r->ring == NULL ? "out of memory" : "cannot make a temporary file: %s",
		         strerror(errno));
		rc = EXIT_TROUBLE;
	}
	if (rc == EXIT_ACCEPT) {
		decision_config(&r->cfg);
		run_workers(r, jobs);
		rc = r->stop ? EXIT_TROUBLE : print_all(stdout, r, r->spool, r->json);
		if (rc == EXIT_ACCEPT)
			rc = r->res.n_judged < r->res.n ? EXIT_TROUBLE
			     : r->res.n_accept == r->res.n ? EXIT_ACCEPT
			                                   : EXIT_REFUSE;
		rc = write_report(r, rc);
	}
	if (r->spool != NULL)
		fclose(r->spool);
	if (r->rspool != NULL)
		fclose(r->rspool);
	free(r->ring);
	free(update);
	return rc;
}

/* --jobs N: 1..256. */
static tool_exit parse_jobs(const char *text, unsigned *jobs)
{
	char *end;
	*jobs = 1;
	if (text == NULL)
		return EXIT_ACCEPT;
	errno = 0;
	unsigned long v = text[0] >= '0' && text[0] <= '9' ? strtoul(text, &end, 10) : 0;
	if (v < 1 || v > PF_MAX_JOBS || errno != 0 || *end != '\0')
		return tool_usage("--jobs takes a number from 1 to %u", PF_MAX_JOBS);
	*jobs = (unsigned)v;
	return EXIT_ACCEPT;
}

static tool_exit open_list(run *r)
{
	if (r->list_path == NULL)
		return EXIT_ACCEPT;
	r->list = is_dash(r->list_path) ? stdin : fopen(r->list_path, "re");
	if (r->list == NULL) {
		tool_err("cannot open %s: %s", r->list_path, strerror(errno));
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

static tool_exit preflight_run(const args *a)
{
	tool_exit rc;
	unsigned jobs;
	run r = {.lock = PTHREAD_MUTEX_INITIALIZER,
	         .moved = PTHREAD_COND_INITIALIZER,
	         .operands = a->operands,
	         .n_operands = a->n_operands,
	         .list_path = args_one(a, O_POLICIES_FROM),
	         .update_path = args_one(a, O_UPDATE),
	         .report_path = args_one(a, O_REPORT),
	         .json = a->count[O_JSON] > 0};
	const char *inputs[] = {r.update_path, r.list_path};
	if (r.update_path == NULL || (r.n_operands == 0 && r.list_path == NULL))
		rc = tool_usage("give --update UPDATE and at least one POLICY file or --policies-from");
	else if ((rc = report_prepare(r.report_path, NULL)) == EXIT_ACCEPT &&
	         (rc = parse_now(args_one(a, O_NOW), &r.now)) == EXIT_ACCEPT &&
	         (rc = parse_jobs(args_one(a, O_JOBS), &jobs)) == EXIT_ACCEPT &&
	         (rc = check_one_stdin(r.operands, r.n_operands, inputs,
	                               r.list_path != NULL ? 2 : 1)) == EXIT_ACCEPT &&
	         (rc = open_list(&r)) == EXIT_ACCEPT)
		rc = preflight(&r, jobs);
	if (r.list != NULL && r.list != stdin)
		fclose(r.list);
	return rc;
}

TOOL_COMMAND(cmd_preflight, "preflight", preflight_opts, preflight_help, preflight_run);
