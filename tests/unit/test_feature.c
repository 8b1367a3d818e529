/* SPDX-License-Identifier: Apache-2.0 */
/* feature.c: the feature grammar and numeric version compare of SPEC
 * section 5, and the vendor/model and role name grammars. */
#include <string.h>

#include "feature.h"
#include "fixture.h"

/* ---- versions ------------------------------------------------------------ */

static const struct {
	const char *v;
	int ok;
} version_cases[] = {
    {"0", 1},
    {"1", 1},
    {"1.0", 1},
    {"1.10", 1},
    {"0.0.0", 1},
    {"123456789", 1},           /* nine digits */
    {"123456789.999999999", 1}, /* nine digits each */
    {"1.2.3.4.5.6.7.8", 1},     /* eight parts */
    {"1234567890", 0},          /* ten digits */
    {"1.0123456789", 0},
    {"1.2.3.4.5.6.7.8.9", 0}, /* nine parts */
    {"01", 0},                /* leading zero */
    {"1.01", 0},
    {"00", 0},
    {"1.00", 0},
    {"", 0},
    {".1", 0},
    {"1.", 0},
    {"1..2", 0},
    {".", 0},
    {"1.-2", 0},
    {"-1", 0},
    {"+1", 0},
    {"1.2a", 0},
    {"v1", 0},
    {"1 ", 0},
    {" 1", 0},
    {"1,2", 0},
    {"\xd9\xa1", 0}, /* ARABIC-INDIC DIGIT ONE */
};

START_TEST(version_parse_table)
{
	vfeat f;
	const char *v = version_cases[_i].v;
	memset(&f, 0, sizeof(f));
	veto_status rc = veto__feat_version_parse(&f, v, strlen(v));
	ck_assert_msg((rc == VETO_OK) == version_cases[_i].ok, "version \"%s\": %d", v, (int)rc);
}
END_TEST

static const struct {
	const char *a, *b;
	int cmp;
} cmp_cases[] = {
    {"1.10", "1.9", 1},
    {"1.9", "1.10", -1},
    {"1", "1.0", 0},
    {"1.0.0", "1", 0},
    {"1.0.0.0.0.0.0.0", "1", 0},
    {"2", "10", -1}, /* numeric, not text */
    {"0.9", "1", -1},
    {"1.0.1", "1", 1},
    {"1", "1.0.1", -1},
    {"999999999", "999999998", 1},
    {"999999999.999999999", "999999999.999999999.0", 0},
    {"0", "0.0", 0},
    {"1.2.3.4.5.6.7.9", "1.2.3.4.5.6.7.8", 1},
};

static void version(vfeat *f, const char *v)
{
	memset(f, 0, sizeof(*f));
	ck_assert_msg(veto__feat_version_parse(f, v, strlen(v)) == VETO_OK, "version \"%s\"", v);
}

START_TEST(version_cmp_table)
{
	vfeat a, b;
	version(&a, cmp_cases[_i].a);
	version(&b, cmp_cases[_i].b);
	int c = veto__feat_version_cmp(&a, &b);
	int sign = c < 0 ? -1 : c > 0 ? 1 : 0;
	ck_assert_msg(sign == cmp_cases[_i].cmp, "%s vs %s: %d", cmp_cases[_i].a, cmp_cases[_i].b, c);
	c = veto__feat_version_cmp(&b, &a);
	sign = c < 0 ? -1 : c > 0 ? 1 : 0;
	ck_assert_int_eq(sign, -cmp_cases[_i].cmp);
}
END_TEST

START_TEST(version_bare_is_zero)
{
	vfeat bare, zero, one;
	ck_assert_int_eq(veto__feat_parse_offered(&bare, "zigbee", 6), VETO_OK);
	ck_assert_uint_eq(bare.nparts, 0);
	version(&zero, "0.0");
	version(&one, "0.0.1");
	ck_assert_int_eq(veto__feat_version_cmp(&bare, &zero), 0);
	ck_assert_int_lt(veto__feat_version_cmp(&bare, &one), 0);
}
END_TEST

