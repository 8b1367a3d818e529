/* SPDX-License-Identifier: Apache-2.0 */
/*
 * statedoc.h - what the public API does not hand out about a state (its
 * trusted policy's payload members, the digests it stores), read from the
 * state document itself with cJSON, for display (status) and authoring
 * (policy next).  Only a state that veto_state_parse accepted is read so:
 * the library has checked it, the stored policy's digest included.
 */
#ifndef VETO_TOOL_STATEDOC_H
#define VETO_TOOL_STATEDOC_H

#include <cjson/cJSON.h>

/* The trusted policy's payload (the state's "policy" envelope, decoded and
 * parsed), or NULL when the state holds none or memory runs out.  The
 * caller cJSON_Deletes it. */
cJSON *statedoc_policy_payload(const cJSON *state_doc);

#endif
