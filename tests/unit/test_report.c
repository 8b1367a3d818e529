/* SPDX-License-Identifier: Apache-2.0 */
/* report.c: reasons kept in the order of SPEC section 8's tables, the JSON
 * form of SPEC section 9, code names, status and reason texts. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fixture.h"
#include "json.h"
#include "report.h"
#include "util.h"

static const char *const names[VETO_CODE_COUNT_] = {
    [VETO_R_MALFORMED_ANCHOR] = "malformed-anchor",
    [VETO_R_MALFORMED_STATE] = "malformed-state",
    [VETO_R_MALFORMED_POLICY] = "malformed-policy",
    [VETO_R_MALFORMED_UPDATE] = "malformed-update",
    [VETO_R_POLICY_TYPE] = "policy-type",
    [VETO_R_UPDATE_TYPE] = "update-type",
    [VETO_R_POLICY_SIGNATURE] = "policy-signature",
    [VETO_R_POLICY_NEW_OWNER_SIGNATURE] = "policy-new-owner-signature",
    [VETO_R_POLICY_ROLLBACK] = "policy-rollback",
    [VETO_R_POLICY_EQUIVOCATION] = "policy-equivocation",
    [VETO_R_POLICY_EXPIRED] = "policy-expired",
    [VETO_R_POLICY_WRONG_DEVICE] = "policy-wrong-device",
    [VETO_R_CLOCK_BEHIND] = "clock-behind",
    [VETO_R_REVOCATION_LIMIT] = "revocation-limit",
    [VETO_R_UPDATE_UNTRUSTED] = "update-untrusted",
    [VETO_R_UPDATE_REVOKED] = "update-revoked",
    [VETO_R_COSIGNATURE_MISSING] = "cosignature-missing",
    [VETO_R_WRONG_DEVICE] = "wrong-device",
    [VETO_R_ROLLBACK] = "rollback",
    [VETO_R_FEATURE_REMOVED] = "feature-removed",
    [VETO_R_FEATURE_DOWNGRADED] = "feature-downgraded",
    [VETO_R_UNDECLARED_REMOVAL] = "undeclared-removal",
    [VETO_R_FEATURE_FORBIDDEN] = "feature-forbidden",
    [VETO_R_FEATURE_ADDED] = "feature-added",
    [VETO_R_DIGEST_NOT_ALLOWED] = "digest-not-allowed",
    [VETO_R_IMAGE_TOO_LARGE] = "image-too-large",
    [VETO_R_IMAGE_SIZE] = "image-size",
    [VETO_R_IMAGE_DIGEST] = "image-digest",
    [VETO_R_LOCAL_TIME_UNKNOWN] = "local-time-unknown",
    [VETO_R_ON_HOLD] = "on-hold",
    [VETO_R_OUTSIDE_WINDOW] = "outside-window",
    [VETO_N_FEATURE_REMOVAL_WAIVED] = "feature-removal-waived",
    [VETO_N_FEATURE_ADDITION_WAIVED] = "feature-addition-waived",
    [VETO_N_ROLLBACK_WAIVED] = "rollback-waived",
    [VETO_N_REVOCATION_INVALID] = "revocation-invalid",
    [VETO_N_KEY_REVOKED] = "key-revoked",
    [VETO_N_FAST_PATH_USED] = "fast-path-used",
    [VETO_N_FEATURE_DROPPED] = "feature-dropped",
    [VETO_N_IMAGE_UNCHECKED] = "image-unchecked",
};

START_TEST(code_names)
{
	ck_assert_int_eq(VETO_CODE_COUNT_, 40); /* 27 of contract 1, 13 of 1.1 */
	for (int c = 1; c < VETO_CODE_COUNT_; c++) {
		ck_assert_str_eq(veto_code_name((veto_code)c), names[c]);
		ck_assert_int_eq(veto_code_is_notice((veto_code)c), c >= VETO_N_FEATURE_REMOVAL_WAIVED);
	}
	ck_assert_str_eq(veto_code_name((veto_code)0), "unknown");
	ck_assert_str_eq(veto_code_name(VETO_CODE_COUNT_), "unknown");
	ck_assert_str_eq(veto_code_name((veto_code)-1), "unknown");
	ck_assert_int_eq(veto_code_is_notice(VETO_CODE_COUNT_), 0);
}
END_TEST

