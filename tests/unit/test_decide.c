/* SPDX-License-Identifier: Apache-2.0 */
/* decide.c: the decision of SPEC section 8 — every reason code and notice,
 * threshold counting, what is (not) evaluated when something is untrusted,
 * the stored policy, the image stream and the SHA-256 engine hook. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bad_keys.h"
#include "decision.h"
#include "fixture.h"

#define KEYS(...) (const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int)

enum { IMG_GOOD, IMG_NONE, IMG_SHORT, IMG_LONG, IMG_FLIP, IMG_EMPTY };

/* One scenario: the default policy, update, signers, state and image
 * (which accept), changed by the fields that are set. */
typedef struct scen {
	const char *name;
	/* policy */
	const char *require, *protect, *removal, *pextra;
	/* update */
	const char *vendor, *model, *features, *removes;
	long long counter; /* 0: the default 42 */
	int no_sha, no_b2;
	const char *sha, *b2; /* digest text instead of the image's */
	int signers[8];
	size_t n_signers; /* 0: K_VENDOR, K_AUD1, K_AUD2 */
	int img;
	/* expected */
	const char *refusals, *notices;
} scen;

#define NO_ZIGBEE "[\"local-control\", \"works-with-nest@1.2\", \"matter@1.3\"]"
#define NEST(v) "[\"local-control\", \"works-with-nest" v "\", \"zigbee\"]"
#define SIGNERS(...) .signers = {__VA_ARGS__}, .n_signers = sizeof((int[]){__VA_ARGS__}) / sizeof(int)
#define ALL_SIGN SIGNERS(K_VENDOR, K_AUD1, K_AUD2, K_OWNER)

static const scen scens[] = {
    {.name = "accept", .refusals = "", .notices = ""},
    {.name = "image-unchecked", .img = IMG_NONE, .refusals = "", .notices = "image-unchecked"},
    /* cosignature-missing and counting */
    {.name = "vendor only", SIGNERS(K_VENDOR), .refusals = "cosignature-missing", .notices = ""},
    {.name = "one auditor twice", SIGNERS(K_VENDOR, K_AUD1, K_AUD1), .refusals = "cosignature-missing", .notices = ""},
    {.name = "unknown key ignored", SIGNERS(K_VENDOR, K_OTHER, K_AUD1, K_AUD2), .refusals = "", .notices = ""},
    {.name = "owner is not an auditor", SIGNERS(K_VENDOR, K_AUD1, K_OWNER), .refusals = "cosignature-missing", .notices = ""},
    {.name = "other auditors", SIGNERS(K_AUD3, K_VENDOR, K_AUD2), .refusals = "", .notices = ""},
    {.name = "vendor role only required", .require = "[\"vendor\"]", SIGNERS(K_VENDOR), .refusals = "", .notices = ""},
    /* update-untrusted: reported alone, nothing else about the update */
    {.name = "update-untrusted", SIGNERS(K_AUD1, K_AUD2), .refusals = "update-untrusted", .notices = ""},
    {.name = "update-untrusted, bad in every way", SIGNERS(K_OWNER, K_AUD1), .model = "thermo-9",
     .counter = 1, .features = "[]", .img = IMG_FLIP, .refusals = "update-untrusted", .notices = ""},
    {.name = "update-untrusted, no image", SIGNERS(K_OTHER), .img = IMG_NONE,
     .refusals = "update-untrusted", .notices = ""},
    /* wrong-device */
    {.name = "wrong model", .model = "thermo-3", .refusals = "wrong-device", .notices = ""},
    {.name = "wrong vendor", .vendor = "acme2", .refusals = "wrong-device", .notices = ""},
    {.name = "model prefix", .model = "thermo-22", .refusals = "wrong-device", .notices = ""},
    /* rollback */
    {.name = "below installed", .counter = 40, .refusals = "rollback", .notices = ""},
    {.name = "equal, nothing installed", .counter = 41, .refusals = "rollback", .notices = ""},
    {.name = "far above", .counter = 9007199254740991LL, .refusals = "", .notices = ""},
    {.name = "below min_security_counter", .pextra = ", \"min_security_counter\": 43",
     .refusals = "rollback", .notices = ""},
    {.name = "at min_security_counter", .pextra = ", \"min_security_counter\": 42", .refusals = "", .notices = ""},
    /* feature-removed, waived, no waiver possible */
    {.name = "feature-removed", .features = NO_ZIGBEE, .removes = "[\"zigbee\"]",
     .refusals = "feature-removed", .notices = "feature-dropped"},
    {.name = "removal waived", .features = NO_ZIGBEE, .removes = "[\"zigbee\"]", ALL_SIGN,
     .refusals = "", .notices = "feature-removal-waived,feature-dropped"},
    {.name = "removal_requires empty", .removal = "[]", .features = NO_ZIGBEE, .removes = "[\"zigbee\"]",
     ALL_SIGN, .refusals = "feature-removed", .notices = "feature-dropped"},
    {.name = "waiver needs every role", .removal = "[\"owner\", \"auditor\"]", .features = NO_ZIGBEE,
     .removes = "[\"zigbee\"]", SIGNERS(K_VENDOR, K_AUD1, K_AUD2, K_OWNER), .refusals = "",
     .notices = "feature-removal-waived,feature-dropped"},
    {.name = "waiver role short", .removal = "[\"owner\", \"auditor\"]", .require = "[\"vendor\"]",
     .features = NO_ZIGBEE, .removes = "[\"zigbee\"]", SIGNERS(K_VENDOR, K_AUD1, K_OWNER),
     .refusals = "feature-removed", .notices = "feature-dropped"},
    /* undeclared-removal: never waivable */
    {.name = "undeclared-removal", .features = NO_ZIGBEE, .refusals = "undeclared-removal",
     .notices = "feature-dropped"},
    {.name = "undeclared even if owner signs", .features = NO_ZIGBEE, ALL_SIGN,
     .refusals = "undeclared-removal", .notices = "feature-dropped"},
    {.name = "removes names another feature", .features = NO_ZIGBEE, .removes = "[\"matter\"]", ALL_SIGN,
     .refusals = "undeclared-removal", .notices = "feature-dropped"},
    {.name = "two removed", .features = "[\"works-with-nest@1.2\"]", .removes = "[\"zigbee\"]",
     .refusals = "feature-removed,undeclared-removal", .notices = "feature-dropped,feature-dropped"},
    {.name = "declared but kept", .removes = "[\"zigbee\", \"works-with-nest\"]", .refusals = "", .notices = ""},
    /* feature-downgraded */
    {.name = "feature-downgraded", .features = NEST("@0.9"), .removes = "[\"works-with-nest\"]",
     .refusals = "feature-downgraded", .notices = ""},
    {.name = "bare name is version 0", .features = NEST(""), .removes = "[\"works-with-nest\"]",
     .refusals = "feature-downgraded", .notices = ""},
    {.name = "downgrade undeclared", .features = NEST("@0.9"), .refusals = "undeclared-removal", .notices = ""},
    {.name = "downgrade waived", .features = NEST("@0.9.9"), .removes = "[\"works-with-nest\"]", ALL_SIGN,
     .refusals = "", .notices = "feature-removal-waived"},
    {.name = "1 == 1.0", .features = NEST("@1"), .refusals = "", .notices = ""},
    {.name = "1.0.0 == 1.0", .features = NEST("@1.0.0"), .refusals = "", .notices = ""},
    {.name = "10 > 1.0", .features = NEST("@10"), .refusals = "", .notices = ""},
    {.name = "1.0.0.0.0.0.0.1 > 1.0", .features = NEST("@1.0.0.0.0.0.0.1"), .refusals = "", .notices = ""},
    {.name = "0.99999 < 1.0", .features = NEST("@0.99999"), .refusals = "undeclared-removal", .notices = ""},
    {.name = "protected bare met by any version",
     .features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee@0\"]", .refusals = "", .notices = ""},
    {.name = "protected >=0 met by bare", .protect = "[\"works-with-nest>=0\"]", .features = NEST(""),
     .refusals = "", .notices = ""},
    /* feature-dropped: every loss, protected or not */
    {.name = "unprotected loss is a notice", .protect = "[\"local-control\"]", .features = NO_ZIGBEE,
     .refusals = "", .notices = "feature-dropped"},
    {.name = "new version is no loss", .protect = "[]", .features = NEST("@0.1"), .refusals = "", .notices = ""},
    /* digest-not-allowed */
    {.name = "digest-not-allowed sha256", .pextra = ", \"digests\": [\"blake2b-256\"]", .no_b2 = 1,
     .refusals = "digest-not-allowed", .notices = ""},
    {.name = "digest-not-allowed blake2b", .pextra = ", \"digests\": [\"sha256\"]", .no_sha = 1,
     .refusals = "digest-not-allowed", .notices = ""},
    {.name = "one accepted digest is enough", .pextra = ", \"digests\": [\"blake2b-256\"]", .refusals = "",
     .notices = ""},
    {.name = "sha256 alone, allowed", .no_b2 = 1, .refusals = "", .notices = ""},
    /* image-too-large */
    {.name = "image-too-large", .pextra = ", \"max_image_size\": 4999", .refusals = "image-too-large", .notices = ""},
    {.name = "size at the limit", .pextra = ", \"max_image_size\": 5000", .refusals = "", .notices = ""},
    {.name = "too large, no image", .pextra = ", \"max_image_size\": 0", .img = IMG_NONE,
     .refusals = "image-too-large", .notices = "image-unchecked"},
    /* image-size, image-digest */
    {.name = "image short", .img = IMG_SHORT, .refusals = "image-size,image-digest,image-digest", .notices = ""},
    {.name = "image long", .img = IMG_LONG, .refusals = "image-size" /* alone: reading stopped past the size */, .notices = ""},
    {.name = "image empty", .img = IMG_EMPTY, .refusals = "image-size,image-digest,image-digest", .notices = ""},
    {.name = "image flipped", .img = IMG_FLIP, .refusals = "image-digest,image-digest", .notices = ""},
    {.name = "image flipped, sha256 only", .img = IMG_FLIP, .no_b2 = 1, .refusals = "image-digest", .notices = ""},
    {.name = "image flipped, blake2b only", .img = IMG_FLIP, .no_sha = 1, .refusals = "image-digest", .notices = ""},
    {.name = "blake2b wrong", .b2 = "0000000000000000000000000000000000000000000000000000000000000000",
     .refusals = "image-digest", .notices = ""},
    {.name = "sha256 wrong", .sha = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
     .refusals = "image-digest", .notices = ""},
    {.name = "wrong digest, no image", .sha = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
     .img = IMG_NONE, .refusals = "", .notices = "image-unchecked"},
    /* several failures, all reported, in table order */
    {.name = "everything wrong", .model = "thermo-3", .counter = 40, SIGNERS(K_VENDOR), .features = NO_ZIGBEE,
     .pextra = ", \"digests\": [\"blake2b-256\"], \"max_image_size\": 10", .no_b2 = 1, .img = IMG_FLIP,
     .refusals = "cosignature-missing,wrong-device,rollback,undeclared-removal,digest-not-allowed,"
                 "image-too-large,image-digest",
     .notices = "feature-dropped"},
};

