/* SPDX-License-Identifier: Apache-2.0 */
/* How work grows with the input, counted rather than timed: the feature
 * index against a linear scan, the order in which parsers report a repeated
 * name, and the name comparisons a whole decision makes per feature at 16
 * and at 256 features (built with VETO_COUNT_WORK, which counts them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feature.h"
#include "fixture.h"
#include "policy.h"
#include "update.h"

static void name_list(vfeat *list, size_t n, unsigned seed)
{
	memset(list, 0, n * sizeof(*list));
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245U + 12345U;
		snprintf(list[i].name, sizeof(list[i].name), "f%u", (seed >> 16) % 97U);
	}
}

/* The index finds what a linear scan finds, at the same place (the first
 * entry of a name when names repeat... which it need not: any entry of the
 * name will do for a list whose names are distinct, as every parsed one). */
START_TEST(index_matches_scan)
{
	vfeat list[64];
	size_t n = (size_t)_i + 1;
	name_list(list, n, (unsigned)_i);
	feat_index x;
	ck_assert_int_eq(veto__feat_index_make(&x, NULL, list, n), VETO_OK);
	for (unsigned k = 0; k < 97; k++) {
		char name[16];
		snprintf(name, sizeof(name), "f%u", k);
		size_t a = 999, b = 999;
		bool in_scan = veto__feat_find(list, n, name, &a);
		ck_assert_int_eq(veto__name_index_find(&x, name, &b), in_scan);
		if (in_scan)
			ck_assert_str_eq(list[b].name, list[a].name);
	}
	veto__name_index_free(&x, NULL);
}
END_TEST

/* veto__feat_repeated names the entry a pairwise scan would name first. */
START_TEST(repeated_matches_pairwise)
{
	vfeat list[64];
	size_t n = (size_t)_i + 1, at = 999, want = 999, ignored;
	bool found, want_found = false;
	name_list(list, n, (unsigned)_i * 7U);
	for (size_t j = 1; j < n && !want_found; j++)
		if (veto__feat_find(list, j, list[j].name, &ignored)) {
			want = j;
			want_found = true;
		}
	ck_assert_int_eq(veto__feat_repeated(NULL, list, n, &found, &at), VETO_OK);
	ck_assert_int_eq(found, want_found);
	if (found)
		ck_assert_uint_eq(at, want);
}
END_TEST

static const struct {
	const char *features;
	const char *detail; /* what veto__update_parse reports */
} order_cases[] = {
    {"[\"a\", \"b\", \"b\", \"a\"]", "features: \"b\" appears twice"},
    {"[\"a\", \"b\", \"a\", \"b\"]", "features: \"a\" appears twice"},
    {"[\"a\", \"B\", \"a\"]", "features: \"B\" is not \"name\" or \"name@VERSION\""},
    {"[\"a\", \"a@2\", \"B\"]", "features: \"a\" appears twice"},
    {"[\"a\", 7, \"a\"]", NULL}, /* the type error, whatever its words */
};

START_TEST(parser_reports_first_fault)
{
	fx_update fu;
	fx_update_init(&fu);
	fu.features = order_cases[_i].features;
	const char *text = fx_update_text(&fu);
	vupdate u;
	veto_diag d = {{0}};
	veto_config cfg;
	veto__cfg_resolve(&cfg, NULL);
	ck_assert_int_eq(veto__update_parse(&u, &d, &cfg, (const uint8_t *)text, strlen(text)),
	                 VETO_E_MALFORMED);
	if (order_cases[_i].detail != NULL)
		ck_assert_str_eq(d.detail, order_cases[_i].detail);
	else
		ck_assert_ptr_null(strstr(d.detail, "twice"));
}
END_TEST

