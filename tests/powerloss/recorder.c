/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The recorder of the power-loss test: an LD_PRELOAD module that wraps the
 * C library calls by which a program changes files, and logs, one line
 * each, every successful call that touches the tree under one root
 * directory, in the order the program made them.  replay.c reads the log.
 *
 * Environment:
 *   VETO_REC_ROOT  the root, an absolute path without symbolic links
 *   VETO_REC_LOG   the log file (outside the root), appended to
 * Either unset: the module only passes calls through.
 *
 * Log lines (paths relative to the root, "." for the root itself, bytes
 * outside '!'..'~' and '%' written as %XX; data in hex):
 *   open FD PATH FLAGS      a descriptor on a file or directory of the tree
 *   close FD | dup OLD NEW
 *   write FD OFFSET HEX     bytes written at OFFSET (write, pwrite, writev)
 *   trunc FD LEN
 *   fsync FD | fdatasync FD | sync
 *   mkdir PATH | rmdir PATH | unlink PATH | rename OLD NEW | link OLD NEW
 *   unsupported WHAT PATH   a change this recorder cannot log faithfully
 *                           (the replayer refuses the whole log)
 * Descriptors are tracked by number; those on files outside the root are
 * remembered too (an openat relative to one may land inside), but their
 * writes are not logged.
 *
 * The program sees every call's result unchanged.  The recorder is single
 * threaded, like veto.  Calls the C library makes internally (fopen's own
 * open, closedir's close) do not pass through here: fopen and fdopen are
 * wrapped to refuse writing into the tree, and a close the recorder did not
 * see only leaves a stale table entry that the next open of that number
 * replaces.  The test also compares the end state of the full log with the
 * directory the program actually left, which catches any change made by a
 * path not listed here.
 */
#undef _POSIX_C_SOURCE
#undef _FILE_OFFSET_BITS /* define open and open64 both, each as itself */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* The fortified entry points, declared by glibc only under _FORTIFY_SOURCE. */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

#define REC_FDS 1024
#define REC_PATH 1024

static struct {
	bool on;     /* configured */
	bool inited; /* configuration read */
	int log;     /* the log's descriptor, kept high */
	char root[REC_PATH];
	size_t rootlen;
} rec;

/* What each descriptor names: its normalised absolute path, or nothing. */
static struct {
	bool known;
	char path[REC_PATH];
} fds[REC_FDS];

typedef void (*any_fn)(void);
#define REAL(name) ((__typeof__(&name))real_fn(#name))

/* The next definition of a function: the C library's (or a sanitizer's). */
static any_fn real_fn(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);
	if (p == NULL)
		abort(); /* a wrapper without the function it wraps */
	any_fn f;
	memcpy(&f, &p, sizeof f); /* ISO C has no object-to-function cast */
	return f;
}

