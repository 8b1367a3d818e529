/* SPDX-License-Identifier: Apache-2.0 */
/* envelope.c: DSSE v1 envelopes (SPEC section 3): PAE, parsing under the
 * JSON rules and limits, signing and co-signing. */
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "fixture.h"

/* ---- PAE ----------------------------------------------------------------- */

START_TEST(pae_dsse_vector)
{
	/* The DSSE specification's own example. */
	const char *type = "http://example.com/HelloWorld";
	const char *want = "DSSEv1 29 http://example.com/HelloWorld 11 hello world";
	uint8_t out[128];
	size_t len = 0;
	ck_assert_int_eq(veto_pae(out, sizeof(out), &len, type, strlen(type),
	                          (const uint8_t *)"hello world", 11),
	                 VETO_OK);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_mem_eq(out, want, len);
	/* exactly enough room */
	ck_assert_int_eq(veto_pae(out, strlen(want), &len, type, strlen(type),
	                          (const uint8_t *)"hello world", 11),
	                 VETO_OK);
	ck_assert_mem_eq(out, want, len);
}
END_TEST

START_TEST(pae_empty_payload)
{
	const char *type = "http://example.com/HelloWorld";
	const char *want = "DSSEv1 29 http://example.com/HelloWorld 0 ";
	uint8_t out[128];
	size_t len = 0;
	ck_assert_int_eq(veto_pae(out, sizeof(out), &len, type, strlen(type), NULL, 0), VETO_OK);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_mem_eq(out, want, len);
	ck_assert_int_eq(veto_pae(out, sizeof(out), &len, type, strlen(type), (const uint8_t *)"", 0),
	                 VETO_OK);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_int_eq(veto_pae(out, sizeof(out), &len, "", 0, NULL, 0), VETO_OK);
	ck_assert_uint_eq(len, 12);
	ck_assert_mem_eq(out, "DSSEv1 0  0 ", 12);
}
END_TEST

START_TEST(pae_buffer_too_small)
{
	const char *type = "http://example.com/HelloWorld";
	uint8_t out[64];
	memset(out, 0xee, sizeof(out));
	size_t len = 0;
	ck_assert_int_eq(veto_pae(out, 53, &len, type, strlen(type), (const uint8_t *)"hello world", 11),
	                 VETO_E_BUFFER);
	ck_assert_uint_eq(len, 54); /* the length needed */
	ck_assert_uint_eq(out[0], 0xee); /* nothing written */
	len = 0;
	ck_assert_int_eq(veto_pae(NULL, 0, &len, type, strlen(type), (const uint8_t *)"hello world", 11),
	                 VETO_E_BUFFER);
	ck_assert_uint_eq(len, 54);
	ck_assert_int_eq(veto_pae(out, 64, NULL, type, strlen(type), NULL, 0), VETO_E_ARG);
	ck_assert_int_eq(veto_pae(out, 64, &len, NULL, 3, NULL, 0), VETO_E_ARG);
	ck_assert_int_eq(veto_pae(out, 64, &len, type, 3, NULL, 4), VETO_E_ARG);
}
END_TEST

START_TEST(pae_lengths_are_bytes)
{
	/* LEN counts bytes, in decimal without leading zeros. */
	uint8_t out[2100];
	size_t len = 0;
	uint8_t payload[1000];
	memset(payload, 'x', sizeof(payload));
	ck_assert_int_eq(veto_pae(out, sizeof(out), &len, "t\xc3\xa9", 3, payload, 1000), VETO_OK);
	ck_assert_mem_eq(out, "DSSEv1 3 t\xc3\xa9 1000 x", 19);
	ck_assert_uint_eq(len, 18 + 1000);
}
END_TEST

/* ---- parsing ------------------------------------------------------------- */

static veto_status parse(const char *text, size_t len, const veto_config *cfg)
{
	veto_envelope *e = NULL;
	veto_diag d = {{0}};
	veto_status st = veto_envelope_parse(&e, &d, cfg, (const uint8_t *)text, len);
	if (st == VETO_OK)
		ck_assert_ptr_nonnull(e);
	else {
		ck_assert_ptr_null(e);
		ck_assert(d.detail[0] != '\0');
	}
	veto_envelope_free(e);
	return st;
}

