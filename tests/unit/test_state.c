/* SPDX-License-Identifier: Apache-2.0 */
/* state.c: the installed state (SPEC section 7): enrolment, the state
 * document, and what a commit records. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "fixture.h"

static char *sha_hex(const char *text)
{
	uint8_t h[32];
	crypto_hash_sha256(h, (const uint8_t *)text, strlen(text));
	return fx_hex(h, 32);
}

static char *format_state(const veto_state *s)
{
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(veto_state_format(&out, &len, s), VETO_OK);
	ck_assert_uint_eq(len, strlen(out));
	ck_assert_int_eq(out[len - 1], '\n');
	char *copy = fx_printf("%s", out);
	veto_free(NULL, out);
	return copy;
}

/* veto_state_parse; on success the state is owned by the arena. */
static veto_status parse_state(veto_state **out, const char *text, const char **refusals)
{
	veto_report rep;
	veto_report_init(&rep, NULL);
	*out = (veto_state *)(uintptr_t)1;
	veto_status st = veto_state_parse(out, &rep, NULL, (const uint8_t *)text, strlen(text));
	*refusals = fx_refusals(&rep);
	if (st == VETO_OK) {
		ck_assert_ptr_nonnull(*out);
		fx_keep_state(*out);
	} else {
		ck_assert_ptr_null(*out);
	}
	veto_report_clear(&rep);
	return st;
}

/* ---- enrolment ----------------------------------------------------------- */

START_TEST(from_anchor)
{
	veto_state *s = fx_state0();
	uint64_t serial = 99;
	ck_assert_str_eq(veto_state_vendor(s), "acme");
	ck_assert_str_eq(veto_state_model(s), "thermo-2");
	ck_assert_uint_eq(veto_state_security_counter(s), 41);
	ck_assert_int_eq(veto_state_policy_serial(s, &serial), 0);
	ck_assert_uint_eq(serial, 99);
	ck_assert_uint_eq(veto_state_feature_count(s), 3);
	ck_assert_str_eq(veto_state_feature(s, 0), "local-control");
	ck_assert_str_eq(veto_state_feature(s, 1), "works-with-nest@1.2");
	ck_assert_str_eq(veto_state_feature(s, 2), "zigbee");
	ck_assert_ptr_null(veto_state_feature(s, 3));
	ck_assert_ptr_null(veto_state_vendor(NULL));
	ck_assert_uint_eq(veto_state_feature_count(NULL), 0);
	veto_state_free(NULL);
}
END_TEST

