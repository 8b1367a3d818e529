/* SPDX-License-Identifier: Apache-2.0 */
/* json.c: the strict JSON rules of SPEC section 4, on veto__js_parse and
 * veto__js_validate directly and through the public parsers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "json.h"
#include "util.h"

/* A literal with its exact length (it may hold a NUL). */
#define J(lit, ok) {lit, sizeof(lit) - 1, ok}

typedef struct jcase {
	const char *text;
	size_t len;
	int ok;
} jcase;

static veto_status parse(const char *text, size_t len, unsigned depth)
{
	veto_config cfg;
	veto_diag d = {{0}};
	jsval *root = NULL;
	veto__cfg_resolve(&cfg, NULL);
	veto_status st = veto__js_parse(&root, &d, &cfg, (const uint8_t *)text, len, depth);
	if (st == VETO_OK) {
		ck_assert_ptr_nonnull(root);
		ck_assert_str_eq(d.detail, "");
	} else {
		ck_assert_ptr_null(root);
		ck_assert_msg(d.detail[0] != '\0', "a refusal must say why");
	}
	veto__js_delete(root);
	return st;
}

static void run_table(const jcase *c)
{
	veto_status st = parse(c->text, c->len, VETO_MAX_DEPTH);
	ck_assert_msg(st == (c->ok ? VETO_OK : VETO_E_MALFORMED), "%.*s: status %d, want %s",
	              (int)c->len, c->text, (int)st, c->ok ? "OK" : "MALFORMED");
	/* veto__js_validate alone agrees, except for duplicates (a tree check). */
	if (c->ok)
		ck_assert_int_eq(veto__js_validate(NULL, (const uint8_t *)c->text, c->len, VETO_MAX_DEPTH), VETO_OK);
}

/* ---- structure ----------------------------------------------------------- */

static const jcase structure_cases[] = {
    J("{}", 1),
    J(" \t\r\n{ \t\r\n} \t\r\n", 1),
    J("{\"a\": [true, false, null, \"x\", 1, {}, []]}", 1),
    J("", 0),
    J("   ", 0),
    J("[]", 0), /* the top level is an object */
    J("1", 0),
    J("\"a\"", 0),
    J("null", 0),
    J("{", 0),
    J("{\"a\"}", 0),
    J("{\"a\":}", 0),
    J("{\"a\":1,}", 0),
    J("{,}", 0),
    J("{\"a\":[1,]}", 0),
    J("{a:1}", 0),
    J("{'a':1}", 0),
    J("{\"a\":tru}", 0),
    J("{\"a\":True}", 0),
    J("{\"a\":nul}", 0),
    J("{\"a\":NaN}", 0),
    J("{\"a\":Infinity}", 0),
    J("{\"a\":1 /* c */}", 0),
    J("{\"a\":1}\n// c", 0),
    /* bytes after the value */
    J("{} x", 0),
    J("{}{}", 0),
    J("{}\0", 0),
    J("{},", 0),
    J("{}\v", 0),
    J("{}\f", 0),
    J("\v{}", 0),
    J("\xef\xbb\xbf{}", 0), /* a byte order mark */
    J("{}\xef\xbb\xbf", 0),
};

START_TEST(structure_table)
{
	run_table(&structure_cases[_i]);
}
END_TEST

/* ---- numbers ------------------------------------------------------------- */

static const jcase number_cases[] = {
    J("{\"n\": 0}", 1),
    J("{\"n\": 7}", 1),
    J("{\"n\": 9007199254740991}", 1), /* 2^53-1 */
    J("{\"n\": 0009}", 0),
    J("{\"n\": 9007199254740992}", 0), /* 2^53 */
    J("{\"n\": 9007199254740993}", 0),
    J("{\"n\": 9999999999999999}", 0),
    J("{\"n\": 10000000000000000}", 0),
    J("{\"n\": 18446744073709551616}", 0),
    J("{\"n\": 1.5}", 0), /* float */
    J("{\"n\": 1.0}", 0),
    J("{\"n\": 0.0}", 0),
    J("{\"n\": 1e3}", 0), /* exponents */
    J("{\"n\": 1E3}", 0),
    J("{\"n\": 1e+3}", 0),
    J("{\"n\": 0e0}", 0),
    J("{\"n\": -1}", 0), /* negative */
    J("{\"n\": -0}", 0),
    J("{\"n\": -}", 0),
    J("{\"n\": +1}", 0),
    J("{\"n\": 01}", 0), /* leading zeros */
    J("{\"n\": 00}", 0),
    J("{\"n\": .5}", 0),
    J("{\"n\": 1.}", 0),
    J("{\"n\": 0x10}", 0),
    J("{\"n\": [1, 2.5]}", 0), /* anywhere, not only in known fields */
    J("{\"n\": {\"m\": -3}}", 0),
};

START_TEST(number_table)
{
	run_table(&number_cases[_i]);
}
END_TEST

