/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fixture.h"

/* ---- arena --------------------------------------------------------------- */

enum { A_MEM, A_STATE, A_RUN };

typedef struct fx_item {
	void *p;
	int kind;
} fx_item;

static fx_item *arena;
static size_t arena_n, arena_cap;

static void *keep(void *p, int kind)
{
	ck_assert_ptr_nonnull(p);
	if (arena_n == arena_cap) {
		size_t cap = arena_cap ? arena_cap * 2 : 64;
		fx_item *grown = realloc(arena, cap * sizeof(*grown));
		ck_assert_ptr_nonnull(grown);
		arena = grown;
		arena_cap = cap;
	}
	arena[arena_n].p = p;
	arena[arena_n].kind = kind;
	arena_n++;
	return p;
}

void fx_teardown(void)
{
	/* Newest first: a check may refer to a state made before it. */
	while (arena_n > 0) {
		fx_item *it = &arena[--arena_n];
		if (it->kind == A_STATE) {
			veto_state_free(it->p);
		} else if (it->kind == A_RUN) {
			fx_run *r = it->p;
			veto_check_free(r->c);
			veto_report_clear(&r->rep);
			free(r);
		} else {
			free(it->p);
		}
	}
	free(arena);
	arena = NULL;
	arena_cap = 0;
}

void *fx_alloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	return keep(p, A_MEM);
}

veto_state *fx_keep_state(veto_state *s)
{
	return keep(s, A_STATE);
}

char *fx_printf(const char *fmt, ...)
{
	va_list ap;
	if (fmt == NULL) /* never; tells gcc's -Wformat-truncation under UBSan */
		fmt = "";
	va_start(ap, fmt);
	char probe[1];
	int n = vsnprintf(probe, sizeof(probe), fmt, ap);
	va_end(ap);
	ck_assert_int_ge(n, 0);
	char *s = fx_alloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *fx_b64(const uint8_t *data, size_t n)
{
	size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = fx_alloc(cap);
	sodium_bin2base64(s, cap, data, n, sodium_base64_VARIANT_ORIGINAL);
	return s;
}

char *fx_hex(const uint8_t *data, size_t n)
{
	char *s = fx_alloc(2 * n + 1);
	sodium_bin2hex(s, 2 * n + 1, data, n);
	return s;
}

char *fx_replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	ck_assert_msg(at != NULL, "fx_replace: \"%s\" not found", from);
	size_t pre = (size_t)(at - s), fl = strlen(from), tl = strlen(to), rest = strlen(at + fl);
	char *out = fx_alloc(pre + tl + rest + 1);
	memcpy(out, s, pre);
	memcpy(out + pre, to, tl);
	memcpy(out + pre + tl, at + fl, rest + 1);
	return out;
}

char *fx_replace_all(const char *s, const char *from, const char *to)
{
	char *out = fx_printf("%s", s);
	const char *at;
	size_t skip = 0;
	/* from the end of each replacement on, so `to` may contain `from` */
	while ((at = strstr(out + skip, from)) != NULL) {
		size_t pre = (size_t)(at - out);
		out = fx_printf("%.*s%s%s", (int)pre, out, to, at + strlen(from));
		skip = pre + strlen(to);
	}
	return out;
}

int64_t fx_time(const char *text)
{
	int64_t t = 0;
	ck_assert_int_eq(veto_time_parse(&t, text, strlen(text)), VETO_OK);
	return t;
}

int64_t fx_now(void)
{
	return fx_time("2026-11-21T00:00:00Z");
}

/* ---- keys ---------------------------------------------------------------- */

static fx_key keys[K_COUNT];
static int keys_ready;

const fx_key *fx_key_get(int which)
{
	ck_assert_int_ge(which, 0);
	ck_assert_int_lt(which, K_COUNT);
	if (!keys_ready) {
		for (int i = 0; i < K_COUNT; i++)
			ck_assert_int_eq(tw_key_filled(&keys[i], (uint8_t)(i + 1)), VETO_OK);
		keys_ready = 1;
	}
	return &keys[which];
}

/* ---- a growing string, kept by the arena -------------------------------- */

