/* SPDX-License-Identifier: Apache-2.0 */
/* handle.c: the allocated objects and accessors a binding uses instead of
 * the structures' layouts, and the version.  Each accessor is compared with
 * the field it reads, on reports of real decisions. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* An allocator that counts, and fails from the `fail_at`th call on (0:
 * never). */
typedef struct counting {
	int allocs;
	int frees;
	int fail_at;
} counting;

static void *c_alloc(void *ctx, size_t n)
{
	counting *c = ctx;
	if (c->fail_at != 0 && c->allocs + 1 >= c->fail_at)
		return NULL;
	c->allocs++;
	return malloc(n);
}

static void c_release(void *ctx, void *p)
{
	counting *c = ctx;
	c->frees++;
	free(p);
}

static veto_config counting_cfg(counting *cnt)
{
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.alloc = c_alloc;
	cfg.release = c_release;
	cfg.alloc_ctx = cnt;
	return cfg;
}

START_TEST(version_is_the_build_s)
{
	ck_assert_str_eq(veto_version(), VETO_VERSION_STRING);
	ck_assert_ptr_eq(veto_version(), veto_version());
}
END_TEST

START_TEST(new_needs_out)
{
	ck_assert_int_eq(veto_report_new(NULL, NULL), VETO_E_ARG);
	ck_assert_int_eq(veto_image_digests_new(NULL, NULL), VETO_E_ARG);
	ck_assert_int_eq(veto_diag_new(NULL, NULL), VETO_E_ARG);
	ck_assert_int_eq(veto_bytes_new(NULL, NULL, 1), VETO_E_ARG);
	/* Every free takes NULL. */
	veto_report_free(NULL);
	veto_image_digests_free(NULL);
	veto_diag_free(NULL);
	veto_bytes_free(NULL);
}
END_TEST

/* Each object comes from the config's allocator and goes back to it; a
 * failing allocator gives VETO_E_NOMEM and *out NULL. */
START_TEST(objects_use_the_allocator)
{
	counting cnt = {0, 0, 0};
	veto_config cfg = counting_cfg(&cnt);
	veto_report *r = NULL;
	veto_image_digests *d = NULL;
	veto_diag *g = NULL;
	veto_bytes *b = NULL;

	ck_assert_int_eq(veto_report_new(&r, &cfg), VETO_OK);
	ck_assert_int_eq(veto_image_digests_new(&d, &cfg), VETO_OK);
	ck_assert_int_eq(veto_diag_new(&g, &cfg), VETO_OK);
	ck_assert_int_eq(veto_bytes_new(&b, &cfg, 3), VETO_OK);
	ck_assert_int_eq(cnt.allocs, 4);
	/* The report's own arrays use the same allocator. */
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(veto_report_refusal_count(r), 0);
	veto_report_free(r);
	veto_image_digests_free(d);
	veto_diag_free(g);
	veto_bytes_free(b);
	ck_assert_int_eq(cnt.frees, 4);

	cnt.fail_at = cnt.allocs + 1;
	r = (veto_report *)&cnt; /* must come back NULL */
	ck_assert_int_eq(veto_report_new(&r, &cfg), VETO_E_NOMEM);
	ck_assert_ptr_null(r);
	d = (veto_image_digests *)&cnt;
	ck_assert_int_eq(veto_image_digests_new(&d, &cfg), VETO_E_NOMEM);
	ck_assert_ptr_null(d);
	g = (veto_diag *)&cnt;
	ck_assert_int_eq(veto_diag_new(&g, &cfg), VETO_E_NOMEM);
	ck_assert_ptr_null(g);
	b = (veto_bytes *)&cnt;
	ck_assert_int_eq(veto_bytes_new(&b, &cfg, 2), VETO_E_NOMEM);
	ck_assert_ptr_null(b);
	/* A count whose size overflows is no allocation at all. */
	cnt.fail_at = 0;
	ck_assert_int_eq(veto_bytes_new(&b, &cfg, SIZE_MAX / 2), VETO_E_NOMEM);
	ck_assert_ptr_null(b);
	ck_assert_int_eq(cnt.allocs, cnt.frees);
}
END_TEST

