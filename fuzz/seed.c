/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seed.c - writes the seed corpora of the fuzz targets.
 *
 *   fuzz-seed DIR      writes DIR/<target>/seed-<name> for every target
 *
 * A fuzzer that starts from random bytes never forges an Ed25519 signature,
 * so it would never see past "update-untrusted".  The seeds are validly
 * signed documents of the fixed world (fuzz.h): policies that rotate the
 * owner key, expire or name another device; updates that keep, drop, waive
 * or downgrade a protected feature, roll back or name another device; the
 * states before and after.  Keys come from fixed seeds and Ed25519 is
 * deterministic, so running this again writes the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define IMAGE_LEN 96U

static const char *root;
static uint8_t image[IMAGE_LEN];
static char image_sha256[65];
static char image_blake2b[65];
static size_t written;

static void die(const char *what)
{
	fprintf(stderr, "fuzz-seed: %s\n", what);
	exit(1);
}

static void write_seed(const char *target, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", root, target);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die(path);
	snprintf(path, sizeof path, "%s/%s/seed-%s", root, target, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die(path);
	written++;
}

/* The decision target's framing (fuzz_decision.c). */
static void write_frame(const char *name, const char *policy, const char *update,
                        const char *state, const uint8_t *img, size_t img_len)
{
	const char *parts[3] = {policy, update, state};
	size_t total = img_len;
	uint8_t *buf, *at;

	for (size_t i = 0; i < 3; i++)
		total += 4 + (parts[i] ? strlen(parts[i]) : 0);
	buf = malloc(total);
	if (buf == NULL)
		die("out of memory");
	at = buf;
	for (size_t i = 0; i < 3; i++) {
		size_t len = parts[i] ? strlen(parts[i]) : 0;
		at[0] = (uint8_t)(len & 0xffU);
		at[1] = (uint8_t)(len >> 8 & 0xffU);
		at[2] = (uint8_t)(len >> 16 & 0xffU);
		at[3] = (uint8_t)(len >> 24 & 0xffU);
		if (len)
			memcpy(at + 4, parts[i], len);
		at += 4 + len;
	}
	if (img_len)
		memcpy(at, img, img_len);
	write_seed("decision", name, buf, total);
	free(buf);
}

static char *update_payload(const char *model, unsigned counter, const char *image_json,
                            const char *features, const char *extra)
{
	char *buf = malloc(2048);

	if (buf == NULL)
		die("out of memory");
	if (fz_update_payload(buf, 2048, model, counter, image_json, features, extra) == 0)
		die("update payload too long");
	return buf;
}

static char *signed_doc(const char *payload, const fz_key *const *signers, size_t n)
{
	char *env = NULL;
	size_t len = 0;

	if (fz_sign(&env, &len, payload, signers, n) != VETO_OK)
		die("cannot sign a seed");
	return env;
}

static char *state_text(const veto_state *s)
{
	char *out = NULL;
	size_t len = 0;

	if (veto_state_format(&out, &len, s) != VETO_OK)
		die("cannot format a state");
	return out;
}

/* The state after installing update env under the state's policy (or the
 * policy handed in). */
static char *state_after(const fz_world *w, const veto_state *from, const char *policy,
                         const char *env)
{
	veto_check *c = NULL;
	veto_state *next = NULL;
	veto_report rep;
	veto_bytes pol = {(const uint8_t *)policy, policy ? strlen(policy) : 0};
	char *text;

	veto_report_init(&rep, NULL);
	if (veto_check_begin(&c, &rep, NULL, from, policy ? &pol : NULL, policy ? 1 : 0,
	                     (const uint8_t *)env, strlen(env), w->now) != VETO_OK ||
	    veto_check_image(c, image, IMAGE_LEN) != VETO_OK ||
	    veto_check_finish(c, NULL) != VETO_OK || veto_check_commit(&next, c) != VETO_OK) {
		char *json = NULL;
		size_t len = 0;
		if (veto_report_json(&json, &len, &rep) == VETO_OK)
			fprintf(stderr, "%s\n", json);
		veto_free(NULL, json);
		die("a seed update that should be accepted is not");
	}
	text = state_text(next);
	veto_state_free(next);
	veto_check_free(c);
	veto_report_clear(&rep);
	return text;
}

typedef struct named {
	const char *name;
	char *doc;
} named;

/* (1.1) A veto.policy/1.1 envelope of the world (fz_policy11). */
static char *policy11(const fz_world *w, uint64_t serial, const char *extra)
{
	char *env = fz_policy11(w, serial, extra);
	if (env == NULL)
		die("policy 1.1");
	return env;
}

/* (1.1) Seeds of the 1.1 members: a plant's schedule, consents, forbidden
 * features and revocation members; a veto.state/1.1; decisions under them. */
static void seeds11(const fz_world *w, const named *upd)
{
	const char *plant =
	    ",\n \"forbidden_features\": [\"telemetry\", \"egress\"],"
	    " \"addition_requires\": [\"owner\"], \"rollback_requires\": [\"owner\"],\n"
	    " \"timing\": {\"clock\": \"local\", \"windows\": [{\"days\": [\"mon\", \"tue\","
	    " \"wed\", \"thu\", \"fri\"], \"start\": \"01:30\", \"end\": \"04:00\"},"
	    " {\"days\": [\"sat\"], \"start\": \"22:00\", \"end\": \"06:00\"}],"
	    " \"holds\": [{\"from\": \"2026-11-20T00:00:00Z\", \"until\": \"2027-01-06T00:00:00Z\","
	    " \"fast_path\": true}], \"fast_path\": {\"require\": [\"owner\"]}},\n"
	    " \"revocation_roles\": [\"auditor\"], \"revoked_updates\": [],"
	    " \"reinstate\": {\"updates\": [], \"keys\": []}";
	char *p_plant = policy11(w, 7, plant);
	char *p_offset = policy11(w, 8, ",\n \"timing\": {\"clock\": \"+05:30\", \"windows\":"
	                                " [{\"days\": [\"sun\"], \"start\": \"23:00\", \"end\": \"00:00\"}]}");
	char *p_simple = policy11(w, 9, ",\n \"rollback_requires\": [\"owner\"], \"time_floor_reset\": true");
	write_seed("policy", "v11-plant", p_plant, strlen(p_plant));
	write_seed("policy", "v11-offset-midnight", p_offset, strlen(p_offset));
	write_seed("policy", "v11-consent-reset", p_simple, strlen(p_simple));
	char *s11 = state_after(w, w->state1, p_simple, upd[0].doc);
	write_seed("state", "v11-floor", s11, strlen(s11));
	write_frame("v11-plant-waived-removal", p_plant, upd[4].doc, NULL, image, IMAGE_LEN);
	write_frame("v11-plant-rollback", p_plant, upd[8].doc, s11, image, IMAGE_LEN);
	write_frame("v11-offset", p_offset, upd[0].doc, NULL, image, IMAGE_LEN);
	write_frame("v11-stored-floor", NULL, upd[1].doc, s11, image, IMAGE_LEN);
	veto_free(NULL, p_plant);
	veto_free(NULL, p_offset);
	veto_free(NULL, p_simple);
	veto_free(NULL, s11);
}

/* (1.1) One input of fuzz_revocation.c: the two flag bytes, then the
 * parts, NUL-separated. */
static void write_rev(const char *name, unsigned flags, unsigned more, const char *first,
                      const char *second)
{
	size_t l1 = strlen(first), l2 = second ? strlen(second) : 0;
	uint8_t *buf = malloc(3 + l1 + l2);
	if (buf == NULL)
		die("out of memory");
	buf[0] = (uint8_t)flags;
	buf[1] = (uint8_t)more;
	memcpy(buf + 2, first, l1);
	if (second != NULL) {
		buf[2 + l1] = 0;
		memcpy(buf + 3 + l1, second, l2);
	}
	write_seed("revocation", name, buf, 2 + l1 + (second ? 1 + l2 : 0));
	free(buf);
}

/* A revocation payload of acme/MODEL (its lists as JSON texts). */
static char *rev_payload(const char *model, const char *role, const char *updates,
                         const char *keys)
{
	tw_str b = {0};
	if (!tw_revocation_text(&b, "acme", model, role, updates, keys))
		die("out of memory");
	return b.s;
}

/* (1.1) Seeds of the revocation target: each acceptance rule failing
 * alone beside accepted revocations, their effects, two in one command, a
 * new policy, a commit, and envelopes handed in raw.  Flags: bit 0 raw,
 * bits 1-2 and 3-4 the signer sets (0 aud0+aud1, 1 aud2, 2 vendor, 3 aud1,
 * owner, a stranger and aud2), 5 the stored state, 6 policy2, 7 commit;
 * the second byte: 31 in its low bits with bit 5, the full stored state;
 * 0x40, compare handed in with stored. */
static void seeds_revocation(const fz_world *w)
{
	const fz_rev_world *r = fz_rev_get();
	char upd[80], aud0[80], aud2[80], owner[80], vend[80], other[80];
	snprintf(upd, sizeof upd, "[\"%s\"]", r->update_sha256);
	snprintf(aud0, sizeof aud0, "[\"%s\"]", w->aud[0].keyid);
	snprintf(aud2, sizeof aud2, "[\"%s\"]", w->aud[2].keyid);
	snprintf(owner, sizeof owner, "[\"%s\"]", w->owner.keyid);
	snprintf(vend, sizeof vend, "[\"%s\"]", w->vendor.keyid);
	snprintf(other, sizeof other, "[\"%064d\"]", 7);
	const unsigned set0 = 0, set1 = 1 << 1, set2 = 2 << 1, set3 = 3 << 1, second1 = 1 << 3;
	const unsigned stored = 1 << 5, policy2 = 1 << 6, commit = 1 << 7;
	char *revoke_update = rev_payload("thermo-2", "auditor", upd, "[]");
	char *revoke_other = rev_payload("thermo-2", "auditor", other, "[]");
	char *self = rev_payload("thermo-2", "auditor", "[]", aud0);
	char *thief = rev_payload("thermo-2", "auditor", "[]", aud2);
	char *own = rev_payload("thermo-2", "auditor", "[]", owner);
	char *by_vendor = rev_payload("thermo-2", "vendor", upd, vend);
	char *not_listed = rev_payload("thermo-2", "owner", upd, "[]");
	char *device = rev_payload("thermo-3", "auditor", upd, "[]");
	write_rev("update-revoked", set0, 0x40, revoke_update, NULL);
	write_rev("key-revoked-self", set0, 0x40, self, NULL);
	write_rev("key-thief", set0, 0x40, thief, NULL);
	write_rev("key-owner", set3, 0x40, own, NULL);
	write_rev("threshold", set1, 0x40, revoke_update, NULL);
	write_rev("vendor-revokes-itself", set2, 0x40, by_vendor, NULL);
	write_rev("role-not-listed", set0, 0x40, not_listed, NULL);
	write_rev("device", set0, 0x40, device, NULL);
	write_rev("malformed", set0, 0x40, "{\"format\": \"veto.revocation/1\", \"role\": 7}", NULL);
	write_rev("two-orders", set0 | second1, 0x40, self, revoke_update);
	write_rev("stored-limit-exact", set0 | stored, 0x40 | 31, revoke_update, NULL);
	write_rev("stored-limit-over", set0 | stored, 0x40 | 31, revoke_update, revoke_other);
	write_rev("full-policy2-room", set0 | stored | policy2, 0x40 | 31, revoke_update, revoke_other);
	write_rev("stored-revoked-signer", set1 | stored, 0x40, revoke_other, NULL);
	write_rev("policy2-reinstates", set3 | stored | policy2, 0x40, thief, NULL);
	write_rev("commit", set0 | commit, 0x40, revoke_other, NULL);
	write_rev("commit-stored", set0 | stored | policy2 | commit, 0x40, self, NULL);
	char *env = NULL;
	size_t len = 0;
	const fz_key *auds[2] = {&w->aud[0], &w->aud[1]};
	if (fz_sign(&env, &len, revoke_update, auds, 2) != VETO_OK)
		die("cannot sign a revocation");
	write_rev("raw-valid", 1, 0x40, env, NULL);
	write_rev("raw-two", 1 | stored, 0x40, env, r->policy);
	write_rev("raw-policy", 1, 0x40, r->policy, NULL);
	write_rev("raw-not-envelope", 1, 0x40, "{\"not\": \"an envelope\"}", NULL);
	veto_free(NULL, env);
	free(revoke_update);
	free(revoke_other);
	free(self);
	free(thief);
	free(own);
	free(by_vendor);
	free(not_listed);
	free(device);
}

/* (1.1) The receipt target's seeds: the payload of one command's facts
 * (fuzz_receipt.c signs each input itself). */
static void write_receipt(const char *name, const veto_receipt_facts *f)
{
	char *p = NULL;
	size_t len = 0;
	if (veto_receipt_payload(&p, &len, NULL, f) != VETO_OK)
		die("cannot write a receipt payload");
	write_seed("receipt", name, p, len);
	veto_free(NULL, p);
}

/* A check of env on s (policy: none handed in), fed img unless NULL. */
static veto_check *receipt_check(veto_report *rep, const fz_world *w, const veto_state *s,
                                 const char *env, const uint8_t *img, size_t img_len)
{
	veto_check *c = NULL;
	veto_report_init(rep, NULL);
	if (veto_check_begin(&c, rep, NULL, s, NULL, 0, (const uint8_t *)env, strlen(env), w->now) !=
	        VETO_OK ||
	    (img != NULL && veto_check_image(c, img, img_len) != VETO_OK))
		die("a receipt seed's check does not begin");
	veto_status st = veto_check_finish(c, NULL);
	if (st != VETO_OK && st != VETO_REFUSED)
		die("a receipt seed's check does not finish");
	return c;
}

/* One receipt of each kind, accepted and refused, and one signed envelope
 * for the raw path. */
static void seeds_receipt(const fz_world *w, const named *upd)
{
	veto_report rep, trep;
	veto_state *next = NULL;
	veto_receipt_facts f = {.kind = VETO_RECEIPT_INIT, .time = w->now, .after = w->state0};
	write_receipt("init", &f);
	veto_report_init(&trep, NULL);
	veto_bytes pol = {(const uint8_t *)w->policy, w->policy_len};
	if (veto_trust(&next, &trep, NULL, w->state0, &pol, 1, w->now) != VETO_OK)
		die("the receipt seeds' trust");
	f = (veto_receipt_facts){.kind = VETO_RECEIPT_TRUST, .time = w->now, .before = w->state0,
	                         .after = next, .report = &trep};
	write_receipt("trust", &f);
	veto_state_free(next);
	veto_report_clear(&trep);
	/* a trust that took one revocation of two, and refused a policy: the
	 * members of a reason that the other seeds leave out */
	static const char trust_revs[] =
	    "{\"format\": \"veto.receipt/1\", \"kind\": \"trust\",\n"
	    " \"device\": {\"vendor\": \"acme\", \"model\": \"thermo-2\"}, \"time\": "
	    "\"2026-11-21T00:00:00Z\", \"nonce\": \"n-1\",\n"
	    " \"state_before\": \"1111111111111111111111111111111111111111111111111111111111111111\",\n"
	    " \"state_after\": \"2222222222222222222222222222222222222222222222222222222222222222\",\n"
	    " \"policy\": null,\n \"update\": null, \"image\": null,\n"
	    " \"revocations\": [\"3333333333333333333333333333333333333333333333333333333333333333\"],\n"
	    " \"decision\": \"refuse\",\n"
	    " \"refusals\": [{\"code\": \"policy-signature\", \"index\": 1, \"have\": 0, \"need\": 1}, "
	    "{\"code\": \"on-hold\", \"until\": \"2027-01-06T00:00:00Z\"}], \"notices\": "
	    "[{\"code\": \"revocation-invalid\", \"index\": 2, \"detail\": \"threshold\"}, "
	    "{\"code\": \"key-revoked\", \"role\": \"auditor\", \"detail\": \"ab\"}]}\n";
	write_seed("receipt", "trust-revocations", trust_revs, strlen(trust_revs));
	f = (veto_receipt_facts){.kind = VETO_RECEIPT_STATUS, .time = w->now, .before = w->state1,
	                         .nonce = "owner-asks:7f3a"};
	write_receipt("status-nonce", &f);

	veto_check *c = receipt_check(&rep, w, w->state1, upd[0].doc, image, IMAGE_LEN);
	if (veto_check_commit(&next, c) != VETO_OK)
		die("the receipt seeds' commit");
	f = (veto_receipt_facts){.kind = VETO_RECEIPT_COMMIT, .time = w->now, .before = w->state1,
	                         .after = next, .check = c, .report = &rep};
	write_receipt("commit-accept", &f);
	char *env = NULL;
	size_t env_len = 0;
	if (veto_receipt_sign(&env, &env_len, NULL, &f, w->device.seed) != VETO_OK)
		die("cannot sign a receipt");
	write_seed("receipt", "envelope-commit", env, env_len);
	veto_free(NULL, env);
	veto_state_free(next);
	f.kind = VETO_RECEIPT_CHECK;
	f.after = NULL;
	write_receipt("check-accept", &f);
	veto_check_free(c);
	veto_report_clear(&rep);

	struct {
		const char *name;
		size_t u;
		bool with_image;
	} more[] = {{"check-refuse-cosignature", 3, true},
	               {"check-refuse-downgrade", 7, true},
	               {"check-no-image", 1, false},
	               {"commit-refuse-image-size", 0, true}};
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
		size_t img_len = i == 3 ? IMAGE_LEN - 1 : IMAGE_LEN; /* one byte short */
		c = receipt_check(&rep, w, w->state1, upd[more[i].u].doc,
		                  more[i].with_image ? image : NULL, img_len);
		f = (veto_receipt_facts){.kind = i == 3 ? VETO_RECEIPT_COMMIT : VETO_RECEIPT_CHECK,
		                         .time = w->now, .before = w->state1, .check = c,
		                         .report = &rep};
		write_receipt(more[i].name, &f);
		veto_check_free(c);
		veto_report_clear(&rep);
	}
}

