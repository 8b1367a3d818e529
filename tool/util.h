/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.h - what every command of the tool shares: its exit statuses and
 * return convention, messages, file names for people, small value parsers
 * and safe terminal text.
 *
 * The tool's one return convention:
 *   - A function that returns `tool_exit` returns an exit status of SPEC
 *     section 9: EXIT_ACCEPT (0) done or accepted, EXIT_REFUSE (1) refused,
 *     EXIT_TROUBLE (2) usage, I/O or internal error.  Every cmd_* function,
 *     and every helper that prints its own message when it fails (it then
 *     returns EXIT_TROUBLE, or EXIT_REFUSE for a refusal it has reported),
 *     so that a command can return what a failed step returned.
 *   - A function that calls the library and leaves the message to its
 *     caller returns the library's veto_status (import.c).
 *   - A predicate returns bool.
 *   - The state directory and raw file I/O come from the companion library
 *     (statedir/veto_statedir.h), which returns its own enum veto_sd_status.
 */
#ifndef VETO_TOOL_UTIL_H
#define VETO_TOOL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <veto.h>

/* Exit statuses of SPEC section 9. */
typedef enum tool_exit {
	EXIT_ACCEPT = 0,
	EXIT_REFUSE = 1,
	EXIT_TROUBLE = 2
} tool_exit;

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
tool_exit tool_usage(const char *fmt, ...) TOOL_PRINTF(1, 2);

/* "cannot WHAT: <the status in words>" for a library call that failed;
 * returns EXIT_TROUBLE. */
tool_exit tool_fail(const char *what, veto_status s);

/* Whether path names standard input/output. */
bool is_dash(const char *path);
/* The name to show people for a file: "standard input" for "-". */
const char *shown_name(const char *path);
/* At most one of paths[0..n-1] and more[0..n_more-1] (NULLs allowed) may
 * be "-" (stdin can be read only once): EXIT_ACCEPT, or EXIT_TROUBLE after
 * a usage message. */
tool_exit check_one_stdin(const char *const *paths, size_t n, const char *const *more,
                          size_t n_more);

/* --now TIME, or the system clock when text is NULL: EXIT_ACCEPT, or
 * EXIT_TROUBLE after a usage message. */
tool_exit parse_now(const char *text, int64_t *out);
/* Whether text has the shape YYYY-MM-DDTHH:MM:SSZ (without the Z when
 * !zone), whatever its values: a time of that shape that does not parse is
 * not a real instant (a leap second, February 30), and is named so. */
bool time_shaped(const char *text, bool zone);
/* Plain digits 0|[1-9][0-9]*, at most 2^53-1 (the contract's integers). */
bool parse_counter(const char *text, uint64_t *out);

/* Overwrites n bytes in a way the compiler may not drop. */
void wipe(void *p, size_t n);

/* Length of the UTF-8 sequence at s (1..4) and its code point, or 0 when
 * the bytes are not well-formed UTF-8. */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* A malloc'd copy of s in which every byte that is not part of well-formed
 * UTF-8 is U+FFFD, for JSON output (free()); NULL when out of memory. */
char *utf8_clean(const char *s);

/* Writes untrusted text for a terminal: control characters, C1 controls
 * and bidirectional overrides are shown escaped, so a hostile payload
 * cannot rewrite the screen.  Newlines and tabs pass when keep_lines. */
void put_safe(FILE *f, const char *s, size_t len, bool keep_lines);
void put_safe_str(FILE *f, const char *s);
/* n bytes as lower-case hex. */
void put_hex(FILE *f, const uint8_t *p, size_t n);

/* Flushes stdout and reports a failed write (a full disk, a closed pipe):
 * EXIT_ACCEPT or EXIT_TROUBLE. */
tool_exit finish_stdout(void);

#endif
