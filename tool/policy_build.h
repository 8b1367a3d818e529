/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy_build.h - the options of `veto policy new` and `policy next`
 * (SPEC section 9.1, Authoring), each naming one member of a
 * veto.policy/1.1 payload, applied to the payload's tree: a new one
 * (new) or the last signed one (next).  The tree is then laid out in the
 * contract's member order and parsed by the library before anything is
 * written.
 */
#ifndef VETO_TOOL_POLICY_BUILD_H
#define VETO_TOOL_POLICY_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "args.h"
#include "util.h"

/* The options of both subcommands, in one table (policy_opts); those of
 * one subcommand only are refused in the other by name. */
enum {
	PO_OUTPUT, PO_DEVICE, PO_OWNER, PO_STATE, PO_SERIAL, PO_ISSUED, PO_EXPIRES, PO_ROLE,
	PO_REQUIRE, PO_PROTECT, PO_REMOVAL, PO_FORBID, PO_ADDITION, PO_ROLLBACK, PO_MINSC,
	PO_MAXIMG, PO_DIGEST, PO_CLOCK, PO_WINDOW, PO_HOLD, PO_FAST, PO_REVROLE, PO_REVOKE,
	PO_REIN_UPD, PO_REIN_KEY, PO_FLOOR_RESET, PO_NO_ROLE,
	/* next: --no-MEMBER */
	PO_NO_PROTECT, PO_NO_REMOVAL, PO_NO_FORBID, PO_NO_ADDITION, PO_NO_ROLLBACK, PO_NO_MINSC,
	PO_NO_MAXIMG, PO_NO_DIGEST, PO_NO_TIMING, PO_NO_CLOCK, PO_NO_WINDOW, PO_NO_HOLD,
	PO_NO_FAST, PO_NO_REVROLE, PO_NO_REVOKE, PO_NO_REINSTATE, PO_COUNT
};
extern const opt_def policy_opts[PO_COUNT];

/* Applies every member option in a to doc (roles, lists, integers, timing,
 * reinstate, time_floor_reset) and rebuilds "keys" from the roles, taking
 * a key's entry from the files read or from old_keys (next: the signed
 * policy's key map; NULL in new).  Prints a message when it fails. */
tool_exit policy_apply(cJSON *doc, const args *a, const cJSON *old_keys);

/* Sets "issued" (the option, else five minutes before now) into doc and
 * writes it to *issued. */
tool_exit policy_set_issued(cJSON *doc, const args *a, int64_t *issued);
/* Sets "expires" to t, or null for never. */
tool_exit policy_set_expires(cJSON *doc, bool never, int64_t t);
/* Parses --expires: *never or *t. */
tool_exit policy_parse_expires(const char *text, bool *never, int64_t *t);

/* Puts doc's members in the contract's order, checks it with the library
 * (exit 2 naming the broken rule), warns about a forbid without consent
 * to additions, and writes it to out. */
tool_exit policy_finish(cJSON *doc, const char *out);

#endif
