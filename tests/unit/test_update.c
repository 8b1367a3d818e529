/* SPDX-License-Identifier: Apache-2.0 */
/* update.c: the update manifest (SPEC section 6). */
#include <string.h>

#include <sodium.h>

#include "fixture.h"
#include "update.h"

static veto_status parse_update(vupdate *u, const char *text)
{
	veto_config cfg;
	veto_diag d = {{0}};
	veto__cfg_resolve(&cfg, NULL);
	veto_status st = veto__update_parse(u, &d, &cfg, (const uint8_t *)text, strlen(text));
	if (st != VETO_OK)
		ck_assert_msg(d.detail[0] != '\0', "a refusal must say why");
	return st;
}

static void free_update(vupdate *u)
{
	veto_config cfg;
	veto__cfg_resolve(&cfg, NULL);
	veto__update_free(u, &cfg);
}

START_TEST(default_update_read)
{
	fx_update fu;
	vupdate u;
	fx_update_init(&fu);
	fu.removes = "[\"zigbee\", \"works-with-nest\"]";
	fu.extra = ", \"released\": \"2026-11-01T00:00:00Z\"";
	const char *text = fx_update_text(&fu);
	ck_assert_int_eq(parse_update(&u, text), VETO_OK);
	ck_assert_str_eq(u.vendor, "acme");
	ck_assert_str_eq(u.model, "thermo-2");
	ck_assert_uint_eq(u.counter, 42);
	ck_assert_uint_eq(u.size, 5000);
	ck_assert_int_eq(u.has_sha256, 1);
	ck_assert_int_eq(u.has_blake2b, 1);
	ck_assert_str_eq(fx_hex(u.sha256, 32), fx_image_sha256_hex());
	ck_assert_str_eq(fx_hex(u.blake2b, 32), fx_image_blake2b_hex());
	ck_assert_uint_eq(u.n_features, 4);
	ck_assert_str_eq(u.features[1].name, "works-with-nest");
	ck_assert_uint_eq(u.features[1].nparts, 2);
	ck_assert_uint_eq(u.features[2].nparts, 0);
	ck_assert_uint_eq(u.n_removes, 2);
	ck_assert_str_eq(u.removes[1].name, "works-with-nest");
	size_t at = 99;
	ck_assert(veto__feat_find(u.features, u.n_features, "matter", &at));
	ck_assert_uint_eq(at, 3);
	ck_assert(!veto__feat_find(u.features, u.n_features, "matte", &at));
	/* "version" and "released" are checked (update_muts) but not kept:
	 * no rule reads them. */
	free_update(&u);
}
END_TEST

START_TEST(one_digest_each)
{
	fx_update fu;
	vupdate u;
	fx_update_init(&fu);
	fu.blake2b = NULL;
	ck_assert_int_eq(parse_update(&u, fx_update_text(&fu)), VETO_OK);
	ck_assert_int_eq(u.has_sha256, 1);
	ck_assert_int_eq(u.has_blake2b, 0);
	free_update(&u);
	fx_update_init(&fu);
	fu.sha256 = NULL;
	ck_assert_int_eq(parse_update(&u, fx_update_text(&fu)), VETO_OK);
	ck_assert_int_eq(u.has_sha256, 0);
	ck_assert_int_eq(u.has_blake2b, 1);
	free_update(&u);
	/* at least one digest */
	fu.blake2b = NULL;
	ck_assert_int_eq(parse_update(&u, fx_update_text(&fu)), VETO_E_MALFORMED);
}
END_TEST

typedef struct mut {
	const char *from, *to;
	int ok;
} mut;

#define V64 "0123456789012345678901234567890123456789012345678901234567890123"

