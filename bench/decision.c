/* SPDX-License-Identifier: Apache-2.0 */
/*
 * decision.c - latency of one full decision without an image, against the
 * bare signature checks it cannot avoid.
 *
 * The device trusts an anchor (one owner key).  The decision is handed a
 * policy signed by the owner (vendor role: 1 key; auditor role: 2 of 3)
 * and an update signed by the vendor and two auditors: 1 + 3 Ed25519
 * signatures.  Measured: veto_check_begin (policy trusted, update verified
 * and evaluated) + veto_check_finish + the frees, in-process, warm.  Peer:
 * the same 4 crypto_sign_verify_detached calls over the same PAE bytes.
 * Each run times one decision and one set of 4 verifications, interleaved;
 * the medians are reported.
 *
 * (1.1) Revocations (SPEC 5.3), then: the same decision (the update's 3
 * signatures, the policy stored) under a veto.policy/1.1 whose auditors
 * may revoke, against itself with nothing stored and nothing handed in:
 * with the state holding revocations of three roles the policy does not
 * honour; with the auditor role holding 1024 digests and 256 keyids, none
 * of them this update's or its signers'; and with 1 and 8 revocations
 * handed in (each an auditor pair's revocation of another release,
 * accepted, without effect on the update).  Each run times every variant
 * once, in turn; the ratios of the medians to the baseline's are printed.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"

/* ---- (1.1) revocations -------------------------------------------------- */

#define REV_VARIANTS 5
enum { V_PLAIN, V_OTHER, V_HONOURED, V_HAND1, V_HAND8 };

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A sorted JSON list of n made-up digests (or keyids): SHA-256 of
 * "<what> <i>", as hex. */
static char *made_up(const char *what, size_t n)
{
	char **items = calloc(n, sizeof(*items));
	tw_str b = {0};
	if (items == NULL || !tw_str_printf(&b, "["))
		bench_die("out of memory");
	for (size_t i = 0; i < n; i++) {
		char text[64];
		uint8_t h[32];
		snprintf(text, sizeof(text), "%s %zu", what, i);
		crypto_hash_sha256(h, (const uint8_t *)text, strlen(text));
		if ((items[i] = malloc(65)) == NULL)
			bench_die("out of memory");
		sodium_bin2hex(items[i], 65, h, sizeof(h));
	}
	qsort(items, n, sizeof(*items), by_text);
	for (size_t i = 0; i < n; i++) {
		if (!tw_str_printf(&b, "%s\"%s\"", i ? ", " : "", items[i]))
			bench_die("out of memory");
		free(items[i]);
	}
	free(items);
	if (!tw_str_printf(&b, "]"))
		bench_die("out of memory");
	return b.s;
}

/* s with its (empty) revocations replaced by revs, through the state
 * document: what a device that stored them would read back. */
static veto_state *with_revocations(const veto_state *s, const char *revs)
{
	char *text = NULL;
	size_t len = 0;
	bench_ok(veto_state_format(&text, &len, s), "veto_state_format");
	char *at = strstr(text, "\"revocations\": {}");
	if (at == NULL)
		bench_die("the state holds no empty revocations member");
	tw_str b = {0};
	if (!tw_str_printf(&b, "%.*s\"revocations\": %s%s", (int)(at - text), text, revs,
	                   at + strlen("\"revocations\": {}")))
		bench_die("out of memory");
	veto_state *out = NULL;
	bench_ok(veto_state_parse(&out, NULL, NULL, (const uint8_t *)b.s, b.len), "veto_state_parse");
	tw_str_free(&b);
	veto_free(NULL, text);
	return out;
}

/* The roles' revocations a JSON object: each role with n digests and k
 * keyids made up under its own name. */
static char *rev_object(const char *const *roles, size_t n_roles, size_t n, size_t k)
{
	tw_str b = {0};
	bool ok = tw_str_printf(&b, "{");
	for (size_t r = 0; ok && r < n_roles; r++) {
		char what[64];
		snprintf(what, sizeof(what), "%s digest", roles[r]);
		char *u = made_up(what, n);
		snprintf(what, sizeof(what), "%s keyid", roles[r]);
		char *ks = made_up(what, k);
		ok = tw_str_printf(&b, "%s\"%s\": {\"updates\": %s, \"keys\": %s}", r ? ", " : "",
		                   roles[r], u, ks);
		free(u);
		free(ks);
	}
	if (!ok || !tw_str_printf(&b, "}"))
		bench_die("out of memory");
	return b.s;
}

