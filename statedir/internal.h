/* SPDX-License-Identifier: Apache-2.0 */
/* What the companion's two files share and nobody else sees (hidden in the
 * shared object, veto__-prefixed in the archive). */
#ifndef VETO_SD_INTERNAL_H
#define VETO_SD_INTERNAL_H

#include "veto_statedir.h"

/* veto_sd_replace_at with a hook called just before the write, the file
 * sync, the rename and the directory sync (NULL: none); veto_sd_write's
 * crash-test hook kills the process there. */
enum veto_sd_status veto__sd_replace_steps(int dirfd, int fd, const char *tmp,
                                           const char *target, long mode, const void *data,
                                           size_t len, void (*before_step)(void),
                                           const char **failed_step);

#endif