START_TEST(u53_reads_exact)
{
	veto_config cfg;
	jsval *root = NULL;
	uint64_t v = 0;
	veto__cfg_resolve(&cfg, NULL);
	const char *t = "{\"n\": 9007199254740991, \"s\": \"1\", \"b\": true}";
	ck_assert_int_eq(veto__js_parse(&root, NULL, &cfg, (const uint8_t *)t, strlen(t), 16), VETO_OK);
	ck_assert_int_eq(veto__js_u53(NULL, &v, veto__js_get(root, "n"), "n"), VETO_OK);
	ck_assert_uint_eq(v, 9007199254740991ULL);
	ck_assert_int_eq(veto__js_u53(NULL, &v, veto__js_get(root, "s"), "s"), VETO_E_MALFORMED); /* a string is not a number */
	ck_assert_int_eq(veto__js_u53(NULL, &v, veto__js_get(root, "b"), "b"), VETO_E_MALFORMED);
	ck_assert_int_eq(veto__js_u53(NULL, &v, NULL, "missing"), VETO_E_MALFORMED);
	veto__js_delete(root);
}
END_TEST

/* ---- strings ------------------------------------------------------------- */

static const jcase string_cases[] = {
    J("{\"s\": \"plain\"}", 1),
    J("{\"s\": \"\"}", 1),
    J("{\"s\": \"\\\" \\\\ \\/\"}", 1),
    J("{\"s\": \"\\u00e9 \\u20ac \\uffff\"}", 1),
    J("{\"s\": \"\\ud83d\\ude00\"}", 1), /* a paired surrogate escape */
    J("{\"s\": \"\\uD83D\\uDE00\"}", 1),
    J("{\"s\": \"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"}", 1),
    J("{\"s\": \"\xc2\xa0\"}", 1),                /* U+00A0 is not a control */
    J("{\"s\": \"~\"}", 1),                       /* U+007E */
    J("{\"s\": \"\xe2\x80\x8f \xe2\x80\xa9\"}", 1), /* U+200F, U+2029: not in the list */
    J("{\"s\": \"\xe2\x81\xaa\"}", 1),            /* U+206A, just after the list */
    J("{\"s\": \"\xe2\x80\xa9\"}", 1),            /* U+2029, just before it */
    J("{\"s\": \"\xef\xbb\xbf\"}", 1),            /* U+FEFF inside a string */
    /* NUL and control characters, raw */
    J("{\"s\": \"a\0b\"}", 0),
    J("{\"s\": \"a\x01\"}", 0),
    J("{\"s\": \"a\tb\"}", 0),
    J("{\"s\": \"a\nb\"}", 0),
    J("{\"s\": \"a\x1f\"}", 0),
    J("{\"s\": \"a\x7f\"}", 0),
    /* and escaped */
    J("{\"s\": \"\\u0000\"}", 0),
    J("{\"s\": \"\\u0001\"}", 0),
    J("{\"s\": \"\\u001f\"}", 0),
    J("{\"s\": \"\\u001F\"}", 0),
    J("{\"s\": \"\\u007f\"}", 0),
    J("{\"s\": \"\\n\"}", 0),
    J("{\"s\": \"\\t\"}", 0),
    J("{\"s\": \"\\r\"}", 0),
    J("{\"s\": \"\\b\"}", 0),
    J("{\"s\": \"\\f\"}", 0),
    /* C1 controls */
    J("{\"s\": \"\xc2\x85\"}", 0), /* U+0085 NEL */
    J("{\"s\": \"\xc2\x80\"}", 0),
    J("{\"s\": \"\xc2\x9f\"}", 0),
    J("{\"s\": \"\\u0085\"}", 0),
    J("{\"s\": \"\\u0080\"}", 0),
    J("{\"s\": \"\\u009f\"}", 0),
    J("{\"s\": \"\\u00a0\"}", 1),
    /* bidirectional overrides and isolates */
    J("{\"s\": \"\xe2\x80\xaa\"}", 0), /* U+202A */
    J("{\"s\": \"\xe2\x80\xae\"}", 0), /* U+202E */
    J("{\"s\": \"\xe2\x81\xa6\"}", 0), /* U+2066 */
    J("{\"s\": \"\xe2\x81\xa9\"}", 0), /* U+2069 */
    J("{\"s\": \"\\u202a\"}", 0),
    J("{\"s\": \"\\u202E\"}", 0),
    J("{\"s\": \"\\u2066\"}", 0),
    J("{\"s\": \"\\u2069\"}", 0),
    J("{\"s\": \"\\u2029\"}", 1),
    J("{\"s\": \"\\u206a\"}", 1),
    /* forbidden characters in member names too */
    J("{\"\xe2\x80\xae\": 1}", 0),
    J("{\"\\u0000\": 1}", 0),
    J("{\"a\x01\": 1}", 0),
    /* lone surrogate escapes */
    J("{\"s\": \"\\ud800\"}", 0),
    J("{\"s\": \"\\udc00\"}", 0),
    J("{\"s\": \"\\udfff\"}", 0),
    J("{\"s\": \"\\ud800x\"}", 0),
    J("{\"s\": \"\\ud800\\u0041\"}", 0),
    J("{\"s\": \"\\ud800\\ud800\"}", 0),
    J("{\"s\": \"\\ude00\\ud83d\"}", 0),
    J("{\"s\": \"\\ud83d\\\"\"}", 0),
    /* bad escapes */
    J("{\"s\": \"\\x41\"}", 0),
    J("{\"s\": \"\\a\"}", 0),
    J("{\"s\": \"\\u12\"}", 0),
    J("{\"s\": \"\\u12g4\"}", 0),
    J("{\"s\": \"\\\"}", 0),
    J("{\"s\": \"unterminated}", 0),
    /* invalid UTF-8 */
    J("{\"s\": \"\xc0\xaf\"}", 0),             /* overlong '/' */
    J("{\"s\": \"\xc1\xbf\"}", 0),             /* overlong */
    J("{\"s\": \"\xe0\x80\xaf\"}", 0),         /* overlong, 3 bytes */
    J("{\"s\": \"\xe0\x9f\xbf\"}", 0),         /* overlong U+07FF */
    J("{\"s\": \"\xf0\x80\x80\xaf\"}", 0),     /* overlong, 4 bytes */
    J("{\"s\": \"\xf0\x8f\xbf\xbf\"}", 0),     /* overlong U+FFFF */
    J("{\"s\": \"\xed\xa0\x80\"}", 0),         /* U+D800 in UTF-8 */
    J("{\"s\": \"\xed\xbf\xbf\"}", 0),         /* U+DFFF in UTF-8 */
    J("{\"s\": \"\xed\xa0\xbd\xed\xb8\x80\"}", 0), /* CESU-8 pair */
    J("{\"s\": \"\xf4\x90\x80\x80\"}", 0),     /* above U+10FFFF */
    J("{\"s\": \"\xf5\x80\x80\x80\"}", 0),
    J("{\"s\": \"\xf8\x88\x80\x80\x80\"}", 0), /* 5-byte form */
    J("{\"s\": \"\xff\"}", 0),
    J("{\"s\": \"\xfe\"}", 0),
    J("{\"s\": \"\x80\"}", 0), /* lone continuation */
    J("{\"s\": \"a\xbf\"}", 0),
    J("{\"s\": \"\xc3\"}", 0), /* truncated sequences */
    J("{\"s\": \"\xe2\x82\"}", 0),
    J("{\"s\": \"\xf0\x9f\x98\"}", 0),
    J("{\"s\": \"\xe2\x82x\"}", 0),
    J("{\"s\": \"\xc3\xc3\xa9\"}", 0),
    J("{\"s\": \"x\"}\xe2\x82", 0),
    J("{\"s\": \"x\xf0\x9f", 0), /* truncated at the very end */
    J("{\"\xc0\xaf\": 1}", 0),    /* in a member name */
};