/* Every accessor returns exactly its field, for every reason of a
 * decision that has many. */
static void assert_reason_accessors(const veto_reason *x)
{
	uint64_t have = 7, need = 7;

	ck_assert_int_eq(veto_reason_code(x), x->code);
	ck_assert_uint_eq(veto_reason_index(x), x->index);
	ck_assert_int_eq(veto_reason_counts(x, &have, &need), x->has_counts != 0);
	ck_assert_uint_eq(have, x->has_counts ? x->have : 0);
	ck_assert_uint_eq(need, x->has_counts ? x->need : 0);
	ck_assert_int_eq(veto_reason_counts(x, NULL, NULL), x->has_counts != 0);
	ck_assert_ptr_eq(veto_reason_role(x), x->role);
	ck_assert_ptr_eq(veto_reason_feature(x), x->feature);
	ck_assert_ptr_eq(veto_reason_offered(x), x->offered);
	ck_assert_ptr_eq(veto_reason_detail(x), x->detail);
}

START_TEST(report_accessors_of_a_refusal)
{
	fx_update u;
	fx_update_init(&u);
	u.counter = 3;                                        /* rollback, with counts */
	u.features = "[\"works-with-nest@0.9\", \"zigbee\"]"; /* removed, downgraded */
	char *update = FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1); /* 1 of 2 auditors */
	veto_state *s = fx_state0();
	char *policy = fx_default_policy_env();
	veto_report *r = NULL;
	veto_check *c = NULL;
	veto_bytes *pol = NULL;
	size_t img_len = 0;
	const uint8_t *img = fx_image(&img_len);

	ck_assert_int_eq(veto_report_new(&r, NULL), VETO_OK);
	ck_assert_int_eq(veto_bytes_new(&pol, NULL, 1), VETO_OK);
	ck_assert_int_eq(veto_bytes_set(pol, 0, (const uint8_t *)policy, strlen(policy)), VETO_OK);
	ck_assert_int_eq(veto_check_begin(&c, r, NULL, s, pol, 1, (const uint8_t *)update,
	                                  strlen(update), fx_now()),
	                 VETO_OK);
	veto_bytes_free(pol);
	ck_assert_int_eq(veto_check_image(c, img, img_len), VETO_OK);
	ck_assert_int_eq(veto_check_finish(c, NULL), VETO_REFUSED);
	veto_check_free(c);

	ck_assert_uint_eq(veto_report_refusal_count(r), r->n_refusals);
	ck_assert_uint_eq(veto_report_notice_count(r), r->n_notices);
	ck_assert_uint_ge(r->n_refusals, 4);
	for (size_t i = 0; i < r->n_refusals; i++) {
		ck_assert_ptr_eq(veto_report_refusal(r, i), &r->refusals[i]);
		assert_reason_accessors(veto_report_refusal(r, i));
	}
	for (size_t i = 0; i < r->n_notices; i++) {
		ck_assert_ptr_eq(veto_report_notice(r, i), &r->notices[i]);
		assert_reason_accessors(veto_report_notice(r, i));
	}
	ck_assert_ptr_null(veto_report_refusal(r, r->n_refusals));
	ck_assert_ptr_null(veto_report_notice(r, r->n_notices));
	const veto_reason *co = fx_reason(r, VETO_R_COSIGNATURE_MISSING, 0);
	ck_assert_ptr_nonnull(co);
	uint64_t have = 0, need = 0;
	ck_assert_int_eq(veto_reason_counts(co, &have, &need), 1);
	ck_assert_uint_eq(have, 1);
	ck_assert_uint_eq(need, 2);
	ck_assert_str_eq(veto_reason_role(co), "auditor");
	veto_report_free(r);
}
END_TEST

