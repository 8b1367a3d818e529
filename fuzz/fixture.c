/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fixture.c - the fixed world of the fuzz targets (see fuzz.h).
 *
 * Keys come from fixed seeds and Ed25519 signing is deterministic, so the
 * anchor, the policy envelope and the states are the same bytes in every
 * run: the seed corpora that tests/fuzz-corpus holds stay valid, and every
 * target is deterministic.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fuzz.h"

void fz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	fflush(stderr);
	abort();
}

static void key_make(fz_key *k, uint8_t fill)
{
	FZ_CHECK(tw_key_filled(k, fill) == VETO_OK);
}

veto_status fz_sign(char **out, size_t *out_len, const char *payload,
                    const fz_key *const *signers, size_t n_signers)
{
	veto_diag d;
	memset(&d, 0, sizeof d);
	veto_status st = tw_sign(out, out_len, &d, payload, signers, n_signers);
	if (st != VETO_OK)
		fprintf(stderr, "fuzz: cannot sign: %s: %s\n", veto_strerror(st), d.detail);
	return st;
}

/* Appends to buf at *at; 0 when it does not fit. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 4, 5)))
#endif
static int put(char *buf, size_t cap, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *at, cap - *at, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap - *at)
		return 0;
	*at += (size_t)n;
	return 1;
}

size_t fz_policy_payload(char *buf, size_t cap, const fz_world *w, uint64_t serial,
                         const char *expires, const char *model,
                         const fz_key *const *owners, size_t n_owners,
                         const char *protected_features, const char *removal_requires,
                         const char *extra)
{
	char head[256];
	size_t at = 0;
	int n;

	n = snprintf(head, sizeof head,
	             "{\"format\": \"veto.policy/1\", \"serial\": %llu,\n"
	             " \"expires\": %s,\n"
	             " \"device\": {\"vendor\": \"acme\", \"model\": \"%s\"},\n"
	             " \"keys\": {",
	             (unsigned long long)serial, expires, model);
	if (n < 0 || (size_t)n >= sizeof head || !put(buf, cap, &at, "%s", head))
		return 0;
	for (size_t i = 0; i < n_owners; i++)
		if (!put(buf, cap, &at, "\"%s\": {\"ed25519\": \"%s\"},\n  ", owners[i]->keyid,
		         owners[i]->b64))
			return 0;
	if (!put(buf, cap, &at, "\"%s\": {\"ed25519\": \"%s\"},\n  ", w->vendor.keyid,
	         w->vendor.b64))
		return 0;
	for (size_t i = 0; i < 3; i++)
		if (!put(buf, cap, &at, i < 2 ? "\"%s\": {\"ed25519\": \"%s\"},\n  "
		                              : "\"%s\": {\"ed25519\": \"%s\"}},\n",
		         w->aud[i].keyid, w->aud[i].b64))
			return 0;
	if (!put(buf, cap, &at, " \"roles\": {\"owner\": {\"keys\": ["))
		return 0;
	for (size_t i = 0; i < n_owners; i++)
		if (!put(buf, cap, &at, "%s\"%s\"", i ? ", " : "", owners[i]->keyid))
			return 0;
	if (!put(buf, cap, &at, "], \"threshold\": 1},\n  \"vendor\": {\"keys\": [\"%s\"], "
	         "\"threshold\": 1},\n", w->vendor.keyid))
		return 0;
	if (!put(buf, cap, &at, "  \"auditor\": {\"keys\": [\"%s\", \"%s\", ", w->aud[0].keyid,
	         w->aud[1].keyid) ||
	    !put(buf, cap, &at, "\"%s\"], \"threshold\": 2}},\n", w->aud[2].keyid))
		return 0;
	if (!put(buf, cap, &at,
	         " \"require\": [\"vendor\", \"auditor\"],\n"
	         " \"protected_features\": [%s],\n"
	         " \"removal_requires\": [%s]",
	         protected_features, removal_requires))
		return 0;
	if (!put(buf, cap, &at, "%s}\n", extra))
		return 0;
	return at;
}

char *fz_policy11(const fz_world *w, uint64_t serial, const char *extra)
{
	char payload[4096], members[2048], *at;
	const fz_key *o1[1] = {&w->owner};
	char *env = NULL;
	size_t len = 0;
	int n = snprintf(members, sizeof members, ",\n \"issued\": \"2026-11-01T00:00:00Z\"%s", extra);
	if (n < 0 || (size_t)n >= sizeof members ||
	    fz_policy_payload(payload, sizeof payload, w, serial, "null", "thermo-2", o1, 1,
	                      "\"local-control\", \"zigbee\"", "\"owner\"", members) == 0 ||
	    (at = strstr(payload, "\"veto.policy/1\"")) == NULL || strlen(payload) + 3 > sizeof payload)
		return NULL;
	memmove(at + 17, at + 15, strlen(at + 15) + 1); /* room for ".1" */
	memcpy(at, "\"veto.policy/1.1\"", 17);
	return fz_sign(&env, &len, payload, o1, 1) == VETO_OK ? env : NULL;
}

