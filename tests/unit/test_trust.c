/* SPDX-License-Identifier: Apache-2.0 */
/* trust.c: trusting policies against the anchor or the stored policy
 * (SPEC section 5: rotation, rollback, equivocation, expiry, device). */
#include <string.h>

#include "bad_keys.h"
#include "fixture.h"

/* A policy of the given serial whose owner role is `owners` (threshold
 * thr), signed by `signers`. */
static const char *policy_env(uint64_t serial, const int *owners, size_t n_owners, unsigned thr,
                              const int *signers, size_t n_signers)
{
	fx_policy p;
	fx_policy_init(&p);
	p.serial = serial;
	fx_role_set(&p, "owner", thr, owners, n_owners);
	return fx_env_keys(VETO_TYPE_POLICY, fx_policy_text(&p), signers, n_signers);
}

#define KEYS(...) (const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int)

static fx_run *trust1(veto_state **out, const veto_state *s, const char *pol, int64_t now)
{
	const char *p[1] = {pol};
	return fx_trust(out, s, p, 1, now);
}

static void assert_sig_reason(const veto_reason *x, unsigned index, uint64_t have, uint64_t need)
{
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->role, "owner");
	ck_assert_int_eq(x->has_counts, 1);
	ck_assert_uint_eq(x->have, have);
	ck_assert_uint_eq(x->need, need);
	ck_assert_uint_eq(x->index, index);
}

/* ---- the first policy, against the anchor -------------------------------- */