START_TEST(accessors_of_nothing)
{
	uint64_t have = 7, need = 7;

	ck_assert_uint_eq(veto_report_refusal_count(NULL), 0);
	ck_assert_uint_eq(veto_report_notice_count(NULL), 0);
	ck_assert_ptr_null(veto_report_refusal(NULL, 0));
	ck_assert_ptr_null(veto_report_notice(NULL, 0));
	ck_assert_int_eq(veto_reason_code(NULL), 0);
	ck_assert_str_eq(veto_code_name(veto_reason_code(NULL)), "unknown");
	ck_assert_uint_eq(veto_reason_index(NULL), 0);
	ck_assert_int_eq(veto_reason_counts(NULL, &have, &need), 0);
	ck_assert_uint_eq(have, 0);
	ck_assert_uint_eq(need, 0);
	ck_assert_str_eq(veto_reason_role(NULL), "");
	ck_assert_str_eq(veto_reason_feature(NULL), "");
	ck_assert_str_eq(veto_reason_offered(NULL), "");
	ck_assert_str_eq(veto_reason_detail(NULL), "");
	ck_assert_uint_eq(veto_image_digests_size(NULL), 0);
	ck_assert_int_eq(veto_image_digests_sha256(NULL, NULL), 0);
	ck_assert_int_eq(veto_image_digests_blake2b256(NULL, NULL), 0);
	ck_assert_str_eq(veto_diag_detail(NULL), "");
}
END_TEST

/* A reason the caller filled in without terminating its strings reads as
 * empty strings, never past the field. */
START_TEST(unterminated_fields_read_empty)
{
	veto_reason x;
	memset(&x, 'x', sizeof(x));
	ck_assert_str_eq(veto_reason_role(&x), "");
	ck_assert_str_eq(veto_reason_feature(&x), "");
	ck_assert_str_eq(veto_reason_offered(&x), "");
	ck_assert_str_eq(veto_reason_detail(&x), "");
	veto_diag d;
	memset(&d, 'x', sizeof(d));
	ck_assert_str_eq(veto_diag_detail(&d), "");
}
END_TEST

/* The digests of an accepted decision, read through the accessors. */
START_TEST(digests_of_an_accept)
{
	veto_state *s = fx_state0();
	char *policy = fx_default_policy_env();
	char *update = fx_default_update_env();
	veto_image_digests *d = NULL;
	veto_report *r = NULL;
	veto_check *c = NULL;
	veto_bytes *pol = NULL;
	size_t img_len = 0;
	const uint8_t *img = fx_image(&img_len);
	uint8_t sha[VETO_DIGESTBYTES], b2[VETO_DIGESTBYTES];

	ck_assert_int_eq(veto_image_digests_new(&d, NULL), VETO_OK);
	ck_assert_uint_eq(veto_image_digests_size(d), 0);
	memset(sha, 0xee, sizeof(sha));
	ck_assert_int_eq(veto_image_digests_sha256(d, sha), 0);
	ck_assert_uint_eq(sha[0], 0xee); /* untouched */
	ck_assert_int_eq(veto_report_new(&r, NULL), VETO_OK);
	ck_assert_int_eq(veto_bytes_new(&pol, NULL, 1), VETO_OK);
	ck_assert_int_eq(veto_bytes_set(pol, 0, (const uint8_t *)policy, strlen(policy)), VETO_OK);
	ck_assert_int_eq(veto_check_begin(&c, r, NULL, s, pol, 1, (const uint8_t *)update,
	                                  strlen(update), fx_now()),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_image(c, img, img_len), VETO_OK);
	ck_assert_int_eq(veto_check_finish(c, d), VETO_OK);
	ck_assert_int_eq(veto_report_accepted(r), 1);
	ck_assert_uint_eq(veto_report_refusal_count(r), 0);
	ck_assert_uint_eq(veto_image_digests_size(d), img_len);
	ck_assert_int_eq(veto_image_digests_sha256(d, sha), 1);
	ck_assert_int_eq(veto_image_digests_sha256(d, NULL), 1);
	ck_assert_str_eq(fx_hex(sha, sizeof(sha)), fx_image_sha256_hex());
	ck_assert_int_eq(veto_image_digests_blake2b256(d, b2), 1);
	ck_assert_str_eq(fx_hex(b2, sizeof(b2)), fx_image_blake2b_hex());
	veto_check_free(c);
	veto_bytes_free(pol);
	veto_report_free(r);
	veto_image_digests_free(d);
}
END_TEST

