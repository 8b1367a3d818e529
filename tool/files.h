/* SPDX-License-Identifier: Apache-2.0 */
/*
 * files.h - the command's input and output files, with its messages: the
 * documents it reads, key files, and output written to standard output or
 * atomically over a file (through veto_statedir.h).  Each function returns an
 * exit status (util.h) and prints a message naming the file when it fails.
 */
#ifndef VETO_TOOL_FILES_H
#define VETO_TOOL_FILES_H

#include <stddef.h>
#include <stdint.h>

#include <veto.h>

#include "util.h"

struct stat;
/* Opens a file named on the command line ("-": standard input) for
 * reading without ever blocking in open(2) (a FIFO without a writer reads
 * as empty), refusing a directory; a message names the file, with `what`
 * ("image"; "" for none) before it.  The descriptor (close it unless it is
 * STDIN_FILENO), or -1. */
int open_named_input(const char *path, const char *what, struct stat *st);
/*
 * Reads path ("-": stdin) into a malloc'd buffer (NUL-terminated, *len
 * bytes without the NUL), at most limit + 1 bytes: *len > limit means the
 * input is over the limit.  Decision commands hand such an input on, so
 * that the library refuses it as malformed (the contract's rule); the
 * others report it.
 */
tool_exit read_input(const char *path, size_t limit, uint8_t **out, size_t *len);

/* read_input for a command that makes no decision: an input over limit is
 * bad input, reported as "FILE: too_large". */
tool_exit read_bounded(const char *path, size_t limit, const char *too_large, uint8_t **buf,
                       size_t *len);
/* read_bounded of a document (TOOL_MAX_DOCUMENT), reported as "FILE: larger
 * than N bytes" followed by what_suffix (", the limit of an envelope"). */
tool_exit read_document(const char *path, const char *what_suffix, uint8_t **buf, size_t *len);

/* Reads a small file ("-": stdin) into buf, which holds cap bytes; a NUL
 * follows the *len bytes read.  Sets *mode to its permission bits.  For key
 * files: nothing is copied or reallocated, so the caller can wipe every
 * copy.  Fails also when the file does not fit. */
tool_exit read_small(const char *path, uint8_t *buf, size_t cap, size_t *len, unsigned *mode);
/* read_small from an open descriptor; messages name path. */
tool_exit read_small_fd(int fd, const char *path, uint8_t *buf, size_t cap, size_t *len);

/* The message for a secret key file that group or others can access. */
void secret_mode_error(const char *path, unsigned mode);

/* Reads a secret key file, refusing one that group or others can access;
 * (1.1) an encrypted one asks its passphrase on the terminal
 * (load_secret_key_with in passphrase.h takes a passphrase file).  The
 * caller wipes seed. */
tool_exit load_secret_key(const char *path, uint8_t seed[VETO_SEEDBYTES],
                          uint8_t pk[VETO_PUBLICKEYBYTES]);
/* A plain secret key file's text already read (buf, len): the message
 * names path.  The caller wipes seed. */
tool_exit parse_secret_key(const char *path, const uint8_t *buf, size_t len,
                           uint8_t seed[VETO_SEEDBYTES], uint8_t pk[VETO_PUBLICKEYBYTES]);
/* Reads a public key file. */
tool_exit load_public_key(const char *path, uint8_t pk[VETO_PUBLICKEYBYTES]);

/* Writes data to stdout (path NULL or "-") or atomically replaces path:
 * a temporary file in the same directory, fsync, rename, fsync of the
 * directory.  keep_mode >= 0 is a mode to give the new file (in-place
 * rewrite keeps the old file's permissions); -1 uses 0666 & ~umask. */
tool_exit write_output(const char *path, const void *data, size_t len, long keep_mode);

/* Creates path, which must not exist yet (O_EXCL), with mode, and writes
 * and syncs data: for key files, never overwritten. */
tool_exit create_new(const char *path, unsigned mode, const void *data, size_t len);

/* A veto public key file, or any public key `key import` reads (minisign,
 * signify, OpenSSH, PEM): EXIT_ACCEPT with pk, or EXIT_TROUBLE after a
 * message naming the file (a secret key file is named as such). */
tool_exit read_any_public_key(const char *path, uint8_t pk[VETO_PUBLICKEYBYTES]);

#endif