START_TEST(policy_reports_first_fault)
{
	static const char *const lists[][2] = {
	    {"[\"a\", \"b>=1\", \"b\"]", "protected_features: \"b\" appears twice"},
	    {"[\"a\", \"B\", \"a\"]",
	     "protected_features: \"B\" is not \"name\" or \"name>=VERSION\""},
	};
	fx_policy fp;
	fx_policy_init(&fp);
	fp.protected_features = lists[_i][0];
	const char *text = fx_policy_text(&fp);
	vpolicy p;
	veto_diag d = {{0}};
	veto_config cfg;
	veto__cfg_resolve(&cfg, NULL);
	ck_assert_int_eq(veto__policy_parse(&p, &d, &cfg, (const uint8_t *)text, strlen(text),
	                              VKEY_CHECK_LATER),
	                 VETO_E_MALFORMED);
	ck_assert_str_eq(d.detail, lists[_i][1]);
}
END_TEST

#ifdef VETO_COUNT_WORK
/* "[\"p000\", ...]" with n names (suffix appended to each), in the order
 * given by step (coprime to n): the lists differ in order. */
static char *names_json(size_t n, size_t step, const char *suffix)
{
	size_t cap = n * 24 + 8, at = 0;
	char *s = fx_alloc(cap);
	s[at++] = '[';
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(s + at, cap - at, "%s\"p%03zu%s\"", i ? ", " : "",
		                       (i * step) % n, suffix);
	snprintf(s + at, cap - at, "]");
	return s;
}

/* The name comparisons of one whole decision with n protected, offered and
 * installed features. */
static unsigned long compares_at(size_t n)
{
	fx_policy fp;
	fx_policy_init(&fp);
	fp.protected_features = names_json(n, 7, "");
	const char *penv = FX_POLICY_ENV(fx_policy_text(&fp), K_OWNER);
	fx_update fu;
	fx_update_init(&fu);
	fu.features = names_json(n, 11, "@2");
	fu.removes = names_json(n, 13, "");
	const char *uenv = FX_UPDATE_ENV(fx_update_text(&fu), K_VENDOR, K_AUD1, K_AUD2);
	const char **inst = fx_alloc(n * sizeof(*inst));
	for (size_t i = 0; i < n; i++)
		inst[i] = fx_printf("p%03zu", (i * 3) % n);
	const char *anchor = fx_default_anchor();
	veto_state *s = NULL;
	ck_assert_int_eq(veto_state_from_anchor(&s, NULL, NULL, (const uint8_t *)anchor,
	                                        strlen(anchor), 41, inst, n),
	                 VETO_OK);
	fx_keep_state(s);
	name_compares = 0;
	fx_run *r = fx_decide(s, penv, uenv, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	return name_compares;
}

/* Quadratic work would make a feature cost 16 times as much at 256 as at
 * 16; n log n makes it twice (log 256 / log 16); allow 3. */
START_TEST(decision_compares_near_linear)
{
	unsigned long small = compares_at(16), large = compares_at(256);
	double per_small = (double)small / 16.0, per_large = (double)large / 256.0;
	fprintf(stderr, "name comparisons per feature: %.1f at 16, %.1f at 256\n", per_small,
	        per_large);
	ck_assert_uint_gt(small, 0);
	ck_assert(per_large <= 3.0 * per_small);
}
END_TEST
#endif

Suite *fx_suite(void)
{
	Suite *s = suite_create("scaling");
	TCase *tc = fx_tcase("index");
	tcase_add_loop_test(tc, index_matches_scan, 0, 64);
	tcase_add_loop_test(tc, repeated_matches_pairwise, 0, 64);
	suite_add_tcase(s, tc);
	tc = fx_tcase("first-fault");
	tcase_add_loop_test(tc, parser_reports_first_fault, 0,
	                    (int)(sizeof(order_cases) / sizeof(order_cases[0])));
	tcase_add_loop_test(tc, policy_reports_first_fault, 0, 2);
	suite_add_tcase(s, tc);
#ifdef VETO_COUNT_WORK
	tc = fx_tcase("work");
	tcase_add_test(tc, decision_compares_near_linear);
	suite_add_tcase(s, tc);
#endif
	return s;
}