/* Every status of veto.h, with its name as spelt there. */
static const struct {
	veto_status status;
	const char *name;
} all_statuses[] = {
    {VETO_OK, "VETO_OK"},
    {VETO_REFUSED, "VETO_REFUSED"},
    {VETO_E_MALFORMED, "VETO_E_MALFORMED"},
    {VETO_E_TYPE, "VETO_E_TYPE"},
    {VETO_E_LIMIT, "VETO_E_LIMIT"},
    {VETO_E_KEY, "VETO_E_KEY"},
    {VETO_E_CRYPTO, "VETO_E_CRYPTO"},
    {VETO_E_PASSPHRASE, "VETO_E_PASSPHRASE"},
    {VETO_E_SIGNATURE, "VETO_E_SIGNATURE"},
    {VETO_E_ARG, "VETO_E_ARG"},
    {VETO_E_SEQUENCE, "VETO_E_SEQUENCE"},
    {VETO_E_NO_POLICY, "VETO_E_NO_POLICY"},
    {VETO_E_BUFFER, "VETO_E_BUFFER"},
    {VETO_E_NOMEM, "VETO_E_NOMEM"},
};

START_TEST(status_texts)
{
	const size_t n = sizeof(all_statuses) / sizeof(all_statuses[0]);
	for (size_t i = 0; i < n; i++) {
		const char *t = veto_strerror(all_statuses[i].status);
		ck_assert_ptr_nonnull(t);
		ck_assert_uint_gt(strlen(t), 0);
		ck_assert_str_ne(t, "unknown status");
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(t, veto_strerror(all_statuses[j].status));
	}
	ck_assert_str_eq(veto_strerror((veto_status)12345), "unknown status");
	ck_assert_str_eq(veto_strerror((veto_status)201), "unknown status"); /* retired */
}
END_TEST

/* Each status is named as veto.h spells it; every other value of the
 * ranges is "unknown". */
START_TEST(status_names)
{
	const size_t n = sizeof(all_statuses) / sizeof(all_statuses[0]);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(veto_status_name(all_statuses[i].status), all_statuses[i].name);
	size_t named = 0;
	for (int v = -1; v < 1000; v++)
		if (strcmp(veto_status_name((veto_status)v), "unknown") != 0)
			named++;
	ck_assert_uint_eq(named, n);
	ck_assert_str_eq(veto_status_name((veto_status)201), "unknown");
	ck_assert_str_eq(veto_status_name((veto_status)12345), "unknown");
}
END_TEST

/* ---- order --------------------------------------------------------------- */

START_TEST(reasons_in_table_order)
{
	veto_report r;
	veto_report_init(&r, NULL);
	/* added backwards, and codes repeated */
	for (int c = VETO_CODE_COUNT_ - 1; c >= 1; c--) {
		veto_reason *x = veto__rep_add(&r, (veto_code)c);
		ck_assert_ptr_nonnull(x);
		x->index = 1;
		x = veto__rep_addf(&r, (veto_code)c, "second %d", c);
		ck_assert_ptr_nonnull(x);
		x->index = 2;
	}
	ck_assert_uint_eq(r.n_refusals, 2 * (VETO_N_FEATURE_REMOVAL_WAIVED - 1));
	ck_assert_uint_eq(r.n_notices, 2 * (VETO_CODE_COUNT_ - VETO_N_FEATURE_REMOVAL_WAIVED));
	for (size_t i = 0; i < r.n_refusals; i++) {
		ck_assert_int_eq(r.refusals[i].code, (int)(i / 2 + 1));
		/* reasons of one code keep the order they were found in */
		ck_assert_uint_eq(r.refusals[i].index, i % 2 + 1);
	}
	for (size_t i = 0; i < r.n_notices; i++)
		ck_assert_int_eq(r.notices[i].code, (int)(VETO_N_FEATURE_REMOVAL_WAIVED + i / 2));
	ck_assert_str_eq(r.notices[1].detail, "second 32"); /* feature-removal-waived */
	ck_assert_int_eq(veto_report_accepted(&r), 0);
	veto_report_clear(&r);
	ck_assert_uint_eq(r.n_refusals, 0);
	ck_assert_ptr_null(r.refusals);
	/* reusable after clear; notices alone are an accept */
	ck_assert_ptr_nonnull(veto__rep_add(&r, VETO_N_IMAGE_UNCHECKED));
	ck_assert_int_eq(veto_report_accepted(&r), 1);
	veto_report_clear(&r);
	ck_assert_int_eq(veto_report_accepted(NULL), 0);
}
END_TEST