static uint8_t *image_copy(size_t len)
{
	size_t n = 0;
	const uint8_t *img = fx_image(&n);
	uint8_t *c = fx_alloc(len);
	memcpy(c, img, len < n ? len : n);
	return c;
}

static fx_run *run_scen(const scen *sc, int64_t now)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	if (sc->require)
		p.require = sc->require;
	if (sc->protect)
		p.protected_features = sc->protect;
	if (sc->removal)
		p.removal_requires = sc->removal;
	p.extra = sc->pextra;
	if (sc->vendor)
		u.vendor = sc->vendor;
	if (sc->model)
		u.model = sc->model;
	if (sc->features)
		u.features = sc->features;
	u.removes = sc->removes;
	if (sc->counter)
		u.counter = (uint64_t)sc->counter;
	if (sc->sha)
		u.sha256 = sc->sha;
	if (sc->b2)
		u.blake2b = sc->b2;
	if (sc->no_sha)
		u.sha256 = NULL;
	if (sc->no_b2)
		u.blake2b = NULL;
	const char *penv = FX_POLICY_ENV(fx_policy_text(&p), K_OWNER);
	const int def[3] = {K_VENDOR, K_AUD1, K_AUD2};
	const char *uenv = fx_env_keys(VETO_TYPE_UPDATE, fx_update_text(&u),
	                               sc->n_signers ? sc->signers : def, sc->n_signers ? sc->n_signers : 3);
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	uint8_t *c;
	switch (sc->img) {
	case IMG_NONE:
		img = NULL;
		len = 0;
		break;
	case IMG_SHORT:
		len--;
		break;
	case IMG_LONG:
		c = image_copy(len + 1);
		c[len++] = 0;
		img = c;
		break;
	case IMG_FLIP:
		c = image_copy(len);
		c[1234] ^= 0x01;
		img = c;
		break;
	case IMG_EMPTY:
		len = 0;
		break;
	default:
		break;
	}
	return fx_decide_ex(NULL, fx_state0(), &penv, 1, uenv, img, len, 0, now);
}

START_TEST(scenario_table)
{
	const scen *sc = &scens[_i];
	fx_run *r = run_scen(sc, fx_now());
	ck_assert_msg(r->begin == VETO_OK, "%s: begin %d", sc->name, (int)r->begin);
	ck_assert_msg(strcmp(fx_refusals(&r->rep), sc->refusals) == 0, "%s: refusals \"%s\", want \"%s\"",
	              sc->name, fx_refusals(&r->rep), sc->refusals);
	ck_assert_msg(strcmp(fx_notices(&r->rep), sc->notices) == 0, "%s: notices \"%s\", want \"%s\"",
	              sc->name, fx_notices(&r->rep), sc->notices);
	ck_assert_int_eq(r->finish, sc->refusals[0] ? VETO_REFUSED : VETO_OK);
	ck_assert_int_eq(veto_report_accepted(&r->rep), sc->refusals[0] ? 0 : 1);
	/* the policy is trusted in every row: no reason is about a policy */
	for (size_t i = 0; i < r->rep.n_refusals; i++) {
		ck_assert_uint_eq(r->rep.refusals[i].index, 0);
		char text[512];
		ck_assert_uint_gt(veto_reason_text(text, sizeof(text), &r->rep.refusals[i]), 0);
	}
}
END_TEST

/* ---- details of each reason ---------------------------------------------- */

static fx_run *decide_with(const char *policy_text, const char *update_text, const int *signers,
                           size_t n, int with_image)
{
	const char *penv = FX_POLICY_ENV(policy_text, K_OWNER);
	const char *uenv = fx_env_keys(VETO_TYPE_UPDATE, update_text, signers, n);
	return fx_decide(fx_state0(), penv, uenv, with_image);
}

START_TEST(cosignature_details)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	const char *upd = fx_update_text(&u);
	/* 2-of-3 auditors, the same auditor signing twice: have 1 need 2 */
	fx_run *r = decide_with(fx_policy_text(&p), upd, KEYS(K_VENDOR, K_AUD2, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing");
	const veto_reason *x = fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0);
	ck_assert_str_eq(x->role, "auditor");
	ck_assert_int_eq(x->has_counts, 1);
	ck_assert_uint_eq(x->have, 1);
	ck_assert_uint_eq(x->need, 2);
	/* none at all: have 0 */
	r = decide_with(fx_policy_text(&p), upd, KEYS(K_VENDOR), 1);
	x = fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0);
	ck_assert_uint_eq(x->have, 0);
	ck_assert_uint_eq(x->need, 2);
	/* two roles short: one reason each */
	FX_ROLE(&p, "security", 1, K_SEC);
	p.require = "[\"vendor\", \"auditor\", \"security\"]";
	r = decide_with(fx_policy_text(&p), upd, KEYS(K_VENDOR, K_AUD1), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing,cosignature-missing");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0)->role, "auditor");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0)->have, 1);
	ck_assert_str_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 1)->role, "security");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 1)->have, 0);
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 1)->need, 1);
	/* a role that exists but is not required is never reported */
	p.require = "[\"vendor\", \"auditor\"]";
	r = decide_with(fx_policy_text(&p), upd, KEYS(K_VENDOR, K_AUD1, K_AUD3), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
}
END_TEST

