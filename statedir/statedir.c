/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state directory: DIR/state.json, the one file of SPEC section 7, and
 * DIR/.lock, the file whose flock serialises every reader and writer.
 *
 * A crash at any instant must leave the old state.json or the new one,
 * never a torn one: veto_sd_write writes a temporary file in DIR, syncs it,
 * renames it over state.json (atomic within a directory) and syncs DIR so
 * that the rename itself survives a power cut.
 */
#define _DEFAULT_SOURCE /* flock() on systems that hide it under POSIX */

#include "internal.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define SD_STATE "state.json"
#define SD_LOCK ".lock"
/* One fixed name: only the lock holder writes, so a temporary file found
 * here is the leftover of a crash and may be removed. */
#define SD_TEMP ".state.json.tmp"

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	int e = errno; /* the cause the message names stays the caller's */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	errno = e;
}

/* close(2) that leaves errno as it was: the descriptor is given up after a
 * failure whose cause errno holds. */
static void close_keep_errno(int fd)
{
	int e = errno;
	close(fd);
	errno = e;
}

/*
 * Fault injection for the crash-atomicity test.  With VETO_FAULT_AT=N in
 * the environment, the process kills itself with SIGKILL (no clean-up, as
 * in a power cut seen from user space) just before the Nth step of
 * veto_sd_write, counting the steps {open temp, write, fsync file, rename,
 * fsync dir} across every veto_sd_write of the run: N=1 dies before the
 * temporary file exists, N=4 with a synced temporary file not yet renamed,
 * N=5 after the rename.  Unset, empty, 0 or not a number: no effect.  The
 * variable is read once, at the first step.
 */
static int fault_loaded;
static unsigned long fault_at;
static unsigned long fault_steps;

static void fault_point(void)
{
	if (!fault_loaded) {
		const char *v = getenv("VETO_FAULT_AT");
		fault_loaded = 1;
		if (v != NULL && *v != '\0') {
			char *end;
			unsigned long n = strtoul(v, &end, 10);
			fault_at = *end == '\0' ? n : 0;
		}
	}
	if (fault_at != 0 && ++fault_steps == fault_at)
		raise(SIGKILL);
}

static int open_dir(const char *dir, struct stat *st, char *err, size_t errlen)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		seterr(err, errlen, "cannot open state directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0) {
		seterr(err, errlen, "cannot examine state directory %s: %s", dir, strerror(errno));
		close_keep_errno(fd);
		return -1;
	}
	/* Whoever can write DIR can swap state.json for a state that trusts
	 * their own keys. */
	if ((st->st_mode & 022) != 0) {
		seterr(err, errlen,
		       "state directory %s can be written by group or others (mode %04o), "
		       "so they could replace the trusted state; run 'chmod go-w %s'",
		       dir, (unsigned)(st->st_mode & 07777), dir);
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

/* Entries that an interrupted enrolment may have left: not a state. */
static bool leftover_entry(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	       strcmp(name, SD_LOCK) == 0 || strcmp(name, SD_TEMP) == 0;
}

static void sync_parent(const char *dir)
{
	char parent[4096];
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	while (n > 0 && dir[n - 1] != '/')
		n--;
	if (n == 0) {
		strcpy(parent, ".");
	} else if (n < sizeof parent) {
		memcpy(parent, dir, n);
		parent[n] = '\0';
	} else {
		return;
	}
	int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd); /* best effort: DIR itself is synced by veto_sd_write */
		close_keep_errno(fd);
	}
}

enum veto_sd_status veto_sd_create(const char *dir, char *err, size_t errlen)
{
	if (mkdir(dir, 0700) == 0) {
		sync_parent(dir);
		return VETO_SD_OK;
	}
	if (errno != EEXIST) {
		seterr(err, errlen, "cannot create state directory %s: %s", dir, strerror(errno));
		return VETO_SD_ERROR;
	}