START_TEST(string_table)
{
	run_table(&string_cases[_i]);
}
END_TEST

/* ---- duplicates ---------------------------------------------------------- */

static const jcase dup_cases[] = {
    J("{\"a\": 1, \"a\": 2}", 0),
    J("{\"a\": 1, \"a\": 1}", 0),
    J("{\"a\": 1, \"b\": 2, \"a\": 3}", 0),
    J("{\"x\": {\"a\": 1, \"a\": 2}}", 0),                /* nested */
    J("{\"x\": [{\"a\": 1}, {\"b\": 1, \"b\": 1}]}", 0), /* inside an array */
    J("{\"x\": {\"y\": {\"z\": {\"a\": 1, \"a\": 2}}}}", 0),
    J("{\"\\u0061\": 1, \"a\": 2}", 0), /* the same name after escapes */
    J("{\"a\": 1, \"\\u0061\": 2}", 0),
    J("{\"a\\u0062\": 1, \"ab\": 2}", 0),
    J("{\"\\u00e9\": 1, \"\xc3\xa9\": 2}", 0),
    J("{\"\\/\": 1, \"/\": 2}", 0),
    J("{\"\": 1, \"\": 2}", 0),
    /* close cases that are not duplicates */
    J("{\"a\": 1, \"A\": 2}", 1),
    J("{\"a\": {\"a\": 1}}", 1),
    J("{\"x\": [{\"a\": 1}, {\"a\": 1}]}", 1),
    J("{\"x\": {\"a\": 1}, \"y\": {\"a\": 1}}", 1),
    J("{\"e\\u0301\": 1, \"\xc3\xa9\": 2}", 1), /* not normalised: other bytes */
};

START_TEST(duplicate_table)
{
	run_table(&dup_cases[_i]);
}
END_TEST

/* ---- depth --------------------------------------------------------------- */

/* An object nested `depth` levels deep, counting the top level; the
 * innermost container is an array when `arrays`. */
static char *nested(unsigned depth, int arrays)
{
	size_t cap = depth * 8 + 16, at = 0;
	char *s = fx_alloc(cap);
	for (unsigned i = 1; i < depth; i++)
		at += (size_t)snprintf(s + at, cap - at, arrays && i > 1 ? "[" : "{\"a\":");
	at += (size_t)snprintf(s + at, cap - at, arrays && depth > 1 ? "[]" : "{}");
	for (unsigned i = depth - 1; i >= 1; i--)
		at += (size_t)snprintf(s + at, cap - at, arrays && i > 1 ? "]" : "}");
	return s;
}