START_TEST(parse_and_inspect)
{
	fx_update u;
	fx_update_init(&u);
	const char *payload = fx_update_text(&u);
	const char *env = FX_UPDATE_ENV(payload, K_VENDOR, K_AUD1);
	veto_envelope *e = NULL;
	size_t len = 0;
	ck_assert_int_eq(veto_envelope_parse(&e, NULL, NULL, (const uint8_t *)env, strlen(env)), VETO_OK);
	ck_assert_str_eq(veto_envelope_type(e), VETO_TYPE_UPDATE);
	const uint8_t *p = veto_envelope_payload(e, &len);
	ck_assert_uint_eq(len, strlen(payload));
	ck_assert_mem_eq(p, payload, len);
	ck_assert_uint_eq(veto_envelope_sig_count(e), 2);
	ck_assert_str_eq(veto_envelope_sig_keyid(e, 0), fx_key_get(K_VENDOR)->keyid);
	ck_assert_str_eq(veto_envelope_sig_keyid(e, 1), fx_key_get(K_AUD1)->keyid);
	ck_assert_ptr_null(veto_envelope_sig_keyid(e, 2));
	ck_assert_int_eq(veto_envelope_sig_verifies(e, 0, fx_key_get(K_VENDOR)->pk), 1);
	ck_assert_int_eq(veto_envelope_sig_verifies(e, 1, fx_key_get(K_AUD1)->pk), 1);
	ck_assert_int_eq(veto_envelope_sig_verifies(e, 0, fx_key_get(K_AUD1)->pk), 0);
	ck_assert_int_eq(veto_envelope_sig_verifies(e, 2, fx_key_get(K_AUD1)->pk), 0);
	veto_envelope_free(e);
}
END_TEST

/* An entry whose keyid names one key but whose signature is by another
 * does not verify for either. */
START_TEST(sig_keyid_must_match)
{
	const char *payload = "{}";
	fx_sig s;
	fx_sig_by(&s, K_AUD2, VETO_TYPE_UPDATE, payload);
	memcpy(s.keyid, fx_key_get(K_AUD1)->keyid, 65);
	const char *env = fx_envelope(VETO_TYPE_UPDATE, payload, &s, 1);
	veto_envelope *e = NULL;
	ck_assert_int_eq(veto_envelope_parse(&e, NULL, NULL, (const uint8_t *)env, strlen(env)), VETO_OK);
	ck_assert_int_eq(veto_envelope_sig_verifies(e, 0, fx_key_get(K_AUD1)->pk), 0);
	ck_assert_int_eq(veto_envelope_sig_verifies(e, 0, fx_key_get(K_AUD2)->pk), 0);
	veto_envelope_free(e);
}
END_TEST

START_TEST(payload_alphabets)
{
	/* "{}" padded to 3 bytes "{} " is e30g: check URL-safe and unpadded. */
	const char *kid = fx_key_get(K_OWNER)->keyid;
	const char *sig = fx_b64((const uint8_t *)"0123456789012345678901234567890123456789012345678901234567890123", 64);
	const char *cases[][2] = {
	    {"e30=", "{}"},
	    {"e30", "{}"},
	    {"Pz8_", "\x3f\x3f\x3f"},
	    {"Pz8/", "\x3f\x3f\x3f"},
	};
	for (size_t i = 0; i < 4; i++) {
		const char *env = fx_printf("{\"payloadType\": \"t\", \"payload\": \"%s\", \"signatures\": "
		                            "[{\"keyid\": \"%s\", \"sig\": \"%s\"}]}",
		                            cases[i][0], kid, sig);
		veto_envelope *e = NULL;
		size_t len = 0;
		ck_assert_int_eq(veto_envelope_parse(&e, NULL, NULL, (const uint8_t *)env, strlen(env)),
		                 VETO_OK);
		const uint8_t *p = veto_envelope_payload(e, &len);
		ck_assert_uint_eq(len, strlen(cases[i][1]));
		ck_assert_mem_eq(p, cases[i][1], len);
		veto_envelope_free(e);
	}
}
END_TEST

/* Templates: KID is a keyid, SIG64/SIG63/SIG65 a signature of that many
 * bytes. */
