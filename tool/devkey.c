/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE /* O_TMPFILE */
#include "devkey.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <veto_statedir.h>

#include "files.h"
#include "stage.h"

static const char *file_kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	return "something else";
}

static void not_regular(const char *dir, const char *name, mode_t m)
{
	tool_err("%s/%s is %s, not a regular file: veto never follows or opens one in a state "
	         "directory; put the file itself there, or remove it",
	         dir, name, file_kind(m));
}

/* Whether dfd's entry name is absent (*present false) or a regular file. */
static tool_exit look_at(int dfd, const char *dir, const char *name, bool *present)
{
	struct stat st;
	*present = false;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return EXIT_ACCEPT;
		tool_err("cannot look at %s/%s: %s", dir, name, strerror(errno));
		return EXIT_TROUBLE;
	}
	if (!S_ISREG(st.st_mode)) {
		not_regular(dir, name, st.st_mode);
		return EXIT_TROUBLE;
	}
	*present = true;
	return EXIT_ACCEPT;
}

tool_exit devkey_look(const char *dir, bool *has_key)
{
	*has_key = false;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return EXIT_ACCEPT;
	bool has_pub;
	tool_exit rc = look_at(dfd, dir, DEVKEY_SECRET, has_key);
	if (rc == EXIT_ACCEPT)
		rc = look_at(dfd, dir, DEVKEY_PUBLIC, &has_pub);
	close(dfd);
	return rc;
}

/* The key file open as fd: plain (never encrypted), then parsed. */
static tool_exit read_device_key(int fd, const char *path, uint8_t seed[VETO_SEEDBYTES],
                                 uint8_t pk[VETO_PUBLICKEYBYTES])
{
	uint8_t buf[TOOL_MAX_KEY_FILE]; /* holds the seed's text: wiped below */
	size_t len = 0;
	tool_exit rc = read_small_fd(fd, path, buf, sizeof buf, &len);
	if (rc == EXIT_ACCEPT && veto_seckey_is_encrypted(buf, len)) {
		tool_err("%s is encrypted, and a device key never is (the device signs its "
		         "receipts unattended): sign with --receipt-key K.key instead",
		         path);
		rc = EXIT_TROUBLE;
	} else if (rc == EXIT_ACCEPT) {
		rc = parse_secret_key(path, buf, len, seed, pk);
	}
	wipe(buf, sizeof buf);
	return rc;
}

tool_exit devkey_load(const char *dir, uint8_t seed[VETO_SEEDBYTES],
                      uint8_t pk[VETO_PUBLICKEYBYTES])
{
	char path[VETO_SD_PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/" DEVKEY_SECRET, dir);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = dfd < 0 ? -1
	                 : openat(dfd, DEVKEY_SECRET, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int e = errno;
	if (dfd >= 0)
		close(dfd);
	struct stat st;
	tool_exit rc = EXIT_TROUBLE;
	if (fd < 0 && e == ELOOP)
		not_regular(dir, DEVKEY_SECRET, S_IFLNK);
	else if (fd < 0)
		tool_err("cannot open %s: %s", path, strerror(e));
	else if (fstat(fd, &st) != 0)
		tool_err("cannot read %s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		not_regular(dir, DEVKEY_SECRET, st.st_mode);
	else if ((st.st_mode & 077) != 0)
		secret_mode_error(path, (unsigned)(st.st_mode & 07777));
	else
		rc = read_device_key(fd, path, seed, pk);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Creates dir's entry name holding data, atomically and never over an
 * existing file: an unnamed file (O_TMPFILE; a named one created
 * exclusively where the file system has none), written, synced, then
 * linked to name. */
static tool_exit create_at(int dfd, const char *dir, const char *name, const void *data,
                           size_t len, mode_t mode)
{
	char tmp[64] = "";
	int fd = openat(dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		snprintf(tmp, sizeof tmp, ".%s.veto-%ld", name, (long)getpid());
		(void)unlinkat(dfd, tmp, 0); /* our own name, in a directory only we write */
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	}
	bool ok = fd >= 0 && veto_sd_write_fd(fd, data, len) == VETO_SD_OK && fsync(fd) == 0;
	if (ok)
		ok = tmp[0] != '\0' ? linkat(dfd, tmp, dfd, name, 0) == 0 : link_fd_at(fd, dfd, name);
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0')
		(void)unlinkat(dfd, tmp, 0);
	if (ok)
		return EXIT_ACCEPT;
	if (e == EEXIST)
		tool_err("%s/%s already exists; veto never overwrites a key file", dir, name);
	else
		tool_err("cannot write %s/%s: %s", dir, name, strerror(e));
	return EXIT_TROUBLE;
}

/* Both files in the open directory dfd, or neither. */
static tool_exit write_pair(int dfd, const char *dir, const char *sec, size_t sec_len,
                            const char *pub, size_t pub_len)
{
	if (create_at(dfd, dir, DEVKEY_SECRET, sec, sec_len, 0600) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	if (create_at(dfd, dir, DEVKEY_PUBLIC, pub, pub_len, 0644) != EXIT_ACCEPT) {
		(void)unlinkat(dfd, DEVKEY_SECRET, 0); /* no half pair left behind */
		return EXIT_TROUBLE;
	}
	if (fsync(dfd) != 0) {
		tool_err("wrote %s/" DEVKEY_SECRET " and " DEVKEY_PUBLIC ", but syncing %s failed: %s",
		         dir, dir, strerror(errno));
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

tool_exit devkey_write(const char *dir, const uint8_t seed[VETO_SEEDBYTES],
                       const uint8_t pk[VETO_PUBLICKEYBYTES])
{
	char *sec = NULL, *pub = NULL;
	size_t sec_len = 0, pub_len = 0;
	tool_exit rc = EXIT_TROUBLE;
	veto_status s = veto_seckey_format(&sec, &sec_len, NULL, seed);
	if (s == VETO_OK)
		s = veto_pubkey_format(&pub, &pub_len, NULL, pk);
	int dfd = s == VETO_OK ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (s != VETO_OK)
		(void)tool_fail("write the device key", s);
	else if (dfd < 0)
		tool_err("cannot open state directory %s: %s", dir, strerror(errno));
	else
		rc = write_pair(dfd, dir, sec, sec_len, pub, pub_len);
	if (dfd >= 0)
		close(dfd);
	if (sec != NULL)
		veto_free_secret(NULL, sec, sec_len);
	veto_free(NULL, pub);
	return rc;
}
