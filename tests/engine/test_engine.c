/* SPDX-License-Identifier: Apache-2.0 */
/* The veto command's SHA-256 engine (tool/engine_openssl.c): the same
 * digests as libsodium's SHA-256 whether libcrypto is loaded or, when it
 * cannot be (built here with a soname that does not exist), the engine
 * falls back to libsodium; a stream never fed loads nothing.  Argument:
 * "openssl" or "fallback", which path is expected. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "engine.h"

static int digest_matches(const veto_sha256_engine *e, const uint8_t *buf, size_t len,
                          size_t split)
{
	uint8_t got[32], want[32];
	void *s = e->begin(e->ctx);
	if (s == NULL)
		return 0;
	if (split > 0)
		e->update(s, buf, split);
	if (len > split)
		e->update(s, buf + split, len - split);
	e->end(s, got);
	crypto_hash_sha256(want, buf, len);
	return memcmp(got, want, 32) == 0;
}

int main(int argc, char **argv)
{
	static uint8_t buf[200000];
	int want_openssl = argc > 1 && strcmp(argv[1], "openssl") == 0;
	const veto_sha256_engine *e = veto_tool_sha256_engine();
	if (e == NULL || sodium_init() < 0)
		return 1;
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 7 + (i >> 9));
	void *never = e->begin(e->ctx); /* a check without an image */
	e->end(never, NULL);
	int ok = 1;
	ok &= digest_matches(e, buf, 0, 0);
	ok &= digest_matches(e, buf, 3, 1);
	ok &= digest_matches(e, buf, sizeof buf, 65536);
	ok &= digest_matches(e, buf, sizeof buf - 1, 12345);
	ok &= veto_tool_sha256_openssl() == want_openssl;
	printf("%s: %s\n", want_openssl ? "libcrypto" : "fallback", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