START_TEST(first_policy_trusted)
{
	veto_state *out;
	uint64_t serial = 0;
	veto_state *s = fx_state0();
	ck_assert_int_eq(veto_state_policy_serial(s, &serial), 0);
	fx_run *r = trust1(&out, s, policy_env(3, KEYS(K_OWNER), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_int_eq(veto_state_policy_serial(out, &serial), 1);
	ck_assert_uint_eq(serial, 3);
	/* what runs now is carried over */
	ck_assert_uint_eq(veto_state_security_counter(out), 41);
	ck_assert_uint_eq(veto_state_feature_count(out), 3);
	ck_assert_str_eq(veto_state_feature(out, 1), "works-with-nest@1.2");
	ck_assert_str_eq(veto_state_vendor(out), "acme");
	ck_assert_str_eq(veto_state_model(out), "thermo-2");
	/* the input state is unchanged */
	ck_assert_int_eq(veto_state_policy_serial(s, NULL), 0);
}
END_TEST

START_TEST(policy_signature_untrusted_key)
{
	veto_state *out;
	veto_state *s = fx_state0();
	fx_run *r = trust1(&out, s, policy_env(1, KEYS(K_OWNER), 1, KEYS(K_OTHER)), fx_now());
	ck_assert_int_eq(r->finish, VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
	assert_sig_reason(fx_reason(&r->rep, VETO_R_POLICY_SIGNATURE, 0), 1, 0, 1);
	/* close: an extra unknown signer does no harm */
	r = trust1(&out, s, policy_env(1, KEYS(K_OWNER), 1, KEYS(K_OTHER, K_OWNER)), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	/* no signature at all */
	fx_policy p;
	fx_policy_init(&p);
	r = trust1(&out, s, fx_envelope(VETO_TYPE_POLICY, fx_policy_text(&p), NULL, 0), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
}
END_TEST

/* An unverified policy payload is never read: a malformed payload signed by
 * a stranger is a signature problem only. */
START_TEST(unverified_payload_not_read)
{
	veto_state *out;
	veto_state *s = fx_state0();
	fx_run *r = trust1(&out, s, FX_POLICY_ENV("{\"format\": \"nonsense\"}", K_OTHER), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
	/* the same payload signed by the owner is read, and malformed */
	r = trust1(&out, s, FX_POLICY_ENV("{\"format\": \"nonsense\"}", K_OWNER), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_MALFORMED_POLICY, 0)->index, 1);
	ck_assert(fx_reason(&r->rep, VETO_R_MALFORMED_POLICY, 0)->detail[0] != '\0');
}
END_TEST

START_TEST(anchor_threshold)
{
	veto_state *out;
	veto_state *s = fx_state_from(fx_anchor_text("acme", "thermo-2", 2, KEYS(K_OWNER, K_OWNER2, K_OWNER3)),
	                              0, "");
	/* one of two */
	fx_run *r = trust1(&out, s, policy_env(1, KEYS(K_OWNER), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
	assert_sig_reason(fx_reason(&r->rep, VETO_R_POLICY_SIGNATURE, 0), 1, 1, 2);
	/* one key signing twice still counts once */
	fx_policy p;
	fx_policy_init(&p);
	fx_role_set(&p, "owner", 1, KEYS(K_OWNER));
	r = trust1(&out, s, FX_POLICY_ENV(fx_policy_text(&p), K_OWNER, K_OWNER), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
	assert_sig_reason(fx_reason(&r->rep, VETO_R_POLICY_SIGNATURE, 0), 1, 1, 2);
	/* two of three */
	r = trust1(&out, s, policy_env(1, KEYS(K_OWNER), 1, KEYS(K_OWNER, K_OWNER3)), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	/* a corrupted second signature does not count */
	fx_sig sigs[2];
	const char *text = fx_policy_text(&p);
	fx_sig_by(&sigs[0], K_OWNER, VETO_TYPE_POLICY, text);
	fx_sig_by(&sigs[1], K_OWNER2, VETO_TYPE_POLICY, text);
	sigs[1].sig[0] ^= 0x40;
	r = trust1(&out, s, fx_envelope(VETO_TYPE_POLICY, text, sigs, 2), fx_now());
	assert_sig_reason(fx_reason(&r->rep, VETO_R_POLICY_SIGNATURE, 0), 1, 1, 2);
	/* a signature over another payload does not count */
	fx_sig_by(&sigs[1], K_OWNER2, VETO_TYPE_POLICY, fx_replace(text, "\"serial\": 1", "\"serial\": 2"));
	r = trust1(&out, s, fx_envelope(VETO_TYPE_POLICY, text, sigs, 2), fx_now());
	assert_sig_reason(fx_reason(&r->rep, VETO_R_POLICY_SIGNATURE, 0), 1, 1, 2);
}
END_TEST

/* ---- rotation ------------------------------------------------------------ */

START_TEST(rotation)
{
	veto_state *v1, *out;
	veto_state *s = fx_state0();
	fx_run *r = trust1(&v1, s, policy_env(1, KEYS(K_OWNER), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	/* signed by old and new owner: trusted */
	r = trust1(&out, v1, policy_env(2, KEYS(K_OWNER2), 1, KEYS(K_OWNER, K_OWNER2)), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	veto_state *v2 = out;
	/* by the new owner only: the trusted owner has not agreed */
	r = trust1(&out, v1, policy_env(2, KEYS(K_OWNER2), 1, KEYS(K_OWNER2)), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
	assert_sig_reason(fx_reason(&r->rep, VETO_R_POLICY_SIGNATURE, 0), 1, 0, 1);
	/* by the old owner only: the new keys have not proved they are held */
	r = trust1(&out, v1, policy_env(2, KEYS(K_OWNER2), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-new-owner-signature");
	assert_sig_reason(fx_reason(&r->rep, VETO_R_POLICY_NEW_OWNER_SIGNATURE, 0), 1, 0, 1);
	/* new owner role 2-of-2 with one of them signing */
	r = trust1(&out, v1, policy_env(2, KEYS(K_OWNER, K_OWNER2), 2, KEYS(K_OWNER)), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-new-owner-signature");
	assert_sig_reason(fx_reason(&r->rep, VETO_R_POLICY_NEW_OWNER_SIGNATURE, 0), 1, 1, 2);
	/* after the rotation the old key alone no longer governs */
	r = trust1(&out, v2, policy_env(3, KEYS(K_OWNER), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
	r = trust1(&out, v2, policy_env(3, KEYS(K_OWNER2), 1, KEYS(K_OWNER2)), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
}
END_TEST

/* ---- chains --------------------------------------------------------------- */

static const char *chain_policy(uint64_t serial, const char *expires, const int *owners, size_t n,
                                const int *signers, size_t ns)
{
	fx_policy p;
	fx_policy_init(&p);
	p.serial = serial;
	p.expires = expires;
	fx_role_set(&p, "owner", 1, owners, n);
	return fx_env_keys(VETO_TYPE_POLICY, fx_policy_text(&p), signers, ns);
}

START_TEST(chain_only_last_unexpired)
{
	veto_state *out;
	uint64_t serial = 0;
	veto_state *s = fx_state0();
	const char *old = "2025-01-01T00:00:00Z", *later = "2028-01-01T00:00:00Z";
	const char *chain[3] = {
	    chain_policy(1, old, KEYS(K_OWNER), KEYS(K_OWNER)),
	    chain_policy(2, old, KEYS(K_OWNER2), KEYS(K_OWNER, K_OWNER2)),
	    chain_policy(3, later, KEYS(K_OWNER3), KEYS(K_OWNER2, K_OWNER3)),
	};
	fx_run *r = fx_trust(&out, s, chain, 3, fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_int_eq(veto_state_policy_serial(out, &serial), 1);
	ck_assert_uint_eq(serial, 3);
	/* the last one expired */
	chain[2] = chain_policy(3, old, KEYS(K_OWNER3), KEYS(K_OWNER2, K_OWNER3));
	r = fx_trust(&out, s, chain, 3, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-expired");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_EXPIRED, 0)->index, 3);
	/* a link skipped: policy 3 does not answer to the anchor's owner */
	const char *skip[2] = {chain[0], chain_policy(3, later, KEYS(K_OWNER3), KEYS(K_OWNER2, K_OWNER3))};
	r = fx_trust(&out, s, skip, 2, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_SIGNATURE, 0)->index, 2);
	/* a broken middle link: all or nothing, and the rest is not looked at */
	const char *broken[3] = {chain[0], chain_policy(2, old, KEYS(K_OWNER2), KEYS(K_OWNER)),
	                         chain_policy(3, "2020-01-01T00:00:00Z", KEYS(K_OWNER3), KEYS(K_OTHER))};
	r = fx_trust(&out, s, broken, 3, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-new-owner-signature");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_NEW_OWNER_SIGNATURE, 0)->index, 2);
	/* every link must be for this device, not only the last */
	fx_policy wd;
	fx_policy_init(&wd);
	wd.model = "thermo-9";
	const char *bad_first[2] = {FX_POLICY_ENV(fx_policy_text(&wd), K_OWNER),
	                            chain_policy(2, later, KEYS(K_OWNER), KEYS(K_OWNER))};
	r = fx_trust(&out, s, bad_first, 2, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-wrong-device");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_WRONG_DEVICE, 0)->index, 1);
	/* in the wrong order */
	const char *swapped[2] = {chain_policy(2, later, KEYS(K_OWNER2), KEYS(K_OWNER, K_OWNER2)),
	                          chain_policy(1, later, KEYS(K_OWNER), KEYS(K_OWNER))};
	r = fx_trust(&out, s, swapped, 2, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_SIGNATURE, 0)->index, 2);
}
END_TEST

START_TEST(chain_from_stored_policy)
{
	veto_state *v1, *out;
	veto_state *s = fx_state0();
	fx_run *r = trust1(&v1, s, policy_env(5, KEYS(K_OWNER2), 1, KEYS(K_OWNER, K_OWNER2)), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	/* the stored policy's owner role governs now, not the anchor's */
	r = trust1(&out, v1, policy_env(6, KEYS(K_OWNER), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-signature");
	const char *chain[2] = {policy_env(6, KEYS(K_OWNER2), 1, KEYS(K_OWNER2)),
	                        policy_env(7, KEYS(K_OWNER3), 1, KEYS(K_OWNER2, K_OWNER3))};
	r = fx_trust(&out, v1, chain, 2, fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	uint64_t serial = 0;
	ck_assert_int_eq(veto_state_policy_serial(out, &serial), 1);
	ck_assert_uint_eq(serial, 7);
}
END_TEST

/* ---- serials ------------------------------------------------------------- */

START_TEST(rollback_and_equivocation)
{
	veto_state *v5, *out;
	uint64_t serial = 0;
	veto_state *s = fx_state0();
	fx_policy p;
	fx_policy_init(&p);
	p.serial = 5;
	const char *text5 = fx_policy_text(&p);
	fx_run *r = trust1(&v5, s, FX_POLICY_ENV(text5, K_OWNER), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	/* lower: rollback */
	r = trust1(&out, v5, policy_env(4, KEYS(K_OWNER), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-rollback");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_ROLLBACK, 0)->index, 1);
	r = trust1(&out, v5, policy_env(0, KEYS(K_OWNER), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-rollback");
	/* higher: fine */
	r = trust1(&out, v5, policy_env(6, KEYS(K_OWNER), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	/* the same serial, byte-identical payload: accepted (even with other signatures) */
	r = trust1(&out, v5, FX_POLICY_ENV(text5, K_OTHER, K_OWNER), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_int_eq(veto_state_policy_serial(out, &serial), 1);
	ck_assert_uint_eq(serial, 5);
	/* the same serial, other payload: equivocation */
	p.protected_features = "[\"local-control\"]";
	r = trust1(&out, v5, FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-equivocation");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_EQUIVOCATION, 0)->index, 1);
	/* ...even when the difference is one byte of white space */
	r = trust1(&out, v5, FX_POLICY_ENV(fx_printf("%s ", text5), K_OWNER), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-equivocation");
	/* within one chain */
	const char *chain[2] = {FX_POLICY_ENV(fx_replace(text5, "\"serial\": 5", "\"serial\": 8"), K_OWNER),
	                        FX_POLICY_ENV(fx_printf("%s\n", fx_replace(text5, "\"serial\": 5", "\"serial\": 8")),
	                                      K_OWNER)};
	r = fx_trust(&out, v5, chain, 2, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-equivocation");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_EQUIVOCATION, 0)->index, 2);
	/* from the anchor there is no serial yet: any serial is fine */
	r = trust1(&out, s, policy_env(0, KEYS(K_OWNER), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
}
END_TEST

/* ---- expiry -------------------------------------------------------------- */

START_TEST(expiry_boundary)
{
	veto_state *out;
	veto_state *s = fx_state0();
	const char *pol = fx_default_policy_env(); /* expires 2027-11-21T00:00:00Z */
	int64_t exp = fx_time("2027-11-21T00:00:00Z");
	fx_run *r = trust1(&out, s, pol, exp - 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	r = trust1(&out, s, pol, exp);
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-expired");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_EXPIRED, 0)->index, 1);
	r = trust1(&out, s, pol, exp + 86400 * 365);
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-expired");
	/* expires: null never expires */
	fx_policy p;
	fx_policy_init(&p);
	p.expires = NULL;
	const char *forever = FX_POLICY_ENV(fx_policy_text(&p), K_OWNER);
	r = trust1(&out, s, forever, fx_time("9999-12-31T23:59:59Z"));
	ck_assert_int_eq(r->finish, VETO_OK);
	r = trust1(&out, s, forever, INT64_MAX);
	ck_assert_int_eq(r->finish, VETO_OK);
}
END_TEST

/* ---- device, type, malformed --------------------------------------------- */

START_TEST(wrong_device)
{
	veto_state *out;
	veto_state *s = fx_state0();
	const char *cases[][2] = {{"acme", "thermo-3"}, {"acme2", "thermo-2"}, {"thermo-2", "acme"}};
	for (size_t i = 0; i < 3; i++) {
		fx_policy p;
		fx_policy_init(&p);
		p.vendor = cases[i][0];
		p.model = cases[i][1];
		fx_run *r = trust1(&out, s, FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), fx_now());
		ck_assert_str_eq(fx_refusals(&r->rep), "policy-wrong-device");
		ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_WRONG_DEVICE, 0)->index, 1);
	}
	fx_run *r = trust1(&out, s, fx_default_policy_env(), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
}
END_TEST

START_TEST(policy_type)
{
	veto_state *out;
	veto_state *s = fx_state0();
	fx_policy p;
	fx_policy_init(&p);
	const char *text = fx_policy_text(&p);
	const char *types[] = {VETO_TYPE_UPDATE, "application/vnd.veto.policy+JSON",
	                       "application/vnd.veto.policy+json ", "application/json", ""};
	for (size_t i = 0; i < 5; i++) {
		fx_run *r = trust1(&out, s, fx_env_keys(types[i], text, KEYS(K_OWNER)), fx_now());
		ck_assert_msg(strcmp(fx_refusals(&r->rep), "policy-type") == 0, "%s: %s", types[i],
		              fx_refusals(&r->rep));
		ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_POLICY_TYPE, 0)->index, 1);
	}
	/* an update handed in as a policy */
	fx_run *r = trust1(&out, s, fx_default_update_env(), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-type");
}
END_TEST

START_TEST(malformed_policy)
{
	veto_state *out;
	veto_state *s = fx_state0();
	fx_policy p;
	fx_policy_init(&p);
	const char *text = fx_policy_text(&p);
	const char *bad[] = {
	    "",
	    "not json",
	    "{}",
	    fx_printf("%s x", fx_default_policy_env()),
	    fx_replace(fx_default_policy_env(), "\"payloadType\"", "\"payloadtype\""),
	    FX_POLICY_ENV(fx_replace(text, "\"serial\": 1", "\"serial\": 1, \"serial\": 1"), K_OWNER),
	    FX_POLICY_ENV(fx_replace(text, "\"serial\": 1", "\"serial\": -1"), K_OWNER),
	    FX_POLICY_ENV(fx_replace(text, "\"require\": [\"vendor\", \"auditor\"]", "\"require\": [\"auditor\"]"),
	                  K_OWNER),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fx_run *r = trust1(&out, s, bad[i], fx_now());
		ck_assert_msg(strcmp(fx_refusals(&r->rep), "malformed-policy") == 0, "#%zu: %s", i,
		              fx_refusals(&r->rep));
		ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_MALFORMED_POLICY, 0)->index, 1);
	}
	/* a policy above the size limit */
	size_t n = VETO_MAX_ENVELOPE + 1;
	char *big = fx_alloc(n + 1);
	const char *env = fx_default_policy_env();
	memset(big, ' ', n);
	memcpy(big, env, strlen(env));
	fx_run *r = trust1(&out, s, big, fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
}
END_TEST

/* Every failure of one policy is reported, in table order. */
START_TEST(all_failures_reported)
{
	veto_state *v5, *out;
	veto_state *s = fx_state0();
	fx_run *r = trust1(&v5, s, policy_env(5, KEYS(K_OWNER), 1, KEYS(K_OWNER)), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
	fx_policy p;
	fx_policy_init(&p);
	p.serial = 4;
	p.expires = "2026-01-01T00:00:00Z";
	p.model = "thermo-9";
	fx_role_set(&p, "owner", 1, KEYS(K_OWNER2));
	r = trust1(&out, v5, FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep),
	                 "policy-new-owner-signature,policy-rollback,policy-expired,policy-wrong-device");
	for (size_t i = 0; i < r->rep.n_refusals; i++)
		ck_assert_uint_eq(r->rep.refusals[i].index, 1);
	ck_assert_uint_eq(r->rep.n_notices, 0);
}
END_TEST

START_TEST(trust_arguments)
{
	veto_state *out = NULL;
	veto_report rep;
	veto_state *s = fx_state0();
	const char *pol = fx_default_policy_env();
	veto_bytes b = {(const uint8_t *)pol, strlen(pol)};
	veto_bytes nul = {NULL, 0};
	veto_report_init(&rep, NULL);
	ck_assert_int_eq(veto_trust(&out, &rep, NULL, s, &b, 0, fx_now()), VETO_E_ARG);
	ck_assert_int_eq(veto_trust(&out, &rep, NULL, s, NULL, 1, fx_now()), VETO_E_ARG);
	ck_assert_int_eq(veto_trust(&out, &rep, NULL, s, &nul, 1, fx_now()), VETO_E_ARG);
	ck_assert_int_eq(veto_trust(&out, &rep, NULL, NULL, &b, 1, fx_now()), VETO_E_ARG);
	ck_assert_int_eq(veto_trust(&out, NULL, NULL, s, &b, 1, fx_now()), VETO_E_ARG);
	ck_assert_int_eq(veto_trust(NULL, &rep, NULL, s, &b, 1, fx_now()), VETO_E_ARG);
	ck_assert_uint_eq(rep.n_refusals, 0);
	veto_report_clear(&rep);
}
END_TEST

/* ---- malformed keys in a policy that is otherwise trusted ---------------- */

/* The bad keys are the shared list of tests/support/bad_keys.c. */

/* A key nobody signs with must still be checked: in a role, or only in
 * "keys". */
START_TEST(bad_key_in_trusted_policy)
{
	veto_state *out;
	veto_state *s = fx_state0();
	for (int where = 0; where < FX_BAD_KEY_PLACES; where++) {
		const char *text = fx_policy_with_bad_key(where, tw_bad_keys[_i].hex);
		fx_run *r = trust1(&out, s, FX_POLICY_ENV(text, K_OWNER), fx_now());
		ck_assert_msg(strcmp(fx_refusals(&r->rep), "malformed-policy") == 0, "where %d: %s", where,
		              fx_refusals(&r->rep));
		ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_MALFORMED_POLICY, 0)->index, 1);
		/* as the first link of a chain */
		const char *chain[2] = {FX_POLICY_ENV(text, K_OWNER), policy_env(2, KEYS(K_OWNER), 1, KEYS(K_OWNER))};
		r = fx_trust(&out, s, chain, 2, fx_now());
		ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
		ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_MALFORMED_POLICY, 0)->index, 1);
		/* as the last */
		chain[0] = policy_env(1, KEYS(K_OWNER), 1, KEYS(K_OWNER));
		chain[1] = FX_POLICY_ENV(fx_replace(text, "\"serial\": 1", "\"serial\": 2"), K_OWNER);
		r = fx_trust(&out, s, chain, 2, fx_now());
		ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
		ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_MALFORMED_POLICY, 0)->index, 2);
	}
}
END_TEST

/* A policy with a bad key and other faults: it is malformed, and its
 * other conditions (read from a malformed document) are not reported. */
START_TEST(bad_key_with_other_faults)
{
	veto_state *out;
	veto_state *s = fx_state0();
	fx_policy p;
	fx_policy_init(&p);
	p.expires = "2026-01-01T00:00:00Z";
	p.model = "thermo-9";
	const char *text = fx_with_bad_key(fx_policy_text(&p), K_AUD3, tw_bad_keys[0].hex);
	fx_run *r = trust1(&out, s, FX_POLICY_ENV(text, K_OWNER), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
	r = fx_decide(s, FX_POLICY_ENV(text, K_OWNER), fx_default_update_env(), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
	/* close: the good keys give the two faults */
	r = trust1(&out, s, FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-expired,policy-wrong-device");
}
END_TEST

/* A bad owner key in the new policy: the signature by the good one does
 * not make the set well formed. */
START_TEST(bad_key_in_owner_role)
{
	veto_state *out;
	veto_state *s = fx_state0();
	fx_policy p;
	fx_policy_init(&p);
	FX_ROLE(&p, "owner", 1, K_OWNER, K_OWNER2);
	const char *text = fx_with_bad_key(fx_policy_text(&p), K_OWNER2, tw_bad_keys[_i].hex);
	fx_run *r = trust1(&out, s, FX_POLICY_ENV(text, K_OWNER), fx_now());
	ck_assert_str_eq(fx_refusals(&r->rep), "malformed-policy");
	/* close: the same policy with the good key */
	r = trust1(&out, s, FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), fx_now());
	ck_assert_int_eq(r->finish, VETO_OK);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("trust");
	TCase *tc = fx_tcase("signatures");
	tcase_add_test(tc, first_policy_trusted);
	tcase_add_test(tc, policy_signature_untrusted_key);
	tcase_add_test(tc, unverified_payload_not_read);
	tcase_add_test(tc, anchor_threshold);
	tcase_add_test(tc, rotation);
	suite_add_tcase(s, tc);
	tc = fx_tcase("chain");
	tcase_add_test(tc, chain_only_last_unexpired);
	tcase_add_test(tc, chain_from_stored_policy);
	tcase_add_test(tc, rollback_and_equivocation);
	tcase_add_test(tc, expiry_boundary);
	suite_add_tcase(s, tc);
	tc = fx_tcase("checks");
	tcase_add_test(tc, wrong_device);
	tcase_add_test(tc, policy_type);
	tcase_add_test(tc, malformed_policy);
	tcase_add_test(tc, all_failures_reported);
	tcase_add_test(tc, trust_arguments);
	tcase_add_loop_test(tc, bad_key_in_trusted_policy, 0, TW_BAD_KEY_COUNT);
	tcase_add_test(tc, bad_key_with_other_faults);
	tcase_add_loop_test(tc, bad_key_in_owner_role, 0, TW_BAD_KEY_COUNT);
	suite_add_tcase(s, tc);
	return s;
}
