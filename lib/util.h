/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation through the embedder's allocator, bounded text, hex and the
 * output buffer every serializer writes into. */
#ifndef VETO_UTIL_H
#define VETO_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "veto.h"

/* A veto_config with defaults filled in and limits clamped. */
void veto__cfg_resolve(veto_config *out, const veto_config *in);
/* What every public entry point does first: libsodium made ready, then
 * veto__cfg_resolve.  VETO_OK or VETO_E_CRYPTO. */
veto_status veto__cfg_enter(veto_config *out, const veto_config *in);

void *veto__vx_alloc(const veto_config *cfg, size_t n);
/* n * size, NULL on overflow; memory zeroed. */
void *veto__vx_calloc(const veto_config *cfg, size_t n, size_t size);
void veto__vx_free(const veto_config *cfg, void *p);
/* A NUL-terminated copy of s[0..len). */
char *veto__vx_strndup(const veto_config *cfg, const char *s, size_t len);

/* Truncating copy; dst always NUL-terminated when cap > 0. */
void veto__str_copy(char *dst, size_t cap, const char *src);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
void veto__diag_set(veto_diag *d, const char *fmt, ...);
/* (time.c) The detail for a time member `where` that did not parse: a
 * text of the right shape is "not a real instant" (a leap second, February
 * 30), anything else "not [null nor] a time of the form ...".  text may be
 * NULL (the member was not a string). */
void veto__time_diag(veto_diag *d, const char *where, const char *text, size_t len, bool nullable);
/* Whether the bytes at p (left of them readable, at least one) start a
 * UTF-8 sequence RFC 3629 allows; its code point and length go out. */
bool veto__utf8_decode(const uint8_t *p, size_t left, uint32_t *code_point, size_t *len);
/* Replaces every byte that does not start a complete, valid UTF-8 sequence
 * with '?': truncating text (%.100s, a full buffer) may cut a character. */
void veto__utf8_clean(char *s);

/* Lowercase hex of in[0..n) into out (2n chars + NUL). */
void veto__hex_encode(char *out, const uint8_t *in, size_t n);
/* Whether c is a hex digit (A-F only when upper_ok), and its value. */
bool veto__hex_nibble(char c, bool upper_ok, unsigned *value);
/* Exactly 2n lowercase hex digits into n bytes: VETO_OK or VETO_E_MALFORMED. */
veto_status veto__hex_decode(uint8_t *out, size_t n, const char *s, size_t slen);
/* Whether s is exactly 64 lowercase hex digits. */
bool veto__is_hex64(const char *s, size_t len);

/* The elements of an array in the strcmp order of a string member (name,
 * keyid), for lookups in O(log n): made in O(n log n) by veto__name_index_make
 * (VETO_OK or VETO_E_NOMEM), which keeps pointers into the array (it must
 * outlive the index); released by veto__name_index_free.  The order is found
 * without shared state: safe from any number of threads. */
typedef struct name_index {
	const char **names; /* each the member of one element, in order */
	size_t n;
	const char *base; /* the array, its element size, the member's offset */
	size_t size;
	size_t offset;
} name_index;

veto_status veto__name_index_make(name_index *x, const veto_config *cfg, const void *base, size_t n,
                            size_t size, size_t offset);
/* The element of the k-th name in order. */
size_t veto__name_index_at(const name_index *x, size_t k);
/* Whether an element's member equals name, and which element. */
bool veto__name_index_find(const name_index *x, const char *name, size_t *index);
void veto__name_index_free(name_index *x, const veto_config *cfg);

#ifdef VETO_COUNT_WORK
/* strcmp calls made by the name_index functions and veto__feat_find (a build for
 * tests only: not thread-safe). */
extern unsigned long name_compares;
#define NAME_CMP(a, b) (name_compares++, strcmp((a), (b)))
#else
#define NAME_CMP(a, b) strcmp((a), (b))
#endif

/* Growing output buffer.  Errors are sticky: after a failed allocation
 * every call is a no-op and veto__vbuf_finish reports VETO_E_NOMEM. */
typedef struct vbuf {
	char *p;
	size_t len;
	size_t cap;
	bool nomem;
	bool secret; /* wipe every copy: the text holds a secret seed */
	const veto_config *cfg;
} vbuf;

void veto__vbuf_init(vbuf *b, const veto_config *cfg);
void veto__vbuf_put(vbuf *b, const void *data, size_t n);
void veto__vbuf_puts(vbuf *b, const char *s);
void veto__vbuf_u64(vbuf *b, uint64_t v);
/* A JSON string literal, quoted and escaped. */
void veto__vbuf_jstr(vbuf *b, const char *s, size_t n);
void veto__vbuf_jstrz(vbuf *b, const char *s);
/* Standard base64 with padding, as a JSON string literal. */
void veto__vbuf_jb64(vbuf *b, const uint8_t *data, size_t n);
/* Hands the NUL-terminated text to the caller, or VETO_E_NOMEM. */
veto_status veto__vbuf_finish(vbuf *b, char **out, size_t *out_len);
void veto__vbuf_free(vbuf *b);

#endif
