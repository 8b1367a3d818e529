/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "util.h"

void veto__str_copy(char *dst, size_t cap, const char *src)
{
	if (cap == 0)
		return;
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

bool veto__utf8_decode(const uint8_t *p, size_t left, uint32_t *code_point, size_t *len)
{
	uint8_t c = p[0];
	uint32_t cp;
	size_t n;
	if (c < 0x80) {
		n = 1;
		cp = c;
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
		return false;
	}
	if (left < n)
		return false;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return false;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return false;
	*code_point = cp;
	*len = n;
	return true;
}

void veto__utf8_clean(char *s)
{
	uint8_t *p = (uint8_t *)s;
	size_t left = strlen(s);
	while (left > 0) {
		uint32_t cp;
		size_t n;
		if (!veto__utf8_decode(p, left, &cp, &n)) {
			*p++ = '?';
			left--;
			continue;
		}
		p += n;
		left -= n;
	}
}

void veto__diag_set(veto_diag *d, const char *fmt, ...)
{
	if (d == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->detail, sizeof(d->detail), fmt, ap);
	va_end(ap);
	veto__utf8_clean(d->detail);
}

static const char hex_digits[] = "0123456789abcdef";

void veto__hex_encode(char *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex_digits[in[i] >> 4];
		out[2 * i + 1] = hex_digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

bool veto__hex_nibble(char c, bool upper_ok, unsigned *value)
{
	if (c >= '0' && c <= '9')
		*value = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		*value = (unsigned)(c - 'a' + 10);
	else if (upper_ok && c >= 'A' && c <= 'F')
		*value = (unsigned)(c - 'A' + 10);
	else
		return false;
	return true;
}

veto_status veto__hex_decode(uint8_t *out, size_t n, const char *s, size_t slen)
{
	unsigned hi, lo;
	if (slen != 2 * n)
		return VETO_E_MALFORMED;
	for (size_t i = 0; i < n; i++) {
		/* upper case is not the contract's form */
		if (!veto__hex_nibble(s[2 * i], false, &hi) || !veto__hex_nibble(s[2 * i + 1], false, &lo))
			return VETO_E_MALFORMED;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return VETO_OK;
}

bool veto__is_hex64(const char *s, size_t len)
{
	unsigned v;
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!veto__hex_nibble(s[i], false, &v))
			return false;
	return true;
}

void veto__vbuf_init(vbuf *b, const veto_config *cfg)
{
	memset(b, 0, sizeof(*b));
	b->cfg = cfg;
}

/* Whether there is room for n more bytes and the NUL, made if need be. */
static bool vbuf_reserve(vbuf *b, size_t n)
{
	if (b->nomem)
		return false;
	if (n >= SIZE_MAX / 2 - b->len) {
		b->nomem = true;
		return false;
	}
	if (b->p != NULL && b->len + n + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	char *p = veto__vx_alloc(b->cfg, cap);
	if (p == NULL) {
		b->nomem = true;
		return false;
	}
	if (b->len && b->p != NULL)
		memcpy(p, b->p, b->len);
	if (b->secret && b->p != NULL)
		veto__cr_wipe(b->p, b->cap);
	veto__vx_free(b->cfg, b->p);
	b->p = p;
	b->cap = cap;
	return true;
}

void veto__vbuf_put(vbuf *b, const void *data, size_t n)
{
	if (!vbuf_reserve(b, n))
		return;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void veto__vbuf_puts(vbuf *b, const char *s)
{
	veto__vbuf_put(b, s, strlen(s));
}

void veto__vbuf_u64(vbuf *b, uint64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	veto__vbuf_put(b, tmp, (size_t)n);
}

void veto__vbuf_jstr(vbuf *b, const char *s, size_t n)
{
	veto__vbuf_put(b, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		veto__vbuf_put(b, s + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\') {
			char esc[2] = {'\\', (char)c};
			veto__vbuf_put(b, esc, 2);
		} else {
			char esc[6] = {'\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 15]};
			veto__vbuf_put(b, esc, 6);
		}
	}
	veto__vbuf_put(b, s + run, n - run);
	veto__vbuf_put(b, "\"", 1);
}

void veto__vbuf_jstrz(vbuf *b, const char *s)
{
	veto__vbuf_jstr(b, s, strlen(s));
}

void veto__vbuf_jb64(vbuf *b, const uint8_t *data, size_t n)
{
	size_t need = veto__cr_b64_encoded_len(n); /* includes the NUL */
	if (need == 0) {
		b->nomem = true;
		return;
	}
	veto__vbuf_put(b, "\"", 1);
	if (!vbuf_reserve(b, need))
		return;
	veto__cr_b64_encode(b->p + b->len, need, data, n);
	b->len += need - 1;
	veto__vbuf_put(b, "\"", 1);
}

veto_status veto__vbuf_finish(vbuf *b, char **out, size_t *out_len)
{
	if (!b->nomem && b->p == NULL)
		veto__vbuf_put(b, "", 0);
	if (b->nomem) {
		veto__vbuf_free(b);
		*out = NULL; /* nothing half-written is handed out */
		if (out_len != NULL)
			*out_len = 0;
		return VETO_E_NOMEM;
	}
	*out = b->p;
	if (out_len != NULL)
		*out_len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return VETO_OK;
}

void veto__vbuf_free(vbuf *b)
{
	if (b->secret && b->p != NULL)
		veto__cr_wipe(b->p, b->cap);
	veto__vx_free(b->cfg, b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

#ifdef VETO_COUNT_WORK
unsigned long name_compares;
#endif

/* qsort order of name_index.names: by the string, then by place (the
 * pointers point into one array), so equal names stay in array order. */
static int by_name(const void *a, const void *b)
{
	const char *x = *(const char *const *)a;
	const char *y = *(const char *const *)b;
	int c = NAME_CMP(x, y);
	if (c != 0)
		return c;
	return x < y ? -1 : x > y ? 1 : 0;
}

veto_status veto__name_index_make(name_index *x, const veto_config *cfg, const void *base, size_t n,
                            size_t size, size_t offset)
{
	x->base = base;
	x->n = n;
	x->size = size;
	x->offset = offset;
	x->names = NULL;
	if (n == 0)
		return VETO_OK;
	x->names = veto__vx_calloc(cfg, n, sizeof(*x->names));
	if (x->names == NULL)
		return VETO_E_NOMEM;
	for (size_t i = 0; i < n; i++)
		x->names[i] = x->base + i * size + offset;
	qsort((void *)x->names, n, sizeof(*x->names), by_name);
	return VETO_OK;
}

size_t veto__name_index_at(const name_index *x, size_t k)
{
	return (size_t)(x->names[k] - x->offset - x->base) / x->size;
}

bool veto__name_index_find(const name_index *x, const char *name, size_t *index)
{
	size_t lo = 0, hi = x->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = NAME_CMP(x->names[mid], name);
		if (c == 0) {
			*index = veto__name_index_at(x, mid);
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

void veto__name_index_free(name_index *x, const veto_config *cfg)
{
	veto__vx_free(cfg, (void *)x->names);
	x->names = NULL;
	x->n = 0;
}