typedef tw_str sb;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void sb_printf(sb *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ok = tw_str_vprintf(b, fmt, ap);
	va_end(ap);
	ck_assert(ok);
}

/* A document built by a tests/support/world.c function; asserts it was. */
static char *sb_done_if(sb *b, bool ok)
{
	ck_assert(ok);
	if (b->s == NULL)
		sb_printf(b, "%s", "");
	return keep(b->s, A_MEM);
}

static char *sb_done(sb *b)
{
	return sb_done_if(b, true);
}

/* The keys of these indices. */
static const tw_key *const *key_list(const int *k, size_t n)
{
	const tw_key **list = fx_alloc((n ? n : 1) * sizeof(*list));
	for (size_t i = 0; i < n; i++)
		list[i] = fx_key_get(k[i]);
	return list;
}

/* ---- policies ------------------------------------------------------------ */

void fx_role_set(fx_policy *p, const char *name, unsigned threshold, const int *k, size_t n)
{
	size_t at;
	ck_assert_uint_le(n, FX_MAX_RKEYS);
	for (at = 0; at < p->n_roles; at++)
		if (strcmp(p->roles[at].name, name) == 0)
			break;
	if (at == p->n_roles) {
		ck_assert_uint_lt(p->n_roles, FX_MAX_ROLES);
		p->n_roles++;
	}
	fx_role *r = &p->roles[at];
	r->name = name;
	r->threshold = threshold;
	r->n_keys = n;
	for (size_t i = 0; i < n; i++)
		r->keys[i] = k[i];
}

void fx_role_remove(fx_policy *p, const char *name)
{
	for (size_t i = 0; i < p->n_roles; i++) {
		if (strcmp(p->roles[i].name, name) == 0) {
			memmove(&p->roles[i], &p->roles[i + 1], (p->n_roles - i - 1) * sizeof(p->roles[0]));
			p->n_roles--;
			return;
		}
	}
	ck_abort_msg("fx_role_remove: no role %s", name);
}

void fx_policy_init(fx_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->serial = 1;
	p->expires = "2027-11-21T00:00:00Z";
	p->vendor = "acme";
	p->model = "thermo-2";
	FX_ROLE(p, "owner", 1, K_OWNER);
	FX_ROLE(p, "vendor", 1, K_VENDOR);
	FX_ROLE(p, "auditor", 2, K_AUD1, K_AUD2, K_AUD3);
	p->require = "[\"vendor\", \"auditor\"]";
	p->protected_features = "[\"local-control\", \"works-with-nest>=1.0\", \"zigbee\"]";
	p->removal_requires = "[\"owner\"]";
}

char *fx_keys_json(const int *k, size_t n)
{
	sb b = {0};
	return sb_done_if(&b, tw_keys_json(&b, key_list(k, n), n));
}

char *fx_policy_text(const fx_policy *p)
{
	tw_role roles[FX_MAX_ROLES];
	for (size_t r = 0; r < p->n_roles; r++)
		roles[r] = (tw_role){p->roles[r].name, key_list(p->roles[r].keys, p->roles[r].n_keys),
		                     p->roles[r].n_keys, p->roles[r].threshold};
	const tw_policy tp = {
	    .serial = p->serial,
	    .expires = p->expires,
	    .vendor = p->vendor,
	    .model = p->model,
	    .roles = roles,
	    .n_roles = p->n_roles,
	    .extra_keys = key_list(p->extra_keys, p->n_extra_keys),
	    .n_extra_keys = p->n_extra_keys,
	    .keys_json = p->keys_json,
	    .require = p->require,
	    .protected_features = p->protected_features,
	    .removal_requires = p->removal_requires,
	    .extra = p->extra,
	};
	sb b = {0};
	return sb_done_if(&b, tw_policy_text(&b, &tp));
}