static void log_raw(const char *s, size_t n)
{
	static ssize_t (*w)(int, const void *, size_t);
	if (w == NULL)
		w = REAL(write);
	while (n > 0) {
		ssize_t r = w(rec.log, s, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			abort(); /* a lost record would make the test a lie */
		s += r;
		n -= (size_t)r;
	}
}

/* One line; %P takes a path (escaped), %H a (pointer, size_t) in hex,
 * %d an int, %L a long long.  Built in pieces so that data of any size
 * goes out without allocation. */
static void logf_line(const char *fmt, ...)
{
	static const char hex[] = "0123456789abcdef";
	char buf[256];
	size_t n = 0;
	va_list ap;
	va_start(ap, fmt);
	for (const char *f = fmt; *f != '\0'; f++) {
		if (n + 8 > sizeof buf) {
			log_raw(buf, n);
			n = 0;
		}
		if (*f != '%') {
			buf[n++] = *f;
			continue;
		}
		f++;
		if (*f == 'd' || *f == 'L') {
			long long v = *f == 'd' ? va_arg(ap, int) : va_arg(ap, long long);
			log_raw(buf, n);
			n = (size_t)snprintf(buf, sizeof buf, "%lld", v);
		} else if (*f == 'P') {
			const unsigned char *p = va_arg(ap, const unsigned char *);
			for (; *p != '\0'; p++) {
				if (n + 8 > sizeof buf) {
					log_raw(buf, n);
					n = 0;
				}
				if (*p > ' ' && *p < 0x7f && *p != '%') {
					buf[n++] = (char)*p;
				} else {
					buf[n++] = '%';
					buf[n++] = hex[*p >> 4];
					buf[n++] = hex[*p & 15];
				}
			}
		} else if (*f == 'H') {
			const unsigned char *p = va_arg(ap, const unsigned char *);
			size_t len = va_arg(ap, size_t);
			if (len == 0)
				buf[n++] = '-';
			for (size_t i = 0; i < len; i++) {
				if (n + 8 > sizeof buf) {
					log_raw(buf, n);
					n = 0;
				}
				buf[n++] = hex[p[i] >> 4];
				buf[n++] = hex[p[i] & 15];
			}
		}
	}
	va_end(ap);
	buf[n++] = '\n';
	log_raw(buf, n);
}

static void rec_init(void)
{
	if (rec.inited)
		return;
	rec.inited = true;
	const char *root = getenv("VETO_REC_ROOT");
	const char *logp = getenv("VETO_REC_LOG");
	if (root == NULL || logp == NULL || root[0] != '/')
		return;
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n >= sizeof rec.root)
		abort();
	memcpy(rec.root, root, n);
	rec.root[n] = '\0';
	rec.rootlen = n;
	int fd = REAL(open)(logp, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	/* Out of the way of the program's own descriptor numbers, where the
	 * descriptor limit allows. */
	rec.log = fcntl(fd, F_DUPFD_CLOEXEC, REC_FDS - 24);
	if (rec.log < 0)
		rec.log = fd;
	else
		REAL(close)(fd);
	rec.on = true;
}

/* Lexical normalisation of an absolute path: no ".", "..", "//". */
static bool normalise(char *out, size_t cap, const char *in)
{
	size_t n = 0;
	const char *p = in;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		const char *s = p;
		while (*p != '\0' && *p != '/')
			p++;
		size_t len = (size_t)(p - s);
		if (len == 0 || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			continue;
		}
		if (n + 1 + len + 1 > cap)
			return false;
		out[n++] = '/';
		memcpy(out + n, s, len);
		n += len;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return true;
}

/* The absolute path that (dirfd, path) names, or false when unknown. */
static bool resolve(char *out, size_t cap, int dirfd, const char *path)
{
	char tmp[2 * REC_PATH + 2];
	const char *base;
	char cwd[REC_PATH];
	if (path[0] == '/') {
		base = "";
	} else if (dirfd == AT_FDCWD) {
		if (getcwd(cwd, sizeof cwd) == NULL)
			return false;
		base = cwd;
	} else if (dirfd >= 0 && dirfd < REC_FDS && fds[dirfd].known) {
		base = fds[dirfd].path;
	} else {
		return false;
	}
	int w = snprintf(tmp, sizeof tmp, "%s/%s", base, path);
	if (w < 0 || (size_t)w >= sizeof tmp)
		return false;
	return normalise(out, cap, tmp);
}

/* The path relative to the root when abs lies in the tree, else NULL. */
static const char *inside(const char *abs)
{
	if (strncmp(abs, rec.root, rec.rootlen) != 0)
		return NULL;
	const char *rest = abs + rec.rootlen;
	if (*rest == '\0')
		return ".";
	if (rec.rootlen == 1)
		return rest;
	return *rest == '/' ? rest + 1 : NULL;
}

/* Where (dirfd, path) lands: 1 in the tree (rel set), 0 outside, -1 unknown. */
static int where(int dirfd, const char *path, char *abs, const char **rel)
{
	if (!resolve(abs, REC_PATH, dirfd, path))
		return -1;
	*rel = inside(abs);
	return *rel != NULL;
}

static bool tracked(int fd)
{
	return rec.on && fd >= 0 && fd < REC_FDS && fds[fd].known && inside(fds[fd].path) != NULL;
}

static void forget(int fd)
{
	if (fd >= 0 && fd < REC_FDS)
		fds[fd].known = false;
}

static void after_open(int fd, int dirfd, const char *path, int flags)
{
	if (!rec.on || fd < 0)
		return;
	char abs[REC_PATH];
	const char *rel;
	int w = where(dirfd, path, abs, &rel);
	if (fd >= REC_FDS) {
		if (w != 0)
			logf_line("unsupported open-high-fd %P", path);
		return;
	}
	fds[fd].known = w >= 0;
	if (w < 0) {
		/* Unknown: it might be in the tree, so a write through it is
		 * not allowed to pass unseen. */
		if ((flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0)
			logf_line("unsupported open-unresolved %P", path);
		return;
	}
	memcpy(fds[fd].path, abs, strlen(abs) + 1);
	if (w == 1)
		logf_line("open %d %P %d", fd, rel, flags);
}

/* Logs a change by path; unresolvable paths are logged as unsupported. */
static void path_op(const char *op, int dirfd, const char *path)
{
	char abs[REC_PATH];
	const char *rel;
	int w = where(dirfd, path, abs, &rel);
	if (w == 1)
		logf_line("%P %P", op, rel);
	else if (w < 0)
		logf_line("unsupported %P-unresolved %P", op, path);
}

static void two_path_op(const char *op, int d1, const char *p1, int d2, const char *p2)
{
	char a1[REC_PATH], a2[REC_PATH];
	const char *r1, *r2;
	int w1 = where(d1, p1, a1, &r1);
	int w2 = where(d2, p2, a2, &r2);
	if (w1 == 1 && w2 == 1)
		logf_line("%P %P %P", op, r1, r2);
	else if (w1 != 0 || w2 != 0)
		logf_line("unsupported %P-across-root %P", op, w1 == 1 ? p1 : p2);
}

/* ---- opening and closing -------------------------------------------- */

static mode_t mode_arg(int flags, va_list ap)
{
	if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE)
		return (mode_t)va_arg(ap, unsigned int);
	return 0;
}

static int do_openat(const char *real, int dirfd, const char *path, int flags, mode_t mode)
{
	rec_init();
	if (rec.on && (flags & O_TMPFILE) == O_TMPFILE) {
		char abs[REC_PATH];
		const char *rel;
		if (where(dirfd, path, abs, &rel) != 0)
			logf_line("unsupported O_TMPFILE %P", path);
	}
	int fd;
	if (strcmp(real, "openat") == 0 || strcmp(real, "openat64") == 0) {
		int (*f)(int, const char *, int, ...) =
			(int (*)(int, const char *, int, ...))real_fn(real);
		fd = f(dirfd, path, flags, mode);
	} else {
		int (*f)(const char *, int, ...) = (int (*)(const char *, int, ...))real_fn(real);
		fd = f(path, flags, mode);
	}
	int e = errno;
	after_open(fd, dirfd, path, flags);
	errno = e;
	return fd;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t m = mode_arg(flags, ap);
	va_end(ap);
	return do_openat("open", AT_FDCWD, path, flags, m);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t m = mode_arg(flags, ap);
	va_end(ap);
	return do_openat("open64", AT_FDCWD, path, flags, m);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t m = mode_arg(flags, ap);
	va_end(ap);
	return do_openat("openat", dirfd, path, flags, m);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t m = mode_arg(flags, ap);
	va_end(ap);
	return do_openat("openat64", dirfd, path, flags, m);
}

int __open_2(const char *path, int flags)
{
	return do_openat("open", AT_FDCWD, path, flags, 0);
}

int __open64_2(const char *path, int flags)
{
	return do_openat("open64", AT_FDCWD, path, flags, 0);
}

int __openat_2(int dirfd, const char *path, int flags)
{
	return do_openat("openat", dirfd, path, flags, 0);
}

int __openat64_2(int dirfd, const char *path, int flags)
{
	return do_openat("openat64", dirfd, path, flags, 0);
}

int creat(const char *path, mode_t mode)
{
	return do_openat("open", AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int creat64(const char *path, mode_t mode)
{
	return do_openat("open64", AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int close(int fd)
{
	rec_init();
	if (rec.on && fd == rec.log)
		abort(); /* the program closing the log: records would be lost */
	bool t = tracked(fd);
	int r = REAL(close)(fd);
	int e = errno;
	if (t)
		logf_line("close %d", fd);
	forget(fd);
	errno = e;
	return r;
}

static int after_dup(int old, int r)
{
	int e = errno;
	if (rec.on && r >= 0 && r < REC_FDS) {
		bool t = tracked(old);
		fds[r] = fds[old];
		if (t)
			logf_line("dup %d %d", old, r);
	}
	errno = e;
	return r;
}

int dup(int fd)
{
	rec_init();
	return after_dup(fd, REAL(dup)(fd));
}

int dup2(int fd, int to)
{
	rec_init();
	if (tracked(to))
		logf_line("close %d", to);
	return after_dup(fd, REAL(dup2)(fd, to));
}

int dup3(int fd, int to, int flags)
{
	rec_init();
	if (tracked(to))
		logf_line("close %d", to);
	return after_dup(fd, REAL(dup3)(fd, to, flags));
}

/* ---- data ------------------------------------------------------------ */

/* The offset at which a plain write on fd lands. */
static long long write_offset(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && (fl & O_APPEND) != 0) {
		struct stat st;
		return fstat(fd, &st) == 0 ? (long long)st.st_size : -1;
	}
	return (long long)lseek(fd, 0, SEEK_CUR);
}

static void log_write(int fd, long long off, const void *buf, ssize_t r)
{
	if (r < 0)
		return;
	if (off < 0)
		logf_line("unsupported write-offset %d", fd);
	else
		logf_line("write %d %L %H", fd, off, buf, (size_t)r);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	rec_init();
	if (!tracked(fd))
		return REAL(write)(fd, buf, n);
	long long off = write_offset(fd);
	ssize_t r = REAL(write)(fd, buf, n);
	int e = errno;
	log_write(fd, off, buf, r);
	errno = e;
	return r;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	rec_init();
	ssize_t r = REAL(pwrite)(fd, buf, n, off);
	int e = errno;
	if (tracked(fd))
		log_write(fd, (long long)off, buf, r);
	errno = e;
	return r;
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	rec_init();
	ssize_t r = REAL(pwrite64)(fd, buf, n, off);
	int e = errno;
	if (tracked(fd))
		log_write(fd, (long long)off, buf, r);
	errno = e;
	return r;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	rec_init();
	if (!tracked(fd))
		return REAL(writev)(fd, iov, cnt);
	long long off = write_offset(fd);
	ssize_t r = REAL(writev)(fd, iov, cnt);
	int e = errno;
	/* Logged as one write per piece, as far as the call got. */
	ssize_t left = r;
	for (int i = 0; i < cnt && left > 0 && off >= 0; i++) {
		ssize_t part = (size_t)left < iov[i].iov_len ? left : (ssize_t)iov[i].iov_len;
		log_write(fd, off, iov[i].iov_base, part);
		off += part;
		left -= part;
	}
	errno = e;
	return r;
}

static int truncated(int fd, long long len, int r)
{
	int e = errno;
	if (r == 0 && tracked(fd))
		logf_line("trunc %d %L", fd, len);
	errno = e;
	return r;
}

int ftruncate(int fd, off_t len)
{
	rec_init();
	return truncated(fd, (long long)len, REAL(ftruncate)(fd, len));
}

int ftruncate64(int fd, off64_t len)
{
	rec_init();
	return truncated(fd, (long long)len, REAL(ftruncate64)(fd, len));
}

static int by_path_unsupported(const char *what, const char *path, int r)
{
	int e = errno;
	if (rec.on && r == 0) {
		char abs[REC_PATH];
		const char *rel;
		if (where(AT_FDCWD, path, abs, &rel) != 0)
			logf_line("unsupported %P %P", what, path);
	}
	errno = e;
	return r;
}

int truncate(const char *path, off_t len)
{
	rec_init();
	return by_path_unsupported("truncate", path, REAL(truncate)(path, len));
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
	rec_init();
	int r = REAL(fallocate)(fd, mode, off, len);
	int e = errno;
	if (r == 0 && tracked(fd))
		logf_line("unsupported fallocate %P", fds[fd].path);
	errno = e;
	return r;
}

/* ---- flushing -------------------------------------------------------- */

static int synced(const char *op, int fd, int r)
{
	int e = errno;
	if (r == 0 && tracked(fd))
		logf_line("%P %d", op, fd);
	errno = e;
	return r;
}

int fsync(int fd)
{
	rec_init();
	return synced("fsync", fd, REAL(fsync)(fd));
}

int fdatasync(int fd)
{
	rec_init();
	return synced("fdatasync", fd, REAL(fdatasync)(fd));
}

void sync(void)
{
	rec_init();
	REAL(sync)();
	if (rec.on)
		logf_line("sync");
}

int syncfs(int fd)
{
	rec_init();
	int r = REAL(syncfs)(fd);
	int e = errno;
	if (rec.on && r == 0)
		logf_line("sync");
	errno = e;
	return r;
}

/* ---- names ----------------------------------------------------------- */

static int named(const char *op, int dirfd, const char *path, int r)
{
	int e = errno;
	if (rec.on && r == 0)
		path_op(op, dirfd, path);
	errno = e;
	return r;
}

int mkdir(const char *path, mode_t mode)
{
	rec_init();
	return named("mkdir", AT_FDCWD, path, REAL(mkdir)(path, mode));
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	rec_init();
	return named("mkdir", dirfd, path, REAL(mkdirat)(dirfd, path, mode));
}

int rmdir(const char *path)
{
	rec_init();
	return named("rmdir", AT_FDCWD, path, REAL(rmdir)(path));
}

int unlink(const char *path)
{
	rec_init();
	return named("unlink", AT_FDCWD, path, REAL(unlink)(path));
}

int unlinkat(int dirfd, const char *path, int flags)
{
	rec_init();
	int r = REAL(unlinkat)(dirfd, path, flags);
	return named((flags & AT_REMOVEDIR) != 0 ? "rmdir" : "unlink", dirfd, path, r);
}

static int renamed(int d1, const char *p1, int d2, const char *p2, int r)
{
	int e = errno;
	if (rec.on && r == 0)
		two_path_op("rename", d1, p1, d2, p2);
	errno = e;
	return r;
}

int rename(const char *from, const char *to)
{
	rec_init();
	return renamed(AT_FDCWD, from, AT_FDCWD, to, REAL(rename)(from, to));
}

int renameat(int d1, const char *from, int d2, const char *to)
{
	rec_init();
	return renamed(d1, from, d2, to, REAL(renameat)(d1, from, d2, to));
}

int renameat2(int d1, const char *from, int d2, const char *to, unsigned int flags)
{
	rec_init();
	int r = REAL(renameat2)(d1, from, d2, to, flags);
	if (flags != 0 && r == 0 && rec.on) {
		/* RENAME_EXCHANGE and friends are not modelled. */
		char abs[REC_PATH];
		const char *rel;
		if (where(d1, from, abs, &rel) != 0) {
			logf_line("unsupported renameat2-flags %P", from);
			return r;
		}
	}
	return renamed(d1, from, d2, to, r);
}

static int linked(int d1, const char *p1, int d2, const char *p2, int r)
{
	int e = errno;
	if (rec.on && r == 0)
		two_path_op("link", d1, p1, d2, p2);
	errno = e;
	return r;
}

int link(const char *from, const char *to)
{
	rec_init();
	return linked(AT_FDCWD, from, AT_FDCWD, to, REAL(link)(from, to));
}

int linkat(int d1, const char *from, int d2, const char *to, int flags)
{
	rec_init();
	return linked(d1, from, d2, to, REAL(linkat)(d1, from, d2, to, flags));
}

int symlink(const char *target, const char *path)
{
	rec_init();
	return by_path_unsupported("symlink", path, REAL(symlink)(target, path));
}

int symlinkat(const char *target, int dirfd, const char *path)
{
	rec_init();
	int r = REAL(symlinkat)(target, dirfd, path);
	int e = errno;
	if (rec.on && r == 0) {
		char abs[REC_PATH];
		const char *rel;
		if (where(dirfd, path, abs, &rel) != 0)
			logf_line("unsupported symlink %P", path);
	}
	errno = e;
	return r;
}

/* ---- stdio: reading only -------------------------------------------- */

static bool writing_mode(const char *mode)
{
	return strpbrk(mode, "wa+") != NULL;
}

static FILE *stdio_opened(FILE *f, const char *path, const char *mode)
{
	int e = errno;
	if (rec.on && f != NULL && writing_mode(mode)) {
		char abs[REC_PATH];
		const char *rel;
		if (where(AT_FDCWD, path, abs, &rel) != 0)
			logf_line("unsupported fopen-for-writing %P", path);
	}
	errno = e;
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	rec_init();
	return stdio_opened(REAL(fopen)(path, mode), path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	rec_init();
	return stdio_opened(REAL(fopen64)(path, mode), path, mode);
}

FILE *fdopen(int fd, const char *mode)
{
	rec_init();
	FILE *f = REAL(fdopen)(fd, mode);
	int e = errno;
	if (f != NULL && writing_mode(mode) && tracked(fd))
		logf_line("unsupported fdopen-for-writing %P", fds[fd].path);
	errno = e;
	return f;
}
