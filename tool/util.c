/* SPDX-License-Identifier: Apache-2.0 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tool_cmd = "";

static void vmsg(const char *kind, const char *fmt, va_list ap) TOOL_PRINTF(2, 0);
static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fflush(stdout); /* keep stdout and stderr in order on a terminal */
	if (tool_cmd[0] != '\0')
		fprintf(stderr, "veto %s: %s", tool_cmd, kind);
	else
		fprintf(stderr, "veto: %s", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void tool_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void tool_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

int tool_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	if (tool_cmd[0] != '\0')
		fprintf(stderr, "Try 'veto %s --help'.\n", tool_cmd);
	else
		fprintf(stderr, "Try 'veto --help'.\n");
	return EXIT_TROUBLE;
}

int is_dash(const char *path)
{
	return path != NULL && strcmp(path, "-") == 0;
}

int check_one_stdin(const char *const *paths, size_t n)
{
	size_t dashes = 0;
	for (size_t i = 0; i < n; i++)
		dashes += (size_t)is_dash(paths[i]);
	if (dashes > 1) {
		tool_usage("only one input can be read from standard input ('-')");
		return -1;
	}
	return 0;
}

static const char *shown_name(const char *path)
{
	return is_dash(path) ? "standard input" : path;
}

/* read(2) until count bytes or end of file; returns bytes read or -1. */
static ssize_t read_full(int fd, uint8_t *buf, size_t count)
{
	size_t got = 0;
	while (got < count) {
		ssize_t n = read(fd, buf + got, count - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int read_input(const char *path, size_t limit, uint8_t **out, size_t *len)
{
	int fd = is_dash(path) ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		tool_err("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		tool_err("cannot read %s: %s", shown_name(path), strerror(errno));
		goto fail_fd;
	}
	if (S_ISDIR(st.st_mode)) {
		tool_err("%s is a directory, not a file", path);
		goto fail_fd;
	}

	size_t want = limit + 1;
	size_t cap = 4096;
	if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size < want)
		cap = (size_t)st.st_size + 1;
	if (cap > want)
		cap = want;
	uint8_t *buf = malloc(cap + 1);
	if (buf == NULL) {
		tool_err("out of memory reading %s", shown_name(path));
		goto fail_fd;
	}
	size_t got = 0;
	for (;;) {
		if (got == cap) {
			if (cap == want)
				break;
			size_t ncap = cap * 2 > want ? want : cap * 2;
			uint8_t *nbuf = realloc(buf, ncap + 1);
			if (nbuf == NULL) {
				free(buf);
				tool_err("out of memory reading %s", shown_name(path));
				goto fail_fd;
			}
			buf = nbuf;
			cap = ncap;
		}
		ssize_t n = read_full(fd, buf + got, cap - got);
		if (n < 0) {
			tool_err("cannot read %s: %s", shown_name(path), strerror(errno));
			free(buf);
			goto fail_fd;
		}
		got += (size_t)n;
		if (got < cap)
			break; /* end of file */
	}
	buf[got] = 0;
	if (fd != STDIN_FILENO)
		close(fd);
	*out = buf;
	*len = got;
	return 0;

fail_fd:
	if (fd != STDIN_FILENO)
		close(fd);
	return -1;
}

void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n-- > 0)
		*v++ = 0;
}