/* One decision on the stored policy with revs[0..n) handed in; its time in
 * ns.  It must accept with no notice: the revocations are accepted and
 * touch nothing this update needs. */
static double time_decision(const veto_state *s, const veto_bytes *revs, size_t n,
                            const char *upd, size_t upd_len)
{
	veto_when when = {.now = BENCH_NOW, .revocations = n ? revs : NULL, .n_revocations = n};
	veto_report rep;
	veto_check *c = NULL;
	double t0 = bench_now_ns();
	veto_report_init(&rep, NULL);
	bench_ok(veto_check_begin_at(&c, &rep, NULL, s, NULL, 0, (const uint8_t *)upd, upd_len, &when),
	         "veto_check_begin_at");
	veto_status st = veto_check_finish(c, NULL);
	size_t n_ref = rep.n_refusals, n_not = rep.n_notices;
	veto_check_free(c);
	veto_report_clear(&rep);
	double t1 = bench_now_ns();
	/* image-unchecked is the one notice a decision without an image has */
	if (st != VETO_OK || n_not != 1)
		bench_die("revocations: the decision gave %zu refusals, %zu notices: the fixture is wrong",
		          n_ref, n_not);
	return t1 - t0;
}

/* The stored 1.1 policy: pol_payload made a veto.policy/1.1 whose auditors
 * may revoke, trusted from the anchor's state. */
static veto_state *state11(const veto_state *enrolled, const char *pol_payload,
                           const bench_key *owner)
{
	const char *v1 = "\"veto.policy/1\"";
	char *at = strstr(pol_payload, v1);
	size_t len = strlen(pol_payload);
	tw_str b = {0};
	if (at == NULL || !tw_str_printf(&b, "%.*s\"veto.policy/1.1\"%.*s, \"issued\": "
	                                     "\"2029-01-01T00:00:00Z\", \"revocation_roles\": [\"auditor\"]}",
	                                 (int)(at - pol_payload), pol_payload,
	                                 (int)(len - 1 - (size_t)(at - pol_payload) - strlen(v1)),
	                                 at + strlen(v1)))
		bench_die("cannot make the 1.1 policy");
	size_t env_len;
	char *env = bench_envelope(b.s, &owner, 1, &env_len);
	veto_bytes pol = {(const uint8_t *)env, env_len};
	veto_state *out = NULL;
	veto_report rep;
	veto_report_init(&rep, NULL);
	bench_ok(veto_trust(&out, &rep, NULL, enrolled, &pol, 1, BENCH_NOW), "veto_trust (1.1)");
	veto_report_clear(&rep);
	tw_str_free(&b);
	free(env);
	return out;
}

/* Eight revocations of other releases by the auditors aud[0] and aud[1]. */
static void make_revocations(char *env[8], veto_bytes revs[8], const bench_key *aud)
{
	const bench_key *signers[] = {&aud[0], &aud[1]};
	for (int i = 0; i < 8; i++) {
		char what[32];
		snprintf(what, sizeof(what), "another release %d", i);
		char *list = made_up(what, 1);
		tw_str b = {0};
		if (!tw_revocation_text(&b, BENCH_VENDOR, BENCH_MODEL, "auditor", list, "[]"))
			bench_die("out of memory");
		size_t len;
		env[i] = bench_envelope(b.s, signers, 2, &len);
		revs[i] = (veto_bytes){(const uint8_t *)env[i], len};
		tw_str_free(&b);
		free(list);
	}
}

