/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd.h - the subcommands, one file each (cmd_NAME.c; check and commit
 * share cmd_check.c, sign and cosign cmd_sign.c, key id and key import
 * cmd_key.c), dispatched from main.c's table.  main parses a command's
 * options from its table and hands them to run; a command with
 * subcommands of its own (key, policy, receipt) takes its argv through
 * run_argv instead.
 * Both return the exit status of SPEC section 9.
 */
#ifndef VETO_TOOL_CMD_H
#define VETO_TOOL_CMD_H

#include "args.h"
#include "util.h"

typedef struct tool_command {
	const char *name;
	const opt_def *opts; /* NULL (n_opts 0): no options */
	size_t n_opts;
	const char *help; /* printed for --help */
	tool_exit (*run)(const args *a);
	tool_exit (*run_argv)(int argc, char **argv); /* argv[0]: the command */
} tool_command;

/* A command whose options main parses: n_opts is always taken from the
 * options array itself. */
#define TOOL_COMMAND(var, name_, opts_, help_, run_)                                       \
	const tool_command var = {                                                         \
	    .name = (name_), .opts = (opts_), .n_opts = ARGS_COUNT(opts_), .help = (help_),  \
	    .run = (run_)}

extern const tool_command cmd_keygen;
extern const tool_command cmd_key;
extern const tool_command cmd_sign;
extern const tool_command cmd_cosign;
extern const tool_command cmd_show;
extern const tool_command cmd_init;
extern const tool_command cmd_trust;
extern const tool_command cmd_check;
extern const tool_command cmd_commit;
extern const tool_command cmd_preflight;
extern const tool_command cmd_anchor;
extern const tool_command cmd_policy;
extern const tool_command cmd_pae;
extern const tool_command cmd_attach;
extern const tool_command cmd_status;
extern const tool_command cmd_receipt;

#endif
