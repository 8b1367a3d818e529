/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH */
#include "stage.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "veto_statedir.h"
#include "files.h"

/* Splits path into its directory (".", "/" or the part before the last
 * slash) and its last component: false when either does not fit, or the
 * last component names no file ("", ".", ".."). */
static bool split_path(const char *path, char *dir, size_t dir_cap, char *base, size_t base_cap)
{
	const char *slash = strrchr(path, '/');
	const char *last = slash != NULL ? slash + 1 : path;
	size_t dl = slash != NULL ? (size_t)(slash - path) : 0;
	if (*last == '\0' || strcmp(last, ".") == 0 || strcmp(last, "..") == 0 ||
	    strlen(last) >= base_cap || dl + 2 > dir_cap)
		return false;
	memcpy(base, last, strlen(last) + 1);
	if (slash == NULL || dl == 0) {
		dir[0] = slash == NULL ? '.' : '/';
		dir[1] = '\0';
	} else {
		memcpy(dir, path, dl);
		dir[dl] = '\0';
	}
	return true;
}

/* Whether directory dir is state_dir or lies inside it (both resolved, so
 * that no "..", symlink or relative spelling hides it).  A state_dir that
 * does not resolve holds nothing yet: false. */
static bool in_state_dir(const char *dir, const char *state_dir)
{
	if (state_dir == NULL)
		return false;
	char *d = realpath(dir, NULL);
	char *sd = realpath(state_dir, NULL);
	bool inside = false;
	if (d != NULL && sd != NULL) {
		size_t n = strlen(sd);
		inside = strncmp(d, sd, n) == 0 && (d[n] == '\0' || d[n] == '/' || n == 1);
	}
	free(d);
	free(sd);
	return inside;
}

/* The checks --stage-to, --receipt and --report share: the name, and not in the state
 * directory.  dir receives FILE's directory. */
