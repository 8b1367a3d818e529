/* SPDX-License-Identifier: Apache-2.0 */
/*
 * passphrase.h - passphrases for encrypted secret key files (SPEC 1.1,
 * sections 2 and 9.1): from a --passphrase-file (its first line, without
 * "\n" or "\r\n") or asked on the terminal without echo, and the secret
 * key loader that opens an encrypted key with one.  Every buffer holding a
 * passphrase or a seed is wiped after use.
 */
#ifndef VETO_TOOL_PASSPHRASE_H
#define VETO_TOOL_PASSPHRASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <veto.h>

#include "util.h"

#define PASS_MAX 1024U

typedef struct passphrase {
	uint8_t b[PASS_MAX + 1];
	size_t len;
} passphrase;

/* Wipes p. */
void pass_wipe(passphrase *p);
/* Whether the tool may ask on a terminal: standard input is one and
 * /dev/tty opens. */
bool pass_have_terminal(void);
/* The first line of path; an empty one is an error unless allow_empty. */
tool_exit pass_from_file(passphrase *p, const char *path, bool allow_empty);
/* Asks once on the terminal (no echo); an empty answer is allowed. */
tool_exit pass_prompt(passphrase *p, const char *prompt);
/* Asks twice for a new passphrase, until both answers agree (at most three
 * tries); an empty answer is allowed (the caller warns). */
tool_exit pass_prompt_new(passphrase *p, const char *what);

/* Reads the secret key file path (refused when group or others can access
 * it), opening an encrypted one with the first line of pass_file, else
 * with a passphrase asked on the terminal (no terminal: exit 2).  The
 * caller wipes seed. */
tool_exit load_secret_key_with(const char *path, const char *pass_file,
                               uint8_t seed[VETO_SEEDBYTES], uint8_t pk[VETO_PUBLICKEYBYTES]);
/* The same, saying whether the file was encrypted. */
tool_exit load_secret_key_ex(const char *path, const char *pass_file,
                             uint8_t seed[VETO_SEEDBYTES], uint8_t pk[VETO_PUBLICKEYBYTES],
                             bool *encrypted);
/* Opens an encrypted key file text already read (buf, len) as above. */
tool_exit open_encrypted_key(const char *path, const char *pass_file, const uint8_t *buf,
                             size_t len, uint8_t seed[VETO_SEEDBYTES],
                             uint8_t pk[VETO_PUBLICKEYBYTES]);

/* The key file text of seed: encrypted under p, or plain when p is empty.
 * Release with veto_free_secret. */
tool_exit seckey_text(const uint8_t seed[VETO_SEEDBYTES], const passphrase *p, char **out,
                      size_t *len);
/* A new passphrase: the first line of pass_file (empty allowed only when
 * allow_empty_file), else asked twice on a terminal (empty allowed), else
 * empty when !need_terminal, else exit 2.  what names the key in the
 * prompt. */
tool_exit new_passphrase(passphrase *p, const char *pass_file, bool allow_empty_file,
                         const char *what, bool need_terminal);

#endif