START_TEST(from_anchor_refused)
{
	const char *anchor = fx_default_anchor();
	const struct {
		const char *anchor;
		uint64_t counter;
		const char *features[3];
		size_t n;
		veto_status st;
		const char *code;
	} cases[] = {
	    {"", 0, {NULL}, 0, VETO_E_MALFORMED, "malformed-anchor"},
	    {"{}", 0, {NULL}, 0, VETO_E_MALFORMED, "malformed-anchor"},
	    {fx_replace(anchor, "\"threshold\": 1", "\"threshold\": 2"), 0, {NULL}, 0, VETO_E_MALFORMED,
	     "malformed-anchor"},
	    {fx_replace(anchor, "\"threshold\": 1", "\"threshold\": 1, \"extra\": 1"), 0, {NULL}, 0,
	     VETO_E_MALFORMED, "malformed-anchor"},
	    {anchor, 0, {"Zigbee"}, 1, VETO_E_MALFORMED, "malformed-state"},
	    {anchor, 0, {"zigbee>=1"}, 1, VETO_E_MALFORMED, "malformed-state"},
	    {anchor, 0, {"zigbee", "zigbee@2"}, 2, VETO_E_MALFORMED, "malformed-state"},
	    {anchor, 0, {""}, 1, VETO_E_MALFORMED, "malformed-state"},
	    {anchor, 9007199254740992ULL, {NULL}, 0, VETO_E_MALFORMED, "malformed-state"},
	    {anchor, 0, {"zigbee", NULL}, 2, VETO_E_MALFORMED, "malformed-state"},
	    /* close cases */
	    {anchor, 9007199254740991ULL, {"zigbee@2", "matter"}, 2, VETO_OK, ""},
	    {anchor, 0, {NULL}, 0, VETO_OK, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		veto_state *s = (veto_state *)(uintptr_t)1;
		veto_report rep;
		veto_report_init(&rep, NULL);
		veto_status st = veto_state_from_anchor(&s, &rep, NULL, (const uint8_t *)cases[i].anchor,
		                                        strlen(cases[i].anchor), cases[i].counter,
		                                        cases[i].features, cases[i].n);
		ck_assert_msg(st == cases[i].st, "#%zu: status %d", i, (int)st);
		ck_assert_str_eq(fx_refusals(&rep), cases[i].code);
		if (st == VETO_OK)
			fx_keep_state(s);
		else
			ck_assert_ptr_null(s);
		veto_report_clear(&rep);
	}
	/* a small-order key in the anchor is a malformed anchor */
	uint8_t zero[32] = {0}, h[32];
	crypto_hash_sha256(h, zero, 32);
	const char *bad = fx_printf("{\"device\": {\"vendor\": \"acme\", \"model\": \"m\"}, \"keys\": "
	                            "{\"%s\": {\"ed25519\": \"%s\"}}, \"threshold\": 1}",
	                            fx_hex(h, 32), fx_b64(zero, 32));
	veto_state *s = NULL;
	veto_report rep;
	veto_report_init(&rep, NULL);
	veto_status st = veto_state_from_anchor(&s, &rep, NULL, (const uint8_t *)bad, strlen(bad), 0, NULL, 0);
	ck_assert_int_eq(st, VETO_E_MALFORMED);
	ck_assert_str_eq(fx_refusals(&rep), "malformed-anchor");
	veto_report_clear(&rep);
	/* the report is optional */
	ck_assert_int_eq(veto_state_from_anchor(&s, NULL, NULL, (const uint8_t *)"{}", 2, 0, NULL, 0),
	                 VETO_E_MALFORMED);
	ck_assert_int_eq(veto_state_from_anchor(&s, NULL, NULL, (const uint8_t *)anchor, strlen(anchor), 0,
	                                        NULL, 1),
	                 VETO_E_ARG);
}
END_TEST

/* ---- the document -------------------------------------------------------- */

START_TEST(format_fresh_state)
{
	const char *text = format_state(fx_state0());
	cJSON *root = cJSON_Parse(text);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "format")->valuestring, "veto.state/1");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "policy")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "policy_serial")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "policy_sha256")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "update_sha256")));
	ck_assert_int_eq((int)cJSON_GetObjectItemCaseSensitive(root, "security_counter")->valuedouble, 41);
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "features");
	ck_assert_int_eq(cJSON_GetArraySize(f), 3);
	ck_assert_str_eq(cJSON_GetArrayItem(f, 1)->valuestring, "works-with-nest@1.2");
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(root, "anchor"));
	ck_assert_int_eq(cJSON_GetArraySize(root), 8);
	cJSON_Delete(root);
}
END_TEST

START_TEST(round_trip)
{
	veto_state *s0 = fx_state0();
	veto_state *s1 = fx_trusted(s0, fx_default_policy_env(), fx_now());
	veto_state *states[2] = {s0, s1};
	for (int i = 0; i < 2; i++) {
		const char *text = format_state(states[i]), *codes;
		veto_state *back;
		ck_assert_int_eq(parse_state(&back, text, &codes), VETO_OK);
		ck_assert_str_eq(codes, "");
		ck_assert_str_eq(format_state(back), text);
		ck_assert_uint_eq(veto_state_security_counter(back), 41);
	}
	uint64_t serial = 0;
	const char *codes;
	veto_state *back;
	ck_assert_int_eq(parse_state(&back, format_state(s1), &codes), VETO_OK);
	ck_assert_int_eq(veto_state_policy_serial(back, &serial), 1);
	ck_assert_uint_eq(serial, 1);
	/* the stored policy is the envelope trusted, and its digest is recorded */
	fx_policy p;
	fx_policy_init(&p);
	const char *text = format_state(s1);
	ck_assert(strstr(text, fx_printf("\"policy_sha256\": \"%s\"", sha_hex(fx_policy_text(&p)))) != NULL);
	ck_assert(strstr(text, fx_b64((const uint8_t *)fx_policy_text(&p), strlen(fx_policy_text(&p)))) != NULL);
}
END_TEST

