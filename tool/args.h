/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VETO_TOOL_ARGS_H
#define VETO_TOOL_ARGS_H

#include <stddef.h>

/* One option of a subcommand.  Options may come before, between or after
 * operands (as with GNU tools), as "--name VALUE" or "--name=VALUE". */
typedef struct opt_def {
	const char *name;  /* long name, without "--"; NULL: not offered here */
	char short_name;   /* 0: none */
	int takes_value;
	int repeatable;    /* 0: a second occurrence is a usage error */
} opt_def;

#define ARGS_MAX_OPTS 12

typedef struct args {
	const char **values[ARGS_MAX_OPTS]; /* values[i][0..count[i]-1] */
	size_t count[ARGS_MAX_OPTS];
	const char **operands;
	size_t n_operands;
	const char **pool_;
} args;

enum { ARGS_OK = 0, ARGS_HELP = 1, ARGS_BAD = -1 };

/*
 * Parses argv[1..argc-1] (argv[0] is the subcommand) against defs.
 * ARGS_HELP when -h or --help appears; ARGS_BAD after printing a usage
 * message.  Release with args_free in every case.
 */
int args_parse(args *a, const opt_def *defs, size_t n_defs, int argc, char **argv);
void args_free(args *a);

/* args_parse for a subcommand: -1 when the command goes on; otherwise the
 * exit status to return at once (after help_text on --help, or a usage
 * message), with a already released. */
int args_start(args *a, const opt_def *defs, size_t n_defs, int argc, char **argv,
               const char *help_text);

/* The single value of option i, or NULL when it was not given. */
const char *args_one(const args *a, size_t i);

#endif
