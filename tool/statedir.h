/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VETO_STATEDIR_H
#define VETO_STATEDIR_H
#include <stddef.h>
#include <stdint.h>
/* SD_CORRUPT: state.json is there but cannot be a state (not a regular
 * file: a symbolic link, a directory, a FIFO, a device; or over 4 MiB),
 * which SPEC section 7 calls corrupt, not unreadable.  err says which. */
enum { SD_OK = 0, SD_MISSING = 1, SD_CORRUPT = 2, SD_ERROR = -1 };
typedef struct sd_dir { int dirfd; int lockfd; char path[4096]; } sd_dir;
/* mkdir DIR 0700 (or accept an existing empty-of-state dir that group/others cannot write). SD_ERROR if DIR already holds state.json. */
int sd_create(const char *dir, char *err, size_t errlen);
/* Opens DIR, refuses it when group or others can write it, and takes an exclusive flock on DIR/.lock held until sd_close. */
int sd_open(sd_dir *d, const char *dir, char *err, size_t errlen);
/* Reads DIR/state.json into a malloc'd buffer (caller frees). SD_MISSING when absent, SD_CORRUPT (see above). Caps size at 4 MiB.
 * Never blocks on and never follows what it finds: O_NOFOLLOW | O_NONBLOCK, fstat before reading. */
int sd_read(sd_dir *d, uint8_t **data, size_t *len, char *err, size_t errlen);
/* Atomic replace of DIR/state.json: temp file, write, fsync, rename, fsync DIR. */
int sd_write(sd_dir *d, const void *data, size_t len, char *err, size_t errlen);
void sd_close(sd_dir *d);
#endif
