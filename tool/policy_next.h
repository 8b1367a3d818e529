/* SPDX-License-Identifier: Apache-2.0 */
/* policy_next.h - `veto policy next`: the next policy after a signed one,
 * carried forward only once its owner threshold verified. */
#ifndef VETO_TOOL_POLICY_NEXT_H
#define VETO_TOOL_POLICY_NEXT_H

#include "args.h"
#include "util.h"

tool_exit policy_next(const args *a);

#endif