/* ---- JSON ---------------------------------------------------------------- */

static cJSON *report_json(const veto_report *r)
{
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(veto_report_json(&out, &len, r), VETO_OK);
	ck_assert_uint_eq(len, strlen(out));
	cJSON *root = cJSON_ParseWithLength(out, len);
	ck_assert_msg(root != NULL, "not JSON: %s", out);
	veto_free(NULL, out);
	return root;
}

static const cJSON *member(const cJSON *o, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(o, name);
}

START_TEST(json_empty)
{
	veto_report r;
	veto_report_init(&r, NULL);
	char *out = NULL;
	ck_assert_int_eq(veto_report_json(&out, NULL, &r), VETO_OK);
	ck_assert_str_eq(out, "{\"decision\": \"accept\", \"refusals\": [], \"notices\": []}");
	veto_free(NULL, out);
	ck_assert_int_eq(veto_report_json(NULL, NULL, &r), VETO_E_ARG);
	ck_assert_int_eq(veto_report_json(&out, NULL, NULL), VETO_E_ARG);
	veto_report_clear(&r);
}
END_TEST

START_TEST(json_shape)
{
	veto_report r;
	veto_report_init(&r, NULL);
	veto_reason *x = veto__rep_add(&r, VETO_R_COSIGNATURE_MISSING);
	veto__str_copy(x->role, sizeof(x->role), "auditor");
	x->has_counts = 1;
	x->have = 1;
	x->need = 2;
	x = veto__rep_addf(&r, VETO_R_FEATURE_DOWNGRADED, "needs >= %s", "1.0");
	veto__str_copy(x->feature, sizeof(x->feature), "works-with-nest");
	veto__str_copy(x->offered, sizeof(x->offered), "0.9");
	x = veto__rep_addf(&r, VETO_R_POLICY_EXPIRED, "quote \" backslash \\ tab \t nl \n end");
	x->index = 2;
	x = veto__rep_add(&r, VETO_N_FEATURE_REMOVAL_WAIVED);
	veto__str_copy(x->feature, sizeof(x->feature), "zigbee");
	cJSON *root = report_json(&r);
	ck_assert_int_eq(cJSON_GetArraySize(root), 3);
	ck_assert_str_eq(member(root, "decision")->valuestring, "refuse");
	const cJSON *refusals = member(root, "refusals"), *notices = member(root, "notices");
	ck_assert_int_eq(cJSON_GetArraySize(refusals), 3);
	ck_assert_int_eq(cJSON_GetArraySize(notices), 1);

	/* table order: policy-expired, cosignature-missing, feature-downgraded */
	const cJSON *a = cJSON_GetArrayItem(refusals, 0);
	ck_assert_str_eq(member(a, "code")->valuestring, "policy-expired");
	ck_assert_int_eq((int)member(a, "index")->valuedouble, 2);
	ck_assert_str_eq(member(a, "detail")->valuestring, "quote \" backslash \\ tab \t nl \n end");
	ck_assert_int_eq(cJSON_GetArraySize(a), 3); /* code, index, detail */

	const cJSON *b = cJSON_GetArrayItem(refusals, 1);
	ck_assert_str_eq(member(b, "code")->valuestring, "cosignature-missing");
	ck_assert_str_eq(member(b, "role")->valuestring, "auditor");
	ck_assert_int_eq((int)member(b, "have")->valuedouble, 1);
	ck_assert_int_eq((int)member(b, "need")->valuedouble, 2);
	ck_assert_ptr_null(member(b, "index"));
	ck_assert_ptr_null(member(b, "feature"));
	ck_assert_ptr_null(member(b, "detail"));
	ck_assert_int_eq(cJSON_GetArraySize(b), 4);

	const cJSON *c = cJSON_GetArrayItem(refusals, 2);
	ck_assert_str_eq(member(c, "code")->valuestring, "feature-downgraded");
	ck_assert_str_eq(member(c, "feature")->valuestring, "works-with-nest");
	ck_assert_str_eq(member(c, "offered")->valuestring, "0.9");
	ck_assert_str_eq(member(c, "detail")->valuestring, "needs >= 1.0");
	ck_assert_ptr_null(member(c, "have"));

	const cJSON *n = cJSON_GetArrayItem(notices, 0);
	ck_assert_str_eq(member(n, "code")->valuestring, "feature-removal-waived");
	ck_assert_str_eq(member(n, "feature")->valuestring, "zigbee");
	ck_assert_int_eq(cJSON_GetArraySize(n), 2);
	cJSON_Delete(root);

	/* counts of zero are still written when they apply */
	veto_report_clear(&r);
	x = veto__rep_add(&r, VETO_R_POLICY_SIGNATURE);
	veto__str_copy(x->role, sizeof(x->role), "owner");
	x->has_counts = 1;
	x->need = 1;
	root = report_json(&r);
	a = cJSON_GetArrayItem(member(root, "refusals"), 0);
	ck_assert_ptr_nonnull(member(a, "have"));
	ck_assert_int_eq((int)member(a, "have")->valuedouble, 0);
	cJSON_Delete(root);
	veto_report_clear(&r);
}
END_TEST