char *fx_with_bad_key(const char *text, int which, const char *hex_pk)
{
	const fx_key *k = fx_key_get(which);
	uint8_t pk[32], h[32];
	size_t got = 0;
	ck_assert_int_eq(sodium_hex2bin(pk, 32, hex_pk, strlen(hex_pk), NULL, &got, NULL), 0);
	ck_assert_uint_eq(got, 32);
	crypto_hash_sha256(h, pk, 32);
	ck_assert_ptr_nonnull(strstr(text, k->keyid));
	char *out = fx_replace_all(text, k->keyid, fx_hex(h, 32));
	return fx_replace_all(out, k->b64, fx_b64(pk, 32));
}

char *fx_policy_with_bad_key(int where, const char *hex_pk)
{
	fx_policy p;
	fx_policy_init(&p);
	int victim = K_AUD3;
	if (where == 1) {
		p.extra_keys[p.n_extra_keys++] = K_OTHER;
		victim = K_OTHER;
	} else if (where == 2) {
		FX_ROLE(&p, "vendor", 1, K_VENDOR, K_VENDOR2);
		victim = K_VENDOR2;
	}
	return fx_with_bad_key(fx_policy_text(&p), victim, hex_pk);
}

/* ---- updates and images -------------------------------------------------- */

#define FX_IMAGE_LEN 5000U
static uint8_t image[FX_IMAGE_LEN];
static char image_sha[65], image_b2[65];
static int image_ready;

static void image_init(void)
{
	if (image_ready)
		return;
	uint8_t h[32];
	for (size_t i = 0; i < FX_IMAGE_LEN; i++)
		image[i] = (uint8_t)(i * 31U + 7U);
	crypto_hash_sha256(h, image, FX_IMAGE_LEN);
	sodium_bin2hex(image_sha, sizeof(image_sha), h, 32);
	crypto_generichash(h, 32, image, FX_IMAGE_LEN, NULL, 0);
	sodium_bin2hex(image_b2, sizeof(image_b2), h, 32);
	image_ready = 1;
}

const uint8_t *fx_image(size_t *len)
{
	image_init();
	*len = FX_IMAGE_LEN;
	return image;
}

const char *fx_image_sha256_hex(void)
{
	image_init();
	return image_sha;
}

const char *fx_image_blake2b_hex(void)
{
	image_init();
	return image_b2;
}

void fx_update_init(fx_update *u)
{
	memset(u, 0, sizeof(*u));
	u->vendor = "acme";
	u->model = "thermo-2";
	u->version = "2.4.1";
	u->counter = 42;
	u->size = FX_IMAGE_LEN;
	u->sha256 = fx_image_sha256_hex();
	u->blake2b = fx_image_blake2b_hex();
	u->features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\"]";
}

char *fx_update_text(const fx_update *u)
{
	const tw_update tu = {u->vendor,  u->model,   u->version,  u->counter, u->size,
	                      u->sha256,  u->blake2b, u->features, u->removes, u->extra};
	sb b = {0};
	return sb_done_if(&b, tw_update_text(&b, &tu));
}

/* ---- envelopes ----------------------------------------------------------- */

void fx_sig_by(fx_sig *s, int key, const char *type, const char *payload)
{
	const fx_key *k = fx_key_get(key);
	size_t tl = strlen(type), pl = strlen(payload);
	char *pae = fx_printf("DSSEv1 %zu %s %zu %s", tl, type, pl, payload);
	uint8_t pk[32], sk[64];
	ck_assert_int_eq(crypto_sign_seed_keypair(pk, sk, k->seed), 0);
	ck_assert_int_eq(crypto_sign_detached(s->sig, NULL, (const uint8_t *)pae, strlen(pae), sk), 0);
	sodium_memzero(sk, sizeof(sk));
	memcpy(s->keyid, k->keyid, sizeof(s->keyid));
}

char *fx_envelope(const char *type, const char *payload, const fx_sig *sigs, size_t n)
{
	sb b = {0};
	sb_printf(&b, "{\"payloadType\": \"%s\", \"payload\": \"%s\", \"signatures\": [", type,
	          fx_b64((const uint8_t *)payload, strlen(payload)));
	for (size_t i = 0; i < n; i++)
		sb_printf(&b, "%s{\"keyid\": \"%s\", \"sig\": \"%s\"}", i ? ", " : "", sigs[i].keyid,
		          fx_b64(sigs[i].sig, 64));
	sb_printf(&b, "]}");
	return sb_done(&b);
}