START_TEST(depth_limit)
{
	/* Above the depth limit is a limit refusal (veto.h: VETO_E_LIMIT is
	 * "input above a size, count or depth limit"), not a grammar one. */
	for (int arrays = 0; arrays <= 1; arrays++) {
		const char *ok = nested(16, arrays), *deep = nested(17, arrays);
		ck_assert_int_eq(parse(ok, strlen(ok), 16), VETO_OK);
		ck_assert_int_eq(parse(deep, strlen(deep), 16), VETO_E_LIMIT);
		ck_assert_int_eq(veto__js_validate(NULL, (const uint8_t *)deep, strlen(deep), 16), VETO_E_LIMIT);
		/* a lowered limit */
		const char *four = nested(4, arrays), *five = nested(5, arrays);
		ck_assert_int_eq(parse(four, strlen(four), 4), VETO_OK);
		ck_assert_int_eq(parse(five, strlen(five), 4), VETO_E_LIMIT);
		ck_assert_int_eq(parse(four, strlen(four), 3), VETO_E_LIMIT);
		ck_assert_int_eq(parse("{}", 2, 1), VETO_OK);
	}
	/* a flat document is depth 1 however long */
	ck_assert_int_eq(parse("{\"a\":1,\"b\":2,\"c\":3}", 19, 1), VETO_OK);
	/* depth is counted down again after a container closes */
	const char *wide = "{\"a\":{\"b\":{}},\"c\":{\"d\":{}},\"e\":{\"f\":{}}}";
	ck_assert_int_eq(parse(wide, strlen(wide), 3), VETO_OK);
	ck_assert_int_eq(parse(wide, strlen(wide), 2), VETO_E_LIMIT);
	/* a grammar error before the limit is reached is malformed */
	ck_assert_int_eq(parse("{\"a\":[[}", 8, 16), VETO_E_MALFORMED);
}
END_TEST

/* A hundred thousand levels: refused at the limit, no stack trouble. */
START_TEST(depth_huge)
{
	size_t n = 100000;
	char *s = fx_alloc(n + 1);
	memset(s, '[', n);
	memcpy(s, "{\"a\":", 5);
	ck_assert_int_eq(parse(s, n, 16), VETO_E_LIMIT);
	memset(s, '[', n);
	s[0] = '{'; /* "{[" is a grammar error at depth 1 */
	ck_assert_int_eq(parse(s, n, 16), VETO_E_MALFORMED);
}
END_TEST

/* ---- schema helpers: exact names ----------------------------------------- */

START_TEST(members_exact_names)
{
	static const js_field allowed[] = {{"format", JS_ANY, true, 0, 0},
	                                   {"serial", JS_ANY, true, 0, 0},
	                                   {"opt", JS_ANY, false, 0, 0}};
	veto_config cfg;
	jsval *root = NULL;
	veto_diag d = {{0}};
	veto__cfg_resolve(&cfg, NULL);
	static const struct {
		const char *t;
		int ok;
	} cases[] = {
	    {"{\"format\": 1, \"serial\": 2}", 1},
	    {"{\"format\": 1, \"serial\": 2, \"opt\": 3}", 1},
	    {"{\"serial\": 2, \"format\": 1}", 1},
	    {"{\"format\": 1}", 0},                       /* required missing */
	    {"{\"Format\": 1, \"serial\": 2}", 0},        /* case-folded name */
	    {"{\"FORMAT\": 1, \"serial\": 2}", 0},
	    {"{\"format\": 1, \"serial\": 2, \"x\": 3}", 0}, /* unknown member */
	    {"{\"format \": 1, \"serial\": 2}", 0},
	    {"{\"form\\u0061t\": 1, \"serial\": 2}", 1}, /* escapes decode to the name */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(veto__js_parse(&root, &d, &cfg, (const uint8_t *)cases[i].t,
		                          strlen(cases[i].t), 16),
		                 VETO_OK);
		veto_status rc = veto__js_members(&d, root, "doc", JS_FIELDS(allowed));
		ck_assert_msg((rc == VETO_OK) == cases[i].ok, "%s: %d", cases[i].t, (int)rc);
		veto__js_delete(root);
	}
	const char *t = "{\"Format\": 1}";
	ck_assert_int_eq(veto__js_parse(&root, &d, &cfg, (const uint8_t *)t, strlen(t), 16), VETO_OK);
	ck_assert_ptr_null(veto__js_get(root, "format")); /* never folds case */
	ck_assert_ptr_nonnull(veto__js_get(root, "Format"));
	veto__js_delete(root);
}
END_TEST

