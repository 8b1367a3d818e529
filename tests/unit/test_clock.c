/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) The time floor and the counter high-water mark across trust and
 * commit (SPEC 5.1 rule 6, section 7), and the veto.state/1 -> /1.1 switch:
 * a state that needs none of the new members stays byte for byte a
 * version-1 state; once /1.1, always /1.1. */
#include <string.h>

#include "fixture.h"

#define ISSUED "2026-05-01T00:00:00Z"

/* The default policy as a veto.policy/1.1 with `issued` and extra members,
 * serial as given, signed by K_OWNER. */
static char *policy11(uint64_t serial, const char *issued, const char *extra)
{
	fx_policy p;
	fx_policy_init(&p);
	p.serial = serial;
	FX_ROLE(&p, "security", 1, K_SEC);
	p.extra = fx_printf(", \"issued\": \"%s\"%s", issued, extra);
	char *text = fx_replace(fx_policy_text(&p), "\"veto.policy/1\"", "\"veto.policy/1.1\"");
	return FX_POLICY_ENV(text, K_OWNER);
}

static char *policy1(uint64_t serial)
{
	fx_policy p;
	fx_policy_init(&p);
	p.serial = serial;
	return FX_POLICY_ENV(fx_policy_text(&p), K_OWNER);
}

static char *update_env(uint64_t counter, int owner_signs)
{
	fx_update u;
	fx_update_init(&u);
	u.counter = counter;
	u.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\"]";
	char *text = fx_update_text(&u);
	return owner_signs ? FX_UPDATE_ENV(text, K_VENDOR, K_AUD1, K_AUD2, K_OWNER)
	                   : FX_UPDATE_ENV(text, K_VENDOR, K_AUD1, K_AUD2);
}

static char *format_of(const veto_state *s)
{
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(veto_state_format(&out, &len, s), VETO_OK);
	char *copy = fx_printf("%s", out);
	veto_free(NULL, out);
	return copy;
}

/* The state a commit of update (the stored policy governing when policy is
 * NULL) records at now, asserting the decision accepts. */
static veto_state *commit(const veto_state *s, const char *policy, const char *update,
                          int64_t now)
{
	size_t len;
	const uint8_t *img = fx_image(&len);
	const char *const p[] = {policy};
	fx_run *r = fx_decide_ex(NULL, s, p, policy ? 1 : 0, update, img, len, 0, now);
	ck_assert_msg(r->finish == VETO_OK, "refused: %s", fx_refusals(&r->rep));
	veto_state *ns = NULL;
	ck_assert_int_eq(veto_check_commit(&ns, r->c), VETO_OK);
	return fx_keep_state(ns);
}

static int64_t floor_of(const veto_state *s)
{
	int64_t f = 0;
	ck_assert_int_eq(veto_state_time_floor(s, &f), 1);
	return f;
}

START_TEST(version1_stays_byte_identical)
{
	veto_state *s = fx_state0();
	veto_state *t = fx_trusted(s, policy1(1), fx_now());
	veto_state *c = commit(t, NULL, update_env(42, 0), fx_now());
	const char *text = format_of(c);
	ck_assert_ptr_nonnull(strstr(text, "{\"format\": \"veto.state/1\",\n"));
	ck_assert_ptr_null(strstr(text, "time_floor"));
	ck_assert_ptr_null(strstr(text, "counter_max"));
	ck_assert_int_eq(veto_state_time_floor(c, NULL), 0);
	ck_assert_uint_eq(veto_state_counter_max(c), 42);
}
END_TEST

START_TEST(floor_kept_across_commit_and_trust)
{
	veto_state *s = fx_state0();
	veto_state *t = fx_trusted(s, policy11(1, ISSUED, ""), fx_now());
	ck_assert_int_eq(floor_of(t), fx_time(ISSUED));
	ck_assert_ptr_nonnull(strstr(format_of(t), "\"veto.state/1.1\""));
	veto_state *c = commit(t, NULL, update_env(42, 0), fx_now());
	ck_assert_int_eq(floor_of(c), fx_time(ISSUED));
	/* a later version-1 policy: the floor and /1.1 stay */
	veto_state *v1 = fx_trusted(c, policy1(2), fx_now());
	ck_assert_int_eq(floor_of(v1), fx_time(ISSUED));
	const char *text = format_of(v1);
	ck_assert_ptr_nonnull(strstr(text, "\"veto.state/1.1\""));
	ck_assert_ptr_nonnull(strstr(text, "\"time_floor\": \"" ISSUED "\""));
	/* a commit under a handed-in 1.1 policy raises it with that policy */
	veto_state *c2 = commit(v1, policy11(3, "2026-06-01T00:00:00Z", ""), update_env(43, 0),
	                        fx_now());
	ck_assert_int_eq(floor_of(c2), fx_time("2026-06-01T00:00:00Z"));
}
END_TEST

