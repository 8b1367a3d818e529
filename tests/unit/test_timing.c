/* SPDX-License-Identifier: Apache-2.0 */
/* timing.c: (1.1) the arithmetic of the owner's timing (SPEC 5.2): which
 * wall-clock minutes a window is open, when one next opens, the
 * plausibility of a local reading, holds, and the texts. */
#include <string.h>

#include "fixture.h"
#include "timing.h"

#define MON 0x01
#define TUE 0x02
#define WED 0x04
#define THU 0x08
#define FRI 0x10
#define SAT 0x20
#define SUN 0x40
#define WEEKDAYS (MON | TUE | WED | THU | FRI)

/* A local wall-clock reading "YYYY-MM-DDTHH:MM:SS" as timing.c holds it. */
static int64_t wall(const char *text)
{
	int64_t t = 0;
	ck_assert_msg(veto_local_time_parse(&t, text, strlen(text)) == VETO_OK, "%s", text);
	return t;
}

static uint16_t hm(const char *text)
{
	uint16_t m = 0;
	ck_assert_msg(veto__timing_hhmm(text, strlen(text), &m), "%s", text);
	return m;
}

/* 2026-06-01 is a Monday, 2026-06-07 a Sunday. */
static const struct {
	uint8_t days;
	const char *start, *end;
	const char *at;
	bool open;
} windows[] = {
    /* weekday nights 01:30-04:00: both edges of every day of the week */
    {WEEKDAYS, "01:30", "04:00", "2026-06-01T01:29:59", false},
    {WEEKDAYS, "01:30", "04:00", "2026-06-01T01:30:00", true},
    {WEEKDAYS, "01:30", "04:00", "2026-06-01T03:59:59", true}, /* seconds ignored */
    {WEEKDAYS, "01:30", "04:00", "2026-06-01T04:00:00", false},
    {WEEKDAYS, "01:30", "04:00", "2026-06-02T01:30:00", true},
    {WEEKDAYS, "01:30", "04:00", "2026-06-03T03:59:00", true},
    {WEEKDAYS, "01:30", "04:00", "2026-06-04T01:30:59", true},
    {WEEKDAYS, "01:30", "04:00", "2026-06-05T03:59:59", true},
    {WEEKDAYS, "01:30", "04:00", "2026-06-05T04:00:00", false},
    {WEEKDAYS, "01:30", "04:00", "2026-06-06T01:30:00", false}, /* Saturday */
    {WEEKDAYS, "01:30", "04:00", "2026-06-07T02:00:00", false}, /* Sunday */
    {WEEKDAYS, "01:30", "04:00", "2026-06-08T01:30:00", true},  /* Monday again */
    /* the day a window starts: Saturday 22:00 running to Sunday 06:00 */
    {SAT, "22:00", "06:00", "2026-06-06T21:59:59", false},
    {SAT, "22:00", "06:00", "2026-06-06T22:00:00", true},
    {SAT, "22:00", "06:00", "2026-06-06T23:59:59", true},
    {SAT, "22:00", "06:00", "2026-06-07T00:00:00", true},
    {SAT, "22:00", "06:00", "2026-06-07T05:59:59", true},
    {SAT, "22:00", "06:00", "2026-06-07T06:00:00", false},
    {SAT, "22:00", "06:00", "2026-06-06T05:00:00", false}, /* Friday was not named */
    {SAT, "22:00", "06:00", "2026-06-07T22:30:00", false}, /* Sunday evening */
    /* ending at 00:00: open to the last minute of the day, not a minute more */
    {SUN, "22:00", "00:00", "2026-06-07T21:59:00", false},
    {SUN, "22:00", "00:00", "2026-06-07T22:00:00", true},
    {SUN, "22:00", "00:00", "2026-06-07T23:59:59", true},
    {SUN, "22:00", "00:00", "2026-06-08T00:00:00", false},
    /* past midnight from Sunday into Monday, across the week's end */
    {SUN, "23:00", "02:00", "2026-06-07T22:59:59", false},
    {SUN, "23:00", "02:00", "2026-06-07T23:00:00", true},
    {SUN, "23:00", "02:00", "2026-06-08T00:00:00", true},
    {SUN, "23:00", "02:00", "2026-06-08T01:59:59", true},
    {SUN, "23:00", "02:00", "2026-06-08T02:00:00", false},
    {SUN, "23:00", "02:00", "2026-06-01T01:00:00", true}, /* the Sunday before */
    {MON, "23:00", "02:00", "2026-06-01T01:00:00", false}, /* Sunday not named */
    {MON, "23:00", "02:00", "2026-06-02T01:00:00", true},
    /* a whole day but one minute, starting at 00:00 */
    {WED, "00:00", "23:59", "2026-06-03T00:00:00", true},
    {WED, "00:00", "23:59", "2026-06-03T23:59:00", false},
    {WED, "00:00", "23:59", "2026-06-02T23:58:00", false},
    /* before 1970 and far ahead: the weekday comes from the date */
    {THU, "00:00", "01:00", "1970-01-01T00:30:00", true},
    {WED, "00:00", "01:00", "1969-12-31T00:30:00", true},
    {FRI, "10:00", "11:00", "9999-12-31T10:00:00", true},
};