static const char *const bad_envelopes[] = {
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [], \"extra\": 1}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\"}",
    "{\"payloadType\": \"t\", \"signatures\": []}",
    "{\"payload\": \"e30=\", \"signatures\": []}",
    "{\"PayloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": []}",
    "{\"payloadtype\": \"t\", \"payload\": \"e30=\", \"signatures\": []}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"payload\": \"e30=\", \"signatures\": []}",
    "{\"payloadType\": 1, \"payload\": \"e30=\", \"signatures\": []}",
    "{\"payloadType\": \"t\", \"payload\": null, \"signatures\": []}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": {}}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [1]}",
    /* base64 of the payload */
    "{\"payloadType\": \"t\", \"payload\": \"e3=\", \"signatures\": []}",
    "{\"payloadType\": \"t\", \"payload\": \"e30==\", \"signatures\": []}",
    "{\"payloadType\": \"t\", \"payload\": \"e3 0=\", \"signatures\": []}",
    "{\"payloadType\": \"t\", \"payload\": \"Pz8_Pz8/\", \"signatures\": []}",
    "{\"payloadType\": \"t\", \"payload\": \"e31=\", \"signatures\": []}",
    /* signature entries */
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"sig\": \"SIG64\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"KID\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"KID\", \"sig\": \"SIG64\", \"cert\": \"\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"KID\", \"sig\": \"SIG64\", \"keyid\": \"KID\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"KeyId\": \"KID\", \"sig\": \"SIG64\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"KID63\", \"sig\": \"SIG64\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"KID0\", \"sig\": \"SIG64\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"\", \"sig\": \"SIG64\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": 1, \"sig\": \"SIG64\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"KID\", \"sig\": \"\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"KID\", \"sig\": \"SIG64 \"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"KID\", \"sig\": \"SIG64AAAA\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"KID\", \"sig\": \"SIG63\"}]}",
    "{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": [{\"keyid\": \"KID\", \"sig\": \"SIG65\"}]}",
};

/* Every occurrence of `from` in s replaced by `to`. */
static char *subst(const char *s, const char *from, const char *to)
{
	char *out = fx_printf("%s", s);
	while (strstr(out, from) != NULL)
		out = fx_replace(out, from, to);
	return out;
}

START_TEST(bad_envelope_table)
{
	const char *kid = fx_key_get(K_OWNER)->keyid;
	uint8_t sig[65];
	memset(sig, 0x42, sizeof(sig));
	char *text = subst(bad_envelopes[_i], "KID63", fx_printf("%.63s", kid));
	text = subst(text, "KID", kid);
	text = subst(text, "SIG64", fx_b64(sig, 64));
	text = subst(text, "SIG63", fx_b64(sig, 63));
	text = subst(text, "SIG65", fx_b64(sig, 65));
	ck_assert_msg(parse(text, strlen(text), NULL) == VETO_E_MALFORMED, "accepted: %s", text);
}
END_TEST

START_TEST(keyid_upper_case_refused)
{
	char kid[65];
	uint8_t sig[64];
	memset(sig, 0x42, sizeof(sig));
	memcpy(kid, fx_key_get(K_OWNER)->keyid, 65);
	const char *ok = fx_printf("{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": "
	                           "[{\"keyid\": \"%s\", \"sig\": \"%s\"}]}",
	                           kid, fx_b64(sig, 64));
	ck_assert_int_eq(parse(ok, strlen(ok), NULL), VETO_OK);
	char *p = strpbrk(kid, "abcdef");
	ck_assert_ptr_nonnull(p);
	*p = (char)(*p - 32);
	const char *bad = fx_printf("{\"payloadType\": \"t\", \"payload\": \"e30=\", \"signatures\": "
	                            "[{\"keyid\": \"%s\", \"sig\": \"%s\"}]}",
	                            kid, fx_b64(sig, 64));
	ck_assert_int_eq(parse(bad, strlen(bad), NULL), VETO_E_MALFORMED);
	/* any string is a payloadType here: an empty or long one is merely not
	 * the type a decision expects (policy-type / update-type) */
	char *longtype = fx_alloc(1001);
	memset(longtype, 't', 1000);
	const char *types[2] = {"", longtype};
	for (int i = 0; i < 2; i++) {
		const char *env = fx_printf("{\"payloadType\": \"%s\", \"payload\": \"e30=\", \"signatures\": []}",
		                            types[i]);
		veto_envelope *e = NULL;
		ck_assert_int_eq(veto_envelope_parse(&e, NULL, NULL, (const uint8_t *)env, strlen(env)), VETO_OK);
		ck_assert_str_eq(veto_envelope_type(e), types[i]);
		veto_envelope_free(e);
	}
	/* no signature at all is still an envelope (it just convinces nobody) */
	const char *none = "{\"payloadType\": \"t\", \"payload\": \"\", \"signatures\": []}";
	ck_assert_int_eq(parse(none, strlen(none), NULL), VETO_OK);
}
END_TEST

/* ---- limits -------------------------------------------------------------- */

/* A valid envelope padded with trailing spaces to exactly n bytes. */
static char *padded(size_t n)
{
	const char *env = fx_default_update_env();
	size_t len = strlen(env);
	ck_assert_uint_le(len, n);
	char *s = fx_alloc(n + 1);
	memset(s, ' ', n);
	memcpy(s, env, len);
	return s;
}

START_TEST(size_limit)
{
	const char *mib = padded(VETO_MAX_ENVELOPE + 1);
	ck_assert_int_eq(parse(mib, VETO_MAX_ENVELOPE, NULL), VETO_OK);
	ck_assert_int_eq(parse(mib, VETO_MAX_ENVELOPE + 1, NULL), VETO_E_LIMIT);
	/* lowered */
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_envelope = 4000;
	ck_assert_int_eq(parse(mib, 4000, &cfg), VETO_OK);
	ck_assert_int_eq(parse(mib, 4001, &cfg), VETO_E_LIMIT);
	/* raised: clamped to the contract's limit */
	cfg.max_envelope = 2 * VETO_MAX_ENVELOPE;
	ck_assert_int_eq(parse(mib, VETO_MAX_ENVELOPE, &cfg), VETO_OK);
	ck_assert_int_eq(parse(mib, VETO_MAX_ENVELOPE + 1, &cfg), VETO_E_LIMIT);
}
END_TEST

/* An envelope of n entries, all by `key` over payload (repeats allowed). */
static char *many_sigs(size_t n, int key, const char *payload)
{
	fx_sig *sigs = fx_alloc(n * sizeof(*sigs));
	for (size_t i = 0; i < n; i++)
		fx_sig_by(&sigs[i], key, VETO_TYPE_UPDATE, payload);
	return fx_envelope(VETO_TYPE_UPDATE, payload, sigs, n);
}

START_TEST(signature_limit)
{
	fx_update u;
	fx_update_init(&u);
	const char *payload = fx_update_text(&u);
	const char *e64 = many_sigs(64, K_AUD1, payload), *e65 = many_sigs(65, K_AUD1, payload);
	ck_assert_int_eq(parse(e64, strlen(e64), NULL), VETO_OK);
	ck_assert_int_eq(parse(e65, strlen(e65), NULL), VETO_E_LIMIT);
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_signatures = 3;
	const char *e3 = many_sigs(3, K_AUD1, payload), *e4 = many_sigs(4, K_AUD1, payload);
	ck_assert_int_eq(parse(e3, strlen(e3), &cfg), VETO_OK);
	ck_assert_int_eq(parse(e4, strlen(e4), &cfg), VETO_E_LIMIT);
	cfg.max_signatures = 1000; /* clamped */
	ck_assert_int_eq(parse(e64, strlen(e64), &cfg), VETO_OK);
	ck_assert_int_eq(parse(e65, strlen(e65), &cfg), VETO_E_LIMIT);
}
END_TEST

/* ---- signing ------------------------------------------------------------- */

START_TEST(sign_policy_and_update)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	const char *payloads[2] = {fx_policy_text(&p), fx_update_text(&u)};
	const char *types[2] = {VETO_TYPE_POLICY, VETO_TYPE_UPDATE};
	for (int i = 0; i < 2; i++) {
		char *out = NULL;
		size_t len = 0;
		veto_envelope *e = NULL;
		size_t plen = 0;
		ck_assert_int_eq(veto_sign(&out, &len, NULL, NULL, (const uint8_t *)payloads[i],
		                           strlen(payloads[i]), fx_key_get(K_OWNER)->seed),
		                 VETO_OK);
		ck_assert_uint_eq(len, strlen(out));
		ck_assert_int_eq(out[len - 1], '\n');
		ck_assert_int_eq(veto_envelope_parse(&e, NULL, NULL, (const uint8_t *)out, len), VETO_OK);
		ck_assert_str_eq(veto_envelope_type(e), types[i]);
		const uint8_t *pl = veto_envelope_payload(e, &plen);
		ck_assert_uint_eq(plen, strlen(payloads[i]));
		ck_assert_mem_eq(pl, payloads[i], plen);
		ck_assert_uint_eq(veto_envelope_sig_count(e), 1);
		ck_assert_int_eq(veto_envelope_sig_verifies(e, 0, fx_key_get(K_OWNER)->pk), 1);
		/* Ed25519 is deterministic: the fixture's own envelope has the same sig */
		fx_sig s;
		fx_sig_by(&s, K_OWNER, types[i], payloads[i]);
		ck_assert(strstr(out, fx_b64(s.sig, 64)) != NULL);
		veto_envelope_free(e);
		veto_free(NULL, out);
	}
}
END_TEST

