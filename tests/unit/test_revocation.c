/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) Revocations through the public API (SPEC 5.3, 7, 8): each
 * revocation-invalid detail beside a close case that is accepted, a thief
 * that can revoke only its own key, owner keys that cannot be revoked, the
 * order of revocations, reinstate and dropped roles, the per-role limits,
 * rotation, update-revoked and key-revoked, what check, trust and commit
 * store, and the state document that keeps them. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fixture.h"

#define ISSUED "2026-05-01T00:00:00Z"
#define BOTH "[\"auditor\", \"vendor\"]"

/* ---- documents ----------------------------------------------------------- */

/* p as a veto.policy/1.1 (issued, revocation_roles, extra) signed by the
 * given owner keys. */
static char *policy_of(fx_policy *p, const char *roles, const char *extra, const int *owners,
                       size_t n_owners)
{
	p->extra = fx_printf(", \"issued\": \"%s\", \"revocation_roles\": %s%s", ISSUED, roles, extra);
	char *text = fx_replace(fx_policy_text(p), "\"veto.policy/1\"", "\"veto.policy/1.1\"");
	return fx_env_keys(VETO_TYPE_POLICY, text, owners, n_owners);
}

/* The world of this suite: owner [owner] 1, vendor [vendor, vendor2] 1,
 * auditor [aud1, aud2, aud3] 2; vendor and auditor required; serial as
 * given; signed by owner. */
static char *policy(uint64_t serial, const char *roles, const char *extra)
{
	fx_policy p;
	fx_policy_init(&p);
	p.serial = serial;
	FX_ROLE(&p, "vendor", 1, K_VENDOR, K_VENDOR2);
	const int owner[] = {K_OWNER};
	return policy_of(&p, roles, extra, owner, 1);
}

static const char *sha_hex(const char *text)
{
	uint8_t h[32];
	crypto_hash_sha256(h, (const uint8_t *)text, strlen(text));
	return fx_hex(h, 32);
}

/* A digest that stands for nothing: number i. */
static const char *digest(unsigned i)
{
	return sha_hex(fx_printf("digest %u", i));
}

static const char *kid(int key)
{
	return fx_key_get(key)->keyid;
}