/* The JSON of a real decision. */
START_TEST(json_of_a_decision)
{
	fx_update u;
	fx_update_init(&u);
	u.features = "[\"local-control\", \"works-with-nest@1.2\", \"matter@1.3\"]";
	u.removes = "[\"zigbee\"]";
	u.model = "thermo-3";
	const char *uenv = FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1);
	fx_run *r = fx_decide(fx_state0(), fx_default_policy_env(), uenv, 0);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing,wrong-device,feature-removed");
	cJSON *root = report_json(&r->rep);
	ck_assert_str_eq(member(root, "decision")->valuestring, "refuse");
	const cJSON *refusals = member(root, "refusals"), *notices = member(root, "notices");
	ck_assert_str_eq(member(cJSON_GetArrayItem(refusals, 0), "role")->valuestring, "auditor");
	ck_assert_int_eq((int)member(cJSON_GetArrayItem(refusals, 0), "have")->valuedouble, 1);
	ck_assert_int_eq((int)member(cJSON_GetArrayItem(refusals, 0), "need")->valuedouble, 2);
	ck_assert_str_eq(member(cJSON_GetArrayItem(refusals, 1), "code")->valuestring, "wrong-device");
	ck_assert_ptr_nonnull(member(cJSON_GetArrayItem(refusals, 1), "detail"));
	ck_assert_str_eq(member(cJSON_GetArrayItem(refusals, 2), "feature")->valuestring, "zigbee");
	ck_assert_int_eq(cJSON_GetArraySize(notices), 2);
	ck_assert_str_eq(member(cJSON_GetArrayItem(notices, 0), "code")->valuestring, "feature-dropped");
	ck_assert_str_eq(member(cJSON_GetArrayItem(notices, 0), "feature")->valuestring, "zigbee");
	ck_assert_str_eq(member(cJSON_GetArrayItem(notices, 1), "code")->valuestring, "image-unchecked");
	cJSON_Delete(root);
	/* an accepted decision */
	r = fx_decide(fx_state0(), fx_default_policy_env(), fx_default_update_env(), 1);
	root = report_json(&r->rep);
	ck_assert_str_eq(member(root, "decision")->valuestring, "accept");
	ck_assert_int_eq(cJSON_GetArraySize(member(root, "refusals")), 0);
	cJSON_Delete(root);
}
END_TEST

/* A report quotes input text in its details (a payloadType, a feature);
 * cut to fit, it must still be UTF-8, or the JSON report is not JSON
 * (RFC 8259 section 8.1). */
/* Well-formed UTF-8 (RFC 3629), NUL-terminated. */
static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, n, cp;
		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2, cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3, cp = c & 0x07;
		} else {
			return 0;
		}
		for (unsigned i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3fU);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += n + 1;
	}
	return 1;
}