START_TEST(window_open_table)
{
	vwindow w = {windows[_i].days, hm(windows[_i].start), hm(windows[_i].end)};
	bool got = veto__timing_window_open(&w, wall(windows[_i].at));
	ck_assert_msg(got == windows[_i].open, "%s-%s at %s: %s", windows[_i].start, windows[_i].end,
	              windows[_i].at, got ? "open" : "closed");
}
END_TEST

START_TEST(weekdays)
{
	static const char *const days[] = {"2026-06-01T00:00:00", "2026-06-02T12:00:00",
	                                   "2026-06-03T23:59:59", "2026-06-04T00:00:00",
	                                   "2026-06-05T06:00:00", "2026-06-06T18:00:00",
	                                   "2026-06-07T23:59:59"};
	for (unsigned i = 0; i < 7; i++)
		ck_assert_uint_eq(veto__timing_weekday(wall(days[i])), i);
	ck_assert_uint_eq(veto__timing_weekday(wall("1970-01-01T00:00:00")), 3); /* Thursday */
	ck_assert_uint_eq(veto__timing_weekday(wall("1969-12-31T23:59:59")), 2);
	ck_assert_uint_eq(veto__timing_weekday(wall("2000-02-29T00:00:00")), 1);
	ck_assert_uint_eq(veto__timing_weekday(wall("0000-01-01T00:00:00")), 5); /* proleptic Saturday */
}
END_TEST

/* The owner's plant: weekday nights and Saturday night. */
static void plant(vtiming *t)
{
	memset(t, 0, sizeof(*t));
	t->clock = TCLOCK_LOCAL;
	t->windows[0] = (vwindow){WEEKDAYS, hm("01:30"), hm("04:00")};
	t->windows[1] = (vwindow){SAT, hm("22:00"), hm("06:00")};
	t->n_windows = 2;
}

static const struct {
	const char *at, *next;
} next_opens[] = {
    {"2026-06-01T00:00:00", "2026-06-01T01:30:00"},
    {"2026-06-01T01:29:59", "2026-06-01T01:30:00"},
    {"2026-06-01T04:00:00", "2026-06-02T01:30:00"},
    {"2026-06-05T04:00:00", "2026-06-06T22:00:00"}, /* Friday: Saturday night */
    {"2026-06-06T21:59:59", "2026-06-06T22:00:00"},
    {"2026-06-07T06:00:00", "2026-06-08T01:30:00"}, /* Sunday: Monday */
    {"2026-06-07T23:59:59", "2026-06-08T01:30:00"},
};

START_TEST(next_open_table)
{
	vtiming t;
	char text[32];
	plant(&t);
	int64_t at = wall(next_opens[_i].at);
	ck_assert(!veto__timing_open(&t, at));
	int64_t next = veto__timing_next_open(&t, at);
	veto__timing_wall_text(text, sizeof(text), &t, next);
	ck_assert_str_eq(text, next_opens[_i].next);
	ck_assert(veto__timing_open(&t, next));
	/* nothing opens in between (minute by minute) */
	for (int64_t m = at - at % 60 + 60; m < next; m += 60)
		ck_assert(!veto__timing_open(&t, m));
}
END_TEST