size_t fz_update_payload(char *buf, size_t cap, const char *model, unsigned counter,
                         const char *image_json, const char *features, const char *extra)
{
	int n = snprintf(buf, cap,
	                 "{\"format\": \"veto.update/1\", \"vendor\": \"acme\", \"model\": \"%s\",\n"
	                 " \"version\": \"2.%u.0\", \"security_counter\": %u,\n"
	                 " \"image\": {%s},\n"
	                 " \"features\": [%s]%s}\n",
	                 model, counter, counter, image_json, features, extra);
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

int fz_image_digests(char sha256[65], char blake2b[65], const uint8_t *image, size_t len)
{
	const fz_world *w = fz_get();
	const fz_key *signers[3] = {&w->vendor, &w->aud[0], &w->aud[1]};
	char image_json[256], payload[1024];
	char *env = NULL;
	size_t env_len = 0;
	veto_check *c = NULL;
	veto_report rep;
	veto_image_digests dig;
	int rc = -1;

	snprintf(image_json, sizeof image_json,
	         "\"size\": %zu, \"sha256\": \"%064d\", \"blake2b-256\": \"%064d\"", len, 0, 0);
	if (fz_update_payload(payload, sizeof payload, "thermo-2", 42, image_json,
	                      "\"local-control\"", "") == 0 ||
	    fz_sign(&env, &env_len, payload, signers, 3) != VETO_OK)
		return -1;
	veto_report_init(&rep, NULL);
	/* Refused, of course (image-digest): only the computed digests count. */
	if (veto_check_begin(&c, &rep, NULL, w->state1, NULL, 0, (const uint8_t *)env, env_len,
	                     w->now) == VETO_OK &&
	    veto_check_image(c, image, len) == VETO_OK &&
	    veto_check_finish(c, &dig) == VETO_REFUSED && dig.has_sha256 && dig.has_blake2b &&
	    dig.size == len) {
		sodium_bin2hex(sha256, 65, dig.sha256, sizeof dig.sha256);
		sodium_bin2hex(blake2b, 65, dig.blake2b256, sizeof dig.blake2b256);
		rc = 0;
	}
	veto_check_free(c);
	veto_report_clear(&rep);
	veto_free(NULL, env);
	return rc;
}

static const char *const state0_features[] = {"local-control", "works-with-nest@1.2",
                                              "zigbee", "legacy-app@3"};

static fz_world world;
static int world_ready;

const fz_world *fz_get(void)
{
	fz_world *w = &world;
	const fz_key *owners[1];
	char policy[4096];
	size_t len;
	veto_report rep;
	veto_bytes pol;
	const char *now = "2026-11-21T00:00:00Z";

	if (world_ready)
		return w;
	FZ_CHECK(veto_init() == VETO_OK);
	key_make(&w->owner, 'O');
	key_make(&w->owner2, 'P');
	key_make(&w->vendor, 'V');
	key_make(&w->vendor2, 'W');
	key_make(&w->aud[0], 'A');
	key_make(&w->aud[1], 'B');
	key_make(&w->aud[2], 'C');
	key_make(&w->device, 'D');
	FZ_CHECK(veto_time_parse(&w->now, now, strlen(now)) == VETO_OK);

	int n = snprintf(w->anchor, sizeof w->anchor,
	                 "{\"device\": {\"vendor\": \"acme\", \"model\": \"thermo-2\"},\n"
	                 " \"keys\": {\"%s\": {\"ed25519\": \"%s\"}},\n"
	                 " \"threshold\": 1}\n",
	                 w->owner.keyid, w->owner.b64);
	FZ_CHECK(n > 0 && (size_t)n < sizeof w->anchor);
	w->anchor_len = (size_t)n;

	owners[0] = &w->owner;
	len = fz_policy_payload(policy, sizeof policy, w, 1, "\"2027-11-21T00:00:00Z\"",
	                        "thermo-2", owners, 1,
	                        "\"local-control\", \"works-with-nest>=1.0\", \"zigbee\"",
	                        "\"owner\"",
	                        ",\n \"min_security_counter\": 40, \"max_image_size\": 65536,\n"
	                        " \"digests\": [\"sha256\", \"blake2b-256\"]");
	FZ_CHECK(len > 0);
	FZ_CHECK(fz_sign(&w->policy, &w->policy_len, policy, owners, 1) == VETO_OK);

	veto_report_init(&rep, NULL);
	FZ_CHECK(veto_state_from_anchor(&w->state0, &rep, NULL, (const uint8_t *)w->anchor,
	                                w->anchor_len, 41, state0_features,
	                                sizeof state0_features / sizeof state0_features[0]) ==
	         VETO_OK);
	pol.ptr = (const uint8_t *)w->policy;
	pol.len = w->policy_len;
	FZ_CHECK(veto_trust(&w->state1, &rep, NULL, w->state0, &pol, 1, w->now) == VETO_OK);
	veto_report_clear(&rep);
	world_ready = 1;
	return w;
}

static int terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

size_t fz_report_check(const veto_report *r)
{
	veto_code last = (veto_code)0;

	FZ_CHECK(r->n_refusals == 0 || r->refusals != NULL);
	FZ_CHECK(r->n_notices == 0 || r->notices != NULL);
	for (size_t i = 0; i < r->n_refusals + r->n_notices; i++) {
		const veto_reason *x = i < r->n_refusals ? &r->refusals[i]
		                                         : &r->notices[i - r->n_refusals];
		char line[512];

		FZ_CHECK(x->code >= VETO_R_MALFORMED_ANCHOR && x->code < VETO_CODE_COUNT_);
		FZ_CHECK(veto_code_is_notice(x->code) == (i >= r->n_refusals));
		/* Both tables are kept in their order (veto.h, SPEC section 8). */
		FZ_CHECK(x->code >= last);
		last = x->code;
		FZ_CHECK(terminated(x->role, sizeof x->role));
		FZ_CHECK(terminated(x->feature, sizeof x->feature));
		FZ_CHECK(terminated(x->offered, sizeof x->offered));
		FZ_CHECK(terminated(x->detail, sizeof x->detail));
		size_t want = veto_reason_text(line, sizeof line, x);
		FZ_CHECK(strlen(line) == (want < sizeof line ? want : sizeof line - 1));
	}
	FZ_CHECK(veto_report_accepted(r) == (r->n_refusals == 0));

	char *json = NULL;
	size_t json_len = 0;
	veto_status st = veto_report_json(&json, &json_len, r);
	FZ_CHECK(st == VETO_OK || st == VETO_E_NOMEM);
	if (st == VETO_OK) {
		static int verbose = -1;
		if (verbose < 0)
			verbose = getenv("VETO_FUZZ_VERBOSE") != NULL;
		if (verbose)
			fprintf(stderr, "report: %s\n", json);
		FZ_CHECK(json != NULL && strlen(json) == json_len);
		FZ_CHECK(json_len >= 2 && json[0] == '{');
		FZ_CHECK(strstr(json, r->n_refusals ? "\"refuse\"" : "\"accept\"") != NULL);
	} else {
		FZ_CHECK(json == NULL);
	}
	veto_free(NULL, json);
	return r->n_refusals;
}

int fz_report_has(const veto_report *r, veto_code code)
{
	for (size_t i = 0; i < r->n_refusals; i++)
		if (r->refusals[i].code == code)
			return 1;
	for (size_t i = 0; i < r->n_notices; i++)
		if (r->notices[i].code == code)
			return 1;
	return 0;
}

void fz_state_roundtrip(const veto_state *s)
{
	char *t1 = NULL, *t2 = NULL;
	size_t l1 = 0, l2 = 0;
	veto_state *again = NULL;
	veto_report rep;
	veto_status st;

	st = veto_state_format(&t1, &l1, s);
	FZ_CHECK(st == VETO_OK || st == VETO_E_NOMEM);
	if (st != VETO_OK) {
		FZ_CHECK(t1 == NULL);
		return;
	}
	FZ_CHECK(t1 != NULL && strlen(t1) == l1 && l1 > 0 && t1[l1 - 1] == '\n');
	veto_report_init(&rep, NULL);
	st = veto_state_parse(&again, &rep, NULL, (const uint8_t *)t1, l1);
	/* What the library wrote, it must read back. */
	if (st != VETO_OK)
		fprintf(stderr, "state text that does not parse back (%s):\n%s\n", veto_strerror(st),
		        t1);
	FZ_CHECK(st == VETO_OK);
	FZ_CHECK(rep.n_refusals == 0);
	st = veto_state_format(&t2, &l2, again);
	FZ_CHECK(st == VETO_OK);
	FZ_CHECK(l1 == l2 && memcmp(t1, t2, l1) == 0);
	FZ_CHECK(strcmp(veto_state_vendor(s), veto_state_vendor(again)) == 0);
	FZ_CHECK(strcmp(veto_state_model(s), veto_state_model(again)) == 0);
	FZ_CHECK(veto_state_security_counter(s) == veto_state_security_counter(again));
	FZ_CHECK(veto_state_feature_count(s) == veto_state_feature_count(again));
	veto_state_free(again);
	veto_report_clear(&rep);
	veto_free(NULL, t1);
	veto_free(NULL, t2);
}

/* ---- (1.1) the revocation world ---------------------------------------------- */

size_t fz_rev_signers(const fz_key *keys[4], unsigned set)
{
	const fz_world *w = fz_get();
	switch (set & 3U) {
	case 0:
		keys[0] = &w->aud[0];
		keys[1] = &w->aud[1];
		return 2;
	case 1:
		keys[0] = &w->aud[2];
		return 1;
	case 2:
		keys[0] = &w->vendor;
		return 1;
	default:
		keys[0] = &w->aud[1];
		keys[1] = &w->owner;
		keys[2] = &w->vendor2;
		keys[3] = &w->aud[2];
		return 4;
	}
}

/* SHA-256 of data as hex, and as bytes when bin is not NULL. */
static void sha256_hex(char out[65], uint8_t *bin, const void *data, size_t len)
{
	uint8_t h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof h);
	if (bin != NULL)
		memcpy(bin, h, sizeof h);
}