START_TEST(sign_refuses_invalid_payloads)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	const char *pol = fx_policy_text(&p), *upd = fx_update_text(&u);
	fx_policy bad_roles;
	fx_policy_init(&bad_roles);
	fx_role_remove(&bad_roles, "vendor");
	bad_roles.require = "[\"auditor\"]";
	const struct {
		const char *payload;
		veto_status st;
	} cases[] = {
	    {"", VETO_E_MALFORMED},
	    {"not json", VETO_E_MALFORMED},
	    {"[]", VETO_E_MALFORMED},
	    {"{}", VETO_E_MALFORMED},
	    {"{\"format\": \"veto.thing/1\"}", VETO_E_MALFORMED},
	    {"{\"format\": \"veto.policy/2\"}", VETO_E_MALFORMED},
	    {"{\"format\": \"veto.state/1\"}", VETO_E_MALFORMED},
	    {"{\"format\": 1}", VETO_E_MALFORMED},
	    {fx_replace(pol, "\"serial\": 1", "\"serial\": \"1\""), VETO_E_MALFORMED},
	    {fx_replace(pol, "\"serial\": 1", "\"serial\": 1, \"note\": \"x\""), VETO_E_MALFORMED},
	    {fx_policy_text(&bad_roles), VETO_E_MALFORMED},
	    {fx_replace(upd, "\"security_counter\": 42", "\"security_counter\": -1"), VETO_E_MALFORMED},
	    {fx_replace(upd, "\"model\": \"thermo-2\"", "\"model\": \"Thermo-2\""), VETO_E_MALFORMED},
	    {fx_printf("%sx", upd), VETO_E_MALFORMED},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = (char *)"sentinel";
		size_t len = 0;
		veto_diag d = {{0}};
		veto_status st = veto_sign(&out, &len, &d, NULL, (const uint8_t *)cases[i].payload,
		                           strlen(cases[i].payload), fx_key_get(K_OWNER)->seed);
		ck_assert_msg(st == cases[i].st, "#%zu: status %d for %s", i, (int)st, cases[i].payload);
		ck_assert_ptr_null(out);
		ck_assert_msg(d.detail[0] != '\0', "#%zu: no reason given", i);
	}
}
END_TEST

