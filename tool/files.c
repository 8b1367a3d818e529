/* SPDX-License-Identifier: Apache-2.0 */
#include "files.h"
#include "import.h"
#include "passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <veto_statedir.h>

/* Opens path ("-": stdin) for reading, never blocking in open(2): a FIFO
 * named on the command line is opened with O_NONBLOCK (a FIFO that no
 * writer holds open then reads as empty, at once, instead of waiting for
 * one), judged by fstat, and only then put back to blocking reads.  A
 * directory is refused; a regular file, a pipe, a FIFO or a device is
 * read, always with a bound (the caller's).  The path is the user's own,
 * so a symbolic link is followed.  The descriptor, or -1 after a message
 * naming the file and `what` it was ("image", or "" for a document). */
int open_named_input(const char *path, const char *what, struct stat *st)
{
	const char *sp = *what != '\0' ? " " : "";
	int fd = is_dash(path) ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		tool_err("cannot open %s%s%s: %s", what, sp, path, strerror(errno));
		return -1;
	}
	int fl = fd == STDIN_FILENO ? 0 : fcntl(fd, F_GETFL);
	if (fstat(fd, st) != 0)
		tool_err("cannot read %s%s%s: %s", what, sp, shown_name(path), strerror(errno));
	else if (S_ISDIR(st->st_mode))
		tool_err("%s%s%s is a directory, not a file", what, sp, path);
	else if (fl < 0 || (fd != STDIN_FILENO && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0))
		tool_err("cannot read %s%s%s: %s", what, sp, shown_name(path), strerror(errno));
	else
		return fd;
	if (fd != STDIN_FILENO)
		close(fd);
	return -1;
}

static void close_input(int fd)
{
	if (fd != STDIN_FILENO)
		close(fd);
}

tool_exit read_input(const char *path, size_t limit, uint8_t **out, size_t *len)
{
	struct stat st;
	int fd = open_named_input(path, "", &st);
	if (fd < 0)
		return EXIT_TROUBLE;
	uint64_t hint = S_ISREG(st.st_mode) && st.st_size > 0 ? (uint64_t)st.st_size : 0;
	enum veto_sd_status r = veto_sd_read_fd(fd, limit, hint, out, len);
	int e = errno;
	close_input(fd);
	if (r != VETO_SD_OK && e == ENOMEM)
		tool_err("out of memory reading %s", shown_name(path));
	else if (r != VETO_SD_OK)
		tool_err("cannot read %s: %s", shown_name(path), strerror(e));
	return r == VETO_SD_OK ? EXIT_ACCEPT : EXIT_TROUBLE;
}