static tool_exit check_place(const char *opt, const char *path, const char *state_dir,
                             char *dir, size_t dir_cap, char *base, size_t base_cap)
{
	if (!split_path(path, dir, dir_cap, base, base_cap))
		return tool_usage("--%s %s: not a file name this command can write", opt, path);
	if (in_state_dir(dir, state_dir)) {
		tool_err("--%s %s: lies in the state directory %s, which holds only the "
		         "state; choose a file elsewhere (nothing was removed)",
		         opt, path, state_dir);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

const stage_kind stage_image = {.opt = "stage-to",
                                 .what = "staged image",
                                 .tmp_what = "staging file",
                                 .nothing = "nothing is staged",
                                 .private_dir = true};
const stage_kind stage_receipt = {.opt = "receipt",
                                  .what = "receipt",
                                  .tmp_what = "temporary receipt file",
                                  .nothing = "no receipt was written",
                                  .private_dir = false};

tool_exit stage_prepare(stage *s, const char *target, const char *state_dir)
{
	return stage_prepare_kind(s, &stage_image, target, state_dir);
}

tool_exit stage_prepare_kind(stage *s, const stage_kind *kind, const char *target,
                             const char *state_dir)
{
	*s = (stage)STAGE_UNUSED;
	if (target == NULL)
		return EXIT_ACCEPT;
	s->kind = kind;
	s->target = target;
	char dir[PATH_MAX];
	if (is_dash(target))
		return tool_usage("--%s needs a file: %s", kind->opt,
		                  kind->private_dir ? "the staged image is installed from it later"
		                                    : "the receipt is written atomically");
	if (check_place(kind->opt, target, state_dir, dir, sizeof dir, s->base, sizeof s->base) !=
	    EXIT_ACCEPT)
		return EXIT_TROUBLE;
	s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	if (s->dirfd < 0 || fstat(s->dirfd, &st) != 0) {
		tool_err("--%s %s: cannot open directory %s: %s", kind->opt, target, dir,
		         strerror(errno));
		return EXIT_TROUBLE;
	}
	if (kind->private_dir && (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		tool_err("--stage-to %s: directory %s is writable by group or others, who could "
		         "change the image between the check and the install; stage into a "
		         "directory only its owner can write (nothing was removed)",
		         target, dir);
		return EXIT_TROUBLE;
	}
	s->ready = true;
	return EXIT_ACCEPT;
}

/* A named temporary file, created so that no one else's file or symlink
 * can be behind the name: -1 with errno on failure. */
static int create_named(stage *s, mode_t mode)
{
	for (unsigned attempt = 0; attempt < 100; attempt++) {
		snprintf(s->tmp, sizeof s->tmp, ".%.200s.veto-stage-%ld-%u", s->base,
		         (long)getpid(), attempt);
		int fd = openat(s->dirfd, s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		                mode);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

tool_exit stage_begin(stage *s)
{
	if (!s->ready)
		return EXIT_ACCEPT;
	if (unlinkat(s->dirfd, s->base, 0) != 0 && errno != ENOENT) {
		tool_err("--%s %s: cannot remove the file there: %s", s->kind->opt, s->target,
		         strerror(errno));
		return EXIT_TROUBLE;
	}
	/* A file-size limit is then a write error (2), not a signal. */
	signal(SIGXFSZ, SIG_IGN);
	s->tmp[0] = '\0';
	mode_t mode = s->kind->private_dir ? 0600 : 0666;
	s->fd = openat(s->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (s->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL))
		s->fd = create_named(s, mode);
	if (s->fd < 0 || (s->kind->private_dir && fchmod(s->fd, 0600) != 0)) {
		tool_err("--%s %s: cannot create the %s: %s", s->kind->opt, s->target,
		         s->kind->tmp_what, strerror(errno));
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

tool_exit stage_write(stage *s, const uint8_t *buf, size_t n)
{
	if (s->fd < 0 || n == 0)
		return EXIT_ACCEPT;
	if (veto_sd_write_fd(s->fd, buf, n) == VETO_SD_OK)
		return EXIT_ACCEPT;
	tool_err("--%s %s: cannot write the %s: %s", s->kind->opt, s->target, s->kind->what,
	         strerror(errno));
	return EXIT_TROUBLE;
}

tool_exit stage_sync(stage *s)
{
	if (s->fd < 0 || fsync(s->fd) == 0)
		return EXIT_ACCEPT;
	tool_err("--%s %s: cannot sync the %s: %s", s->kind->opt, s->target, s->kind->what,
	         strerror(errno));
	return EXIT_TROUBLE;
}

bool stage_open(const stage *s)
{
	return s->ready && s->fd >= 0;
}

bool link_fd_at(int fd, int dirfd, const char *name)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	int r = linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW);
	if (r != 0 && errno == ENOENT) /* no /proc: needs CAP_DAC_READ_SEARCH */
		r = linkat(fd, "", dirfd, name, AT_EMPTY_PATH);
	return r == 0;
}

/* Gives the unnamed file a fresh name beside FILE. */
static bool link_unnamed(stage *s)
{
	for (unsigned attempt = 0; attempt < 100; attempt++) {
		snprintf(s->tmp, sizeof s->tmp, ".%.200s.veto-stage-%ld-%u", s->base,
		         (long)getpid(), attempt);
		if (link_fd_at(s->fd, s->dirfd, s->tmp))
			return true;
		if (errno != EEXIST)
			break;
	}
	s->tmp[0] = '\0';
	return false;
}

/* fsync, name, rename over FILE, fsync of the directory. */
static tool_exit install_staged(stage *s)
{
	const char *step = "sync";
	bool ok = fsync(s->fd) == 0;
	if (ok && s->tmp[0] == '\0') {
		step = "name";
		ok = link_unnamed(s);
	}
	if (ok) {
		step = "rename";
		ok = renameat(s->dirfd, s->tmp, s->dirfd, s->base) == 0;
	}
	if (ok) {
		s->tmp[0] = '\0';
		step = "sync the directory of";
		ok = fsync(s->dirfd) == 0;
	}
	if (ok)
		return EXIT_ACCEPT;
	tool_err("--%s %s: cannot %s the %s: %s (%s)", s->kind->opt, s->target, step,
	         s->kind->what, strerror(errno), s->kind->nothing);
	return EXIT_TROUBLE;
}

tool_exit stage_end(stage *s, tool_exit rc)
{
	if (!s->ready)
		return rc;
	if (rc == EXIT_ACCEPT && s->fd >= 0)
		rc = install_staged(s);
	if (s->fd >= 0)
		close(s->fd);
	if (s->tmp[0] != '\0')
		(void)unlinkat(s->dirfd, s->tmp, 0);
	if (rc != EXIT_ACCEPT && unlinkat(s->dirfd, s->base, 0) != 0 && errno != ENOENT) {
		tool_err("--%s %s: cannot remove it: %s", s->kind->opt, s->target, strerror(errno));
		rc = EXIT_TROUBLE;
	}
	close(s->dirfd);
	*s = (stage)STAGE_UNUSED;
	return rc;
}

tool_exit report_prepare(const char *path, const char *state_dir)
{
	if (path == NULL)
		return EXIT_ACCEPT;
	if (is_dash(path))
		return tool_usage("--report needs a file (--json prints to standard output)");
	char dir[PATH_MAX], base[256];
	if (check_place("report", path, state_dir, dir, sizeof dir, base, sizeof base) !=
	    EXIT_ACCEPT)
		return EXIT_TROUBLE;
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		tool_err("--report %s: directory %s does not exist", path, dir);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

tool_exit report_end(const char *path, tool_exit rc, const char *json, size_t len,
                     const char *state_note, bool keep_on_trouble)
{
	if (path == NULL)
		return rc;
	if (rc != EXIT_TROUBLE) {
		char *text = malloc(len + 1);
		tool_exit w = EXIT_TROUBLE;
		if (text != NULL) {
			memcpy(text, json, len);
			text[len] = '\n';
			w = write_output(path, text, len + 1, -1);
			free(text);
		} else {
			tool_err("out of memory");
		}
		if (w == EXIT_ACCEPT)
			return rc;
		tool_err("the report %s was not written; %s", path, state_note);
		rc = EXIT_TROUBLE;
	}
	if (!keep_on_trouble && unlink(path) != 0 && errno != ENOENT)
		tool_err("cannot remove the old report %s: %s", path, strerror(errno));
	return rc;
}

tool_exit report_end_decision(const char *path, tool_exit rc, const veto_report *rep,
                              const char *state_note)
{
	if (path == NULL || rc == EXIT_TROUBLE)
		return report_end(path, rc, NULL, 0, state_note, false);
	char *out = NULL;
	size_t len = 0;
	veto_status s = veto_report_json(&out, &len, rep);
	if (s != VETO_OK) {
		tool_fail("write the JSON report", s);
		tool_err("the report %s was not written; %s", path, state_note);
		return report_end(path, EXIT_TROUBLE, NULL, 0, state_note, false);
	}
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		len--;
	rc = report_end(path, rc, out, len, state_note, false);
	veto_free(NULL, out);
	return rc;
}
