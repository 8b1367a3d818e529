/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VETO_TOOL_UTIL_H
#define VETO_TOOL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <veto.h>

/* Exit statuses of SPEC section 9. */
#define EXIT_ACCEPT 0
#define EXIT_REFUSE 1
#define EXIT_TROUBLE 2

#if defined(__GNUC__) || defined(__clang__)
#define TOOL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TOOL_PRINTF(f, a)
#endif

/* Largest veto key file, and largest key import input: anything bigger is
 * not a key. */
#define TOOL_MAX_KEY_FILE (16U * 1024U)
#define TOOL_MAX_SMALL_FILE (64U * 1024U)
/* Largest envelope, payload or anchor: the contract's envelope limit. */
#define TOOL_MAX_DOCUMENT VETO_MAX_ENVELOPE

/* Name of the running subcommand ("check", "key import"), for messages. */
extern const char *tool_cmd;

/* "veto CMD: message" on stderr. */
void tool_err(const char *fmt, ...) TOOL_PRINTF(1, 2);
void tool_warn(const char *fmt, ...) TOOL_PRINTF(1, 2);
/* Prints the message and a pointer to --help; returns EXIT_TROUBLE. */
int tool_usage(const char *fmt, ...) TOOL_PRINTF(1, 2);

/* 1 when path names standard input/output. */
int is_dash(const char *path);
/* Checks that at most one of paths[0..n-1] is "-" (stdin can be read only
 * once).  Prints a usage message and returns -1 otherwise. */
int check_one_stdin(const char *const *paths, size_t n);

/*
 * Reads path ("-": stdin) into a malloc'd buffer (NUL-terminated, *len
 * bytes without the NUL), at most limit + 1 bytes: *len > limit means the
 * input is over the limit.  Decision commands hand such an input on, so
 * that the library refuses it as malformed (the contract's rule); the
 * others report it.  Returns 0, or -1 after printing a message naming the
 * file.
 */
int read_input(const char *path, size_t limit, uint8_t **out, size_t *len);

/* Reads a small file ("-": stdin) into buf, which holds cap bytes; a NUL
 * follows the *len bytes read.  Sets *mode to its permission bits.  For key
 * files: nothing is copied or reallocated, so the caller can wipe every
 * copy.  Returns 0, or -1 (message printed; also when the file does not
 * fit). */
int read_small(const char *path, uint8_t *buf, size_t cap, size_t *len, unsigned *mode);

/* The message for a secret key file that group or others can access. */
void secret_mode_error(const char *path, unsigned mode);

/* Reads a secret key file, refusing one that group or others can access.
 * Returns 0 or -1 (message printed).  The caller wipes seed. */
int load_secret_key(const char *path, uint8_t seed[VETO_SEEDBYTES],
                    uint8_t pk[VETO_PUBLICKEYBYTES]);
/* Reads a public key file.  Returns 0 or -1 (message printed). */
int load_public_key(const char *path, uint8_t pk[VETO_PUBLICKEYBYTES]);

/* Writes data to stdout (path NULL or "-") or atomically replaces path:
 * a temporary file in the same directory, fsync, rename, fsync of the
 * directory.  keep_mode_of >= 0 is a mode to give the new file (in-place
 * rewrite keeps the old file's permissions); -1 uses 0666 & ~umask.
 * Returns 0 or -1 (message printed). */
int write_output(const char *path, const void *data, size_t len, long keep_mode_of);

/* Parses --now; 0 or -1 after a usage message. */
int parse_now(const char *text, int64_t *out);
/* Plain digits 0|[1-9][0-9]*, at most 2^53-1 (the contract's integers). */
int parse_counter(const char *text, uint64_t *out);

/* Overwrites n bytes in a way the compiler may not drop. */
void wipe(void *p, size_t n);

/* Writes untrusted text for a terminal: control characters, C1 controls
 * and bidirectional overrides are shown escaped, so a hostile payload
 * cannot rewrite the screen.  Newlines and tabs pass when keep_lines. */
void put_safe(FILE *f, const char *s, size_t len, int keep_lines);
void put_safe_str(FILE *f, const char *s);

/* Flushes stdout and reports a failed write (a full disk, a closed pipe).
 * Returns 0 or -1. */
int finish_stdout(void);

#endif
