/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) Window, hold and wall-clock arithmetic (timing.h).  Pure functions
 * of the times handed in. */
#include <stdio.h>
#include <string.h>

#include "timing.h"
#include "veto.h"

#define DAY 86400

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

unsigned veto__timing_weekday(int64_t wall)
{
	/* 1970-01-01 was a Thursday (3 counting from Monday 0) */
	int64_t days = floor_div(wall, DAY);
	int64_t wd = (days + 3) % 7;
	return (unsigned)(wd < 0 ? wd + 7 : wd);
}

/* Minutes since 00:00 of wall's day; seconds are ignored. */
static unsigned minute_of_day(int64_t wall)
{
	return (unsigned)((wall - floor_div(wall, DAY) * DAY) / 60);
}

static bool starts_on(const vwindow *w, unsigned weekday)
{
	return (w->days >> weekday) & 1U;
}

bool veto__timing_window_open(const vwindow *w, int64_t wall)
{
	unsigned wd = veto__timing_weekday(wall), m = minute_of_day(wall);
	if (w->start < w->end)
		return starts_on(w, wd) && w->start <= m && m < w->end;
	/* past midnight: the evening of a named day, or the morning after one */
	return (starts_on(w, wd) && m >= w->start) || (starts_on(w, (wd + 6) % 7) && m < w->end);
}

bool veto__timing_open(const vtiming *t, int64_t wall)
{
	if (t->n_windows == 0)
		return true;
	for (size_t i = 0; i < t->n_windows; i++)
		if (veto__timing_window_open(&t->windows[i], wall))
			return true;
	return false;
}

int64_t veto__timing_next_open(const vtiming *t, int64_t wall)
{
	/* Closed now, a window can open only at some window's start; every
	 * named day comes round within eight days. */
	int64_t day0 = floor_div(wall, DAY), best = INT64_MAX;
	for (size_t i = 0; i < t->n_windows; i++) {
		const vwindow *w = &t->windows[i];
		for (int64_t k = 0; k <= 7; k++) {
			int64_t at = (day0 + k) * DAY + (int64_t)w->start * 60;
			if (at > wall && starts_on(w, veto__timing_weekday(at)) && at < best) {
				best = at;
				break;
			}
		}
	}
	return best;
}

bool veto__timing_local_plausible(int64_t local, int64_t now)
{
	return local - now <= TIMING_LOCAL_AHEAD && now - local <= TIMING_LOCAL_BEHIND;
}

bool veto__timing_hold_active(const vhold *h, int64_t now)
{
	return h->from <= now && now < h->until;
}

static bool two_digits(const char *s, unsigned *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*out = (unsigned)(s[0] - '0') * 10U + (unsigned)(s[1] - '0');
	return true;
}

bool veto__timing_hhmm(const char *s, size_t len, uint16_t *minutes)
{
	unsigned h, m;
	if (len != 5 || s[2] != ':' || !two_digits(s, &h) || !two_digits(s + 3, &m) || h > 23 ||
	    m > 59)
		return false;
	*minutes = (uint16_t)(h * 60U + m);
	return true;
}

bool veto__timing_offset(const char *s, size_t len, int32_t *seconds)
{
	unsigned h, m;
	if (len != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' || !two_digits(s + 1, &h) ||
	    !two_digits(s + 4, &m) || m > 59 || h * 60U + m > 14U * 60U)
		return false;
	int32_t v = (int32_t)((h * 60U + m) * 60U);
	*seconds = s[0] == '-' ? -v : v;
	return true;
}

static const char day_names[7][4] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool veto__timing_day(const char *s, size_t len, uint8_t *bit)
{
	for (unsigned i = 0; i < 7; i++)
		if (len == 3 && memcmp(s, day_names[i], 3) == 0) {
			*bit = (uint8_t)(1U << i);
			return true;
		}
	return false;
}

void veto__timing_wall_text(char *buf, size_t cap, const vtiming *t, int64_t wall)
{
	char iso[21], suffix[16] = "";
	if (veto_time_format(iso, wall - (wall % 60 + 60) % 60) != VETO_OK)
		memcpy(iso, "0000-00-00T00:00:00Z", 21);
	iso[19] = '\0'; /* no "Z": the suffix says which clock */
	if (t->clock == TCLOCK_UTC) {
		memcpy(suffix, "Z", 2);
	} else if (t->clock == TCLOCK_OFFSET) {
		int32_t o = t->offset < 0 ? -t->offset : t->offset;
		snprintf(suffix, sizeof(suffix), "%c%02d:%02d", t->offset < 0 ? '-' : '+',
		         (int)(o / 3600), (int)(o % 3600 / 60));
	}
	snprintf(buf, cap, "%s%s", iso, suffix);
}