/* The vendor role's own threshold is a cosignature requirement too. */
START_TEST(vendor_threshold)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	FX_ROLE(&p, "vendor", 2, K_VENDOR, K_VENDOR2);
	const char *upd = fx_update_text(&u);
	fx_run *r = decide_with(fx_policy_text(&p), upd, KEYS(K_VENDOR2, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing");
	const veto_reason *x = fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0);
	ck_assert_str_eq(x->role, "vendor");
	ck_assert_uint_eq(x->have, 1);
	ck_assert_uint_eq(x->need, 2);
	r = decide_with(fx_policy_text(&p), upd, KEYS(K_VENDOR2, K_AUD1, K_VENDOR, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
}
END_TEST

/* A key serving two roles counts for both. */
START_TEST(key_in_two_roles)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	const char *upd = fx_update_text(&u);
	FX_ROLE(&p, "security", 1, K_AUD1);
	p.require = "[\"vendor\", \"auditor\", \"security\"]";
	fx_run *r = decide_with(fx_policy_text(&p), upd, KEYS(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	r = decide_with(fx_policy_text(&p), upd, KEYS(K_VENDOR, K_AUD1), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0)->role, "auditor");
	/* the vendor's key also an auditor key (allowed: auditor does not waive) */
	fx_policy_init(&p);
	FX_ROLE(&p, "auditor", 2, K_VENDOR, K_AUD1);
	r = decide_with(fx_policy_text(&p), upd, KEYS(K_VENDOR, K_AUD1), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	r = decide_with(fx_policy_text(&p), upd, KEYS(K_VENDOR), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0)->have, 1);
}
END_TEST

/* Invalid signatures never count: over another payload, corrupted, under
 * another type, or by another key than their keyid names. */
START_TEST(invalid_signatures_never_count)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	const char *penv = FX_POLICY_ENV(fx_policy_text(&p), K_OWNER);
	const char *upd = fx_update_text(&u);
	fx_update other = u;
	other.counter = 43;
	const char *upd2 = fx_update_text(&other);
	fx_sig s[4];
	fx_sig_by(&s[0], K_VENDOR, VETO_TYPE_UPDATE, upd);
	fx_sig_by(&s[1], K_AUD1, VETO_TYPE_UPDATE, upd);
	fx_sig_by(&s[2], K_AUD2, VETO_TYPE_UPDATE, upd2); /* another payload */
	fx_run *r = fx_decide(fx_state0(), penv, fx_envelope(VETO_TYPE_UPDATE, upd, s, 3), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0)->have, 1);
	fx_sig_by(&s[2], K_AUD2, VETO_TYPE_UPDATE, upd);
	s[2].sig[31] ^= 0x08; /* corrupted */
	r = fx_decide(fx_state0(), penv, fx_envelope(VETO_TYPE_UPDATE, upd, s, 3), 1);
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0)->have, 1);
	fx_sig_by(&s[2], K_AUD2, VETO_TYPE_POLICY, upd); /* another type */
	r = fx_decide(fx_state0(), penv, fx_envelope(VETO_TYPE_UPDATE, upd, s, 3), 1);
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0)->have, 1);
	fx_sig_by(&s[2], K_AUD3, VETO_TYPE_UPDATE, upd); /* AUD3's sig under AUD2's keyid */
	memcpy(s[2].keyid, fx_key_get(K_AUD2)->keyid, 65);
	r = fx_decide(fx_state0(), penv, fx_envelope(VETO_TYPE_UPDATE, upd, s, 3), 1);
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0)->have, 1);
	/* a bad entry followed by a good one of the same key: the good one counts */
	fx_sig_by(&s[3], K_AUD2, VETO_TYPE_UPDATE, upd);
	memcpy(s[2].keyid, fx_key_get(K_AUD2)->keyid, 65);
	r = fx_decide(fx_state0(), penv, fx_envelope(VETO_TYPE_UPDATE, upd, s, 4), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	/* the vendor's only signature corrupted: untrusted */
	fx_sig_by(&s[2], K_AUD2, VETO_TYPE_UPDATE, upd);
	s[0].sig[0] ^= 0x01;
	r = fx_decide(fx_state0(), penv, fx_envelope(VETO_TYPE_UPDATE, upd, s, 3), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-untrusted");
	ck_assert_str_eq(fx_notices(&r->rep), "");
}
END_TEST

START_TEST(rollback_details)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	u.counter = 40;
	fx_run *r = decide_with(fx_policy_text(&p), fx_update_text(&u), KEYS(K_VENDOR, K_AUD1, K_AUD2), 1);
	const veto_reason *x = fx_reason(&r->rep, VETO_R_ROLLBACK, 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->has_counts, 1);
	ck_assert_uint_eq(x->have, 40);
	ck_assert_uint_eq(x->need, 42); /* the smallest counter a new release could carry */
	p.extra = ", \"min_security_counter\": 100";
	u.counter = 99;
	r = decide_with(fx_policy_text(&p), fx_update_text(&u), KEYS(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "rollback");
	x = fx_reason(&r->rep, VETO_R_ROLLBACK, 0);
	ck_assert_uint_eq(x->have, 99);
	ck_assert_uint_eq(x->need, 100);
	/* below both: one rollback reason */
	u.counter = 7;
	r = decide_with(fx_policy_text(&p), fx_update_text(&u), KEYS(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "rollback");
}
END_TEST

START_TEST(feature_details)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	const char *pol = fx_policy_text(&p);
	/* removed, declared, not waived */
	u.features = "[\"local-control\", \"works-with-nest@0.9\"]";
	u.removes = "[\"zigbee\", \"works-with-nest\"]";
	fx_run *r = decide_with(pol, fx_update_text(&u), KEYS(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "feature-removed,feature-downgraded");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_R_FEATURE_REMOVED, 0)->feature, "zigbee");
	const veto_reason *x = fx_reason(&r->rep, VETO_R_FEATURE_DOWNGRADED, 0);
	ck_assert_str_eq(x->feature, "works-with-nest");
	ck_assert_str_eq(x->offered, "0.9");
	ck_assert_str_eq(fx_notices(&r->rep), "feature-dropped");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_N_FEATURE_DROPPED, 0)->feature, "zigbee");
	/* waived: one notice per feature */
	r = decide_with(pol, fx_update_text(&u), KEYS(K_VENDOR, K_AUD1, K_AUD2, K_OWNER), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	ck_assert_str_eq(fx_notices(&r->rep), "feature-removal-waived,feature-removal-waived,feature-dropped");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_N_FEATURE_REMOVAL_WAIVED, 0)->feature, "works-with-nest");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_N_FEATURE_REMOVAL_WAIVED, 1)->feature, "zigbee");
	/* undeclared: feature and what was offered */
	u.removes = NULL;
	r = decide_with(pol, fx_update_text(&u), KEYS(K_VENDOR, K_AUD1, K_AUD2, K_OWNER), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "undeclared-removal,undeclared-removal");
	x = fx_reason(&r->rep, VETO_R_UNDECLARED_REMOVAL, 0);
	ck_assert_str_eq(x->feature, "works-with-nest");
	ck_assert_str_eq(x->offered, "0.9");
	x = fx_reason(&r->rep, VETO_R_UNDECLARED_REMOVAL, 1);
	ck_assert_str_eq(x->feature, "zigbee");
	ck_assert_str_eq(x->offered, "");
	/* a bare name offered against >=1.0: offered "0" */
	u.features = "[\"local-control\", \"works-with-nest\", \"zigbee\"]";
	u.removes = "[\"works-with-nest\"]";
	r = decide_with(pol, fx_update_text(&u), KEYS(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "feature-downgraded");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_R_FEATURE_DOWNGRADED, 0)->offered, "0");
}
END_TEST

START_TEST(feature_dropped_details)
{
	/* a state with features the update does not list, protected or not */
	veto_state *s = fx_state_from(fx_default_anchor(), 41,
	                              "local-control,works-with-nest@1.2,zigbee,old-app@3,beta");
	fx_update u;
	fx_update_init(&u);
	u.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"beta@2\"]";
	const char *uenv = FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1, K_AUD2);
	fx_run *r = fx_decide(s, fx_default_policy_env(), uenv, 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_notices(&r->rep), "feature-dropped");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_N_FEATURE_DROPPED, 0)->feature, "old-app");
}
END_TEST

START_TEST(digest_and_size_details)
{
	fx_policy p;
	fx_update u;
	fx_policy_init(&p);
	fx_update_init(&u);
	p.extra = ", \"digests\": [\"blake2b-256\"], \"max_image_size\": 4096";
	u.blake2b = NULL;
	fx_run *r = decide_with(fx_policy_text(&p), fx_update_text(&u), KEYS(K_VENDOR, K_AUD1, K_AUD2), 0);
	ck_assert_str_eq(fx_refusals(&r->rep), "digest-not-allowed,image-too-large");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_R_DIGEST_NOT_ALLOWED, 0)->offered, "sha256");
	const veto_reason *x = fx_reason(&r->rep, VETO_R_IMAGE_TOO_LARGE, 0);
	ck_assert_int_eq(x->has_counts, 1);
	ck_assert_uint_eq(x->have, 5000);
	ck_assert_uint_eq(x->need, 4096);
	/* image-size: bytes seen and declared */
	fx_policy_init(&p);
	fx_update_init(&u);
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	const char *penv = FX_POLICY_ENV(fx_policy_text(&p), K_OWNER);
	const char *uenv = FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1, K_AUD2);
	r = fx_decide_ex(NULL, fx_state0(), &penv, 1, uenv, img, 4000, 0, fx_now());
	x = fx_reason(&r->rep, VETO_R_IMAGE_SIZE, 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->has_counts, 1);
	ck_assert_uint_eq(x->have, 4000);
	ck_assert_uint_eq(x->need, 5000);
	ck_assert_str_eq(fx_reason(&r->rep, VETO_R_IMAGE_DIGEST, 0)->offered, "sha256");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_R_IMAGE_DIGEST, 1)->offered, "blake2b-256");
	ck_assert_uint_eq(r->dig.size, 4000);
}
END_TEST

/* ---- when the policy or the update cannot be trusted --------------------- */

