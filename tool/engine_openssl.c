/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine_openssl.c - SHA-256 of the image stream through OpenSSL libcrypto
 * (EVP), which uses the CPU's SHA instructions where there are some.
 * Built with VETO_HAVE_OPENSSL; without it, veto_tool_sha256_engine()
 * returns NULL and the library hashes with libsodium.
 */
#include "engine.h"

#ifdef VETO_HAVE_OPENSSL

#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

/* The engine's interface has no error path in update or end (a hardware
 * engine has none either).  EVP_DigestUpdate and EVP_DigestFinal_ex cannot
 * fail on a context that EVP_DigestInit_ex set up for SHA-256; if they ever
 * did, the tool must not hand back a digest of bytes it did not hash, so it
 * stops with the exit status of an internal error. */
static void engine_failed(const char *what)
{
	fprintf(stderr, "veto: internal error: OpenSSL SHA-256 %s failed\n", what);
	exit(2);
}

static void *engine_begin(void *ctx)
{
	(void)ctx;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (md == NULL)
		return NULL;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return NULL; /* the library reports VETO_E_NOMEM: no decision */
	}
	return md;
}

static void engine_update(void *state, const uint8_t *data, size_t len)
{
	if (EVP_DigestUpdate((EVP_MD_CTX *)state, data, len) != 1)
		engine_failed("update");
}

static void engine_end(void *state, uint8_t digest[32])
{
	EVP_MD_CTX *md = state;
	if (digest != NULL) {
		unsigned char out[EVP_MAX_MD_SIZE];
		unsigned int n = 0;
		if (EVP_DigestFinal_ex(md, out, &n) != 1 || n != 32)
			engine_failed("final");
		for (size_t i = 0; i < 32; i++)
			digest[i] = out[i];
	}
	EVP_MD_CTX_free(md);
}

static const veto_sha256_engine openssl_engine = {
	.begin = engine_begin,
	.update = engine_update,
	.end = engine_end,
	.ctx = NULL,
};

const veto_sha256_engine *veto_tool_sha256_engine(void)
{
	return &openssl_engine;
}

#else /* !VETO_HAVE_OPENSSL */

const veto_sha256_engine *veto_tool_sha256_engine(void)
{
	return NULL;
}

#endif
