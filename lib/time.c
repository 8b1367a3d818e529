/* SPDX-License-Identifier: Apache-2.0 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* Whether s[0..n) is all digits, and their value. */
static bool digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SS" at text[0..19), a real instant, into *out. */
static bool civil_parse(int64_t *out, const char *text)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, s;
	if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
	    text[16] != ':')
		return false;
	if (!digits(text, 4, &y) || !digits(text + 5, 2, &mo) || !digits(text + 8, 2, &d) ||
	    !digits(text + 11, 2, &h) || !digits(text + 14, 2, &mi) || !digits(text + 17, 2, &s))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59)
		return false;
	int dim = mdays[mo - 1] + (mo == 2 && is_leap(y));
	if (d > dim)
		return false;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return true;
}

/* Whether text has the digits and separators of the form, whatever their
 * values. */
static bool time_shape(const char *text, size_t len)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	if (text == NULL || len != sizeof shape - 1)
		return false;
	for (size_t i = 0; i < len; i++)
		if (shape[i] == 'd' ? text[i] < '0' || text[i] > '9' : text[i] != shape[i])
			return false;
	return true;
}

void veto__time_diag(veto_diag *d, const char *where, const char *text, size_t len, bool nullable)
{
	if (time_shape(text, len))
		veto__diag_set(d, "%s: \"%.20s\" is not a real instant (the day must exist in its month; "
		            "seconds run 00..59, with no leap second)", where, text);
	else
		veto__diag_set(d, "%s: not %sa time of the form YYYY-MM-DDTHH:MM:SSZ", where,
		         nullable ? "null nor " : "");
}

veto_status veto_time_parse(int64_t *out, const char *text, size_t len)
{
	if (out == NULL || text == NULL || len != 20 || text[19] != 'Z')
		return VETO_E_MALFORMED;
	return civil_parse(out, text) ? VETO_OK : VETO_E_MALFORMED;
}

/* (1.1) A local wall-clock reading: the same form without the zone. */
veto_status veto_local_time_parse(int64_t *out, const char *text, size_t len)
{
	if (out == NULL || text == NULL || len != 19)
		return VETO_E_MALFORMED;
	return civil_parse(out, text) ? VETO_OK : VETO_E_MALFORMED;
}

veto_status veto_time_format(char out[21], int64_t t)
{
	/* 0000-01-01 .. 9999-12-31T23:59:59 */
	const int64_t lo = -62167219200LL, hi = 253402300799LL;
	if (out == NULL || t < lo || t > hi)
		return VETO_E_ARG;
	int64_t days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* civil_from_days */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	char tmp[64]; /* the ranges above keep it to 20 characters */
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, (int)m, (int)d,
	         (int)(rem / 3600), (int)(rem % 3600 / 60), (int)(rem % 60));
	memcpy(out, tmp, 20);
	out[20] = '\0';
	return VETO_OK;
}