/* Mutations of a trusted state's text; each refused with malformed-state. */
START_TEST(malformed_state_table)
{
	veto_state *s1 = fx_trusted(fx_state0(), fx_default_policy_env(), fx_now());
	const char *good = format_state(s1), *codes;
	fx_policy p;
	fx_policy_init(&p);
	const char *psha = sha_hex(fx_policy_text(&p));
	char other_sha[65];
	memcpy(other_sha, psha, 65);
	other_sha[0] = other_sha[0] == '0' ? '1' : '0';
	veto_state *out;
	ck_assert_int_eq(parse_state(&out, good, &codes), VETO_OK);
	const char *bad[] = {
	    "",
	    "not json",
	    "{}",
	    fx_printf("%s}", good),
	    fx_replace(good, "veto.state/1", "veto.state/2"),
	    fx_replace(good, "\"format\"", "\"Format\""),
	    fx_replace(good, "\"security_counter\": 41", "\"security_counter\": 41, \"note\": 1"),
	    fx_replace(good, "\"security_counter\": 41", "\"security_counter\": -1"),
	    fx_replace(good, "\"security_counter\": 41", "\"security_counter\": 41.5"),
	    fx_replace(good, "\"security_counter\": 41", "\"security_counter\": null"),
	    fx_replace(good, "\"security_counter\": 41, ", ""),
	    /* the stored policy's payload digest differs from policy_sha256 */
	    fx_replace(good, psha, other_sha),
	    fx_replace(good, fx_printf("\"policy_sha256\": \"%s\"", psha),
	               fx_printf("\"policy_sha256\": \"%s\"", fx_key_get(K_OWNER)->keyid)),
	    fx_replace(good, psha, fx_printf("%.63s", psha)),
	    /* policy fields partially null */
	    fx_replace(good, "\"policy_serial\": 1", "\"policy_serial\": null"),
	    fx_replace(good, fx_printf("\"policy_sha256\": \"%s\"", psha), "\"policy_sha256\": null"),
	    /* serial not the stored policy's */
	    fx_replace(good, "\"policy_serial\": 1", "\"policy_serial\": 2"),
	    /* anchor broken inside the state */
	    fx_replace(good, "\"threshold\": 1}", "\"threshold\": 5}"),
	    /* features */
	    fx_replace(good, "\"zigbee\"]", "\"zigbee\", \"zigbee\"]"),
	    fx_replace(good, "\"zigbee\"]", "\"Zigbee\"]"),
	    fx_replace(good, "\"update_sha256\": null", "\"update_sha256\": \"00\""),
	    fx_replace(good, "\"update_sha256\": null",
	               "\"update_sha256\": \"ABCDEF0000000000000000000000000000000000000000000000000000000000\""),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse_state(&out, bad[i], &codes) == VETO_E_MALFORMED, "#%zu accepted", i);
		ck_assert_msg(strcmp(codes, "malformed-state") == 0, "#%zu: %s", i, codes);
	}
	/* the policy set to null alone, and all three null together */
	const char *fresh = format_state(fx_state0());
	ck_assert_int_eq(parse_state(&out, fresh, &codes), VETO_OK);
	ck_assert_int_eq(parse_state(&out, fx_replace(fresh, "\"policy_serial\": null", "\"policy_serial\": 1"),
	                             &codes),
	                 VETO_E_MALFORMED);
	ck_assert_str_eq(codes, "malformed-state");
}
END_TEST

/* A stored policy that is not a policy envelope, or is for another device. */
START_TEST(stored_policy_checked)
{
	const char *anchor = fx_default_anchor(), *codes;
	veto_state *out;
	fx_policy p;
	fx_policy_init(&p);
	p.model = "thermo-9";
	const char *ptext = fx_policy_text(&p);
	const char *tmpl = "{\"format\": \"veto.state/1\", \"anchor\": %s, \"policy\": %s, \"policy_serial\": 1, "
	                   "\"policy_sha256\": \"%s\", \"security_counter\": 0, \"update_sha256\": null, "
	                   "\"features\": []}";
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	const char *other_device = fx_printf(tmpl, anchor, FX_POLICY_ENV(ptext, K_OWNER), sha_hex(ptext));
	fx_policy_init(&p);
	ptext = fx_policy_text(&p);
	const char *same = fx_printf(tmpl, anchor, FX_POLICY_ENV(ptext, K_OWNER), sha_hex(ptext));
	const char *update_typed = fx_printf(tmpl, anchor, FX_UPDATE_ENV(ptext, K_OWNER), sha_hex(ptext));
	const char *garbage = fx_printf(tmpl, anchor, FX_POLICY_ENV("{}", K_OWNER), sha_hex("{}"));
	const char *btext = fx_with_bad_key(ptext, K_AUD3,
	                                    "0000000000000000000000000000000000000000000000000000000000000000");
	const char *bad_key = fx_printf(tmpl, anchor, FX_POLICY_ENV(btext, K_OWNER), sha_hex(btext));
#pragma GCC diagnostic pop
	ck_assert_int_eq(parse_state(&out, same, &codes), VETO_OK);
	ck_assert_int_eq(parse_state(&out, other_device, &codes), VETO_E_MALFORMED);
	ck_assert_str_eq(codes, "malformed-state");
	ck_assert_int_eq(parse_state(&out, update_typed, &codes), VETO_E_MALFORMED);
	ck_assert_str_eq(codes, "malformed-state");
	ck_assert_int_eq(parse_state(&out, garbage, &codes), VETO_E_MALFORMED);
	ck_assert_str_eq(codes, "malformed-state");
	ck_assert_int_eq(parse_state(&out, bad_key, &codes), VETO_E_MALFORMED);
	ck_assert_str_eq(codes, "malformed-state");
}
END_TEST

