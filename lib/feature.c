/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "feature.h"

static int lower_digit(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int feat_name_ok(const char *s, size_t len)
{
	if (len < 1 || len > FEAT_NAME_MAX || !lower_digit(s[0]))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!lower_digit(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != ':' &&
		    s[i] != '/' && s[i] != '-')
			return 0;
	return 1;
}

int ident_ok(const char *s, size_t len)
{
	if (len < 1 || len > 64 || !lower_digit(s[0]))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!lower_digit(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

int role_name_ok(const char *s, size_t len)
{
	if (len < 1 || len > 32)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!lower_digit(s[i]) && s[i] != '-')
			return 0;
	return 1;
}

int feat_version_parse(vfeat *f, const char *s, size_t len)
{
	size_t i = 0;
	uint8_t n = 0;
	if (len == 0)
		return -1;
	for (;;) {
		if (n == FEAT_PARTS_MAX)
			return -1;
		size_t start = i;
		uint32_t v = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (i - start == 9)
				return -1; /* at most nine digits a part */
			v = v * 10 + (uint32_t)(s[i] - '0');
			i++;
		}
		size_t nd = i - start;
		if (nd == 0 || (nd > 1 && s[start] == '0'))
			return -1;
		f->part[n++] = v;
		if (i == len)
			break;
		if (s[i] != '.' || i + 1 == len)
			return -1;
		i++;
	}
	f->nparts = n;
	return 0;
}

static int split(vfeat *f, const char *s, size_t len, const char *sep)
{
	size_t seplen = strlen(sep);
	size_t at = len;
	for (size_t i = 0; i + seplen <= len; i++) {
		if (memcmp(s + i, sep, seplen) == 0) {
			at = i;
			break;
		}
	}
	memset(f, 0, sizeof(*f));
	if (!feat_name_ok(s, at))
		return -1;
	memcpy(f->name, s, at);
	f->name[at] = '\0';
	if (at == len)
		return 0;
	return feat_version_parse(f, s + at + seplen, len - at - seplen);
}

int feat_parse_offered(vfeat *f, const char *s, size_t len)
{
	return split(f, s, len, "@");
}

int feat_parse_protected(vfeat *f, const char *s, size_t len)
{
	return split(f, s, len, ">=");
}

int feat_version_cmp(const vfeat *a, const vfeat *b)
{
	for (unsigned i = 0; i < FEAT_PARTS_MAX; i++) {
		uint32_t x = i < a->nparts ? a->part[i] : 0;
		uint32_t y = i < b->nparts ? b->part[i] : 0;
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

void feat_version_text(char *buf, size_t cap, const vfeat *f)
{
	size_t at = 0;
	if (cap == 0)
		return;
	buf[0] = '\0';
	if (f->nparts == 0) {
		snprintf(buf, cap, "0");
		return;
	}
	for (unsigned i = 0; i < f->nparts && at < cap; i++) {
		int n = snprintf(buf + at, cap - at, i ? ".%u" : "%u", (unsigned)f->part[i]);
		if (n < 0)
			return;
		at += (size_t)n;
	}
}

void feat_offered_text(char *buf, size_t cap, const vfeat *f)
{
	if (f->nparts == 0) {
		snprintf(buf, cap, "%s", f->name);
		return;
	}
	char v[80];
	feat_version_text(v, sizeof(v), f);
	snprintf(buf, cap, "%s@%s", f->name, v);
}