START_TEST(next_open_across_a_week)
{
	/* Only Wednesday 10:00-11:00: from Wednesday 11:00 the next is a week on. */
	vtiming t;
	char text[32];
	memset(&t, 0, sizeof(t));
	t.windows[0] = (vwindow){WED, hm("10:00"), hm("11:00")};
	t.n_windows = 1;
	int64_t next = veto__timing_next_open(&t, wall("2026-06-03T11:00:00"));
	veto__timing_wall_text(text, sizeof(text), &t, next);
	ck_assert_str_eq(text, "2026-06-10T10:00:00Z"); /* the UTC clock says Z */
	next = veto__timing_next_open(&t, wall("2026-06-03T09:59:59"));
	veto__timing_wall_text(text, sizeof(text), &t, next);
	ck_assert_str_eq(text, "2026-06-03T10:00:00Z");
	t.clock = TCLOCK_OFFSET;
	t.offset = -(5 * 3600 + 30 * 60);
	veto__timing_wall_text(text, sizeof(text), &t, next);
	ck_assert_str_eq(text, "2026-06-03T10:00:00-05:30");
	t.offset = 14 * 3600;
	veto__timing_wall_text(text, sizeof(text), &t, next);
	ck_assert_str_eq(text, "2026-06-03T10:00:00+14:00");
}
END_TEST

/* A daylight-saving change is only what the local clock reads: on the
 * night the clocks go forward (02:00 -> 03:00) a window 02:00-02:30 never
 * opens; on the night they go back (03:00 -> 02:00) one 02:00-02:30 is
 * open both times the clock reads 02:15. */
START_TEST(daylight_saving_as_read)
{
	vwindow w = {SUN, hm("02:00"), hm("02:30")};
	/* forward: the readings around the jump */
	ck_assert(!veto__timing_window_open(&w, wall("2026-03-29T01:59:59")));
	ck_assert(!veto__timing_window_open(&w, wall("2026-03-29T03:00:00")));
	/* back: the same reading at two instants an hour apart */
	int64_t reading = wall("2026-10-25T02:15:00");
	int64_t first = fx_time("2026-10-25T00:15:00Z"), second = fx_time("2026-10-25T01:15:00Z");
	ck_assert(veto__timing_local_plausible(reading, first));
	ck_assert(veto__timing_local_plausible(reading, second));
	ck_assert(veto__timing_window_open(&w, reading));
}
END_TEST

START_TEST(local_plausibility)
{
	int64_t now = fx_time("2026-06-01T12:00:00Z");
	ck_assert(veto__timing_local_plausible(now, now));
	ck_assert(veto__timing_local_plausible(now + 14 * 3600, now));
	ck_assert(!veto__timing_local_plausible(now + 14 * 3600 + 1, now));
	ck_assert(veto__timing_local_plausible(now - 12 * 3600, now));
	ck_assert(!veto__timing_local_plausible(now - 12 * 3600 - 1, now));
	ck_assert(!veto__timing_local_plausible(0, now)); /* a clock reset to 1970 */
}
END_TEST

START_TEST(holds)
{
	vhold h = {fx_time("2026-12-20T00:00:00Z"), fx_time("2027-01-06T00:00:00Z"), true};
	ck_assert(!veto__timing_hold_active(&h, h.from - 1));
	ck_assert(veto__timing_hold_active(&h, h.from));
	ck_assert(veto__timing_hold_active(&h, h.until - 1));
	ck_assert(!veto__timing_hold_active(&h, h.until));
}
END_TEST

static const struct {
	const char *text;
	int ok;
	int32_t seconds;
} offsets[] = {
    {"+00:00", 1, 0},       {"-00:00", 1, 0},           {"+01:00", 1, 3600},
    {"-05:30", 1, -19800},  {"+14:00", 1, 50400},       {"-14:00", 1, -50400},
    {"+05:45", 1, 20700},   {"+14:01", 0, 0},           {"-15:00", 0, 0},
    {"+1:00", 0, 0},        {"01:00", 0, 0},            {"+01:60", 0, 0},
    {"+01:00Z", 0, 0},      {"UTC", 0, 0},              {"+0100", 0, 0},
};

START_TEST(offset_table)
{
	int32_t s = 12345;
	const char *t = offsets[_i].text;
	ck_assert_int_eq(veto__timing_offset(t, strlen(t), &s), offsets[_i].ok);
	if (offsets[_i].ok)
		ck_assert_int_eq(s, offsets[_i].seconds);
}
END_TEST