START_TEST(typed_reads)
{
	veto_config cfg;
	jsval *root = NULL;
	const char *s;
	size_t n = 0;
	veto__cfg_resolve(&cfg, NULL);
	const char *t = "{\"s\": \"abc\", \"a\": [1, 2, 3], \"o\": {}, \"n\": 1}";
	ck_assert_int_eq(veto__js_parse(&root, NULL, &cfg, (const uint8_t *)t, strlen(t), 16), VETO_OK);
	ck_assert_int_eq(veto__js_str(NULL, &s, &n, veto__js_get(root, "s"), "s", 1, 3), VETO_OK);
	ck_assert_str_eq(s, "abc");
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(veto__js_str(NULL, &s, &n, veto__js_get(root, "s"), "s", 4, 9), VETO_E_MALFORMED);
	ck_assert_int_eq(veto__js_str(NULL, &s, &n, veto__js_get(root, "s"), "s", 0, 2), VETO_E_MALFORMED);
	ck_assert_int_eq(veto__js_str(NULL, &s, &n, veto__js_get(root, "n"), "n", 0, 9), VETO_E_MALFORMED);
	ck_assert_int_eq(veto__js_array(NULL, &n, veto__js_get(root, "a"), "a", 3), VETO_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(veto__js_array(NULL, &n, veto__js_get(root, "a"), "a", 2), VETO_E_MALFORMED);
	ck_assert_int_eq(veto__js_array(NULL, &n, veto__js_get(root, "o"), "o", 9), VETO_E_MALFORMED);
	ck_assert_int_eq(veto__js_object(NULL, veto__js_get(root, "o"), "o"), VETO_OK);
	ck_assert_int_eq(veto__js_object(NULL, veto__js_get(root, "a"), "a"), VETO_E_MALFORMED);
	ck_assert_uint_eq(veto__js_count(root), 4);
	veto__js_delete(root);
}
END_TEST

/* ---- through the public parsers ------------------------------------------ */

/* Each mutation of a valid key file must be refused as malformed. */
START_TEST(public_key_file_strict)
{
	const fx_key *k = fx_key_get(K_OWNER);
	uint8_t pk[32];
	veto_diag d;
	const char *good = fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", k->keyid, k->b64);
	ck_assert_int_eq(veto_pubkey_parse(pk, &d, (const uint8_t *)good, strlen(good)), VETO_OK);
	ck_assert_mem_eq(pk, k->pk, 32);
	const char *bad[] = {
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\", \"keyid\": \"%s\"}", k->keyid, k->b64,
	              k->keyid),
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\", \"\\u006beyid\": \"%s\"}", k->keyid,
	              k->b64, k->keyid),
	    fx_printf("{\"KeyID\": \"%s\", \"ed25519\": \"%s\"}", k->keyid, k->b64),
	    fx_printf("{\"keyid\": \"%s\", \"Ed25519\": \"%s\"}", k->keyid, k->b64),
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\", \"comment\": \"x\"}", k->keyid, k->b64),
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\"} x", k->keyid, k->b64),
	    fx_printf("\xef\xbb\xbf{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", k->keyid, k->b64),
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": 1}", k->keyid),
	    fx_printf("{\"keyid\": \"%s\", \"ed25519\": \"%s\", \"x\": 1.5}", k->keyid, k->b64),
	    fx_printf("{\"keyid\": \"%s\"}", k->keyid),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(veto_pubkey_parse(pk, &d, (const uint8_t *)bad[i], strlen(bad[i])) ==
		                  VETO_E_MALFORMED,
		              "accepted: %s", bad[i]);
}
END_TEST

/* The update parser: case-folded, unknown and duplicate members, wrong
 * types and non-plain integers are all malformed. */