static void assert_report_utf8(const veto_report *rep)
{
	char *out = NULL;
	size_t len = 0;
	veto_diag d = {{0}};
	ck_assert_int_eq(veto_report_json(&out, &len, rep), VETO_OK);
	int rc = veto__js_validate(&d, (const uint8_t *)out, len, 16);
	if (rc != 0) {
		char *copy = fx_printf("%s", out);
		veto_free(NULL, out);
		ck_abort_msg("report JSON refused (%s): %s", d.detail, copy);
	}
	veto_free(NULL, out);
	for (size_t i = 0; i < rep->n_refusals; i++) {
		char buf[512];
		veto_reason_text(buf, sizeof(buf), &rep->refusals[i]);
		ck_assert_msg(utf8_ok(buf), "reason text is not UTF-8: %s", buf);
		ck_assert_msg(utf8_ok(rep->refusals[i].detail), "detail is not UTF-8: %s",
		              rep->refusals[i].detail);
	}
}

/* _i: 0 a payloadType (update-type), 1 a policy's payloadType
 * (policy-type), 2 a feature entry (malformed-update), 3 a role name
 * (malformed-policy), each ASCII padding then two multi-byte characters so
 * that some cut falls inside one. */
START_TEST(json_details_stay_utf8)
{
	fx_update u;
	fx_update_init(&u);
	const char *text = fx_update_text(&u);
	const char *pol = fx_default_policy_env();
	/* 2-, 3- and 4-byte characters, twice each */
	static const char *const tails[3] = {"\xc3\xa9\xc3\xa9", "\xe2\x82\xac\xe2\x82\xac",
	                                     "\xf0\x9f\x98\x80\xf0\x9f\x98\x80"};
	for (size_t k = 0; k < 3 * 81; k++) {
		size_t pad = 30 + k % 81;
		char s[160];
		memset(s, 'a', pad);
		memcpy(s + pad, tails[k / 81], strlen(tails[k / 81]) + 1);
		fx_run *r = NULL;
		const char *want = NULL;
		if (_i == 0) {
			r = fx_decide(fx_state0(), pol, fx_env_keys(s, text, (const int[]){K_VENDOR}, 1), 1);
			want = "update-type";
		} else if (_i == 1) {
			r = fx_decide(fx_state0(), fx_env_keys(s, text, (const int[]){K_OWNER}, 1),
			              fx_default_update_env(), 1);
			want = "policy-type";
		} else if (_i == 2) {
			fx_update v = u;
			v.features = fx_printf("[\"%s\"]", s);
			r = fx_decide(fx_state0(), pol, FX_UPDATE_ENV(fx_update_text(&v), K_VENDOR, K_AUD1, K_AUD2), 1);
			want = "malformed-update";
		} else {
			fx_policy p;
			fx_policy_init(&p);
			p.require = fx_printf("[\"vendor\", \"%s\"]", s);
			r = fx_decide(fx_state0(), FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), fx_default_update_env(), 1);
			want = "malformed-policy";
		}
		ck_assert_str_eq(fx_refusals(&r->rep), want);
		assert_report_utf8(&r->rep);
	}
}
END_TEST

/* The report's allocator is the one its JSON is made with. */
typedef struct counting {
	int allocs, frees;
} counting;

static void *c_alloc(void *ctx, size_t n)
{
	((counting *)ctx)->allocs++;
	return malloc(n);
}

static void c_release(void *ctx, void *p)
{
	((counting *)ctx)->frees++;
	free(p);
}

START_TEST(json_uses_report_allocator)
{
	counting cnt = {0, 0};
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.alloc = c_alloc;
	cfg.release = c_release;
	cfg.alloc_ctx = &cnt;
	veto_report r;
	veto_report_init(&r, &cfg);
	ck_assert_ptr_nonnull(veto__rep_add(&r, VETO_R_ROLLBACK));
	int before = cnt.allocs;
	char *out = NULL;
	ck_assert_int_eq(veto_report_json(&out, NULL, &r), VETO_OK);
	ck_assert_int_gt(cnt.allocs, before);
	veto_free(&cfg, out);
	veto_report_clear(&r);
	ck_assert_int_eq(cnt.allocs, cnt.frees);
}
END_TEST

/* An allocation failure while adding a reason is remembered: the report
 * is no accept, and its JSON is not written. */
static void *no_alloc(void *ctx, size_t n)
{
	(void)ctx;
	(void)n;
	return NULL;
}

