/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

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
	int over_limit; /* failed on the depth limit, not on the grammar */
	veto_diag *d;
} jv;

static int jv_fail(jv *v, const char *what)
{
	diag_set(v->d, "%s at byte %zu", what, (size_t)(v->p - v->start));
	return -1;
}

static void jv_ws(jv *v)
{
	while (v->p < v->end && (*v->p == ' ' || *v->p == '\t' || *v->p == '\n' || *v->p == '\r'))
		v->p++;
}

/* Control characters, C1 controls and bidirectional overrides may hide
 * what a string says from the person reading it: none is allowed. */
static int forbidden_cp(uint32_t cp)
{
	return cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static int hex4(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		uint8_t c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* One UTF-8 sequence starting at v->p; advances and returns the code point,
 * or -1 for anything RFC 3629 does not allow. */
static int64_t utf8_next(jv *v)
{
	const uint8_t *p = v->p;
	size_t left = (size_t)(v->end - p);
	uint8_t c = p[0];
	uint32_t cp;
	size_t n;
	if (c < 0x80) {
		v->p++;
		return c;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return -1;
	}
	if (left < n)
		return -1;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	v->p += n;
	return cp;
}

static int jv_string(jv *v)
{
	v->p++; /* opening quote */
	while (v->p < v->end) {
		/* Printable ASCII other than '"' and '\\' needs no more thought:
		 * the long base64 payloads are made of it. */
		while (v->p < v->end && *v->p >= 0x20 && *v->p < 0x7f && *v->p != '"' && *v->p != '\\')
			v->p++;
		if (v->p == v->end)
			break;
		uint8_t c = *v->p;
		if (c == '"') {
			v->p++;
			return 0;
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
			if (v->end - v->p < 6 || hex4(v->p + 2, &cp) != 0)
				return jv_fail(v, "invalid \\u escape");
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return jv_fail(v, "unpaired surrogate escape");
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				uint32_t lo;
				if (v->end - v->p < 12 || v->p[6] != '\\' || v->p[7] != 'u' ||
				    hex4(v->p + 8, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
					return jv_fail(v, "unpaired surrogate escape");
				v->p += 12;
				continue; /* astral code points are never forbidden */
			}
			if (forbidden_cp(cp))
				return jv_fail(v, "forbidden character (control or bidirectional) in a string");
			v->p += 6;
			continue;
		}
		const uint8_t *at = v->p;
		int64_t cp = utf8_next(v);
		if (cp < 0) {
			v->p = at;
			return jv_fail(v, "invalid UTF-8");
		}
		if (forbidden_cp((uint32_t)cp)) {
			v->p = at;
			return jv_fail(v, "forbidden character (control or bidirectional) in a string");
		}
	}
	return jv_fail(v, "unterminated string");
}

static int jv_number(jv *v)
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
	return 0;
}

static int jv_literal(jv *v, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(v->end - v->p) < n || memcmp(v->p, lit, n) != 0)
		return jv_fail(v, "invalid JSON token");
	v->p += n;
	return 0;
}

static int jv_value(jv *v); /* NOLINT(misc-no-recursion): depth bounded by max_depth, checked by js_validate before any tree exists */

static int jv_container(jv *v, uint8_t close) /* NOLINT(misc-no-recursion): depth bounded by max_depth, checked by js_validate before any tree exists */
{
	if (++v->depth > v->max_depth) {
		v->over_limit = 1;
		return jv_fail(v, "nesting deeper than the limit");
	}
	v->p++;
	jv_ws(v);
	if (v->p < v->end && *v->p == close) {
		v->p++;
		v->depth--;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			jv_ws(v);
			if (v->p >= v->end || *v->p != '"')
				return jv_fail(v, "expected a member name");
			if (jv_string(v) != 0)
				return -1;
			jv_ws(v);
			if (v->p >= v->end || *v->p != ':')
				return jv_fail(v, "expected ':'");
			v->p++;
		}
		if (jv_value(v) != 0)
			return -1;
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
			return 0;
		}
		return jv_fail(v, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int jv_value(jv *v) /* NOLINT(misc-no-recursion): depth bounded by max_depth, checked by js_validate before any tree exists */
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

int js_validate(veto_diag *d, const uint8_t *text, size_t len, unsigned max_depth)
{
	jv v = {text, text + len, text, 0, max_depth, 0, d};
	jv_ws(&v);
	if (v.p >= v.end)
		return jv_fail(&v, "empty document");
	if (*v.p != '{')
		return jv_fail(&v, "the document is not a JSON object");
	if (jv_value(&v) != 0)
		return v.over_limit ? -2 : -1;
	jv_ws(&v);
	if (v.p != v.end)
		return jv_fail(&v, "bytes after the JSON value");
	return 0;
}

/* ---- duplicates on the tree ----------------------------------------------- */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* cJSON has decoded the escapes, so "\u0061" and "a" compare equal here. */
static int js_no_duplicates(veto_diag *d, const veto_config *cfg, const cJSON *node) /* NOLINT(misc-no-recursion): depth bounded by max_depth, checked by js_validate before any tree exists */
{
	for (; node != NULL; node = node->next) {
		if (cJSON_IsObject(node) && node->child != NULL) {
			size_t n = js_count(node);
			const char **names = vx_calloc(cfg, n, sizeof(*names));
			if (names == NULL)
				return -2;
			size_t i = 0;
			for (const cJSON *c = node->child; c != NULL; c = c->next)
				names[i++] = c->string;
			qsort(names, n, sizeof(*names), name_cmp);
			for (i = 1; i < n; i++) {
				if (strcmp(names[i - 1], names[i]) == 0) {
					diag_set(d, "duplicate member \"%.64s\"", names[i]);
					vx_free(cfg, names);
					return -1;
				}
			}
			vx_free(cfg, names);
		}
		if ((cJSON_IsObject(node) || cJSON_IsArray(node)) && node->child != NULL) {
			int rc = js_no_duplicates(d, cfg, node->child);
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

static void wipe_tree(cJSON *n) /* NOLINT(misc-no-recursion): depth bounded by max_depth, checked by js_validate before any tree exists */
{
	for (; n != NULL; n = n->next) {
		if (n->valuestring != NULL)
			cr_wipe(n->valuestring, strlen(n->valuestring));
		if (n->string != NULL)
			cr_wipe(n->string, strlen(n->string));
		wipe_tree(n->child);
	}
}

void js_delete_secret(cJSON *root)
{
	wipe_tree(root);
	cJSON_Delete(root);
}

static veto_status parse(cJSON **out, veto_diag *d, const veto_config *cfg,
                         const uint8_t *text, size_t len, unsigned max_depth, int secret)
{
	*out = NULL;
	int rc = js_validate(d, text, len, max_depth);
	if (rc != 0)
		return rc == -2 ? VETO_E_LIMIT : VETO_E_MALFORMED;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts((const char *)text, len, &end, 0);
	if (root == NULL) {
		/* The text is valid JSON (checked above), so cJSON failed to
		 * allocate. */
		return VETO_E_NOMEM;
	}
	rc = js_no_duplicates(d, cfg, root);
	if (rc != 0) {
		if (secret)
			js_delete_secret(root);
		else
			cJSON_Delete(root);
		return rc == -2 ? VETO_E_NOMEM : VETO_E_MALFORMED;
	}
	*out = root;
	return VETO_OK;
}

veto_status js_parse(cJSON **out, veto_diag *d, const veto_config *cfg,
                     const uint8_t *text, size_t len, unsigned max_depth)
{
	return parse(out, d, cfg, text, len, max_depth, 0);
}

veto_status js_parse_secret(cJSON **out, veto_diag *d, const veto_config *cfg,
                            const uint8_t *text, size_t len, unsigned max_depth)
{
	return parse(out, d, cfg, text, len, max_depth, 1);
}

/* ---- schema helpers ------------------------------------------------------- */

size_t js_count(const cJSON *item)
{
	size_t n = 0;
	for (const cJSON *c = item ? item->child : NULL; c != NULL; c = c->next)
		n++;
	return n;
}

const cJSON *js_get(const cJSON *obj, const char *name)
{
	for (const cJSON *c = obj ? obj->child : NULL; c != NULL; c = c->next)
		if (c->string != NULL && strcmp(c->string, name) == 0)
			return c;
	return NULL;
}

int js_object(veto_diag *d, const cJSON *item, const char *where)
{
	if (!cJSON_IsObject(item)) {
		diag_set(d, "%s: expected an object", where);
		return -1;
	}
	return 0;
}

int js_members(veto_diag *d, const cJSON *obj, const char *where,
               const char *const *allowed, size_t n_allowed, size_t n_required)
{
	if (js_object(d, obj, where) != 0)
		return -1;
	for (const cJSON *c = obj->child; c != NULL; c = c->next) {
		size_t i;
		for (i = 0; i < n_allowed; i++)
			if (strcmp(c->string, allowed[i]) == 0)
				break;
		if (i == n_allowed) {
			diag_set(d, "%s: unknown member \"%.64s\"", where, c->string);
			return -1;
		}
	}
	for (size_t i = 0; i < n_required; i++) {
		if (js_get(obj, allowed[i]) == NULL) {
			diag_set(d, "%s: missing member \"%s\"", where, allowed[i]);
			return -1;
		}
	}
	return 0;
}

int js_u53(veto_diag *d, uint64_t *out, const cJSON *item, const char *where)
{
	/* The byte-level check admitted only plain digits up to 2^53-1, so
	 * the double is exact; the range test guards against misuse. */
	if (!cJSON_IsNumber(item) || item->valuedouble < 0 ||
	    item->valuedouble > (double)JS_MAX_U53) {
		diag_set(d, "%s: expected an integer from 0 to 2^53-1", where);
		return -1;
	}
	*out = (uint64_t)item->valuedouble;
	return 0;
}

int js_str(veto_diag *d, const char **out, size_t *len, const cJSON *item,
           const char *where, size_t min_len, size_t max_len)
{
	if (!cJSON_IsString(item) || item->valuestring == NULL) {
		diag_set(d, "%s: expected a string", where);
		return -1;
	}
	size_t n = strlen(item->valuestring);
	if (n < min_len || n > max_len) {
		diag_set(d, "%s: length %zu is outside %zu..%zu", where, n, min_len, max_len);
		return -1;
	}
	*out = item->valuestring;
	if (len != NULL)
		*len = n;
	return 0;
}

int js_array(veto_diag *d, size_t *count, const cJSON *item, const char *where,
             size_t max_count)
{
	if (!cJSON_IsArray(item)) {
		diag_set(d, "%s: expected an array", where);
		return -1;
	}
	size_t n = js_count(item);
	if (n > max_count) {
		diag_set(d, "%s: %zu entries, more than the limit of %zu", where, n, max_count);
		return -1;
	}
	*count = n;
	return 0;
}