START_TEST(public_update_strict)
{
	fx_update u;
	fx_update_init(&u);
	const char *good = fx_update_text(&u);
	char *env = NULL;
	size_t len = 0;
	/* veto_sign validates the payload with the same parsers. */
	ck_assert_int_eq(veto_sign(&env, &len, NULL, NULL, (const uint8_t *)good, strlen(good),
	                           fx_key_get(K_VENDOR)->seed),
	                 VETO_OK);
	free(env);
	const char *bad[] = {
	    fx_replace(good, "\"format\"", "\"Format\""),
	    fx_replace(good, "\"vendor\"", "\"Vendor\""),
	    fx_replace(good, "\"format\": \"veto.update/1\"",
	               "\"format\": \"veto.update/1\", \"format\": \"veto.update/1\""),
	    fx_replace(good, "\"format\": \"veto.update/1\"",
	               "\"format\": \"veto.update/1\", \"\\u0066ormat\": \"veto.update/1\""),
	    fx_replace(good, "\"size\": 5000", "\"size\": 5000, \"size\": 5000"),
	    fx_replace(good, "\"size\": 5000", "\"size\": 5000, \"colour\": 1"),
	    fx_replace(good, "\"features\"", "\"notes\": \"x\", \"features\""),
	    fx_replace(good, "\"security_counter\": 42", "\"security_counter\": 42.0"),
	    fx_replace(good, "\"security_counter\": 42", "\"security_counter\": 4.2e1"),
	    fx_replace(good, "\"security_counter\": 42", "\"security_counter\": -42"),
	    fx_replace(good, "\"security_counter\": 42", "\"security_counter\": 042"),
	    fx_replace(good, "\"security_counter\": 42", "\"security_counter\": \"42\""),
	    fx_replace(good, "\"security_counter\": 42", "\"security_counter\": 9007199254740992"),
	    fx_replace(good, "\"size\": 5000", "\"size\": -0"),
	    fx_replace(good, "\"version\": \"2.4.1\"", "\"version\": \"2.4.1\xe2\x80\xae\""),
	    fx_replace(good, "\"version\": \"2.4.1\"", "\"version\": \"2.4.1\\u0085\""),
	    fx_replace(good, "\"version\": \"2.4.1\"", "\"version\": \"2.4.1\\ud800\""),
	    fx_replace(good, "\"version\": \"2.4.1\"", "\"version\": \"2.4.1\xc0\xaf\""),
	    fx_replace(good, "\"version\": \"2.4.1\"", "\"version\": \"2.4.1\\u0000\""),
	    fx_printf("%s ,", good),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		veto_diag d = {{0}};
		ck_assert_msg(veto_sign(&env, &len, &d, NULL, (const uint8_t *)bad[i], strlen(bad[i]),
		                        fx_key_get(K_VENDOR)->seed) == VETO_E_MALFORMED,
		              "accepted #%zu: %s", i, bad[i]);
		ck_assert_ptr_null(env);
		ck_assert(d.detail[0] != '\0');
	}
	/* 2^53-1 is still a plain integer */
	const char *max = fx_replace(good, "\"security_counter\": 42",
	                             "\"security_counter\": 9007199254740991");
	ck_assert_int_eq(veto_sign(&env, &len, NULL, NULL, (const uint8_t *)max, strlen(max),
	                           fx_key_get(K_VENDOR)->seed),
	                 VETO_OK);
	free(env);
}
END_TEST

/* Envelopes: the depth limit lowered through veto_config. */
START_TEST(public_envelope_depth_config)
{
	const char *env = fx_default_update_env(); /* depth 3: {, [, { */
	veto_envelope *e = NULL;
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_depth = 3;
	ck_assert_int_eq(veto_envelope_parse(&e, NULL, &cfg, (const uint8_t *)env, strlen(env)),
	                 VETO_OK);
	veto_envelope_free(e);
	cfg.max_depth = 2;
	ck_assert_int_eq(veto_envelope_parse(&e, NULL, &cfg, (const uint8_t *)env, strlen(env)),
	                 VETO_E_LIMIT);
	ck_assert_ptr_null(e);
	cfg.max_depth = 1000; /* raising is clamped, not refused */
	ck_assert_int_eq(veto_envelope_parse(&e, NULL, &cfg, (const uint8_t *)env, strlen(env)),
	                 VETO_OK);
	veto_envelope_free(e);
}
END_TEST

/* A payload's depth counts too: a policy is 4 deep (roles.owner.keys). */
START_TEST(public_payload_depth_config)
{
	fx_policy p;
	fx_policy_init(&p);
	const char *pol = fx_policy_text(&p);
	veto_config cfg;
	uint8_t(*keys)[32] = NULL;
	size_t n = 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_depth = 4;
	ck_assert_int_eq(veto_policy_declared_keys(&keys, &n, NULL, &cfg, (const uint8_t *)pol,
	                                           strlen(pol)),
	                 VETO_OK);
	veto_free(&cfg, keys);
	cfg.max_depth = 3;
	ck_assert_int_eq(veto_policy_declared_keys(&keys, &n, NULL, &cfg, (const uint8_t *)pol,
	                                           strlen(pol)),
	                 VETO_E_LIMIT);
	ck_assert_ptr_null(keys);
}
END_TEST

/* ---- schema helpers: walking, tables, whole documents ---------------------- */

static jsval *tree(const char *t)
{
	veto_config cfg;
	jsval *root = NULL;
	veto__cfg_resolve(&cfg, NULL);
	ck_assert_int_eq(veto__js_parse(&root, NULL, &cfg, (const uint8_t *)t, strlen(t), 16), VETO_OK);
	return root;
}

START_TEST(walk_members_and_elements)
{
	jsval *root = tree("{\"b\": [1, \"x\", null], \"a\": {}, \"s\": \"t\"}");
	const jsval *m = veto__js_first(root);
	ck_assert_str_eq(veto__js_name(m), "b"); /* document order */
	m = veto__js_next(m);
	ck_assert_str_eq(veto__js_name(m), "a");
	ck_assert_ptr_null(veto__js_first(m)); /* empty object */
	ck_assert_str_eq(veto__js_name(veto__js_next(m)), "s");
	ck_assert_ptr_null(veto__js_next(veto__js_next(m)));
	ck_assert_ptr_null(veto__js_first(veto__js_get(root, "s"))); /* not a container */
	size_t n = 0;
	for (const jsval *e = veto__js_first(veto__js_get(root, "b")); e != NULL; e = veto__js_next(e))
		n++;
	ck_assert_uint_eq(n, 3);
	ck_assert(veto__js_is_null(veto__js_next(veto__js_next(veto__js_first(veto__js_get(root, "b"))))));
	ck_assert(!veto__js_is_null(veto__js_get(root, "s")));
	veto__js_delete(root);
}
END_TEST