/* ["a", "b", ...] of n texts. */
static char *list_of(const char *const *items, size_t n)
{
	char *s = fx_printf("[");
	for (size_t i = 0; i < n; i++)
		s = fx_printf("%s%s\"%s\"", s, i ? ", " : "", items[i]);
	return fx_printf("%s]", s);
}
#define LIST(...)                                                                          \
	list_of((const char *const[]){__VA_ARGS__},                                          \
	        sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* The digests of numbers [from, to). */
static char *digests(unsigned from, unsigned to)
{
	const char **items = fx_alloc((to - from + 1) * sizeof(*items));
	for (unsigned i = from; i < to; i++)
		items[i - from] = digest(i);
	return list_of(items, to - from);
}

static char *rev_text(const char *model, const char *role, const char *updates, const char *keys)
{
	return fx_printf("{\"format\": \"veto.revocation/1\", \"device\": {\"vendor\": \"acme\", "
	                 "\"model\": \"%s\"}, \"role\": \"%s\", \"updates\": %s, \"keys\": %s}",
	                 model, role, updates, keys);
}

/* A revocation of acme/thermo-2 signed by the given keys. */
#define REV(role, updates, keys, ...)                                                      \
	fx_env_keys(VETO_TYPE_REVOCATION, rev_text("thermo-2", (role), (updates), (keys)),       \
	            (const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

/* The default update (counter 42), signed by the given keys. */
static char *update_text(void)
{
	fx_update u;
	fx_update_init(&u);
	u.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\"]";
	return fx_update_text(&u);
}
#define UPDATE(...) FX_UPDATE_ENV(update_text(), __VA_ARGS__)

/* The SHA-256 of the update payload, which update-revoked names. */
static const char *update_sha(void)
{
	return sha_hex(update_text());
}

/* ---- calls ------------------------------------------------------------------- */

#define REVS(...)                                                                          \
	(const char *const[]){__VA_ARGS__},                                                  \
	    sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)
#define NO_REVS NULL, 0

static veto_bytes *bytes_of(const char *const *docs, size_t n)
{
	veto_bytes *b = fx_alloc((n ? n : 1) * sizeof(*b));
	for (size_t i = 0; i < n; i++)
		b[i] = (veto_bytes){(const uint8_t *)docs[i], strlen(docs[i])};
	return b;
}

/* veto_trust_at with a chain of policies and the revocations; the new
 * state (kept by the arena) in *out, the status in r->finish. */
static fx_run *trust_chain(veto_state **out, const veto_state *s, const char *const *pols,
                           size_t n_pols, const char *const *revs, size_t n)
{
	fx_run *r = fx_run_new(NULL);
	veto_when when = {.now = fx_now(), .revocations = n ? bytes_of(revs, n) : NULL,
	                  .n_revocations = n};
	*out = NULL;
	r->begin = r->finish = veto_trust_at(out, &r->rep, NULL, s,
	                                     n_pols ? bytes_of(pols, n_pols) : NULL, n_pols, &when);
	if (*out != NULL)
		fx_keep_state(*out);
	return r;
}

/* The same with one policy (NULL: none). */
static fx_run *trust_at(veto_state **out, const veto_state *s, const char *pol,
                        const char *const *revs, size_t n)
{
	return trust_chain(out, s, &pol, pol ? 1 : 0, revs, n);
}

/* The state trust_at gives, asserting it gives one with no refusal. */
static veto_state *stored(const veto_state *s, const char *pol, const char *const *revs, size_t n)
{
	veto_state *out;
	fx_run *r = trust_at(&out, s, pol, revs, n);
	ck_assert_msg(r->finish == VETO_OK, "trust: %s [%s] +%s", veto_status_name(r->finish),
	              fx_refusals(&r->rep), fx_notices(&r->rep));
	return out;
}

/* A decision on update with a chain of policies (none: the stored one
 * governs) and the revocations, with the test image when with_image. */
static fx_run *check_chain(const veto_state *s, const char *const *pols, size_t n_pols,
                           const char *const *revs, size_t n, const char *update, int with_image)
{
	fx_run *r = fx_run_new(NULL);
	veto_when when = {.now = fx_now(), .revocations = n ? bytes_of(revs, n) : NULL,
	                  .n_revocations = n};
	r->begin = veto_check_begin_at(&r->c, &r->rep, NULL, s, n_pols ? bytes_of(pols, n_pols) : NULL,
	                               n_pols, (const uint8_t *)update, strlen(update), &when);
	r->finish = r->begin;
	if (r->begin != VETO_OK)
		return r;
	size_t len;
	const uint8_t *img = fx_image(&len);
	if (with_image)
		ck_assert_int_eq(veto_check_image(r->c, img, len), VETO_OK);
	r->finish = veto_check_finish(r->c, &r->dig);
	return r;
}

/* The same with one policy (NULL: none). */
static fx_run *check_at(const veto_state *s, const char *pol, const char *const *revs, size_t n,
                        const char *update, int with_image)
{
	return check_chain(s, &pol, pol ? 1 : 0, revs, n, update, with_image);
}

static char *format_of(const veto_state *s)
{
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(veto_state_format(&out, &len, s), VETO_OK);
	char *copy = fx_printf("%s", out);
	veto_free(NULL, out);
	return copy;
}

/* The stored revocations in one line: "role: updates [...] keys [...]; ...",
 * each digest and keyid in full, in the state's order. */
static const char *revs_of(const veto_state *s)
{
	char *out = fx_printf("%s", "");
	for (size_t r = 0; r < veto_state_revocation_roles(s); r++) {
		const char **u = fx_alloc((veto_state_revoked_update_count(s, r) + 1) * sizeof(*u));
		const char **k = fx_alloc((veto_state_revoked_key_count(s, r) + 1) * sizeof(*k));
		for (size_t j = 0; j < veto_state_revoked_update_count(s, r); j++)
			u[j] = fx_hex(veto_state_revoked_update(s, r, j), 32);
		for (size_t j = 0; j < veto_state_revoked_key_count(s, r); j++)
			k[j] = veto_state_revoked_key(s, r, j);
		out = fx_printf("%s%s%s: updates %s keys %s", out, r ? "; " : "",
		                veto_state_revocation_role(s, r),
		                list_of(u, veto_state_revoked_update_count(s, r)),
		                list_of(k, veto_state_revoked_key_count(s, r)));
	}
	return out;
}

/* The one revocation-invalid notice of r: its index and detail. */
static void assert_invalid(const fx_run *r, unsigned index, const char *detail)
{
	ck_assert_str_eq(fx_notices(&r->rep), "revocation-invalid");
	const veto_reason *x = fx_reason(&r->rep, VETO_N_REVOCATION_INVALID, 0);
	ck_assert_uint_eq(x->index, index);
	ck_assert_str_eq(x->detail, detail);
}

/* The state of the suite: enrolled, the default policy (revocation roles
 * auditor and vendor) trusted. */
static veto_state *state1(void)
{
	return fx_trusted(fx_state0(), policy(1, BOTH, ""), fx_now());
}

/* Among r's notices, exactly one revocation-invalid, with this index and
 * detail. */
static void assert_one_invalid(const fx_run *r, unsigned index, const char *detail)
{
	const veto_reason *x = fx_reason(&r->rep, VETO_N_REVOCATION_INVALID, 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_null(fx_reason(&r->rep, VETO_N_REVOCATION_INVALID, 1));
	ck_assert_uint_eq(x->index, index);
	ck_assert_str_eq(x->detail, detail);
}

/* Each revocation-invalid detail: bad beside its close valid variant,
 * handed to trust together in both orders (the notice names bad's place)
 * and to a check.  Only the valid one is stored, under the role it names. */
static void invalid_beside_valid(const char *bad, const char *detail, const char *good,
                                 const char *role, const char *good_revs)
{
	veto_state *out;
	fx_run *r = trust_at(&out, state1(), NULL, REVS(bad, good));
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	assert_invalid(r, 1, detail);
	ck_assert_str_eq(revs_of(out), fx_printf("%s: %s", role, good_revs));
	r = trust_at(&out, state1(), NULL, REVS(good, bad));
	assert_invalid(r, 2, detail);
	ck_assert_str_eq(revs_of(out), fx_printf("%s: %s", role, good_revs));
	r = check_at(state1(), NULL, REVS(bad, good), UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	assert_one_invalid(r, 1, detail);
}

/* ---- revocation-invalid, one detail at a time --------------------------------- */

START_TEST(invalid_malformed)
{
	const char *good = REV("auditor", LIST(digest(1)), "[]", K_AUD1, K_AUD2);
	const char *want = fx_printf("updates %s keys []", LIST(digest(1)));
	invalid_beside_valid("{\"not\": \"an envelope\"}", "malformed", good, "auditor", want);
	invalid_beside_valid(fx_replace(good, "\"payloadType\"", "\"payloadtype\""), "malformed", good,
	                     "auditor", want);
	/* signed by the auditors, so it is read: an unknown member, a keyid
	 * that is not one */
	char *text = fx_replace(rev_text("thermo-2", "auditor", LIST(digest(1)), "[]"), "\"keys\": []",
	                  "\"keys\": [], \"reason\": \"stolen\"");
	const int auds[] = {K_AUD1, K_AUD2};
	invalid_beside_valid(fx_env_keys(VETO_TYPE_REVOCATION, text, auds, 2), "malformed", good,
	                     "auditor", want);
	invalid_beside_valid(REV("auditor", "[]", "[\"ABC\"]", K_AUD1, K_AUD2), "malformed", good,
	                     "auditor", want);
	invalid_beside_valid(REV("auditor", LIST(digest(1), digest(1)), "[]", K_AUD1, K_AUD2),
	                     "malformed", good, "auditor", want);
}
END_TEST

START_TEST(invalid_type)
{
	const char *good = REV("auditor", LIST(digest(2)), "[]", K_AUD1, K_AUD2);
	const char *want = fx_printf("updates %s keys []", LIST(digest(2)));
	/* a policy and an update are never revocations, however signed */
	invalid_beside_valid(policy(1, BOTH, ""), "type", good, "auditor", want);
	invalid_beside_valid(UPDATE(K_VENDOR, K_AUD1, K_AUD2), "type", good, "auditor", want);
	const int auds[] = {K_AUD1, K_AUD2};
	invalid_beside_valid(fx_env_keys(VETO_TYPE_UPDATE, rev_text("thermo-2", "auditor",
	                                                            LIST(digest(2)), "[]"),
	                                 auds, 2),
	                     "type", good, "auditor", want);
}
END_TEST

START_TEST(invalid_untrusted)
{
	const char *good = REV("auditor", LIST(digest(3)), "[]", K_AUD1, K_AUD2);
	const char *want = fx_printf("updates %s keys []", LIST(digest(3)));
	/* a key of no role; a key of a role outside revocation_roles (owner);
	 * a signature that does not verify (made over another payload) */
	invalid_beside_valid(REV("auditor", LIST(digest(3)), "[]", K_OTHER), "untrusted", good,
	                     "auditor", want);
	invalid_beside_valid(REV("auditor", LIST(digest(3)), "[]", K_OWNER), "untrusted", good,
	                     "auditor", want);
	fx_sig sig;
	fx_sig_by(&sig, K_AUD1, VETO_TYPE_REVOCATION, "{}");
	const char *forged = fx_envelope(VETO_TYPE_REVOCATION,
	                                 rev_text("thermo-2", "auditor", LIST(digest(3)), "[]"), &sig, 1);
	invalid_beside_valid(forged, "untrusted", good, "auditor", want);
}
END_TEST

START_TEST(invalid_role)
{
	const char *good = REV("auditor", LIST(digest(4)), "[]", K_AUD1, K_AUD2);
	const char *want = fx_printf("updates %s keys []", LIST(digest(4)));
	/* signed by auditors, issued in the name of a role the owner does
	 * not honour, or of none */
	invalid_beside_valid(REV("owner", LIST(digest(4)), "[]", K_AUD1, K_AUD2), "role", good,
	                     "auditor", want);
	invalid_beside_valid(REV("nobody", LIST(digest(4)), "[]", K_AUD1, K_AUD2), "role", good,
	                     "auditor", want);
	/* under a policy that honours only the auditors, a revocation in the
	 * vendor's name signed by auditors is read and refused (role); signed
	 * by the vendor it is not even read (untrusted) */
	veto_state *s = fx_trusted(fx_state0(), policy(1, "[\"auditor\"]", ""), fx_now());
	veto_state *out;
	fx_run *r = trust_at(&out, s, NULL,
	                     REVS(REV("vendor", LIST(digest(4)), "[]", K_AUD1, K_AUD2), good));
	assert_invalid(r, 1, "role");
	ck_assert_str_eq(revs_of(out), fx_printf("auditor: %s", want));
	r = trust_at(&out, s, NULL, REVS(REV("vendor", LIST(digest(4)), "[]", K_VENDOR), good));
	assert_invalid(r, 1, "untrusted");
}
END_TEST

START_TEST(invalid_device)
{
	const char *good = REV("auditor", LIST(digest(5)), "[]", K_AUD1, K_AUD2);
	const char *want = fx_printf("updates %s keys []", LIST(digest(5)));
	const int auds[] = {K_AUD1, K_AUD2};
	invalid_beside_valid(fx_env_keys(VETO_TYPE_REVOCATION,
	                                 rev_text("thermo-3", "auditor", LIST(digest(5)), "[]"), auds, 2),
	                     "device", good, "auditor", want);
	char *other_vendor = fx_replace(rev_text("thermo-2", "auditor", LIST(digest(5)), "[]"),
	                                "\"acme\"", "\"acme2\"");
	invalid_beside_valid(fx_env_keys(VETO_TYPE_REVOCATION, other_vendor, auds, 2), "device", good,
	                     "auditor", want);
}
END_TEST

START_TEST(invalid_key)
{
	/* the close valid case: aud1 revokes itself, signing with aud2 */
	const char *good = REV("auditor", "[]", LIST(kid(K_AUD1)), K_AUD1, K_AUD2);
	const char *want = fx_printf("updates [] keys %s", LIST(kid(K_AUD1)));
	/* a key of another role, a key in no role, a key of the role that did
	 * not sign (the thief's case, below) */
	invalid_beside_valid(REV("auditor", "[]", LIST(kid(K_VENDOR)), K_AUD1, K_AUD2, K_VENDOR), "key",
	                     good, "auditor", want);
	invalid_beside_valid(REV("auditor", "[]", LIST(kid(K_OTHER)), K_AUD1, K_AUD2, K_OTHER), "key",
	                     good, "auditor", want);
	invalid_beside_valid(REV("auditor", "[]", LIST(kid(K_AUD3)), K_AUD1, K_AUD2), "key", good,
	                     "auditor", want);
	/* one good keyid and one bad: the whole revocation counts for nothing */
	invalid_beside_valid(REV("auditor", LIST(digest(6)), LIST(kid(K_AUD1), kid(K_AUD3)), K_AUD1,
	                         K_AUD2),
	                     "key", good, "auditor", want);
}
END_TEST

START_TEST(invalid_threshold)
{
	const char *good = REV("auditor", LIST(digest(7)), "[]", K_AUD1, K_AUD3);
	const char *want = fx_printf("updates %s keys []", LIST(digest(7)));
	invalid_beside_valid(REV("auditor", LIST(digest(7)), "[]", K_AUD1), "threshold", good,
	                     "auditor", want);
	/* the same key twice counts once */
	invalid_beside_valid(REV("auditor", LIST(digest(7)), "[]", K_AUD1, K_AUD1), "threshold", good,
	                     "auditor", want);
	/* a key revoked before the command opens nothing and counts for
	 * nothing: aud1 stored as revoked, aud1 + aud2 no longer meet 2 */
	veto_state *s = stored(state1(), NULL, REVS(good, REV("auditor", "[]", LIST(kid(K_AUD1)),
	                                                      K_AUD1, K_AUD2)));
	veto_state *out;
	fx_run *r = trust_at(&out, s, NULL, REVS(REV("auditor", LIST(digest(8)), "[]", K_AUD1, K_AUD2)));
	assert_invalid(r, 1, "threshold");
	r = trust_at(&out, s, NULL, REVS(REV("auditor", LIST(digest(8)), "[]", K_AUD1)));
	assert_invalid(r, 1, "untrusted");
	r = trust_at(&out, s, NULL, REVS(REV("auditor", LIST(digest(8)), "[]", K_AUD2, K_AUD3)));
	ck_assert_str_eq(fx_notices(&r->rep), "");
}
END_TEST

/* ---- who may revoke what -------------------------------------------------------- */

/* A thief holding aud1 cannot revoke its honest peers, even with one of
 * them co-signing something else; aud1's own revocation stands, and then
 * aud1 counts for nothing. */
START_TEST(thief_revokes_only_itself)
{
	const char *thief = REV("auditor", "[]", LIST(kid(K_AUD2), kid(K_AUD3)), K_AUD1, K_AUD3);
	const char *own = REV("auditor", "[]", LIST(kid(K_AUD1)), K_AUD1, K_AUD2);
	veto_state *out;
	fx_run *r = trust_at(&out, state1(), NULL, REVS(thief, own));
	ck_assert_int_eq(r->finish, VETO_OK);
	assert_invalid(r, 1, "key");
	ck_assert_str_eq(revs_of(out), fx_printf("auditor: updates [] keys %s", LIST(kid(K_AUD1))));
	/* the thief's key no longer co-signs; aud2 and aud3 still do */
	r = check_at(out, NULL, NO_REVS, UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing");
	const veto_reason *x = fx_reason(&r->rep, VETO_R_COSIGNATURE_MISSING, 0);
	ck_assert_str_eq(x->role, "auditor");
	ck_assert_uint_eq(x->have, 1);
	ck_assert_uint_eq(x->need, 2);
	ck_assert_str_eq(fx_notices(&r->rep), "key-revoked");
	x = fx_reason(&r->rep, VETO_N_KEY_REVOKED, 0);
	ck_assert_str_eq(x->role, "auditor");
	ck_assert_str_eq(x->detail, kid(K_AUD1));
	r = check_at(out, NULL, NO_REVS, UPDATE(K_VENDOR, K_AUD2, K_AUD3), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_notices(&r->rep), "");
	/* and the thief's signature no longer counts toward a revocation */
	veto_state *later;
	r = trust_at(&later, out, NULL, REVS(REV("auditor", LIST(digest(9)), "[]", K_AUD1, K_AUD2)));
	assert_invalid(r, 1, "threshold");
}
END_TEST

/* A key the owner role holds is never revoked, even when it also serves
 * the issuing role and signs the revocation itself. */
START_TEST(owner_key_never_revoked)
{
	fx_policy p;
	fx_policy_init(&p);
	FX_ROLE(&p, "vendor", 1, K_VENDOR, K_VENDOR2);
	FX_ROLE(&p, "auditor", 2, K_AUD1, K_AUD2, K_OWNER);
	const int owner[] = {K_OWNER};
	veto_state *s = fx_trusted(fx_state0(), policy_of(&p, BOTH, "", owner, 1), fx_now());
	const char *bad = REV("auditor", "[]", LIST(kid(K_OWNER)), K_OWNER, K_AUD1);
	const char *good = REV("auditor", "[]", LIST(kid(K_AUD1)), K_OWNER, K_AUD1);
	veto_state *out;
	fx_run *r = trust_at(&out, s, NULL, REVS(bad, good));
	assert_invalid(r, 1, "key");
	ck_assert_str_eq(revs_of(out), fx_printf("auditor: updates [] keys %s", LIST(kid(K_AUD1))));
	/* the owner keeps its say over the next policy */
	fx_policy q = p;
	q.serial = 2;
	veto_state *next = stored(out, policy_of(&q, BOTH, "", owner, 1), NO_REVS);
	uint64_t serial = 0;
	ck_assert_int_eq(veto_state_policy_serial(next, &serial), 1);
	ck_assert_uint_eq(serial, 2);
}
END_TEST

/* Judged against the keys revoked before the command, never against one
 * another: aud1 revoking itself does not stop aud1's other revocation. */
START_TEST(order_changes_nothing)
{
	const char *self = REV("auditor", "[]", LIST(kid(K_AUD1)), K_AUD1, K_AUD2);
	const char *other = REV("auditor", LIST(digest(11), digest(10)), "[]", K_AUD1, K_AUD3);
	const char *bad = REV("auditor", LIST(digest(12)), "[]", K_AUD1);
	veto_state *a, *b;
	fx_run *ra = trust_at(&a, state1(), NULL, REVS(self, other));
	fx_run *rb = trust_at(&b, state1(), NULL, REVS(other, self));
	ck_assert_int_eq(ra->finish, VETO_OK);
	ck_assert_int_eq(rb->finish, VETO_OK);
	ck_assert_str_eq(format_of(a), format_of(b));
	ck_assert_str_eq(revs_of(a), fx_printf("auditor: updates %s keys %s",
	                                       strcmp(digest(10), digest(11)) < 0
	                                           ? LIST(digest(10), digest(11))
	                                           : LIST(digest(11), digest(10)),
	                                       LIST(kid(K_AUD1))));
	char *ja = NULL, *jb = NULL;
	size_t la, lb;
	ck_assert_int_eq(veto_report_json(&ja, &la, &ra->rep), VETO_OK);
	ck_assert_int_eq(veto_report_json(&jb, &lb, &rb->rep), VETO_OK);
	ck_assert_str_eq(ja, jb);
	veto_free(NULL, ja);
	veto_free(NULL, jb);
	/* in a check too: the same refusals and notices either way */
	fx_run *ca = check_at(state1(), NULL, REVS(self, other, bad), UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	fx_run *cb = check_at(state1(), NULL, REVS(other, self, bad), UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&ca->rep), "cosignature-missing");
	ck_assert_str_eq(fx_refusals(&cb->rep), fx_refusals(&ca->rep));
	ck_assert_str_eq(fx_notices(&ca->rep), "revocation-invalid,key-revoked");
	ck_assert_str_eq(fx_notices(&cb->rep), fx_notices(&ca->rep));
	ck_assert_uint_eq(fx_reason(&ca->rep, VETO_N_REVOCATION_INVALID, 0)->index, 3);
	ck_assert_uint_eq(fx_reason(&cb->rep, VETO_N_REVOCATION_INVALID, 0)->index, 3);
}
END_TEST

/* ---- what the owner lifts ------------------------------------------------------ */

START_TEST(reinstate_lifts_update_and_key)
{
	const char *u = update_sha();
	veto_state *s = stored(state1(), NULL,
	                       REVS(REV("auditor", LIST(u), LIST(kid(K_AUD1)), K_AUD1, K_AUD2)));
	fx_run *r = check_at(s, NULL, NO_REVS, UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-revoked,cosignature-missing");
	/* a policy reinstating both: trusting it drops them from the state */
	const char *lift = fx_printf(", \"reinstate\": {\"updates\": %s, \"keys\": %s}", LIST(u),
	                             LIST(kid(K_AUD1)));
	veto_state *t = stored(s, policy(2, BOTH, lift), NO_REVS);
	ck_assert_str_eq(revs_of(t), "");
	r = check_at(t, NULL, NO_REVS, UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_notices(&r->rep), "");
	/* while it governs it masks what it names, even revoked again later:
	 * stored, without effect */
	veto_state *again = stored(t, NULL, REVS(REV("auditor", LIST(u), LIST(kid(K_AUD1)), K_AUD1,
	                                             K_AUD2)));
	ck_assert_str_eq(revs_of(again),
	                 fx_printf("auditor: updates %s keys %s", LIST(u), LIST(kid(K_AUD1))));
	r = check_at(again, NULL, NO_REVS, UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_notices(&r->rep), "");
	/* and a revocation of aud1 signed by aud1 opens: it is not revoked */
	veto_state *more;
	r = trust_at(&more, again, NULL, REVS(REV("auditor", LIST(digest(20)), "[]", K_AUD1, K_AUD2)));
	ck_assert_str_eq(fx_notices(&r->rep), "");
	/* a later policy that does not reinstate them lets them act again */
	veto_state *later = stored(again, policy(3, BOTH, ""), NO_REVS);
	r = check_at(later, NULL, NO_REVS, UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-revoked,cosignature-missing");
	ck_assert_str_eq(fx_notices(&r->rep), "key-revoked");
}
END_TEST

START_TEST(dropped_role_drops_its_entries)
{
	veto_state *s = stored(state1(), NULL,
	                       REVS(REV("vendor", LIST(digest(30)), LIST(kid(K_VENDOR2)), K_VENDOR2),
	                            REV("auditor", LIST(digest(31)), "[]", K_AUD1, K_AUD2)));
	ck_assert_str_eq(revs_of(s),
	                 fx_printf("vendor: updates %s keys %s; auditor: updates %s keys []",
	                           LIST(digest(30)), LIST(kid(K_VENDOR2)), LIST(digest(31))));
	/* a policy handed in that no longer honours the vendor: its entries
	 * have no effect in the check (vendor2 signs and counts) */
	const char *p2 = policy(2, "[\"auditor\"]", "");
	fx_run *r = check_at(s, p2, NO_REVS, UPDATE(K_VENDOR2, K_AUD1, K_AUD2), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_notices(&r->rep), "");
	r = check_at(s, NULL, NO_REVS, UPDATE(K_VENDOR2, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-untrusted");
	/* and trusting it drops them from the state for good */
	veto_state *t = stored(s, p2, NO_REVS);
	ck_assert_str_eq(revs_of(t), fx_printf("auditor: updates %s keys []", LIST(digest(31))));
	veto_state *back = stored(t, policy(3, BOTH, ""), NO_REVS);
	ck_assert_str_eq(revs_of(back), revs_of(t));
	/* a commit under it does the same */
	r = check_at(s, p2, NO_REVS, UPDATE(K_VENDOR2, K_AUD1, K_AUD2), 1);
	veto_state *c = NULL;
	ck_assert_int_eq(veto_check_commit(&c, r->c), VETO_OK);
	fx_keep_state(c);
	ck_assert_str_eq(revs_of(c), revs_of(t));
}
END_TEST

/* A chain of policies is trusted policy by policy: each one's reinstate
 * and dropped roles lift what is stored, as if they had come one at a
 * time, in trust and in commit alike. */
START_TEST(chain_lifts_policy_by_policy)
{
	const char *u = update_sha();
	veto_state *s = stored(state1(), NULL,
	                       REVS(REV("auditor", LIST(u, digest(90)), LIST(kid(K_AUD1)), K_AUD1, K_AUD2),
	                            REV("vendor", LIST(digest(91)), "[]", K_VENDOR)));
	const char *p2 = policy(2, "[\"auditor\"]",
	                        fx_printf(", \"reinstate\": {\"updates\": %s, \"keys\": []}", LIST(u)));
	const char *p3 = policy(3, BOTH, "");
	veto_state *one_by_one = stored(stored(s, p2, NO_REVS), p3, NO_REVS);
	ck_assert_str_eq(revs_of(one_by_one), fx_printf("auditor: updates %s keys %s",
	                                                LIST(digest(90)), LIST(kid(K_AUD1))));
	veto_state *out;
	fx_run *r = trust_chain(&out, s, REVS(p2, p3), NO_REVS);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(format_of(out), format_of(one_by_one));
	/* a commit under the same chain records the same */
	fx_update u2;
	fx_update_init(&u2);
	u2.counter = 43;
	u2.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\"]";
	const char *upd2 = FX_UPDATE_ENV(fx_update_text(&u2), K_VENDOR, K_AUD2, K_AUD3);
	r = check_chain(s, REVS(p2, p3), NO_REVS, upd2, 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	veto_state *c = NULL;
	ck_assert_int_eq(veto_check_commit(&c, r->c), VETO_OK);
	fx_keep_state(c);
	ck_assert_str_eq(revs_of(c), revs_of(one_by_one));
	/* within the command, what is stored is judged as it stands (the
	 * contract's "stored"): the digest p2 reinstated still counts under
	 * p3, which does not name it (docs/DECISIONS.md) */
	r = check_chain(s, REVS(p2, p3), NO_REVS, UPDATE(K_VENDOR, K_AUD2, K_AUD3), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-revoked");
	r = check_chain(one_by_one, NULL, 0, NO_REVS, UPDATE(K_VENDOR, K_AUD2, K_AUD3), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
}
END_TEST

/* The limits are judged on what stays once the chain is trusted. */
START_TEST(chain_limits_after_lifting)
{
	veto_state *s = stored(state1(), NULL,
	                       REVS(REV("auditor", digests(0, 256), "[]", K_AUD1, K_AUD2),
	                            REV("auditor", digests(256, 512), "[]", K_AUD1, K_AUD2),
	                            REV("auditor", digests(512, 768), "[]", K_AUD1, K_AUD2),
	                            REV("auditor", digests(768, 1024), "[]", K_AUD1, K_AUD2)));
	const char *p2 = policy(2, BOTH, fx_printf(", \"reinstate\": {\"updates\": %s, \"keys\": []}",
	                                           LIST(digest(7))));
	const char *p3 = policy(3, BOTH, "");
	const char *more = REV("auditor", LIST(digest(5000)), "[]", K_AUD1, K_AUD2);
	veto_state *out;
	fx_run *r = trust_chain(&out, s, REVS(p2, p3), REVS(more));
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_refusals(&r->rep), "");
	ck_assert_uint_eq(veto_state_revoked_update_count(out, 0), 1024);
	ck_assert_str_eq(format_of(out), format_of(stored(stored(s, p2, NO_REVS), p3, REVS(more))));
	/* without the lifting policy in the chain there is no room */
	r = trust_chain(&out, s, REVS(p3), REVS(more));
	ck_assert_str_eq(fx_refusals(&r->rep), "revocation-limit");
}
END_TEST

/* A veto.state/1.1 keeps its revocations under every later policy,
 * version 1 included (SPEC 1.1's preamble): a version-1 policy honours no
 * revocation role, so they have no effect while it governs, and count
 * again under a later 1.1 policy that lists their role. */
START_TEST(version1_policy_keeps_revocations)
{
	veto_state *s = stored(state1(), NULL,
	                       REVS(REV("auditor", LIST(digest(100)), LIST(kid(K_AUD1)), K_AUD1, K_AUD2)));
	fx_policy p;
	fx_policy_init(&p);
	p.serial = 2;
	FX_ROLE(&p, "vendor", 1, K_VENDOR, K_VENDOR2);
	veto_state *v1 = stored(s, FX_POLICY_ENV(fx_policy_text(&p), K_OWNER), NO_REVS);
	ck_assert_str_eq(revs_of(v1), revs_of(s));
	ck_assert_ptr_nonnull(strstr(format_of(v1), "\"veto.state/1.1\""));
	fx_run *r = check_at(v1, NULL, NO_REVS, UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_notices(&r->rep), "");
	/* nor does a revocation handed in under it open */
	r = check_at(v1, NULL, REVS(REV("auditor", LIST(update_sha()), "[]", K_AUD2, K_AUD3)),
	             UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	assert_invalid(r, 1, "untrusted");
	veto_state *v11 = stored(v1, policy(3, BOTH, ""), NO_REVS);
	ck_assert_str_eq(revs_of(v11), revs_of(s));
	r = check_at(v11, NULL, NO_REVS, UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing");
	ck_assert_str_eq(fx_notices(&r->rep), "key-revoked");
}
END_TEST

/* Rotating the owner's key is no reason to forget a revocation. */
START_TEST(rotation_keeps_revocations)
{
	veto_state *s = stored(state1(), NULL,
	                       REVS(REV("auditor", LIST(digest(40)), LIST(kid(K_AUD3)), K_AUD3, K_AUD1)));
	fx_policy p;
	fx_policy_init(&p);
	p.serial = 2;
	FX_ROLE(&p, "owner", 1, K_OWNER2);
	FX_ROLE(&p, "vendor", 1, K_VENDOR, K_VENDOR2);
	const int both[] = {K_OWNER, K_OWNER2};
	veto_state *t = stored(s, policy_of(&p, BOTH, "", both, 2), NO_REVS);
	ck_assert_str_eq(revs_of(t), revs_of(s));
	fx_run *r = check_at(t, NULL, NO_REVS, UPDATE(K_VENDOR, K_AUD1, K_AUD3), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "cosignature-missing");
	ck_assert_str_eq(fx_notices(&r->rep), "key-revoked");
}
END_TEST

/* ---- the per-role limits --------------------------------------------------------- */

START_TEST(limit_of_update_digests)
{
	const int n = 256;
	veto_state *s = stored(state1(), NULL,
	                       REVS(REV("auditor", digests(0, 256), "[]", K_AUD1, K_AUD2),
	                            REV("auditor", digests(256, 512), "[]", K_AUD1, K_AUD2),
	                            REV("auditor", digests(512, 768), "[]", K_AUD1, K_AUD2)));
	ck_assert_uint_eq(veto_state_revoked_update_count(s, 0), 3 * n);
	/* exactly 1024: accepted */
	veto_state *full = stored(s, NULL, REVS(REV("auditor", digests(768, 1024), "[]", K_AUD1, K_AUD2)));
	ck_assert_uint_eq(veto_state_revoked_update_count(full, 0), 1024);
	/* one more: refused, nothing of it stored, the rest of the command kept */
	const char *over = REV("auditor", LIST(digest(1024), digest(5)), "[]", K_AUD1, K_AUD2);
	const char *vendor = REV("vendor", LIST(digest(2000)), "[]", K_VENDOR);
	veto_state *out;
	fx_run *r = trust_at(&out, full, NULL, REVS(vendor, over));
	ck_assert_int_eq(r->finish, VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&r->rep), "revocation-limit");
	const veto_reason *x = fx_reason(&r->rep, VETO_R_REVOCATION_LIMIT, 0);
	ck_assert_uint_eq(x->index, 2);
	ck_assert_str_eq(x->role, "auditor");
	ck_assert_str_eq(fx_notices(&r->rep), "");
	ck_assert_uint_eq(veto_state_revoked_update_count(out, 0), 1024);
	ck_assert_str_eq(veto_state_revocation_role(out, 1), "vendor");
	/* a revocation adding nothing new is no reason to refuse */
	r = trust_at(&out, full, NULL, REVS(REV("auditor", LIST(digest(3), digest(1023)), "[]",
	                                        K_AUD1, K_AUD3)));
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(format_of(out), format_of(full));
	/* a check refuses with it too, and the revocation does not apply */
	const char *u = update_sha();
	r = check_at(full, NULL, REVS(REV("auditor", LIST(u), "[]", K_AUD1, K_AUD2)),
	             UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "revocation-limit");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_REVOCATION_LIMIT, 0)->index, 1);
}
END_TEST

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A state whose auditor role holds n made-up keyids (sorted). */
static veto_state *with_stored_keys(size_t n)
{
	const char **ids = fx_alloc(n * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = sha_hex(fx_printf("keyid %zu", i));
	qsort(ids, n, sizeof(*ids), by_text);
	const char *text = fx_replace(format_of(state1()), "\"revocations\": {}",
	                              fx_printf("\"revocations\": {\"auditor\": {\"updates\": [], "
	                                        "\"keys\": %s}}",
	                                        list_of(ids, n)));
	veto_state *s = NULL;
	ck_assert_int_eq(veto_state_parse(&s, NULL, NULL, (const uint8_t *)text, strlen(text)),
	                 VETO_OK);
	return fx_keep_state(s);
}

START_TEST(limit_of_keyids)
{
	veto_state *s = with_stored_keys(255);
	const char *self1 = REV("auditor", "[]", LIST(kid(K_AUD1)), K_AUD1, K_AUD2);
	const char *self2 = REV("auditor", "[]", LIST(kid(K_AUD2)), K_AUD2, K_AUD3);
	/* the 256th: accepted */
	veto_state *full = stored(s, NULL, REVS(self1));
	ck_assert_uint_eq(veto_state_revoked_key_count(full, 0), 256);
	/* the 257th: refused */
	veto_state *out;
	fx_run *r = trust_at(&out, full, NULL, REVS(self2));
	ck_assert_int_eq(r->finish, VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&r->rep), "revocation-limit");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_REVOCATION_LIMIT, 0)->index, 1);
	ck_assert_str_eq(fx_reason(&r->rep, VETO_R_REVOCATION_LIMIT, 0)->role, "auditor");
	ck_assert_str_eq(format_of(out), format_of(full));
	/* judged together: two that pass it only together are both refused */
	r = trust_at(&out, s, NULL, REVS(self1, self2));
	ck_assert_str_eq(fx_refusals(&r->rep), "revocation-limit,revocation-limit");
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_REVOCATION_LIMIT, 0)->index, 1);
	ck_assert_uint_eq(fx_reason(&r->rep, VETO_R_REVOCATION_LIMIT, 1)->index, 2);
	ck_assert_str_eq(format_of(out), format_of(s));
	/* a policy whose reinstate makes room lets both in */
	const char *lift = fx_printf(", \"reinstate\": {\"updates\": [], \"keys\": %s}",
	                             LIST(sha_hex("keyid 0"), sha_hex("keyid 1")));
	r = trust_at(&out, s, policy(2, BOTH, lift), REVS(self1, self2));
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_uint_eq(veto_state_revoked_key_count(out, 0), 255);
}
END_TEST

/* ---- effects on an update ---------------------------------------------------------- */

START_TEST(update_revoked_three_ways)
{
	const char *u = update_sha(), *upd = UPDATE(K_VENDOR, K_AUD1, K_AUD2);
	/* the owner's own list */
	veto_state *s = fx_trusted(fx_state0(), policy(1, BOTH, fx_printf(", \"revoked_updates\": %s",
	                                                                  LIST(u))),
	                           fx_now());
	fx_run *r = check_at(s, NULL, NO_REVS, upd, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-revoked");
	ck_assert_str_eq(fx_notices(&r->rep), "");
	s = fx_trusted(fx_state0(), policy(1, BOTH, fx_printf(", \"revoked_updates\": %s",
	                                                      LIST(digest(50)))),
	               fx_now());
	r = check_at(s, NULL, NO_REVS, upd, 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	/* handed in, and stored */
	const char *rev = REV("vendor", LIST(u), "[]", K_VENDOR2);
	r = check_at(state1(), NULL, REVS(rev), upd, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-revoked");
	r = check_at(stored(state1(), NULL, REVS(rev)), NULL, NO_REVS, upd, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-revoked");
	r = check_at(state1(), NULL, REVS(REV("vendor", LIST(digest(51)), "[]", K_VENDOR2)), upd, 1);
	ck_assert_int_eq(r->finish, VETO_OK);
}
END_TEST

/* An update signed by the vendor role only with revoked keys is not read:
 * update-untrusted alone (SPEC 8), no key-revoked notice (its payload was
 * not read); a revocation handed in is still reported. */
START_TEST(untrusted_when_vendor_keys_revoked)
{
	const char *upd = UPDATE(K_VENDOR, K_AUD1, K_AUD2);
	const char *rv = REV("vendor", "[]", LIST(kid(K_VENDOR)), K_VENDOR);
	fx_run *r = check_at(state1(), NULL, REVS(rv), upd, 1);
	ck_assert_int_eq(r->finish, VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-untrusted");
	ck_assert_str_eq(fx_notices(&r->rep), "");
	r = check_at(stored(state1(), NULL, REVS(rv)), NULL, REVS(REV("vendor", "[]", "[]", K_OTHER)),
	             upd, 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-untrusted");
	assert_invalid(r, 1, "untrusted");
	/* the vendor's other key still speaks for it, and the revoked one's
	 * signature beside it is named */
	r = check_at(state1(), NULL, REVS(rv), UPDATE(K_VENDOR, K_VENDOR2, K_AUD1, K_AUD2), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_notices(&r->rep), "key-revoked");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_N_KEY_REVOKED, 0)->role, "vendor");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_N_KEY_REVOKED, 0)->detail, kid(K_VENDOR));
}
END_TEST

/* key-revoked: one per key and role. */
START_TEST(key_revoked_per_role)
{
	fx_policy p;
	fx_policy_init(&p);
	FX_ROLE(&p, "vendor", 1, K_VENDOR, K_VENDOR2);
	FX_ROLE(&p, "security", 1, K_AUD1);
	const int owner[] = {K_OWNER};
	veto_state *s = fx_trusted(fx_state0(), policy_of(&p, BOTH, "", owner, 1), fx_now());
	const char *rev = REV("auditor", "[]", LIST(kid(K_AUD1)), K_AUD1, K_AUD2);
	fx_run *r = check_at(s, NULL, REVS(rev), UPDATE(K_VENDOR, K_AUD1, K_AUD2, K_AUD3), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_notices(&r->rep), "key-revoked,key-revoked");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_N_KEY_REVOKED, 0)->role, "auditor");
	ck_assert_str_eq(fx_reason(&r->rep, VETO_N_KEY_REVOKED, 1)->role, "security");
	/* not signed by the revoked key: nothing to name */
	r = check_at(s, NULL, REVS(rev), UPDATE(K_VENDOR, K_AUD2, K_AUD3), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(fx_notices(&r->rep), "");
}
END_TEST

/* ---- storing ------------------------------------------------------------------------ */

/* check stores nothing; trust stores; commit stores when it accepts. */
START_TEST(who_stores)
{
	veto_state *s = state1();
	const char *before = format_of(s);
	const char *rev = REV("auditor", LIST(digest(60)), "[]", K_AUD1, K_AUD2);
	fx_run *r = check_at(s, NULL, REVS(rev), UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_int_eq(r->finish, VETO_OK);
	ck_assert_str_eq(format_of(s), before);
	ck_assert_uint_eq(veto_state_revocation_roles(s), 0);
	const char *want = fx_printf("auditor: updates %s keys []", LIST(digest(60)));
	veto_state *c = NULL;
	ck_assert_int_eq(veto_check_commit(&c, r->c), VETO_OK);
	fx_keep_state(c);
	ck_assert_str_eq(revs_of(c), want);
	ck_assert_str_eq(revs_of(stored(s, NULL, REVS(rev))), want);
	/* trust stores them whatever it decides about the policies */
	veto_state *out;
	r = trust_at(&out, s, policy(1, BOTH, ", \"min_security_counter\": 1"), REVS(rev));
	ck_assert_int_eq(r->finish, VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&r->rep), "policy-equivocation");
	ck_assert_str_eq(revs_of(out), want);
	/* a refused commit stores nothing */
	r = check_at(s, NULL, REVS(rev, REV("auditor", LIST(update_sha()), "[]", K_AUD1, K_AUD2)),
	             UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-revoked");
	c = (veto_state *)(uintptr_t)1;
	ck_assert_int_eq(veto_check_commit(&c, r->c), VETO_REFUSED);
	ck_assert_ptr_null(c);
}
END_TEST

/* The state keeps each role's lists sorted and distinct, as
 * veto.state/1.1, and reads back to the same document. */
START_TEST(state_round_trip)
{
	const char *d[4] = {digest(70), digest(71), digest(72), digest(73)};
	veto_state *s = stored(state1(), NULL,
	                       REVS(REV("auditor", LIST(d[3], d[1], d[2]), LIST(kid(K_AUD2)), K_AUD2,
	                                K_AUD3),
	                            REV("auditor", LIST(d[2], d[0]), LIST(kid(K_AUD1)), K_AUD1, K_AUD3),
	                            REV("vendor", LIST(d[0]), "[]", K_VENDOR)));
	const char *sorted[4] = {d[0], d[1], d[2], d[3]};
	qsort(sorted, 4, sizeof(sorted[0]), by_text);
	const char *keys[2] = {kid(K_AUD1), kid(K_AUD2)};
	qsort(keys, 2, sizeof(keys[0]), by_text);
	ck_assert_str_eq(revs_of(s), fx_printf("auditor: updates %s keys %s; vendor: updates %s keys []",
	                                       list_of(sorted, 4), list_of(keys, 2), LIST(d[0])));
	const char *text = format_of(s);
	ck_assert_ptr_nonnull(strstr(text, "{\"format\": \"veto.state/1.1\",\n"));
	ck_assert_ptr_nonnull(strstr(text, fx_printf("\"revocations\": {\"auditor\": {\"updates\": %s, "
	                                             "\"keys\": %s}, \"vendor\": {\"updates\": %s, "
	                                             "\"keys\": []}}",
	                                             list_of(sorted, 4), list_of(keys, 2), LIST(d[0]))));
	veto_state *back = NULL;
	ck_assert_int_eq(veto_state_parse(&back, NULL, NULL, (const uint8_t *)text, strlen(text)),
	                 VETO_OK);
	fx_keep_state(back);
	ck_assert_str_eq(format_of(back), text);
	ck_assert_str_eq(revs_of(back), revs_of(s));
	/* the accessors outside their range */
	ck_assert_ptr_null(veto_state_revocation_role(s, 2));
	ck_assert_ptr_null(veto_state_revoked_update(s, 0, 4));
	ck_assert_ptr_null(veto_state_revoked_key(s, 1, 0));
	ck_assert_uint_eq(veto_state_revoked_key_count(s, 2), 0);
	ck_assert_uint_eq(veto_state_revocation_roles(NULL), 0);
}
END_TEST

/* Arguments: more than 64 revocations, revocations alone with no policy
 * stored, NULL entries. */
START_TEST(arguments)
{
	const char *rev = REV("auditor", LIST(digest(80)), "[]", K_AUD1, K_AUD2);
	const char **many = fx_alloc(65 * sizeof(*many));
	for (size_t i = 0; i < 65; i++)
		many[i] = rev;
	veto_state *out;
	fx_run *r = trust_at(&out, state1(), NULL, many, 65);
	ck_assert_int_eq(r->finish, VETO_E_LIMIT);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(trust_at(&out, state1(), NULL, many, 64)->finish, VETO_OK);
	r = check_at(state1(), NULL, many, 65, UPDATE(K_VENDOR, K_AUD1, K_AUD2), 1);
	ck_assert_int_eq(r->begin, VETO_E_LIMIT);
	r = trust_at(&out, fx_state0(), NULL, REVS(rev));
	ck_assert_int_eq(r->finish, VETO_E_NO_POLICY);
	ck_assert_ptr_null(out);
	r = trust_at(&out, state1(), NULL, NO_REVS);
	ck_assert_int_eq(r->finish, VETO_E_ARG);
	veto_when when = {.now = fx_now(), .revocations = NULL, .n_revocations = 1};
	veto_report rep;
	veto_report_init(&rep, NULL);
	ck_assert_int_eq(veto_trust_at(&out, &rep, NULL, state1(), NULL, 0, &when), VETO_E_ARG);
	veto_bytes one = {NULL, 3};
	when.revocations = &one;
	ck_assert_int_eq(veto_trust_at(&out, &rep, NULL, state1(), NULL, 0, &when), VETO_E_ARG);
	veto_report_clear(&rep);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("revocation");
	TCase *tc = fx_tcase("revocation");
	tcase_add_test(tc, invalid_malformed);
	tcase_add_test(tc, invalid_type);
	tcase_add_test(tc, invalid_untrusted);
	tcase_add_test(tc, invalid_role);
	tcase_add_test(tc, invalid_device);
	tcase_add_test(tc, invalid_key);
	tcase_add_test(tc, invalid_threshold);
	tcase_add_test(tc, thief_revokes_only_itself);
	tcase_add_test(tc, owner_key_never_revoked);
	tcase_add_test(tc, order_changes_nothing);
	tcase_add_test(tc, reinstate_lifts_update_and_key);
	tcase_add_test(tc, dropped_role_drops_its_entries);
	tcase_add_test(tc, chain_lifts_policy_by_policy);
	tcase_add_test(tc, chain_limits_after_lifting);
	tcase_add_test(tc, version1_policy_keeps_revocations);
	tcase_add_test(tc, rotation_keeps_revocations);
	tcase_add_test(tc, limit_of_update_digests);
	tcase_add_test(tc, limit_of_keyids);
	tcase_add_test(tc, update_revoked_three_ways);
	tcase_add_test(tc, untrusted_when_vendor_keys_revoked);
	tcase_add_test(tc, key_revoked_per_role);
	tcase_add_test(tc, who_stores);
	tcase_add_test(tc, state_round_trip);
	tcase_add_test(tc, arguments);
	suite_add_tcase(s, tc);
	return s;
}
