/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fileio.h - the tool's one file-I/O module: read a whole file with a
 * bound, write all of a buffer, and replace a file atomically (temporary
 * file, fsync, rename, fsync of the directory).  It prints nothing: the
 * callers (tool/files.c for the command, tool/statedir.c for the state
 * directory, which examples/hub.c also links) word their own messages from
 * errno and the failed step.
 */
#ifndef VETO_TOOL_FILEIO_H
#define VETO_TOOL_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum fio_result {
	FIO_OK = 0,
	FIO_NOMEM, /* the allocator failed */
	FIO_IO     /* read(2) failed: see errno */
} fio_result;

/*
 * Reads fd to its end, or until limit + 1 bytes, into a malloc'd buffer
 * (NUL-terminated, *len bytes without the NUL): *len > limit means the
 * input is over the limit.  size_hint (the size fstat saw, 0: unknown)
 * sizes the first buffer.
 */
fio_result fio_read_all(int fd, size_t limit, uint64_t size_hint, uint8_t **out, size_t *len);

/* write(2) until every byte is written.  false with errno set. */
bool fio_write_all(int fd, const void *data, size_t len);

/*
 * Finishes an atomic replace: gives fd (a new temporary file named tmp in
 * directory dirfd) the permission bits mode unless mode < 0, writes data
 * to it, fsyncs and closes it, renames tmp to
 * target and fsyncs the directory.  before_step (may be NULL) is called
 * just before the write, the file sync, the rename and the directory sync
 * (the state directory's crash test kills the process there).  On failure
 * *failed_step names the step ("write", "sync", "close", "rename" or
 * "sync-dir"), errno is set, fd is closed and, unless the rename was done,
 * tmp is removed.  fd is closed in every case.
 */
bool fio_replace_finish(int dirfd, int fd, const char *tmp, const char *target, long mode,
                        const void *data, size_t len, void (*before_step)(void),
                        const char **failed_step);

#endif