START_TEST(field_reads_by_table)
{
	static const js_field f[] = {
	    {"s", JS_STRING, true, 1, 3},  {"u", JS_U53, true, 0, 0},    {"a", JS_ARRAY, true, 0, 2},
	    {"o", JS_OBJECT, true, 0, 0},  {"opt", JS_U53, false, 0, 0}, {"any", JS_ANY, false, 0, 0},
	    {"long", JS_STRING, true, 4, 9},
	};
	jsval *root = tree("{\"s\": \"abc\", \"u\": 7, \"a\": [1, 2], \"o\": {}, \"any\": null, "
	                   "\"long\": \"ab\"}");
	veto_diag d = {{0}};
	js_got g;
	ck_assert_int_eq(veto__js_field_read(&d, &g, root, &f[0], NULL), VETO_OK);
	ck_assert_str_eq(g.str, "abc");
	ck_assert_uint_eq(g.len, 3);
	ck_assert_int_eq(veto__js_field_read(&d, &g, root, &f[1], NULL), VETO_OK);
	ck_assert_uint_eq(g.u53, 7);
	ck_assert_int_eq(veto__js_field_read(&d, &g, root, &f[2], NULL), VETO_OK);
	ck_assert_uint_eq(g.len, 2);
	ck_assert_int_eq(veto__js_field_read(&d, &g, root, &f[3], NULL), VETO_OK);
	ck_assert_ptr_nonnull(g.item);
	ck_assert_int_eq(veto__js_field_read(&d, &g, root, &f[4], NULL), VETO_OK); /* optional, absent */
	ck_assert_ptr_null(g.item);
	ck_assert_int_eq(veto__js_field_read(&d, &g, root, &f[5], NULL), VETO_OK);
	ck_assert(veto__js_is_null(g.item));
	ck_assert_int_eq(veto__js_field_read(&d, &g, root, &f[6], "doc.long"), VETO_E_MALFORMED);
	ck_assert_str_eq(d.detail, "doc.long: length 2 is outside 4..9");
	/* a kind that does not match */
	static const js_field wrong = {"s", JS_U53, true, 0, 0};
	ck_assert_int_eq(veto__js_field_read(&d, &g, root, &wrong, NULL), VETO_E_MALFORMED);
	ck_assert_int_eq(veto__js_members(&d, root, "doc", JS_FIELDS(f)), VETO_OK);
	ck_assert_int_eq(veto__js_members(&d, root, "doc", f, 3), VETO_E_MALFORMED); /* "o" unknown */
	veto__js_delete(root);
}
END_TEST

START_TEST(format_member)
{
	veto_diag d = {{0}};
	jsval *root = tree("{\"format\": \"veto.thing/1\"}");
	ck_assert_int_eq(veto__js_format(&d, root, "veto.thing/1"), VETO_OK);
	ck_assert_int_eq(veto__js_format(&d, root, "veto.thing/2"), VETO_E_MALFORMED);
	ck_assert_str_eq(d.detail, "format: \"veto.thing/1\" is not \"veto.thing/2\"");
	veto__js_delete(root);
	root = tree("{\"format\": 1}");
	ck_assert_int_eq(veto__js_format(&d, root, "veto.thing/1"), VETO_E_MALFORMED);
	veto__js_delete(root);
	root = tree("{}");
	ck_assert_int_eq(veto__js_format(&d, root, "veto.thing/1"), VETO_E_MALFORMED);
	veto__js_delete(root);
}
END_TEST

static veto_status count_reader(void *out, veto_diag *d, const veto_config *cfg,
                                const jsval *root)
{
	(void)d;
	(void)cfg;
	*(size_t *)out = veto__js_count(root);
	return veto__js_get(root, "refuse") != NULL ? VETO_E_TYPE : VETO_OK;
}

