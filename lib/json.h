/* SPDX-License-Identifier: Apache-2.0 */
/* The strict JSON layer: the contract's rules (section 4) enforced on the
 * raw bytes, then cJSON builds the tree.  Schema code reads the tree only
 * through the helpers below, which never fold case. */
#ifndef VETO_JSON_H
#define VETO_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "veto.h"

#define JS_MAX_U53 9007199254740991ULL

/* Checks text against the rules and parses it; the top level must be an
 * object.  VETO_E_MALFORMED with the reason in d, VETO_E_NOMEM. */
veto_status js_parse(cJSON **out, veto_diag *d, const veto_config *cfg,
                     const uint8_t *text, size_t len, unsigned max_depth);

/* js_parse for a document holding a secret: every string of the tree is
 * wiped before it is freed, here on failure and by js_delete_secret. */
veto_status js_parse_secret(cJSON **out, veto_diag *d, const veto_config *cfg,
                            const uint8_t *text, size_t len, unsigned max_depth);
void js_delete_secret(cJSON *root);

/* The byte-level check alone (exposed for tests): 0, -1 malformed, -2 over
 * the depth limit (js_parse: VETO_E_LIMIT). */
int js_validate(veto_diag *d, const uint8_t *text, size_t len, unsigned max_depth);

/* 0 when obj is an object whose member names are all in allowed[] and
 * whose required members (those listed first, n_required of them) are all
 * present.  `where` names the object in messages. */
int js_members(veto_diag *d, const cJSON *obj, const char *where,
               const char *const *allowed, size_t n_allowed, size_t n_required);

/* The member called name (exact bytes), or NULL. */
const cJSON *js_get(const cJSON *obj, const char *name);

/* Typed reads; each returns 0 or -1 with a message naming `where`. */
int js_u53(veto_diag *d, uint64_t *out, const cJSON *item, const char *where);
int js_str(veto_diag *d, const char **out, size_t *len, const cJSON *item,
           const char *where, size_t min_len, size_t max_len);
int js_array(veto_diag *d, size_t *count, const cJSON *item, const char *where,
             size_t max_count);
int js_object(veto_diag *d, const cJSON *item, const char *where);

/* Number of members or elements. */
size_t js_count(const cJSON *item);

#endif
