/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VETO_TOOL_ARGS_H
#define VETO_TOOL_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* One option of a subcommand.  Options may come before, between or after
 * operands (as with GNU tools), as "--name VALUE" or "--name=VALUE". */
typedef struct opt_def {
	const char *name; /* long name, without "--"; NULL: not offered here */
	char short_name;  /* 0: none */
	bool takes_value;
	bool repeatable; /* false: a second occurrence is a usage error */
} opt_def;

/* The number of entries of an opt_def array, taken from the array itself,
 * so that a new option is never dropped by a stale count. */
#define ARGS_COUNT(defs) (sizeof(defs) / sizeof((defs)[0]))

typedef struct args {
	const char ***values; /* values[i][0..count[i]-1] */
	size_t *count;
	const char **operands;
	size_t n_operands;
	void *pool_;
} args;

typedef enum args_result { ARGS_OK, ARGS_HELP, ARGS_BAD } args_result;

/*
 * Parses argv[1..argc-1] (argv[0] is the subcommand) against defs, with
 * getopt_long.  ARGS_HELP when -h or --help appears; ARGS_BAD after
 * printing a usage message.  Release with args_free in every case.
 */
args_result args_parse(args *a, const opt_def *defs, size_t n_defs, int argc, char **argv);
void args_free(args *a);

/* args_parse for a subcommand: true when the command goes on; otherwise
 * *early is the exit status to return at once (after help_text on --help,
 * or a usage message), with a already released. */
bool args_start(args *a, const opt_def *defs, size_t n_defs, int argc, char **argv,
                const char *help_text, tool_exit *early);

/* The single value of option i, or NULL when it was not given. */
const char *args_one(const args *a, size_t i);

#endif