START_TEST(sign_limits)
{
	fx_update u;
	fx_update_init(&u);
	const char *upd = fx_update_text(&u);
	size_t n = strlen(upd);
	char *out = NULL;
	size_t len = 0;
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	/* payload itself above the limit */
	cfg.max_envelope = n - 1;
	ck_assert_int_eq(veto_sign(&out, &len, NULL, &cfg, (const uint8_t *)upd, n,
	                           fx_key_get(K_VENDOR)->seed),
	                 VETO_E_LIMIT);
	ck_assert_ptr_null(out);
	/* payload fits, the envelope around it (base64, signature) does not */
	cfg.max_envelope = n + 10;
	ck_assert_int_eq(veto_sign(&out, &len, NULL, &cfg, (const uint8_t *)upd, n,
	                           fx_key_get(K_VENDOR)->seed),
	                 VETO_E_LIMIT);
	ck_assert_ptr_null(out);
	cfg.max_envelope = 0;
	ck_assert_int_eq(veto_sign(&out, &len, NULL, &cfg, (const uint8_t *)upd, n,
	                           fx_key_get(K_VENDOR)->seed),
	                 VETO_OK);
	veto_free(NULL, out);
	ck_assert_int_eq(veto_sign(NULL, &len, NULL, NULL, (const uint8_t *)upd, n,
	                           fx_key_get(K_VENDOR)->seed),
	                 VETO_E_ARG);
}
END_TEST

/* ---- co-signing ---------------------------------------------------------- */

static veto_envelope *open_env(const char *text)
{
	veto_envelope *e = NULL;
	ck_assert_int_eq(veto_envelope_parse(&e, NULL, NULL, (const uint8_t *)text, strlen(text)),
	                 VETO_OK);
	return e;
}

