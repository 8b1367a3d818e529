/* SPDX-License-Identifier: Apache-2.0 */
/* time.c: times are exactly YYYY-MM-DDTHH:MM:SSZ, UTC (SPEC section 4). */
#include <string.h>

#include "fixture.h"

static const struct {
	const char *text;
	int ok;
	int64_t t;
} time_cases[] = {
    {"1970-01-01T00:00:00Z", 1, 0},
    {"2000-01-01T00:00:00Z", 1, 946684800},
    {"2026-11-21T00:00:00Z", 1, 1795219200},
    {"2027-11-21T00:00:00Z", 1, 1826755200},
    {"2024-02-29T23:59:59Z", 1, 1709251199},
    {"2000-02-29T12:00:00Z", 1, 951825600},
    {"1969-12-31T23:59:59Z", 1, -1},
    {"9999-12-31T23:59:59Z", 1, 253402300799},
    {"0000-01-01T00:00:00Z", 1, -62167219200},
    /* refused */
    {"2026-02-29T00:00:00Z", 0, 0}, /* not a leap year */
    {"1900-02-29T00:00:00Z", 0, 0},
    {"2026-04-31T00:00:00Z", 0, 0},
    {"2026-13-01T00:00:00Z", 0, 0},
    {"2026-00-01T00:00:00Z", 0, 0},
    {"2026-01-00T00:00:00Z", 0, 0},
    {"2026-01-01T24:00:00Z", 0, 0},
    {"2026-01-01T23:60:00Z", 0, 0},
    {"2026-01-01T23:59:60Z", 0, 0},
    {"2026-01-01t00:00:00Z", 0, 0},
    {"2026-01-01T00:00:00z", 0, 0},
    {"2026-01-01 00:00:00Z", 0, 0},
    {"2026-01-01T00:00:00", 0, 0},
    {"2026-01-01T00:00:00+00:00", 0, 0},
    {"2026-01-01T00:00:00.0Z", 0, 0},
    {"2026-1-01T00:00:00Z", 0, 0},
    {"+2026-01-01T00:00:0Z", 0, 0},
    {"2026-01-01T00:00:0 Z", 0, 0},
    {"2026-01-01T-1:00:00Z", 0, 0},
    {"", 0, 0},
};

START_TEST(time_parse_table)
{
	int64_t t = 0;
	const char *s = time_cases[_i].text;
	veto_status st = veto_time_parse(&t, s, strlen(s));
	if (time_cases[_i].ok) {
		ck_assert_msg(st == VETO_OK, "\"%s\" refused", s);
		ck_assert_int_eq(t, time_cases[_i].t);
		char back[21];
		ck_assert_int_eq(veto_time_format(back, t), VETO_OK);
		ck_assert_str_eq(back, s);
	} else {
		ck_assert_msg(st == VETO_E_MALFORMED, "\"%s\" gave %d", s, (int)st);
	}
}
END_TEST

START_TEST(time_parse_uses_length)
{
	int64_t t = 0;
	/* The 20 bytes are a time; what follows them is not looked at... */
	ck_assert_int_eq(veto_time_parse(&t, "2026-11-21T00:00:00Zjunk", 20), VETO_OK);
	ck_assert_int_eq(t, 1795219200);
	/* ...but a length of 21 is not a time. */
	ck_assert_int_eq(veto_time_parse(&t, "2026-11-21T00:00:00Zjunk", 21), VETO_E_MALFORMED);
	ck_assert_int_eq(veto_time_parse(NULL, "2026-11-21T00:00:00Z", 20), VETO_E_MALFORMED);
}
END_TEST

START_TEST(time_format_range)
{
	char out[21];
	ck_assert_int_eq(veto_time_format(out, 253402300799), VETO_OK);
	ck_assert_str_eq(out, "9999-12-31T23:59:59Z");
	ck_assert_int_eq(veto_time_format(out, 253402300800), VETO_E_ARG);
	ck_assert_int_eq(veto_time_format(out, -62167219201), VETO_E_ARG);
	ck_assert_int_eq(veto_time_format(out, 86399), VETO_OK);
	ck_assert_str_eq(out, "1970-01-01T23:59:59Z");
	ck_assert_int_eq(veto_time_format(NULL, 0), VETO_E_ARG);
}
END_TEST

START_TEST(time_every_day_round_trips)
{
	/* Every day of 1999..2101, across the century and leap rules. */
	int64_t t = fx_time("1999-01-01T12:34:56Z");
	int64_t end = fx_time("2101-01-01T00:00:00Z");
	for (; t < end; t += 86400) {
		char s[21];
		int64_t back = 0;
		ck_assert_int_eq(veto_time_format(s, t), VETO_OK);
		ck_assert_int_eq(veto_time_parse(&back, s, 20), VETO_OK);
		ck_assert_int_eq(back, t);
	}
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("time");
	TCase *tc = fx_tcase("time");
	tcase_add_loop_test(tc, time_parse_table, 0, (int)(sizeof(time_cases) / sizeof(time_cases[0])));
	tcase_add_test(tc, time_parse_uses_length);
	tcase_add_test(tc, time_format_range);
	tcase_add_test(tc, time_every_day_round_trips);
	suite_add_tcase(s, tc);
	return s;
}