START_TEST(times_of_day)
{
	static const char *const bad[] = {"24:00", "23:60", "1:30", "01:3", "01-30", "01:30:00",
	                                  "", "0a:00", " 1:30"};
	uint16_t m = 0;
	ck_assert(veto__timing_hhmm("00:00", 5, &m) && m == 0);
	ck_assert(veto__timing_hhmm("23:59", 5, &m) && m == 1439);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!veto__timing_hhmm(bad[i], strlen(bad[i]), &m), "%s", bad[i]);
	uint8_t bit = 0;
	ck_assert(veto__timing_day("sun", 3, &bit) && bit == SUN);
	ck_assert(!veto__timing_day("Sun", 3, &bit));
	ck_assert(!veto__timing_day("sunday", 6, &bit));
}
END_TEST

START_TEST(local_time_parse)
{
	int64_t t = 7;
	ck_assert_int_eq(veto_local_time_parse(&t, "2026-06-01T02:00:00", 19), VETO_OK);
	ck_assert_int_eq(t, fx_time("2026-06-01T02:00:00Z"));
	t = 7;
	ck_assert_int_eq(veto_local_time_parse(&t, "2026-06-01T02:00:00Z", 20), VETO_E_MALFORMED);
	ck_assert_int_eq(veto_local_time_parse(&t, "2026-06-01T02:00", 16), VETO_E_MALFORMED);
	ck_assert_int_eq(veto_local_time_parse(&t, "2026-02-29T02:00:00", 19), VETO_E_MALFORMED);
	ck_assert_int_eq(veto_local_time_parse(&t, "2026-06-01T02:00:60", 19), VETO_E_MALFORMED);
	ck_assert_int_eq(veto_local_time_parse(&t, "2026-06-01 02:00:00", 19), VETO_E_MALFORMED);
	ck_assert_int_eq(veto_local_time_parse(NULL, "2026-06-01T02:00:00", 19), VETO_E_MALFORMED);
	ck_assert_int_eq(t, 7);
}
END_TEST

/* The human text of outside-window and on-hold. */
START_TEST(reason_texts)
{
	veto_reason r;
	char buf[256];
	memset(&r, 0, sizeof(r));
	r.code = VETO_R_OUTSIDE_WINDOW;
	strcpy(r.offered, "2026-06-02T01:30:00");
	veto_reason_text(buf, sizeof(buf), &r);
	ck_assert_str_eq(buf, "outside the maintenance window; the next one opens Tuesday 01:30 "
	                      "local time (2026-06-02)");
	strcpy(r.offered, "2026-06-02T01:30:00-05:00");
	veto_reason_text(buf, sizeof(buf), &r);
	ck_assert_str_eq(buf, "outside the maintenance window; the next one opens Tuesday 01:30 "
	                      "UTC-05:00 (2026-06-02)");
	r.code = VETO_R_ON_HOLD;
	strcpy(r.offered, "2027-01-06T00:00:00Z");
	veto_reason_text(buf, sizeof(buf), &r);
	ck_assert_str_eq(buf, "updates are on hold until Wednesday 00:00 UTC (2027-01-06)");
	ck_assert_str_eq(veto_code_offered_name(VETO_R_ON_HOLD), "until");
	ck_assert_str_eq(veto_code_offered_name(VETO_R_OUTSIDE_WINDOW), "next_open");
	ck_assert_str_eq(veto_code_offered_name(VETO_R_FEATURE_DOWNGRADED), "offered");
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("timing");
	TCase *tc = fx_tcase("timing");
	tcase_add_loop_test(tc, window_open_table, 0, (int)(sizeof(windows) / sizeof(windows[0])));
	tcase_add_test(tc, weekdays);
	tcase_add_loop_test(tc, next_open_table, 0, (int)(sizeof(next_opens) / sizeof(next_opens[0])));
	tcase_add_test(tc, next_open_across_a_week);
	tcase_add_test(tc, daylight_saving_as_read);
	tcase_add_test(tc, local_plausibility);
	tcase_add_test(tc, holds);
	tcase_add_loop_test(tc, offset_table, 0, (int)(sizeof(offsets) / sizeof(offsets[0])));
	tcase_add_test(tc, times_of_day);
	tcase_add_test(tc, local_time_parse);
	tcase_add_test(tc, reason_texts);
	suite_add_tcase(s, tc);
	return s;
}
