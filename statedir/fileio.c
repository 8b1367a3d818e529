/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The file primitives of veto_statedir.h: a bounded read, a whole write and
 * the end of an atomic replace.  They print nothing; callers word their
 * messages from errno and the failed step.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIO_FIRST_CHUNK 4096U

/* read(2) until count bytes or end of file: bytes read, or -1. */
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

enum veto_sd_status veto_sd_read_fd(int fd, size_t limit, uint64_t size_hint, uint8_t **out,
                                    size_t *len)
{
	size_t want = limit + 1;
	size_t cap = FIO_FIRST_CHUNK;
	if (size_hint > 0 && size_hint < want)
		cap = (size_t)size_hint + 1;
	if (cap > want)
		cap = want;
	uint8_t *buf = malloc(cap + 1);
	if (buf == NULL) {
		errno = ENOMEM;
		return VETO_SD_ERROR;
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
				errno = ENOMEM;
				return VETO_SD_ERROR;
			}
			buf = nbuf;
			cap = ncap;
		}
		ssize_t n = read_full(fd, buf + got, cap - got);
		if (n < 0) {
			int e = errno;
			free(buf);
			errno = e;
			return VETO_SD_ERROR;
		}
		got += (size_t)n;
		if (got < cap)
			break; /* end of file */
	}
	buf[got] = 0;
	*out = buf;
	*len = got;
	return VETO_SD_OK;
}

enum veto_sd_status veto_sd_write_fd(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return VETO_SD_ERROR;
		}
		p += n;
		len -= (size_t)n;
	}
	return VETO_SD_OK;
}

static void step(void (*before_step)(void))
{
	if (before_step != NULL)
		before_step();
}

enum veto_sd_status veto__sd_replace_steps(int dirfd, int fd, const char *tmp,
                                           const char *target, long mode, const void *data,
                                           size_t len, void (*before_step)(void),
                                           const char **failed_step)
{
	*failed_step = "write";
	step(before_step);
	if (mode >= 0 && fchmod(fd, (mode_t)mode) != 0)
		goto fail;
	if (veto_sd_write_fd(fd, data, len) != VETO_SD_OK)
		goto fail;
	*failed_step = "sync";
	step(before_step);
	if (fsync(fd) != 0)
		goto fail;
	*failed_step = "close";
	int cfd = fd;
	fd = -1;
	if (close(cfd) != 0)
		goto fail;
	*failed_step = "rename";
	step(before_step);
	if (renameat(dirfd, tmp, dirfd, target) != 0)
		goto fail;
	/* The rename is durable only once the directory is. */
	*failed_step = "sync-dir";
	step(before_step);
	return fsync(dirfd) == 0 ? VETO_SD_OK : VETO_SD_ERROR;

fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	(void)unlinkat(dirfd, tmp, 0); /* best effort on a path that already fails */
	errno = e;
	return VETO_SD_ERROR;
}

enum veto_sd_status veto_sd_replace_at(int dirfd, int fd, const char *tmp, const char *target,
                                       long mode, const void *data, size_t len,
                                       const char **failed_step)
{
	return veto__sd_replace_steps(dirfd, fd, tmp, target, mode, data, len, NULL,
	                              failed_step);
}