START_TEST(cosign_adds_once)
{
	const char *env = fx_default_update_env(); /* K_VENDOR, K_AUD1, K_AUD2 */
	char *out = NULL, *again = NULL;
	size_t len = 0;
	int added = -1;
	ck_assert_int_eq(veto_cosign(&out, &len, &added, NULL, NULL, (const uint8_t *)env, strlen(env),
	                             fx_key_get(K_AUD3)->seed),
	                 VETO_OK);
	ck_assert_int_eq(added, 1);
	veto_envelope *e = open_env(out);
	ck_assert_uint_eq(veto_envelope_sig_count(e), 4);
	const int order[4] = {K_VENDOR, K_AUD1, K_AUD2, K_AUD3};
	for (size_t i = 0; i < 4; i++) {
		ck_assert_str_eq(veto_envelope_sig_keyid(e, i), fx_key_get(order[i])->keyid);
		ck_assert_int_eq(veto_envelope_sig_verifies(e, i, fx_key_get(order[i])->pk), 1);
	}
	veto_envelope_free(e);
	/* the same key again: nothing added */
	added = -1;
	ck_assert_int_eq(veto_cosign(&again, &len, &added, NULL, NULL, (const uint8_t *)out,
	                             strlen(out), fx_key_get(K_AUD3)->seed),
	                 VETO_OK);
	ck_assert_int_eq(added, 0);
	e = open_env(again);
	ck_assert_uint_eq(veto_envelope_sig_count(e), 4);
	veto_envelope_free(e);
	veto_free(NULL, again);
	/* nor for a key that signed first */
	ck_assert_int_eq(veto_cosign(&again, &len, &added, NULL, NULL, (const uint8_t *)out,
	                             strlen(out), fx_key_get(K_VENDOR)->seed),
	                 VETO_OK);
	ck_assert_int_eq(added, 0);
	veto_free(NULL, again);
	veto_free(NULL, out);
}
END_TEST

START_TEST(cosign_replaces_bad_entry)
{
	fx_update u;
	fx_update_init(&u);
	const char *payload = fx_update_text(&u);
	fx_sig sigs[3];
	fx_sig_by(&sigs[0], K_VENDOR, VETO_TYPE_UPDATE, payload);
	fx_sig_by(&sigs[1], K_AUD1, VETO_TYPE_UPDATE, payload);
	sigs[1].sig[5] ^= 0x10; /* AUD1's entry does not verify */
	fx_sig_by(&sigs[2], K_AUD2, VETO_TYPE_UPDATE, payload);
	const char *env = fx_envelope(VETO_TYPE_UPDATE, payload, sigs, 3);
	char *out = NULL;
	size_t len = 0;
	int added = -1;
	ck_assert_int_eq(veto_cosign(&out, &len, &added, NULL, NULL, (const uint8_t *)env, strlen(env),
	                             fx_key_get(K_AUD1)->seed),
	                 VETO_OK);
	ck_assert_int_eq(added, 1);
	veto_envelope *e = open_env(out);
	ck_assert_uint_eq(veto_envelope_sig_count(e), 3); /* replaced in place, not appended */
	ck_assert_str_eq(veto_envelope_sig_keyid(e, 1), fx_key_get(K_AUD1)->keyid);
	ck_assert_int_eq(veto_envelope_sig_verifies(e, 1, fx_key_get(K_AUD1)->pk), 1);
	ck_assert_int_eq(veto_envelope_sig_verifies(e, 0, fx_key_get(K_VENDOR)->pk), 1);
	ck_assert_int_eq(veto_envelope_sig_verifies(e, 2, fx_key_get(K_AUD2)->pk), 1);
	veto_envelope_free(e);
	veto_free(NULL, out);
}
END_TEST

