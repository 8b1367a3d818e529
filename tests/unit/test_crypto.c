/* SPDX-License-Identifier: Apache-2.0 */
/* crypto.c: the strict base64 of SPEC section 3, hashes, Ed25519 and the
 * validity of public keys (SPEC section 2). */
#include <string.h>

#include <sodium.h>

#include "crypto.h"
#include "bad_keys.h"
#include "fixture.h"

/* ---- base64 -------------------------------------------------------------- */

static const struct {
	const char *in;
	const char *out; /* NULL: must be refused */
} b64_cases[] = {
    /* standard alphabet, padding complete or absent */
    {"", ""},
    {"YQ==", "a"},
    {"YQ", "a"},
    {"YWI=", "ab"},
    {"YWI", "ab"},
    {"YWJj", "abc"},
    {"aGVsbG8gd29ybGQ=", "hello world"},
    {"aGVsbG8gd29ybGQ", "hello world"},
    {"+/+/", "\xfb\xff\xbf"},
    {"+/8=", "\xfb\xff"},
    {"+/8", "\xfb\xff"},
    /* URL-safe alphabet, padding complete or absent */
    {"-_-_", "\xfb\xff\xbf"},
    {"-_8=", "\xfb\xff"},
    {"-_8", "\xfb\xff"},
    /* partial padding */
    {"YQ=", NULL},
    {"-_A=", "\xfb\xf0"},
    {"YQ===", NULL},
    {"YWI==", NULL},
    {"YWJj=", NULL},
    {"=", NULL},
    {"==", NULL},
    /* padding in the middle */
    {"YQ==YQ==", NULL},
    {"YQ=a", NULL},
    /* mixed alphabets */
    {"+_8=", NULL},
    {"-/8=", NULL},
    {"ab+-", NULL},
    /* whitespace, anywhere */
    {"YW Jj", NULL},
    {" YWJj", NULL},
    {"YWJj ", NULL},
    {"YWJj\n", NULL},
    {"YW\tJj", NULL},
    {"YWJj\r\n", NULL},
    /* non-zero unused bits */
    {"YR==", NULL},
    {"YR", NULL},
    {"YWJ=", NULL},
    {"YWJ", NULL},
    /* impossible lengths and foreign characters */
    {"Y", NULL},
    {"YWJjZ", NULL},
    {"YWJj*A==", NULL},
    {"YWJj.A==", NULL},
    /* bytes outside ASCII: never a base64 digit (UTF-8 text included) */
    {"YWJj\xc3\xa9", NULL},
    {"YW\xc3\xa9", NULL},
    {"\x80\x80\x80\x80", NULL},
    {"YWJjZA\xff\xff", NULL},
};

/* The public decoder and the constant-time one for secrets keep the same
 * rules. */
START_TEST(b64_decode_table)
{
	typedef veto_status (*decoder)(uint8_t *, size_t, size_t *, const char *, size_t);
	const decoder fns[2] = {veto__cr_b64_decode, veto__cr_b64_decode_secret};
	for (int f = 0; f < 2; f++) {
		uint8_t out[64];
		size_t n = 12345;
		const char *in = b64_cases[_i].in, *want = b64_cases[_i].out;
		veto_status rc = fns[f](out, sizeof(out), &n, in, strlen(in));
		if (want == NULL) {
			ck_assert_msg(rc == VETO_E_MALFORMED, "%s: \"%s\" must be refused", f ? "secret" : "public", in);
		} else {
			ck_assert_msg(rc == VETO_OK, "%s: \"%s\" must decode", f ? "secret" : "public", in);
			ck_assert_uint_eq(n, strlen(want));
			ck_assert_mem_eq(out, want, n);
		}
	}
}
END_TEST

/* Every byte value outside the two alphabets, at every position of a
 * quantum, is refused; and a string longer than cap is refused, not cut. */
