/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state directory: DIR/state.json, the one file of SPEC section 7, and
 * DIR/.lock, the file whose flock serialises every reader and writer.
 *
 * A crash at any instant must leave the old state.json or the new one,
 * never a torn one: sd_write writes a temporary file in DIR, syncs it,
 * renames it over state.json (atomic within a directory) and syncs DIR so
 * that the rename itself survives a power cut.
 */
#define _DEFAULT_SOURCE /* flock() on systems that hide it under POSIX */

#include "statedir.h"

#include "fileio.h"

#include <dirent.h>
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
#define SD_MAX_STATE (4U * 1024U * 1024U)

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * Fault injection for the crash-atomicity test.  With VETO_FAULT_AT=N in
 * the environment, the process kills itself with SIGKILL (no clean-up, as
 * in a power cut seen from user space) just before the Nth step of
 * sd_write, counting the steps {open temp, write, fsync file, rename,
 * fsync dir} across every sd_write of the run: N=1 dies before the
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
		close(fd);
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
		return -1;
	}
	return fd;
}

/* Entries that an interrupted enrolment may have left: not a state. */
static int leftover_entry(const char *name)
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
		(void)fsync(fd); /* best effort: DIR itself is synced by sd_write */
		close(fd);
	}
}

int sd_create(const char *dir, char *err, size_t errlen)
{
	if (mkdir(dir, 0700) == 0) {
		sync_parent(dir);
		return SD_OK;
	}
	if (errno != EEXIST) {
		seterr(err, errlen, "cannot create state directory %s: %s", dir, strerror(errno));
		return SD_ERROR;
	}

	struct stat st;
	int fd = open_dir(dir, &st, err, errlen);
	if (fd < 0)
		return SD_ERROR;
	struct stat sst;
	if (fstatat(fd, SD_STATE, &sst, AT_SYMLINK_NOFOLLOW) == 0) {
		seterr(err, errlen,
		       "%s already holds a state (%s/" SD_STATE "); enrolment never "
		       "overwrites one: use a new directory",
		       dir, dir);
		close(fd);
		return SD_ERROR;
	}
	DIR *ds = fdopendir(fd);
	if (ds == NULL) {
		seterr(err, errlen, "cannot list state directory %s: %s", dir, strerror(errno));
		close(fd);
		return SD_ERROR;
	}
	int rc = SD_OK;
	struct dirent *e;
	while ((e = readdir(ds)) != NULL) {
		if (!leftover_entry(e->d_name)) {
			seterr(err, errlen,
			       "%s exists and is not empty (it holds '%.64s'); give a new or "
			       "empty directory for the state",
			       dir, e->d_name);
			rc = SD_ERROR;
			break;
		}
	}
	closedir(ds);
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
	} else {
		return lfd; /* flock ignores O_NONBLOCK; nothing is read from it */
	}
	close(lfd);
	return -1;
}

int sd_open(sd_dir *d, const char *dir, char *err, size_t errlen)
{
	d->dirfd = -1;
	d->lockfd = -1;
	d->path[0] = '\0';
	size_t n = strlen(dir);
	if (n >= sizeof d->path) {
		seterr(err, errlen, "state directory path too long");
		return SD_ERROR;
	}
	struct stat st;
	int fd = open_dir(dir, &st, err, errlen);
	if (fd < 0)
		return SD_ERROR;
	int lfd = open_lock(fd, dir, err, errlen);
	if (lfd < 0) {
		close(fd);
		return SD_ERROR;
	}
	while (flock(lfd, LOCK_EX) != 0) {
		if (errno == EINTR)
			continue;
		seterr(err, errlen, "cannot lock %s/" SD_LOCK ": %s", dir, strerror(errno));
		close(lfd);
		close(fd);
		return SD_ERROR;
	}
	d->dirfd = fd;
	d->lockfd = lfd;
	memcpy(d->path, dir, n + 1);
	return SD_OK;
}

/* Opens DIR/state.json and checks that it is a regular file of at most
 * SD_MAX_STATE bytes, never blocking on a FIFO nor following a link: its
 * descriptor, or -1 with *why SD_MISSING, SD_CORRUPT or SD_ERROR (err set). */