START_TEST(version_text)
{
	vfeat f;
	char buf[80];
	ck_assert_int_eq(veto__feat_parse_offered(&f, "x@1.20.3", 8), VETO_OK);
	veto__feat_version_text(buf, sizeof(buf), &f);
	ck_assert_str_eq(buf, "1.20.3");
	veto__feat_offered_text(buf, sizeof(buf), &f);
	ck_assert_str_eq(buf, "x@1.20.3");
	ck_assert_int_eq(veto__feat_parse_offered(&f, "x", 1), VETO_OK);
	veto__feat_version_text(buf, sizeof(buf), &f);
	ck_assert_str_eq(buf, "0");
	veto__feat_offered_text(buf, sizeof(buf), &f);
	ck_assert_str_eq(buf, "x");
	/* the longest version fits the documented 80 bytes */
	const char *v = "x@999999999.999999999.999999999.999999999.999999999.999999999.999999999.999999999";
	ck_assert_int_eq(veto__feat_parse_offered(&f, v, strlen(v)), VETO_OK);
	veto__feat_version_text(buf, sizeof(buf), &f);
	ck_assert_str_eq(buf, v + 2);
}
END_TEST

/* ---- names and entries --------------------------------------------------- */

#define N64 "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01"
#define N65 N64 "2"

static const struct {
	const char *s;
	int ok;
} name_cases[] = {
    {"zigbee", 1},
    {"works-with-nest", 1},
    {"a", 1},
    {"0", 1},
    {"a.b_c:d/e-f", 1},
    {"matter1.3", 1},
    {N64, 1},
    {N65, 0},
    {"", 0},
    {"Zigbee", 0}, /* upper case */
    {"ZIGBEE", 0},
    {"zig bee", 0}, /* spaces */
    {" zigbee", 0},
    {"zigbee ", 0},
    {"-zigbee", 0}, /* leading punctuation */
    {".zigbee", 0},
    {"_zigbee", 0},
    {":zigbee", 0},
    {"/zigbee", 0},
    {"zig\tbee", 0},
    {"zigbee!", 0},
    {"zig+bee", 0},
    {"zig\xd1\x96" "bee", 0}, /* CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I */
    {"\xd0\xb0pple", 0},      /* CYRILLIC SMALL LETTER A */
    {"zigbe\xc3\xa9", 0},     /* e with acute */
    {"zigbee\xef\xbc\x8d" "x", 0}, /* FULLWIDTH HYPHEN-MINUS */
    {"\xef\xbd\x9aigbee", 0}, /* FULLWIDTH z */
    {"zigbee@1", 0},          /* not a bare name */
};

START_TEST(name_table)
{
	const char *s = name_cases[_i].s;
	ck_assert_msg(veto__feat_name_ok(s, strlen(s)) == name_cases[_i].ok, "name \"%s\"", s);
}
END_TEST

static const struct {
	const char *s;
	int ok;
	const char *name;
	const char *version; /* "0" for bare */
} offered_cases[] = {
    {"zigbee", 1, "zigbee", "0"},
    {"matter@1.3", 1, "matter", "1.3"},
    {"works-with-nest@1.2", 1, "works-with-nest", "1.2"},
    {"x@0", 1, "x", "0"},
    {N64 "@1", 1, N64, "1"},
    {N65 "@1", 0, NULL, NULL},
    {"matter@", 0, NULL, NULL},     /* empty version */
    {"@1.3", 0, NULL, NULL},        /* empty name */
    {"matter>=1.3", 0, NULL, NULL}, /* the protected form, in an update */
    {"matter@>=1.3", 0, NULL, NULL},
    {"matter@1.3@2", 0, NULL, NULL},
    {"matter@01", 0, NULL, NULL},
    {"matter@1.", 0, NULL, NULL},
    {"matter@v1", 0, NULL, NULL},
    {"Matter@1", 0, NULL, NULL},
    {"matter @1", 0, NULL, NULL},
    {"matter@ 1", 0, NULL, NULL},
    {"matter@1.2.3.4.5.6.7.8.9", 0, NULL, NULL},
};

START_TEST(offered_table)
{
	vfeat f;
	char v[80];
	const char *s = offered_cases[_i].s;
	veto_status rc = veto__feat_parse_offered(&f, s, strlen(s));
	ck_assert_msg((rc == VETO_OK) == offered_cases[_i].ok, "offered \"%s\": %d", s, (int)rc);
	if (rc == VETO_OK) {
		ck_assert_str_eq(f.name, offered_cases[_i].name);
		veto__feat_version_text(v, sizeof(v), &f);
		ck_assert_str_eq(v, offered_cases[_i].version);
	}
}
END_TEST

