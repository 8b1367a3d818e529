/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signing.h - what sign, cosign and attach share (cmd_sign.c): where the
 * result goes, and putting a signature made elsewhere (a token, another
 * tool) into a document after the library has verified it.
 */
#ifndef VETO_TOOL_SIGNING_H
#define VETO_TOOL_SIGNING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <veto.h>

#include "util.h"

/* Where a signed result goes: -o, else an envelope is rewritten in place
 * (keeping its permissions, replacing a symbolic link's target) and a new
 * envelope goes to standard output. */
typedef struct out_target {
	const char *path; /* NULL or "-": standard output */
	char *resolved;
	long keep_mode;
	bool in_place;
} out_target;

void out_target_set(out_target *t, const char *doc_path, const char *out_opt, bool envelope);
void out_target_free(out_target *t);

/* Writes the result: the new text, or, when the key had signed already
 * (added false), says so and leaves an in-place file untouched (elsewhere
 * the document is written as it was, so that a pipeline gets its output). */
tool_exit write_signed(const out_target *t, const char *doc_path, bool added, const char *out,
                       size_t out_len, const uint8_t *doc, size_t doc_len,
                       const uint8_t pk[VETO_PUBLICKEYBYTES]);

/* What a document must be for the command. */
typedef enum doc_want { DOC_PAYLOAD, DOC_ENVELOPE, DOC_EITHER } doc_want;

/* The PAE of doc (read from doc_path), checked to be what `want` says:
 * *pae released with veto_free. */
tool_exit doc_pae(const char *doc_path, const uint8_t *doc, size_t len, doc_want want,
                  uint8_t **pae, size_t *pae_len, bool *envelope);

/* veto_attach, then write_signed to out_opt as out_target_set says.  A
 * signature that does not verify is exit 2 and writes nothing; sig_name
 * names where it came from. */
tool_exit attach_and_write(const char *doc_path, const uint8_t *doc, size_t len,
                           const uint8_t pk[VETO_PUBLICKEYBYTES], const uint8_t sig[64],
                           const char *out_opt, const char *sig_name);

#endif