int read_small(const char *path, uint8_t *buf, size_t cap, size_t *len, unsigned *mode)
{
	int fd = is_dash(path) ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		tool_err("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = -1;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		tool_err("cannot read %s: %s", shown_name(path), strerror(errno));
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		tool_err("%s is a directory, not a file", path);
		goto done;
	}
	*mode = (unsigned)(st.st_mode & 07777);
	ssize_t n = read_full(fd, buf, cap - 1);
	if (n < 0) {
		tool_err("cannot read %s: %s", shown_name(path), strerror(errno));
		goto done;
	}
	if ((size_t)n == cap - 1) {
		tool_err("%s: too large to be a key file", shown_name(path));
		goto done;
	}
	buf[n] = 0;
	*len = (size_t)n;
	rc = 0;
done:
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

void secret_mode_error(const char *path, unsigned mode)
{
	tool_err("%s: secret key file can be accessed by group or others (mode %04o); "
	         "only its owner may read it: run 'chmod 600 %s' (and treat the key as "
	         "exposed if others could read it)",
	         shown_name(path), mode, path);
}

int load_secret_key(const char *path, uint8_t seed[VETO_SEEDBYTES],
                    uint8_t pk[VETO_PUBLICKEYBYTES])
{
	/* A fixed buffer, never a growing one: realloc would leave copies of
	 * the secret behind in freed memory. */
	uint8_t buf[TOOL_MAX_KEY_FILE];
	size_t len;
	unsigned mode;
	int rc = -1;
	if (read_small(path, buf, sizeof buf, &len, &mode) != 0)
		goto done;
	if ((mode & 077) != 0) {
		secret_mode_error(path, mode);
		goto done;
	}
	veto_diag d = {{0}};
	veto_status s = veto_seckey_parse(seed, pk, &d, buf, len);
	if (s != VETO_OK) {
		tool_err("%s: not a veto secret key file: %s", shown_name(path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
		wipe(seed, VETO_SEEDBYTES);
		goto done;
	}
	rc = 0;
done:
	wipe(buf, sizeof buf);
	return rc;
}

int load_public_key(const char *path, uint8_t pk[VETO_PUBLICKEYBYTES])
{
	uint8_t *buf;
	size_t len;
	if (read_input(path, TOOL_MAX_KEY_FILE, &buf, &len) != 0)
		return -1;
	int rc = -1;
	if (len > TOOL_MAX_KEY_FILE) {
		tool_err("%s: too large to be a veto public key file", shown_name(path));
		goto done;
	}
	veto_diag d = {{0}};
	veto_status s = veto_pubkey_parse(pk, &d, buf, len);
	if (s != VETO_OK) {
		const char *hint = strstr((const char *)buf, "ed25519-seed") != NULL
		                       ? " (this looks like a secret key: give its .pub file)"
		                       : "";
		tool_err("%s: not a veto public key file: %s%s", shown_name(path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s), hint);
		goto done;
	}
	rc = 0;
done:
	free(buf);
	return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The temporary file lives in the target's directory, so that rename(2)
 * replaces the target in one step and a crash leaves the old file or the
 * new one. */
static int replace_file(const char *path, const void *data, size_t len, long keep_mode)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash != NULL ? slash + 1 : path;
	if (*base == '\0') {
		tool_err("%s: names a directory, not a file", path);
		return -1;
	}
	char dir[4096];
	if (slash == NULL) {
		strcpy(dir, ".");
	} else if (slash == path) {
		strcpy(dir, "/");
	} else {
		size_t dl = (size_t)(slash - path);
		if (dl >= sizeof dir) {
			tool_err("%s: path too long", path);
			return -1;
		}
		memcpy(dir, path, dl);
		dir[dl] = '\0';
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		tool_err("cannot open directory %s to write %s: %s", dir, path, strerror(errno));
		return -1;
	}

	char tmp[300];
	int fd = -1;
	for (unsigned attempt = 0; attempt < 100 && fd < 0; attempt++) {
		int w = snprintf(tmp, sizeof tmp, ".%.200s.veto-%ld-%u", base, (long)getpid(), attempt);
		if (w < 0 || (size_t)w >= sizeof tmp) {
			tool_err("%s: file name too long", path);
			close(dfd);
			return -1;
		}
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		            keep_mode >= 0 ? 0600 : 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		tool_err("cannot create a temporary file in %s to write %s: %s", dir, path,
		         strerror(errno));
		close(dfd);
		return -1;
	}

	const char *step = "write";
	if (keep_mode >= 0 && fchmod(fd, (mode_t)keep_mode) != 0)
		goto fail;
	if (write_all(fd, data, len) != 0)
		goto fail;
	step = "sync";
	if (fsync(fd) != 0)
		goto fail;
	step = "close";
	int cfd = fd;
	fd = -1;
	if (close(cfd) != 0)
		goto fail;
	step = "rename";
	if (renameat(dfd, tmp, dfd, base) != 0)
		goto fail;
	/* The rename is durable only once the directory is. */
	if (fsync(dfd) != 0) {
		tool_err("wrote %s, but syncing directory %s failed: %s", path, dir, strerror(errno));
		close(dfd);
		return -1;
	}
	close(dfd);
	return 0;

fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	(void)unlinkat(dfd, tmp, 0); /* best effort on a path that already fails */
	close(dfd);
	tool_err("cannot %s %s: %s (left unchanged)", step, path, strerror(e));
	return -1;
}

int write_output(const char *path, const void *data, size_t len, long keep_mode_of)
{
	if (path == NULL || is_dash(path)) {
		if (len > 0 && fwrite(data, 1, len, stdout) != len) {
			tool_err("cannot write to standard output: %s", strerror(errno));
			return -1;
		}
		return finish_stdout();
	}
	return replace_file(path, data, len, keep_mode_of);
}

int parse_now(const char *text, int64_t *out)
{
	if (veto_time_parse(out, text, strlen(text)) != VETO_OK) {
		tool_usage("--now '%s' is not a time of the form YYYY-MM-DDTHH:MM:SSZ (UTC)", text);
		return -1;
	}
	return 0;
}

int parse_counter(const char *text, uint64_t *out)
{
	const uint64_t max = (UINT64_C(1) << 53) - 1;
	uint64_t v = 0;
	if (text[0] == '\0' || (text[0] == '0' && text[1] != '\0'))
		return -1;
	for (const char *p = text; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

/* Length of the UTF-8 sequence at s (1..4) and its code point, or 0 when
 * the bytes are not well-formed UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0Fu;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07u;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		unsigned char b = s[i];
		if (b < lo || b > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
		v = (v << 6) | (b & 0x3Fu);
	}
	*cp = v;
	return n;
}

void put_safe(FILE *f, const char *s, size_t len, int keep_lines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			fprintf(f, "\\x%02x", p[i]);
			i++;
			continue;
		}
		int bad = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
		          (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
		if (keep_lines && (cp == '\n' || cp == '\t'))
			bad = 0;
		if (!bad)
			fwrite(p + i, 1, n, f);
		else if (cp < 0x80)
			fprintf(f, "\\x%02x", (unsigned)cp);
		else
			fprintf(f, "\\u%04x", (unsigned)cp);
		i += n;
	}
}

void put_safe_str(FILE *f, const char *s)
{
	put_safe(f, s, strlen(s), 0);
}

int finish_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		tool_err("cannot write to standard output: %s", strerror(errno));
		return -1;
	}
	return 0;
}