START_TEST(cosign_limit)
{
	fx_update u;
	fx_update_init(&u);
	const char *payload = fx_update_text(&u);
	char *out = NULL;
	size_t len = 0;
	int added = -1;
	veto_diag d = {{0}};
	/* the contract's 64 */
	const char *full = many_sigs(64, K_AUD1, payload);
	ck_assert_int_eq(veto_cosign(&out, &len, &added, &d, NULL, (const uint8_t *)full, strlen(full),
	                             fx_key_get(K_AUD2)->seed),
	                 VETO_E_LIMIT);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(added, 0);
	/* a key already there: nothing to add, so no limit is hit */
	ck_assert_int_eq(veto_cosign(&out, &len, &added, NULL, NULL, (const uint8_t *)full,
	                             strlen(full), fx_key_get(K_AUD1)->seed),
	                 VETO_OK);
	ck_assert_int_eq(added, 0);
	veto_free(NULL, out);
	out = NULL;
	/* a lowered limit */
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_signatures = 2;
	const char *two = FX_UPDATE_ENV(payload, K_VENDOR, K_AUD1);
	ck_assert_int_eq(veto_cosign(&out, &len, &added, NULL, &cfg, (const uint8_t *)two, strlen(two),
	                             fx_key_get(K_AUD2)->seed),
	                 VETO_E_LIMIT);
	ck_assert_ptr_null(out);
	cfg.max_signatures = 3;
	ck_assert_int_eq(veto_cosign(&out, &len, &added, NULL, &cfg, (const uint8_t *)two, strlen(two),
	                             fx_key_get(K_AUD2)->seed),
	                 VETO_OK);
	ck_assert_int_eq(added, 1);
	veto_free(NULL, out);
	/* replacing a bad entry at the limit is allowed: the count stays */
	fx_sig sigs[2];
	fx_sig_by(&sigs[0], K_VENDOR, VETO_TYPE_UPDATE, payload);
	fx_sig_by(&sigs[1], K_AUD1, VETO_TYPE_UPDATE, "{\"other\": 1}");
	const char *bad = fx_envelope(VETO_TYPE_UPDATE, payload, sigs, 2);
	cfg.max_signatures = 2;
	ck_assert_int_eq(veto_cosign(&out, &len, &added, NULL, &cfg, (const uint8_t *)bad, strlen(bad),
	                             fx_key_get(K_AUD1)->seed),
	                 VETO_OK);
	ck_assert_int_eq(added, 1);
	veto_free(NULL, out);
}
END_TEST

/* The result of a co-signature must itself be within the size limit, as
 * veto_sign's is (SPEC section 3: above a limit is malformed). */
START_TEST(cosign_result_size_limit)
{
	const char *env = fx_default_update_env();
	size_t n = strlen(env);
	char *out = NULL;
	size_t len = 0;
	int added = -1;
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_envelope = n + 20; /* the input fits; one more entry (~150 bytes) does not */
	veto_status st = veto_cosign(&out, &len, &added, NULL, &cfg, (const uint8_t *)env, n,
	                             fx_key_get(K_AUD3)->seed);
	if (st == VETO_OK) {
		size_t got = len;
		veto_free(NULL, out);
		ck_abort_msg("veto_cosign wrote a %zu-byte envelope above the %zu-byte limit", got,
		             cfg.max_envelope);
	}
	ck_assert_int_eq(st, VETO_E_LIMIT);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(added, 0);
}
END_TEST

START_TEST(cosign_refuses)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	const char *pol = fx_policy_text(&p), *upd = fx_update_text(&u);
	const struct {
		const char *env;
		veto_status st;
	} cases[] = {
	    /* a type that is neither */
	    {fx_env_keys("text/plain", upd, (const int[]){K_VENDOR}, 1), VETO_E_TYPE},
	    /* type and payload disagree: a policy can never pass for an update */
	    {fx_env_keys(VETO_TYPE_POLICY, upd, (const int[]){K_VENDOR}, 1), VETO_E_TYPE},
	    {fx_env_keys(VETO_TYPE_UPDATE, pol, (const int[]){K_OWNER}, 1), VETO_E_TYPE},
	    /* invalid payloads */
	    {fx_env_keys(VETO_TYPE_UPDATE, "{}", (const int[]){K_VENDOR}, 1), VETO_E_MALFORMED},
	    {fx_env_keys(VETO_TYPE_UPDATE, fx_printf("%s ,", upd), (const int[]){K_VENDOR}, 1),
	     VETO_E_MALFORMED},
	    /* not an envelope */
	    {"{\"payloadType\": \"x\"}", VETO_E_MALFORMED},
	    {"", VETO_E_MALFORMED},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;
		size_t len = 0;
		int added = -1;
		veto_diag d = {{0}};
		veto_status st = veto_cosign(&out, &len, &added, &d, NULL, (const uint8_t *)cases[i].env,
		                             strlen(cases[i].env), fx_key_get(K_AUD1)->seed);
		ck_assert_msg(st == cases[i].st, "#%zu: status %d", i, (int)st);
		ck_assert_ptr_null(out);
		ck_assert_int_eq(added, 0);
		ck_assert(d.detail[0] != '\0');
	}
}
END_TEST

