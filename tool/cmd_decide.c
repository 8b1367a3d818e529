/* SPDX-License-Identifier: Apache-2.0 */
/* veto init, trust, check, commit, preflight: the state and the decisions. */
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
#include "engine.h"
#include "output.h"
#include "statedir.h"
#include "util.h"

#define IMAGE_CHUNK (64U * 1024U)
/* sd_read's cap, to tell an oversized (corrupt) state.json from an I/O
 * error. */
#define STATE_CAP (4U * 1024U * 1024U)

static const char init_help[] =
    "usage: veto init --state DIR --anchor ANCHOR [--security-counter N]\n"
    "                 [--feature F]...\n"
    "\n"
    "Enrols a device: creates the state directory DIR (mode 0700; an existing\n"
    "empty directory that group and others cannot write is used as is) and\n"
    "writes DIR/state.json from the trust anchor and what runs now.  Exits 2\n"
    "if DIR already holds a state: enrolment never overwrites one.\n"
    "\n"
    "  --state DIR             the state directory\n"
    "  --anchor ANCHOR         the trust anchor (device identity and owner keys)\n"
    "  --security-counter N    security counter of the installed firmware (0)\n"
    "  --feature F             a feature the device has now, \"name\" or\n"
    "                          \"name@VERSION\" (repeatable)\n";

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

static const char check_help[] =
    "usage: veto check (--state DIR | --anchor ANCHOR) [--policy POLICY]...\n"
    "                  --update UPDATE [--image FILE] [--now TIME] [--json]\n"
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
    "  --now TIME       YYYY-MM-DDTHH:MM:SSZ (default: the system clock)\n"
    "  --json           one JSON object on standard output\n";

static const char commit_help[] =
    "usage: veto commit --state DIR [--policy POLICY]... --update UPDATE\n"
    "                   --image FILE [--now TIME]\n"
    "\n"
    "After installing an update: checks it again, image included, and only if\n"
    "it is accepted records it in DIR/state.json (security counter, update,\n"
    "features, and the governing policy) in one atomic write, under the\n"
    "directory's lock.  A refused commit changes nothing (exit 1).\n"
    "\n"
    "  --state DIR      the state directory\n"
    "  --policy POLICY  policy envelopes to trust first, oldest first (repeatable)\n"
    "  --update UPDATE  the update envelope\n"
    "  --image FILE     the installed image\n"
    "  --now TIME       YYYY-MM-DDTHH:MM:SSZ (default: the system clock)\n";

static const char preflight_help[] =
    "usage: veto preflight --update UPDATE POLICY... [--now TIME] [--json]\n"
    "\n"
    "For a vendor's pipeline: evaluates one release against many owners'\n"
    "published policies, each trusted on its own (its own owner keys, expiry\n"
    "and device) with an empty installed state, and counts how many would\n"
    "accept or refuse, by reason.  Exit status: 0 when every policy accepts,\n"
    "1 when any refuses, 2 on a usage or I/O error.\n"
    "\n"
    "  --update UPDATE  the update envelope\n"
    "  --now TIME       YYYY-MM-DDTHH:MM:SSZ (default: the system clock)\n"
    "  --json           one JSON object on standard output\n";

static const char *shown(const char *path)
{
	return is_dash(path) ? "standard input" : path;
}

static int64_t now_or_clock(const char *text, int *bad)
{
	int64_t t;
	*bad = 0;
	if (text == NULL)
		return (int64_t)time(NULL);
	if (parse_now(text, &t) != 0)
		*bad = 1;
	return t;
}

/* Input documents of a decision.  An oversized one is passed on: the
 * library refuses it as malformed. */
struct docs {
	veto_bytes *policies;
	uint8_t **policy_bufs;
	size_t n_policies;
	uint8_t *update;
	size_t update_len;
};

static void docs_free(struct docs *d)
{
	for (size_t i = 0; i < d->n_policies; i++)
		free(d->policy_bufs[i]);
	free(d->policy_bufs);
	free(d->policies);
	free(d->update);
	memset(d, 0, sizeof *d);
}

