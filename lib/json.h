/* SPDX-License-Identifier: Apache-2.0 */
/* The strict JSON layer: the contract's rules (section 4) enforced on the
 * raw bytes, then cJSON builds the tree.  This header and json.c are the
 * only places that know cJSON: schema code sees an opaque jsval and reads
 * it only through the helpers below, which never fold case. */
#ifndef VETO_JSON_H
#define VETO_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "veto.h"

#define JS_MAX_U53 9007199254740991ULL

/* A node of a parsed tree: an object, array, member or element. */
typedef struct cJSON jsval;

/* The byte-level check alone (exposed for tests): VETO_OK,
 * VETO_E_MALFORMED, or VETO_E_LIMIT over the depth limit. */
veto_status veto__js_validate(veto_diag *d, const uint8_t *text, size_t len, unsigned max_depth);

/* Checks text against the rules and parses it; the top level must be an
 * object.  VETO_E_MALFORMED with the reason in d, VETO_E_LIMIT, VETO_E_NOMEM.
 * The tree is the caller's, released with veto__js_delete. */
veto_status veto__js_parse(jsval **out, veto_diag *d, const veto_config *cfg,
                     const uint8_t *text, size_t len, unsigned max_depth);
void veto__js_delete(jsval *root);

/* veto__js_parse for a document holding a secret: every string of the tree is
 * wiped before it is freed, here on failure and by veto__js_delete_secret. */
veto_status veto__js_parse_secret(jsval **out, veto_diag *d, const veto_config *cfg,
                            const uint8_t *text, size_t len, unsigned max_depth);
void veto__js_delete_secret(jsval *root);

/* Reads a whole document into out: the size limit (0: none; above it
 * "<what> of N bytes, above the limit of M" and VETO_E_LIMIT), veto__js_parse
 * (veto__js_parse_secret when secret), read(out, ...) on the tree, the tree freed.
 * Any status of the steps is returned as it is. */
typedef veto_status (*js_reader)(void *out, veto_diag *d, const veto_config *cfg,
                                 const jsval *root);
veto_status veto__js_read_doc(void *out, veto_diag *d, const veto_config *cfg, const uint8_t *text,
                        size_t len, size_t limit, const char *what, bool secret, js_reader read);

/* ---- walking the tree ----------------------------------------------------- */

/* The first member of an object or element of an array (NULL: none or not
 * a container), the one after item, and a member's name. */
const jsval *veto__js_first(const jsval *container);
const jsval *veto__js_next(const jsval *item);
const char *veto__js_name(const jsval *member);
/* Number of members or elements. */
size_t veto__js_count(const jsval *item);
/* The member called name (exact bytes), or NULL. */
const jsval *veto__js_get(const jsval *obj, const char *name);
bool veto__js_is_null(const jsval *item);

/* ---- schema: a table of an object's members -------------------------------- */

typedef enum js_kind {
	JS_STRING, /* length in min..max bytes */
	JS_U53,    /* integer 0..2^53-1 */
	JS_ARRAY,  /* at most max elements */
	JS_OBJECT,
	JS_ANY     /* read by the schema code itself (nullable, several kinds) */
} js_kind;

typedef struct js_field {
	const char *name;
	js_kind kind;
	bool required;
	size_t min;
	size_t max;
} js_field;

#define JS_FIELDS(table) (table), (sizeof(table) / sizeof((table)[0]))

/* VETO_OK when obj is an object whose member names are all in fields[] and
 * whose required members are all present, else VETO_E_MALFORMED.  `where`
 * names the object in messages. */
veto_status veto__js_members(veto_diag *d, const jsval *obj, const char *where,
                       const js_field *fields, size_t n);

/* What veto__js_field_read found: the item (NULL when an optional member is
 * absent) and, by the field's kind, its text, number or element count. */
typedef struct js_got {
	const jsval *item;
	const char *str;
	size_t len;   /* JS_STRING: length; JS_ARRAY: count */
	uint64_t u53;
} js_got;

/* Reads member f->name of obj as f says; messages name it `where` (NULL:
 * f->name).  VETO_OK or VETO_E_MALFORMED. */
veto_status veto__js_field_read(veto_diag *d, js_got *out, const jsval *obj, const js_field *f,
                          const char *where);

/* The "format" member: a string equal to want, else VETO_E_MALFORMED. */
veto_status veto__js_format(veto_diag *d, const jsval *obj, const char *want);

/* Typed reads of one item; VETO_OK or VETO_E_MALFORMED with a message
 * naming `where`. */
veto_status veto__js_u53(veto_diag *d, uint64_t *out, const jsval *item, const char *where);
veto_status veto__js_str(veto_diag *d, const char **out, size_t *len, const jsval *item,
                   const char *where, size_t min_len, size_t max_len);
veto_status veto__js_array(veto_diag *d, size_t *count, const jsval *item, const char *where,
                     size_t max_count);
veto_status veto__js_object(veto_diag *d, const jsval *item, const char *where);
/* A SHA-256 digest written as 64 lowercase hex digits, into out with *has
 * true; with nullable, null is allowed too (*has false).  Else
 * "<where>: not [null nor] 64 lowercase hex digits". */
veto_status veto__js_digest(veto_diag *d, bool *has, uint8_t out[32], const jsval *item,
                            const char *where, bool nullable);
/* (1.1) true or false. */
veto_status veto__js_bool(veto_diag *d, bool *out, const jsval *item, const char *where);

/* veto__js_array, then a new zeroed table for its elements (count of them, of
 * size bytes each; one at least), the caller's to veto__vx_free.  VETO_OK,
 * VETO_E_MALFORMED, or VETO_E_NOMEM with "out of memory" in d. */
veto_status veto__js_array_table(veto_diag *d, void **table, size_t *count, const veto_config *cfg,
                           const jsval *item, const char *where, size_t max_count, size_t size);

#endif