	struct stat st;
	int fd = open_dir(dir, &st, err, errlen);
	if (fd < 0)
		return VETO_SD_ERROR;
	struct stat sst;
	if (fstatat(fd, SD_STATE, &sst, AT_SYMLINK_NOFOLLOW) == 0) {
		seterr(err, errlen,
		       "%s already holds a state (%s/" SD_STATE "); enrolment never "
		       "overwrites one: use a new directory",
		       dir, dir);
		close(fd);
		errno = EEXIST;
		return VETO_SD_ERROR;
	}
	DIR *ds = fdopendir(fd);
	if (ds == NULL) {
		seterr(err, errlen, "cannot list state directory %s: %s", dir, strerror(errno));
		close_keep_errno(fd);
		return VETO_SD_ERROR;
	}
	enum veto_sd_status rc = VETO_SD_OK;
	struct dirent *e;
	while ((e = readdir(ds)) != NULL) {
		if (!leftover_entry(e->d_name)) {
			seterr(err, errlen,
			       "%s exists and is not empty (it holds '%.64s'); give a new or "
			       "empty directory for the state",
			       dir, e->d_name);
			rc = VETO_SD_ERROR;
			break;
		}
	}
	closedir(ds);
	if (rc != VETO_SD_OK)
		errno = ENOTEMPTY;
	return rc;
}