int main(int argc, char **argv)
{
	const fz_world *w;
	const fz_key *o1[1], *o2[1], *o12[2];
	char payload[4096];
	char image_json[512];
	named pol[8], upd[16];
	size_t n_pol = 0, n_upd = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz-seed DIR\n");
		return 2;
	}
	root = argv[1];
	if (mkdir(root, 0755) != 0 && errno != EEXIST)
		die(root);
	w = fz_get();
	for (size_t i = 0; i < IMAGE_LEN; i++)
		image[i] = (uint8_t)((i * 31U + 7U) & 0xffU);
	if (fz_image_digests(image_sha256, image_blake2b, image, IMAGE_LEN) != 0)
		die("the library did not hash the image");
	o1[0] = &w->owner;
	o2[0] = &w->owner2;
	o12[0] = &w->owner;
	o12[1] = &w->owner2;

	/* ---- policies ---- */
	const char *prot = "\"local-control\", \"works-with-nest>=1.0\", \"zigbee\"";
	const char *opt = ",\n \"min_security_counter\": 40, \"max_image_size\": 65536,\n"
	                  " \"digests\": [\"sha256\", \"blake2b-256\"]";
	pol[n_pol].name = "serial1";
	pol[n_pol++].doc = strdup(w->policy);
	if (fz_policy_payload(payload, sizeof payload, w, 2, "null", "thermo-2", o1, 1, prot,
	                      "\"owner\"", "") == 0)
		die("policy");
	pol[n_pol].name = "serial2-minimal";
	pol[n_pol++].doc = signed_doc(payload, o1, 1);
	/* Rotation: the new owner key, proven by both the old and the new. */
	if (fz_policy_payload(payload, sizeof payload, w, 3, "\"2028-01-01T00:00:00Z\"",
	                      "thermo-2", o2, 1, prot, "\"auditor\"", opt) == 0)
		die("policy");
	pol[n_pol].name = "serial3-rotate";
	pol[n_pol++].doc = signed_doc(payload, o12, 2);
	pol[n_pol].name = "serial3-rotate-unproven";
	pol[n_pol++].doc = signed_doc(payload, o1, 1);
	if (fz_policy_payload(payload, sizeof payload, w, 4, "\"2026-01-01T00:00:00Z\"",
	                      "thermo-2", o12, 2, prot, "", opt) == 0)
		die("policy");
	pol[n_pol].name = "serial4-expired-two-owners";
	pol[n_pol++].doc = signed_doc(payload, o12, 2);
	if (fz_policy_payload(payload, sizeof payload, w, 5, "null", "thermo-3", o1, 1,
	                      "\"local-control\"", "",
	                      ",\n \"digests\": [\"blake2b-256\"], \"min_security_counter\": 0") ==
	    0)
		die("policy");
	pol[n_pol].name = "serial5-other-model";
	pol[n_pol++].doc = signed_doc(payload, o1, 1);
	if (fz_policy_payload(payload, sizeof payload, w, 6, "null", "thermo-2", o1, 1, "",
	                      "\"owner\"", ",\n \"digests\": [\"sha256\"], \"max_image_size\": 64") ==
	    0)
		die("policy");
	pol[n_pol].name = "serial6-no-protection";
	pol[n_pol++].doc = signed_doc(payload, o1, 1);
	for (size_t i = 0; i < n_pol; i++)
		write_seed("policy", pol[i].name, pol[i].doc, strlen(pol[i].doc));

	/* ---- updates ---- */
	const fz_key *vaa[3] = {&w->vendor, &w->aud[0], &w->aud[1]};
	const fz_key *vaao[4] = {&w->vendor, &w->aud[1], &w->aud[2], &w->owner};
	const fz_key *v_only[1] = {&w->vendor};
	const fz_key *stranger[2] = {&w->vendor2, &w->aud[0]};
	const char *keep = "\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\", "
	                   "\"legacy-app@3\"";
	const char *no_zigbee = "\"local-control\", \"works-with-nest@1.2\", \"matter@1.3\"";
	const char *nest_old = "\"local-control\", \"works-with-nest@0.9\", \"zigbee\"";
	snprintf(image_json, sizeof image_json,
	         "\"size\": %u, \"sha256\": \"%s\", \"blake2b-256\": \"%s\"", IMAGE_LEN,
	         image_sha256, image_blake2b);
	char img_sha[256], img_b2[256], img_big[256];
	snprintf(img_sha, sizeof img_sha, "\"size\": %u, \"sha256\": \"%s\"", IMAGE_LEN,
	         image_sha256);
	snprintf(img_b2, sizeof img_b2, "\"size\": %u, \"blake2b-256\": \"%s\"", IMAGE_LEN,
	         image_blake2b);
	snprintf(img_big, sizeof img_big, "\"size\": 100000, \"sha256\": \"%s\"", image_sha256);

	struct {
		const char *name, *model, *image, *features, *extra;
		unsigned counter;
		const fz_key *const *signers;
		size_t n_signers;
	} u[] = {
	    {"good", "thermo-2", image_json, keep, ",\n \"released\": \"2026-11-01T00:00:00Z\"", 42,
	     vaa, 3},
	    {"good-sha256", "thermo-2", img_sha, keep, "", 43, vaa, 3},
	    {"good-blake2b", "thermo-2", img_b2, keep, "", 44, vaa, 3},
	    {"cosignature-missing", "thermo-2", image_json, keep, "", 45, v_only, 1},
	    {"waived-removal", "thermo-2", image_json, no_zigbee,
	     ",\n \"removes\": [\"zigbee\"]", 46, vaao, 4},
	    {"declared-removal-unwaived", "thermo-2", image_json, no_zigbee,
	     ",\n \"removes\": [\"zigbee\"]", 47, vaa, 3},
	    {"undeclared-removal", "thermo-2", image_json, no_zigbee, "", 48, vaa, 3},
	    {"downgrade", "thermo-2", image_json, nest_old,
	     ",\n \"removes\": [\"works-with-nest\"]", 49, vaa, 3},
	    {"rollback", "thermo-2", image_json, keep, "", 39, vaa, 3},
	    {"same-counter", "thermo-2", image_json, keep, "", 41, vaa, 3},
	    {"wrong-device", "thermo-3", image_json, keep, "", 50, vaa, 3},
	    {"too-large", "thermo-2", img_big, keep, "", 51, vaa, 3},
	    {"untrusted", "thermo-2", image_json, keep, "", 52, stranger, 2},
	};
	for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
		char *p = update_payload(u[i].model, u[i].counter, u[i].image, u[i].features,
		                         u[i].extra);
		upd[n_upd].name = u[i].name;
		upd[n_upd++].doc = signed_doc(p, u[i].signers, u[i].n_signers);
		free(p);
	}
	for (size_t i = 0; i < n_upd; i++)
		write_seed("update", upd[i].name, upd[i].doc, strlen(upd[i].doc));
	write_seed("update", "policy-as-update", w->policy, w->policy_len);

	/* ---- envelopes ---- */
	write_seed("envelope", "policy", w->policy, w->policy_len);
	write_seed("envelope", "policy-two-owners", pol[2].doc, strlen(pol[2].doc));
	write_seed("envelope", "update-four-signatures", upd[4].doc, strlen(upd[4].doc));
	write_seed("envelope", "update-one-signature", upd[3].doc, strlen(upd[3].doc));
	static const char tiny[] =
	    "{\"payloadType\": \"application/vnd.veto.update+json\", \"payload\": \"e30\", "
	    "\"signatures\": [{\"keyid\": "
	    "\"0000000000000000000000000000000000000000000000000000000000000000\", \"sig\": "
	    "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAA==\"}]}";
	write_seed("envelope", "tiny-url-safe", tiny, strlen(tiny));

	/* ---- states ---- */
	char *s0 = state_text(w->state0);
	char *s1 = state_text(w->state1);
	char *s_good = state_after(w, w->state1, NULL, upd[0].doc);
	char *s_rot = state_after(w, w->state1, pol[2].doc, upd[4].doc);
	write_seed("state", "anchor-only", s0, strlen(s0));
	write_seed("state", "policy-trusted", s1, strlen(s1));
	write_seed("state", "update-installed", s_good, strlen(s_good));
	write_seed("state", "rotated-waived", s_rot, strlen(s_rot));

	/* ---- whole decisions ---- */
	uint8_t bad_image[IMAGE_LEN];
	memcpy(bad_image, image, IMAGE_LEN);
	bad_image[10] ^= 1U;
	write_frame("accept-first-policy", w->policy, upd[0].doc, NULL, image, IMAGE_LEN);
	write_frame("accept-stored-policy", NULL, upd[1].doc, s1, image, IMAGE_LEN);
	write_frame("accept-rotation-waiver", pol[2].doc, upd[4].doc, s1, image, IMAGE_LEN);
	write_frame("reinstall", NULL, upd[0].doc, s_good, image, IMAGE_LEN);
	write_frame("refuse-image-digest", w->policy, upd[2].doc, NULL, bad_image, IMAGE_LEN);
	write_frame("refuse-image-size", w->policy, upd[0].doc, NULL, image, IMAGE_LEN - 1);
	write_frame("refuse-cosignature", w->policy, upd[3].doc, NULL, image, IMAGE_LEN);
	write_frame("refuse-rollback", NULL, upd[8].doc, s_good, image, IMAGE_LEN);
	write_frame("refuse-expired-policy", pol[4].doc, upd[0].doc, s1, image, IMAGE_LEN);
	write_frame("no-policy", NULL, upd[0].doc, NULL, image, IMAGE_LEN);
	seeds11(w, upd);
	seeds_revocation(w);
	seeds_receipt(w, upd);

	for (size_t i = 0; i < n_pol; i++)
		veto_free(NULL, pol[i].doc);
	for (size_t i = 0; i < n_upd; i++)
		veto_free(NULL, upd[i].doc);
	veto_free(NULL, s0);
	veto_free(NULL, s1);
	veto_free(NULL, s_good);
	veto_free(NULL, s_rot);
	printf("fuzz-seed: wrote %zu seeds under %s\n", written, root);
	return 0;
}
