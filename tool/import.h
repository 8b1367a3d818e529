/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VETO_TOOL_IMPORT_H
#define VETO_TOOL_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <veto.h>

/*
 * Reads an Ed25519 public key written by another tool:
 *   minisign or signify:  "untrusted comment: ..." then the base64 of
 *                         "Ed" || 8-byte key number || 32-byte key
 *                         (or that base64 line alone);
 *   OpenSSH:              "ssh-ed25519 <base64 of the wire form> [comment]".
 * The key must pass veto_key_check.  VETO_OK with pk and *format (a name
 * for people: "minisign/signify", "OpenSSH"); VETO_E_MALFORMED (not such a
 * key text) or VETO_E_KEY (not a usable key) with what is wrong in err.
 */
veto_status import_public_key(uint8_t pk[VETO_PUBLICKEYBYTES], const char **format, char *err,
                      size_t errlen, const uint8_t *text, size_t len);

#endif
