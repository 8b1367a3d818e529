/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "crypto.h"
#include "json.h"
#include "util.h"

/* ---- byte-level validation ------------------------------------------------ */

typedef struct jv {
	const uint8_t *p;
	const uint8_t *end;
	const uint8_t *start;
	unsigned depth;
	unsigned max_depth;
	veto_diag *d;
} jv;

static veto_status jv_fail(jv *v, const char *what)
{
	veto__diag_set(v->d, "%s at byte %zu", what, (size_t)(v->p - v->start));
	return VETO_E_MALFORMED;
}

static void jv_ws(jv *v)
{
	uint64_t x;
	/* Runs of spaces (indentation, padding) eight bytes at a time. */
	while (v->end - v->p >= 8 && (memcpy(&x, v->p, 8), x == 0x2020202020202020ULL))
		v->p += 8;
	while (v->p < v->end && (*v->p == ' ' || *v->p == '\t' || *v->p == '\n' || *v->p == '\r'))
		v->p++;
}

/* Control characters, C1 controls and bidirectional overrides may hide
 * what a string says from the person reading it: none is allowed. */
static bool forbidden_cp(uint32_t cp)
{
	return cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static bool hex4(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned n;
		if (!veto__hex_nibble((char)p[i], true, &n))
			return false;
		v = v << 4 | n;
	}
	*out = v;
	return true;
}

#define BYTES_1 0x0101010101010101ULL
#define BYTES_80 0x8080808080808080ULL

/* Whether some byte of x equals b (the classic zero-byte test on x ^ b:
 * exact as to whether there is one, whatever the byte order). */
static uint64_t has_byte(uint64_t x, uint8_t b)
{
	uint64_t y = x ^ (BYTES_1 * b);
	return (y - BYTES_1) & ~y & BYTES_80;
}

/* Whether the eight bytes are all printable ASCII other than '"' and '\\'
 * (0x20..0x7e): the bytes the string scan can pass without a look. */
static bool plain8(const uint8_t *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	uint64_t below_space = (x - BYTES_1 * 0x20) & ~x & BYTES_80;
	return (below_space | (x & BYTES_80) | has_byte(x, 0x7f) | has_byte(x, '"') |
	        has_byte(x, '\\')) == 0;
}

static veto_status jv_string(jv *v)
{
	v->p++; /* opening quote */
	while (v->p < v->end) {
		/* Printable ASCII other than '"' and '\\' needs no more thought:
		 * the long base64 payloads are made of it; eight bytes at a time. */
		while (v->end - v->p >= 8 && plain8(v->p))
			v->p += 8;
		while (v->p < v->end && *v->p >= 0x20 && *v->p < 0x7f && *v->p != '"' && *v->p != '\\')
			v->p++;
		if (v->p == v->end)
			break;
		uint8_t c = *v->p;
		if (c == '"') {
			v->p++;
			return VETO_OK;
		}
		if (c == '\\') {
			if (v->end - v->p < 2)
				return jv_fail(v, "unterminated escape");
			uint8_t e = v->p[1];
			uint32_t cp;
			switch (e) {
			case '"': case '\\': case '/':
				v->p += 2;
				continue;
			case 'b': case 'f': case 'n': case 'r': case 't':
				return jv_fail(v, "control character in a string");
			case 'u':
				break;
			default:
				return jv_fail(v, "invalid escape");
			}
			if (v->end - v->p < 6 || !hex4(v->p + 2, &cp))
				return jv_fail(v, "invalid \\u escape");
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return jv_fail(v, "unpaired surrogate escape");
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				uint32_t lo;
				if (v->end - v->p < 12 || v->p[6] != '\\' || v->p[7] != 'u' ||
				    !hex4(v->p + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF)
					return jv_fail(v, "unpaired surrogate escape");
				v->p += 12;
				continue; /* astral code points are never forbidden */
			}
			if (forbidden_cp(cp))
				return jv_fail(v, "forbidden character (control or bidirectional) in a string");
			v->p += 6;
			continue;
		}
		uint32_t cp;
		size_t n;
		if (!veto__utf8_decode(v->p, (size_t)(v->end - v->p), &cp, &n))
			return jv_fail(v, "invalid UTF-8");
		if (forbidden_cp(cp))
			return jv_fail(v, "forbidden character (control or bidirectional) in a string");
		v->p += n;
	}
	return jv_fail(v, "unterminated string");
}