START_TEST(clock_reset_to_1970)
{
	veto_state *t = fx_trusted(fx_state0(), policy11(1, ISSUED, ""), fx_now());
	fx_run *r = fx_decide(t, NULL, update_env(42, 0), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	r = fx_decide_ex(NULL, t, NULL, 0, update_env(42, 0), NULL, 0, 0, 0);
	ck_assert_str_eq(fx_refusals(&r->rep), "clock-behind");
	/* a version-1 policy handed in cannot get round it */
	const char *const p[] = {policy1(2)};
	r = fx_decide_ex(NULL, t, p, 1, update_env(42, 0), NULL, 0, 0, 0);
	ck_assert_str_eq(fx_refusals(&r->rep), "clock-behind");
	veto_state *out = NULL;
	r = fx_trust(&out, t, p, 1, 0);
	ck_assert_str_eq(fx_refusals(&r->rep), "clock-behind");
	ck_assert_ptr_null(out);
}
END_TEST

START_TEST(chain_middle_issued_is_the_floor)
{
	const char *const p[] = {policy11(2, "2026-05-10T00:00:00Z", ""),
	                         policy11(3, "2026-05-20T00:00:00Z", ""),
	                         policy11(4, "2026-05-15T00:00:00Z", "")};
	veto_state *out = NULL;
	fx_run *r = fx_trust(&out, fx_state0(), p, 3, fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_int_eq(floor_of(out), fx_time("2026-05-20T00:00:00Z"));
	/* then a time between the last issued and the middle one is behind */
	r = fx_decide_ex(NULL, out, NULL, 0, update_env(42, 0), NULL, 0, 0,
	                 fx_time("2026-05-17T00:00:00Z"));
	ck_assert_str_eq(fx_refusals(&r->rep), "clock-behind");
}
END_TEST

START_TEST(floor_reset_lowers_it)
{
	veto_state *t = fx_trusted(fx_state0(), policy11(1, "2026-10-01T00:00:00Z", ""), fx_now());
	const char *const reset[] = {policy11(2, "2026-04-01T00:00:00Z", ", \"time_floor_reset\": true")};
	veto_state *out = NULL;
	fx_run *r = fx_trust(&out, t, reset, 1, fx_time("2026-05-01T00:00:00Z"));
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_int_eq(floor_of(out), fx_time("2026-04-01T00:00:00Z"));
	/* never earlier than its own issued */
	r = fx_trust(&out, t, reset, 1, fx_time("2026-03-31T23:59:59Z"));
	ck_assert_str_eq(fx_refusals(&r->rep), "clock-behind");
}
END_TEST

/* A consented downgrade lowers the counter, never the high-water mark: the
 * releases between stay refused unless each is consented to. */
START_TEST(high_water_mark)
{
	const char *pol = policy11(1, ISSUED, ", \"rollback_requires\": [\"owner\"]");
	veto_state *t = fx_trusted(fx_state0(), pol, fx_now());
	veto_state *c = commit(t, NULL, update_env(45, 0), fx_now());
	ck_assert_uint_eq(veto_state_counter_max(c), 45);
	veto_state *down = commit(c, NULL, update_env(30, 1), fx_now());
	ck_assert_uint_eq(veto_state_security_counter(down), 30);
	ck_assert_uint_eq(veto_state_counter_max(down), 45);
	ck_assert_ptr_nonnull(strstr(format_of(down), "\"counter_max\": 45"));
	fx_run *r = fx_decide(down, NULL, update_env(40, 0), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "rollback");
	const veto_reason *x = fx_reason(&r->rep, VETO_R_ROLLBACK, 0);
	ck_assert_uint_eq(x->have, 40);
	ck_assert_uint_eq(x->need, 46);
	r = fx_decide(down, NULL, update_env(46, 0), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	/* the parsed state says the same */
	const char *text = format_of(down);
	veto_state *back = NULL;
	ck_assert_int_eq(veto_state_parse(&back, NULL, NULL, (const uint8_t *)text, strlen(text)),
	                 VETO_OK);
	fx_keep_state(back);
	ck_assert_uint_eq(veto_state_counter_max(back), 45);
	ck_assert_str_eq(format_of(back), text);
}
END_TEST

/* Timing is the check's: a commit (installed) and a pre-flight ignore it. */
START_TEST(timing_only_in_check)
{
	const char *pol = policy11(1, ISSUED, ", \"timing\": {\"clock\": \"local\", \"windows\": "
	                                      "[{\"days\": [\"sun\"], \"start\": \"01:00\", \"end\": \"02:00\"}]}");
	veto_state *t = fx_trusted(fx_state0(), pol, fx_now());
	const char *upd = update_env(42, 0);
	veto_check *c = NULL;
	veto_report rep;
	veto_report_init(&rep, NULL);
	veto_when when = {.now = fx_now()};
	ck_assert_int_eq(veto_check_begin_at(&c, &rep, NULL, t, NULL, 0, (const uint8_t *)upd,
	                                     strlen(upd), &when),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_finish(c, NULL), VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&rep), "local-time-unknown");
	veto_check_free(c);
	veto_report_clear(&rep);
	when.installed = 1;
	ck_assert_int_eq(veto_check_begin_at(&c, &rep, NULL, t, NULL, 0, (const uint8_t *)upd,
	                                     strlen(upd), &when),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_finish(c, NULL), VETO_OK);
	veto_check_free(c);
	veto_report_clear(&rep);
	ck_assert_int_eq(veto_check_begin_at(&c, &rep, NULL, t, NULL, 0, (const uint8_t *)upd,
	                                     strlen(upd), NULL),
	                 VETO_E_ARG);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = fx_tcase("clock");
	tcase_add_test(tc, version1_stays_byte_identical);
	tcase_add_test(tc, floor_kept_across_commit_and_trust);
	tcase_add_test(tc, clock_reset_to_1970);
	tcase_add_test(tc, chain_middle_issued_is_the_floor);
	tcase_add_test(tc, floor_reset_lowers_it);
	tcase_add_test(tc, high_water_mark);
	tcase_add_test(tc, timing_only_in_check);
	suite_add_tcase(s, tc);
	return s;
}
