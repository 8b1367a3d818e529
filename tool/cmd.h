/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VETO_TOOL_CMD_H
#define VETO_TOOL_CMD_H

/* Each subcommand gets its own argv (argv[0] is its name) and returns the
 * exit status of SPEC section 9. */
int cmd_keygen(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_cosign(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_trust(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_commit(int argc, char **argv);
int cmd_preflight(int argc, char **argv);

#endif
