/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <sodium.h>

#include "crypto.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((cr_hash *)0)->sha256),
               "cr_hash.sha256 too small");
_Static_assert(sizeof(crypto_generichash_state) <= sizeof(((cr_hash *)0)->blake2b),
               "cr_hash.blake2b too small");
_Static_assert(crypto_sign_PUBLICKEYBYTES == 32 && crypto_sign_BYTES == 64 &&
               crypto_sign_SEEDBYTES == 32, "Ed25519 sizes");

int cr_init(void)
{
	/* sodium_init is thread-safe and returns 1 when already done. */
	return sodium_init() < 0 ? -1 : 0;
}

int cr_key_valid(const uint8_t pk[32])
{
	/* libsodium's check is canonical encoding, on the curve, not of small
	 * order, and in the prime-order subgroup.  The last is stricter than
	 * the contract needs; no key made by a signer is outside it (see
	 * docs/DECISIONS.md). */
	return crypto_core_ed25519_is_valid_point(pk) == 1;
}

int cr_verify(const uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t pk[32])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}

int cr_sign(uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t seed[32])
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	int rc = crypto_sign_seed_keypair(pk, sk, seed);
	if (rc == 0)
		rc = crypto_sign_detached(sig, NULL, msg, len, sk);
	sodium_memzero(sk, sizeof(sk));
	return rc == 0 ? 0 : -1;
}

int cr_public_from_seed(uint8_t pk[32], const uint8_t seed[32])
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	int rc = crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(sk, sizeof(sk));
	return rc == 0 ? 0 : -1;
}

int cr_random_seed(uint8_t seed[32])
{
	randombytes_buf(seed, 32);
	return 0;
}

void cr_sha256(uint8_t out[32], const uint8_t *data, size_t len)
{
	crypto_hash_sha256(out, data, len);
}

void cr_hash_init(cr_hash *h, int sha256, int blake2b)
{
	h->use_sha256 = sha256;
	h->use_blake2b = blake2b;
	if (sha256)
		crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)h->sha256);
	if (blake2b)
		crypto_generichash_init((crypto_generichash_state *)(void *)h->blake2b, NULL, 0, 32);
}

void cr_hash_update(cr_hash *h, const uint8_t *data, size_t len)
{
	if (h->use_sha256)
		crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)h->sha256, data, len);
	if (h->use_blake2b)
		crypto_generichash_update((crypto_generichash_state *)(void *)h->blake2b, data, len);
}

void cr_hash_final(cr_hash *h, uint8_t sha256[32], uint8_t blake2b[32])
{
	if (h->use_sha256)
		crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)h->sha256, sha256);
	if (h->use_blake2b)
		crypto_generichash_final((crypto_generichash_state *)(void *)h->blake2b, blake2b, 32);
	sodium_memzero(h, sizeof(*h));
}

int cr_b64_decode(uint8_t *out, size_t cap, size_t *out_len, const char *s, size_t slen)
{
	int std = 0, url = 0, padded = 0;
	for (size_t i = 0; i < slen; i++) {
		char c = s[i];
		if (c == '+' || c == '/')
			std = 1;
		else if (c == '-' || c == '_')
			url = 1;
		else if (c == '=')
			padded = 1;
	}
	if (std && url)
		return -1; /* one alphabet per string */
	int variant = url ? (padded ? sodium_base64_VARIANT_URLSAFE
	                            : sodium_base64_VARIANT_URLSAFE_NO_PADDING)
	                  : (padded ? sodium_base64_VARIANT_ORIGINAL
	                            : sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	const char *end = NULL;
	size_t n = 0;
	/* No characters to ignore: whitespace is malformed.  libsodium also
	 * rejects non-zero unused bits and incomplete padding. */
	if (sodium_base642bin(out, cap, s, slen, NULL, &n, &end, variant) != 0)
		return -1;
	if (end != s + slen)
		return -1;
	*out_len = n;
	return 0;
}

size_t cr_b64_encoded_len(size_t n)
{
	if (n > (SIZE_MAX - 4) / 4 * 3 - 3)
		return 0;
	return sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
}

void cr_b64_encode(char *out, size_t cap, const uint8_t *in, size_t n)
{
	sodium_bin2base64(out, cap, in, n, sodium_base64_VARIANT_ORIGINAL);
}

int cr_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void cr_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}