START_TEST(diag_of_a_bad_envelope)
{
	veto_diag *g = NULL;
	veto_envelope *e = NULL;
	static const char text[] = "{\"payload\": 1}";

	ck_assert_int_eq(veto_diag_new(&g, NULL), VETO_OK);
	ck_assert_str_eq(veto_diag_detail(g), "");
	ck_assert_int_ne(veto_envelope_parse(&e, g, NULL, (const uint8_t *)text, strlen(text)),
	                 VETO_OK);
	ck_assert_ptr_null(e);
	ck_assert_ptr_eq(veto_diag_detail(g), g->detail);
	ck_assert_str_ne(veto_diag_detail(g), "");
	veto_diag_free(g);
}
END_TEST

/* veto_bytes_set checks its index against the count the list was made
 * with and refuses a NULL pointer with a length; an empty list exists. */
START_TEST(bytes_set_bounds)
{
	static const uint8_t data[4] = {1, 2, 3, 4};
	veto_bytes *b = NULL;

	ck_assert_int_eq(veto_bytes_new(&b, NULL, 2), VETO_OK);
	ck_assert_ptr_null(b[0].ptr);
	ck_assert_uint_eq(b[1].len, 0);
	ck_assert_int_eq(veto_bytes_set(b, 1, data, sizeof(data)), VETO_OK);
	ck_assert_ptr_eq(b[1].ptr, data);
	ck_assert_uint_eq(b[1].len, 4);
	ck_assert_int_eq(veto_bytes_set(b, 0, NULL, 0), VETO_OK);
	ck_assert_int_eq(veto_bytes_set(b, 2, data, 1), VETO_E_ARG);
	ck_assert_int_eq(veto_bytes_set(b, 0, NULL, 1), VETO_E_ARG);
	ck_assert_int_eq(veto_bytes_set(NULL, 0, data, 1), VETO_E_ARG);
	veto_bytes_free(b);
	ck_assert_int_eq(veto_bytes_new(&b, NULL, 0), VETO_OK);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(veto_bytes_set(b, 0, data, 1), VETO_E_ARG);
	veto_bytes_free(b);
}
END_TEST

/* A list made here hands a chain of policies to veto_trust. */
START_TEST(bytes_list_to_trust)
{
	veto_state *s = fx_state0();
	char *policy = fx_default_policy_env();
	veto_bytes *b = NULL;
	veto_report *r = NULL;
	veto_state *out = NULL;

	ck_assert_int_eq(veto_bytes_new(&b, NULL, 2), VETO_OK);
	ck_assert_int_eq(veto_bytes_set(b, 0, (const uint8_t *)policy, strlen(policy)), VETO_OK);
	ck_assert_int_eq(veto_bytes_set(b, 1, (const uint8_t *)policy, strlen(policy)), VETO_OK);
	ck_assert_int_eq(veto_report_new(&r, NULL), VETO_OK);
	ck_assert_int_eq(veto_trust(&out, r, NULL, s, b, 2, fx_now()), VETO_OK);
	ck_assert_ptr_nonnull(out);
	uint64_t serial = 0;
	ck_assert_int_eq(veto_state_policy_serial(out, &serial), 1);
	ck_assert_uint_eq(serial, 1);
	veto_state_free(out);
	veto_report_free(r);
	veto_bytes_free(b);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("handle");
	TCase *tc = fx_tcase("objects");
	tcase_add_test(tc, version_is_the_build_s);
	tcase_add_test(tc, new_needs_out);
	tcase_add_test(tc, objects_use_the_allocator);
	tcase_add_test(tc, bytes_set_bounds);
	suite_add_tcase(s, tc);
	tc = fx_tcase("accessors");
	tcase_add_test(tc, report_accessors_of_a_refusal);
	tcase_add_test(tc, accessors_of_nothing);
	tcase_add_test(tc, unterminated_fields_read_empty);
	tcase_add_test(tc, digests_of_an_accept);
	tcase_add_test(tc, diag_of_a_bad_envelope);
	tcase_add_test(tc, bytes_list_to_trust);
	suite_add_tcase(s, tc);
	return s;
}