static const mut update_muts[] = {
    /* fine */
    {"\"security_counter\": 42", "\"security_counter\": 0", 1},
    {"\"security_counter\": 42", "\"security_counter\": 9007199254740991", 1},
    {"\"size\": 5000", "\"size\": 0", 1},
    {"\"version\": \"2.4.1\"", "\"version\": \"" V64 "\"", 1},
    {"\"version\": \"2.4.1\"", "\"version\": \"2.4.1 (r\xc3\xa9vision \\\"b\\\")\"", 1},
    {"\"version\": \"2.4.1\"", "\"version\": \"\\u00e9t\\u00e9 2027\"", 1},
    {"\"features\": [\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\"]",
     "\"features\": []", 1},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"removes\": []", 1},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"removes\": [\"old-thing\"]", 1},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"released\": \"2026-11-01T00:00:00Z\"", 1},
    {"\"matter@1.3\"", "\"matter@1.3\", \"a.b_c:d/e-f@0\"", 1},
    /* format, members */
    {"\"format\": \"veto.update/1\"", "\"format\": \"veto.update/2\"", 0},
    {"\"format\": \"veto.update/1\"", "\"format\": \"veto.policy/1\"", 0},
    {"\"format\": \"veto.update/1\", ", "", 0},
    {"\"version\"", "\"Version\"", 0},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"changelog\": \"x\"", 0},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"removes\": [], \"removes\": []", 0},
    {"\"version\": \"2.4.1\", ", "", 0},
    {"\"security_counter\": 42, ", "", 0},
    /* vendor, model, version */
    {"\"vendor\": \"acme\"", "\"vendor\": \"Acme\"", 0},
    {"\"vendor\": \"acme\"", "\"vendor\": \"\"", 0},
    {"\"vendor\": \"acme\"", "\"vendor\": \"acme/x\"", 0},
    {"\"model\": \"thermo-2\"", "\"model\": \"_thermo\"", 0},
    {"\"model\": \"thermo-2\"", "\"model\": \"" V64 "0\"", 0},
    {"\"version\": \"2.4.1\"", "\"version\": \"" V64 "0\"", 0},
    {"\"version\": \"2.4.1\"", "\"version\": 241", 0},
    {"\"version\": \"2.4.1\"", "\"version\": \"2.4.1\\n\"", 0},
    {"\"version\": \"2.4.1\"", "\"version\": \"2.4.1\xe2\x81\xa6\"", 0},
    /* counter, size */
    {"\"security_counter\": 42", "\"security_counter\": 9007199254740992", 0},
    {"\"security_counter\": 42", "\"security_counter\": 42.5", 0},
    {"\"security_counter\": 42", "\"security_counter\": \"42\"", 0},
    {"\"security_counter\": 42", "\"security_counter\": null", 0},
    {"\"size\": 5000", "\"size\": 5e3", 0},
    {"\"size\": 5000", "\"size\": \"5000\"", 0},
    {"\"size\": 5000, ", "", 0},
    /* image digests */
    {"\"sha256\"", "\"SHA256\"", 0},
    {"\"sha256\"", "\"sha-256\"", 0},
    {"\"blake2b-256\"", "\"blake2b\"", 0},
    {"\"blake2b-256\"", "\"blake2b-512\"", 0},
    {"\"size\": 5000", "\"size\": 5000, \"md5\": \"00\"", 0},
    {"\"size\": 5000", "\"size\": 5000, \"size\": 5000", 0},
    /* features */
    {"\"zigbee\"", "\"zigbee\", \"zigbee\"", 0},
    {"\"zigbee\"", "\"zigbee\", \"zigbee@1\"", 0},
    {"\"zigbee\"", "\"Zigbee\"", 0},
    {"\"zigbee\"", "\"zigbee>=1\"", 0},
    {"\"zigbee\"", "\"zigbee@\"", 0},
    {"\"zigbee\"", "\"zigbee@1.\"", 0},
    {"\"zigbee\"", "\" zigbee\"", 0},
    {"\"zigbee\"", "\"-zigbee\"", 0},
    {"\"zigbee\"", "\"\"", 0},
    {"\"zigbee\"", "null", 0},
    {"\"zigbee\"", "[\"zigbee\"]", 0},
    {"\"features\": [", "\"features\": {\"a\": [", 0},
    {"\"zigbee\", \"matter@1.3\"]", "\"zigbee\", \"matter@1.3\"], \"features\": []", 0},
    /* removes: names only, distinct */
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"removes\": [\"zigbee@1\"]", 0},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"removes\": [\"zigbee>=1\"]", 0},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"removes\": [\"zigbee\", \"zigbee\"]", 0},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"removes\": [\"Zigbee\"]", 0},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"removes\": \"zigbee\"", 0},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"removes\": null", 0},
    /* released */
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"released\": \"2026-11-01\"", 0},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"released\": \"2026-02-30T00:00:00Z\"", 0},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"released\": null", 0},
    {"\"matter@1.3\"]", "\"matter@1.3\"], \"released\": 1790000000", 0},
};

