/* SPDX-License-Identifier: Apache-2.0 */
/* text.c and alloc.c: hex, bounded copies, the JSON string writer and how a
 * veto_config is resolved (limits lowered, never raised). */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "util.h"

/* ---- hex ----------------------------------------------------------------- */

START_TEST(hex_round_trip)
{
	const uint8_t in[4] = {0x00, 0x7f, 0xab, 0xff};
	uint8_t out[4];
	char hex[9];
	veto__hex_encode(hex, in, 4);
	ck_assert_str_eq(hex, "007fabff");
	ck_assert_int_eq(veto__hex_decode(out, 4, hex, 8), VETO_OK);
	ck_assert_mem_eq(out, in, 4);
}
END_TEST

static const struct {
	const char *s;
	int ok;
} hex_cases[] = {
    {"00112233", 1},
    {"abcdef09", 1},
    {"ABCDEF09", 0}, /* digests are lowercase hex (SPEC section 4) */
    {"aBcdef09", 0},
    {"0011223", 0},   /* odd length */
    {"001122334", 0}, /* too long */
    {"0011223g", 0},
    {"0011 233", 0},
    {"", 0},
};

START_TEST(hex_decode_table)
{
	uint8_t out[4];
	const char *s = hex_cases[_i].s;
	veto_status rc = veto__hex_decode(out, 4, s, strlen(s));
	ck_assert_msg((rc == VETO_OK) == hex_cases[_i].ok, "veto__hex_decode(\"%s\") = %d", s, (int)rc);
}
END_TEST

START_TEST(is_hex64_table)
{
	char s[80];
	memset(s, 'a', 64);
	s[64] = '\0';
	ck_assert_int_eq(veto__is_hex64(s, 64), 1);
	ck_assert_int_eq(veto__is_hex64(s, 63), 0);
	s[64] = 'a';
	ck_assert_int_eq(veto__is_hex64(s, 65), 0);
	s[10] = 'A';
	ck_assert_int_eq(veto__is_hex64(s, 64), 0);
	s[10] = 'g';
	ck_assert_int_eq(veto__is_hex64(s, 64), 0);
}
END_TEST

/* ---- strings ------------------------------------------------------------- */

START_TEST(str_copy_truncates)
{
	char buf[4];
	veto__str_copy(buf, sizeof(buf), "abcdef");
	ck_assert_str_eq(buf, "abc");
	veto__str_copy(buf, sizeof(buf), "ab");
	ck_assert_str_eq(buf, "ab");
	buf[0] = 'x';
	veto__str_copy(buf, 0, "zz"); /* cap 0 writes nothing */
	ck_assert_int_eq(buf[0], 'x');
}
END_TEST

START_TEST(diag_set_null_ok)
{
	veto_diag d;
	veto__diag_set(NULL, "ignored %d", 1);
	veto__diag_set(&d, "n=%d", 7);
	ck_assert_str_eq(d.detail, "n=7");
}
END_TEST

START_TEST(vbuf_json_string_escapes)
{
	vbuf b;
	char *out = NULL;
	size_t len = 0;
	veto__vbuf_init(&b, NULL);
	veto__vbuf_jstr(&b, "a\"b\\c\x01\n\x1f" "d", 9);
	veto__vbuf_puts(&b, " ");
	veto__vbuf_u64(&b, 9007199254740991ULL);
	veto__vbuf_puts(&b, " ");
	veto__vbuf_jb64(&b, (const uint8_t *)"hello", 5);
	ck_assert_int_eq(veto__vbuf_finish(&b, &out, &len), VETO_OK);
	ck_assert_str_eq(out, "\"a\\\"b\\\\c\\u0001\\u000a\\u001fd\" 9007199254740991 \"aGVsbG8=\"");
	ck_assert_uint_eq(len, strlen(out));
	free(out);
}
END_TEST

START_TEST(vbuf_empty_finish)
{
	vbuf b;
	char *out = NULL;
	size_t len = 99;
	veto__vbuf_init(&b, NULL);
	ck_assert_int_eq(veto__vbuf_finish(&b, &out, &len), VETO_OK);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(len, 0);
	free(out);
}
END_TEST

/* An allocator that fails after a budget of calls. */
typedef struct budget {
	int left;
	int calls;
} budget;

static void *budget_alloc(void *ctx, size_t n)
{
	budget *b = ctx;
	b->calls++;
	if (b->left-- <= 0)
		return NULL;
	return malloc(n);
}

