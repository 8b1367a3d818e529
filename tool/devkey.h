/* SPDX-License-Identifier: Apache-2.0 */
/*
 * devkey.h - (1.1) the device key that signs receipts (SPEC sections 7 and
 * 10), kept in the state directory as DIR/device.key (0600, never
 * encrypted: the device signs unattended) and DIR/device.pub.
 *
 * Never block, never follow (SPEC 7): the two files are judged by lstat
 * (fstatat with AT_SYMLINK_NOFOLLOW) before anything else, opened with
 * O_NOFOLLOW | O_NONBLOCK, and judged again by fstat; anything but a
 * regular file is exit 2, naming it.  They are created atomically (an
 * unnamed file, written and synced, then linked to its name, which never
 * replaces an existing file) so that a crash leaves the whole file or none.
 */
#ifndef VETO_TOOL_DEVKEY_H
#define VETO_TOOL_DEVKEY_H

#include <stdbool.h>
#include <stdint.h>

#include <veto.h>

#include "util.h"

#define DEVKEY_SECRET "device.key"
#define DEVKEY_PUBLIC "device.pub"

/* Checks DIR/device.key and DIR/device.pub without opening them: each,
 * when present, must be a regular file.  *has_key: device.key is there.
 * A DIR that cannot be opened counts as holding neither (the state steps
 * name it).  EXIT_TROUBLE after a message naming the file. */
tool_exit devkey_look(const char *dir, bool *has_key);

/* Reads DIR/device.key: a regular file only its owner can access, never
 * encrypted.  The caller wipes seed. */
tool_exit devkey_load(const char *dir, uint8_t seed[VETO_SEEDBYTES],
                      uint8_t pk[VETO_PUBLICKEYBYTES]);

/* Writes DIR/device.key (0600) and DIR/device.pub for the pair (seed, pk),
 * neither over an existing file; when the second cannot be written the
 * first is removed again. */
tool_exit devkey_write(const char *dir, const uint8_t seed[VETO_SEEDBYTES],
                       const uint8_t pk[VETO_PUBLICKEYBYTES]);

#endif