/* The medians, their ratios to the baseline's, and the RESULT lines. */
static void report_revocations(double *t[REV_VARIANTS], unsigned runs)
{
	static const char *const id[] = {"", "rev-stored-other", "rev-stored-honoured",
	                                 "rev-handed-1", "rev-handed-8"};
	static const char *const what[] = {
	    "",
	    "decision, 1.1 policy stored, 3 update signatures; the state holds 768 digests + 192 "
	    "keyids of 3 roles the policy does not honour",
	    "decision, 1.1 policy stored, 3 update signatures; the auditor role holds 1024 "
	    "digests + 256 keyids, none this update's",
	    "decision, 1.1 policy stored, 3 update signatures; 1 revocation handed in "
	    "(2 signatures)",
	    "decision, 1.1 policy stored, 3 update signatures; 8 revocations handed in "
	    "(2 signatures each)"};
	static const char *const target[] = {"", "1.05", "1.05", "-", "-"};
	double m[REV_VARIANTS];
	for (int v = 0; v < REV_VARIANTS; v++) {
		m[v] = bench_median(t[v], runs) / 1e3;
		bench_sane("revocation figure", m[v]);
	}
	printf("revocations: %u runs, no revocation %.1f us; stored for other roles %.1f us "
	       "(ratio %.3f); stored for the auditors %.1f us (ratio %.3f); 1 handed in %.1f us "
	       "(ratio %.3f); 8 handed in %.1f us (ratio %.3f)\n",
	       runs, m[V_PLAIN], m[V_OTHER], m[V_OTHER] / m[V_PLAIN], m[V_HONOURED],
	       m[V_HONOURED] / m[V_PLAIN], m[V_HAND1], m[V_HAND1] / m[V_PLAIN], m[V_HAND8],
	       m[V_HAND8] / m[V_PLAIN]);
	for (int v = V_OTHER; v < REV_VARIANTS; v++)
		bench_result(id[v], what[v], "the same decision, no revocation stored or handed in",
		             m[V_PLAIN], m[v], "us", target[v]);
}

static void revocation_figures(const veto_state *enrolled, const char *pol_payload,
                               const bench_key *owner, const bench_key *aud, const char *upd,
                               size_t upd_len, unsigned runs)
{
	static const char *const other[] = {"fleet", "csirt", "cert"}, *const auditor[] = {"auditor"};
	veto_state *st[3];
	st[V_PLAIN] = state11(enrolled, pol_payload, owner);
	char *o = rev_object(other, 3, 256, 64), *h = rev_object(auditor, 1, 1024, 256);
	st[V_OTHER] = with_revocations(st[V_PLAIN], o);
	st[V_HONOURED] = with_revocations(st[V_PLAIN], h);
	char *env[8];
	veto_bytes revs[8];
	make_revocations(env, revs, aud);
	double *t[REV_VARIANTS];
	for (int v = 0; v < REV_VARIANTS; v++)
		if ((t[v] = calloc(runs, sizeof(double))) == NULL)
			bench_die("out of memory");
	unsigned warm = runs / 10 + 1;
	for (unsigned r = 0; r < runs + warm; r++)
		for (int v = 0; v < REV_VARIANTS; v++) {
			const veto_state *s = v <= V_HONOURED ? st[v] : st[V_PLAIN];
			size_t n = v == V_HAND1 ? 1 : v == V_HAND8 ? 8 : 0;
			double ns = time_decision(s, revs, n, upd, upd_len);
			if (r >= warm)
				t[v][r - warm] = ns;
		}
	report_revocations(t, runs);
	for (int v = 0; v < REV_VARIANTS; v++)
		free(t[v]);
	for (int i = 0; i < 8; i++)
		free(env[i]);
	for (int i = 0; i < 3; i++)
		veto_state_free(st[i]);
	free(o);
	free(h);
}