/* What an entry that should be a regular file is instead, for a message. */
static const char *not_regular(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* DIR/.lock, created when absent.  It must be a regular file: a FIFO put
 * there would block open(2) forever, a symbolic link would lock (or
 * create) a file elsewhere.  O_NONBLOCK makes the open of a FIFO return at
 * once, O_NOFOLLOW refuses a link, and fstat judges what was opened.  The
 * descriptor, or -1 with err naming the file. */
static int open_lock(int dirfd, const char *dir, char *err, size_t errlen)
{
	int lfd = openat(dirfd, SD_LOCK,
	                 O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (lfd < 0) {
		if (errno == ELOOP)
			seterr(err, errlen, "lock file %s/" SD_LOCK " is a symbolic link, not a "
			                    "regular file: remove it", dir);
		else if (errno == EISDIR)
			seterr(err, errlen, "lock file %s/" SD_LOCK " is a directory, not a "
			                    "regular file: remove it", dir);
		else
			seterr(err, errlen, "cannot open lock file %s/" SD_LOCK ": %s", dir,
			       strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(lfd, &st) != 0) {
		seterr(err, errlen, "cannot examine lock file %s/" SD_LOCK ": %s", dir,
		       strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		seterr(err, errlen, "lock file %s/" SD_LOCK " is %s, not a regular file: remove it",
		       dir, not_regular(st.st_mode));
		errno = EINVAL;
	} else {
		return lfd; /* flock ignores O_NONBLOCK; nothing is read from it */
	}
	close_keep_errno(lfd);
	return -1;
}

enum veto_sd_status veto_sd_open(veto_sd_dir *d, const char *dir, char *err, size_t errlen)
{
	d->dirfd = -1;
	d->lockfd = -1;
	d->path[0] = '\0';
	size_t n = strlen(dir);
	if (n >= sizeof d->path) {
		seterr(err, errlen, "state directory path too long");
		errno = ENAMETOOLONG;
		return VETO_SD_ERROR;
	}
	struct stat st;
	int fd = open_dir(dir, &st, err, errlen);
	if (fd < 0)
		return VETO_SD_ERROR;
	int lfd = open_lock(fd, dir, err, errlen);
	if (lfd < 0) {
		close_keep_errno(fd);
		return VETO_SD_ERROR;
	}
	while (flock(lfd, LOCK_EX) != 0) {
		if (errno == EINTR)
			continue;
		seterr(err, errlen, "cannot lock %s/" SD_LOCK ": %s", dir, strerror(errno));
		close_keep_errno(lfd);
		close_keep_errno(fd);
		return VETO_SD_ERROR;
	}
	d->dirfd = fd;
	d->lockfd = lfd;
	memcpy(d->path, dir, n + 1);
	return VETO_SD_OK;
}

/* Opens DIR/state.json and checks that it is a regular file of at most
 * VETO_SD_MAX_STATE bytes, never blocking on a FIFO nor following a link:
 * its
 * descriptor, or -1 with *why VETO_SD_MISSING, VETO_SD_CORRUPT or
 * VETO_SD_ERROR (err set). */
static int open_state(veto_sd_dir *d, struct stat *st, enum veto_sd_status *why, char *err, size_t errlen)
{
	*why = VETO_SD_CORRUPT;
	int fd = openat(d->dirfd, SD_STATE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			*why = VETO_SD_MISSING;
		else if (errno == ELOOP)
			seterr(err, errlen, "%s/" SD_STATE " is a symbolic link, not a state",
			       d->path);
		else {
			seterr(err, errlen, "cannot open %s/" SD_STATE ": %s", d->path,
			       strerror(errno));
			*why = VETO_SD_ERROR;
		}
		return -1;
	}
	if (fstat(fd, st) != 0) {
		seterr(err, errlen, "cannot examine %s/" SD_STATE ": %s", d->path, strerror(errno));
		*why = VETO_SD_ERROR;
	} else if (!S_ISREG(st->st_mode)) {
		seterr(err, errlen, "%s/" SD_STATE " is %s, not a state", d->path,
		       not_regular(st->st_mode));
	} else if ((uint64_t)st->st_size > VETO_SD_MAX_STATE) {
		seterr(err, errlen, "%s/" SD_STATE " is larger than 4 MiB: not a state veto wrote",
		       d->path);
	} else {
		return fd; /* a regular file: O_NONBLOCK changes nothing for read(2) */
	}
	close_keep_errno(fd);
	return -1;
}

enum veto_sd_status veto_sd_read(veto_sd_dir *d, uint8_t **data, size_t *len, char *err,
                                 size_t errlen)
{
	*data = NULL;
	*len = 0;
	struct stat st;
	enum veto_sd_status why;
	int fd = open_state(d, &st, &why, err, errlen);
	if (fd < 0)
		return why;
	/* At most one byte more than the size seen, to notice a file that
	 * grew. */
	size_t size = (size_t)st.st_size;
	uint8_t *buf = NULL;
	size_t got = 0;
	enum veto_sd_status r = veto_sd_read_fd(fd, size, size, &buf, &got);
	close_keep_errno(fd);
	if (r != VETO_SD_OK) {
		if (errno == ENOMEM)
			seterr(err, errlen, "out of memory reading %s/" SD_STATE, d->path);
		else
			seterr(err, errlen, "cannot read %s/" SD_STATE ": %s", d->path,
			       strerror(errno));
		return VETO_SD_ERROR;
	}
	if (got > size) {
		seterr(err, errlen, "%s/" SD_STATE " changed while being read, although locked",
		       d->path);
		free(buf);
		errno = EIO;
		return VETO_SD_ERROR;
	}
	*data = buf;
	*len = got;
	return VETO_SD_OK;
}

enum veto_sd_status veto_sd_write(veto_sd_dir *d, const void *data, size_t len, char *err,
                                  size_t errlen)
{
	if (d->dirfd < 0 || d->lockfd < 0) {
		seterr(err, errlen, "state directory not open");
		errno = EBADF;
		return VETO_SD_ERROR;
	}
	if (unlinkat(d->dirfd, SD_TEMP, 0) != 0 && errno != ENOENT) {
		seterr(err, errlen, "cannot remove stale %s/" SD_TEMP ": %s", d->path,
		       strerror(errno));
		return VETO_SD_ERROR;
	}
	fault_point();
	int fd = openat(d->dirfd, SD_TEMP, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	                0600);
	if (fd < 0) {
		seterr(err, errlen, "cannot create %s/" SD_TEMP ": %s", d->path, strerror(errno));
		return VETO_SD_ERROR;
	}
	const char *step = "";
	if (veto__sd_replace_steps(d->dirfd, fd, SD_TEMP, SD_STATE, -1, data, len, fault_point,
	                           &step) == VETO_SD_OK)
		return VETO_SD_OK;
	if (strcmp(step, "sync-dir") == 0) {
		/* state.json already holds the new state; only its durability
		 * across a power cut is in doubt. */
		seterr(err, errlen, "wrote %s/" SD_STATE " but could not sync the directory: %s",
		       d->path, strerror(errno));
		return VETO_SD_ERROR;
	}
	seterr(err, errlen, "cannot %s new state in %s (state.json left unchanged): %s", step,
	       d->path, strerror(errno));
	return VETO_SD_ERROR;
}

void veto_sd_close(veto_sd_dir *d)
{
	if (d->lockfd >= 0)
		close(d->lockfd); /* releases the flock */
	if (d->dirfd >= 0)
		close(d->dirfd);
	d->lockfd = -1;
	d->dirfd = -1;
}