START_TEST(b64_decode_foreign_bytes)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=";
	for (int c = 0; c < 256; c++) {
		if (c != 0 && strchr(alpha, c) != NULL)
			continue;
		for (size_t pos = 0; pos < 4; pos++) {
			char s[9] = "YWJjZGVm";
			uint8_t out[16];
			size_t n = 0;
			s[4 + pos] = (char)c;
			ck_assert_msg(veto__cr_b64_decode(out, sizeof(out), &n, s, 8) == VETO_E_MALFORMED,
			              "veto__cr_b64_decode accepted byte %d at %zu", c, pos);
			ck_assert_msg(veto__cr_b64_decode_secret(out, sizeof(out), &n, s, 8) == VETO_E_MALFORMED,
			              "veto__cr_b64_decode_secret accepted byte %d at %zu", c, pos);
		}
	}
	uint8_t out[6];
	size_t n = 0;
	ck_assert_int_eq(veto__cr_b64_decode(out, 6, &n, "YWJjZGVm", 8), VETO_OK);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(veto__cr_b64_decode(out, 5, &n, "YWJjZGVm", 8), VETO_E_MALFORMED);
	ck_assert_int_eq(veto__cr_b64_decode_secret(out, 5, &n, "YWJjZGVm", 8), VETO_E_MALFORMED);
}
END_TEST

/* The public decoder agrees with libsodium's strict decoder on random
 * strings over the alphabets (with padding and foreign bytes mixed in). */
START_TEST(b64_decode_agrees_with_libsodium)
{
	static const char pool[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_== \n.";
	uint32_t seed = 12345;
	for (int iter = 0; iter < 20000; iter++) {
		char s[16];
		seed = seed * 1103515245U + 12345U;
		size_t len = (seed >> 16) % 13;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245U + 12345U;
			s[i] = pool[(seed >> 16) % (sizeof(pool) - 1)];
		}
		uint8_t a[16], b[16];
		size_t na = 0, nb = 0;
		veto_status ra = veto__cr_b64_decode(a, sizeof(a), &na, s, len);
		veto_status rb = veto__cr_b64_decode_secret(b, sizeof(b), &nb, s, len);
		ck_assert_msg(ra == rb, "\"%.*s\": public %d, secret %d", (int)len, s, (int)ra, (int)rb);
		if (ra == VETO_OK) {
			ck_assert_uint_eq(na, nb);
			ck_assert_mem_eq(a, b, na);
		}
	}
}
END_TEST

START_TEST(b64_decode_cap)
{
	uint8_t out[3];
	size_t n = 0;
	ck_assert_int_eq(veto__cr_b64_decode(out, 3, &n, "YWJj", 4), VETO_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(veto__cr_b64_decode(out, 2, &n, "YWJj", 4), VETO_E_MALFORMED); /* longer than cap */
}
END_TEST

START_TEST(b64_encode_standard_padded)
{
	char buf[64];
	size_t need = veto__cr_b64_encoded_len(2);
	ck_assert_uint_eq(need, 5); /* 4 characters and the NUL */
	veto__cr_b64_encode(buf, need, (const uint8_t *)"\xfb\xff", 2);
	ck_assert_str_eq(buf, "+/8=");
	need = veto__cr_b64_encoded_len(0);
	veto__cr_b64_encode(buf, need, (const uint8_t *)"", 0);
	ck_assert_str_eq(buf, "");
	need = veto__cr_b64_encoded_len(11);
	veto__cr_b64_encode(buf, need, (const uint8_t *)"hello world", 11);
	ck_assert_str_eq(buf, "aGVsbG8gd29ybGQ=");
	ck_assert_uint_eq(veto__cr_b64_encoded_len(SIZE_MAX), 0);
}
END_TEST

START_TEST(b64_round_trip_all_lengths)
{
	uint8_t in[70], out[70];
	char text[100];
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 37U + 11U);
	for (size_t n = 0; n <= sizeof(in); n++) {
		size_t got = 0;
		veto__cr_b64_encode(text, sizeof(text), in, n);
		ck_assert_int_eq(veto__cr_b64_decode(out, sizeof(out), &got, text, strlen(text)), VETO_OK);
		ck_assert_uint_eq(got, n);
		ck_assert_mem_eq(out, in, n);
	}
}
END_TEST

/* ---- hashes -------------------------------------------------------------- */