tool_exit read_bounded(const char *path, size_t limit, const char *too_large, uint8_t **buf,
                       size_t *len)
{
	if (read_input(path, limit, buf, len) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	if (*len > limit) {
		tool_err("%s: %s", shown_name(path), too_large);
		free(*buf);
		*buf = NULL;
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

tool_exit read_document(const char *path, const char *what_suffix, uint8_t **buf, size_t *len)
{
	char too_large[160];
	snprintf(too_large, sizeof too_large, "larger than %u bytes%s",
	         (unsigned)TOOL_MAX_DOCUMENT, what_suffix);
	return read_bounded(path, TOOL_MAX_DOCUMENT, too_large, buf, len);
}

tool_exit read_small_fd(int fd, const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	/* Not veto_sd_read_fd: a key file is read into the caller's fixed
	 * buffer, never a growing one that would leave copies behind. */
	size_t got = 0;
	while (got < cap - 1) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tool_err("cannot read %s: %s", shown_name(path), strerror(errno));
			return EXIT_TROUBLE;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got == cap - 1) {
		tool_err("%s: too large to be a key file", shown_name(path));
		return EXIT_TROUBLE;
	}
	buf[got] = 0;
	*len = got;
	return EXIT_ACCEPT;
}

tool_exit read_small(const char *path, uint8_t *buf, size_t cap, size_t *len, unsigned *mode)
{
	struct stat st;
	int fd = open_named_input(path, "", &st);
	if (fd < 0)
		return EXIT_TROUBLE;
	*mode = (unsigned)(st.st_mode & 07777);
	tool_exit rc = read_small_fd(fd, path, buf, cap, len);
	close_input(fd);
	return rc;
}

void secret_mode_error(const char *path, unsigned mode)
{
	tool_err("%s: secret key file can be accessed by group or others (mode %04o); "
	         "only its owner may read it: run 'chmod 600 %s' (and treat the key as "
	         "exposed if others could read it)",
	         shown_name(path), mode, path);
}

tool_exit parse_secret_key(const char *path, const uint8_t *buf, size_t len,
                           uint8_t seed[VETO_SEEDBYTES], uint8_t pk[VETO_PUBLICKEYBYTES])
{
	veto_diag d = {{0}};
	veto_status s = veto_seckey_parse(seed, pk, &d, buf, len);
	if (s != VETO_OK) {
		tool_err("%s: not a veto secret key file: %s", shown_name(path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
		wipe(seed, VETO_SEEDBYTES);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

tool_exit load_secret_key(const char *path, uint8_t seed[VETO_SEEDBYTES],
                          uint8_t pk[VETO_PUBLICKEYBYTES])
{
	/* (1.1) an encrypted key asks its passphrase on the terminal */
	return load_secret_key_with(path, NULL, seed, pk);
}

tool_exit load_public_key(const char *path, uint8_t pk[VETO_PUBLICKEYBYTES])
{
	uint8_t *buf;
	size_t len;
	if (read_bounded(path, TOOL_MAX_KEY_FILE, "too large to be a veto public key file", &buf,
	                 &len) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	veto_diag d = {{0}};
	veto_status s = veto_pubkey_parse(pk, &d, buf, len);
	if (s != VETO_OK) {
		const char *hint = strstr((const char *)buf, "ed25519-seed") != NULL
		                       ? " (this looks like a secret key: give its .pub file)"
		                       : "";
		tool_err("%s: not a veto public key file: %s%s", shown_name(path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s), hint);
	}
	free(buf);
	return s == VETO_OK ? EXIT_ACCEPT : EXIT_TROUBLE;
}

/* The directory part of path ("." or "/" when it has none), or false when
 * it does not fit. */
static bool dir_of(char *dir, size_t cap, const char *path, const char *slash)
{
	if (slash == NULL) {
		snprintf(dir, cap, ".");
	} else if (slash == path) {
		snprintf(dir, cap, "/");
	} else {
		size_t dl = (size_t)(slash - path);
		if (dl >= cap)
			return false;
		memcpy(dir, path, dl);
		dir[dl] = '\0';
	}
	return true;
}

/* A new temporary file in dfd, named after base: its descriptor, -1 (see
 * errno), or -2 when the name does not fit in tmp. */
static int create_temp(int dfd, const char *base, char *tmp, size_t cap, long keep_mode)
{
	int fd = -1;
	for (unsigned attempt = 0; attempt < 100 && fd < 0; attempt++) {
		int w = snprintf(tmp, cap, ".%.200s.veto-%ld-%u", base, (long)getpid(), attempt);
		if (w < 0 || (size_t)w >= cap)
			return -2;
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		            keep_mode >= 0 ? 0600 : 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	return fd;
}

/* The temporary file lives in the target's directory, so that rename(2)
 * replaces the target in one step and a crash leaves the old file or the
 * new one. */
static tool_exit replace_file(const char *path, const void *data, size_t len, long keep_mode)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash != NULL ? slash + 1 : path;
	if (*base == '\0') {
		tool_err("%s: names a directory, not a file", path);
		return EXIT_TROUBLE;
	}
	char dir[4096];
	if (!dir_of(dir, sizeof dir, path, slash)) {
		tool_err("%s: path too long", path);
		return EXIT_TROUBLE;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		tool_err("cannot open directory %s to write %s: %s", dir, path, strerror(errno));
		return EXIT_TROUBLE;
	}
	char tmp[300];
	int fd = create_temp(dfd, base, tmp, sizeof tmp, keep_mode);
	if (fd == -2) {
		tool_err("%s: file name too long", path);
	} else if (fd < 0) {
		tool_err("cannot create a temporary file in %s to write %s: %s", dir, path,
		         strerror(errno));
	} else {
		const char *step = "";
		bool done = veto_sd_replace_at(dfd, fd, tmp, base, keep_mode, data, len, &step) ==
		            VETO_SD_OK;
		if (!done && strcmp(step, "sync-dir") == 0)
			tool_err("wrote %s, but syncing directory %s failed: %s", path, dir,
			         strerror(errno));
		else if (!done)
			tool_err("cannot %s %s: %s (left unchanged)", step, path, strerror(errno));
		close(dfd);
		return done ? EXIT_ACCEPT : EXIT_TROUBLE;
	}
	close(dfd);
	return EXIT_TROUBLE;
}

tool_exit write_output(const char *path, const void *data, size_t len, long keep_mode)
{
	if (path == NULL || is_dash(path)) {
		if (len > 0 && fwrite(data, 1, len, stdout) != len) {
			tool_err("cannot write to standard output: %s", strerror(errno));
			return EXIT_TROUBLE;
		}
		return finish_stdout();
	}
	return replace_file(path, data, len, keep_mode);
}

tool_exit create_new(const char *path, unsigned mode, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, (mode_t)mode);
	if (fd < 0) {
		if (errno == EEXIST)
			tool_err("%s already exists; veto never overwrites a key file: choose "
			         "another name or move it away first",
			         path);
		else
			tool_err("cannot create %s: %s", path, strerror(errno));
		return EXIT_TROUBLE;
	}
	bool written = veto_sd_write_fd(fd, data, len) == VETO_SD_OK && fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0 && written) {
		written = false;
		e = errno;
	}
	if (!written) {
		tool_err("cannot write %s: %s", path, strerror(e));
		(void)unlink(path);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

tool_exit read_any_public_key(const char *path, uint8_t pk[VETO_PUBLICKEYBYTES])
{
	uint8_t *text;
	size_t len;
	if (read_bounded(path, TOOL_MAX_SMALL_FILE, "too large to be a public key file", &text,
	                 &len) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	veto_diag d = {{0}};
	veto_status s = veto_pubkey_parse(pk, &d, text, len);
	char err[256] = "";
	const char *format = "";
	if (s != VETO_OK && text[0] != '{')
		s = import_public_key(pk, &format, err, sizeof err, text, len);
	bool secretish = strstr((const char *)text, "ed25519-seed") != NULL;
	free(text);
	if (s == VETO_OK)
		return EXIT_ACCEPT;
	if (secretish)
		tool_err("%s: this is a secret key file: give its public key (.pub) file",
		         shown_name(path));
	else
		tool_err("%s: not a public key file veto reads: %s", shown_name(path),
		         err[0] != '\0'          ? err
		         : d.detail[0] != '\0' ? d.detail
		                               : veto_strerror(s));
	return EXIT_TROUBLE;
}
