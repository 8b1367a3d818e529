/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd.h - the subcommands, one file each (cmd_NAME.c; check and commit
 * share cmd_check.c, sign and cosign cmd_sign.c, key id and key import
 * cmd_key.c), dispatched from main.c's table.  Each gets its own argv
 * (argv[0] is its name) and returns the exit status of SPEC section 9.
 */
#ifndef VETO_TOOL_CMD_H
#define VETO_TOOL_CMD_H

#include "util.h"

tool_exit cmd_keygen(int argc, char **argv);
tool_exit cmd_key(int argc, char **argv);
tool_exit cmd_sign(int argc, char **argv);
tool_exit cmd_cosign(int argc, char **argv);
tool_exit cmd_show(int argc, char **argv);
tool_exit cmd_init(int argc, char **argv);
tool_exit cmd_trust(int argc, char **argv);
tool_exit cmd_check(int argc, char **argv);
tool_exit cmd_commit(int argc, char **argv);
tool_exit cmd_preflight(int argc, char **argv);

#endif
