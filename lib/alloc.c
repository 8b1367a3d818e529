/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "util.h"

void veto__cfg_resolve(veto_config *out, const veto_config *in)
{
	memset(out, 0, sizeof(*out));
	if (in != NULL)
		*out = *in;
	/* Both hooks or neither: a custom alloc paired with free() would hand
	 * the embedder's memory to the C library. */
	if (out->alloc == NULL || out->release == NULL) {
		out->alloc = NULL;
		out->release = NULL;
		out->alloc_ctx = NULL;
	}
	if (out->sha256 != NULL &&
	    (out->sha256->begin == NULL || out->sha256->update == NULL || out->sha256->end == NULL))
		out->sha256 = NULL; /* an incomplete engine is not used */
	if (out->max_envelope == 0 || out->max_envelope > VETO_MAX_ENVELOPE)
		out->max_envelope = VETO_MAX_ENVELOPE;
	if (out->max_signatures == 0 || out->max_signatures > VETO_MAX_SIGNATURES)
		out->max_signatures = VETO_MAX_SIGNATURES;
	if (out->max_depth == 0 || out->max_depth > VETO_MAX_DEPTH)
		out->max_depth = VETO_MAX_DEPTH;
}

veto_status veto__cfg_enter(veto_config *out, const veto_config *in)
{
	veto__cfg_resolve(out, in);
	return veto__cr_init();
}

void *veto__vx_alloc(const veto_config *cfg, size_t n)
{
	if (n == 0)
		n = 1;
	if (cfg != NULL && cfg->alloc != NULL)
		return cfg->alloc(cfg->alloc_ctx, n);
	return malloc(n);
}

void *veto__vx_calloc(const veto_config *cfg, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	void *p = veto__vx_alloc(cfg, n * size);
	if (p != NULL)
		memset(p, 0, n * size == 0 ? 1 : n * size);
	return p;
}

void veto__vx_free(const veto_config *cfg, void *p)
{
	if (p == NULL)
		return;
	if (cfg != NULL && cfg->release != NULL)
		cfg->release(cfg->alloc_ctx, p);
	else
		free(p);
}

char *veto__vx_strndup(const veto_config *cfg, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = veto__vx_alloc(cfg, len + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void veto_free(const veto_config *cfg, void *p)
{
	veto_config c;
	veto__cfg_resolve(&c, cfg);
	veto__vx_free(&c, p);
}

void veto_free_secret(const veto_config *cfg, void *p, size_t len)
{
	if (p == NULL)
		return;
	veto__cr_wipe(p, len);
	veto_free(cfg, p);
}
