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

/*
 * (1.1) Also read by import_public_key:
 *   PEM:  one "-----BEGIN PUBLIC KEY-----" block (RFC 7468, strict: base64
 *         lines of 64 characters, only blank lines around it) whose DER is
 *         RFC 8410's Ed25519 SubjectPublicKeyInfo exactly;
 *   OpenSSH lines with authorized_keys options (sshd's grammar; the key
 *         type is the first field after them, never text inside a quoted
 *         value) or in allowed_signers form (principals first); CRLF line
 *         ends; '#' and blank lines around the one key.
 * Every refusal names what the text is (another key type, a certificate,
 * an sk- key, a cert-authority or @revoked line, a secret key, several
 * keys).
 */

/* Standard base64 as the three tools write it: padding absent or complete,
 * unused bits zero.  B64_TOO_LONG when it decodes to more than cap bytes
 * (*got then holds how many). */
typedef enum b64_result { B64_OK, B64_BAD, B64_TOO_LONG } b64_result;
b64_result import_b64_decode(uint8_t *out, size_t cap, size_t *got, const char *s, size_t n);

/*
 * (1.1) A detached Ed25519 signature for veto attach: 64 raw bytes, one line
 * of base64 of them, a signify signature file, or a minisign signature
 * file of algorithm 'Ed' (minisign -S -l).  A prehashed minisign signature
 * ('ED') and an OpenSSH SSHSIG are refused, saying why and what makes a
 * usable one.  VETO_OK with *format a name for people, or VETO_E_MALFORMED
 * with err.
 */
veto_status import_signature(uint8_t sig[64], const char **format, char *err, size_t errlen,
                             const uint8_t *text, size_t len);

#endif
