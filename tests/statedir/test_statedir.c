/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libveto-statedir through its public header only: the life cycle, the
 * refusals (with their exact text and errno), the lock between processes,
 * never block / never follow, the size cap, and the atomic replace when it
 * succeeds and when a write fails.  Every case works in a fresh directory
 * under $TMPDIR (or /tmp), removed afterwards.
 */
#define _DEFAULT_SOURCE /* flock, mkdtemp */
#define _XOPEN_SOURCE 700 /* nftw */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <veto_statedir.h>

static char root[4096]; /* the case's scratch directory */
static char dir[4200];  /* root/sd: the state directory of most cases */
static char err[8192];

static void setup(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(root, sizeof root, "%s/veto-sd-XXXXXX", t != NULL && *t != '\0' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(dir, sizeof dir, "%s/sd", root);
	err[0] = '\0';
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void teardown(void)
{
	(void)nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* root/sd/NAME */
static const char *in_dir(const char *name)
{
	static char p[4400];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static char *get_file(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* A fresh state directory holding state.json = text, closed. */
static void make_state(const char *text)
{
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_OK);
	veto_sd_dir d;
	ck_assert_int_eq(veto_sd_open(&d, dir, err, sizeof err), VETO_SD_OK);
	ck_assert_int_eq(veto_sd_write(&d, text, strlen(text), err, sizeof err), VETO_SD_OK);
	veto_sd_close(&d);
}

/* Opens dir, reads its state and closes it: the status, err set. */
static enum veto_sd_status read_once(void)
{
	veto_sd_dir d;
	ck_assert_int_eq(veto_sd_open(&d, dir, err, sizeof err), VETO_SD_OK);
	uint8_t *data = (uint8_t *)"x";
	size_t len = 99;
	enum veto_sd_status r = veto_sd_read(&d, &data, &len, err, sizeof err);
	if (r != VETO_SD_OK) {
		ck_assert_ptr_null(data);
		ck_assert_uint_eq(len, 0);
	}
	free(data);
	veto_sd_close(&d);
	return r;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---- life cycle ---------------------------------------------------------- */

START_TEST(lifecycle)
{
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_OK);
	struct stat st;
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);

	veto_sd_dir d = VETO_SD_DIR_CLOSED;
	ck_assert_int_eq(veto_sd_open(&d, dir, err, sizeof err), VETO_SD_OK);
	ck_assert_str_eq(d.path, dir);
	uint8_t *data = NULL;
	size_t len = 0;
	ck_assert_int_eq(veto_sd_read(&d, &data, &len, err, sizeof err), VETO_SD_MISSING);
	ck_assert_int_eq(veto_sd_write(&d, "{\"a\":1}", 7, err, sizeof err), VETO_SD_OK);
	ck_assert_int_eq(veto_sd_read(&d, &data, &len, err, sizeof err), VETO_SD_OK);
	ck_assert_uint_eq(len, 7);
	ck_assert_mem_eq(data, "{\"a\":1}", 8); /* with its NUL */
	free(data);
	ck_assert_int_eq(veto_sd_write(&d, "second", 6, err, sizeof err), VETO_SD_OK);
	veto_sd_close(&d);
	veto_sd_close(&d); /* closing twice is harmless */
	ck_assert_int_eq(d.dirfd, -1);
	ck_assert_int_eq(d.lockfd, -1);

	ck_assert_str_eq(get_file(in_dir("state.json")), "second");
	ck_assert_int_eq(stat(in_dir("state.json"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(stat(in_dir(".lock"), &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(exists(in_dir(".state.json.tmp")), 0);
}
END_TEST

START_TEST(create_refuses_a_state)
{
	make_state("old");
	errno = 0;
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_ERROR);
	ck_assert_int_eq(errno, EEXIST);
	char want[9000];
	snprintf(want, sizeof want,
	         "%s already holds a state (%s/state.json); enrolment never overwrites one: "
	         "use a new directory", dir, dir);
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(get_file(in_dir("state.json")), "old");
}
END_TEST

START_TEST(create_refuses_other_entries_accepts_leftovers)
{
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	put_file(in_dir(".lock"), "");
	put_file(in_dir(".state.json.tmp"), "half");
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_OK);
	put_file(in_dir("notes"), "x");
	errno = 0;
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_ERROR);
	ck_assert_int_eq(errno, ENOTEMPTY);
	char want[9000];
	snprintf(want, sizeof want,
	         "%s exists and is not empty (it holds 'notes'); give a new or empty "
	         "directory for the state", dir);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(create_names_a_missing_parent)
{
	char deep[4400];
	snprintf(deep, sizeof deep, "%s/no/such", root);
	errno = 0;
	ck_assert_int_eq(veto_sd_create(deep, err, sizeof err), VETO_SD_ERROR);
	ck_assert_int_eq(errno, ENOENT);
	char want[9000];
	snprintf(want, sizeof want, "cannot create state directory %s: %s", deep,
	         strerror(ENOENT));
	ck_assert_str_eq(err, want);
}
END_TEST

/* ---- refusals of the directory -------------------------------------------- */

static void check_writable_refused(unsigned mode)
{
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(chmod(dir, (mode_t)mode), 0);
	veto_sd_dir d;
	errno = 0;
	ck_assert_int_eq(veto_sd_open(&d, dir, err, sizeof err), VETO_SD_ERROR);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(d.dirfd, -1);
	ck_assert_int_eq(d.lockfd, -1);
	veto_sd_close(&d);
	char want[9000];
	snprintf(want, sizeof want,
	         "state directory %s can be written by group or others (mode %04o), so they "
	         "could replace the trusted state; run 'chmod go-w %s'", dir, mode, dir);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(exists(in_dir(".lock")), 0); /* nothing made in it */
	/* create refuses it the same way */
	err[0] = '\0';
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_ERROR);
	ck_assert_str_eq(err, want);
}

START_TEST(group_writable_refused)
{
	check_writable_refused(0770);
}
END_TEST

START_TEST(other_writable_refused)
{
	check_writable_refused(0702);
}
END_TEST

START_TEST(missing_dir_named)
{
	veto_sd_dir d;
	errno = 0;
	ck_assert_int_eq(veto_sd_open(&d, dir, err, sizeof err), VETO_SD_ERROR);
	ck_assert_int_eq(errno, ENOENT);
	char want[9000];
	snprintf(want, sizeof want, "cannot open state directory %s: %s", dir, strerror(ENOENT));
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(path_too_long)
{
	static char longp[VETO_SD_PATH_MAX + 8];
	memset(longp, 'a', sizeof longp - 1);
	longp[sizeof longp - 1] = '\0';
	veto_sd_dir d;
	errno = 0;
	ck_assert_int_eq(veto_sd_open(&d, longp, err, sizeof err), VETO_SD_ERROR);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_str_eq(err, "state directory path too long");
}
END_TEST

START_TEST(no_err_buffer)
{
	veto_sd_dir d;
	errno = 0;
	ck_assert_int_eq(veto_sd_open(&d, dir, NULL, 0), VETO_SD_ERROR);
	ck_assert_int_eq(errno, ENOENT);
	/* a short buffer is truncated, NUL-terminated */
	char small[8];
	ck_assert_int_eq(veto_sd_open(&d, dir, small, sizeof small), VETO_SD_ERROR);
	ck_assert_str_eq(small, "cannot ");
}
END_TEST

/* ---- the lock ----------------------------------------------------------- */

/* Whether another open file description can take the lock right now. */
static int lock_free_now(void)
{
	int fd = open(in_dir(".lock"), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	int r = flock(fd, LOCK_EX | LOCK_NB);
	int e = errno;
	close(fd);
	if (r != 0)
		ck_assert_int_eq(e, EWOULDBLOCK);
	return r == 0;
}

START_TEST(lock_probe)
{
	make_state("s");
	veto_sd_dir d;
	ck_assert_int_eq(veto_sd_open(&d, dir, err, sizeof err), VETO_SD_OK);
	ck_assert_int_eq(lock_free_now(), 0);
	veto_sd_close(&d);
	ck_assert_int_eq(lock_free_now(), 1);
}
END_TEST

START_TEST(lock_contention_between_processes)
{
	make_state("first");
	veto_sd_dir d;
	ck_assert_int_eq(veto_sd_open(&d, dir, err, sizeof err), VETO_SD_OK);
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* The second process: its open must wait for the first's close;
		 * it then sees what the first wrote and reports it. */
		close(p[0]);
		/* The copies of the first's descriptors that fork gave it share
		 * the first's lock: give them up (this releases nothing). */
		veto_sd_close(&d);
		veto_sd_dir d2;
		char e2[512];
		if (veto_sd_open(&d2, dir, e2, sizeof e2) != VETO_SD_OK)
			_exit(3);
		uint8_t *data = NULL;
		size_t len = 0;
		if (veto_sd_read(&d2, &data, &len, e2, sizeof e2) != VETO_SD_OK)
			_exit(4);
		ssize_t w = write(p[1], data, len);
		free(data);
		veto_sd_close(&d2);
		_exit(w == (ssize_t)len ? 0 : 5);
	}
	close(p[1]);
	/* While the first holds the lock the second reports nothing: a
	 * bounded wait that can only pass falsely (a slow child), never fail
	 * falsely. */
	struct pollfd pfd = {.fd = p[0], .events = POLLIN};
	ck_assert_int_eq(poll(&pfd, 1, 300), 0);
	ck_assert_int_eq(veto_sd_write(&d, "second", 6, err, sizeof err), VETO_SD_OK);
	veto_sd_close(&d);
	/* Now it must get through, and see the state written under the lock. */
	long t0 = now_ms();
	char got[64] = {0};
	size_t have = 0;
	while (have < 6 && now_ms() - t0 < 20000) {
		if (poll(&pfd, 1, 1000) == 1) {
			ssize_t n = read(p[0], got + have, sizeof got - 1 - have);
			if (n <= 0)
				break;
			have += (size_t)n;
		}
	}
	close(p[0]);
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_str_eq(got, "second");
}
END_TEST

/* ---- never block, never follow --------------------------------------------- */

static void check_corrupt(const char *want_tail)
{
	long t0 = now_ms();
	ck_assert_int_eq(read_once(), VETO_SD_CORRUPT);
	ck_assert_int_lt(now_ms() - t0, 2000); /* at once, not after a wait */
	char want[9000];
	snprintf(want, sizeof want, "%s/state.json %s", dir, want_tail);
	ck_assert_str_eq(err, want);
}

START_TEST(state_symlink_corrupt)
{
	make_state("real");
	char target[4400];
	snprintf(target, sizeof target, "%s/elsewhere", root);
	put_file(target, "{}");
	ck_assert_int_eq(unlink(in_dir("state.json")), 0);
	ck_assert_int_eq(symlink(target, in_dir("state.json")), 0);
	check_corrupt("is a symbolic link, not a state");
}
END_TEST

START_TEST(state_dangling_symlink_corrupt)
{
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_OK);
	ck_assert_int_eq(symlink("/nonexistent/state.json", in_dir("state.json")), 0);
	check_corrupt("is a symbolic link, not a state");
}
END_TEST

START_TEST(state_directory_corrupt)
{
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_OK);
	ck_assert_int_eq(mkdir(in_dir("state.json"), 0700), 0);
	check_corrupt("is a directory, not a state");
}
END_TEST

START_TEST(state_fifo_corrupt)
{
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_OK);
	ck_assert_int_eq(mkfifo(in_dir("state.json"), 0600), 0);
	check_corrupt("is a FIFO, not a state");
}
END_TEST

START_TEST(state_oversized_corrupt)
{
	make_state("x");
	ck_assert_int_eq(truncate(in_dir("state.json"), (off_t)VETO_SD_MAX_STATE + 1), 0);
	check_corrupt("is larger than 4 MiB: not a state veto wrote");
	/* exactly at the cap it is read */
	ck_assert_int_eq(truncate(in_dir("state.json"), (off_t)VETO_SD_MAX_STATE), 0);
	ck_assert_int_eq(read_once(), VETO_SD_OK);
}
END_TEST

static void check_lock_refused(const char *what, int want_errno)
{
	veto_sd_dir d;
	errno = 0;
	long t0 = now_ms();
	ck_assert_int_eq(veto_sd_open(&d, dir, err, sizeof err), VETO_SD_ERROR);
	ck_assert_int_lt(now_ms() - t0, 2000);
	ck_assert_int_eq(errno, want_errno);
	ck_assert_int_eq(d.dirfd, -1);
	ck_assert_int_eq(d.lockfd, -1);
	char want[9000];
	snprintf(want, sizeof want, "lock file %s/.lock is %s, not a regular file: remove it", dir,
	         what);
	ck_assert_str_eq(err, want);
}

START_TEST(lock_fifo_refused)
{
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_OK);
	ck_assert_int_eq(mkfifo(in_dir(".lock"), 0600), 0);
	check_lock_refused("a FIFO", EINVAL);
}
END_TEST

START_TEST(lock_symlink_refused)
{
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_OK);
	char target[4400];
	snprintf(target, sizeof target, "%s/made-elsewhere", root);
	ck_assert_int_eq(symlink(target, in_dir(".lock")), 0);
	check_lock_refused("a symbolic link", ELOOP);
	ck_assert_int_eq(exists(target), 0); /* not created through the link */
}
END_TEST

START_TEST(lock_directory_refused)
{
	ck_assert_int_eq(veto_sd_create(dir, err, sizeof err), VETO_SD_OK);
	ck_assert_int_eq(mkdir(in_dir(".lock"), 0700), 0);
	check_lock_refused("a directory", EISDIR);
}
END_TEST

/* ---- the atomic replace ---------------------------------------------------- */

START_TEST(stale_temp_removed_by_next_write)
{
	make_state("old");
	put_file(in_dir(".state.json.tmp"), "leftover of a crash");
	ck_assert_int_eq(read_once(), VETO_SD_OK); /* never read as the state */
	veto_sd_dir d;
	ck_assert_int_eq(veto_sd_open(&d, dir, err, sizeof err), VETO_SD_OK);
	ck_assert_int_eq(veto_sd_write(&d, "new", 3, err, sizeof err), VETO_SD_OK);
	veto_sd_close(&d);
	ck_assert_int_eq(exists(in_dir(".state.json.tmp")), 0);
	ck_assert_str_eq(get_file(in_dir("state.json")), "new");
}
END_TEST

START_TEST(failed_write_keeps_old_state)
{
	make_state("the old state");
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* A file size limit below the new state: write(2) fails with
		 * EFBIG (SIGXFSZ ignored), as on a full disk. */
		close(p[0]);
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = {.rlim_cur = 16, .rlim_max = 16};
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(3);
		veto_sd_dir d;
		char e2[1024];
		if (veto_sd_open(&d, dir, e2, sizeof e2) != VETO_SD_OK)
			_exit(4);
		static char big[4096];
		memset(big, 'n', sizeof big);
		errno = 0;
		enum veto_sd_status r = veto_sd_write(&d, big, sizeof big, e2, sizeof e2);
		int e = errno;
		veto_sd_close(&d);
		if (r != VETO_SD_ERROR)
			_exit(5);
		char msg[1100];
		int n = snprintf(msg, sizeof msg, "%d|%s", e, e2);
		_exit(write(p[1], msg, (size_t)n) == n ? 0 : 6);
	}
	close(p[1]);
	char got[1100] = {0};
	size_t have = 0;
	ssize_t n;
	while ((n = read(p[0], got + have, sizeof got - 1 - have)) > 0)
		have += (size_t)n;
	close(p[0]);
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	char want[9000];
	snprintf(want, sizeof want, "%d|cannot write new state in %s (state.json left unchanged): %s",
	         EFBIG, dir, strerror(EFBIG));
	ck_assert_str_eq(got, want);
	ck_assert_str_eq(get_file(in_dir("state.json")), "the old state");
	ck_assert_int_eq(exists(in_dir(".state.json.tmp")), 0);
	ck_assert_int_eq(read_once(), VETO_SD_OK);
}
END_TEST