int main(int argc, char **argv)
{
	bench_opts o;
	bench_parse_opts(&o, argc, argv, 3000, 0);
	unsigned runs = o.smoke ? 20 : o.runs;

	bench_key owner, vendor, aud[3];
	bench_key_new(&owner);
	bench_key_new(&vendor);
	for (int i = 0; i < 3; i++)
		bench_key_new(&aud[i]);
	const bench_key *owner_keys[] = {&owner}, *vendor_keys[] = {&vendor},
	                *aud_keys[] = {&aud[0], &aud[1], &aud[2]};
	const bench_role roles[] = {
		{"owner", owner_keys, 1, 1},
		{"vendor", vendor_keys, 1, 1},
		{"auditor", aud_keys, 3, 2},
	};
	const char *require[] = {"vendor", "auditor", NULL};
	const char *protect[] = {"local-control", "zigbee", NULL};
	char *pol_payload = bench_policy_payload(1, roles, 3, require, protect);
	size_t pol_len;
	char *pol = bench_envelope(pol_payload, owner_keys, 1, &pol_len);

	const char *features[] = {"local-control", "zigbee", "matter@1.3", NULL};
	char sha[65];
	memset(sha, 'a', 64);
	sha[64] = '\0';
	char *upd_payload = bench_update_payload(42, 1048576, sha, NULL, features);
	const bench_key *upd_signers[] = {&vendor, &aud[0], &aud[1]};
	size_t upd_len;
	char *upd = bench_envelope(upd_payload, upd_signers, 3, &upd_len);

	char *anchor = bench_anchor(&owner);
	const char *installed[] = {"local-control", "zigbee"};
	veto_state *state = NULL;
	bench_ok(veto_state_from_anchor(&state, NULL, NULL, (const uint8_t *)anchor,
	                                strlen(anchor), 41, installed, 2),
	         "veto_state_from_anchor");

	/* The bare baseline: the same four signatures over the same bytes. */
	uint8_t sig[4][64];
	uint8_t *pae[4];
	size_t pae_len[4];
	const bench_key *signer[4] = {&owner, &vendor, &aud[0], &aud[1]};
	bench_pae_sign(sig[0], &pae[0], &pae_len[0], VETO_TYPE_POLICY, pol_payload, signer[0]);
	for (int i = 1; i < 4; i++)
		bench_pae_sign(sig[i], &pae[i], &pae_len[i], VETO_TYPE_UPDATE, upd_payload, signer[i]);

	veto_bytes policies[1] = {{(const uint8_t *)pol, pol_len}};
	double *t_dec = calloc(runs, sizeof(double)), *t_ver = calloc(runs, sizeof(double));
	if (t_dec == NULL || t_ver == NULL)
		bench_die("out of memory");
	unsigned warm = runs / 10 + 1;
	for (unsigned r = 0; r < runs + warm; r++) {
		double t0 = bench_now_ns();
		veto_report rep;
		veto_check *c = NULL;
		veto_report_init(&rep, NULL);
		bench_ok(veto_check_begin(&c, &rep, NULL, state, policies, 1, (const uint8_t *)upd,
		                          upd_len, BENCH_NOW),
		         "veto_check_begin");
		veto_status st = veto_check_finish(c, NULL);
		size_t n_ref = rep.n_refusals;
		veto_check_free(c);
		veto_report_clear(&rep);
		double t1 = bench_now_ns();
		if (st != VETO_OK)
			bench_die("the decision refused (%zu reasons): the fixture is wrong", n_ref);

		double t2 = bench_now_ns();
		int bad = 0;
		for (int i = 0; i < 4; i++)
			bad |= crypto_sign_verify_detached(sig[i], pae[i], pae_len[i], signer[i]->pk);
		double t3 = bench_now_ns();
		if (bad)
			bench_die("a bare verification failed");
		if (r >= warm) {
			t_dec[r - warm] = t1 - t0;
			t_ver[r - warm] = t3 - t2;
		}
	}
	double dec = bench_median(t_dec, runs) / 1e3, ver = bench_median(t_ver, runs) / 1e3;
	bench_sane("decision time", dec);
	bench_sane("verification time", ver);
	printf("decision: %u runs, median %.1f us; 4 bare verifications: median %.1f us; "
	       "ratio %.3f\n",
	       runs, dec, ver, dec / ver);
	bench_result("decision", "decision latency, no image (1 policy + 3 update signatures)",
	             "4x crypto_sign_verify_detached", ver, dec, "us", "1.15");

	revocation_figures(state, pol_payload, &owner, aud, upd, upd_len, runs);

	for (int i = 0; i < 4; i++)
		free(pae[i]);
	free(t_dec);
	free(t_ver);
	veto_state_free(state);
	free(anchor);
	free(upd);
	free(upd_payload);
	free(pol);
	free(pol_payload);
	return 0;
}