/* A valid revocation of acme/thermo-2, signed with veto_sign/veto_cosign. */
static char *rev_signed(const char *role, const char *updates, const char *keys,
                        const fz_key *const *signers, size_t n)
{
	tw_str b = {0};
	char *env = NULL;
	size_t len = 0;
	FZ_CHECK(tw_revocation_text(&b, "acme", "thermo-2", role, updates, keys));
	FZ_CHECK(fz_sign(&env, &len, b.s, signers, n) == VETO_OK);
	tw_str_free(&b);
	return env;
}

/* The auditors' digests of a stored state: stored_auditor, then fillers,
 * total in all, in revocations of at most 256 (chunk k). */
static char *filler_list(const fz_rev_world *r, size_t k, size_t total)
{
	tw_str b = {0};
	size_t from = k * 256, to = from + 256 < total ? from + 256 : total;
	FZ_CHECK(tw_str_printf(&b, "["));
	for (size_t i = from; i < to; i++) {
		char d[65], text[32];
		snprintf(text, sizeof text, "filler %zu", i);
		if (i == 0)
			memcpy(d, r->stored_auditor, sizeof d);
		else
			sha256_hex(d, NULL, text, strlen(text));
		FZ_CHECK(tw_str_printf(&b, "%s\"%s\"", i > from ? ", " : "", d));
	}
	FZ_CHECK(tw_str_printf(&b, "]"));
	return b.s;
}

