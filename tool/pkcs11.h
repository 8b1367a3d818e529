/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pkcs11.h - (1.1) signing with an Ed25519 key on a PKCS#11 token (SPEC
 * section 2), through p11-kit: its module loading and its RFC 7512 URI
 * parser.  Optional at build time (meson option `pkcs11`); without it,
 * token_sign says that the tool was built without PKCS#11.
 */
#ifndef VETO_TOOL_PKCS11_H
#define VETO_TOOL_PKCS11_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <veto.h>

#include "util.h"

/* Whether key names a token key ("pkcs11:..."), not a key file. */
bool token_is_uri(const char *key);
/* Signs msg with pure Ed25519 (CKM_EDDSA, no parameter) by the one Ed25519
 * private key that uri matches, and gives the token's public key (the
 * public-key object with the private key's CKA_ID).  None or several
 * matching keys, a PIN that does not log in, or a signature that is not 64
 * bytes: a message and EXIT_TROUBLE.  The caller verifies sig under pk
 * before using it. */
tool_exit token_sign(const char *uri, const uint8_t *msg, size_t len,
                     uint8_t pk[VETO_PUBLICKEYBYTES], uint8_t sig[64]);

#endif
