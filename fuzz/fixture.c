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