START_TEST(write_on_closed_handle)
{
	veto_sd_dir d = VETO_SD_DIR_CLOSED;
	errno = 0;
	ck_assert_int_eq(veto_sd_write(&d, "x", 1, err, sizeof err), VETO_SD_ERROR);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_str_eq(err, "state directory not open");
}
END_TEST

/* ---- the file primitives ----------------------------------------------------- */

START_TEST(read_fd_bounded)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(veto_sd_write_fd(p[1], "0123456789", 10), VETO_SD_OK);
	close(p[1]);
	uint8_t *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(veto_sd_read_fd(p[0], 4, 0, &out, &len), VETO_SD_OK);
	close(p[0]);
	ck_assert_uint_eq(len, 5); /* limit + 1: over the limit */
	ck_assert_mem_eq(out, "01234", 6);
	free(out);

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(veto_sd_write_fd(p[1], "abc", 3), VETO_SD_OK);
	close(p[1]);
	ck_assert_int_eq(veto_sd_read_fd(p[0], 100, 3, &out, &len), VETO_SD_OK);
	close(p[0]);
	ck_assert_uint_eq(len, 3);
	ck_assert_str_eq((char *)out, "abc");
	free(out);
}
END_TEST

START_TEST(read_fd_error_keeps_errno)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	uint8_t *out = (uint8_t *)"untouched";
	size_t len = 7;
	errno = 0;
	ck_assert_int_eq(veto_sd_read_fd(fd, 10, 0, &out, &len), VETO_SD_ERROR);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_str_eq((char *)out, "untouched");
	ck_assert_uint_eq(len, 7);
	close(fd);
	errno = 0;
	ck_assert_int_eq(veto_sd_write_fd(-1, "x", 1), VETO_SD_ERROR);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

