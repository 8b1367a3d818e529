/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) Signed receipts (SPEC 10): the payload written from the facts of
 * each kind of command, signed by the device key, read back (verify before
 * parse, every member's shape), and the chain of states through them. */
#include <string.h>

#include <sodium.h>

#include "fixture.h"
#include "report.h"

#define DEVICE K_OTHER /* the device key of these tests */

/* ---- helpers -------------------------------------------------------------- */

static char *state_hex(const veto_state *s)
{
	char *text = NULL;
	size_t len = 0;
	uint8_t h[32];
	ck_assert_int_eq(veto_state_format(&text, &len, s), VETO_OK);
	crypto_hash_sha256(h, (const uint8_t *)text, len);
	veto_free(NULL, text);
	return fx_hex(h, 32);
}

static char *sha_hex(const char *text)
{
	uint8_t h[32];
	crypto_hash_sha256(h, (const uint8_t *)text, strlen(text));
	return fx_hex(h, 32);
}

/* The payload of f, asserting VETO_OK; arena-owned. */
static char *payload_of(const veto_receipt_facts *f)
{
	char *out = NULL;
	size_t len = 0;
	veto_status st = veto_receipt_payload(&out, &len, NULL, f);
	ck_assert_msg(st == VETO_OK, "veto_receipt_payload: %s", veto_status_name(st));
	ck_assert_uint_eq(strlen(out), len);
	char *copy = fx_printf("%s", out);
	veto_free(NULL, out);
	return copy;
}

/* The receipt of f signed by the device key; arena-owned. */
static char *signed_of(const veto_receipt_facts *f)
{
	char *out = NULL;
	size_t len = 0;
	veto_status st = veto_receipt_sign(&out, &len, NULL, f, fx_key_get(DEVICE)->seed);
	ck_assert_msg(st == VETO_OK, "veto_receipt_sign: %s", veto_status_name(st));
	char *copy = fx_printf("%s", out);
	veto_free(NULL, out);
	return copy;
}

static veto_receipt *read_ok(const char *env)
{
	veto_receipt *r = NULL;
	veto_diag d = {{0}};
	veto_status st = veto_receipt_read(&r, &d, NULL, (const uint8_t *)env, strlen(env),
	                                   fx_key_get(DEVICE)->pk);
	ck_assert_msg(st == VETO_OK, "veto_receipt_read: %s (%s)", veto_status_name(st), d.detail);
	return r;
}

/* Asserts that text holds fragment. */
#define HAS(text, fragment)                                                                 \
	ck_assert_msg(strstr((text), (fragment)) != NULL, "\"%s\" not in:\n%s", (fragment),   \
	              (text))

static veto_receipt_facts facts(veto_receipt_kind kind)
{
	veto_receipt_facts f;
	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.time = fx_now();
	return f;
}

static const char *q(const char *hex)
{
	return hex != NULL ? fx_printf("\"%s\"", hex) : "null";
}

/* The payload receipt.c writes, member by member, at fx_now() for
 * acme/thermo-2 (each argument the JSON text of its member). */
static char *expect(const char *kind, const char *nonce, const char *before, const char *after,
                    const char *policy, const char *update, const char *image, const char *revs,
                    const char *decision, const char *reasons)
{
	return fx_printf("{\"format\": \"veto.receipt/1\", \"kind\": \"%s\",\n \"device\": "
	                 "{\"vendor\": \"acme\", \"model\": \"thermo-2\"}, \"time\": "
	                 "\"2026-11-21T00:00:00Z\", \"nonce\": %s,\n \"state_before\": %s,\n "
	                 "\"state_after\": %s,\n \"policy\": %s,\n \"update\": %s,\n \"image\": %s,\n "
	                 "\"revocations\": [%s],\n \"decision\": %s,\n %s}\n",
	                 kind, nonce, before, after, policy, update, image, revs, decision, reasons);
}

#define NO_REASONS "\"refusals\": [], \"notices\": []"

/* "refusals": [...], "notices": [...] as veto_report_json writes them. */
static char *reasons_of(const veto_report *rep)
{
	char *json = NULL;
	size_t len = 0;
	ck_assert_int_eq(veto_report_json(&json, &len, rep), VETO_OK);
	const char *at = strstr(json, "\"refusals\"");
	ck_assert_ptr_nonnull(at);
	char *out = fx_printf("%.*s", (int)(len - 1 - (size_t)(at - json)), at);
	veto_free(NULL, json);
	return out;
}

static char *policy_json(uint64_t serial, const char *payload)
{
	return fx_printf("{\"serial\": %llu, \"sha256\": \"%s\"}", (unsigned long long)serial,
	                 sha_hex(payload));
}

static char *default_policy_payload(void)
{
	fx_policy p;
	fx_policy_init(&p);
	return fx_policy_text(&p);
}

static char *default_update_payload(void)
{
	fx_update u;
	fx_update_init(&u);
	return fx_update_text(&u);
}

/* The default update's "update" member. */
static char *update_json(void)
{
	return fx_printf("{\"sha256\": \"%s\", \"security_counter\": 42, \"version\": \"2.4.1\"}",
	                 sha_hex(default_update_payload()));
}

static char *image_json(size_t size, const uint8_t *img)
{
	uint8_t sha[32], b2[32];
	crypto_hash_sha256(sha, img, size);
	crypto_generichash(b2, 32, img, size, NULL, 0);
	return fx_printf("{\"size\": %zu, \"sha256\": \"%s\", \"blake2b-256\": \"%s\"}", size,
	                 fx_hex(sha, 32), fx_hex(b2, 32));
}

/* ---- revocations (SPEC 5.3) ---------------------------------------------------- */

#define ISSUED "2026-05-01T00:00:00Z"

/* The default policy as a veto.policy/1.1 whose auditors (two of three)
 * may revoke, signed by K_OWNER; its payload in *payload when not NULL. */
static char *policy_rev(uint64_t serial, char **payload)
{
	fx_policy p;
	fx_policy_init(&p);
	p.serial = serial;
	p.extra = ", \"issued\": \"" ISSUED "\", \"revocation_roles\": [\"auditor\"]";
	char *text = fx_replace(fx_policy_text(&p), "\"veto.policy/1\"", "\"veto.policy/1.1\"");
	if (payload != NULL)
		*payload = text;
	return FX_POLICY_ENV(text, K_OWNER);
}

/* A revocation by the auditors of the update digest `hex` (keys: its
 * signers); its payload in *payload. */
static char *revocation(const char *hex, char **payload, const int *keys, size_t n)
{
	char *text = fx_printf("{\"format\": \"veto.revocation/1\", \"device\": {\"vendor\": "
	                       "\"acme\", \"model\": \"thermo-2\"}, \"role\": \"auditor\", "
	                       "\"updates\": [\"%s\"], \"keys\": []}",
	                       hex);
	if (payload != NULL)
		*payload = text;
	return fx_env_keys(VETO_TYPE_REVOCATION, text, keys, n);
}

#define AUDITORS (const int[]){K_AUD1, K_AUD2}, 2
#define ONE_AUDITOR (const int[]){K_AUD1}, 1
#define OLD_HEX "abababababababababababababababababababababababababababababababab"
#define OLD_HEX2 "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"

static veto_bytes *bytes_of(const char *const *docs, size_t n)
{
	veto_bytes *b = fx_alloc((n ? n : 1) * sizeof(*b));
	for (size_t i = 0; i < n; i++)
		b[i] = (veto_bytes){(const uint8_t *)docs[i], strlen(docs[i])};
	return b;
}

/* veto_trust_at with policies and revocations at fx_now(); the new state
 * (arena-owned) in *out, whatever the decision. */
static veto_status trust_at(veto_state **out, fx_run *r, const veto_state *s,
                            const char *const *pol, size_t n_pol, const char *const *revs,
                            size_t n_revs)
{
	veto_when when = {.now = fx_now(), .revocations = bytes_of(revs, n_revs),
	                  .n_revocations = n_revs};
	veto_status st = veto_trust_at(out, &r->rep, NULL, s, bytes_of(pol, n_pol), n_pol, &when);
	if (*out != NULL)
		fx_keep_state(*out);
	return st;
}

/* The state trusting policy_rev(1). */
static veto_state *rev_state(void)
{
	return fx_trusted(fx_state0(), policy_rev(1, NULL), fx_now());
}

/* ---- init, status ------------------------------------------------------------ */

START_TEST(init_payload)
{
	veto_state *s0 = fx_state0();
	veto_receipt_facts f = facts(VETO_RECEIPT_INIT);
	f.after = s0;
	ck_assert_str_eq(payload_of(&f), expect("init", "null", "null", q(state_hex(s0)), "null",
	                                        "null", "null", "", "null", NO_REASONS));
	veto_receipt *r = read_ok(signed_of(&f));
	ck_assert_int_eq(veto_receipt_get_kind(r), VETO_RECEIPT_INIT);
	ck_assert_ptr_null(veto_receipt_decision(r));
	ck_assert_int_eq(veto_receipt_state_before(r, NULL), 0);
	veto_receipt_free(r);
}
END_TEST

START_TEST(status_payload_with_nonce)
{
	veto_state *s1 = fx_trusted(fx_state0(), fx_default_policy_env(), fx_now());
	veto_receipt_facts f = facts(VETO_RECEIPT_STATUS);
	f.before = s1;
	f.nonce = "challenge-~!{}0123";
	ck_assert_str_eq(payload_of(&f),
	                 expect("status", "\"challenge-~!{}0123\"", q(state_hex(s1)), "null",
	                        policy_json(1, default_policy_payload()), "null", "null", "",
	                        "null", NO_REASONS));
	veto_receipt *r = read_ok(signed_of(&f));
	ck_assert_str_eq(veto_receipt_nonce(r), "challenge-~!{}0123");
	ck_assert_int_eq(veto_receipt_get_kind(r), VETO_RECEIPT_STATUS);
	veto_receipt_free(r);
	/* no policy trusted yet: null */
	f.before = fx_state0();
	HAS(payload_of(&f), "\"policy\": null,");
}
END_TEST

/* ---- trust ----------------------------------------------------------------- */

START_TEST(trust_accept_payload)
{
	veto_state *s0 = fx_state0(), *s1 = NULL;
	const char *pol[] = {fx_default_policy_env()};
	fx_run *t = fx_trust(&s1, s0, pol, 1, fx_now());
	veto_receipt_facts f = facts(VETO_RECEIPT_TRUST);
	f.before = s0;
	f.after = s1;
	f.report = &t->rep;
	ck_assert_str_eq(payload_of(&f),
	                 expect("trust", "null", q(state_hex(s0)), q(state_hex(s1)),
	                        policy_json(1, default_policy_payload()), "null", "null", "",
	                        "\"accept\"", NO_REASONS));
}
END_TEST

START_TEST(trust_refused_payload)
{
	veto_state *s0 = fx_state0(), *s1 = NULL;
	const char *pol[] = {FX_POLICY_ENV(default_policy_payload(), K_OWNER2)};
	fx_run *t = fx_run_new(NULL);
	ck_assert_int_eq(trust_at(&s1, t, s0, pol, 1, NULL, 0), VETO_REFUSED);
	ck_assert_str_eq(fx_refusals(&t->rep), "policy-signature");
	veto_receipt_facts f = facts(VETO_RECEIPT_TRUST);
	f.before = s0;
	f.after = s1; /* the same document: nothing written */
	f.report = &t->rep;
	ck_assert_str_eq(payload_of(&f), expect("trust", "null", q(state_hex(s0)), "null", "null",
	                                        "null", "null", "", "\"refuse\"",
	                                        reasons_of(&t->rep)));
	HAS(reasons_of(&t->rep), "{\"code\": \"policy-signature\", \"index\": 1, \"role\": \"owner\"");
	veto_receipt *r = read_ok(signed_of(&f));
	ck_assert_str_eq(veto_receipt_decision(r), "refuse");
	veto_receipt_free(r);
}
END_TEST

START_TEST(trust_revocations_only)
{
	char *ppay, *rpay;
	policy_rev(1, &ppay);
	veto_state *s1 = rev_state(), *s2 = NULL;
	const char *revs[] = {revocation(OLD_HEX, &rpay, AUDITORS)};
	fx_run *t = fx_run_new(NULL);
	ck_assert_int_eq(trust_at(&s2, t, s1, NULL, 0, revs, 1), VETO_OK);
	veto_receipt_facts f = facts(VETO_RECEIPT_TRUST);
	f.before = s1;
	f.after = s2;
	f.report = &t->rep;
	f.revocations = bytes_of(revs, 1);
	f.n_revocations = 1;
	ck_assert_str_eq(payload_of(&f),
	                 expect("trust", "null", q(state_hex(s1)), q(state_hex(s2)),
	                        policy_json(1, ppay), "null", "null", q(sha_hex(rpay)),
	                        "\"accept\"", NO_REASONS));
}
END_TEST

START_TEST(trust_invalid_and_valid_revocation)
{
	char *ppay, *bad, *good;
	policy_rev(2, &ppay);
	const char *pol[] = {policy_rev(2, NULL)};
	const char *revs[] = {revocation(OLD_HEX, &bad, ONE_AUDITOR),
	                      revocation(OLD_HEX2, &good, AUDITORS)};
	veto_state *s0 = fx_state0(), *s1 = NULL;
	fx_run *t = fx_run_new(NULL);
	ck_assert_int_eq(trust_at(&s1, t, s0, pol, 1, revs, 2), VETO_OK);
	ck_assert_str_eq(fx_notices(&t->rep), "revocation-invalid");
	veto_receipt_facts f = facts(VETO_RECEIPT_TRUST);
	f.before = s0;
	f.after = s1;
	f.report = &t->rep;
	f.revocations = bytes_of(revs, 2);
	f.n_revocations = 2;
	char *p = payload_of(&f);
	ck_assert_str_eq(p, expect("trust", "null", q(state_hex(s0)), q(state_hex(s1)),
	                           policy_json(2, ppay), "null", "null", q(sha_hex(good)),
	                           "\"accept\"", reasons_of(&t->rep)));
	HAS(p, "\"notices\": [{\"code\": \"revocation-invalid\", \"index\": 1, \"detail\": "
	       "\"threshold\"}]");
	ck_assert_ptr_null(strstr(p, sha_hex(bad)));
}
END_TEST

/* revocation-limit refuses the revocation, not the policy (SPEC 5.3): the
 * report is made by hand, as no test world stores 1024 digests quickly. */
START_TEST(trust_revocation_limit)
{
	char *ppay, *good;
	policy_rev(1, &ppay);
	veto_state *s1 = rev_state();
	const char *revs[] = {revocation(OLD_HEX, NULL, AUDITORS), revocation(OLD_HEX2, &good, AUDITORS)};
	fx_run *t = fx_run_new(NULL);
	veto_reason *x = veto__rep_add(&t->rep, VETO_R_REVOCATION_LIMIT);
	ck_assert_ptr_nonnull(x);
	x->index = 1;
	veto_receipt_facts f = facts(VETO_RECEIPT_TRUST);
	f.before = s1;
	f.report = &t->rep;
	f.revocations = bytes_of(revs, 2);
	f.n_revocations = 2;
	ck_assert_str_eq(payload_of(&f), expect("trust", "null", q(state_hex(s1)), "null",
	                                        policy_json(1, ppay), "null", "null",
	                                        q(sha_hex(good)), "\"refuse\"",
	                                        reasons_of(&t->rep)));
	/* any other refusal: the policies were refused */
	veto__rep_add(&t->rep, VETO_R_POLICY_EXPIRED);
	HAS(payload_of(&f), "\"policy\": null,");
}
END_TEST

START_TEST(trust_unreadable_revocation)
{
	veto_state *s1 = rev_state();
	const char *revs[] = {"not an envelope"};
	fx_run *t = fx_run_new(NULL); /* a report that names nothing */
	veto_receipt_facts f = facts(VETO_RECEIPT_TRUST);
	f.before = s1;
	f.report = &t->rep;
	f.revocations = bytes_of(revs, 1);
	f.n_revocations = 1;
	char *out = (char *)"sentinel";
	ck_assert_int_eq(veto_receipt_payload(&out, NULL, NULL, &f), VETO_E_MALFORMED);
	ck_assert_ptr_null(out);
	/* named by the report: left out, no error */
	veto_reason *x = veto__rep_add(&t->rep, VETO_N_REVOCATION_INVALID);
	x->index = 1;
	HAS(payload_of(&f), "\"revocations\": [],");
}
END_TEST

START_TEST(trust_identical_state_writes_nothing)
{
	veto_state *s1 = fx_trusted(fx_state0(), fx_default_policy_env(), fx_now()), *s2 = NULL;
	const char *pol[] = {fx_default_policy_env()};
	fx_run *t = fx_trust(&s2, s1, pol, 1, fx_now()); /* the same policy again */
	ck_assert_int_eq(t->finish, VETO_OK);
	ck_assert_ptr_ne(s1, s2);
	veto_receipt_facts f = facts(VETO_RECEIPT_TRUST);
	f.before = s1;
	f.after = s2;
	f.report = &t->rep;
	char *p = payload_of(&f);
	HAS(p, fx_printf("\"state_before\": \"%s\",\n \"state_after\": null,", state_hex(s1)));
	HAS(p, "\"decision\": \"accept\"");
}
END_TEST

/* ---- check, commit ---------------------------------------------------------- */

static veto_state *trusted1(void)
{
	return fx_trusted(fx_state0(), fx_default_policy_env(), fx_now());
}

/* A check of update on s under the stored policy, fed img[0..len) (NULL:
 * no image), with revocations handed in. */
static fx_run *check_on(const veto_state *s, const char *update, const uint8_t *img, size_t len,
                        const char *const *revs, size_t n_revs)
{
	fx_run *r = fx_run_new(NULL);
	veto_when when = {.now = fx_now(), .revocations = bytes_of(revs, n_revs),
	                  .n_revocations = n_revs};
	r->begin = veto_check_begin_at(&r->c, &r->rep, NULL, s, NULL, 0, (const uint8_t *)update,
	                               strlen(update), &when);
	ck_assert_int_eq(r->begin, VETO_OK);
	if (img != NULL)
		ck_assert_int_eq(veto_check_image(r->c, img, len), VETO_OK);
	r->finish = veto_check_finish(r->c, &r->dig);
	return r;
}

static veto_receipt_facts check_facts(veto_receipt_kind kind, const veto_state *s,
                                      const fx_run *r)
{
	veto_receipt_facts f = facts(kind);
	f.before = s;
	f.check = r->c;
	f.report = &r->rep;
	return f;
}

/* The default update checked with the test image on trusted1() and
 * committed: *s1 before, *s2 after, the commit's facts returned. */
static veto_receipt_facts committed(veto_state **s1, veto_state **s2, fx_run **run)
{
	size_t len;
	const uint8_t *img = fx_image(&len);
	*s1 = trusted1();
	*s2 = NULL;
	*run = check_on(*s1, fx_default_update_env(), img, len, NULL, 0);
	ck_assert_int_eq(veto_check_commit(s2, (*run)->c), VETO_OK);
	fx_keep_state(*s2);
	veto_receipt_facts f = check_facts(VETO_RECEIPT_COMMIT, *s1, *run);
	f.after = *s2;
	return f;
}

START_TEST(check_accept_with_image)
{
	veto_state *s1 = trusted1();
	size_t len;
	const uint8_t *img = fx_image(&len);
	fx_run *r = check_on(s1, fx_default_update_env(), img, len, NULL, 0);
	ck_assert_int_eq(r->finish, VETO_OK);
	veto_receipt_facts f = check_facts(VETO_RECEIPT_CHECK, s1, r);
	ck_assert_str_eq(payload_of(&f), expect("check", "null", q(state_hex(s1)), "null",
	                                        policy_json(1, default_policy_payload()),
	                                        update_json(), image_json(len, img), "",
	                                        "\"accept\"", NO_REASONS));
	veto_receipt *rc = read_ok(signed_of(&f));
	ck_assert_str_eq(veto_receipt_decision(rc), "accept");
	ck_assert_int_eq(veto_receipt_state_after(rc, NULL), 0);
	veto_receipt_free(rc);
}
END_TEST

START_TEST(check_accept_without_image)
{
	veto_state *s1 = trusted1();
	fx_run *r = check_on(s1, fx_default_update_env(), NULL, 0, NULL, 0);
	ck_assert_int_eq(r->finish, VETO_OK);
	veto_receipt_facts f = check_facts(VETO_RECEIPT_CHECK, s1, r);
	char *p = payload_of(&f);
	ck_assert_str_eq(p, expect("check", "null", q(state_hex(s1)), "null",
	                           policy_json(1, default_policy_payload()), update_json(), "null",
	                           "", "\"accept\"", reasons_of(&r->rep)));
	HAS(p, "\"notices\": [{\"code\": \"image-unchecked\"");
}
END_TEST

START_TEST(check_refuse_with_image)
{
	veto_state *s1 = trusted1();
	size_t len;
	const uint8_t *good = fx_image(&len);
	uint8_t *img = fx_alloc(len);
	memcpy(img, good, len);
	img[100] ^= 0x40;
	fx_run *r = check_on(s1, fx_default_update_env(), img, len, NULL, 0);
	ck_assert_int_eq(r->finish, VETO_REFUSED);
	veto_receipt_facts f = check_facts(VETO_RECEIPT_CHECK, s1, r);
	/* the digests of the bytes checked, not the manifest's */
	ck_assert_str_eq(payload_of(&f), expect("check", "null", q(state_hex(s1)), "null",
	                                        policy_json(1, default_policy_payload()),
	                                        update_json(), image_json(len, img), "",
	                                        "\"refuse\"", reasons_of(&r->rep)));
	HAS(reasons_of(&r->rep), "\"refusals\": [{\"code\": \"image-digest\"");
}
END_TEST

START_TEST(check_image_longer_than_manifest)
{
	veto_state *s1 = trusted1();
	size_t len;
	const uint8_t *good = fx_image(&len);
	uint8_t *img = fx_alloc(5100);
	memcpy(img, good, len);
	fx_run *r = check_on(s1, fx_default_update_env(), img, 5100, NULL, 0);
	ck_assert_int_eq(r->finish, VETO_REFUSED);
	veto_receipt_facts f = check_facts(VETO_RECEIPT_CHECK, s1, r);
	/* reading stopped one byte past the manifest's size: that size, and no
	 * digest, since none was computed over the whole image */
	HAS(payload_of(&f), fx_printf("\"update\": %s,\n \"image\": {\"size\": 5001},",
	                              update_json()));
}
END_TEST

START_TEST(check_update_not_read)
{
	veto_state *s1 = trusted1();
	size_t len;
	const uint8_t *img = fx_image(&len);
	char *stranger = FX_UPDATE_ENV(default_update_payload(), K_VENDOR2, K_AUD1, K_AUD2);
	fx_run *r = check_on(s1, stranger, img, len, NULL, 0);
	ck_assert_str_eq(fx_refusals(&r->rep), "update-untrusted");
	veto_receipt_facts f = check_facts(VETO_RECEIPT_CHECK, s1, r);
	ck_assert_str_eq(payload_of(&f), expect("check", "null", q(state_hex(s1)), "null",
	                                        policy_json(1, default_policy_payload()), "null",
	                                        "null", "", "\"refuse\"", reasons_of(&r->rep)));
}
END_TEST

START_TEST(check_policy_not_trusted)
{
	veto_state *s0 = fx_state0();
	const char *pol[] = {FX_POLICY_ENV(default_policy_payload(), K_OWNER2)};
	size_t len;
	const uint8_t *img = fx_image(&len);
	fx_run *r = fx_decide_ex(NULL, s0, pol, 1, fx_default_update_env(), img, len, 0, fx_now());
	ck_assert_int_eq(r->finish, VETO_REFUSED);
	veto_receipt_facts f = check_facts(VETO_RECEIPT_CHECK, s0, r);
	HAS(payload_of(&f), "\"policy\": null,");
}
END_TEST

START_TEST(check_with_revocation)
{
	veto_state *s1 = rev_state();
	char *rpay;
	const char *revs[] = {revocation(OLD_HEX, &rpay, AUDITORS), revocation(OLD_HEX2, NULL, ONE_AUDITOR)};
	size_t len;
	const uint8_t *img = fx_image(&len);
	fx_run *r = check_on(s1, fx_default_update_env(), img, len, revs, 2);
	ck_assert_int_eq(r->finish, VETO_OK);
	veto_receipt_facts f = check_facts(VETO_RECEIPT_CHECK, s1, r);
	char *p = payload_of(&f);
	HAS(p, fx_printf("\"revocations\": [\"%s\"],\n \"decision\": \"accept\"", sha_hex(rpay)));
	HAS(p, "\"notices\": [{\"code\": \"revocation-invalid\", \"index\": 2");
}
END_TEST

START_TEST(commit_accept_and_refuse)
{
	veto_state *s1, *s2;
	fx_run *r;
	size_t len;
	const uint8_t *img = fx_image(&len);
	veto_receipt_facts f = committed(&s1, &s2, &r);
	ck_assert_str_eq(payload_of(&f), expect("commit", "null", q(state_hex(s1)),
	                                        q(state_hex(s2)),
	                                        policy_json(1, default_policy_payload()),
	                                        update_json(), image_json(len, img), "",
	                                        "\"accept\"", NO_REASONS));

	fx_run *bad = check_on(s1, fx_default_update_env(), img, len - 1, NULL, 0);
	ck_assert_int_eq(bad->finish, VETO_REFUSED);
	f = check_facts(VETO_RECEIPT_COMMIT, s1, bad);
	ck_assert_str_eq(payload_of(&f), expect("commit", "null", q(state_hex(s1)), "null",
	                                        policy_json(1, default_policy_payload()),
	                                        update_json(), image_json(len - 1, img), "",
	                                        "\"refuse\"", reasons_of(&bad->rep)));
	/* a refused commit writes nothing: a state handed in is a misuse */
	f.after = s2;
	char *out = (char *)"sentinel";
	ck_assert_int_eq(veto_receipt_payload(&out, NULL, NULL, &f), VETO_E_ARG);
	ck_assert_ptr_null(out);
}
END_TEST

/* ---- misuse ------------------------------------------------------------------ */

START_TEST(nonce_rule)
{
	veto_receipt_facts f = facts(VETO_RECEIPT_STATUS);
	f.before = fx_state0();
	char n128[129], n129[130];
	memset(n128, 'x', 128);
	n128[128] = 0;
	memset(n129, 'x', 129);
	n129[129] = 0;
	const char *bad[] = {"", n129, "two words", "tab\there", "caf\xc3\xa9", "del\x7f",
	                     "new\nline"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *out = (char *)"sentinel";
		size_t len = 7;
		f.nonce = bad[i];
		ck_assert_msg(veto_receipt_payload(&out, &len, NULL, &f) == VETO_E_ARG, "#%zu", i);
		ck_assert_ptr_null(out);
		ck_assert_uint_eq(len, 0);
		ck_assert_int_eq(veto_receipt_sign(&out, NULL, NULL, &f, fx_key_get(DEVICE)->seed),
		                 VETO_E_ARG);
	}
	const char *good[] = {n128, "!", "~", "\"quoted\\"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		f.nonce = good[i];
		veto_receipt *r = read_ok(signed_of(&f));
		ck_assert_str_eq(veto_receipt_nonce(r), good[i]);
		veto_receipt_free(r);
	}
}
END_TEST

START_TEST(facts_misuse)
{
	veto_state *s1 = trusted1();
	fx_run *r = check_on(s1, fx_default_update_env(), NULL, 0, NULL, 0);
	fx_run *t = fx_run_new(NULL);
	const char *one[] = {"x"};
	veto_receipt_facts ok = check_facts(VETO_RECEIPT_CHECK, s1, r);
	veto_receipt_facts c[14];
	for (size_t i = 0; i < 14; i++)
		c[i] = ok;
	c[0].kind = (veto_receipt_kind)0;
	c[1].kind = (veto_receipt_kind)6;
	c[2].check = NULL;                      /* a check needs its check */
	c[3].report = NULL;                     /* ... and its report */
	c[4].report = &t->rep;                  /* ... the check's own */
	c[5].after = s1;                        /* a check writes nothing */
	c[6].kind = VETO_RECEIPT_TRUST;         /* a trust has no check */
	c[7] = facts(VETO_RECEIPT_INIT);        /* init: the state made */
	c[8] = facts(VETO_RECEIPT_STATUS);      /* status: the state read */
	c[9] = facts(VETO_RECEIPT_TRUST);       /* trust: a report and a state */
	c[9].before = s1;
	c[10] = c[9];
	c[10].report = &t->rep;
	c[10].n_revocations = 1;                /* revocations NULL */
	c[11] = c[10];
	c[11].revocations = bytes_of(one, 1);
	c[11].n_revocations = 65;               /* more than a command takes */
	c[12] = facts(VETO_RECEIPT_STATUS);
	c[12].before = s1;
	c[12].report = &t->rep;                 /* status decides nothing */
	c[13] = c[12];
	c[13].report = NULL;
	c[13].revocations = bytes_of(one, 1);
	c[13].n_revocations = 1;                /* only a trust hands them in */
	for (size_t i = 0; i < 14; i++) {
		char *out = (char *)"sentinel";
		ck_assert_msg(veto_receipt_payload(&out, NULL, NULL, &c[i]) == VETO_E_ARG, "#%zu", i);
		ck_assert_ptr_null(out);
	}
	char *out = (char *)"sentinel";
	ck_assert_int_eq(veto_receipt_payload(&out, NULL, NULL, NULL), VETO_E_ARG);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(veto_receipt_payload(NULL, NULL, NULL, &ok), VETO_E_ARG);
	ck_assert_int_eq(veto_receipt_sign(&out, NULL, NULL, &ok, NULL), VETO_E_ARG);
	ok.time = -62167219201; /* the second before year 0000 */
	ck_assert_int_eq(veto_receipt_payload(&out, NULL, NULL, &ok), VETO_E_ARG);
}
END_TEST

START_TEST(unfinished_check)
{
	veto_state *s1 = trusted1();
	fx_run *r = fx_run_new(NULL);
	const char *u = fx_default_update_env();
	ck_assert_int_eq(veto_check_begin(&r->c, &r->rep, NULL, s1, NULL, 0, (const uint8_t *)u,
	                                  strlen(u), fx_now()),
	                 VETO_OK);
	veto_receipt_facts f = check_facts(VETO_RECEIPT_CHECK, s1, r);
	char *out = (char *)"sentinel";
	ck_assert_int_eq(veto_receipt_payload(&out, NULL, NULL, &f), VETO_E_SEQUENCE);
	ck_assert_ptr_null(out);
	f.kind = VETO_RECEIPT_COMMIT;
	ck_assert_int_eq(veto_receipt_sign(&out, NULL, NULL, &f, fx_key_get(DEVICE)->seed),
	                 VETO_E_SEQUENCE);
}
END_TEST

START_TEST(preflight_check_is_no_receipt)
{
	const char *u = fx_default_update_env(), *p = fx_default_policy_env();
	veto_preflight *pf = NULL;
	fx_run *r = fx_run_new(NULL);
	ck_assert_int_eq(veto_preflight_new(&pf, NULL, (const uint8_t *)u, strlen(u)), VETO_OK);
	ck_assert_int_eq(veto_preflight_check(&r->c, &r->rep, pf, (const uint8_t *)p, strlen(p),
	                                      fx_now()),
	                 VETO_OK);
	ck_assert_int_eq(veto_check_finish(r->c, NULL), VETO_OK);
	veto_receipt_facts f = check_facts(VETO_RECEIPT_CHECK, NULL, r);
	char *out = (char *)"sentinel";
	ck_assert_int_eq(veto_receipt_payload(&out, NULL, NULL, &f), VETO_E_ARG);
	ck_assert_ptr_null(out);
	veto_check_free(r->c); /* before the pre-flight it belongs to */
	r->c = NULL;
	veto_preflight_free(pf);
}
END_TEST

/* ---- signing and reading ------------------------------------------------------ */

START_TEST(sign_read_round_trip)
{
	veto_state *s1, *s2;
	fx_run *r;
	veto_receipt_facts f = committed(&s1, &s2, &r);
	f.nonce = "n0nce";
	char *env = signed_of(&f), *payload = payload_of(&f);
	/* the envelope veto_sign would write: one signature by the device */
	veto_envelope *e = NULL;
	ck_assert_int_eq(veto_envelope_parse(&e, NULL, NULL, (const uint8_t *)env, strlen(env)),
	                 VETO_OK);
	ck_assert_str_eq(veto_envelope_type(e), VETO_TYPE_RECEIPT);
	ck_assert_uint_eq(veto_envelope_sig_count(e), 1);
	ck_assert_str_eq(veto_envelope_sig_keyid(e, 0), fx_key_get(DEVICE)->keyid);
	ck_assert_int_eq(veto_envelope_sig_verifies(e, 0, fx_key_get(DEVICE)->pk), 1);
	veto_envelope_free(e);
	ck_assert_int_eq(env[strlen(env) - 1], '\n');

	veto_receipt *rc = read_ok(env);
	uint8_t d[32];
	size_t plen = 0;
	ck_assert_int_eq(veto_receipt_get_kind(rc), VETO_RECEIPT_COMMIT);
	ck_assert_int_eq(veto_receipt_time(rc), fx_now());
	ck_assert_str_eq(veto_receipt_nonce(rc), "n0nce");
	ck_assert_str_eq(veto_receipt_decision(rc), "accept");
	ck_assert_str_eq(veto_receipt_vendor(rc), "acme");
	ck_assert_str_eq(veto_receipt_model(rc), "thermo-2");
	ck_assert_int_eq(veto_receipt_state_before(rc, d), 1);
	ck_assert_str_eq(fx_hex(d, 32), state_hex(s1));
	ck_assert_int_eq(veto_receipt_state_after(rc, d), 1);
	ck_assert_str_eq(fx_hex(d, 32), state_hex(s2));
	const uint8_t *pj = veto_receipt_payload_json(rc, &plen);
	ck_assert_uint_eq(plen, strlen(payload));
	ck_assert_mem_eq(pj, payload, plen);
	veto_receipt_free(rc);
}
END_TEST

static veto_status read_st(const char *env, const uint8_t *pk, veto_diag *d)
{
	veto_receipt *r = (veto_receipt *)(uintptr_t)1;
	veto_status st = veto_receipt_read(&r, d, NULL, (const uint8_t *)env, strlen(env), pk);
	ck_assert_ptr_null(r);
	return st;
}

START_TEST(read_verifies_before_parsing)
{
	veto_receipt_facts f = facts(VETO_RECEIPT_INIT);
	f.after = fx_state0();
	char *payload = payload_of(&f);
	const uint8_t *pk = fx_key_get(DEVICE)->pk;
	veto_diag d = {{0}};
	/* tampered: the signature of the first payload over another one */
	fx_sig sig;
	fx_sig_by(&sig, DEVICE, VETO_TYPE_RECEIPT, payload);
	char *other = fx_replace(payload, "\"init\"", "\"trust\"");
	ck_assert_int_eq(read_st(fx_envelope(VETO_TYPE_RECEIPT, other, &sig, 1), pk, &d),
	                 VETO_REFUSED);
	HAS(d.detail, fx_printf("no signature by the device key %s verifies",
	                        fx_key_get(DEVICE)->keyid));
	/* signed by another key; and no signature at all */
	char *by_owner = fx_env_keys(VETO_TYPE_RECEIPT, payload, (const int[]){K_OWNER}, 1);
	ck_assert_int_eq(read_st(by_owner, pk, &d), VETO_REFUSED);
	ck_assert_int_eq(read_st(fx_envelope(VETO_TYPE_RECEIPT, payload, NULL, 0), pk, &d),
	                 VETO_REFUSED);
	/* the device key among others: it is enough */
	veto_receipt *r = read_ok(fx_env_keys(VETO_TYPE_RECEIPT, payload,
	                                      (const int[]){K_OWNER, DEVICE}, 2));
	veto_receipt_free(r);
	/* wrong type, even though the device signed it: nothing is parsed */
	char *as_policy = fx_env_keys(VETO_TYPE_POLICY, "not even json", (const int[]){DEVICE}, 1);
	ck_assert_int_eq(read_st(as_policy, pk, &d), VETO_E_TYPE);
	HAS(d.detail, "payloadType \"application/vnd.veto.policy+json\" is not "
	              "\"application/vnd.veto.receipt+json\"");
	/* a signed payload that is not a receipt */
	char *junk = fx_env_keys(VETO_TYPE_RECEIPT, "not json", (const int[]){DEVICE}, 1);
	ck_assert_int_eq(read_st(junk, pk, &d), VETO_E_MALFORMED);
	ck_assert_int_eq(read_st("{\"payloadType\": 1}", pk, &d), VETO_E_MALFORMED);
	/* keys and arguments */
	uint8_t zero[32] = {0};
	ck_assert_int_eq(read_st(signed_of(&f), zero, &d), VETO_E_KEY);
	ck_assert_int_eq(veto_receipt_read(NULL, &d, NULL, (const uint8_t *)"{}", 2, pk), VETO_E_ARG);
	ck_assert_int_eq(read_st("{}", NULL, &d), VETO_E_ARG);
	veto_receipt *out = (veto_receipt *)(uintptr_t)1;
	ck_assert_int_eq(veto_receipt_read(&out, &d, NULL, NULL, 0, pk), VETO_E_ARG);
	ck_assert_ptr_null(out);
}
END_TEST

/* SPEC 9.1: only the gatekeeper signs receipts; sign, pae and attach take
 * a policy, an update or a revocation alone. */
START_TEST(sign_refuses_a_receipt)
{
	veto_receipt_facts f = facts(VETO_RECEIPT_INIT);
	f.after = fx_state0();
	char *payload = payload_of(&f);
	char *out = (char *)"sentinel";
	uint8_t *pae = NULL;
	size_t len = 0;
	veto_diag d = {{0}};
	ck_assert_int_eq(veto_sign(&out, &len, &d, NULL, (const uint8_t *)payload, strlen(payload),
	                           fx_key_get(DEVICE)->seed),
	                 VETO_E_MALFORMED);
	ck_assert_ptr_null(out);
	HAS(d.detail, "format: \"veto.receipt/1\" is not \"veto.policy/1\"");
	ck_assert_int_eq(veto_pae_of(&pae, &len, NULL, &d, NULL, (const uint8_t *)payload,
	                             strlen(payload)),
	                 VETO_E_MALFORMED);
	ck_assert_ptr_null(pae);
	fx_sig sig;
	int added = 0;
	fx_sig_by(&sig, DEVICE, VETO_TYPE_RECEIPT, payload);
	ck_assert_int_eq(veto_attach(&out, &len, &added, &d, NULL, (const uint8_t *)payload,
	                             strlen(payload), fx_key_get(DEVICE)->pk, sig.sig),
	                 VETO_E_MALFORMED);
	ck_assert_ptr_null(out);
	char *env = signed_of(&f);
	ck_assert_int_eq(veto_cosign(&out, &len, &added, &d, NULL, (const uint8_t *)env,
	                             strlen(env), fx_key_get(K_OWNER)->seed),
	                 VETO_E_TYPE);
	ck_assert_ptr_null(out);
}
END_TEST

/* ---- the payload's schema: each rule broken, signed properly ------------------ */

typedef struct schema_case {
	const char *from, *to, *fragment;
} schema_case;

static void schema_cases(const char *base, const schema_case *c, size_t n)
{
	const uint8_t *pk = fx_key_get(DEVICE)->pk;
	for (size_t i = 0; i < n; i++) {
		char *payload = fx_replace(base, c[i].from, c[i].to);
		char *env = fx_env_keys(VETO_TYPE_RECEIPT, payload, (const int[]){DEVICE}, 1);
		veto_diag d = {{0}};
		veto_status st = read_st(env, pk, &d);
		ck_assert_msg(st == VETO_E_MALFORMED, "#%zu (%s): %s", i, c[i].to, veto_status_name(st));
		ck_assert_msg(strstr(d.detail, c[i].fragment) != NULL, "#%zu: \"%s\" not in \"%s\"", i,
		              c[i].fragment, d.detail);
	}
}

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

START_TEST(schema_commit)
{
	veto_state *s1, *s2;
	fx_run *r;
	veto_receipt_facts f = committed(&s1, &s2, &r);
	char *p = payload_of(&f);
	veto_receipt_free(read_ok(fx_env_keys(VETO_TYPE_RECEIPT, p, (const int[]){DEVICE}, 1)));
	tw_str many = {0};
	tw_str_printf(&many, "\"revocations\": [\"" HEX64 "\"");
	for (int i = 0; i < 64; i++)
		tw_str_printf(&many, ", \"" HEX64 "\"");
	tw_str_printf(&many, "]");
	const char *revs65 = fx_printf("%s", many.s);
	tw_str_free(&many);
	const schema_case c[] = {
	    {"\"veto.receipt/1\"", "\"veto.receipt/2\"", "format: \"veto.receipt/2\" is not \"veto.receipt/1\""},
	    {"\"kind\": \"commit\"", "\"kind\": \"install\"", "kind: \"install\" is not init, trust, check, commit or status"},
	    {"\"kind\": \"commit\"", "\"kind\": 4", "kind: expected a string"},
	    {"\"vendor\": \"acme\"", "\"vendor\": \"ACME\"", "device.vendor: \"ACME\" is not a vendor name"},
	    {"\"model\": \"thermo-2\"}", "\"model\": \"thermo-2\", \"serial\": \"x\"}", "device: unknown member \"serial\""},
	    {"\"time\": \"2026-11-21T00:00:00Z\"", "\"time\": \"2026-02-30T00:00:00Z\"", "time: \"2026-02-30T00:00:00Z\" is not a real instant"},
	    {"\"time\": \"2026-11-21T00:00:00Z\"", "\"time\": \"2026-11-21 00:00:00\"", "time: not a time of the form YYYY-MM-DDTHH:MM:SSZ"},
	    {"\"time\": \"2026-11-21T00:00:00Z\"", "\"time\": null", "time: not a time of the form"},
	    {"\"nonce\": null", "\"nonce\": \"a b\"", "nonce: not null nor 1..128 characters U+0021..U+007E"},
	    {"\"nonce\": null", "\"nonce\": \"\"", "nonce: not null nor 1..128 characters"},
	    {"\"nonce\": null", "\"nonce\": 7", "nonce: not null nor 1..128 characters"},
	    {"\"state_before\": \"", "\"state_before\": \"x", "state_before: not null nor 64 lowercase hex digits"},
	    {"\"state_after\": \"", "\"state_after\": \"G", "state_after: not null nor 64 lowercase hex digits"},
	    {q(state_hex(s2)), q(state_hex(s1)), "state_after: equal to state_before (nothing was written) (kind \"commit\")"},
	    {"\"policy\": {\"serial\": 1,", "\"policy\": {\"serial\": \"1\",", "policy.serial: expected an integer from 0 to 2^53-1"},
	    {"\"policy\": {\"serial\": 1,", "\"policy\": {\"serial\": 1, \"issued\": 0,", "policy: unknown member \"issued\""},
	    {"\"policy\": {\"serial\": 1, \"sha256\": \"", "\"policy\": {\"serial\": 1, \"sha256\": \"0", "policy.sha256: not 64 lowercase hex digits"},
	    {"\"policy\": {\"serial\": 1, ", "\"policy\": {", "policy: missing member \"serial\""},
	    {"\"version\": \"2.4.1\"", "\"version\": \"\"", "update.version: length 0 is outside 1..64"},
	    {"\"security_counter\": 42", "\"security_counter\": true", "update.security_counter: expected an integer"},
	    {", \"version\": \"2.4.1\"}", "}", "update: missing member \"version\""},
	    {fx_printf("\"update\": %s", update_json()), "\"update\": null", "image: must be null when update is (kind \"commit\")"},
	    {"\"image\": {\"size\": 5000, \"sha256\": \"", "\"image\": {\"size\": 5000, \"sha256\": \"X", "image.sha256: not 64 lowercase hex digits"},
	    {"\"image\": {\"size\": 5000,", "\"image\": {\"size\": 5000, \"md5\": \"00\",", "image: unknown member \"md5\""},
	    {"\"image\": {\"size\": 5000,", "\"image\": {\"size\": \"5000\",", "image.size: expected an integer"},
	    {"\"revocations\": []", "\"revocations\": [\"00\"]", "revocations[0]: not 64 lowercase hex digits"},
	    {"\"revocations\": []", "\"revocations\": {}", "revocations: expected an array"},
	    {"\"revocations\": []", revs65, "revocations: 65 entries, more than the limit of 64"},
	    {"\"decision\": \"accept\"", "\"decision\": \"maybe\"", "decision: not \"accept\" nor \"refuse\" (kind \"commit\")"},
	    {"\"decision\": \"accept\"", "\"decision\": null", "decision: not \"accept\" nor \"refuse\""},
	    {"\"decision\": \"accept\"", "\"decision\": \"refuse\"", "state_after: must be null for a refused commit (kind \"commit\")"},
	    {"\"refusals\": []", "\"refusals\": [{\"code\": \"nope\"}]", "refusals[0].code: \"nope\" is not the code of a refusal"},
	    {"\"refusals\": []", "\"refusals\": [{\"code\": \"image-unchecked\"}]", "refusals[0].code: \"image-unchecked\" is not the code of a refusal"},
	    {"\"notices\": []", "\"notices\": [{\"code\": \"rollback\"}]", "notices[0].code: \"rollback\" is not the code of a notice"},
	    {"\"refusals\": []", "\"refusals\": [{\"code\": \"on-hold\", \"offered\": \"x\"}]", "refusals[0]: unknown member \"offered\""},
	    {"\"notices\": []", "\"notices\": [{\"code\": \"image-unchecked\", \"have\": 1}]", "notices[0]: \"have\" and \"need\" come together"},
	    {"\"notices\": []", "\"notices\": [{\"code\": \"image-unchecked\", \"index\": 0}]", "notices[0].index: 0 is outside 1..4294967295"},
	    {"\"notices\": []", "\"notices\": [5]", "notices[0]: expected an object"},
	    {"\"notices\": []", "\"notices\": [{\"code\": \"image-unchecked\", \"detail\": \"\"}]", "notices[0].detail: length 0 is outside 1..191"},
	    {"\"notices\": []", "\"notices\": [{\"detail\": \"x\"}]", "notices[0].code: expected a string"},
	    {"\"notices\": []", "\"notices\": [{\"code\": \"key-revoked\", \"role\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}]", "notices[0].role: length 33 is outside 1..32"},
	    {"\"notices\": []", "\"notices\": {}", "notices: expected an array"},
	    {"\"refusals\": []", "\"refusals\": [{\"code\": \"rollback\"}]", "decision: \"accept\" with refusals (kind \"commit\")"},
	    {"\"notices\": []}", "\"notices\": [], \"extra\": 1}", "receipt: unknown member \"extra\""},
	    {"\"nonce\": null,", "", "receipt: missing member \"nonce\""},
	    {"\"nonce\": null,", "\"nonce\": null, \"nonce\": null,", "duplicate member \"nonce\""},
	    {"\"kind\": \"commit\"", "\"kind\": \"check\"", "state_after: must be null (nothing is written) (kind \"check\")"},
	    {"\"kind\": \"commit\"", "\"kind\": \"trust\"", "update: must be null (kind \"trust\")"},
	};
	schema_cases(p, c, sizeof(c) / sizeof(c[0]));
}
END_TEST

START_TEST(schema_init)
{
	veto_receipt_facts f = facts(VETO_RECEIPT_INIT);
	f.after = fx_state0();
	char *p = payload_of(&f);
	const schema_case c[] = {
	    {"\"decision\": null", "\"decision\": \"accept\"", "decision: must be null (kind \"init\")"},
	    {"\"policy\": null", "\"policy\": {\"serial\": 1, \"sha256\": \"" HEX64 "\"}", "policy: must be null (kind \"init\")"},
	    {"\"revocations\": []", "\"revocations\": [\"" HEX64 "\"]", "revocations, refusals and notices: must be empty (kind \"init\")"},
	    {"\"notices\": []", "\"notices\": [{\"code\": \"image-unchecked\"}]", "revocations, refusals and notices: must be empty (kind \"init\")"},
	    {"\"image\": null", "\"image\": {\"size\": 1}", "image: must be null (kind \"init\")"},
	    {"}\n", "}\nx", "at byte"},
	};
	schema_cases(p, c, sizeof(c) / sizeof(c[0]));
	/* an init read back writes a state; as a status it may not */
	const schema_case st[] = {{"\"kind\": \"init\"", "\"kind\": \"status\"",
	                           "state_after: must be null (nothing is written) (kind \"status\")"}};
	schema_cases(p, st, 1);
	char *trust = fx_replace(fx_replace(p, "\"kind\": \"init\"", "\"kind\": \"trust\""),
	                         "\"decision\": null", "\"decision\": \"refuse\"");
	const schema_case t[] = {
	    {"\"nonce\": null", "\"nonce\": null", "decision: \"refuse\" without a refusal (kind \"trust\")"},
	};
	schema_cases(trust, t, 1);
}
END_TEST

/* ---- the chain of states ----------------------------------------------------- */

#define A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define D "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
#define X "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"

/* A receipt of kind from state `before` to `after` (NULL: null), read;
 * freed at the end of the test by free_all. */
static veto_receipt *kept[32];
static size_t n_kept;

static const veto_receipt *mk(const char *kind, const char *before, const char *after,
                              const char *decision)
{
	bool decides = strcmp(kind, "init") != 0 && strcmp(kind, "status") != 0;
	const char *reasons = decides && strcmp(decision, "refuse") == 0
	                          ? "\"refusals\": [{\"code\": \"image-size\"}], \"notices\": []"
	                          : NO_REASONS;
	char *p = expect(kind, "null", q(before), q(after), "null", "null", "null", "",
	                 decides ? q(decision) : "null", reasons);
	veto_receipt *r = read_ok(fx_env_keys(VETO_TYPE_RECEIPT, p, (const int[]){DEVICE}, 1));
	ck_assert_uint_lt(n_kept, 32);
	kept[n_kept++] = r;
	return r;
}

static void free_all(void)
{
	while (n_kept > 0)
		veto_receipt_free(kept[--n_kept]);
}

/* The flags of r[0..n) as text, "0,gap,fork,gap+fork". */
static const char *chain_of(const veto_receipt *const *r, size_t n)
{
	unsigned flags[32];
	ck_assert_int_eq(veto_receipt_chain(flags, NULL, r, n), VETO_OK);
	char *out = fx_printf("%s", "");
	for (size_t i = 0; i < n; i++) {
		const char *f = flags[i] == 0 ? "0"
		                : flags[i] == VETO_LINK_GAP ? "gap"
		                : flags[i] == VETO_LINK_FORK ? "fork"
		                : flags[i] == (VETO_LINK_GAP | VETO_LINK_FORK) ? "gap+fork" : "?";
		out = fx_printf("%s%s%s", out, i ? "," : "", f);
	}
	return out;
}

#define CHAIN(...)                                                                         \
	chain_of((const veto_receipt *const[]){__VA_ARGS__},                                     \
	         sizeof((const veto_receipt *const[]){__VA_ARGS__}) / sizeof(veto_receipt *))

START_TEST(chain_rules)
{
	const veto_receipt *init = mk("init", NULL, A, NULL), *trust = mk("trust", A, B, "accept"),
	                   *check = mk("check", B, NULL, "accept"), *commit = mk("commit", B, C, "accept"),
	                   *refused = mk("commit", C, NULL, "refuse"), *trust2 = mk("trust", C, D, "accept");
	ck_assert_str_eq(CHAIN(init, trust, check, commit, refused, trust2), "0,0,0,0,0,0");
	/* a receipt missing: the next one's state was written by none given */
	ck_assert_str_eq(CHAIN(init, trust, check, refused, trust2), "0,0,0,0,gap");
	ck_assert_str_eq(CHAIN(init, commit, trust2), "0,gap,0");
	/* a check or a status of a state no receipt wrote is a gap too */
	ck_assert_str_eq(CHAIN(init, check), "0,gap");
	ck_assert_str_eq(CHAIN(init, mk("status", X, NULL, NULL)), "0,gap");
	/* ... but a refusal that wrote nothing breaks nothing */
	ck_assert_str_eq(CHAIN(init, mk("commit", X, NULL, "refuse")), "0,0");
	ck_assert_str_eq(CHAIN(init, mk("trust", A, NULL, "refuse"), trust), "0,0,0");
	/* a state restored from an old copy: two receipts leave A */
	ck_assert_str_eq(CHAIN(init, trust, mk("commit", A, C, "accept")), "0,0,fork");
	/* two enrolments: the device's history thrown away */
	ck_assert_str_eq(CHAIN(init, mk("init", NULL, B, NULL)), "0,fork");
	/* both at once */
	ck_assert_str_eq(CHAIN(init, commit, mk("commit", B, D, "accept")), "0,gap,gap+fork");
	/* the first receipt given never has a gap: a chain is checked from any point */
	ck_assert_str_eq(CHAIN(commit, trust2), "0,0");
	ck_assert_str_eq(CHAIN(check), "0");
	/* NULL entries (receipts that did not verify) count for nothing */
	ck_assert_str_eq(CHAIN(NULL, commit, NULL, trust2, NULL), "0,0,0,0,0");
	ck_assert_str_eq(CHAIN(init, NULL, commit), "0,0,gap");
	ck_assert_str_eq(CHAIN(NULL), "0");
	/* order matters: a receipt is linked only to earlier ones */
	ck_assert_str_eq(CHAIN(trust2, commit), "0,gap");
	free_all();
}
END_TEST

START_TEST(chain_many)
{
	enum { N = 3000 };
	const veto_receipt *one = mk("commit", A, B, "accept");
	const veto_receipt **r = fx_alloc(N * sizeof(*r));
	unsigned *flags = fx_alloc(N * sizeof(*flags));
	for (size_t i = 0; i < N; i++)
		r[i] = one;
	ck_assert_int_eq(veto_receipt_chain(flags, NULL, r, N), VETO_OK);
	ck_assert_uint_eq(flags[0], 0);
	for (size_t i = 1; i < N; i++)
		ck_assert_uint_eq(flags[i], VETO_LINK_GAP | VETO_LINK_FORK);
	free_all();
}
END_TEST

START_TEST(chain_args)
{
	const veto_receipt *one = mk("init", NULL, A, NULL);
	unsigned flags[1];
	ck_assert_int_eq(veto_receipt_chain(NULL, NULL, NULL, 0), VETO_OK);
	ck_assert_int_eq(veto_receipt_chain(NULL, NULL, &one, 1), VETO_E_ARG);
	ck_assert_int_eq(veto_receipt_chain(flags, NULL, NULL, 1), VETO_E_ARG);
	free_all();
}
END_TEST

/* The life of a device, receipts signed by the library from real states. */
START_TEST(chain_life_cycle)
{
	veto_state *s0 = fx_state0(), *s1 = NULL, *s2 = NULL, *s3 = NULL, *s2b = NULL;
	veto_receipt *r[7];
	veto_receipt_facts f = facts(VETO_RECEIPT_INIT);
	f.after = s0;
	r[0] = read_ok(signed_of(&f));
	const char *pol[] = {fx_default_policy_env()};
	fx_run *t = fx_trust(&s1, s0, pol, 1, fx_now());
	f = facts(VETO_RECEIPT_TRUST);
	f.before = s0;
	f.after = s1;
	f.report = &t->rep;
	r[1] = read_ok(signed_of(&f));
	size_t len;
	const uint8_t *img = fx_image(&len);
	fx_run *c = check_on(s1, fx_default_update_env(), img, len, NULL, 0);
	f = check_facts(VETO_RECEIPT_CHECK, s1, c);
	r[2] = read_ok(signed_of(&f));
	ck_assert_int_eq(veto_check_commit(&s2, c->c), VETO_OK);
	fx_keep_state(s2);
	f.kind = VETO_RECEIPT_COMMIT;
	f.after = s2;
	r[3] = read_ok(signed_of(&f));
	fx_run *bad = check_on(s2, fx_default_update_env(), img, len - 1, NULL, 0);
	f = check_facts(VETO_RECEIPT_COMMIT, s2, bad);
	r[4] = read_ok(signed_of(&f));
	fx_policy p;
	fx_policy_init(&p);
	p.serial = 2;
	const char *pol2[] = {FX_POLICY_ENV(fx_policy_text(&p), K_OWNER)};
	fx_run *t2 = fx_trust(&s3, s2, pol2, 1, fx_now());
	f = facts(VETO_RECEIPT_TRUST);
	f.before = s2;
	f.after = s3;
	f.report = &t2->rep;
	r[5] = read_ok(signed_of(&f));
	/* the state before the commit restored, and the update installed again */
	fx_run *again = check_on(s1, fx_default_update_env(), img, len, NULL, 0);
	ck_assert_int_eq(veto_check_commit(&s2b, again->c), VETO_OK);
	fx_keep_state(s2b);
	f = check_facts(VETO_RECEIPT_COMMIT, s1, again);
	f.after = s2b;
	r[6] = read_ok(signed_of(&f));
	ck_assert_str_eq(CHAIN(r[0], r[1], r[2], r[3], r[4], r[5]), "0,0,0,0,0,0");
	/* the commit left out: the trust after it starts from a state no
	 * receipt wrote (the refusal between them wrote nothing: no flag) */
	ck_assert_str_eq(CHAIN(r[0], r[1], r[2], r[4], r[5]), "0,0,0,0,gap");
	ck_assert_str_eq(CHAIN(r[0], r[1], r[3], r[6]), "0,0,0,fork");
	for (size_t i = 0; i < 7; i++)
		veto_receipt_free(r[i]);
}
END_TEST

START_TEST(accessors_of_null)
{
	uint8_t d[32];
	size_t len = 9;
	ck_assert_int_eq(veto_receipt_get_kind(NULL), 0);
	ck_assert_int_eq(veto_receipt_time(NULL), 0);
	ck_assert_ptr_null(veto_receipt_nonce(NULL));
	ck_assert_ptr_null(veto_receipt_decision(NULL));
	ck_assert_ptr_null(veto_receipt_vendor(NULL));
	ck_assert_ptr_null(veto_receipt_model(NULL));
	ck_assert_int_eq(veto_receipt_state_before(NULL, d), 0);
	ck_assert_int_eq(veto_receipt_state_after(NULL, d), 0);
	ck_assert_ptr_null(veto_receipt_payload_json(NULL, &len));
	ck_assert_uint_eq(len, 0);
	veto_receipt_free(NULL);
	const char *names[] = {"unknown", "init", "trust", "check", "commit", "status", "unknown"};
	for (int k = 0; k <= 6; k++)
		ck_assert_str_eq(veto_receipt_kind_name((veto_receipt_kind)k), names[k]);
	ck_assert_str_eq(veto_receipt_kind_name((veto_receipt_kind)-1), "unknown");
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("receipt");
	struct {
		const char *name;
		const TTest *tests[16];
	} groups[] = {
	    {"payload", {init_payload, status_payload_with_nonce, trust_accept_payload,
	                 trust_refused_payload, trust_revocations_only,
	                 trust_invalid_and_valid_revocation, trust_revocation_limit,
	                 trust_unreadable_revocation, trust_identical_state_writes_nothing,
	                 check_accept_with_image, check_accept_without_image, check_refuse_with_image,
	                 check_image_longer_than_manifest, check_update_not_read,
	                 check_policy_not_trusted, check_with_revocation}},
	    {"misuse", {commit_accept_and_refuse, nonce_rule, facts_misuse, unfinished_check,
	                preflight_check_is_no_receipt}},
	    {"read", {sign_read_round_trip, read_verifies_before_parsing, sign_refuses_a_receipt,
	              schema_commit, schema_init, accessors_of_null}},
	    {"chain", {chain_rules, chain_many, chain_args, chain_life_cycle}},
	};
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		TCase *tc = fx_tcase(groups[g].name);
		for (size_t i = 0; i < 16 && groups[g].tests[i] != NULL; i++)
			tcase_add_test(tc, groups[g].tests[i]);
		suite_add_tcase(s, tc);
	}
	return s;
}