static int open_state(sd_dir *d, struct stat *st, int *why, char *err, size_t errlen)
{
	*why = SD_CORRUPT;
	int fd = openat(d->dirfd, SD_STATE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			*why = SD_MISSING;
		else if (errno == ELOOP)
			seterr(err, errlen, "%s/" SD_STATE " is a symbolic link, not a state",
			       d->path);
		else {
			seterr(err, errlen, "cannot open %s/" SD_STATE ": %s", d->path,
			       strerror(errno));
			*why = SD_ERROR;
		}
		return -1;
	}
	if (fstat(fd, st) != 0) {
		seterr(err, errlen, "cannot examine %s/" SD_STATE ": %s", d->path, strerror(errno));
		*why = SD_ERROR;
	} else if (!S_ISREG(st->st_mode)) {
		seterr(err, errlen, "%s/" SD_STATE " is %s, not a state", d->path,
		       not_regular(st->st_mode));
	} else if ((uint64_t)st->st_size > SD_MAX_STATE) {
		seterr(err, errlen, "%s/" SD_STATE " is larger than 4 MiB: not a state veto wrote",
		       d->path);
	} else {
		return fd; /* a regular file: O_NONBLOCK changes nothing for read(2) */
	}
	close(fd);
	return -1;
}

int sd_read(sd_dir *d, uint8_t **data, size_t *len, char *err, size_t errlen)
{
	*data = NULL;
	*len = 0;
	struct stat st;
	int why;
	int fd = open_state(d, &st, &why, err, errlen);
	if (fd < 0)
		return why;
	/* At most one byte more than the size seen, to notice a file that
	 * grew. */
	size_t size = (size_t)st.st_size;
	uint8_t *buf = NULL;
	size_t got = 0;
	fio_result r = fio_read_all(fd, size, size, &buf, &got);
	int e = errno;
	close(fd);
	if (r == FIO_NOMEM) {
		seterr(err, errlen, "out of memory reading %s/" SD_STATE, d->path);
		return SD_ERROR;
	}
	if (r != FIO_OK) {
		seterr(err, errlen, "cannot read %s/" SD_STATE ": %s", d->path, strerror(e));
		return SD_ERROR;
	}
	if (got > size) {
		seterr(err, errlen, "%s/" SD_STATE " changed while being read, although locked",
		       d->path);
		free(buf);
		return SD_ERROR;
	}
	*data = buf;
	*len = got;
	return SD_OK;
}

int sd_write(sd_dir *d, const void *data, size_t len, char *err, size_t errlen)
{
	if (d->dirfd < 0 || d->lockfd < 0) {
		seterr(err, errlen, "state directory not open");
		return SD_ERROR;
	}
	if (unlinkat(d->dirfd, SD_TEMP, 0) != 0 && errno != ENOENT) {
		seterr(err, errlen, "cannot remove stale %s/" SD_TEMP ": %s", d->path,
		       strerror(errno));
		return SD_ERROR;
	}
	fault_point();
	int fd = openat(d->dirfd, SD_TEMP, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	                0600);
	if (fd < 0) {
		seterr(err, errlen, "cannot create %s/" SD_TEMP ": %s", d->path, strerror(errno));
		return SD_ERROR;
	}
	const char *step = "";
	if (fio_replace_finish(d->dirfd, fd, SD_TEMP, SD_STATE, -1, data, len, fault_point, &step))
		return SD_OK;
	if (strcmp(step, "sync-dir") == 0) {
		/* state.json already holds the new state; only its durability
		 * across a power cut is in doubt. */
		seterr(err, errlen, "wrote %s/" SD_STATE " but could not sync the directory: %s",
		       d->path, strerror(errno));
		return SD_ERROR;
	}
	seterr(err, errlen, "cannot %s new state in %s (state.json left unchanged): %s", step,
	       d->path, strerror(errno));
	return SD_ERROR;
}

void sd_close(sd_dir *d)
{
	if (d->lockfd >= 0)
		close(d->lockfd); /* releases the flock */
	if (d->dirfd >= 0)
		close(d->dirfd);
	d->lockfd = -1;
	d->dirfd = -1;
}