/* A stored state: the auditors' revocations (total digests and aud2's
 * key) and the vendor's, trusted into plain. */
static veto_state *rev_stored(const fz_world *w, const fz_rev_world *r, size_t total)
{
	char u[80], k[80];
	const fz_key *auds[2] = {&w->aud[2], &w->aud[0]}, *v[1] = {&w->vendor};
	char *env[5];
	veto_bytes revs[5];
	size_t n = (total + 255) / 256;
	snprintf(k, sizeof k, "[\"%.64s\"]", w->aud[2].keyid);
	for (size_t i = 0; i < n; i++) {
		char *list = filler_list(r, i, total);
		env[i] = rev_signed("auditor", list, i == 0 ? k : "[]", auds, 2);
		free(list);
	}
	snprintf(u, sizeof u, "[\"%.64s\"]", r->stored_vendor);
	env[n++] = rev_signed("vendor", u, "[]", v, 1);
	for (size_t i = 0; i < n; i++)
		revs[i] = (veto_bytes){(const uint8_t *)env[i], strlen(env[i])};
	veto_when when = {.now = w->now, .revocations = revs, .n_revocations = n};
	veto_state *out = NULL;
	veto_report rep;
	veto_report_init(&rep, NULL);
	FZ_CHECK(veto_trust_at(&out, &rep, NULL, r->plain, NULL, 0, &when) == VETO_OK);
	FZ_CHECK(rep.n_notices == 0 && veto_state_revocation_roles(out) == 2);
	FZ_CHECK(veto_state_revoked_update_count(out, 0) + veto_state_revoked_update_count(out, 1) ==
	         total + 1);
	veto_report_clear(&rep);
	for (size_t i = 0; i < n; i++)
		veto_free(NULL, env[i]);
	return out;
}