static int docs_read(struct docs *d, const char *const *policy_paths, size_t n,
                     const char *update_path)
{
	memset(d, 0, sizeof *d);
	d->policies = calloc(n + 1, sizeof *d->policies);
	d->policy_bufs = calloc(n + 1, sizeof *d->policy_bufs);
	if (d->policies == NULL || d->policy_bufs == NULL) {
		tool_err("out of memory");
		docs_free(d);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len;
		if (read_input(policy_paths[i], TOOL_MAX_DOCUMENT, &d->policy_bufs[i], &len) != 0) {
			docs_free(d);
			return -1;
		}
		d->n_policies = i + 1;
		d->policies[i].ptr = d->policy_bufs[i];
		d->policies[i].len = len;
	}
	if (update_path != NULL &&
	    read_input(update_path, TOOL_MAX_DOCUMENT, &d->update, &d->update_len) != 0) {
		docs_free(d);
		return -1;
	}
	return 0;
}

/*
 * Opens and locks DIR and reads its state.  0: *state is set.  1: the
 * state is missing or corrupt, a refusal whose malformed-state reason is in
 * rep.  2: DIR itself cannot be used (message printed).  The lock stays
 * held in sd (also after 1) until sd_close.
 */
static int load_state(sd_dir *sd, const char *dir, veto_report *rep, veto_state **state)
{
	char err[4200];
	*state = NULL;
	if (sd_open(sd, dir, err, sizeof err) != SD_OK) {
		tool_err("%s", err);
		if (access(dir, F_OK) != 0)
			fprintf(stderr, "  (enrol the device first: veto init --state %s --anchor "
			                "ANCHOR)\n",
			        dir);
		return 2;
	}
	uint8_t *data = NULL;
	size_t len = 0;
	int r = sd_read(sd, &data, &len, err, sizeof err);
	if (r == SD_ERROR) {
		struct stat st;
		tool_err("%s", err);
		/* Oversized is corrupt, not unreadable: a refusal like any bad
		 * state.  Anything else (permissions, I/O) is trouble. */
		if (fstatat(sd->dirfd, "state.json", &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || (uint64_t)st.st_size <= STATE_CAP)
			return 2;
		r = SD_MISSING;
	} else if (r == SD_MISSING) {
		tool_err("%s/state.json is missing: every update is refused until it is "
		         "restored from a backup, or the device is enrolled again with 'veto "
		         "init' in a new directory",
		         dir);
	}
	if (r == SD_MISSING) {
		free(data);
		/* The library names the refusal, as for any unreadable state. */
		static const uint8_t empty[1] = {0};
		if (veto_state_parse(state, rep, NULL, empty, 0) == VETO_OK) {
			veto_state_free(*state);
			*state = NULL;
		}
		return 1;
	}
	veto_status s = veto_state_parse(state, rep, NULL, data, len);
	free(data);
	if (s != VETO_OK) {
		*state = NULL;
		return s == VETO_E_NOMEM ? 2 : 1;
	}
	return 0;
}

/* The human or JSON report of a decision; returns its exit status. */
static int emit(const char *subject, int accepted, const veto_report *rep,
                const report_names *names, int json)
{
	if (json) {
		if (report_print_json(stdout, rep) != 0)
			return EXIT_TROUBLE;
	} else {
		report_print(stdout, subject, accepted, rep, names);
	}
	return accepted ? EXIT_ACCEPT : EXIT_REFUSE;
}

static int write_state(sd_dir *sd, const veto_state *state)
{
	char *text = NULL;
	size_t len = 0;
	veto_status s = veto_state_format(&text, &len, state);
	if (s != VETO_OK) {
		tool_err("cannot write the state: %s", veto_strerror(s));
		return -1;
	}
	char err[4200];
	int r = sd_write(sd, text, len, err, sizeof err);
	veto_free(NULL, text);
	if (r != SD_OK) {
		tool_err("%s", err);
		return -1;
	}
	return 0;
}

static const char *join_names(char *buf, size_t cap, const char *const *names, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++) {
		int w = snprintf(buf + used, cap - used, "%s%s", i > 0 ? ", " : "", shown(names[i]));
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* ------------------------------------------------------------------------ */

int cmd_init(int argc, char **argv)
{
	enum { O_STATE, O_ANCHOR, O_COUNTER, O_FEATURE };
	static const opt_def opts[] = {
		[O_STATE] = {"state", 0, 1, 0},
		[O_ANCHOR] = {"anchor", 0, 1, 0},
		[O_COUNTER] = {"security-counter", 0, 1, 0},
		[O_FEATURE] = {"feature", 0, 1, 1},
	};
	args a;
	int early = args_start(&a, opts, 4, argc, argv, init_help);
	if (early >= 0)
		return early;
	int rc = EXIT_TROUBLE;
	uint8_t *anchor = NULL;
	veto_state *state = NULL;
	char *text = NULL;
	veto_report rep;
	veto_report_init(&rep, NULL);

	const char *dir = args_one(&a, O_STATE);
	const char *anchor_path = args_one(&a, O_ANCHOR);
	const char *counter_text = args_one(&a, O_COUNTER);
	uint64_t counter = 0;
	if (dir == NULL || anchor_path == NULL || a.n_operands != 0) {
		rc = tool_usage("give --state DIR and --anchor ANCHOR (and no other arguments)");
		goto out;
	}
	if (counter_text != NULL && parse_counter(counter_text, &counter) != 0) {
		rc = tool_usage("--security-counter '%s' is not a whole number from 0 to 2^53-1",
		                counter_text);
		goto out;
	}
	size_t anchor_len;
	if (read_input(anchor_path, TOOL_MAX_DOCUMENT, &anchor, &anchor_len) != 0)
		goto out;
	if (anchor_len > TOOL_MAX_DOCUMENT) {
		tool_err("%s: larger than %u bytes: not a trust anchor", shown(anchor_path),
		         (unsigned)TOOL_MAX_DOCUMENT);
		goto out;
	}

	/* Everything is checked before DIR is made, so that a mistake leaves
	 * no half-enrolled directory behind. */
	veto_status s = veto_state_from_anchor(&state, &rep, NULL, anchor, anchor_len, counter,
	                                       a.values[O_FEATURE], a.count[O_FEATURE]);
	if (s != VETO_OK) {
		if (rep.n_refusals == 0)
			tool_err("%s: cannot enrol: %s", shown(anchor_path), veto_strerror(s));
		for (size_t i = 0; i < rep.n_refusals; i++) {
			const veto_reason *r = &rep.refusals[i];
			char line[512];
			veto_reason_text(line, sizeof line, r);
			if (r->code == VETO_R_MALFORMED_ANCHOR)
				tool_err("%s: not a valid trust anchor: %s", shown(anchor_path), r->detail);
			else
				tool_err("bad --feature: %s", line);
		}
		goto out;
	}
	size_t text_len;
	s = veto_state_format(&text, &text_len, state);
	if (s != VETO_OK) {
		tool_err("cannot write the state: %s", veto_strerror(s));
		goto out;
	}

	char err[4200];
	if (sd_create(dir, err, sizeof err) != SD_OK) {
		tool_err("%s", err);
		goto out;
	}
	sd_dir sd;
	if (sd_open(&sd, dir, err, sizeof err) != SD_OK) {
		tool_err("%s", err);
		goto out;
	}
	uint8_t *old = NULL;
	size_t old_len;
	int r = sd_read(&sd, &old, &old_len, err, sizeof err);
	free(old);
	if (r != SD_MISSING) {
		/* Another enrolment won the race since sd_create looked. */
		tool_err("%s already holds a state; enrolment never overwrites one", dir);
	} else if (sd_write(&sd, text, text_len, err, sizeof err) != SD_OK) {
		tool_err("%s", err);
	} else {
		printf("enrolled %s: device %s/%s, security counter %llu, %zu feature%s; no policy "
		       "trusted yet (next: veto trust --state %s --policy POLICY)\n",
		       dir, veto_state_vendor(state), veto_state_model(state),
		       (unsigned long long)veto_state_security_counter(state),
		       veto_state_feature_count(state), veto_state_feature_count(state) == 1 ? "" : "s",
		       dir);
		rc = EXIT_ACCEPT;
	}
	sd_close(&sd);
out:
	veto_free(NULL, text);
	if (state != NULL)
		veto_state_free(state);
	veto_report_clear(&rep);
	free(anchor);
	args_free(&a);
	return rc;
}

/* ------------------------------------------------------------------------ */

int cmd_trust(int argc, char **argv)
{
	enum { O_STATE, O_POLICY, O_NOW };
	static const opt_def opts[] = {
		[O_STATE] = {"state", 0, 1, 0},
		[O_POLICY] = {"policy", 0, 1, 1},
		[O_NOW] = {"now", 0, 1, 0},
	};
	args a;
	int early = args_start(&a, opts, 3, argc, argv, trust_help);
	if (early >= 0)
		return early;
	int rc = EXIT_TROUBLE;
	struct docs docs = {0};
	veto_state *state = NULL, *next = NULL;
	veto_report rep;
	veto_report_init(&rep, NULL);
	sd_dir sd = {.dirfd = -1, .lockfd = -1};

	const char *dir = args_one(&a, O_STATE);
	const char *const *pols = a.values[O_POLICY];
	size_t n_pols = a.count[O_POLICY];
	if (dir == NULL || n_pols == 0 || a.n_operands != 0) {
		rc = tool_usage("give --state DIR and at least one --policy POLICY");
		goto out;
	}
	int bad;
	int64_t now = now_or_clock(args_one(&a, O_NOW), &bad);
	if (bad || check_one_stdin(pols, n_pols) != 0)
		goto out;
	if (docs_read(&docs, pols, n_pols, NULL) != 0)
		goto out;

	char names_buf[1024];
	const char *subject = join_names(names_buf, sizeof names_buf, pols, n_pols);
	char state_file[4200];
	snprintf(state_file, sizeof state_file, "%s/state.json", dir);
	report_names names = {pols, n_pols, NULL, 0, NULL, state_file};
	int ls = load_state(&sd, dir, &rep, &state);
	if (ls == 2)
		goto out;
	if (ls == 1) {
		rc = emit(subject, 0, &rep, &names, 0);
		goto out;
	}
	veto_status s = veto_trust(&next, &rep, NULL, state, docs.policies, n_pols, now);
	if (s == VETO_REFUSED) {
		rc = emit(subject, 0, &rep, &names, 0);
		printf("  (%s left unchanged)\n", dir);
		goto out;
	}
	if (s != VETO_OK) {
		tool_err("cannot decide: %s", veto_strerror(s));
		goto out;
	}
	if (write_state(&sd, next) != 0)
		goto out;
	uint64_t serial = 0;
	(void)veto_state_policy_serial(next, &serial);
	rc = emit(subject, 1, &rep, &names, 0);
	printf("  policy serial %llu now governs %s/%s in %s\n", (unsigned long long)serial,
	       veto_state_vendor(next), veto_state_model(next), dir);
out:
	sd_close(&sd);
	if (next != NULL)
		veto_state_free(next);
	if (state != NULL)
		veto_state_free(state);
	veto_report_clear(&rep);
	docs_free(&docs);
	args_free(&a);
	return rc;
}

/* ------------------------------------------------------------------------ */

static void print_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* Streams the image in fixed chunks: the library keeps no copy, and
 * neither does the tool, whatever the image's size. */
static int feed_image(veto_check *c, int fd, const char *path)
{
	uint8_t *buf = malloc(IMAGE_CHUNK);
	if (buf == NULL) {
		tool_err("out of memory");
		return -1;
	}
	int rc = 0;
	for (;;) {
		ssize_t n = read(fd, buf, IMAGE_CHUNK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			tool_err("cannot read image %s: %s", shown(path), strerror(errno));
			rc = -1;
			break;
		}
		/* Also called once with 0 bytes: an empty image is still an
		 * image given. */
		veto_status s = veto_check_image(c, buf, (size_t)n);
		if (s != VETO_OK) {
			tool_err("cannot hash image %s: %s", shown(path), veto_strerror(s));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
	}
	free(buf);
	return rc;
}

/* check and commit share everything up to the decision. */
static int decide(int argc, char **argv, int committing)
{
	enum { O_STATE, O_ANCHOR, O_POLICY, O_UPDATE, O_IMAGE, O_NOW, O_JSON };
	static const opt_def check_opts[] = {
		[O_STATE] = {"state", 0, 1, 0},   [O_ANCHOR] = {"anchor", 0, 1, 0},
		[O_POLICY] = {"policy", 0, 1, 1}, [O_UPDATE] = {"update", 0, 1, 0},
		[O_IMAGE] = {"image", 0, 1, 0},   [O_NOW] = {"now", 0, 1, 0},
		[O_JSON] = {"json", 0, 0, 0},
	};
	/* commit takes the same options but --anchor and --json: both would
	 * mean there is no state to record into, or no person to read it. */
	static const opt_def commit_opts[] = {
		[O_STATE] = {"state", 0, 1, 0},   [O_ANCHOR] = {NULL, 0, 1, 0},
		[O_POLICY] = {"policy", 0, 1, 1}, [O_UPDATE] = {"update", 0, 1, 0},
		[O_IMAGE] = {"image", 0, 1, 0},   [O_NOW] = {"now", 0, 1, 0},
		[O_JSON] = {NULL, 0, 0, 0},
	};
	args a;
	int early = args_start(&a, committing ? commit_opts : check_opts, 7, argc, argv,
	                       committing ? commit_help : check_help);
	if (early >= 0)
		return early;

	int rc = EXIT_TROUBLE;
	struct docs docs = {0};
	uint8_t *anchor = NULL;
	int image_fd = -1;
	veto_state *state = NULL, *next = NULL;
	veto_check *c = NULL;
	veto_report rep;
	veto_report_init(&rep, NULL);
	sd_dir sd = {.dirfd = -1, .lockfd = -1};

	const char *dir = args_one(&a, O_STATE);
	const char *anchor_path = args_one(&a, O_ANCHOR);
	const char *update_path = args_one(&a, O_UPDATE);
	const char *image_path = args_one(&a, O_IMAGE);
	const char *const *pols = a.values[O_POLICY];
	size_t n_pols = a.count[O_POLICY];
	int json = a.count[O_JSON] > 0;

	if (a.n_operands != 0) {
		rc = tool_usage("unexpected argument '%s'", a.operands[0]);
		goto out;
	}
	if (committing && (dir == NULL || update_path == NULL || image_path == NULL)) {
		rc = tool_usage("give --state DIR, --update UPDATE and --image FILE: a commit "
		                "records only an update whose image was checked");
		goto out;
	}
	if (!committing && (dir == NULL) == (anchor_path == NULL)) {
		rc = tool_usage("give either --state DIR or --anchor ANCHOR (one of them)");
		goto out;
	}
	if (update_path == NULL) {
		rc = tool_usage("give --update UPDATE");
		goto out;
	}
	int bad;
	int64_t now = now_or_clock(args_one(&a, O_NOW), &bad);
	if (bad)
		goto out;
	{
		const char **inputs = malloc((n_pols + 3) * sizeof *inputs);
		if (inputs == NULL) {
			tool_err("out of memory");
			goto out;
		}
		size_t n_in = 0;
		for (size_t i = 0; i < n_pols; i++)
			inputs[n_in++] = pols[i];
		inputs[n_in++] = update_path;
		if (anchor_path != NULL)
			inputs[n_in++] = anchor_path;
		if (image_path != NULL)
			inputs[n_in++] = image_path;
		int one = check_one_stdin(inputs, n_in);
		free(inputs);
		if (one != 0)
			goto out;
	}

	/* Every file named on the command line is opened before deciding, so
	 * that one that cannot be read is an I/O error (2), never a refusal. */
	if (docs_read(&docs, pols, n_pols, update_path) != 0)
		goto out;
	size_t anchor_len = 0;
	if (anchor_path != NULL &&
	    read_input(anchor_path, TOOL_MAX_DOCUMENT, &anchor, &anchor_len) != 0)
		goto out;
	if (image_path != NULL) {
		image_fd = is_dash(image_path) ? STDIN_FILENO : open(image_path, O_RDONLY | O_CLOEXEC);
		if (image_fd < 0) {
			tool_err("cannot open image %s: %s", image_path, strerror(errno));
			goto out;
		}
	}

	const char *subject = shown(update_path);
	char stored_label[4200], state_file[4200];
	report_names names = {pols, n_pols, NULL, image_path == NULL, NULL, NULL};
	if (anchor_path != NULL)
		names.anchor_file = shown(anchor_path);
	if (dir != NULL) {
		snprintf(stored_label, sizeof stored_label, "policy trusted in %s", dir);
		snprintf(state_file, sizeof state_file, "%s/state.json", dir);
		names.stored_policy = stored_label;
		names.state_file = state_file;
		int ls = load_state(&sd, dir, &rep, &state);
		if (ls == 2)
			goto out;
		if (ls == 1) {
			rc = emit(subject, 0, &rep, &names, json);
			goto out;
		}
	} else if (veto_state_from_anchor(&state, &rep, NULL, anchor, anchor_len, 0, NULL, 0) !=
	           VETO_OK) {
		state = NULL;
		rc = rep.n_refusals > 0 ? emit(subject, 0, &rep, &names, json) : EXIT_TROUBLE;
		if (rep.n_refusals == 0)
			tool_err("%s: cannot read the trust anchor", shown(anchor_path));
		goto out;
	}

	veto_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.sha256 = veto_tool_sha256_engine(); /* NULL: libsodium's */
	veto_status s = veto_check_begin(&c, &rep, &cfg, state, docs.policies, n_pols,
	                                 docs.update, docs.update_len, now);
	if (s == VETO_E_NO_POLICY) {
		if (dir != NULL)
			tool_err("no policy governs: %s has no trusted policy yet; pass --policy "
			         "POLICY, or adopt one first with 'veto trust --state %s --policy "
			         "POLICY'",
			         dir, dir);
		else
			tool_err("no policy governs: a device known only by its anchor needs "
			         "--policy POLICY");
		goto out;
	}
	if (s != VETO_OK) {
		tool_err("cannot decide: %s", veto_strerror(s));
		goto out;
	}
	if (image_fd >= 0 && feed_image(c, image_fd, image_path) != 0)
		goto out;
	veto_image_digests dg;
	memset(&dg, 0, sizeof dg);
	s = veto_check_finish(c, &dg);
	if (s != VETO_OK && s != VETO_REFUSED) {
		tool_err("cannot decide: %s", veto_strerror(s));
		goto out;
	}
	int accepted = s == VETO_OK;

	if (accepted && committing) {
		s = veto_check_commit(&next, c);
		if (s != VETO_OK) {
			tool_err("cannot commit: %s", veto_strerror(s));
			goto out;
		}
		if (write_state(&sd, next) != 0)
			goto out;
	}
	rc = emit(subject, accepted, &rep, &names, json);
	if (!json && accepted && image_fd >= 0) {
		printf("  image: %llu bytes", (unsigned long long)dg.size);
		if (dg.has_sha256) {
			fputs(", sha256 ", stdout);
			print_hex(stdout, dg.sha256, sizeof dg.sha256);
		}
		if (dg.has_blake2b) {
			fputs(", blake2b-256 ", stdout);
			print_hex(stdout, dg.blake2b256, sizeof dg.blake2b256);
		}
		fputc('\n', stdout);
	}
	if (committing && accepted)
		printf("  committed to %s: security counter %llu\n", dir,
		       (unsigned long long)veto_state_security_counter(next));
	else if (committing)
		printf("  (%s left unchanged)\n", dir);
out:
	sd_close(&sd);
	if (c != NULL)
		veto_check_free(c);
	if (next != NULL)
		veto_state_free(next);
	if (state != NULL)
		veto_state_free(state);
	veto_report_clear(&rep);
	if (image_fd > STDIN_FILENO)
		close(image_fd);
	free(anchor);
	docs_free(&docs);
	args_free(&a);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	return decide(argc, argv, 0);
}

int cmd_commit(int argc, char **argv)
{
	return decide(argc, argv, 1);
}

/* ------------------------------------------------------------------------ */

int cmd_preflight(int argc, char **argv)
{
	enum { O_UPDATE, O_NOW, O_JSON };
	static const opt_def opts[] = {
		[O_UPDATE] = {"update", 0, 1, 0},
		[O_NOW] = {"now", 0, 1, 0},
		[O_JSON] = {"json", 0, 0, 0},
	};
	args a;
	int early = args_start(&a, opts, 3, argc, argv, preflight_help);
	if (early >= 0)
		return early;
	int rc = EXIT_TROUBLE;
	struct docs docs = {0};
	veto_report *reps = NULL;
	int *accepted = NULL;
	size_t n_done = 0;

	const char *update_path = args_one(&a, O_UPDATE);
	const char *const *pols = a.operands;
	size_t n = a.n_operands;
	int json = a.count[O_JSON] > 0;
	if (update_path == NULL || n == 0) {
		rc = tool_usage("give --update UPDATE and at least one POLICY file");
		goto out;
	}
	int bad;
	int64_t now = now_or_clock(args_one(&a, O_NOW), &bad);
	if (bad)
		goto out;
	{
		const char **inputs = malloc((n + 1) * sizeof *inputs);
		if (inputs == NULL) {
			tool_err("out of memory");
			goto out;
		}
		memcpy(inputs, pols, n * sizeof *inputs);
		inputs[n] = update_path;
		int one = check_one_stdin(inputs, n + 1);
		free(inputs);
		if (one != 0)
			goto out;
	}
	if (docs_read(&docs, pols, n, update_path) != 0)
		goto out;
	reps = calloc(n, sizeof *reps);
	accepted = calloc(n, sizeof *accepted);
	if (reps == NULL || accepted == NULL) {
		tool_err("out of memory");
		goto out;
	}

	veto_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.sha256 = veto_tool_sha256_engine();
	size_t n_accept = 0;
	size_t by_code[VETO_CODE_COUNT_] = {0};
	/* One release, many policies: the update is parsed once and each of its
	 * signatures verified once for all of them. */
	veto_preflight *pf = NULL;
	veto_status pst = veto_preflight_new(&pf, &cfg, docs.update, docs.update_len);
	if (pst != VETO_OK) {
		tool_err("%s: cannot decide: %s", shown(update_path), veto_strerror(pst));
		goto out;
	}
	for (; n_done < n; n_done++) {
		size_t i = n_done;
		veto_report_init(&reps[i], NULL);
		veto_check *c = NULL;
		veto_status s = veto_preflight_check(&c, &reps[i], pf, docs.policies[i].ptr,
		                                     docs.policies[i].len, now);
		if (s == VETO_OK) {
			s = veto_check_finish(c, NULL);
			veto_check_free(c);
		}
		if (s != VETO_OK && s != VETO_REFUSED) {
			tool_err("%s: cannot decide: %s", shown(pols[i]), veto_strerror(s));
			n_done++;
			veto_preflight_free(pf);
			goto out;
		}
		accepted[i] = s == VETO_OK;
		n_accept += (size_t)accepted[i];
		/* A policy counts once per code, however many reasons of that
		 * code it has (two removed features: one policy). */
		int seen[VETO_CODE_COUNT_] = {0};
		for (size_t k = 0; k < reps[i].n_refusals; k++) {
			veto_code code = reps[i].refusals[k].code;
			if ((unsigned)code < VETO_CODE_COUNT_ && !seen[code]) {
				seen[code] = 1;
				by_code[code]++;
			}
		}
	}
	veto_preflight_free(pf);

	if (json) {
		printf("{\"policies\": %zu, \"accept\": %zu, \"refuse\": %zu, \"reasons\": {", n, n_accept,
		       n - n_accept);
		int first = 1;
		for (unsigned code = 0; code < VETO_CODE_COUNT_; code++) {
			if (by_code[code] == 0)
				continue;
			printf("%s\"%s\": %zu", first ? "" : ", ", veto_code_name((veto_code)code),
			       by_code[code]);
			first = 0;
		}
		fputs("}, \"results\": [", stdout);
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				fputs(", ", stdout);
			if (report_print_json_with_policy(stdout, &reps[i], pols[i]) != 0)
				goto out;
		}
		fputs("]}\n", stdout);
	} else {
		printf("%zu polic%s: %zu accept, %zu refuse\n", n, n == 1 ? "y" : "ies", n_accept,
		       n - n_accept);
		for (unsigned code = 0; code < VETO_CODE_COUNT_; code++)
			if (by_code[code] > 0)
				printf("  %s: %zu polic%s\n", veto_code_name((veto_code)code), by_code[code],
				       by_code[code] == 1 ? "y" : "ies");
		/* Each block is headed by its policy's file: no need to repeat it
		 * on the policy's reasons. */
		for (size_t i = 0; i < n; i++)
			report_print(stdout, shown(pols[i]), accepted[i], &reps[i], NULL);
	}
	rc = n_accept == n ? EXIT_ACCEPT : EXIT_REFUSE;
out:
	for (size_t i = 0; i < n_done; i++)
		veto_report_clear(&reps[i]);
	free(reps);
	free(accepted);
	docs_free(&docs);
	args_free(&a);
	return rc;
}
