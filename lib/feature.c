/* SPDX-License-Identifier: Apache-2.0 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "feature.h"

static bool lower_digit(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool veto__feat_name_ok(const char *s, size_t len)
{
	if (len < 1 || len > FEAT_NAME_MAX || !lower_digit(s[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!lower_digit(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != ':' &&
		    s[i] != '/' && s[i] != '-')
			return false;
	return true;
}

bool veto__ident_ok(const char *s, size_t len)
{
	if (len < 1 || len > 64 || !lower_digit(s[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!lower_digit(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

bool veto__role_name_ok(const char *s, size_t len)
{
	if (len < 1 || len > 32)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!lower_digit(s[i]) && s[i] != '-')
			return false;
	return true;
}

veto_status veto__feat_version_parse(vfeat *f, const char *s, size_t len)
{
	size_t i = 0;
	uint8_t n = 0;
	if (len == 0)
		return VETO_E_MALFORMED;
	for (;;) {
		if (n == FEAT_PARTS_MAX)
			return VETO_E_MALFORMED;
		size_t start = i;
		uint32_t v = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (i - start == 9)
				return VETO_E_MALFORMED; /* at most nine digits a part */
			v = v * 10 + (uint32_t)(s[i] - '0');
			i++;
		}
		size_t nd = i - start;
		if (nd == 0 || (nd > 1 && s[start] == '0'))
			return VETO_E_MALFORMED;
		f->part[n++] = v;
		if (i == len)
			break;
		if (s[i] != '.' || i + 1 == len)
			return VETO_E_MALFORMED;
		i++;
	}
	f->nparts = n;
	return VETO_OK;
}

static veto_status split(vfeat *f, const char *s, size_t len, const char *sep)
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
	if (!veto__feat_name_ok(s, at))
		return VETO_E_MALFORMED;
	memcpy(f->name, s, at);
	f->name[at] = '\0';
	if (at == len)
		return VETO_OK;
	return veto__feat_version_parse(f, s + at + seplen, len - at - seplen);
}

veto_status veto__feat_parse_offered(vfeat *f, const char *s, size_t len)
{
	return split(f, s, len, "@");
}

veto_status veto__feat_parse_protected(vfeat *f, const char *s, size_t len)
{
	return split(f, s, len, ">=");
}

int veto__feat_version_cmp(const vfeat *a, const vfeat *b)
{
	for (unsigned i = 0; i < FEAT_PARTS_MAX; i++) {
		uint32_t x = i < a->nparts ? a->part[i] : 0;
		uint32_t y = i < b->nparts ? b->part[i] : 0;
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

void veto__feat_version_text(char *buf, size_t cap, const vfeat *f)
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

void veto__feat_offered_text(char *buf, size_t cap, const vfeat *f)
{
	if (f->nparts == 0) {
		snprintf(buf, cap, "%s", f->name);
		return;
	}
	char v[80];
	veto__feat_version_text(v, sizeof(v), f);
	snprintf(buf, cap, "%s@%s", f->name, v);
}

bool veto__feat_find(const vfeat *list, size_t n, const char *name, size_t *index)
{
	for (size_t i = 0; i < n; i++) {
		if (NAME_CMP(list[i].name, name) == 0) {
			*index = i;
			return true;
		}
	}
	return false;
}

veto_status veto__feat_index_make(feat_index *x, const veto_config *cfg, const vfeat *list, size_t n)
{
	return veto__name_index_make(x, cfg, list, n, sizeof(*list), offsetof(vfeat, name));
}

veto_status veto__feat_repeated(const veto_config *cfg, const vfeat *list, size_t n, bool *found,
                          size_t *index)
{
	name_index x;
	*found = false;
	if (n < 2)
		return VETO_OK;
	if (veto__feat_index_make(&x, cfg, list, n) != VETO_OK)
		return VETO_E_NOMEM;
	/* Equal names are neighbours, in list order: the second of each pair
	 * repeats an earlier entry; the first such in list order is reported,
	 * as a scan that checked each entry against those before it would. */
	for (size_t k = 1; k < n; k++) {
		if (NAME_CMP(x.names[k - 1], x.names[k]) != 0)
			continue;
		size_t at = veto__name_index_at(&x, k);
		if (!*found || at < *index)
			*index = at;
		*found = true;
	}
	veto__name_index_free(&x, cfg);
	return VETO_OK;
}

/* One entry of a list into f. */
static veto_status feat_entry(veto_diag *d, vfeat *f, const jsval *item, const char *where,
                              feat_form form)
{
	const char *s;
	size_t len;
	if (veto__js_str(d, &s, &len, item, where, 1, VETO_FEATURE_MAX) != VETO_OK)
		return VETO_E_MALFORMED;
	bool ok = form == FEAT_NAME_ONLY ? veto__feat_name_ok(s, len)
	                                 : veto__feat_parse_offered(f, s, len) == VETO_OK;
	if (!ok) {
		veto__diag_set(d, "%s: \"%.80s\" is not %s", where, s,
		         form == FEAT_NAME_ONLY ? "a feature name" : "\"name\" or \"name@VERSION\"");
		return VETO_E_MALFORMED;
	}
	if (form == FEAT_NAME_ONLY)
		memcpy(f->name, s, len + 1);
	return VETO_OK;
}

veto_status veto__feat_list_from_json(veto_diag *d, vfeat **out, size_t *n_out, const veto_config *cfg,
                                const jsval *arr, const char *where, feat_form form)
{
	size_t n, at;
	void *table;
	*out = NULL;
	*n_out = 0;
	veto_status st = veto__js_array_table(d, &table, &n, cfg, arr, where, VETO_MAX_FEATURES,
	                                sizeof(vfeat));
	if (st != VETO_OK)
		return st;
	vfeat *list = table;
	size_t i = 0; /* entries read well */
	for (const jsval *c = veto__js_first(arr); c != NULL; c = veto__js_next(c), i++)
		if (feat_entry(d, &list[i], c, where, form) != VETO_OK)
			break;
	/* A name repeated before the first bad entry is what is reported. */
	bool twice;
	st = veto__feat_repeated(cfg, list, i, &twice, &at);
	if (st == VETO_OK && twice) {
		veto__diag_set(d, "%s: \"%s\" appears twice", where, list[at].name);
		st = VETO_E_MALFORMED;
	} else if (st == VETO_OK && i < n) {
		st = VETO_E_MALFORMED; /* d holds the bad entry's fault */
	}
	if (st != VETO_OK) {
		veto__vx_free(cfg, list);
		return st;
	}
	*out = list;
	*n_out = n;
	return VETO_OK;
}