/* A state that cannot be read refuses the update: no silent reset. */
START_TEST(state_parse_arguments)
{
	veto_state *out = NULL;
	ck_assert_int_eq(veto_state_parse(&out, NULL, NULL, NULL, 0), VETO_E_ARG);
	ck_assert_int_eq(veto_state_parse(NULL, NULL, NULL, (const uint8_t *)"{}", 2), VETO_E_ARG);
	ck_assert_int_eq(veto_state_parse(&out, NULL, NULL, (const uint8_t *)"{}", 2), VETO_E_MALFORMED);
	ck_assert_ptr_null(out);
	char *txt = NULL;
	ck_assert_int_eq(veto_state_format(&txt, NULL, NULL), VETO_E_ARG);
}
END_TEST

/* ---- commit -------------------------------------------------------------- */

static veto_state *commit_of(fx_run *r)
{
	veto_state *ns = (veto_state *)(uintptr_t)1;
	veto_status st = veto_check_commit(&ns, r->c);
	ck_assert_msg(st == VETO_OK, "commit: %s (%s)", veto_strerror(st), fx_refusals(&r->rep));
	return fx_keep_state(ns);
}

START_TEST(commit_records_update_and_policy)
{
	fx_update u;
	fx_update_init(&u);
	u.features = "[\"local-control\", \"works-with-nest@1.3\", \"zigbee\", \"matter@1.3\", \"thread\"]";
	const char *utext = fx_update_text(&u);
	const char *uenv = FX_UPDATE_ENV(utext, K_VENDOR, K_AUD1, K_AUD2);
	fx_policy p;
	fx_policy_init(&p);
	p.serial = 7;
	const char *ptext = fx_policy_text(&p);
	/* no stored policy: the one handed in is recorded */
	fx_run *r = fx_decide(fx_state0(), FX_POLICY_ENV(ptext, K_OWNER), uenv, 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	veto_state *ns = commit_of(r);
	uint64_t serial = 0;
	ck_assert_uint_eq(veto_state_security_counter(ns), 42);
	ck_assert_int_eq(veto_state_policy_serial(ns, &serial), 1);
	ck_assert_uint_eq(serial, 7);
	ck_assert_uint_eq(veto_state_feature_count(ns), 5);
	ck_assert_str_eq(veto_state_feature(ns, 1), "works-with-nest@1.3");
	ck_assert_str_eq(veto_state_feature(ns, 4), "thread");
	const char *text = format_state(ns);
	ck_assert(strstr(text, fx_printf("\"update_sha256\": \"%s\"", sha_hex(utext))) != NULL);
	ck_assert(strstr(text, fx_printf("\"policy_sha256\": \"%s\"", sha_hex(ptext))) != NULL);
	/* it reads back */
	const char *codes;
	veto_state *back;
	ck_assert_int_eq(parse_state(&back, text, &codes), VETO_OK);
	ck_assert_str_eq(format_state(back), text);
	/* the stored policy governs the commit when none is handed in */
	veto_state *stored = fx_trusted(fx_state0(), FX_POLICY_ENV(ptext, K_OWNER), fx_now());
	r = fx_decide(stored, NULL, uenv, 1);
	ns = commit_of(r);
	ck_assert_int_eq(veto_state_policy_serial(ns, &serial), 1);
	ck_assert_uint_eq(serial, 7);
	ck_assert_str_eq(format_state(ns), text);
}
END_TEST

START_TEST(commit_refused)
{
	veto_state *ns = (veto_state *)(uintptr_t)1;
	const char *pol = fx_default_policy_env(), *upd = fx_default_update_env();
	/* without the image */
	fx_run *r = fx_decide(fx_state0(), pol, upd, 0);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_int_eq(veto_check_commit(&ns, r->c), VETO_E_SEQUENCE);
	ck_assert_ptr_null(ns);
	/* a refusal */
	fx_update u;
	fx_update_init(&u);
	u.counter = 3;
	r = fx_decide(fx_state0(), pol, FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_int_eq(r->finish, VETO_REFUSED);
	ns = (veto_state *)(uintptr_t)1;
	ck_assert_int_eq(veto_check_commit(&ns, r->c), VETO_REFUSED);
	ck_assert_ptr_null(ns);
	/* a refused image */
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	r = fx_decide_ex(NULL, fx_state0(), &pol, 1, upd, img, len - 1, 0, fx_now());
	ck_assert_int_eq(r->finish, VETO_REFUSED);
	ck_assert_int_eq(veto_check_commit(&ns, r->c), VETO_REFUSED);
	/* before finish */
	veto_report rep;
	veto_check *c = NULL;
	veto_bytes b = {(const uint8_t *)pol, strlen(pol)};
	veto_report_init(&rep, NULL);
	ck_assert_int_eq(veto_check_begin(&c, &rep, NULL, fx_state0(), &b, 1, (const uint8_t *)upd,
	                                  strlen(upd), fx_now()),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_image(c, img, len), VETO_OK);
	ck_assert_int_eq(veto_check_commit(&ns, c), VETO_E_SEQUENCE);
	ck_assert_int_eq(veto_check_finish(c, NULL), VETO_OK);
	ck_assert_int_eq(veto_check_commit(NULL, c), VETO_E_ARG);
	ck_assert_int_eq(veto_check_commit(&ns, NULL), VETO_E_ARG);
	ck_assert_int_eq(veto_check_commit(&ns, c), VETO_OK);
	veto_state_free(ns);
	veto_check_free(c);
	veto_report_clear(&rep);
}
END_TEST

/* Only a byte-identical re-install may repeat a security counter. */
START_TEST(reinstall_same_payload)
{
	fx_update u;
	fx_update_init(&u);
	const char *utext = fx_update_text(&u);
	const char *pol = fx_default_policy_env();
	fx_run *r = fx_decide(fx_state0(), pol, FX_UPDATE_ENV(utext, K_VENDOR, K_AUD1, K_AUD2), 1);
	veto_state *installed = commit_of(r);
	/* the very same payload again, even with other signatures: passes */
	r = fx_decide(installed, pol, FX_UPDATE_ENV(utext, K_VENDOR, K_AUD2, K_AUD3), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	ck_assert_int_eq(r->finish, VETO_OK);
	/* also after the state went through its document */
	const char *codes;
	veto_state *reread;
	ck_assert_int_eq(parse_state(&reread, format_state(installed), &codes), VETO_OK);
	r = fx_decide(reread, pol, FX_UPDATE_ENV(utext, K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	/* another payload at the same counter: rollback */
	u.version = "2.4.1-rebuild";
	r = fx_decide(installed, pol, FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "rollback");
	const veto_reason *x = fx_reason(&r->rep, VETO_R_ROLLBACK, 0);
	ck_assert_uint_eq(x->have, 42);
	/* the same payload with a byte of white space more is another payload */
	r = fx_decide(installed, pol, FX_UPDATE_ENV(fx_printf("%s ", utext), K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "rollback");
	/* a higher counter: fine */
	u.version = "2.4.2";
	u.counter = 43;
	r = fx_decide(installed, pol, FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	/* features of the installed update are now what the device has */
	u.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\"]";
	r = fx_decide(installed, pol, FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_notices(&r->rep), "feature-dropped");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_N_FEATURE_DROPPED, 0)->feature, "matter");
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = fx_tcase("enrolment");
	tcase_add_test(tc, from_anchor);
	tcase_add_test(tc, from_anchor_refused);
	suite_add_tcase(s, tc);
	tc = fx_tcase("document");
	tcase_add_test(tc, format_fresh_state);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, malformed_state_table);
	tcase_add_test(tc, stored_policy_checked);
	tcase_add_test(tc, state_parse_arguments);
	suite_add_tcase(s, tc);
	tc = fx_tcase("commit");
	tcase_add_test(tc, commit_records_update_and_policy);
	tcase_add_test(tc, commit_refused);
	tcase_add_test(tc, reinstall_same_payload);
	suite_add_tcase(s, tc);
	return s;
}
