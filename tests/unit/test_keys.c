/* SPDX-License-Identifier: Apache-2.0 */
/* keys.c: keyids, key validity, key files and the "keys" map (SPEC
 * section 2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bad_keys.h"
#include "fixture.h"
#include "keys.h"
#include "util.h"

static void unhex(uint8_t *out, size_t n, const char *s)
{
	size_t got = 0;
	ck_assert_int_eq(sodium_hex2bin(out, n, s, strlen(s), NULL, &got, NULL), 0);
	ck_assert_uint_eq(got, n);
}

/* ---- keyids -------------------------------------------------------------- */

START_TEST(keyid_vector)
{
	/* RFC 8032 TEST 1 public key; keyid = sha256 hex of its 32 bytes
	 * (computed independently with Python's hashlib). */
	uint8_t pk[32];
	char kid[VETO_KEYIDCHARS + 1];
	unhex(pk, 32, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	ck_assert_int_eq(veto_keyid(kid, pk), VETO_OK);
	ck_assert_str_eq(kid, "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
	veto__keyid_of(kid, pk);
	ck_assert_str_eq(kid, "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
}
END_TEST

START_TEST(keyid_of_fixture_keys)
{
	for (int i = 0; i < K_COUNT; i++) {
		const fx_key *k = fx_key_get(i);
		char kid[65];
		ck_assert_int_eq(veto_keyid(kid, k->pk), VETO_OK);
		ck_assert_str_eq(kid, k->keyid);
		ck_assert_uint_eq(strlen(kid), 64);
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(kid, fx_key_get(j)->keyid);
	}
}
END_TEST

START_TEST(bad_keys_refused)
{
	uint8_t pk[32];
	char kid[65] = "untouched";
	char *out = NULL;
	size_t len;
	ck_assert(tw_key_bytes(pk, tw_bad_keys[_i].hex)); /* tests/support/bad_keys.c */
	ck_assert_int_eq(veto_key_check(pk), VETO_E_KEY);
	ck_assert_int_eq(veto_keyid(kid, pk), VETO_E_KEY);
	ck_assert_int_eq(veto_pubkey_format(&out, &len, NULL, pk), VETO_E_KEY);
	ck_assert_ptr_null(out);

	/* in a key file, with its own (correct) keyid */
	uint8_t h[32], got[32];
	crypto_hash_sha256(h, pk, 32);
	const char *file = fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", fx_hex(h, 32),
	                            fx_b64(pk, 32));
	veto_diag d = {{0}};
	ck_assert_int_eq(veto_pubkey_parse(got, &d, (const uint8_t *)file, strlen(file)), VETO_E_KEY);
	ck_assert(d.detail[0] != '\0');

	/* in a keys map */
	const char *map = fx_printf("{\"%s\": {\"ed25519\": \"%s\"}}", fx_hex(h, 32), fx_b64(pk, 32));
	jsval *root = NULL;
	vkey *keys = NULL;
	size_t n = 0;
	veto_config cfg;
	veto__cfg_resolve(&cfg, NULL);
	ck_assert_int_eq(veto__js_parse(&root, NULL, &cfg, (const uint8_t *)map, strlen(map), 16), VETO_OK);
	ck_assert_int_eq(veto__keys_from_json(&d, &keys, &n, &cfg, root, "keys", VKEY_CHECK_NOW),
	                 VETO_E_MALFORMED);
	ck_assert_ptr_null(keys);
	veto__js_delete(root);
}
END_TEST

/* A refused key file format hands out NULL, as every failed serializer. */
START_TEST(format_refused_hands_out_null)
{
	uint8_t zero[32] = {0};
	size_t len = 99;
	char *out = (char *)&len;
	ck_assert_int_eq(veto_pubkey_format(&out, &len, NULL, zero), VETO_E_KEY);
	ck_assert_ptr_null(out);
}
END_TEST

START_TEST(keygen_makes_valid_keys)
{
	uint8_t pk[32], seed[32], pk2[32], seed2[32], again[32];
	ck_assert_int_eq(veto_keygen(pk, seed), VETO_OK);
	ck_assert_int_eq(veto_keygen(pk2, seed2), VETO_OK);
	ck_assert_int_eq(veto_key_check(pk), VETO_OK);
	ck_assert_mem_ne(pk, pk2, 32);
	ck_assert_int_eq(veto_key_public(again, seed), VETO_OK);
	ck_assert_mem_eq(again, pk, 32);
	ck_assert_int_eq(veto_keygen(NULL, seed), VETO_E_ARG);
	ck_assert_int_eq(veto_key_public(again, NULL), VETO_E_ARG);
	ck_assert_int_eq(veto_keyid(NULL, pk), VETO_E_ARG);
	ck_assert_int_eq(veto_key_check(NULL), VETO_E_ARG);
	ck_assert_uint_eq(veto_publickeybytes(), 32);
	ck_assert_uint_eq(veto_seedbytes(), 32);
	ck_assert_uint_eq(veto_sigbytes(), 64);
}
END_TEST

/* ---- key files ----------------------------------------------------------- */

START_TEST(pubkey_file_round_trip)
{
	const fx_key *k = fx_key_get(K_VENDOR);
	char *text = NULL;
	size_t len = 0;
	uint8_t pk[32];
	ck_assert_int_eq(veto_pubkey_format(&text, &len, NULL, k->pk), VETO_OK);
	ck_assert_str_eq(text, fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}\n", k->keyid, k->b64));
	ck_assert_uint_eq(len, strlen(text));
	ck_assert_int_eq(veto_pubkey_parse(pk, NULL, (const uint8_t *)text, len), VETO_OK);
	ck_assert_mem_eq(pk, k->pk, 32);
	veto_free(NULL, text);
}
END_TEST

START_TEST(seckey_file_round_trip)
{
	const fx_key *k = fx_key_get(K_AUD2);
	char *text = NULL;
	size_t len = 0;
	uint8_t seed[32], pk[32];
	ck_assert_int_eq(veto_seckey_format(&text, &len, NULL, k->seed), VETO_OK);
	ck_assert_str_eq(text, fx_printf("{\"keyid\": \"%s\", \"ed25519-seed\": \"%s\"}\n", k->keyid,
	                                 fx_b64(k->seed, 32)));
	ck_assert_int_eq(veto_seckey_parse(seed, pk, NULL, (const uint8_t *)text, len), VETO_OK);
	ck_assert_mem_eq(seed, k->seed, 32);
	ck_assert_mem_eq(pk, k->pk, 32);
	veto_free_secret(NULL, text, len);
	/* a public key file is not a secret key file, nor back */
	ck_assert_int_eq(veto_pubkey_format(&text, &len, NULL, k->pk), VETO_OK);
	ck_assert_int_eq(veto_seckey_parse(seed, pk, NULL, (const uint8_t *)text, len),
	                 VETO_E_MALFORMED);
	veto_free(NULL, text);
	ck_assert_int_eq(veto_seckey_format(&text, &len, NULL, k->seed), VETO_OK);
	ck_assert_int_eq(veto_pubkey_parse(pk, NULL, (const uint8_t *)text, len), VETO_E_MALFORMED);
	veto_free_secret(NULL, text, len);
	ck_assert_int_eq(veto_seckey_parse(seed, NULL, NULL, (const uint8_t *)"{}", 2), VETO_E_ARG);
}
END_TEST

/* The keyid that sits beside a key is recomputed; a mismatch is malformed. */
START_TEST(key_file_keyid_mismatch)
{
	const fx_key *a = fx_key_get(K_OWNER), *b = fx_key_get(K_OWNER2);
	uint8_t pk[32], seed[32];
	veto_diag d = {{0}};
	const char *pub = fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", b->keyid, a->b64);
	ck_assert_int_eq(veto_pubkey_parse(pk, &d, (const uint8_t *)pub, strlen(pub)),
	                 VETO_E_MALFORMED);
	ck_assert(d.detail[0] != '\0');
	const char *sec = fx_printf("{\"keyid\": \"%s\", \"ed25519-seed\": \"%s\"}", b->keyid,
	                            fx_b64(a->seed, 32));
	ck_assert_int_eq(veto_seckey_parse(seed, pk, &d, (const uint8_t *)sec, strlen(sec)),
	                 VETO_E_MALFORMED);
	static const uint8_t zero[32];
	ck_assert_mem_eq(seed, zero, 32); /* a refused seed is not left behind */
	/* the right pairs are fine */
	pub = fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", a->keyid, a->b64);
	ck_assert_int_eq(veto_pubkey_parse(pk, &d, (const uint8_t *)pub, strlen(pub)), VETO_OK);
}
END_TEST

START_TEST(key_file_bad_values)
{
	const fx_key *a = fx_key_get(K_OWNER);
	uint8_t pk[32], seed[32];
	char upper[65];
	for (size_t i = 0; i < 65; i++)
		upper[i] = (char)(a->keyid[i] >= 'a' && a->keyid[i] <= 'f' ? a->keyid[i] - 32 : a->keyid[i]);
	uint8_t short_key[31];
	memcpy(short_key, a->pk, 31);
	uint8_t long_key[33];
	memcpy(long_key, a->pk, 32);
	long_key[32] = 0;
	const char *bad[] = {
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", upper, a->b64),
	    fx_printf("{\"keyid\": \"%.63s\", \"ed25519\": \"%s\"}", a->keyid, a->b64),
	    fx_printf("{\"keyid\": \"%s0\", \"ed25519\": \"%s\"}", a->keyid, a->b64),
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", a->keyid, fx_b64(short_key, 31)),
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", a->keyid, fx_b64(long_key, 33)),
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s \"}", a->keyid, a->b64),
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"\"}", a->keyid),
	    fx_printf("{\"keyid\": null, \"ed25519\": \"%s\"}", a->b64),
	    fx_printf("[\"%s\", \"%s\"]", a->keyid, a->b64),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(veto_pubkey_parse(pk, NULL, (const uint8_t *)bad[i], strlen(bad[i])) ==
		                  VETO_E_MALFORMED,
		              "accepted: %s", bad[i]);
	const char *short_seed = fx_printf("{\"keyid\": \"%s\", \"ed25519-seed\": \"%s\"}", a->keyid,
	                                   fx_b64(a->seed, 31));
	ck_assert_int_eq(veto_seckey_parse(seed, pk, NULL, (const uint8_t *)short_seed,
	                                   strlen(short_seed)),
	                 VETO_E_MALFORMED);
}
END_TEST

/* A seed's base64 with UTF-8 text where two base64 digits belong: not the
 * contract's base64, however the decoder maps those bytes. */
START_TEST(seckey_non_ascii_refused)
{
	uint8_t seed[32], pk[32], got_seed[32], got_pk[32];
	char kid[65];
	memset(seed, 0xff, 32); /* base64: "////...w==" */
	ck_assert_int_eq(veto_key_public(pk, seed), VETO_OK);
	ck_assert_int_eq(veto_keyid(kid, pk), VETO_OK);
	const char *b64 = fx_b64(seed, 32);
	ck_assert_int_eq(strncmp(b64, "////", 4), 0);
	const char *good = fx_printf("{\"keyid\": \"%s\", \"ed25519-seed\": \"%s\"}", kid, b64);
	ck_assert_int_eq(veto_seckey_parse(got_seed, got_pk, NULL, (const uint8_t *)good, strlen(good)),
	                 VETO_OK);
	ck_assert_mem_eq(got_seed, seed, 32);
	const char *texts[] = {"\xc3\xa9", "\xc2\xbf"}; /* 2 bytes for 2 digits */
	for (size_t i = 0; i < 2; i++) {
		const char *bad = fx_replace(good, "//", texts[i]);
		ck_assert_msg(veto_seckey_parse(got_seed, got_pk, NULL, (const uint8_t *)bad, strlen(bad)) ==
		                  VETO_E_MALFORMED,
		              "seed text with \"%s\" for \"//\" accepted", texts[i]);
	}
	/* the same in a public key file */
	const fx_key *k = fx_key_get(K_OWNER);
	const char *pub = fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", k->keyid, k->b64);
	char *bad = fx_printf("%s", pub);
	char *at = strstr(bad, k->b64);
	at[0] = (char)0xc3; /* first two digits replaced by one 2-byte character */
	at[1] = (char)0xa9;
	ck_assert_int_eq(veto_pubkey_parse(got_pk, NULL, (const uint8_t *)bad, strlen(bad)), VETO_E_MALFORMED);
}
END_TEST

START_TEST(key_file_alphabets)
{
	/* Input base64 may be URL-safe or unpadded; the key is the same. */
	uint8_t pk[32];
	int found = 0;
	for (int i = 0; i < K_COUNT && !found; i++) {
		const fx_key *k = fx_key_get(i);
		if (strpbrk(k->b64, "+/") == NULL)
			continue;
		found = 1;
		char url[48];
		size_t n = strlen(k->b64);
		for (size_t j = 0; j <= n; j++)
			url[j] = k->b64[j] == '+' ? '-' : k->b64[j] == '/' ? '_' : k->b64[j];
		const char *f = fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", k->keyid, url);
		ck_assert_int_eq(veto_pubkey_parse(pk, NULL, (const uint8_t *)f, strlen(f)), VETO_OK);
		ck_assert_mem_eq(pk, k->pk, 32);
		url[n - 1] = '\0'; /* unpadded */
		f = fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", k->keyid, url);
		ck_assert_int_eq(veto_pubkey_parse(pk, NULL, (const uint8_t *)f, strlen(f)), VETO_OK);
		ck_assert_mem_eq(pk, k->pk, 32);
	}
	ck_assert_msg(found, "no fixture key has '+' or '/' in its base64");
}
END_TEST

START_TEST(key_file_size_limit)
{
	const fx_key *a = fx_key_get(K_OWNER);
	const char *f = fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", a->keyid, a->b64);
	size_t n = 5000;
	char *big = fx_alloc(n + 1);
	memset(big, ' ', n);
	memcpy(big, f, strlen(f));
	uint8_t pk[32];
	ck_assert_int_eq(veto_pubkey_parse(pk, NULL, (const uint8_t *)big, 4096), VETO_OK);
	ck_assert_int_eq(veto_pubkey_parse(pk, NULL, (const uint8_t *)big, 4097), VETO_E_LIMIT);
}
END_TEST

/* ---- the keys map -------------------------------------------------------- */

static veto_status map_parse(const char *map, vkey **keys, size_t *n)
{
	veto_config cfg;
	veto_diag d = {{0}};
	jsval *root = NULL;
	veto__cfg_resolve(&cfg, NULL);
	/* Wrapped: the strict parser wants an object at the top, the map may
	 * be anything. */
	const char *doc = fx_printf("{\"keys\": %s}", map);
	ck_assert_int_eq(veto__js_parse(&root, NULL, &cfg, (const uint8_t *)doc, strlen(doc), 16), VETO_OK);
	veto_status rc = veto__keys_from_json(&d, keys, n, &cfg, veto__js_get(root, "keys"), "keys",
	                                VKEY_CHECK_NOW);
	veto__js_delete(root);
	if (rc != VETO_OK)
		ck_assert(d.detail[0] != '\0');
	return rc;
}

START_TEST(keys_map)
{
	const fx_key *a = fx_key_get(K_OWNER), *b = fx_key_get(K_VENDOR);
	vkey *keys = NULL;
	size_t n = 0;
	const int both[] = {K_OWNER, K_VENDOR};
	ck_assert_int_eq(map_parse(fx_keys_json(both, 2), &keys, &n), VETO_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(keys[0].keyid, a->keyid);
	ck_assert_mem_eq(keys[1].pk, b->pk, 32);
	size_t at = 99;
	ck_assert(veto__keys_find(keys, n, b->keyid, &at));
	ck_assert_uint_eq(at, 1);
	ck_assert(!veto__keys_find(keys, n, fx_key_get(K_OTHER)->keyid, &at));
	free(keys);

	const char *bad[] = {
	    "{}", /* no key at all */
	    fx_printf("{\"%s\": {\"ed25519\": \"%s\"}}", b->keyid, a->b64), /* mismatch */
	    fx_printf("{\"%s\": {\"ed25519\": \"%s\", \"note\": 1}}", a->keyid, a->b64),
	    fx_printf("{\"%s\": {}}", a->keyid),
	    fx_printf("{\"%s\": \"%s\"}", a->keyid, a->b64),
	    fx_printf("{\"%.63s\": {\"ed25519\": \"%s\"}}", a->keyid, a->b64),
	    fx_printf("{\"x%s\": {\"ed25519\": \"%s\"}}", a->keyid, a->b64),
	    "[]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		keys = NULL;
		ck_assert_msg(map_parse(bad[i], &keys, &n) == VETO_E_MALFORMED, "accepted: %s", bad[i]);
		ck_assert_ptr_null(keys);
	}
}
END_TEST

START_TEST(keys_map_count_limit)
{
	/* VETO_MAX_KEYS keys are fine, one more is not. */
	char *map = fx_alloc((VETO_MAX_KEYS + 1) * 140 + 8);
	size_t at = 0;
	map[at++] = '{';
	for (unsigned i = 0; i <= VETO_MAX_KEYS; i++) {
		uint8_t seed[32], pk[32];
		char kid[65];
		memset(seed, 0, 32);
		seed[0] = (uint8_t)i;
		seed[1] = (uint8_t)(i >> 8);
		seed[2] = 0x5a;
		ck_assert_int_eq(veto_key_public(pk, seed), VETO_OK);
		ck_assert_int_eq(veto_keyid(kid, pk), VETO_OK);
		at += (size_t)sprintf(map + at, "%s\"%s\": {\"ed25519\": \"%s\"}", i ? "," : "", kid,
		                      fx_b64(pk, 32));
		if (i + 1 == VETO_MAX_KEYS) {
			vkey *keys = NULL;
			size_t n = 0;
			char *ok = fx_printf("%s}", map);
			ck_assert_int_eq(map_parse(ok, &keys, &n), VETO_OK);
			ck_assert_uint_eq(n, VETO_MAX_KEYS);
			free(keys);
		}
	}
	strcpy(map + at, "}");
	vkey *keys = NULL;
	size_t n = 0;
	ck_assert_int_eq(map_parse(map, &keys, &n), VETO_E_MALFORMED);
}
END_TEST

/* A keyid/key mismatch in a policy's keys map and in an anchor. */
START_TEST(policy_and_anchor_keyid_mismatch)
{
	const fx_key *a = fx_key_get(K_OWNER), *b = fx_key_get(K_OTHER);
	fx_policy p;
	uint8_t(*keys)[32] = NULL;
	size_t n = 0;
	veto_diag d = {{0}};
	fx_policy_init(&p);
	const char *good = fx_policy_text(&p);
	ck_assert_int_eq(veto_policy_declared_keys(&keys, &n, &d, NULL, (const uint8_t *)good,
	                                           strlen(good)),
	                 VETO_OK);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(keys[0], a->pk, 32);
	veto_free(NULL, keys);
	keys = NULL;
	/* the owner's keyid beside another key */
	const char *bad = fx_replace(good, fx_printf("\"ed25519\": \"%s\"", a->b64),
	                             fx_printf("\"ed25519\": \"%s\"", b->b64));
	ck_assert_int_eq(veto_policy_declared_keys(&keys, &n, &d, NULL, (const uint8_t *)bad,
	                                           strlen(bad)),
	                 VETO_E_MALFORMED);
	ck_assert_ptr_null(keys);

	const char *anchor = fx_replace(fx_default_anchor(), a->b64, b->b64);
	veto_state *s = NULL;
	veto_report rep;
	veto_report_init(&rep, NULL);
	ck_assert_int_eq(veto_state_from_anchor(&s, &rep, NULL, (const uint8_t *)anchor,
	                                        strlen(anchor), 0, NULL, 0),
	                 VETO_E_MALFORMED);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(fx_refusals(&rep), "malformed-anchor");
	veto_report_clear(&rep);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = fx_tcase("keyid");
	tcase_add_test(tc, keyid_vector);
	tcase_add_test(tc, keyid_of_fixture_keys);
	tcase_add_loop_test(tc, bad_keys_refused, 0, TW_BAD_KEY_COUNT);
	tcase_add_test(tc, format_refused_hands_out_null);
	tcase_add_test(tc, keygen_makes_valid_keys);
	suite_add_tcase(s, tc);
	tc = fx_tcase("files");
	tcase_add_test(tc, pubkey_file_round_trip);
	tcase_add_test(tc, seckey_file_round_trip);
	tcase_add_test(tc, key_file_keyid_mismatch);
	tcase_add_test(tc, key_file_bad_values);
	tcase_add_test(tc, seckey_non_ascii_refused);
	tcase_add_test(tc, key_file_alphabets);
	tcase_add_test(tc, key_file_size_limit);
	suite_add_tcase(s, tc);
	tc = fx_tcase("map");
	tcase_add_test(tc, keys_map);
	tcase_add_test(tc, keys_map_count_limit);
	tcase_add_test(tc, policy_and_anchor_keyid_mismatch);
	suite_add_tcase(s, tc);
	return s;
}
