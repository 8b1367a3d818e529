/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stage.h - the files a decision writes besides the state (SPEC section
 * 9.1): the staged image of `check --stage-to FILE`, (1.1) the signed
 * receipt of `--receipt OUT` (receipt.h), and the JSON report of `--report
 * FILE`.  None may lie in the state directory.
 *
 * The staged image is written as it is hashed, into an unnamed file
 * (O_TMPFILE, mode 0600) in FILE's directory, so that a crash or a kill
 * leaves no temporary behind; only an accepted decision gives it a name:
 * fsync, a link to a fresh name no one else can have made, rename over
 * FILE, fsync of the directory.  Where the file system has no O_TMPFILE,
 * a named temporary created with O_CREAT|O_EXCL|O_NOFOLLOW is used.  A
 * receipt goes the same way: written and synced before the state is, named
 * only after.
 */
#ifndef VETO_TOOL_STAGE_H
#define VETO_TOOL_STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <veto.h>

#include "util.h"

/* What is staged, for the messages: the option, the file, its unnamed
 * temporary, what a failed naming leaves; and whether the file is private
 * (mode 0600, in a directory only its owner can write: an image to be
 * installed) or not (0666 less the umask: a signed receipt, to be shown). */
typedef struct stage_kind {
	const char *opt;      /* "stage-to" */
	const char *what;     /* "staged image" */
	const char *tmp_what; /* "staging file" */
	const char *nothing;  /* "nothing is staged" */
	bool private_dir;
} stage_kind;

extern const stage_kind stage_image;   /* check --stage-to */
extern const stage_kind stage_receipt; /* --receipt */

/* A --stage-to target through its life; all zero (with fds -1) is unused. */
typedef struct stage {
	const stage_kind *kind;
	const char *target; /* FILE as given; NULL: no staging */
	char base[256];     /* FILE's last component */
	int dirfd;          /* FILE's directory, checked */
	int fd;             /* the file being written, or -1 */
	char tmp[300];      /* its name when it has one ("" while unnamed) */
	bool ready;         /* the directory passed its checks */
} stage;

#define STAGE_UNUSED {.dirfd = -1, .fd = -1}

/*
 * Checks --stage-to FILE (target NULL: none) before anything is read:
 * FILE's directory exists, group and others cannot write it, and it is not
 * the state directory state_dir (may be NULL) nor inside it.  EXIT_TROUBLE
 * after a message naming the directory; nothing is removed then.
 */
tool_exit stage_prepare(stage *s, const char *target, const char *state_dir);
/* stage_prepare for another kind of file (the directory checked only when
 * kind->private_dir). */
tool_exit stage_prepare_kind(stage *s, const stage_kind *kind, const char *target,
                             const char *state_dir);

/* Removes an existing FILE and creates the file the image goes to. */
tool_exit stage_begin(stage *s);

/* Appends the n bytes just hashed.  EXIT_TROUBLE after a message. */
tool_exit stage_write(stage *s, const uint8_t *buf, size_t n);
/* fsyncs what was written so far.  EXIT_TROUBLE after a message. */
tool_exit stage_sync(stage *s);
/* Whether a file is being written (stage_begin succeeded, stage_end not
 * yet called). */
bool stage_open(const stage *s);

/*
 * Ends staging for a run that would exit rc: on EXIT_ACCEPT the file is
 * synced and renamed to FILE (EXIT_TROUBLE if that fails); otherwise the
 * file is dropped and an existing FILE removed.  Returns the exit status.
 */
tool_exit stage_end(stage *s, tool_exit rc);

/* Gives the file open as fd (an O_TMPFILE one) the name `name` in dirfd,
 * which must not exist: false with errno (EEXIST when it does). */
bool link_fd_at(int fd, int dirfd, const char *name);

/*
 * --report FILE: checked before anything is read (not in state_dir, which
 * may be NULL; its directory must exist).  EXIT_TROUBLE after a message;
 * nothing is removed then.
 */
tool_exit report_prepare(const char *path, const char *state_dir);

/*
 * Ends a run with --report path (NULL: none) that would exit rc.  Exit 0
 * or 1: writes json (len bytes, no newline) and a newline to path
 * atomically; if that fails, says so with state_note ("the state in st was
 * written") and returns EXIT_TROUBLE.  Exit 2 (and a failed write): an
 * existing path is removed unless keep_on_trouble.
 */
tool_exit report_end(const char *path, tool_exit rc, const char *json, size_t len,
                     const char *state_note, bool keep_on_trouble);

/* report_end with the JSON object of one decision (what --json prints). */
tool_exit report_end_decision(const char *path, tool_exit rc, const veto_report *rep,
                              const char *state_note);

#endif