START_TEST(nomem_remembered)
{
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.alloc = no_alloc;
	cfg.release = c_release;
	counting cnt = {0, 0};
	cfg.alloc_ctx = &cnt;
	veto_report r;
	veto_report_init(&r, &cfg);
	ck_assert_ptr_null(veto__rep_add(&r, VETO_N_IMAGE_UNCHECKED));
	ck_assert_int_eq(veto__rep_nomem(&r), 1);
	ck_assert_int_eq(veto_report_accepted(&r), 0);
	char *out = (char *)&r; /* must be set to NULL */
	ck_assert_int_eq(veto_report_json(&out, NULL, &r), VETO_E_NOMEM);
	ck_assert_ptr_null(out);
	veto_report_clear(&r);
}
END_TEST

/* ---- texts --------------------------------------------------------------- */

/* Every code has a sentence, even with no detail filled in. */
START_TEST(reason_text_bare)
{
	veto_reason x;
	char buf[512];
	memset(&x, 0, sizeof(x));
	x.code = (veto_code)_i + 1;
	size_t n = veto_reason_text(buf, sizeof(buf), &x);
	ck_assert_msg(n > 0 && buf[0] != '\0', "no text for %s with an empty detail",
	              veto_code_name(x.code));
	ck_assert_uint_eq(n, strlen(buf));
}
END_TEST

START_TEST(reason_text_details)
{
	veto_reason x;
	char buf[512];
	memset(&x, 0, sizeof(x));
	x.code = VETO_R_COSIGNATURE_MISSING;
	veto__str_copy(x.role, sizeof(x.role), "auditor");
	x.has_counts = 1;
	x.have = 1;
	x.need = 2;
	veto_reason_text(buf, sizeof(buf), &x);
	ck_assert(strstr(buf, "auditor") != NULL);
	ck_assert(strstr(buf, "1") != NULL && strstr(buf, "2") != NULL);
	memset(&x, 0, sizeof(x));
	x.code = VETO_R_FEATURE_REMOVED;
	veto__str_copy(x.feature, sizeof(x.feature), "zigbee");
	veto_reason_text(buf, sizeof(buf), &x);
	ck_assert(strstr(buf, "zigbee") != NULL);
	memset(&x, 0, sizeof(x));
	x.code = VETO_R_WRONG_DEVICE;
	veto__str_copy(x.detail, sizeof(x.detail), "update is for acme/thermo-3");
	veto_reason_text(buf, sizeof(buf), &x);
	ck_assert(strstr(buf, "acme/thermo-3") != NULL);
	/* like snprintf: the length wanted, the text cut and terminated */
	size_t want = veto_reason_text(buf, sizeof(buf), &x);
	char small[8];
	memset(small, 'x', sizeof(small));
	ck_assert_uint_eq(veto_reason_text(small, sizeof(small), &x), want);
	ck_assert_uint_eq(strlen(small), 7);
	ck_assert_int_eq(strncmp(small, buf, 7), 0);
	ck_assert_uint_eq(veto_reason_text(NULL, 0, &x), want);
}
END_TEST

/* A reason of code c with every field filled with ASCII, so that a cut text
 * is a prefix of the whole one. */
static void filled_reason(veto_reason *x, veto_code c)
{
	memset(x, 0, sizeof(*x));
	x->code = c;
	x->has_counts = 1;
	x->have = 18446744073709551615ULL;
	x->need = 42;
	veto__str_copy(x->role, sizeof(x->role), "security-team");
	veto__str_copy(x->feature, sizeof(x->feature), "works-with-nest");
	veto__str_copy(x->offered, sizeof(x->offered), "1.2.3");
	veto__str_copy(x->detail, sizeof(x->detail), "100% of the detail, with %s and %d left alone");
}

/* The snprintf contract at every cap: the full length returned, the text
 * cut to cap - 1 bytes and terminated, nothing written past cap. */
START_TEST(reason_text_every_cap)
{
	veto_reason x;
	char whole[1024], buf[1024 + 8];
	filled_reason(&x, (veto_code)_i);
	size_t want = veto_reason_text(whole, sizeof(whole), &x);
	ck_assert_uint_eq(want, strlen(whole));
	ck_assert_uint_lt(want, sizeof(whole) - 1);
	ck_assert_uint_eq(veto_reason_text(NULL, 0, &x), want);
	ck_assert_uint_eq(veto_reason_text(NULL, 5, &x), want);
	for (size_t cap = 0; cap <= want + 2; cap++) {
		memset(buf, 'Z', sizeof(buf));
		ck_assert_uint_eq(veto_reason_text(buf, cap, &x), want);
		for (size_t k = cap; k < cap + 8; k++)
			ck_assert_msg(buf[k] == 'Z', "%s: byte %zu written with cap %zu",
			              veto_code_name(x.code), k, cap);
		if (cap == 0)
			continue;
		size_t kept = want < cap - 1 ? want : cap - 1;
		ck_assert_uint_eq(strlen(buf), kept);
		ck_assert_int_eq(memcmp(buf, whole, kept), 0);
	}
}
END_TEST