char *fx_env_keys(const char *type, const char *payload, const int *k, size_t n)
{
	fx_sig *sigs = fx_alloc(n * sizeof(*sigs));
	for (size_t i = 0; i < n; i++)
		fx_sig_by(&sigs[i], k[i], type, payload);
	return fx_envelope(type, payload, sigs, n);
}

char *fx_default_policy_env(void)
{
	fx_policy p;
	fx_policy_init(&p);
	return FX_POLICY_ENV(fx_policy_text(&p), K_OWNER);
}

char *fx_default_update_env(void)
{
	fx_update u;
	fx_update_init(&u);
	return FX_UPDATE_ENV(fx_update_text(&u), K_VENDOR, K_AUD1, K_AUD2);
}

/* ---- anchors and states -------------------------------------------------- */

char *fx_anchor_text(const char *vendor, const char *model, unsigned threshold, const int *k,
                     size_t n)
{
	sb b = {0};
	return sb_done_if(&b, tw_anchor_text(&b, vendor, model, threshold, key_list(k, n), n));
}

char *fx_default_anchor(void)
{
	const int k[] = {K_OWNER};
	return fx_anchor_text("acme", "thermo-2", 1, k, 1);
}

veto_state *fx_state_from(const char *anchor, uint64_t counter, const char *features)
{
	const char *list[64];
	size_t n = 0;
	char *copy = fx_printf("%s", features);
	for (char *tok = strtok(copy, ","); tok != NULL; tok = strtok(NULL, ",")) {
		ck_assert_uint_lt(n, 64);
		list[n++] = tok;
	}
	veto_state *s = NULL;
	veto_report rep;
	veto_report_init(&rep, NULL);
	veto_status st = veto_state_from_anchor(&s, &rep, NULL, (const uint8_t *)anchor,
	                                        strlen(anchor), counter, list, n);
	ck_assert_msg(st == VETO_OK, "veto_state_from_anchor: %s (%s)", veto_strerror(st),
	              rep.n_refusals ? rep.refusals[0].detail : "");
	veto_report_clear(&rep);
	return fx_keep_state(s);
}

veto_state *fx_state0(void)
{
	return fx_state_from(fx_default_anchor(), 41, "local-control,works-with-nest@1.2,zigbee");
}

veto_state *fx_trusted(const veto_state *s, const char *policy_env, int64_t now)
{
	veto_state *out = NULL;
	veto_report rep;
	veto_bytes b = {(const uint8_t *)policy_env, strlen(policy_env)};
	veto_report_init(&rep, NULL);
	veto_status st = veto_trust(&out, &rep, NULL, s, &b, 1, now);
	ck_assert_msg(st == VETO_OK, "veto_trust: %s (%s)", veto_strerror(st), fx_refusals(&rep));
	veto_report_clear(&rep);
	return fx_keep_state(out);
}

/* ---- decisions ----------------------------------------------------------- */

fx_run *fx_run_new(const veto_config *cfg)
{
	fx_run *r = calloc(1, sizeof(*r));
	ck_assert_ptr_nonnull(r);
	veto_report_init(&r->rep, cfg);
	keep(r, A_RUN);
	return r;
}

#define FX_MAX_POLICIES 16

/* The policy envelopes as the API takes them (pb holds FX_MAX_POLICIES). */
static void policy_bytes(veto_bytes *pb, const char *const *policies, size_t n)
{
	ck_assert_uint_le(n, FX_MAX_POLICIES);
	for (size_t i = 0; i < n; i++) {
		pb[i].ptr = (const uint8_t *)policies[i];
		pb[i].len = strlen(policies[i]);
	}
}

