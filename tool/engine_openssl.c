/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine_openssl.c - SHA-256 of the image stream through OpenSSL libcrypto,
 * which uses the CPU's SHA instructions where there are some (x86 SHA-NI,
 * ARMv8 SHA2): about five times libsodium's portable SHA-256 on a machine
 * that has them.  Built with VETO_HAVE_OPENSSL; without it,
 * veto_tool_sha256_engine() returns NULL and the library hashes with
 * libsodium.
 *
 * libcrypto is not linked: it is loaded with dlopen the first time image
 * bytes are hashed with SHA-256.  Linked, the dynamic loader mapped and
 * relocated it in every run of every command — about half the instructions
 * of a metadata-only `veto check` and 1.3 MiB of resident memory
 * (docs/BENCHMARKS.md, "Start-up").  When libcrypto.so.3 cannot be loaded,
 * or lacks the functions, the engine hashes with libsodium: slower, the
 * same digest.
 *
 * Which OpenSSL interface: the SHA256_* functions.  EVP runs the same
 * assembly at the same speed, but in OpenSSL 3 the first EVP digest
 * initialises the provider machinery, about 1.6 MiB more resident memory
 * (docs/BENCHMARKS.md, "Memory").  SHA256_* is deprecated since 3.0, not
 * removed; a libcrypto without it is handled like a missing one.
 */
#include "engine.h"

#ifdef VETO_HAVE_OPENSSL

#include <dlfcn.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>
#include <sodium.h>

/* The library's soname: the ABI of OpenSSL 3, whose SHA256_CTX the
 * headers describe. */
#ifndef LIBCRYPTO_SONAME
#define LIBCRYPTO_SONAME "libcrypto.so.3"
#endif

typedef int (*sha_init_fn)(SHA256_CTX *c);
typedef int (*sha_update_fn)(SHA256_CTX *c, const void *data, size_t len);
typedef int (*sha_final_fn)(unsigned char *md, SHA256_CTX *c);

/* What was loaded, once for the process (pthread_once: any thread may
 * hash first). */
static struct {
	sha_init_fn init;
	sha_update_fn update;
	sha_final_fn final;
	bool ok;
} crypto;
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

/* dlsym hands back an object pointer; POSIX guarantees it converts to a
 * function pointer: copy its bytes. */
static void *symbol(void *lib, const char *name, void *out, size_t size)
{
	void *p = dlsym(lib, name);
	if (p != NULL && size == sizeof(p))
		memcpy(out, &p, size);
	return p;
}

static void crypto_load(void)
{
	void *lib = dlopen(LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL)
		return; /* libsodium from here on */
	crypto.ok = symbol(lib, "SHA256_Init", &crypto.init, sizeof(crypto.init)) != NULL &&
	            symbol(lib, "SHA256_Update", &crypto.update, sizeof(crypto.update)) != NULL &&
	            symbol(lib, "SHA256_Final", &crypto.final, sizeof(crypto.final)) != NULL;
	if (!crypto.ok)
		dlclose(lib);
	/* else kept loaded for the life of the process */
}

/* One image's hash: started only when the first bytes (or the end) come,
 * so that a check without an image loads nothing. */
typedef struct stream {
	bool started;
	bool openssl; /* else libsodium */
	union {
		SHA256_CTX ossl;
		crypto_hash_sha256_state sodium;
	} u;
} stream;

/* The engine's interface has no error path in update or end (a hardware
 * engine has none either).  SHA256_* cannot fail on a context set up for
 * it; if it ever did, the tool must not hand back a digest of bytes it did
 * not hash, so it stops with the exit status of an internal error. */
static void engine_failed(const char *what)
{
	fprintf(stderr, "veto: internal error: OpenSSL SHA-256 %s failed\n", what);
	exit(2);
}

static void stream_start(stream *s)
{
	(void)pthread_once(&crypto_once, crypto_load);
	s->started = true;
	s->openssl = crypto.ok;
	if (s->openssl) {
		if (crypto.init(&s->u.ossl) != 1)
			engine_failed("init");
	} else {
		crypto_hash_sha256_init(&s->u.sodium);
	}
}

static void *engine_begin(void *ctx)
{
	(void)ctx;
	stream *s = calloc(1, sizeof(*s));
	return s; /* NULL: the library reports VETO_E_NOMEM, no decision */
}

static void engine_update(void *state, const uint8_t *data, size_t len)
{
	stream *s = state;
	if (!s->started)
		stream_start(s);
	if (!s->openssl)
		crypto_hash_sha256_update(&s->u.sodium, data, len);
	else if (crypto.update(&s->u.ossl, data, len) != 1)
		engine_failed("update");
}

static void engine_end(void *state, uint8_t digest[32])
{
	stream *s = state;
	if (digest != NULL) {
		if (!s->started)
			stream_start(s); /* an empty image */
		if (!s->openssl)
			crypto_hash_sha256_final(&s->u.sodium, digest);
		else if (crypto.final(digest, &s->u.ossl) != 1)
			engine_failed("final");
	}
	sodium_memzero(s, sizeof(*s));
	free(s);
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

bool veto_tool_sha256_openssl(void)
{
	(void)pthread_once(&crypto_once, crypto_load);
	return crypto.ok;
}

#else /* !VETO_HAVE_OPENSSL */

const veto_sha256_engine *veto_tool_sha256_engine(void)
{
	return NULL;
}

bool veto_tool_sha256_openssl(void)
{
	return false;
}

#endif
