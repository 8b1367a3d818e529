/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine_openssl.c - SHA-256 of the image stream through OpenSSL libcrypto,
 * which uses the CPU's SHA instructions where there are some (x86 SHA-NI,
 * ARMv8 SHA2): about five times libsodium's portable SHA-256 on a machine
 * that has them.  Built with VETO_HAVE_OPENSSL; without it,
 * veto_tool_sha256_engine() returns NULL and the library hashes with
 * libsodium.
 *
 * Which OpenSSL interface: the SHA256_* functions when the OpenSSL headers
 * still offer them, else EVP (EVP_MD_CTX with EVP_sha256()).  Both run the
 * same assembly, at the same speed; but in OpenSSL 3 the first EVP digest
 * initialises the provider machinery, which costs about 1.6 MiB of resident
 * memory in a process whose whole footprint is otherwise 2-4 MiB
 * (docs/BENCHMARKS.md, "Memory").  SHA256_* is deprecated since 3.0, not
 * removed; OPENSSL_NO_DEPRECATED_3_0 (an OpenSSL built without the
 * deprecated interfaces) selects EVP.
 */
#include "engine.h"

#ifdef VETO_HAVE_OPENSSL

/* Before any OpenSSL header: the deprecated SHA256_* declarations come
 * without deprecation warnings (they are errors in CI). */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <stdio.h>
#include <stdlib.h>

#include <openssl/opensslconf.h>
#include <openssl/sha.h>
#ifdef OPENSSL_NO_DEPRECATED_3_0
#include <openssl/evp.h>
#endif

/* The engine's interface has no error path in update or end (a hardware
 * engine has none either).  Neither OpenSSL interface can fail on a
 * context that was set up for SHA-256; if one ever did, the tool must not
 * hand back a digest of bytes it did not hash, so it stops with the exit
 * status of an internal error. */
static void engine_failed(const char *what)
{
	fprintf(stderr, "veto: internal error: OpenSSL SHA-256 %s failed\n", what);
	exit(2);
}

#ifndef OPENSSL_NO_DEPRECATED_3_0

/* Alike the EVP engine below: the same steps, the other interface; one is compiled. */
static void *engine_begin(void *ctx)
{
	(void)ctx;
	SHA256_CTX *c = malloc(sizeof(*c));
	if (c != NULL && SHA256_Init(c) != 1) {
		free(c);
		c = NULL; /* the library reports VETO_E_NOMEM: no decision */
	}
	return c;
}

static void engine_update(void *state, const uint8_t *data, size_t len)
{
	if (SHA256_Update((SHA256_CTX *)state, data, len) != 1)
		engine_failed("update");
}

static void engine_end(void *state, uint8_t digest[32])
{
	SHA256_CTX *c = state;
	if (digest != NULL && SHA256_Final(digest, c) != 1)
		engine_failed("final");
	free(c);
}

#else /* OPENSSL_NO_DEPRECATED_3_0: EVP only */

/* Alike the SHA256_* engine above: the same steps, the other interface; one is compiled. */
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

#endif /* OPENSSL_NO_DEPRECATED_3_0 */

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