START_TEST(sha256_vector)
{
	uint8_t h[32];
	veto__cr_sha256(h, (const uint8_t *)"abc", 3);
	ck_assert_str_eq(fx_hex(h, 32),
	                 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(stream_hash_vectors)
{
	cr_hash h;
	uint8_t sha[32], b2[32];
	veto__cr_hash_init(&h, 1, 1);
	veto__cr_hash_update(&h, (const uint8_t *)"a", 1);
	veto__cr_hash_update(&h, (const uint8_t *)"", 0);
	veto__cr_hash_update(&h, (const uint8_t *)"bc", 2);
	veto__cr_hash_final(&h, sha, b2);
	ck_assert_str_eq(fx_hex(sha, 32),
	                 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* unkeyed BLAKE2b with a 32-byte output, not truncated BLAKE2b-512 */
	ck_assert_str_eq(fx_hex(b2, 32),
	                 "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	veto__cr_hash_init(&h, 0, 1);
	veto__cr_hash_final(&h, sha, b2);
	ck_assert_str_eq(fx_hex(b2, 32),
	                 "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}
END_TEST

/* ---- Ed25519 ------------------------------------------------------------- */

/* RFC 8032, section 7.1, TEST 1. */
static const char rfc_seed[] = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char rfc_pk[] = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
static const char rfc_sig[] =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

static void unhex(uint8_t *out, size_t n, const char *s)
{
	size_t got = 0;
	ck_assert_int_eq(sodium_hex2bin(out, n, s, strlen(s), NULL, &got, NULL), 0);
	ck_assert_uint_eq(got, n);
}

START_TEST(ed25519_rfc8032_vector)
{
	uint8_t seed[32], pk[32], want_pk[32], sig[64], want_sig[64];
	unhex(seed, 32, rfc_seed);
	unhex(want_pk, 32, rfc_pk);
	unhex(want_sig, 64, rfc_sig);
	ck_assert_int_eq(veto__cr_public_from_seed(pk, seed), VETO_OK);
	ck_assert_mem_eq(pk, want_pk, 32);
	ck_assert_int_eq(veto__cr_sign(sig, (const uint8_t *)"", 0, seed), VETO_OK);
	ck_assert_mem_eq(sig, want_sig, 64);
	ck_assert_int_eq(veto__cr_verify(sig, (const uint8_t *)"", 0, pk), 1);
}
END_TEST

START_TEST(ed25519_verify_refuses)
{
	uint8_t seed[32], pk[32], other[32], sig[64];
	const uint8_t msg[] = "message";
	memset(seed, 7, 32);
	ck_assert_int_eq(veto__cr_public_from_seed(pk, seed), VETO_OK);
	memset(seed, 8, 32);
	ck_assert_int_eq(veto__cr_public_from_seed(other, seed), VETO_OK);
	memset(seed, 7, 32);
	ck_assert_int_eq(veto__cr_sign(sig, msg, 7, seed), VETO_OK);
	ck_assert_int_eq(veto__cr_verify(sig, msg, 7, pk), 1);
	ck_assert_int_eq(veto__cr_verify(sig, msg, 6, pk), 0);    /* other message */
	ck_assert_int_eq(veto__cr_verify(sig, msg, 7, other), 0); /* other key */
	sig[10] ^= 1;
	ck_assert_int_eq(veto__cr_verify(sig, msg, 7, pk), 0); /* corrupted */
	sig[10] ^= 1;
	/* S not canonical: S + L is the same signature to a lax verifier. */
	static const uint8_t L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
	                              0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	                              0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	                              0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
	unsigned carry = 0;
	for (size_t i = 0; i < 32; i++) {
		unsigned v = (unsigned)sig[32 + i] + L[i] + carry;
		sig[32 + i] = (uint8_t)v;
		carry = v >> 8;
	}
	ck_assert_int_eq(veto__cr_verify(sig, msg, 7, pk), 0);
}
END_TEST

START_TEST(key_valid_refuses_bad_points)
{
	uint8_t pk[32];
	/* the shared list (tests/support/bad_keys.c) */
	ck_assert(tw_key_bytes(pk, tw_bad_keys[_i].hex));
	ck_assert_msg(veto__cr_key_valid(pk) == 0, "%s accepted", tw_bad_keys[_i].name);
	ck_assert_int_eq(veto_key_check(pk), VETO_E_KEY);
}
END_TEST

START_TEST(key_valid_accepts_real_keys)
{
	uint8_t pk[32];
	unhex(pk, 32, rfc_pk);
	ck_assert_int_eq(veto__cr_key_valid(pk), 1);
	/* y = 3, with and without the sign bit: on the curve, canonical, not
	 * of small order (outside the prime-order subgroup): well formed as
	 * SPEC section 2 defines it */
	for (size_t i = 0; i < TW_ODD_GOOD_KEY_COUNT; i++) {
		ck_assert(tw_key_bytes(pk, tw_odd_good_keys[i].hex));
		ck_assert_msg(veto__cr_key_valid(pk) == 1, "%s refused", tw_odd_good_keys[i].name);
	}
	for (int k = 0; k < K_COUNT; k++)
		ck_assert_int_eq(veto__cr_key_valid(fx_key_get(k)->pk), 1);
}
END_TEST

/* y of an encoding (sign bit aside) below p = 2^255 - 19, compared from
 * the top byte down. */
static int y_below_p(const uint8_t pk[32])
{
	for (int i = 31; i >= 0; i--) {
		unsigned y = i == 31 ? (pk[i] & 0x7fU) : pk[i];
		unsigned p = i == 31 ? 0x7fU : (i == 0 ? 0xedU : 0xffU);
		if (y != p)
			return y < p;
	}
	return 0;
}

/* A point of small order: 8P is the identity (computed by doubling). */
static int small_order(const uint8_t pk[32])
{
	static const uint8_t identity[32] = {1};
	uint8_t q[32];
	memcpy(q, pk, 32);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(crypto_core_ed25519_add(q, q, q), 0);
	return memcmp(q, identity, 32) == 0;
}

/* veto__cr_key_valid does its own curve arithmetic (libsodium's minimal build
 * has no point decoding to lend).  Against the full build's: an encoding is
 * a point exactly when crypto_core_ed25519_add can decode it.  Random
 * encodings, and random ones with y just below or above p, or small. */
START_TEST(key_valid_agrees_with_point_decoding)
{
	uint8_t seed[randombytes_SEEDBYTES] = {'k', 'e', 'y'};
	uint8_t pk[32], sum[32];
	int points = 0;
	for (int n = 0; n < 30000; n++) {
		seed[4] = (uint8_t)n;
		seed[5] = (uint8_t)(n >> 8);
		randombytes_buf_deterministic(pk, sizeof pk, seed);
		if (n % 3 == 1) { /* y within 256 of p */
			memset(pk + 1, 0xff, 30);
			pk[31] |= 0x7f;
		} else if (n % 3 == 2) { /* y below 2^16 */
			memset(pk + 2, 0, 30);
		}
		int expect = y_below_p(pk) && crypto_core_ed25519_add(sum, pk, pk) == 0 &&
		             !small_order(pk);
		ck_assert_msg(veto__cr_key_valid(pk) == expect, "encoding %d: expected %d", n, expect);
		points += expect;
	}
	ck_assert_int_gt(points, 10000); /* about half are points */
}
END_TEST

START_TEST(equal_and_wipe)
{
	uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8];
	memcpy(b, a, 8);
	ck_assert_int_eq(veto__cr_equal(a, b, 8), 1);
	b[7] ^= 0x80;
	ck_assert_int_eq(veto__cr_equal(a, b, 8), 0);
	veto__cr_wipe(a, 8);
	static const uint8_t zero[8];
	ck_assert_mem_eq(a, zero, 8);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("crypto");
	TCase *tc = fx_tcase("base64");
	tcase_add_loop_test(tc, b64_decode_table, 0, (int)(sizeof(b64_cases) / sizeof(b64_cases[0])));
	tcase_add_test(tc, b64_decode_foreign_bytes);
	tcase_add_test(tc, b64_decode_agrees_with_libsodium);
	tcase_add_test(tc, b64_decode_cap);
	tcase_add_test(tc, b64_encode_standard_padded);
	tcase_add_test(tc, b64_round_trip_all_lengths);
	suite_add_tcase(s, tc);
	tc = fx_tcase("hash");
	tcase_add_test(tc, sha256_vector);
	tcase_add_test(tc, stream_hash_vectors);
	suite_add_tcase(s, tc);
	tc = fx_tcase("ed25519");
	tcase_add_test(tc, ed25519_rfc8032_vector);
	tcase_add_test(tc, ed25519_verify_refuses);
	tcase_add_loop_test(tc, key_valid_refuses_bad_points, 0,
	                    TW_BAD_KEY_COUNT);
	tcase_add_test(tc, key_valid_accepts_real_keys);
	tcase_add_test(tc, key_valid_agrees_with_point_decoding);
	tcase_add_test(tc, equal_and_wipe);
	suite_add_tcase(s, tc);
	return s;
}