START_TEST(update_mutation_table)
{
	fx_update fu;
	vupdate u;
	fx_update_init(&fu);
	const char *text = fx_replace(fx_update_text(&fu), update_muts[_i].from, update_muts[_i].to);
	veto_status st = parse_update(&u, text);
	ck_assert_msg(st == (update_muts[_i].ok ? VETO_OK : VETO_E_MALFORMED), "%s -> %s: %d",
	              update_muts[_i].from, update_muts[_i].to, (int)st);
	if (st == VETO_OK)
		free_update(&u);
}
END_TEST

static const char *const bad_digests[] = {
    "",
    "00",
    "0000000000000000000000000000000000000000000000000000000000000000" "00",
    "000000000000000000000000000000000000000000000000000000000000000",
    "ABCDEF0000000000000000000000000000000000000000000000000000000000",
    "g000000000000000000000000000000000000000000000000000000000000000",
    "0x00000000000000000000000000000000000000000000000000000000000000",
};

START_TEST(bad_digest_values)
{
	fx_update fu;
	vupdate u;
	for (int which = 0; which < 2; which++) {
		fx_update_init(&fu);
		if (which)
			fu.blake2b = bad_digests[_i];
		else
			fu.sha256 = bad_digests[_i];
		ck_assert_msg(parse_update(&u, fx_update_text(&fu)) == VETO_E_MALFORMED, "%s \"%s\"",
		              which ? "blake2b-256" : "sha256", bad_digests[_i]);
	}
}
END_TEST

START_TEST(feature_count_limit)
{
	char *list = fx_printf("[");
	for (unsigned i = 0; i < VETO_MAX_FEATURES + 1; i++) {
		list = fx_printf("%s%s\"f%u\"", list, i ? ", " : "", i);
		if (i + 1 == VETO_MAX_FEATURES) {
			fx_update fu;
			vupdate u;
			fx_update_init(&fu);
			fu.features = fx_printf("%s]", list);
			ck_assert_int_eq(parse_update(&u, fx_update_text(&fu)), VETO_OK);
			ck_assert_uint_eq(u.n_features, VETO_MAX_FEATURES);
			free_update(&u);
		}
	}
	fx_update fu;
	vupdate u;
	fx_update_init(&fu);
	fu.features = fx_printf("%s]", list);
	ck_assert_int_eq(parse_update(&u, fx_update_text(&fu)), VETO_E_MALFORMED);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("update");
	TCase *tc = fx_tcase("update");
	tcase_add_test(tc, default_update_read);
	tcase_add_test(tc, one_digest_each);
	tcase_add_loop_test(tc, update_mutation_table, 0,
	                    (int)(sizeof(update_muts) / sizeof(update_muts[0])));
	tcase_add_loop_test(tc, bad_digest_values, 0, (int)(sizeof(bad_digests) / sizeof(bad_digests[0])));
	tcase_add_test(tc, feature_count_limit);
	suite_add_tcase(s, tc);
	return s;
}