/* ---- counting (internal) ------------------------------------------------- */

START_TEST(count_distinct_keys)
{
	fx_update u;
	fx_update_init(&u);
	const char *payload = fx_update_text(&u);
	fx_sig sigs[6];
	fx_sig_by(&sigs[0], K_AUD1, VETO_TYPE_UPDATE, payload);
	fx_sig_by(&sigs[1], K_AUD1, VETO_TYPE_UPDATE, payload);        /* repeat */
	fx_sig_by(&sigs[2], K_AUD2, VETO_TYPE_UPDATE, "{\"x\": 1}");   /* other payload */
	fx_sig_by(&sigs[3], K_AUD3, VETO_TYPE_UPDATE, payload);
	sigs[3].sig[63] ^= 0x01;                                        /* corrupted */
	fx_sig_by(&sigs[4], K_OTHER, VETO_TYPE_UPDATE, payload);       /* not in the set */
	fx_sig_by(&sigs[5], K_VENDOR, VETO_TYPE_POLICY, payload);      /* other type */
	const char *text = fx_envelope(VETO_TYPE_UPDATE, payload, sigs, 6);
	veto_envelope *e = open_env(text);
	vkey set[5];
	memset(set, 0, sizeof(set));
	const int ks[5] = {K_AUD1, K_AUD2, K_AUD3, K_VENDOR, K_OWNER};
	for (int i = 0; i < 5; i++) {
		memcpy(set[i].pk, fx_key_get(ks[i])->pk, 32);
		memcpy(set[i].keyid, fx_key_get(ks[i])->keyid, 65);
	}
	size_t have = 99;
	ck_assert_int_eq(veto__env_count(e, set, NULL, 5, &have), VETO_OK);
	ck_assert_uint_eq(have, 1);
	const uint16_t idx[2] = {0, 0};
	ck_assert_int_eq(veto__env_count(e, set, idx, 1, &have), VETO_OK);
	ck_assert_uint_eq(have, 1);
	const uint16_t idx2[3] = {1, 2, 3};
	ck_assert_int_eq(veto__env_count(e, set, idx2, 3, &have), VETO_OK);
	ck_assert_uint_eq(have, 0);
	/* a good AUD2 entry after its bad one still counts */
	fx_sig_by(&sigs[4], K_AUD2, VETO_TYPE_UPDATE, payload);
	veto_envelope_free(e);
	e = open_env(fx_envelope(VETO_TYPE_UPDATE, payload, sigs, 5));
	ck_assert_int_eq(veto__env_count(e, set, NULL, 5, &have), VETO_OK);
	ck_assert_uint_eq(have, 2);
	veto_envelope_free(e);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("envelope");
	TCase *tc = fx_tcase("pae");
	tcase_add_test(tc, pae_dsse_vector);
	tcase_add_test(tc, pae_empty_payload);
	tcase_add_test(tc, pae_buffer_too_small);
	tcase_add_test(tc, pae_lengths_are_bytes);
	suite_add_tcase(s, tc);
	tc = fx_tcase("parse");
	tcase_add_test(tc, parse_and_inspect);
	tcase_add_test(tc, sig_keyid_must_match);
	tcase_add_test(tc, payload_alphabets);
	tcase_add_loop_test(tc, bad_envelope_table, 0,
	                    (int)(sizeof(bad_envelopes) / sizeof(bad_envelopes[0])));
	tcase_add_test(tc, keyid_upper_case_refused);
	suite_add_tcase(s, tc);
	tc = fx_tcase("limits");
	tcase_add_test(tc, size_limit);
	tcase_add_test(tc, signature_limit);
	suite_add_tcase(s, tc);
	tc = fx_tcase("sign");
	tcase_add_test(tc, sign_policy_and_update);
	tcase_add_test(tc, sign_refuses_invalid_payloads);
	tcase_add_test(tc, sign_limits);
	tcase_add_test(tc, cosign_adds_once);
	tcase_add_test(tc, cosign_replaces_bad_entry);
	tcase_add_test(tc, cosign_limit);
	tcase_add_test(tc, cosign_result_size_limit);
	tcase_add_test(tc, cosign_refuses);
	tcase_add_test(tc, count_distinct_keys);
	suite_add_tcase(s, tc);
	return s;
}