static const struct {
	const char *s;
	int ok;
	const char *name;
	int nparts;
} protected_cases[] = {
    {"zigbee", 1, "zigbee", 0},
    {"works-with-nest>=1.0", 1, "works-with-nest", 2},
    {"x>=0", 1, "x", 1},
    {N64 ">=1", 1, N64, 1},
    {N65, 0, NULL, 0},
    {"works-with-nest>=", 0, NULL, 0},
    {">=1.0", 0, NULL, 0},
    {"matter@1.3", 0, NULL, 0}, /* '@' is the offered form: not here */
    {"matter@", 0, NULL, 0},
    {"matter>1.3", 0, NULL, 0},
    {"matter=1.3", 0, NULL, 0},
    {"matter>=1.3>=2", 0, NULL, 0},
    {"matter >=1.3", 0, NULL, 0},
    {"matter>= 1.3", 0, NULL, 0},
    {"matter>=01", 0, NULL, 0},
    {"Matter>=1", 0, NULL, 0},
};

START_TEST(protected_table)
{
	vfeat f;
	const char *s = protected_cases[_i].s;
	veto_status rc = veto__feat_parse_protected(&f, s, strlen(s));
	ck_assert_msg((rc == VETO_OK) == protected_cases[_i].ok, "protected \"%s\": %d", s, (int)rc);
	if (rc == VETO_OK) {
		ck_assert_str_eq(f.name, protected_cases[_i].name);
		ck_assert_int_eq(f.nparts, protected_cases[_i].nparts);
	}
}
END_TEST

/* vendor and model: [a-z0-9][a-z0-9._-]{0,63}; roles: [a-z0-9-]{1,32} */
START_TEST(ident_and_role_names)
{
	ck_assert_int_eq(veto__ident_ok("acme", 4), 1);
	ck_assert_int_eq(veto__ident_ok("thermo-2.1_b", 12), 1);
	ck_assert_int_eq(veto__ident_ok(N64, 64), 1);
	ck_assert_int_eq(veto__ident_ok(N65, 65), 0);
	ck_assert_int_eq(veto__ident_ok("", 0), 0);
	ck_assert_int_eq(veto__ident_ok("Acme", 4), 0);
	ck_assert_int_eq(veto__ident_ok("-acme", 5), 0);
	ck_assert_int_eq(veto__ident_ok("ac:me", 5), 0); /* ':' and '/' are for features only */
	ck_assert_int_eq(veto__ident_ok("ac/me", 5), 0);
	ck_assert_int_eq(veto__ident_ok("ac me", 5), 0);

	ck_assert_int_eq(veto__role_name_ok("owner", 5), 1);
	ck_assert_int_eq(veto__role_name_ok("-", 1), 1);
	ck_assert_int_eq(veto__role_name_ok("security-team-2", 15), 1);
	ck_assert_int_eq(veto__role_name_ok("abcdefghijklmnopqrstuvwxyz012345", 32), 1);
	ck_assert_int_eq(veto__role_name_ok("abcdefghijklmnopqrstuvwxyz0123456", 33), 0);
	ck_assert_int_eq(veto__role_name_ok("", 0), 0);
	ck_assert_int_eq(veto__role_name_ok("Owner", 5), 0);
	ck_assert_int_eq(veto__role_name_ok("own_er", 6), 0);
	ck_assert_int_eq(veto__role_name_ok("own.er", 6), 0);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("feature");
	TCase *tc = fx_tcase("version");
	tcase_add_loop_test(tc, version_parse_table, 0,
	                    (int)(sizeof(version_cases) / sizeof(version_cases[0])));
	tcase_add_loop_test(tc, version_cmp_table, 0, (int)(sizeof(cmp_cases) / sizeof(cmp_cases[0])));
	tcase_add_test(tc, version_bare_is_zero);
	tcase_add_test(tc, version_text);
	suite_add_tcase(s, tc);
	tc = fx_tcase("grammar");
	tcase_add_loop_test(tc, name_table, 0, (int)(sizeof(name_cases) / sizeof(name_cases[0])));
	tcase_add_loop_test(tc, offered_table, 0,
	                    (int)(sizeof(offered_cases) / sizeof(offered_cases[0])));
	tcase_add_loop_test(tc, protected_table, 0,
	                    (int)(sizeof(protected_cases) / sizeof(protected_cases[0])));
	tcase_add_test(tc, ident_and_role_names);
	suite_add_tcase(s, tc);
	return s;
}