fx_run *fx_trust(veto_state **out, const veto_state *s, const char *const *policies,
                 size_t n_policies, int64_t now)
{
	fx_run *r = fx_run_new(NULL);
	veto_bytes pb[FX_MAX_POLICIES];
	policy_bytes(pb, policies, n_policies);
	*out = (veto_state *)(uintptr_t)1; /* must be overwritten */
	r->begin = r->finish = veto_trust(out, &r->rep, NULL, s, pb, n_policies, now);
	if (r->finish == VETO_OK) {
		ck_assert_ptr_nonnull(*out);
		ck_assert_uint_eq(r->rep.n_refusals, 0);
		fx_keep_state(*out);
	} else {
		ck_assert_ptr_null(*out);
		if (r->finish == VETO_REFUSED)
			ck_assert_uint_gt(r->rep.n_refusals, 0);
	}
	return r;
}

fx_run *fx_decide_ex(const veto_config *cfg, const veto_state *s, const char *const *policies,
                     size_t n_policies, const char *update, const uint8_t *img,
                     size_t image_len, size_t chunk, int64_t now)
{
	fx_run *r = fx_run_new(cfg);
	veto_bytes pb[FX_MAX_POLICIES];
	policy_bytes(pb, policies, n_policies);
	r->begin = veto_check_begin(&r->c, &r->rep, cfg, s, n_policies ? pb : NULL, n_policies,
	                            (const uint8_t *)update, strlen(update), now);
	if (r->begin != VETO_OK) {
		ck_assert_ptr_null(r->c);
		r->finish = r->begin;
		return r;
	}
	ck_assert_ptr_nonnull(r->c);
	if (img != NULL) {
		if (chunk == 0 || image_len == 0) {
			ck_assert_int_eq(veto_check_image(r->c, img, image_len), VETO_OK);
		} else {
			for (size_t at = 0; at < image_len; at += chunk) {
				size_t n = image_len - at < chunk ? image_len - at : chunk;
				ck_assert_int_eq(veto_check_image(r->c, img + at, n), VETO_OK);
			}
		}
	}
	r->finish = veto_check_finish(r->c, &r->dig);
	/* The status and the report must tell the same story. */
	if (r->finish == VETO_OK)
		ck_assert_uint_eq(r->rep.n_refusals, 0);
	else if (r->finish == VETO_REFUSED)
		ck_assert_uint_gt(r->rep.n_refusals, 0);
	return r;
}

fx_run *fx_decide(const veto_state *s, const char *policy, const char *update, int with_image)
{
	size_t len = 0;
	const uint8_t *img = with_image ? fx_image(&len) : NULL;
	const char *p[1] = {policy};
	return fx_decide_ex(NULL, s, p, policy ? 1 : 0, update, img, len, 0, fx_now());
}

static const char *codes(const veto_reason *arr, size_t n)
{
	sb b = {0};
	for (size_t i = 0; i < n; i++)
		sb_printf(&b, "%s%s", i ? "," : "", veto_code_name(arr[i].code));
	return sb_done(&b);
}

const char *fx_refusals(const veto_report *rep)
{
	return codes(rep->refusals, rep->n_refusals);
}

const char *fx_notices(const veto_report *rep)
{
	return codes(rep->notices, rep->n_notices);
}

const veto_reason *fx_reason(const veto_report *rep, veto_code code, size_t nth)
{
	const veto_reason *arr = veto_code_is_notice(code) ? rep->notices : rep->refusals;
	size_t n = veto_code_is_notice(code) ? rep->n_notices : rep->n_refusals;
	for (size_t i = 0; i < n; i++)
		if (arr[i].code == code && nth-- == 0)
			return &arr[i];
	return NULL;
}

/* ---- the runner ---------------------------------------------------------- */

TCase *fx_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, NULL, fx_teardown);
	tcase_set_timeout(tc, 60);
	return tc;
}

int main(void)
{
	if (sodium_init() < 0)
		return 99;
	SRunner *sr = srunner_create(fx_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	/* When the TAP stream on standard output is the verdict (meson), every
	 * failure is already a "not ok" line there: exiting 0 lets meson call
	 * the test FAIL, not ERROR (which it keeps for crashes).  Run by hand,
	 * the exit status says it. */
	const char *tap = getenv("CK_TAP_LOG_FILE_NAME");
	if (tap != NULL && strcmp(tap, "-") == 0)
		return 0;
	return failed == 0 ? 0 : 1;
}