static void rev_update(const fz_world *w, fz_rev_world *r)
{
	char sha[65], b2[65], image_json[256], payload[2048];
	const fz_key *vaa[3] = {&w->vendor, &w->aud[0], &w->aud[1]};
	for (size_t i = 0; i < FZ_IMAGE_LEN; i++)
		r->image[i] = (uint8_t)((i * 31U + 7U) & 0xffU);
	FZ_CHECK(fz_image_digests(sha, b2, r->image, FZ_IMAGE_LEN) == 0);
	snprintf(image_json, sizeof image_json,
	         "\"size\": %u, \"sha256\": \"%s\", \"blake2b-256\": \"%s\"", FZ_IMAGE_LEN, sha, b2);
	size_t len = fz_update_payload(payload, sizeof payload, "thermo-2", 42, image_json,
	                               "\"local-control\", \"works-with-nest@1.2\", \"zigbee\", "
	                               "\"matter@1.3\", \"legacy-app@3\"",
	                               "");
	FZ_CHECK(len > 0);
	sha256_hex(r->update_sha256, NULL, payload, len);
	FZ_CHECK(fz_sign(&r->update, &r->update_len, payload, vaa, 3) == VETO_OK);
}

static fz_rev_world rev_world;
static int rev_ready;

const fz_rev_world *fz_rev_get(void)
{
	const fz_world *w = fz_get();
	fz_rev_world *r = &rev_world;
	char extra[512];
	veto_report rep;
	if (rev_ready)
		return r;
	sha256_hex(r->stored_auditor, r->stored_auditor_bin, "stored by the auditors", strlen("stored by the auditors"));
	sha256_hex(r->stored_vendor, NULL, "stored by the vendor", strlen("stored by the vendor"));
	r->policy = fz_policy11(w, 10, ",\n \"revocation_roles\": [\"auditor\", \"vendor\"]");
	snprintf(extra, sizeof extra,
	         ",\n \"revocation_roles\": [\"auditor\"],\n \"reinstate\": {\"updates\": [\"%.64s\"], "
	         "\"keys\": [\"%.64s\"]}",
	         r->stored_auditor, w->aud[2].keyid);
	r->policy2 = fz_policy11(w, 11, extra);
	FZ_CHECK(r->policy != NULL && r->policy2 != NULL);
	r->policy_len = strlen(r->policy);
	r->policy2_len = strlen(r->policy2);
	veto_bytes pol = {(const uint8_t *)r->policy, r->policy_len};
	veto_report_init(&rep, NULL);
	FZ_CHECK(veto_trust(&r->plain, &rep, NULL, w->state0, &pol, 1, w->now) == VETO_OK);
	veto_report_clear(&rep);
	r->stored = rev_stored(w, r, 1);
	r->full = rev_stored(w, r, FZ_REV_FULL);
	fz_state_roundtrip(r->plain);
	fz_state_roundtrip(r->stored);
	fz_state_roundtrip(r->full);
	rev_update(w, r);
	rev_ready = 1;
	return r;
}