static veto_status jv_number(jv *v)
{
	const uint8_t *s = v->p;
	if (*v->p == '-')
		return jv_fail(v, "negative number");
	while (v->p < v->end && *v->p >= '0' && *v->p <= '9')
		v->p++;
	size_t n = (size_t)(v->p - s);
	if (v->p < v->end && (*v->p == '.' || *v->p == 'e' || *v->p == 'E'))
		return jv_fail(v, "number that is not a plain integer");
	if (n > 1 && s[0] == '0') {
		v->p = s;
		return jv_fail(v, "number with a leading zero");
	}
	/* Above 2^53-1 a double no longer holds every integer exactly. */
	if (n > 16 || (n == 16 && memcmp(s, "9007199254740991", 16) > 0)) {
		v->p = s;
		return jv_fail(v, "integer above 2^53-1");
	}
	return VETO_OK;
}

static veto_status jv_literal(jv *v, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(v->end - v->p) < n || memcmp(v->p, lit, n) != 0)
		return jv_fail(v, "invalid JSON token");
	v->p += n;
	return VETO_OK;
}

static veto_status jv_value(jv *v); /* NOLINT(misc-no-recursion): depth bounded by max_depth, checked by veto__js_validate before any tree exists */

static veto_status jv_container(jv *v, uint8_t close) /* NOLINT(misc-no-recursion): depth bounded by max_depth, checked by veto__js_validate before any tree exists */
{
	if (++v->depth > v->max_depth) {
		jv_fail(v, "nesting deeper than the limit");
		return VETO_E_LIMIT; /* a limit, not the grammar */
	}
	v->p++;
	jv_ws(v);
	if (v->p < v->end && *v->p == close) {
		v->p++;
		v->depth--;
		return VETO_OK;
	}
	for (;;) {
		veto_status st;
		if (close == '}') {
			jv_ws(v);
			if (v->p >= v->end || *v->p != '"')
				return jv_fail(v, "expected a member name");
			if ((st = jv_string(v)) != VETO_OK)
				return st;
			jv_ws(v);
			if (v->p >= v->end || *v->p != ':')
				return jv_fail(v, "expected ':'");
			v->p++;
		}
		if ((st = jv_value(v)) != VETO_OK)
			return st;
		jv_ws(v);
		if (v->p >= v->end)
			return jv_fail(v, "truncated document");
		if (*v->p == ',') {
			v->p++;
			continue;
		}
		if (*v->p == close) {
			v->p++;
			v->depth--;
			return VETO_OK;
		}
		return jv_fail(v, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static veto_status jv_value(jv *v) /* NOLINT(misc-no-recursion): depth bounded by max_depth, checked by veto__js_validate before any tree exists */
{
	jv_ws(v);
	if (v->p >= v->end)
		return jv_fail(v, "truncated document");
	switch (*v->p) {
	case '{': return jv_container(v, '}');
	case '[': return jv_container(v, ']');
	case '"': return jv_string(v);
	case 't': return jv_literal(v, "true");
	case 'f': return jv_literal(v, "false");
	case 'n': return jv_literal(v, "null");
	default:
		if (*v->p == '-' || (*v->p >= '0' && *v->p <= '9'))
			return jv_number(v);
		return jv_fail(v, "invalid JSON token");
	}
}

veto_status veto__js_validate(veto_diag *d, const uint8_t *text, size_t len, unsigned max_depth)
{
	jv v = {text, text + len, text, 0, max_depth, d};
	jv_ws(&v);
	if (v.p >= v.end)
		return jv_fail(&v, "empty document");
	if (*v.p != '{')
		return jv_fail(&v, "the document is not a JSON object");
	veto_status st = jv_value(&v);
	if (st != VETO_OK)
		return st;
	jv_ws(&v);
	if (v.p != v.end)
		return jv_fail(&v, "bytes after the JSON value");
	return VETO_OK;
}

/* ---- duplicates on the tree ----------------------------------------------- */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One object's member names, sorted, compared neighbour to neighbour. */
static veto_status object_no_duplicates(veto_diag *d, const veto_config *cfg, const cJSON *obj)
{
	size_t n = veto__js_count(obj);
	const char **names = veto__vx_calloc(cfg, n, sizeof(*names));
	if (names == NULL)
		return VETO_E_NOMEM;
	size_t i = 0;
	for (const cJSON *c = obj->child; c != NULL; c = c->next)
		names[i++] = c->string;
	qsort(names, n, sizeof(*names), name_cmp);
	veto_status st = VETO_OK;
	for (i = 1; i < n && st == VETO_OK; i++) {
		if (strcmp(names[i - 1], names[i]) == 0) {
			veto__diag_set(d, "duplicate member \"%.64s\"", names[i]);
			st = VETO_E_MALFORMED;
		}
	}
	veto__vx_free(cfg, names);
	return st;
}

/* cJSON has decoded the escapes, so "\u0061" and "a" compare equal here. */
static veto_status js_no_duplicates(veto_diag *d, const veto_config *cfg, const cJSON *node) /* NOLINT(misc-no-recursion): depth bounded by max_depth, checked by veto__js_validate before any tree exists */
{
	for (; node != NULL; node = node->next) {
		if ((cJSON_IsObject(node) || cJSON_IsArray(node)) && node->child != NULL) {
			veto_status st = cJSON_IsObject(node) ? object_no_duplicates(d, cfg, node)
			                                      : VETO_OK;
			if (st == VETO_OK)
				st = js_no_duplicates(d, cfg, node->child);
			if (st != VETO_OK)
				return st;
		}
	}
	return VETO_OK;
}

static void wipe_tree(cJSON *n) /* NOLINT(misc-no-recursion): depth bounded by max_depth, checked by veto__js_validate before any tree exists */
{
	for (; n != NULL; n = n->next) {
		if (n->valuestring != NULL)
			veto__cr_wipe(n->valuestring, strlen(n->valuestring));
		if (n->string != NULL)
			veto__cr_wipe(n->string, strlen(n->string));
		wipe_tree(n->child);
	}
}

void veto__js_delete(jsval *root)
{
	cJSON_Delete(root);
}

void veto__js_delete_secret(jsval *root)
{
	wipe_tree(root);
	cJSON_Delete(root);
}

static veto_status parse(cJSON **out, veto_diag *d, const veto_config *cfg,
                         const uint8_t *text, size_t len, unsigned max_depth, bool secret)
{
	*out = NULL;
	veto_status st = veto__js_validate(d, text, len, max_depth);
	if (st != VETO_OK)
		return st;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts((const char *)text, len, &end, 0);
	if (root == NULL) {
		/* The text is valid JSON (checked above), so cJSON failed to
		 * allocate. */
		return VETO_E_NOMEM;
	}
	st = js_no_duplicates(d, cfg, root);
	if (st != VETO_OK) {
		if (secret)
			veto__js_delete_secret(root);
		else
			veto__js_delete(root);
		return st;
	}
	*out = root;
	return VETO_OK;
}

veto_status veto__js_parse(jsval **out, veto_diag *d, const veto_config *cfg,
                     const uint8_t *text, size_t len, unsigned max_depth)
{
	return parse(out, d, cfg, text, len, max_depth, false);
}

veto_status veto__js_parse_secret(jsval **out, veto_diag *d, const veto_config *cfg,
                            const uint8_t *text, size_t len, unsigned max_depth)
{
	return parse(out, d, cfg, text, len, max_depth, true);
}

veto_status veto__js_read_doc(void *out, veto_diag *d, const veto_config *cfg, const uint8_t *text,
                        size_t len, size_t limit, const char *what, bool secret, js_reader read)
{
	cJSON *root = NULL;
	if (limit != 0 && len > limit) {
		veto__diag_set(d, "%s of %zu bytes, above the limit of %zu", what, len, limit);
		return VETO_E_LIMIT;
	}
	veto_status st = parse(&root, d, cfg, text, len, cfg->max_depth, secret);
	if (st != VETO_OK)
		return st;
	st = read(out, d, cfg, root);
	if (secret)
		veto__js_delete_secret(root);
	else
		veto__js_delete(root);
	return st;
}

/* ---- walking the tree ----------------------------------------------------- */

const jsval *veto__js_first(const jsval *container)
{
	if (!cJSON_IsObject(container) && !cJSON_IsArray(container))
		return NULL;
	return container->child;
}

const jsval *veto__js_next(const jsval *item)
{
	return item->next;
}

const char *veto__js_name(const jsval *member)
{
	return member->string;
}

size_t veto__js_count(const jsval *item)
{
	size_t n = 0;
	for (const cJSON *c = item ? item->child : NULL; c != NULL; c = c->next)
		n++;
	return n;
}

const jsval *veto__js_get(const jsval *obj, const char *name)
{
	for (const cJSON *c = obj ? obj->child : NULL; c != NULL; c = c->next)
		if (c->string != NULL && strcmp(c->string, name) == 0)
			return c;
	return NULL;
}

bool veto__js_is_null(const jsval *item)
{
	return cJSON_IsNull(item) != 0;
}

/* ---- schema --------------------------------------------------------------- */

veto_status veto__js_bool(veto_diag *d, bool *out, const jsval *item, const char *where)
{
	if (!cJSON_IsBool(item)) {
		veto__diag_set(d, "%s: expected true or false", where);
		return VETO_E_MALFORMED;
	}
	*out = cJSON_IsTrue(item) != 0;
	return VETO_OK;
}

veto_status veto__js_digest(veto_diag *d, bool *has, uint8_t out[32], const jsval *item,
                            const char *where, bool nullable)
{
	const char *s;
	size_t len;
	*has = !(nullable && veto__js_is_null(item));
	if (!*has)
		return VETO_OK;
	if (veto__js_str(d, &s, &len, item, where, 1, 128) != VETO_OK ||
	    veto__hex_decode(out, 32, s, len) != VETO_OK) {
		veto__diag_set(d, "%s: not %s64 lowercase hex digits", where, nullable ? "null nor " : "");
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

veto_status veto__js_object(veto_diag *d, const jsval *item, const char *where)
{
	if (!cJSON_IsObject(item)) {
		veto__diag_set(d, "%s: expected an object", where);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

veto_status veto__js_members(veto_diag *d, const jsval *obj, const char *where,
                       const js_field *fields, size_t n)
{
	if (veto__js_object(d, obj, where) != VETO_OK)
		return VETO_E_MALFORMED;
	for (const cJSON *c = obj->child; c != NULL; c = c->next) {
		size_t i;
		for (i = 0; i < n; i++)
			if (strcmp(c->string, fields[i].name) == 0)
				break;
		if (i == n) {
			veto__diag_set(d, "%s: unknown member \"%.64s\"", where, c->string);
			return VETO_E_MALFORMED;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (fields[i].required && veto__js_get(obj, fields[i].name) == NULL) {
			veto__diag_set(d, "%s: missing member \"%s\"", where, fields[i].name);
			return VETO_E_MALFORMED;
		}
	}
	return VETO_OK;
}

veto_status veto__js_field_read(veto_diag *d, js_got *out, const jsval *obj, const js_field *f,
                          const char *where)
{
	const char *w = where != NULL ? where : f->name;
	memset(out, 0, sizeof(*out));
	out->item = veto__js_get(obj, f->name);
	if (out->item == NULL && !f->required)
		return VETO_OK;
	switch (f->kind) {
	case JS_STRING:
		return veto__js_str(d, &out->str, &out->len, out->item, w, f->min, f->max);
	case JS_U53:
		return veto__js_u53(d, &out->u53, out->item, w);
	case JS_ARRAY:
		return veto__js_array(d, &out->len, out->item, w, f->max);
	case JS_OBJECT:
		return veto__js_object(d, out->item, w);
	case JS_ANY:
	default:
		return VETO_OK;
	}
}

veto_status veto__js_format(veto_diag *d, const jsval *obj, const char *want)
{
	const char *format;
	if (veto__js_str(d, &format, NULL, veto__js_get(obj, "format"), "format", 1, 64) != VETO_OK)
		return VETO_E_MALFORMED;
	if (strcmp(format, want) != 0) {
		veto__diag_set(d, "format: \"%.64s\" is not \"%s\"", format, want);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

veto_status veto__js_u53(veto_diag *d, uint64_t *out, const jsval *item, const char *where)
{
	/* The byte-level check admitted only plain digits up to 2^53-1, so
	 * the double is exact; the range test guards against misuse. */
	if (!cJSON_IsNumber(item) || item->valuedouble < 0 ||
	    item->valuedouble > (double)JS_MAX_U53) {
		veto__diag_set(d, "%s: expected an integer from 0 to 2^53-1", where);
		return VETO_E_MALFORMED;
	}
	*out = (uint64_t)item->valuedouble;
	return VETO_OK;
}

veto_status veto__js_str(veto_diag *d, const char **out, size_t *len, const jsval *item,
                   const char *where, size_t min_len, size_t max_len)
{
	if (!cJSON_IsString(item) || item->valuestring == NULL) {
		veto__diag_set(d, "%s: expected a string", where);
		return VETO_E_MALFORMED;
	}
	size_t n = strlen(item->valuestring);
	if (n < min_len || n > max_len) {
		veto__diag_set(d, "%s: length %zu is outside %zu..%zu", where, n, min_len, max_len);
		return VETO_E_MALFORMED;
	}
	*out = item->valuestring;
	if (len != NULL)
		*len = n;
	return VETO_OK;
}

veto_status veto__js_array(veto_diag *d, size_t *count, const jsval *item, const char *where,
                     size_t max_count)
{
	if (!cJSON_IsArray(item)) {
		veto__diag_set(d, "%s: expected an array", where);
		return VETO_E_MALFORMED;
	}
	size_t n = veto__js_count(item);
	if (n > max_count) {
		veto__diag_set(d, "%s: %zu entries, more than the limit of %zu", where, n, max_count);
		return VETO_E_MALFORMED;
	}
	*count = n;
	return VETO_OK;
}

veto_status veto__js_array_table(veto_diag *d, void **table, size_t *count, const veto_config *cfg,
                           const jsval *item, const char *where, size_t max_count, size_t size)
{
	size_t n;
	*table = NULL;
	if (veto__js_array(d, &n, item, where, max_count) != VETO_OK)
		return VETO_E_MALFORMED;
	*table = veto__vx_calloc(cfg, n ? n : 1, size);
	if (*table == NULL) {
		veto__diag_set(d, "out of memory");
		return VETO_E_NOMEM;
	}
	*count = n;
	return VETO_OK;
}