START_TEST(untrusted_policy_stops_evaluation)
{
	/* an update with many problems, and an image that does not match */
	fx_update u;
	fx_update_init(&u);
	u.model = "thermo-9";
	u.counter = 3;
	u.features = "[]";
	const char *bad_update = FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR);
	fx_policy p;
	fx_policy_init(&p);
	const char *text = fx_policy_text(&p);
	static const struct {
		int kind;
		const char *want;
	} cases[] = {
	    {0, "policy-signature"},
	    {1, "policy-new-owner-signature"},
	    {2, "policy-expired"},
	    {3, "policy-wrong-device"},
	    {4, "malformed-policy"},
	    {5, "policy-type"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *penv = NULL;
		int64_t now = fx_now();
		fx_policy q;
		switch (cases[i].kind) {
		case 0: penv = FX_POLICY_ENV(text, K_OTHER); break;
		case 1:
			q = p;
			fx_role_set(&q, "owner", 1, KEYS(K_OWNER2));
			penv = FX_POLICY_ENV(fx_policy_text(&q), K_OWNER);
			break;
		case 2:
			penv = FX_POLICY_ENV(text, K_OWNER);
			now = fx_time("2027-11-21T00:00:00Z");
			break;
		case 3:
			q = p;
			q.model = "thermo-9";
			penv = FX_POLICY_ENV(fx_policy_text(&q), K_OWNER);
			break;
		case 4: penv = "{\"payloadType\": 3}"; break;
		case 5: penv = FX_UPDATE_ENV(text, K_OWNER); break;
		default: break;
		}
		size_t len = 0;
		const uint8_t *img = fx_image(&len);
		fx_run *r = fx_decide_ex(NULL, fx_state0(), &penv, 1, bad_update, img, len - 1, 0, now);
		ck_assert_int_eq(r->begin, VETO_OK);
		ck_assert_int_eq(r->finish, VETO_REFUSED);
		ck_assert_msg(strcmp(fx_refusals(&r->rep), cases[i].want) == 0, "#%zu: %s", i,
		              fx_refusals(&r->rep));
		ck_assert_str_eq(fx_notices(&r->rep), "");
		ck_assert_uint_eq(r->rep.refusals[0].index, 1);
		/* nothing was computed over an image never judged */
		ck_assert_int_eq(r->dig.has_sha256, 0);
		ck_assert_int_eq(r->dig.has_blake2b, 0);
	}
}
END_TEST

/* With an untrusted policy, what shows on the update envelope alone is
 * still reported. */
