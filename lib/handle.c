/* SPDX-License-Identifier: Apache-2.0 */
/* Objects allocated by the library for callers that cannot know the layout
 * of veto.h's structures (ctypes, cffi in ABI mode, other FFIs): reports,
 * image digests, diagnostics and policy lists behind pointers, read through
 * accessors; and the library's version. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/* Every object made here sits right after a header that remembers the
 * allocator it came from and how many items it holds.  The union keeps what
 * follows aligned for any type, as the allocator's own memory is. */
typedef union handle_head {
	struct {
		veto_config cfg;
		size_t n;    /* items */
		size_t size; /* bytes of one item */
	} h;
	max_align_t align_;
} handle_head;

/* n zeroed items of size bytes after a header, from cfg's allocator: the
 * first item, or NULL when memory runs out or the size overflows. */
static void *handle_new(const veto_config *cfg, size_t n, size_t size)
{
	veto_config c;
	handle_head *head;

	if (size != 0 && n > (SIZE_MAX - sizeof(handle_head)) / size)
		return NULL;
	veto__cfg_resolve(&c, cfg);
	head = veto__vx_calloc(&c, 1, sizeof(handle_head) + n * size);
	if (head == NULL)
		return NULL;
	head->h.cfg = c;
	head->h.n = n;
	head->h.size = size;
	return head + 1;
}

/* The status of a *_new: VETO_OK when handle_new gave p, else
 * VETO_E_NOMEM. */
static veto_status handle_status(const void *p)
{
	return p == NULL ? VETO_E_NOMEM : VETO_OK;
}

static handle_head *handle_of(const void *p)
{
	return (handle_head *)(uintptr_t)p - 1;
}

/* Wipes and releases an object made by handle_new; NULL is a no-op. */
static void handle_free(void *p)
{
	handle_head *head;
	veto_config c;

	if (p == NULL)
		return;
	head = handle_of(p);
	c = head->h.cfg;
	memset(head, 0, sizeof(handle_head) + head->h.n * head->h.size);
	veto__vx_free(&c, head);
}

const char *veto_version(void)
{
	return VETO_VERSION_STRING;
}

/* ---- reports ------------------------------------------------------------- */

veto_status veto_report_new(veto_report **out, const veto_config *cfg)
{
	if (out == NULL)
		return VETO_E_ARG;
	*out = handle_new(cfg, 1, sizeof(veto_report));
	if (*out == NULL)
		return VETO_E_NOMEM;
	veto_report_init(*out, cfg);
	return VETO_OK;
}

void veto_report_free(veto_report *r)
{
	if (r == NULL)
		return;
	veto_report_clear(r);
	handle_free(r);
}

size_t veto_report_refusal_count(const veto_report *r)
{
	return r == NULL ? 0 : r->n_refusals;
}

size_t veto_report_notice_count(const veto_report *r)
{
	return r == NULL ? 0 : r->n_notices;
}

const veto_reason *veto_report_refusal(const veto_report *r, size_t i)
{
	return r == NULL || i >= r->n_refusals ? NULL : &r->refusals[i];
}

const veto_reason *veto_report_notice(const veto_report *r, size_t i)
{
	return r == NULL || i >= r->n_notices ? NULL : &r->notices[i];
}

/* ---- reasons ------------------------------------------------------------- */

veto_code veto_reason_code(const veto_reason *x)
{
	return x == NULL ? (veto_code)0 : x->code;
}

unsigned veto_reason_index(const veto_reason *x)
{
	return x == NULL ? 0 : x->index;
}

int veto_reason_counts(const veto_reason *x, uint64_t *have, uint64_t *need)
{
	int has = x != NULL && x->has_counts;

	if (have != NULL)
		*have = has ? x->have : 0;
	if (need != NULL)
		*need = has ? x->need : 0;
	return has;
}

/* A text field of a reason; the library always terminates them, but a
 * reason the caller filled in may not be, so the last byte is never read
 * past. */
static const char *reason_field(const char *field, size_t cap)
{
	return memchr(field, '\0', cap) != NULL ? field : "";
}

const char *veto_reason_role(const veto_reason *x)
{
	return x == NULL ? "" : reason_field(x->role, sizeof(x->role));
}

const char *veto_reason_feature(const veto_reason *x)
{
	return x == NULL ? "" : reason_field(x->feature, sizeof(x->feature));
}

const char *veto_reason_offered(const veto_reason *x)
{
	return x == NULL ? "" : reason_field(x->offered, sizeof(x->offered));
}

const char *veto_reason_detail(const veto_reason *x)
{
	return x == NULL ? "" : reason_field(x->detail, sizeof(x->detail));
}

/* ---- image digests ------------------------------------------------------- */

veto_status veto_image_digests_new(veto_image_digests **out, const veto_config *cfg)
{
	return out == NULL ? VETO_E_ARG : handle_status(*out = handle_new(cfg, 1, sizeof(**out)));
}

void veto_image_digests_free(veto_image_digests *d)
{
	handle_free(d);
}

uint64_t veto_image_digests_size(const veto_image_digests *d)
{
	return d == NULL ? 0 : d->size;
}

static int digest_copy(uint8_t out[VETO_DIGESTBYTES], int has, const uint8_t *digest)
{
	if (!has || out == NULL)
		return has;
	memcpy(out, digest, VETO_DIGESTBYTES);
	return 1;
}

int veto_image_digests_sha256(const veto_image_digests *d, uint8_t out[VETO_DIGESTBYTES])
{
	return d == NULL ? 0 : digest_copy(out, d->has_sha256 != 0, d->sha256);
}

int veto_image_digests_blake2b256(const veto_image_digests *d, uint8_t out[VETO_DIGESTBYTES])
{
	return d == NULL ? 0 : digest_copy(out, d->has_blake2b != 0, d->blake2b256);
}

/* ---- diagnostics --------------------------------------------------------- */

veto_status veto_diag_new(veto_diag **out, const veto_config *cfg)
{
	return out == NULL ? VETO_E_ARG : handle_status(*out = handle_new(cfg, 1, sizeof(**out)));
}

void veto_diag_free(veto_diag *d)
{
	handle_free(d);
}

const char *veto_diag_detail(const veto_diag *d)
{
	return d == NULL ? "" : reason_field(d->detail, sizeof(d->detail));
}

/* ---- lists of byte spans ------------------------------------------------- */

veto_status veto_bytes_new(veto_bytes **out, const veto_config *cfg, size_t n)
{
	return out == NULL ? VETO_E_ARG : handle_status(*out = handle_new(cfg, n, sizeof(**out)));
}

veto_status veto_bytes_set(veto_bytes *list, size_t i, const uint8_t *ptr, size_t len)
{
	if (list == NULL || i >= handle_of(list)->h.n || (ptr == NULL && len > 0))
		return VETO_E_ARG;
	list[i].ptr = ptr;
	list[i].len = len;
	return VETO_OK;
}

void veto_bytes_free(veto_bytes *list)
{
	handle_free(list);
}