static void budget_release(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

START_TEST(vbuf_nomem_is_sticky)
{
	budget bud = {0, 0};
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.alloc = budget_alloc;
	cfg.release = budget_release;
	cfg.alloc_ctx = &bud;
	veto_config r;
	veto__cfg_resolve(&r, &cfg);
	vbuf b;
	char *out = (char *)&b; /* a failed serializer hands out nothing */
	veto__vbuf_init(&b, &r);
	veto__vbuf_puts(&b, "x");
	veto__vbuf_puts(&b, "y");
	size_t len = 99;
	ck_assert_int_eq(veto__vbuf_finish(&b, &out, &len), VETO_E_NOMEM);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(bud.calls, 1); /* nothing tried after the first failure */
}
END_TEST

/* ---- configuration ------------------------------------------------------- */

START_TEST(cfg_defaults)
{
	veto_config r;
	veto__cfg_resolve(&r, NULL);
	ck_assert_uint_eq(r.max_envelope, VETO_MAX_ENVELOPE);
	ck_assert_uint_eq(r.max_signatures, VETO_MAX_SIGNATURES);
	ck_assert_uint_eq(r.max_depth, VETO_MAX_DEPTH);
	ck_assert(r.alloc == NULL);
	ck_assert_ptr_null(r.sha256);
}
END_TEST

START_TEST(cfg_lowered_kept_raised_clamped)
{
	veto_config c, r;
	memset(&c, 0, sizeof(c));
	c.max_envelope = 1000;
	c.max_signatures = 3;
	c.max_depth = 5;
	veto__cfg_resolve(&r, &c);
	ck_assert_uint_eq(r.max_envelope, 1000);
	ck_assert_uint_eq(r.max_signatures, 3);
	ck_assert_uint_eq(r.max_depth, 5);
	c.max_envelope = 2 * VETO_MAX_ENVELOPE;
	c.max_signatures = 1000;
	c.max_depth = 100;
	veto__cfg_resolve(&r, &c);
	ck_assert_uint_eq(r.max_envelope, VETO_MAX_ENVELOPE);
	ck_assert_uint_eq(r.max_signatures, VETO_MAX_SIGNATURES);
	ck_assert_uint_eq(r.max_depth, VETO_MAX_DEPTH);
}
END_TEST

static void *eng_begin(void *ctx)
{
	return ctx;
}

START_TEST(cfg_half_hooks_dropped)
{
	veto_config c, r;
	budget bud = {10, 0};
	memset(&c, 0, sizeof(c));
	c.alloc = budget_alloc; /* release missing: neither is used */
	c.alloc_ctx = &bud;
	veto__cfg_resolve(&r, &c);
	ck_assert(r.alloc == NULL);
	ck_assert(r.release == NULL);
	void *p = veto__vx_alloc(&r, 8);
	ck_assert_ptr_nonnull(p);
	veto__vx_free(&r, p);
	ck_assert_int_eq(bud.calls, 0);

	veto_sha256_engine eng = {eng_begin, NULL, NULL, NULL}; /* incomplete */
	memset(&c, 0, sizeof(c));
	c.sha256 = &eng;
	veto__cfg_resolve(&r, &c);
	ck_assert_ptr_null(r.sha256);
}
END_TEST

START_TEST(cfg_allocator_used)
{
	budget bud = {10, 0};
	veto_config c;
	memset(&c, 0, sizeof(c));
	c.alloc = budget_alloc;
	c.release = budget_release;
	c.alloc_ctx = &bud;
	char *s = veto__vx_strndup(&c, "abcdef", 3);
	ck_assert_str_eq(s, "abc");
	ck_assert_int_eq(bud.calls, 1);
	veto__vx_free(&c, s);
	ck_assert_ptr_null(veto__vx_calloc(&c, SIZE_MAX / 2, 4)); /* overflow, no call */
	ck_assert_int_eq(bud.calls, 1);
}
END_TEST

/* ---- the shared primitives ----------------------------------------------- */

START_TEST(hex_nibble_cases)
{
	static const struct {
		char c;
		bool upper_ok;
		int want; /* -1: not a digit */
	} cases[] = {
	    {'0', false, 0}, {'9', false, 9}, {'a', false, 10}, {'f', false, 15},
	    {'F', false, -1}, /* the contract's hex is lowercase */
	    {'F', true, 15},  /* a JSON \\u escape may use either case */
	    {'A', true, 10},  {'g', true, -1}, {'G', true, -1}, {'/', true, -1}, {':', true, -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned v = 99;
		bool ok = veto__hex_nibble(cases[i].c, cases[i].upper_ok, &v);
		ck_assert_msg(ok == (cases[i].want >= 0), "'%c'", cases[i].c);
		if (ok)
			ck_assert_uint_eq(v, (unsigned)cases[i].want);
	}
}
END_TEST

#define U(lit, cp, n) {lit, sizeof(lit) - 1, cp, n}

static const struct {
	const char *s;
	size_t left;
	int64_t cp; /* -1: refused */
	size_t len;
} utf8_cases[] = {
    U("a", 0x61, 1),
    U("\xc3\xa9", 0xe9, 2),
    U("\xe2\x82\xac", 0x20ac, 3),
    U("\xf0\x9f\x98\x80", 0x1f600, 4),
    U("\xf4\x8f\xbf\xbf", 0x10ffff, 4),
    U("\xc0\x80", -1, 0),           /* overlong */
    U("\xc1\xbf", -1, 0),           /* overlong */
    U("\xe0\x80\x80", -1, 0),       /* overlong */
    U("\xf0\x80\x80\x80", -1, 0),   /* overlong */
    U("\xed\xa0\x80", -1, 0),       /* surrogate */
    U("\xf4\x90\x80\x80", -1, 0),   /* above U+10FFFF */
    U("\xf5\x80\x80\x80", -1, 0),
    U("\x80", -1, 0),               /* lone continuation */
    U("\xc3", -1, 0),               /* cut short */
    U("\xe2\x82", -1, 0),
    U("\xc3(", -1, 0),              /* not a continuation */
};

START_TEST(utf8_decode_table)
{
	uint32_t cp = 0;
	size_t n = 99;
	bool ok = veto__utf8_decode((const uint8_t *)utf8_cases[_i].s, utf8_cases[_i].left, &cp, &n);
	ck_assert(ok == (utf8_cases[_i].cp >= 0));
	if (ok) {
		ck_assert_uint_eq(cp, (uint32_t)utf8_cases[_i].cp);
		ck_assert_uint_eq(n, utf8_cases[_i].len);
	}
}
END_TEST

START_TEST(utf8_clean_marks_cut_sequences)
{
	char a[] = "caf\xc3\xa9 \xe2\x82";
	veto__utf8_clean(a);
	ck_assert_str_eq(a, "caf\xc3\xa9 ??");
	char b[] = "\xc0\x80ok\xf0\x9f\x98\x80";
	veto__utf8_clean(b);
	ck_assert_str_eq(b, "??ok\xf0\x9f\x98\x80");
}
END_TEST

START_TEST(cfg_enter_resolves)
{
	veto_config in, out;
	memset(&in, 0, sizeof(in));
	in.max_depth = 3;
	ck_assert_int_eq(veto__cfg_enter(&out, &in), VETO_OK);
	ck_assert_uint_eq(out.max_depth, 3);
	ck_assert_uint_eq(out.max_envelope, VETO_MAX_ENVELOPE);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = fx_tcase("hex");
	tcase_add_test(tc, hex_round_trip);
	tcase_add_loop_test(tc, hex_decode_table, 0, (int)(sizeof(hex_cases) / sizeof(hex_cases[0])));
	tcase_add_test(tc, is_hex64_table);
	tcase_add_test(tc, hex_nibble_cases);
	suite_add_tcase(s, tc);
	tc = fx_tcase("text");
	tcase_add_test(tc, str_copy_truncates);
	tcase_add_test(tc, diag_set_null_ok);
	tcase_add_test(tc, vbuf_json_string_escapes);
	tcase_add_test(tc, vbuf_empty_finish);
	tcase_add_test(tc, vbuf_nomem_is_sticky);
	tcase_add_loop_test(tc, utf8_decode_table, 0, (int)(sizeof(utf8_cases) / sizeof(utf8_cases[0])));
	tcase_add_test(tc, utf8_clean_marks_cut_sequences);
	suite_add_tcase(s, tc);
	tc = fx_tcase("config");
	tcase_add_test(tc, cfg_defaults);
	tcase_add_test(tc, cfg_lowered_kept_raised_clamped);
	tcase_add_test(tc, cfg_half_hooks_dropped);
	tcase_add_test(tc, cfg_allocator_used);
	tcase_add_test(tc, cfg_enter_resolves);
	suite_add_tcase(s, tc);
	return s;
}