START_TEST(untrusted_policy_and_update_envelope)
{
	fx_policy p;
	fx_policy_init(&p);
	const char *bad_pol = FX_POLICY_ENV(fx_policy_text(&p), K_OTHER);
	fx_run *r = fx_decide(fx_state0(), bad_pol, "not an envelope", 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-update,policy-signature");
	r = fx_decide(fx_state0(), bad_pol, fx_default_policy_env(), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-type,policy-signature");
	r = fx_decide(fx_state0(), "[]", "[]", 0);
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy,malformed-update");
	/* an untrusted update is not reported under an untrusted policy */
	r = fx_decide(fx_state0(), bad_pol, FX_UPDATE_ENV("{}", K_OTHER), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
}
END_TEST

START_TEST(malformed_and_type_update)
{
	const char *pol = fx_default_policy_env();
	fx_update u;
	fx_update_init(&u);
	const char *text = fx_update_text(&u);
	const struct {
		const char *env;
		const char *want;
	} cases[] = {
	    {"", "malformed-update"},
	    {"{", "malformed-update"},
	    {fx_replace(fx_default_update_env(), "\"signatures\"", "\"Signatures\""), "malformed-update"},
	    {fx_printf("%s}", fx_default_update_env()), "malformed-update"},
	    /* a payload signed by the vendor but not a valid update */
	    {FX_UPDATE_ENV(fx_replace(text, "\"size\": 5000", "\"size\": 5000.0"), K_VENDOR, K_AUD1, K_AUD2),
	     "malformed-update"},
	    {FX_UPDATE_ENV(fx_replace(text, "\"zigbee\"", "\"zigbee\", \"zigbee\""), K_VENDOR, K_AUD1, K_AUD2),
	     "malformed-update"},
	    {FX_UPDATE_ENV(fx_replace(text, "\"vendor\"", "\"vendor\": \"acme\", \"vendor\""), K_VENDOR),
	     "malformed-update"},
	    /* the same, not signed by the vendor: never read */
	    {FX_UPDATE_ENV(fx_replace(text, "\"size\": 5000", "\"size\": 5000.0"), K_AUD1, K_AUD2),
	     "update-untrusted"},
	    /* the wrong type */
	    {fx_env_keys(VETO_TYPE_POLICY, text, KEYS(K_VENDOR, K_AUD1, K_AUD2)), "update-type"},
	    {fx_env_keys("application/vnd.veto.update+json; v=1", text, KEYS(K_VENDOR, K_AUD1, K_AUD2)),
	     "update-type"},
	    {pol, "update-type"},
	    {fx_env_keys("", text, KEYS(K_VENDOR, K_AUD1, K_AUD2)), "update-type"},
	    {"{\"payloadType\": \"\", \"payload\": \"\", \"signatures\": []}", "update-type"},
	    {"{\"payloadType\": null, \"payload\": \"\", \"signatures\": []}", "malformed-update"},
	    {"{\"payload\": \"\", \"signatures\": []}", "malformed-update"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx_run *r = fx_decide(fx_state0(), pol, cases[i].env, 1);
		ck_assert_int_eq(r->begin, VETO_OK);
		ck_assert_msg(strcmp(fx_refusals(&r->rep), cases[i].want) == 0, "#%zu: %s", i,
		              fx_refusals(&r->rep));
		ck_assert_str_eq(fx_notices(&r->rep), "");
		ck_assert_uint_eq(r->rep.refusals[0].index, 0);
	}
}
END_TEST

START_TEST(update_limits)
{
	const char *pol = fx_default_policy_env();
	/* 1 MiB + 1 */
	const char *env = fx_default_update_env();
	char *big = fx_alloc(VETO_MAX_ENVELOPE + 2);
	memset(big, ' ', VETO_MAX_ENVELOPE + 1);
	memcpy(big, env, strlen(env));
	fx_run *r = fx_decide(fx_state0(), pol, big, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-update");
	big[VETO_MAX_ENVELOPE] = '\0'; /* exactly 1 MiB */
	r = fx_decide(fx_state0(), pol, big, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	/* 65 signatures */
	fx_update u;
	fx_update_init(&u);
	const char *text = fx_update_text(&u);
	fx_sig sigs[65];
	fx_sig_by(&sigs[0], K_VENDOR, VETO_TYPE_UPDATE, text);
	fx_sig_by(&sigs[1], K_AUD1, VETO_TYPE_UPDATE, text);
	for (size_t i = 2; i < 65; i++)
		fx_sig_by(&sigs[i], K_AUD2, VETO_TYPE_UPDATE, text);
	r = fx_decide(fx_state0(), pol, fx_envelope(VETO_TYPE_UPDATE, text, sigs, 65), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-update");
	r = fx_decide(fx_state0(), pol, fx_envelope(VETO_TYPE_UPDATE, text, sigs, 64), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	/* lowered through the config */
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_signatures = 2;
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	r = fx_decide_ex(&cfg, fx_state0(), &pol, 1, fx_envelope(VETO_TYPE_UPDATE, text, sigs, 3), img,
	                 len, 0, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-update");
	/* the nesting depth lowered: the update envelope (3 deep) is refused
	 * as malformed, while the policy (its payload 4 deep) is too */
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_depth = 2;
	r = fx_decide_ex(&cfg, fx_state0(), &pol, 1, fx_envelope(VETO_TYPE_UPDATE, text, sigs, 3), img,
	                 len, 0, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy,malformed-update");
	cfg.max_depth = 4;
	r = fx_decide_ex(&cfg, fx_state0(), &pol, 1, fx_envelope(VETO_TYPE_UPDATE, text, sigs, 3), img,
	                 len, 0, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "");
}
END_TEST

/* ---- the stored policy --------------------------------------------------- */

START_TEST(stored_policy_governs)
{
	veto_state *s = fx_trusted(fx_state0(), fx_default_policy_env(), fx_now());
	fx_run *r = fx_decide(s, NULL, fx_default_update_env(), 1);
	ck_assert_int_eq(r->begin, VETO_OK);
	ck_assert_int_eq(r->finish, VETO_OK);
	/* its expiry is checked again */
	int64_t exp = fx_time("2027-11-21T00:00:00Z");
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	r = fx_decide_ex(NULL, s, NULL, 0, fx_default_update_env(), img, len, 0, exp - 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	r = fx_decide_ex(NULL, s, NULL, 0, fx_default_update_env(), img, len, 0, exp);
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-expired");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_EXPIRED, 0)->index, 0);
	ck_assert_str_eq(fx_notices(&r->rep), "");
	/* a policy handed in governs instead of the stored one */
	fx_policy p;
	fx_policy_init(&p);
	p.serial = 2;
	p.require = "[\"vendor\"]";
	const char *p2 = FX_POLICY_ENV(fx_policy_text(&p), K_OWNER);
	fx_update u;
	fx_update_init(&u);
	const char *uenv = FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR);
	r = fx_decide(s, NULL, uenv, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing");
	r = fx_decide(s, p2, uenv, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	/* an expired stored policy is no obstacle to a newer one handed in */
	fx_policy p3;
	fx_policy_init(&p3);
	p3.serial = 3;
	p3.expires = "2029-01-01T00:00:00Z";
	const char *p3env = FX_POLICY_ENV(fx_policy_text(&p3), K_OWNER);
	r = fx_decide_ex(NULL, s, &p3env, 1, fx_default_update_env(), img, len, 0, exp + 86400);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	/* ... and is checked against the stored one (rollback of the policy) */
	p.serial = 0;
	r = fx_decide(s, FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), uenv, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-rollback");
}
END_TEST

/* A vendor can never waive its own removal: such a policy is malformed,
 * in a decision too. */
START_TEST(vendor_waiver_policy_malformed)
{
	fx_policy p;
	fx_policy_init(&p);
	FX_ROLE(&p, "owner", 1, K_OWNER, K_VENDOR);
	fx_update u;
	fx_update_init(&u);
	u.features = NO_ZIGBEE;
	u.removes = "[\"zigbee\"]";
	const char *uenv = FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1, K_AUD2);
	fx_run *r = fx_decide(fx_state0(), FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), uenv, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
	ck_assert_str_eq(fx_notices(&r->rep), "");
	fx_policy_init(&p);
	p.removal_requires = "[\"vendor\"]";
	r = fx_decide(fx_state0(), FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), uenv, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
	/* close: the owner waives, the vendor's signature alone does not */
	fx_policy_init(&p);
	r = fx_decide(fx_state0(), FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), uenv, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "feature-removed");
}
END_TEST

START_TEST(no_policy)
{
	fx_run *r = fx_decide(fx_state0(), NULL, fx_default_update_env(), 1);
	ck_assert_int_eq(r->begin, VETO_E_NO_POLICY);
	ck_assert_ptr_null(r->c);
	ck_assert_uint_eq(r->rep.n_refusals, 0);
}
END_TEST

/* ---- the image stream ---------------------------------------------------- */

START_TEST(chunked_same_digests)
{
	const char *pol = fx_default_policy_env(), *upd = fx_default_update_env();
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	const size_t chunks[] = {0, 1, 7, 64, 999, 4096, 4999, 5000, 100000};
	veto_image_digests first;
	memset(&first, 0, sizeof(first));
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		fx_run *r = fx_decide_ex(NULL, fx_state0(), &pol, 1, upd, img, len, chunks[i], fx_now());
		ck_assert_int_eq(r->finish, VETO_OK);
		ck_assert_uint_eq(r->dig.size, 5000);
		ck_assert_int_eq(r->dig.has_sha256, 1);
		ck_assert_int_eq(r->dig.has_blake2b, 1);
		ck_assert_str_eq(fx_hex(r->dig.sha256, 32), fx_image_sha256_hex());
		ck_assert_str_eq(fx_hex(r->dig.blake2b256, 32), fx_image_blake2b_hex());
		if (i == 0)
			first = r->dig;
		else
			ck_assert_mem_eq(&r->dig, &first, sizeof(first));
	}
}
END_TEST

/* A check of the default policy and update against fx_state0, with the
 * update signed by `signer` alone (K_VENDOR etc.; -1: the default signers). */
static veto_check *begin_default(veto_report *rep, int signer)
{
	const char *pol = fx_default_policy_env();
	const char *upd = fx_default_update_env();
	if (signer >= 0) {
		fx_update u;
		fx_update_init(&u);
		upd = fx_env_keys(VETO_TYPE_UPDATE, fx_update_text(&u), KEYS(signer));
	}
	veto_check *c = NULL;
	veto_bytes b = {(const uint8_t *)pol, strlen(pol)};
	veto_report_init(rep, NULL);
	ck_assert_int_eq(veto_check_begin(&c, rep, NULL, fx_state0(), &b, 1, (const uint8_t *)upd,
	                                  strlen(upd), fx_now()),
	                 VETO_OK);
	return c;
}

/* SPEC 1.1 section 8: the check wants the image up to the manifest's size
 * plus one byte, then takes nothing more: image-size alone, no digest. */
START_TEST(image_stops_past_size)
{
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	uint8_t *longer = fx_alloc(len + 100);
	memcpy(longer, img, len);
	memset(longer + len, 0, 100);
	veto_report rep;
	veto_check *c = begin_default(&rep, -1);
	ck_assert_int_eq(veto_check_wants_image(c), 1);
	ck_assert_int_eq(veto_check_image(c, longer, len), VETO_OK);
	ck_assert_int_eq(veto_check_wants_image(c), 1); /* exactly the size: one more could matter */
	/* a chunk that crosses the stop: only its first byte is taken */
	ck_assert_int_eq(veto_check_image(c, longer + len, 50), VETO_OK);
	ck_assert_int_eq(veto_check_wants_image(c), 0);
	/* after the stop: accepted and ignored, however much */
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(veto_check_image(c, longer, len + 100), VETO_OK);
	ck_assert_int_eq(veto_check_image(c, NULL, 0), VETO_OK);
	veto_image_digests d;
	memset(&d, 0xa5, sizeof d);
	ck_assert_int_eq(veto_check_finish(c, &d), VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&rep), "image-size");
	const veto_reason *x = fx_reason(&rep, VETO_R_IMAGE_SIZE, 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->have, len + 1);
	ck_assert_uint_eq(x->need, len);
	ck_assert_uint_eq(d.size, len + 1);
	ck_assert_int_eq(d.has_sha256, 0);
	ck_assert_int_eq(d.has_blake2b, 0);
	ck_assert_int_eq(veto_check_wants_image(c), 0);
	veto_state *next = NULL;
	ck_assert_int_eq(veto_check_commit(&next, c), VETO_REFUSED);
	veto_check_free(c);
	veto_report_clear(&rep);
	ck_assert_int_eq(veto_check_wants_image(NULL), 0);
}
END_TEST

/* Bytes fed after the stop change nothing: the same report and digests as
 * a caller that stopped when told. */
START_TEST(image_after_stop_changes_nothing)
{
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	veto_report r1, r2;
	veto_check *a = begin_default(&r1, -1), *b = begin_default(&r2, -1);
	veto_image_digests da, db;
	memset(&da, 0, sizeof da);
	memset(&db, 0, sizeof db);
	ck_assert_int_eq(veto_check_image(a, img, len), VETO_OK);
	ck_assert_int_eq(veto_check_image(a, img, 1), VETO_OK);
	ck_assert_int_eq(veto_check_image(b, img, len), VETO_OK);
	ck_assert_int_eq(veto_check_image(b, img, len), VETO_OK);
	ck_assert_int_eq(veto_check_image(b, img, len), VETO_OK);
	ck_assert_int_eq(veto_check_finish(a, &da), VETO_REFUSED);
	ck_assert_int_eq(veto_check_finish(b, &db), VETO_REFUSED);
	ck_assert_mem_eq(&da, &db, sizeof da);
	ck_assert_str_eq(fx_refusals(&r1), fx_refusals(&r2));
	ck_assert_uint_eq(fx_reason(&r1, VETO_R_IMAGE_SIZE, 0)->have,
	                  fx_reason(&r2, VETO_R_IMAGE_SIZE, 0)->have);
	veto_check_free(a);
	veto_check_free(b);
	veto_report_clear(&r1);
	veto_report_clear(&r2);
}
END_TEST

/* An update whose manifest is not read (update-untrusted) or a policy not
 * trusted: no image can change the decision, so none is wanted at all. */
START_TEST(image_not_wanted_when_untrusted)
{
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	veto_report rep;
	veto_check *c = begin_default(&rep, K_OTHER);
	ck_assert_int_eq(veto_check_wants_image(c), 0);
	ck_assert_int_eq(veto_check_image(c, img, len), VETO_OK);
	veto_image_digests d;
	ck_assert_int_eq(veto_check_finish(c, &d), VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&rep), "update-untrusted");
	ck_assert_str_eq(fx_notices(&rep), "");
	veto_check_free(c);
	veto_report_clear(&rep);

	/* an expired policy: not trusted, the update is not evaluated */
	fx_policy p;
	fx_policy_init(&p);
	p.expires = "2020-01-01T00:00:00Z";
	const char *pol = fx_env_keys(VETO_TYPE_POLICY, fx_policy_text(&p), KEYS(K_OWNER));
	const char *upd = fx_default_update_env();
	veto_bytes b = {(const uint8_t *)pol, strlen(pol)};
	veto_report_init(&rep, NULL);
	ck_assert_int_eq(veto_check_begin(&c, &rep, NULL, fx_state0(), &b, 1, (const uint8_t *)upd,
	                                  strlen(upd), fx_now()),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_wants_image(c), 0);
	ck_assert_int_eq(veto_check_finish(c, &d), VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&rep), "policy-expired");
	veto_check_free(c);
	veto_report_clear(&rep);
}
END_TEST

/* An image of the right size is wanted to its end (the digests must be
 * compared); a short one is wanted until the embedder calls finish. */
START_TEST(image_wanted_to_its_end)
{
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	veto_report rep;
	veto_check *c = begin_default(&rep, -1);
	for (size_t i = 0; i < len; i++) {
		ck_assert_int_eq(veto_check_wants_image(c), 1);
		ck_assert_int_eq(veto_check_image(c, img + i, 1), VETO_OK);
	}
	ck_assert_int_eq(veto_check_wants_image(c), 1);
	veto_image_digests d;
	ck_assert_int_eq(veto_check_finish(c, &d), VETO_OK);
	ck_assert_int_eq(veto_check_wants_image(c), 0);
	ck_assert_str_eq(fx_hex(d.sha256, 32), fx_image_sha256_hex());
	veto_check_free(c);
	veto_report_clear(&rep);
}
END_TEST

/* Fault-injection hardening (SECURITY.md): the verdict is read twice and
 * kept as two words.  Each test plays one fault through the internal
 * structure and expects a refusal, never an acceptance. */
static veto_check *accepted_check(veto_report *rep)
{
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	veto_check *c = begin_default(rep, -1);
	ck_assert_int_eq(veto_check_image(c, img, len), VETO_OK);
	ck_assert_int_eq(veto_check_finish(c, NULL), VETO_OK);
	ck_assert(veto__check_accepted(c));
	ck_assert_uint_eq(c->verdict, VERDICT_ACCEPT);
	ck_assert_uint_eq(c->verdict_inv, (uint32_t)~VERDICT_ACCEPT);
	return c;
}

/* A digest comparison whose refusal never reached the report: the second
 * reading compares the digests itself. */
START_TEST(verdict_second_reading_compares_digests)
{
	veto_report rep;
	veto_check *c = accepted_check(&rep);
	c->image_sha256[_i] ^= 0x01;
	ck_assert_int_eq(veto__check_verdict(c), VETO_REFUSED);
	ck_assert(!veto__check_accepted(c));
	veto_state *s = (veto_state *)1;
	ck_assert_int_eq(veto_check_commit(&s, c), VETO_REFUSED);
	ck_assert_ptr_null(s);
	veto_check_free(c);
	veto_report_clear(&rep);
}
END_TEST

/* A size check skipped the same way. */
START_TEST(verdict_second_reading_compares_size)
{
	veto_report rep;
	veto_check *c = accepted_check(&rep);
	c->image_size -= 1;
	ck_assert_int_eq(veto__check_verdict(c), VETO_REFUSED);
	veto_check_free(c);
	veto_report_clear(&rep);
}
END_TEST

/* An untrusted policy or update whose refusal never reached the report. */
START_TEST(verdict_second_reading_rereads_trust)
{
	veto_report rep;
	veto_check *c = accepted_check(&rep);
	bool *flag = _i == 0 ? &c->gov_ok : &c->upd_ok;
	*flag = false;
	ck_assert_int_eq(veto__check_verdict(c), VETO_REFUSED);
	*flag = true; /* upd_ok also says the manifest is there to release */
	veto_check_free(c);
	veto_report_clear(&rep);
}
END_TEST

/* One verdict word corrupted after finish (bit flip, skipped store):
 * commit reads both again and refuses. */
START_TEST(verdict_words_checked_at_commit)
{
	veto_report rep;
	veto_check *c = accepted_check(&rep);
	if (_i < 32)
		c->verdict ^= 1U << _i;
	else
		c->verdict_inv ^= 1U << (_i - 32);
	veto_state *s = (veto_state *)1;
	ck_assert_int_eq(veto_check_commit(&s, c), VETO_REFUSED);
	ck_assert_ptr_null(s);
	veto_check_free(c);
	veto_report_clear(&rep);
}
END_TEST

/* A refusal stored as a refusal whichever word the fault hits: neither a
 * refused verdict with a flipped bit nor zeroed words read as accept. */
START_TEST(verdict_refusal_stays_refusal)
{
	veto_report rep;
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	veto_check *c = begin_default(&rep, -1);
	ck_assert_int_eq(veto_check_image(c, img, len - 1), VETO_OK);
	ck_assert_int_eq(veto_check_finish(c, NULL), VETO_REFUSED);
	ck_assert_uint_eq(c->verdict, VERDICT_REFUSE);
	c->verdict ^= 1U << _i;
	ck_assert(!veto__check_accepted(c));
	c->verdict = 0;
	c->verdict_inv = 0;
	ck_assert(!veto__check_accepted(c));
	veto_check_free(c);
	veto_report_clear(&rep);
}
END_TEST

START_TEST(zero_length_chunks)
{
	const char *pol = fx_default_policy_env(), *upd = fx_default_update_env();
	veto_report rep;
	veto_check *c = NULL;
	veto_bytes b = {(const uint8_t *)pol, strlen(pol)};
	veto_image_digests d;
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	veto_report_init(&rep, NULL);
	ck_assert_int_eq(veto_check_begin(&c, &rep, NULL, fx_state0(), &b, 1, (const uint8_t *)upd,
	                                  strlen(upd), fx_now()),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_image(c, NULL, 0), VETO_OK);
	ck_assert_int_eq(veto_check_image(c, img, 2500), VETO_OK);
	ck_assert_int_eq(veto_check_image(c, img + 2500, 0), VETO_OK);
	ck_assert_int_eq(veto_check_image(c, img + 2500, 2500), VETO_OK);
	ck_assert_int_eq(veto_check_finish(c, &d), VETO_OK);
	ck_assert_str_eq(fx_hex(d.sha256, 32), fx_image_sha256_hex());
	/* sequence */
	ck_assert_int_eq(veto_check_finish(c, &d), VETO_E_SEQUENCE);
	ck_assert_int_eq(veto_check_image(c, img, 1), VETO_E_SEQUENCE);
	ck_assert_int_eq(veto_check_image(NULL, img, 1), VETO_E_ARG);
	ck_assert_int_eq(veto_check_image(c, NULL, 1), VETO_E_ARG);
	ck_assert_int_eq(veto_check_finish(NULL, &d), VETO_E_ARG);
	veto_check_free(c);
	veto_report_clear(&rep);
	veto_check_free(NULL);
}
END_TEST

/* A SHA-256 engine that counts its calls and hashes with libsodium, or
 * hands back a fixed digest. */
typedef struct engine_ctx {
	int begins, updates, ends, releases, fake, fail;
	size_t bytes;
	uint8_t digest[32];
} engine_ctx;

typedef struct engine_state {
	engine_ctx *ctx;
	crypto_hash_sha256_state st;
} engine_state;

static void *eng_begin(void *ctx)
{
	engine_ctx *e = ctx;
	e->begins++;
	if (e->fail)
		return NULL;
	engine_state *s = malloc(sizeof(*s));
	ck_assert_ptr_nonnull(s);
	s->ctx = e;
	crypto_hash_sha256_init(&s->st);
	return s;
}

static void eng_update(void *state, const uint8_t *data, size_t len)
{
	engine_state *s = state;
	s->ctx->updates++;
	s->ctx->bytes += len;
	crypto_hash_sha256_update(&s->st, data, len);
}

static void eng_end(void *state, uint8_t digest[32])
{
	engine_state *s = state;
	if (digest != NULL) {
		s->ctx->ends++;
		crypto_hash_sha256_final(&s->st, digest);
		if (s->ctx->fake)
			memcpy(digest, s->ctx->digest, 32);
	} else {
		s->ctx->releases++;
	}
	free(s);
}

START_TEST(sha256_engine_used)
{
	engine_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	veto_sha256_engine eng = {eng_begin, eng_update, eng_end, &ctx};
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.sha256 = &eng;
	const char *pol = fx_default_policy_env(), *upd = fx_default_update_env();
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	fx_run *r = fx_decide_ex(&cfg, fx_state0(), &pol, 1, upd, img, len, 1000, fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_int_eq(ctx.begins, 1);
	ck_assert_int_eq(ctx.updates, 5);
	ck_assert_uint_eq(ctx.bytes, 5000);
	ck_assert_int_eq(ctx.ends, 1);
	ck_assert_str_eq(fx_hex(r->dig.sha256, 32), fx_image_sha256_hex());
	ck_assert_str_eq(fx_hex(r->dig.blake2b256, 32), fx_image_blake2b_hex());

	/* its digest is what is compared: a wrong engine refuses a good image */
	memset(&ctx, 0, sizeof(ctx));
	ctx.fake = 1;
	memset(ctx.digest, 0xab, 32);
	r = fx_decide_ex(&cfg, fx_state0(), &pol, 1, upd, img, len, 0, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "image-digest");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_R_IMAGE_DIGEST, 0)->offered, "sha256");
	ck_assert_mem_eq(r->dig.sha256, ctx.digest, 32);
	/* ...and accepts a manifest that carries the engine's digest */
	fx_update u;
	fx_update_init(&u);
	u.sha256 = fx_hex(ctx.digest, 32);
	const char *upd_ab = FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1, K_AUD2);
	r = fx_decide_ex(&cfg, fx_state0(), &pol, 1, upd_ab, img, len, 0, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	ck_assert_int_eq(ctx.ends, 2);
}
END_TEST

START_TEST(sha256_engine_lifecycle)
{
	engine_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	veto_sha256_engine eng = {eng_begin, eng_update, eng_end, &ctx};
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.sha256 = &eng;
	const char *pol = fx_default_policy_env();
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	/* no sha256 in the manifest: the engine is not asked */
	fx_update u;
	fx_update_init(&u);
	u.sha256 = NULL;
	const char *b2only = FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1, K_AUD2);
	fx_run *r = fx_decide_ex(&cfg, fx_state0(), &pol, 1, b2only, img, len, 0, fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_int_eq(ctx.begins, 0);
	ck_assert_int_eq(r->dig.has_sha256, 0);
	/* no image: the engine's state is released, not finished */
	r = fx_decide_ex(&cfg, fx_state0(), &pol, 1, fx_default_update_env(), NULL, 0, 0, fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	veto_check_free(r->c);
	r->c = NULL;
	ck_assert_int_eq(ctx.begins, 1);
	ck_assert_int_eq(ctx.ends, 0);
	ck_assert_int_eq(ctx.releases, 1);
	/* untrusted update: the engine is never started */
	memset(&ctx, 0, sizeof(ctx));
	r = fx_decide_ex(&cfg, fx_state0(), &pol, 1, FX_UPDATE_ENV(fx_update_text(&u), K_OTHER), img, len, 0,
	                 fx_now());
	ck_assert_int_eq(ctx.begins, 0);
	/* an engine without resources: no check, VETO_E_NOMEM */
	memset(&ctx, 0, sizeof(ctx));
	ctx.fail = 1;
	r = fx_decide_ex(&cfg, fx_state0(), &pol, 1, fx_default_update_env(), img, len, 0, fx_now());
	ck_assert_int_eq(r->begin, VETO_E_NOMEM);
	ck_assert_int_eq(ctx.begins, 1);
}
END_TEST

/* ---- threads ------------------------------------------------------------- */

/* Distinct objects may be used from distinct threads at once (veto.h):
 * several threads each make their own state and decide, sharing only the
 * read-only input texts. */
typedef struct thread_job {
	const char *anchor, *policy, *update;
	const uint8_t *image;
	size_t image_len;
	int64_t now;
	int accepted, rounds;
} thread_job;

static void *decide_thread(void *arg)
{
	thread_job *j = arg;
	for (int i = 0; i < j->rounds; i++) {
		veto_state *s = NULL;
		veto_report rep;
		veto_check *c = NULL;
		veto_bytes b = {(const uint8_t *)j->policy, strlen(j->policy)};
		const char *feats[1] = {"zigbee"};
		veto_report_init(&rep, NULL);
		if (veto_state_from_anchor(&s, NULL, NULL, (const uint8_t *)j->anchor, strlen(j->anchor), 41,
		                           feats, 1) == VETO_OK &&
		    veto_check_begin(&c, &rep, NULL, s, &b, 1, (const uint8_t *)j->update, strlen(j->update),
		                     j->now) == VETO_OK &&
		    veto_check_image(c, j->image, j->image_len) == VETO_OK &&
		    veto_check_finish(c, NULL) == VETO_OK && rep.n_notices == 0)
			j->accepted++;
		veto_check_free(c);
		veto_state_free(s);
		veto_report_clear(&rep);
	}
	return NULL;
}

START_TEST(threads_decide_at_once)
{
	enum { N = 4 };
	pthread_t t[N];
	thread_job jobs[N];
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	const char *anchor = fx_default_anchor(), *pol = fx_default_policy_env(),
	           *upd = fx_default_update_env();
	ck_assert_int_eq(veto_init(), VETO_OK);
	for (int i = 0; i < N; i++) {
		jobs[i] = (thread_job){anchor, pol, upd, img, len, fx_now(), 0, 10};
		ck_assert_int_eq(pthread_create(&t[i], NULL, decide_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(jobs[i].accepted, 10);
	}
}
END_TEST

/* ---- arguments ----------------------------------------------------------- */

START_TEST(begin_arguments)
{
	veto_report rep;
	veto_check *c = (veto_check *)&rep;
	const char *pol = fx_default_policy_env(), *upd = fx_default_update_env();
	veto_bytes b = {(const uint8_t *)pol, strlen(pol)}, nul = {NULL, 0};
	veto_state *s = fx_state0();
	veto_report_init(&rep, NULL);
	ck_assert_int_eq(veto_check_begin(NULL, &rep, NULL, s, &b, 1, (const uint8_t *)upd, strlen(upd), 0),
	                 VETO_E_ARG);
	ck_assert_int_eq(veto_check_begin(&c, NULL, NULL, s, &b, 1, (const uint8_t *)upd, strlen(upd), 0),
	                 VETO_E_ARG);
	ck_assert_int_eq(veto_check_begin(&c, &rep, NULL, NULL, &b, 1, (const uint8_t *)upd, strlen(upd), 0),
	                 VETO_E_ARG);
	ck_assert_int_eq(veto_check_begin(&c, &rep, NULL, s, NULL, 1, (const uint8_t *)upd, strlen(upd), 0),
	                 VETO_E_ARG);
	ck_assert_int_eq(veto_check_begin(&c, &rep, NULL, s, &nul, 1, (const uint8_t *)upd, strlen(upd), 0),
	                 VETO_E_ARG);
	ck_assert_int_eq(veto_check_begin(&c, &rep, NULL, s, &b, 1, NULL, 0, 0), VETO_E_ARG);
	ck_assert_ptr_null(c);
	ck_assert_uint_eq(rep.n_refusals, 0);
	veto_report_clear(&rep);
}
END_TEST

/* ---- pre-flight ---------------------------------------------------------- */

START_TEST(preflight)
{
	const char *pol = fx_default_policy_env(), *upd = fx_default_update_env();
	fx_run *r = fx_run_new(NULL);
	ck_assert_int_eq(veto_preflight_begin(&r->c, &r->rep, NULL, (const uint8_t *)pol, strlen(pol),
	                                      (const uint8_t *)upd, strlen(upd), fx_now()),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_finish(r->c, NULL), VETO_OK);
	ck_assert_str_eq(fx_notices(&r->rep), "image-unchecked"); /* nothing installed: nothing dropped */
	/* its own owner role: a policy not signed by it */
	fx_policy p;
	fx_policy_init(&p);
	const char *stranger = FX_POLICY_ENV(fx_policy_text(&p), K_OTHER);
	r = fx_run_new(NULL);
	ck_assert_int_eq(veto_preflight_begin(&r->c, &r->rep, NULL, (const uint8_t *)stranger,
	                                      strlen(stranger), (const uint8_t *)upd, strlen(upd), fx_now()),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_finish(r->c, NULL), VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
	/* its own expiry */
	r = fx_run_new(NULL);
	int64_t exp = fx_time("2027-11-21T00:00:00Z");
	ck_assert_int_eq(veto_preflight_begin(&r->c, &r->rep, NULL, (const uint8_t *)pol, strlen(pol),
	                                      (const uint8_t *)upd, strlen(upd), exp),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_finish(r->c, NULL), VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-expired");
	r = fx_run_new(NULL);
	ck_assert_int_eq(veto_preflight_begin(&r->c, &r->rep, NULL, (const uint8_t *)pol, strlen(pol),
	                                      (const uint8_t *)upd, strlen(upd), exp - 1),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_finish(r->c, NULL), VETO_OK);
	/* its own device is the device; commit is not possible */
	p.model = "thermo-9";
	const char *other = FX_POLICY_ENV(fx_policy_text(&p), K_OWNER);
	veto_preflight *pf = NULL;
	ck_assert_int_eq(veto_preflight_new(&pf, NULL, (const uint8_t *)upd, strlen(upd)), VETO_OK);
	for (int round = 0; round < 2; round++) {
		const char *pols[2] = {pol, other};
		const char *want[2] = {"", "wrong-device"};
		for (int i = 0; i < 2; i++) {
			r = fx_run_new(NULL);
			ck_assert_int_eq(veto_preflight_check(&r->c, &r->rep, pf, (const uint8_t *)pols[i],
			                                      strlen(pols[i]), fx_now()),
			                 VETO_OK);
			ck_assert_int_eq(veto_check_finish(r->c, NULL), want[i][0] ? VETO_REFUSED : VETO_OK);
			ck_assert_str_eq(fx_refusals(&r->rep), want[i]);
			veto_state *ns = NULL;
			ck_assert_int_eq(veto_check_commit(&ns, r->c), VETO_E_SEQUENCE);
		}
	}
	veto_preflight_free(pf);
	/* a malformed update is every check's refusal */
	ck_assert_int_eq(veto_preflight_new(&pf, NULL, (const uint8_t *)"x", 1), VETO_OK);
	r = fx_run_new(NULL);
	ck_assert_int_eq(veto_preflight_check(&r->c, &r->rep, pf, (const uint8_t *)pol, strlen(pol), fx_now()),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_finish(r->c, NULL), VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-update");
	veto_check_free(r->c);
	r->c = NULL;
	veto_preflight_free(pf);
}
END_TEST

/* ---- a malformed key in the governing policy ------------------------------
 *
 * A malformed key in the governing policy that no signature touches: the
 * policy is malformed, whatever the update's signatures, and the update is
 * not evaluated.  Each test below runs once for every key of the shared list
 * (tests/support/bad_keys.c, the loop index) and, inside, for each of the
 * FX_BAD_KEY_PLACES places where the key can stand. */

/* The default policy with bad key `bad` in place `where`, signed by the
 * owner. */
static const char *bad_key_policy_env(int where, int bad)
{
	return FX_POLICY_ENV(fx_policy_with_bad_key(where, tw_bad_keys[bad].hex), K_OWNER);
}

START_TEST(bad_key_policy_refused_by_check)
{
	const char *upd = fx_default_update_env(); /* K_VENDOR, K_AUD1, K_AUD2 */
	for (int where = 0; where < FX_BAD_KEY_PLACES; where++) {
		fx_run *r = fx_decide(fx_state0(), bad_key_policy_env(where, _i), upd, 1);
		ck_assert_int_eq(r->begin, VETO_OK);
		ck_assert_msg(strcmp(fx_refusals(&r->rep), "malformed-policy") == 0, "where %d: %s", where,
		              fx_refusals(&r->rep));
		ck_assert_str_eq(fx_notices(&r->rep), "");
		ck_assert_int_eq(r->finish, VETO_REFUSED);
		ck_assert_int_eq(r->dig.has_sha256, 0);
	}
}
END_TEST

START_TEST(bad_key_policy_refused_by_preflight)
{
	const char *upd = fx_default_update_env();
	for (int where = 0; where < FX_BAD_KEY_PLACES; where++) {
		const char *penv = bad_key_policy_env(where, _i);
		fx_run *r = fx_run_new(NULL);
		ck_assert_int_eq(veto_preflight_begin(&r->c, &r->rep, NULL, (const uint8_t *)penv, strlen(penv),
		                                      (const uint8_t *)upd, strlen(upd), fx_now()),
		                 VETO_OK);
		ck_assert_int_eq(veto_check_finish(r->c, NULL), VETO_REFUSED);
		ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
	}
}
END_TEST

/* In a batch, after a good policy with the same good keys: the key cache
 * does not let the bad key through, in either order of a second round. */
START_TEST(bad_key_policy_refused_in_batch_after_good_one)
{
	const char *upd = fx_default_update_env();
	const char *good = fx_default_policy_env();
	for (int where = 0; where < FX_BAD_KEY_PLACES; where++) {
		const char *penv = bad_key_policy_env(where, _i);
		veto_preflight *pf = NULL;
		ck_assert_int_eq(veto_preflight_new(&pf, NULL, (const uint8_t *)upd, strlen(upd)), VETO_OK);
		for (int round = 0; round < 2; round++) {
			fx_run *r = fx_run_new(NULL);
			ck_assert_int_eq(veto_preflight_check(&r->c, &r->rep, pf, (const uint8_t *)good, strlen(good),
			                                      fx_now()),
			                 VETO_OK);
			ck_assert_int_eq(veto_check_finish(r->c, NULL), VETO_OK);
			r = fx_run_new(NULL);
			ck_assert_int_eq(veto_preflight_check(&r->c, &r->rep, pf, (const uint8_t *)penv, strlen(penv),
			                                      fx_now()),
			                 VETO_OK);
			ck_assert_int_eq(veto_check_finish(r->c, NULL), VETO_REFUSED);
			ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
			veto_check_free(r->c);
			r->c = NULL;
		}
		veto_preflight_free(pf);
	}
}
END_TEST

/* Beside a fault of the update envelope, both are reported. */
START_TEST(bad_key_policy_reported_beside_update_envelope_fault)
{
	for (int where = 0; where < FX_BAD_KEY_PLACES; where++) {
		const char *penv = bad_key_policy_env(where, _i);
		fx_run *r = fx_decide(fx_state0(), penv, "{\"payloadType\": 1}", 1);
		ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy,malformed-update");
		r = fx_decide(fx_state0(), penv, fx_default_policy_env(), 1);
		ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy,update-type");
	}
}
END_TEST

/* An update with faults of its own is not judged, signed by its vendor or
 * by nobody the policy trusts. */
START_TEST(bad_key_policy_hides_update_faults)
{
	fx_update u;
	fx_update_init(&u);
	u.model = "thermo-9";
	u.counter = 2;
	for (int where = 0; where < FX_BAD_KEY_PLACES; where++) {
		const char *penv = bad_key_policy_env(where, _i);
		fx_run *r = fx_decide(fx_state0(), penv, FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR), 1);
		ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
		ck_assert_str_eq(fx_notices(&r->rep), "");
		r = fx_decide(fx_state0(), penv, FX_UPDATE_ENV(fx_update_text(&u), K_OTHER), 1);
		ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
	}
}
END_TEST

/* The chain's second link: the default policy at serial 2. */
static const char *good_second_link(void)
{
	fx_policy p2;
	fx_policy_init(&p2);
	p2.serial = 2;
	return FX_POLICY_ENV(fx_policy_text(&p2), K_OWNER);
}

START_TEST(bad_key_policy_first_in_chain)
{
	const char *upd = fx_default_update_env();
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	for (int where = 0; where < FX_BAD_KEY_PLACES; where++) {
		const char *chain[2] = {bad_key_policy_env(where, _i), good_second_link()};
		fx_run *r = fx_decide_ex(NULL, fx_state0(), chain, 2, upd, img, len, 0, fx_now());
		ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
		ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_MALFORMED_POLICY, 0)->index, 1);
	}
}
END_TEST

/* Last in the chain; and, as the control, the same chain with a good last
 * link is accepted. */
START_TEST(bad_key_policy_last_in_chain)
{
	const char *upd = fx_default_update_env();
	size_t len = 0;
	const uint8_t *img = fx_image(&len);
	for (int where = 0; where < FX_BAD_KEY_PLACES; where++) {
		const char *text = fx_policy_with_bad_key(where, tw_bad_keys[_i].hex);
		const char *chain[2] = {fx_default_policy_env(),
		                        FX_POLICY_ENV(fx_replace(text, "\"serial\": 1", "\"serial\": 2"), K_OWNER)};
		fx_run *r = fx_decide_ex(NULL, fx_state0(), chain, 2, upd, img, len, 0, fx_now());
		ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
		ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_MALFORMED_POLICY, 0)->index, 2);
		chain[1] = good_second_link();
		r = fx_decide_ex(NULL, fx_state0(), chain, 2, upd, img, len, 0, fx_now());
		ck_assert_str_eq(fx_refusals(&r->rep), "");
	}
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("decide");
	TCase *hard = fx_tcase("verdict");
	tcase_add_loop_test(hard, verdict_second_reading_compares_digests, 0, 32);
	tcase_add_test(hard, verdict_second_reading_compares_size);
	tcase_add_loop_test(hard, verdict_second_reading_rereads_trust, 0, 2);
	tcase_add_loop_test(hard, verdict_words_checked_at_commit, 0, 64);
	tcase_add_loop_test(hard, verdict_refusal_stays_refusal, 0, 32);
	suite_add_tcase(s, hard);
	TCase *tc = fx_tcase("codes");
	tcase_add_loop_test(tc, scenario_table, 0, (int)(sizeof(scens) / sizeof(scens[0])));
	suite_add_tcase(s, tc);
	tc = fx_tcase("details");
	tcase_add_test(tc, cosignature_details);
	tcase_add_test(tc, vendor_threshold);
	tcase_add_test(tc, key_in_two_roles);
	tcase_add_test(tc, invalid_signatures_never_count);
	tcase_add_test(tc, rollback_details);
	tcase_add_test(tc, feature_details);
	tcase_add_test(tc, feature_dropped_details);
	tcase_add_test(tc, digest_and_size_details);
	suite_add_tcase(s, tc);
	tc = fx_tcase("untrusted");
	tcase_add_test(tc, untrusted_policy_stops_evaluation);
	tcase_add_test(tc, untrusted_policy_and_update_envelope);
	tcase_add_test(tc, malformed_and_type_update);
	tcase_add_test(tc, update_limits);
	tcase_add_test(tc, stored_policy_governs);
	tcase_add_test(tc, vendor_waiver_policy_malformed);
	tcase_add_test(tc, no_policy);
	tcase_add_loop_test(tc, bad_key_policy_refused_by_check, 0, TW_BAD_KEY_COUNT);
	tcase_add_loop_test(tc, bad_key_policy_refused_by_preflight, 0, TW_BAD_KEY_COUNT);
	tcase_add_loop_test(tc, bad_key_policy_refused_in_batch_after_good_one, 0, TW_BAD_KEY_COUNT);
	tcase_add_loop_test(tc, bad_key_policy_reported_beside_update_envelope_fault, 0, TW_BAD_KEY_COUNT);
	tcase_add_loop_test(tc, bad_key_policy_hides_update_faults, 0, TW_BAD_KEY_COUNT);
	tcase_add_loop_test(tc, bad_key_policy_first_in_chain, 0, TW_BAD_KEY_COUNT);
	tcase_add_loop_test(tc, bad_key_policy_last_in_chain, 0, TW_BAD_KEY_COUNT);
	suite_add_tcase(s, tc);
	tc = fx_tcase("image");
	tcase_add_test(tc, chunked_same_digests);
	tcase_add_test(tc, zero_length_chunks);
	tcase_add_test(tc, image_stops_past_size);
	tcase_add_test(tc, image_after_stop_changes_nothing);
	tcase_add_test(tc, image_not_wanted_when_untrusted);
	tcase_add_test(tc, image_wanted_to_its_end);
	tcase_add_test(tc, sha256_engine_used);
	tcase_add_test(tc, sha256_engine_lifecycle);
	suite_add_tcase(s, tc);
	tc = fx_tcase("api");
	tcase_add_test(tc, begin_arguments);
	tcase_add_test(tc, threads_decide_at_once);
	tcase_add_test(tc, preflight);
	suite_add_tcase(s, tc);
	return s;
}