START_TEST(read_whole_document)
{
	veto_config cfg;
	veto_diag d = {{0}};
	size_t n = 0;
	const char *t = "{\"a\": 1, \"b\": 2}";
	veto__cfg_resolve(&cfg, NULL);
	ck_assert_int_eq(veto__js_read_doc(&n, &d, &cfg, (const uint8_t *)t, strlen(t), 0, "doc", false,
	                             count_reader),
	                 VETO_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(veto__js_read_doc(&n, &d, &cfg, (const uint8_t *)t, strlen(t), strlen(t), "doc",
	                             true, count_reader),
	                 VETO_OK);
	/* above the limit: refused before parsing */
	n = 0;
	ck_assert_int_eq(veto__js_read_doc(&n, &d, &cfg, (const uint8_t *)t, strlen(t), strlen(t) - 1,
	                             "doc", false, count_reader),
	                 VETO_E_LIMIT);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(d.detail, "doc of 16 bytes, above the limit of 15");
	/* the rules, then the reader's own status */
	const char *bad = "{\"a\": 1, \"a\": 2}";
	ck_assert_int_eq(veto__js_read_doc(&n, &d, &cfg, (const uint8_t *)bad, strlen(bad), 0, "doc", false,
	                             count_reader),
	                 VETO_E_MALFORMED);
	const char *refuse = "{\"refuse\": true}";
	ck_assert_int_eq(veto__js_read_doc(&n, &d, &cfg, (const uint8_t *)refuse, strlen(refuse), 0, "doc",
	                             true, count_reader),
	                 VETO_E_TYPE);
}
END_TEST

START_TEST(array_table)
{
	veto_config cfg;
	veto_diag d = {{0}};
	void *table = NULL;
	size_t n = 99;
	veto__cfg_resolve(&cfg, NULL);
	jsval *root = tree("{\"a\": [1, 2, 3], \"e\": [], \"o\": {}}");
	ck_assert_int_eq(veto__js_array_table(&d, &table, &n, &cfg, veto__js_get(root, "a"), "a", 3, 8), VETO_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_nonnull(table);
	veto__vx_free(&cfg, table);
	ck_assert_int_eq(veto__js_array_table(&d, &table, &n, &cfg, veto__js_get(root, "e"), "e", 3, 8), VETO_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(table); /* one element at least */
	veto__vx_free(&cfg, table);
	ck_assert_int_eq(veto__js_array_table(&d, &table, &n, &cfg, veto__js_get(root, "a"), "a", 2, 8),
	                 VETO_E_MALFORMED);
	ck_assert_ptr_null(table);
	ck_assert_int_eq(veto__js_array_table(&d, &table, &n, &cfg, veto__js_get(root, "o"), "o", 2, 8),
	                 VETO_E_MALFORMED);
	ck_assert_ptr_null(table);
	veto__js_delete(root);
}
END_TEST

/* The string scan passes eight plain bytes at a time: a byte that needs a
 * look (control, DEL, non-ASCII, quote, backslash) is caught at every
 * position of a word, and spaces run eight at a time between tokens. */
START_TEST(string_scan_every_position)
{
	static const uint8_t odd[] = {0x00, 0x01, 0x1f, 0x7f, 0x80, 0xc3, 0xff, '"', '\\'};
	uint8_t doc[64];
	size_t pos = (size_t)_i % 24, which = (size_t)_i / 24;
	/* {"k": "aaaa...a"} with one byte of the string replaced */
	memcpy(doc, "{\"k\": \"", 7);
	memset(doc + 7, 'a', 40);
	memcpy(doc + 47, "\"}", 2);
	ck_assert_int_eq(veto__js_validate(NULL, doc, 49, VETO_MAX_DEPTH), VETO_OK);
	doc[7 + pos] = odd[which];
	/* each is refused: the quote ends the string early, the rest may not
	 * stand there (0xc3 0x61 is no UTF-8, the backslash no escape) */
	ck_assert_int_eq(veto__js_validate(NULL, doc, 49, VETO_MAX_DEPTH), VETO_E_MALFORMED);
	/* spaces before the value, any number */
	uint8_t ws[80];
	size_t n = 2 + pos;
	memcpy(ws, "{\"k\":", 5);
	memset(ws + 5, ' ', n);
	memcpy(ws + 5 + n, "1}", 2);
	ck_assert_int_eq(veto__js_validate(NULL, ws, n + 7, VETO_MAX_DEPTH), VETO_OK);
	ws[5 + pos] = '\v'; /* not JSON whitespace */
	ck_assert_int_eq(veto__js_validate(NULL, ws, n + 7, VETO_MAX_DEPTH), VETO_E_MALFORMED);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = fx_tcase("rules");
	tcase_add_loop_test(tc, structure_table, 0,
	                    (int)(sizeof(structure_cases) / sizeof(structure_cases[0])));
	tcase_add_loop_test(tc, number_table, 0, (int)(sizeof(number_cases) / sizeof(number_cases[0])));
	tcase_add_test(tc, u53_reads_exact);
	tcase_add_loop_test(tc, string_table, 0, (int)(sizeof(string_cases) / sizeof(string_cases[0])));
	tcase_add_loop_test(tc, duplicate_table, 0, (int)(sizeof(dup_cases) / sizeof(dup_cases[0])));
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, depth_huge);
	suite_add_tcase(s, tc);
	tc = fx_tcase("schema");
	tcase_add_test(tc, members_exact_names);
	tcase_add_test(tc, typed_reads);
	tcase_add_test(tc, walk_members_and_elements);
	tcase_add_test(tc, field_reads_by_table);
	tcase_add_test(tc, format_member);
	tcase_add_test(tc, read_whole_document);
	tcase_add_test(tc, array_table);
	suite_add_tcase(s, tc);
	tc = fx_tcase("public");
	tcase_add_test(tc, public_key_file_strict);
	tcase_add_test(tc, public_update_strict);
	tcase_add_test(tc, public_envelope_depth_config);
	tcase_add_test(tc, public_payload_depth_config);
	tcase_add_loop_test(tc, string_scan_every_position, 0, 24 * 9);
	suite_add_tcase(s, tc);
	return s;
}