START_TEST(replace_at_success_and_failure)
{
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);
	put_file(in_dir("out"), "old");
	int fd = openat(dfd, "out.tmp", O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	const char *step = "unset";
	ck_assert_int_eq(veto_sd_replace_at(dfd, fd, "out.tmp", "out", 0644, "new", 3, &step),
	                 VETO_SD_OK);
	ck_assert_str_eq(get_file(in_dir("out")), "new");
	ck_assert_int_eq(exists(in_dir("out.tmp")), 0);
	struct stat st;
	ck_assert_int_eq(stat(in_dir("out"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);

	/* A rename over a non-empty directory fails: the temporary file goes,
	 * the target stays, the step and errno say why. */
	ck_assert_int_eq(mkdir(in_dir("busy"), 0700), 0);
	put_file(in_dir("busy/x"), "x");
	fd = openat(dfd, "busy.tmp", O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	errno = 0;
	ck_assert_int_eq(veto_sd_replace_at(dfd, fd, "busy.tmp", "busy", -1, "z", 1, &step),
	                 VETO_SD_ERROR);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_str_eq(step, "rename");
	ck_assert_int_eq(exists(in_dir("busy.tmp")), 0);
	ck_assert_str_eq(get_file(in_dir("busy/x")), "x");
	/* fd was closed by the call */
	errno = 0;
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
	close(dfd);
}
END_TEST

static Suite *statedir_suite(void)
{
	Suite *s = suite_create("statedir");
	TCase *tc = tcase_create("statedir");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, lifecycle);
	tcase_add_test(tc, create_refuses_a_state);
	tcase_add_test(tc, create_refuses_other_entries_accepts_leftovers);
	tcase_add_test(tc, create_names_a_missing_parent);
	tcase_add_test(tc, group_writable_refused);
	tcase_add_test(tc, other_writable_refused);
	tcase_add_test(tc, missing_dir_named);
	tcase_add_test(tc, path_too_long);
	tcase_add_test(tc, no_err_buffer);
	tcase_add_test(tc, lock_probe);
	tcase_add_test(tc, lock_contention_between_processes);
	tcase_add_test(tc, state_symlink_corrupt);
	tcase_add_test(tc, state_dangling_symlink_corrupt);
	tcase_add_test(tc, state_directory_corrupt);
	tcase_add_test(tc, state_fifo_corrupt);
	tcase_add_test(tc, state_oversized_corrupt);
	tcase_add_test(tc, lock_fifo_refused);
	tcase_add_test(tc, lock_symlink_refused);
	tcase_add_test(tc, lock_directory_refused);
	tcase_add_test(tc, stale_temp_removed_by_next_write);
	tcase_add_test(tc, failed_write_keeps_old_state);
	tcase_add_test(tc, write_on_closed_handle);
	tcase_add_test(tc, read_fd_bounded);
	tcase_add_test(tc, read_fd_error_keeps_errno);
	tcase_add_test(tc, replace_at_success_and_failure);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	umask(022);
	SRunner *sr = srunner_create(statedir_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