/* A cut inside a multi-byte character leaves no partial character. */
START_TEST(reason_text_cut_stays_utf8)
{
	veto_reason x;
	char whole[512], buf[512];
	memset(&x, 0, sizeof(x));
	x.code = VETO_R_MALFORMED_POLICY;
	veto__str_copy(x.detail, sizeof(x.detail), "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 end");
	size_t want = veto_reason_text(whole, sizeof(whole), &x);
	for (size_t cap = 1; cap <= want + 1; cap++) {
		ck_assert_uint_eq(veto_reason_text(buf, cap, &x), want);
		ck_assert_uint_eq(strlen(buf), want < cap - 1 ? want : cap - 1);
		ck_assert_msg(utf8_ok(buf), "cap %zu: %s", cap, buf);
	}
}
END_TEST

/* A reason whose text fields fill their arrays without a NUL is read no
 * further than each array. */
START_TEST(reason_text_unterminated_fields)
{
	veto_reason x;
	char buf[1024];
	memset(&x, 0, sizeof(x));
	x.code = VETO_R_FEATURE_DOWNGRADED;
	memset(x.feature, 'f', sizeof(x.feature));
	memset(x.offered, 'o', sizeof(x.offered));
	memset(x.detail, 'd', sizeof(x.detail));
	size_t n = veto_reason_text(buf, sizeof(buf), &x);
	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_uint_eq(n, strlen("protected feature \"\" is downgraded to  ()") + sizeof(x.feature) +
	                         sizeof(x.offered) + sizeof(x.detail));
}
END_TEST

/* Every reason a real decision reports has a text. */
START_TEST(reason_text_of_decisions)
{
	fx_update u;
	fx_update_init(&u);
	u.model = "thermo-3";
	u.counter = 1;
	u.features = "[\"works-with-nest@0.1\"]";
	u.removes = "[\"zigbee\"]";
	const char *uenv = FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR);
	fx_policy p;
	fx_policy_init(&p);
	p.extra = ", \"max_image_size\": 1";
	fx_run *r = fx_decide(fx_state0(), FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), uenv, 1);
	ck_assert_uint_ge(r->rep.n_refusals, 6);
	for (size_t i = 0; i < r->rep.n_refusals + r->rep.n_notices; i++) {
		const veto_reason *x =
		    i < r->rep.n_refusals ? &r->rep.refusals[i] : &r->rep.notices[i - r->rep.n_refusals];
		char buf[512];
		ck_assert_msg(veto_reason_text(buf, sizeof(buf), x) > 0, "%s", veto_code_name(x->code));
	}
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = fx_tcase("codes");
	tcase_add_test(tc, code_names);
	tcase_add_test(tc, status_texts);
	tcase_add_test(tc, status_names);
	tcase_add_test(tc, reasons_in_table_order);
	suite_add_tcase(s, tc);
	tc = fx_tcase("json");
	tcase_add_test(tc, json_empty);
	tcase_add_test(tc, json_shape);
	tcase_add_test(tc, json_of_a_decision);
	tcase_add_loop_test(tc, json_details_stay_utf8, 0, 4);
	tcase_add_test(tc, json_uses_report_allocator);
	tcase_add_test(tc, nomem_remembered);
	suite_add_tcase(s, tc);
	tc = fx_tcase("text");
	tcase_add_loop_test(tc, reason_text_bare, 0, VETO_CODE_COUNT_ - 1);
	tcase_add_test(tc, reason_text_details);
	tcase_add_loop_test(tc, reason_text_every_cap, 0, VETO_CODE_COUNT_ + 1);
	tcase_add_test(tc, reason_text_cut_stays_utf8);
	tcase_add_test(tc, reason_text_unterminated_fields);
	tcase_add_test(tc, reason_text_of_decisions);
	suite_add_tcase(s, tc);
	return s;
}
