/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) Signed receipts (SPEC 10): the payload written from the facts of
 * each kind of command, signed by the device key, read back (verify before
 * parse, every member's shape), and the chain of states through them. */
#include <string.h>

#include <sodium.h>

#include "fixture.h"

#define DEVICE K_OTHER /* the device key of these tests */

/* ---- helpers -------------------------------------------------------------- */

static char *state_hex(const veto_state *s)
{
	char *text = NULL;
	size_t len = 0;
	uint8_t h[32];
	ck_assert_int_eq(veto_state_format(&text, &len, s), VETO_OK);
	crypto_hash_sha256(h, (const uint8_t *)text, len);
	veto_free(NULL, text);
	return fx_hex(h, 32);
}

static char *sha_hex(const char *text)
{
	uint8_t h[32];
	crypto_hash_sha256(h, (const uint8_t *)text, strlen(text));
	return fx_hex(h, 32);
}

/* The payload of f, asserting VETO_OK; arena-owned. */
static char *payload_of(const veto_receipt_facts *f)
{
	char *out = NULL;
	size_t len = 0;
	veto_status st = veto_receipt_payload(&out, &len, NULL, f);
	ck_assert_msg(st == VETO_OK, "veto_receipt_payload: %s", veto_status_name(st));
	ck_assert_uint_eq(strlen(out), len);
	char *copy = fx_printf("%s", out);
	veto_free(NULL, out);
	return copy;
}

/* The receipt of f signed by the device key; arena-owned. */
static char *signed_of(const veto_receipt_facts *f)
{
	char *out = NULL;
	size_t len = 0;
	veto_status st = veto_receipt_sign(&out, &len, NULL, f, fx_key_get(DEVICE)->seed);
	ck_assert_msg(st == VETO_OK, "veto_receipt_sign: %s", veto_status_name(st));
	char *copy = fx_printf("%s", out);
	veto_free(NULL, out);
	return copy;
}

static veto_receipt *read_ok(const char *env)
{
	veto_receipt *r = NULL;
	veto_diag d = {{0}};
	veto_status st = veto_receipt_read(&r, &d, NULL, (const uint8_t *)env, strlen(env),
	                                   fx_key_get(DEVICE)->pk);
	ck_assert_msg(st == VETO_OK, "veto_receipt_read: %s (%s)", veto_status_name(st), d.detail);
	return r;
}

/* Asserts that text holds fragment. */
#define HAS(text, fragment)                                                                 \
	ck_assert_msg(strstr((text), (fragment)) != NULL, "\"%s\" not in:\n%s", (fragment),   \
	              (text))

static veto_receipt_facts facts(veto_receipt_kind kind)
{
	veto_receipt_facts f;
	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.time = fx_now();
	return f;
}

/* ---- a first life cycle ------------------------------------------------------ */

START_TEST(smoke_life_cycle)
{
	veto_state *s0 = fx_state0();
	veto_receipt_facts f = facts(VETO_RECEIPT_INIT);
	f.after = s0;
	char *p = payload_of(&f);
	HAS(p, "{\"format\": \"veto.receipt/1\", \"kind\": \"init\"");
	HAS(p, "\"device\": {\"vendor\": \"acme\", \"model\": \"thermo-2\"}");
	HAS(p, "\"time\": \"2026-11-21T00:00:00Z\", \"nonce\": null");
	HAS(p, fx_printf("\"state_before\": null,\n \"state_after\": \"%s\"", state_hex(s0)));
	HAS(p, "\"policy\": null,\n \"update\": null, \"image\": null,\n \"revocations\": [],\n "
	       "\"decision\": null,\n \"refusals\": [], \"notices\": []}\n");
	veto_receipt *r0 = read_ok(signed_of(&f));
	ck_assert_int_eq(veto_receipt_get_kind(r0), VETO_RECEIPT_INIT);

	/* trust */
	char *penv = fx_default_policy_env();
	const char *const pol[] = {penv};
	veto_state *s1 = NULL;
	fx_run *t = fx_trust(&s1, s0, pol, 1, fx_now());
	ck_assert_int_eq(t->finish, VETO_OK);
	f = facts(VETO_RECEIPT_TRUST);
	f.before = s0;
	f.after = s1;
	f.report = &t->rep;
	p = payload_of(&f);
	fx_policy dp;
	fx_policy_init(&dp);
	HAS(p, fx_printf("\"policy\": {\"serial\": 1, \"sha256\": \"%s\"}",
	                 sha_hex(fx_policy_text(&dp))));
	veto_receipt *r1 = read_ok(signed_of(&f));
	ck_assert_str_eq(veto_receipt_decision(r1), "accept");

	/* check then commit */
	size_t ilen;
	const uint8_t *img = fx_image(&ilen);
	fx_run *c = fx_decide_ex(NULL, s1, NULL, 0, fx_default_update_env(), img, ilen, 0, fx_now());
	ck_assert_int_eq(c->finish, VETO_OK);
	veto_state *s2 = NULL;
	ck_assert_int_eq(veto_check_commit(&s2, c->c), VETO_OK);
	fx_keep_state(s2);
	f = facts(VETO_RECEIPT_COMMIT);
	f.before = s1;
	f.after = s2;
	f.check = c->c;
	f.report = &c->rep;
	p = payload_of(&f);
	HAS(p, "\"version\": \"2.4.1\"");
	HAS(p, fx_printf("\"image\": {\"size\": 5000, \"sha256\": \"%s\", \"blake2b-256\": \"%s\"}",
	                 fx_image_sha256_hex(), fx_image_blake2b_hex()));
	veto_receipt *r2 = read_ok(signed_of(&f));

	const veto_receipt *chain[] = {r0, r1, r2};
	unsigned flags[3] = {9, 9, 9};
	ck_assert_int_eq(veto_receipt_chain(flags, NULL, chain, 3), VETO_OK);
	ck_assert_uint_eq(flags[0] | flags[1] | flags[2], 0);
	const veto_receipt *gap[] = {r0, r2};
	ck_assert_int_eq(veto_receipt_chain(flags, NULL, gap, 2), VETO_OK);
	ck_assert_uint_eq(flags[1], VETO_LINK_GAP);
	veto_receipt_free(r0);
	veto_receipt_free(r1);
	veto_receipt_free(r2);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("receipt");
	TCase *tc = fx_tcase("smoke");
	tcase_add_test(tc, smoke_life_cycle);
	suite_add_tcase(s, tc);
	return s;
}
