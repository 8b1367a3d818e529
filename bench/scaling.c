/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scaling.c - how the cost of one decision grows with its input, so that
 * anything superlinear shows at a glance.  Each point is a whole decision
 * (veto_check_begin + finish + frees, no image, in-process, warm) timed
 * interleaved, run by run, with its peer; medians.
 *
 *   keys      the auditor role has k keys (threshold 2; the update is
 *             signed by the vendor and two auditors); peer: the 4 bare
 *             verifications (owner's policy signature, the update's 3).
 *   sigs      the update carries s auditor signatures (role of 16 keys,
 *             threshold 1); peer: 2 + s verifications.  And the attacker's
 *             cheapest input: 3 good signatures plus 61 by unknown keys
 *             (64 in all), against the same 4 verifications.
 *   features  n protected, offered and installed features; peer: the same
 *             decision with 1.
 *   payload   the update payload padded with JSON whitespace to p bytes;
 *             peer: its 4 verifications over the same bytes.
 *
 * Output: "SCALE <tab> series <tab> x <tab> veto_us <tab> peer_us <tab>
 * ratio" lines (scripts/bench.sh draws them), then RESULT lines for the
 * targets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"

#define MAX_VER 80

/* One decision to time, and the bare verifications it cannot avoid. */
typedef struct world {
	char *pol, *upd;
	size_t pol_len, upd_len;
	veto_state *state;
	size_t n_ver;
	uint8_t sig[MAX_VER][64];
	uint8_t *pae[MAX_VER];
	size_t pae_len[MAX_VER];
	const uint8_t *pk[MAX_VER];
} world;

typedef struct shape {
	size_t auditors;      /* keys of the auditor role */
	unsigned threshold;   /* of the auditor role */
	size_t aud_signers;   /* auditors that sign the update */
	size_t strangers;     /* unknown keys that sign it too */
	size_t features;      /* protected, offered and installed */
	size_t payload;       /* 0, or the payload padded to this many bytes */
} shape;

static bench_key owner, vendor, aud[126], stranger[64];

static char **feature_names(size_t n, const char *suffix)
{
	char **v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; v != NULL && i < n; i++) {
		v[i] = malloc(32);
		if (v[i] == NULL)
			bench_die("out of memory");
		snprintf(v[i], 32, "feature-%03zu%s", (i * 7) % n, suffix);
	}
	if (v == NULL)
		bench_die("out of memory");
	return v;
}

static void free_names(char **v)
{
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* JSON whitespace after the opening brace, up to size bytes in all. */
static char *padded(char *payload, size_t size)
{
	size_t len = strlen(payload);
	if (size <= len)
		return payload;
	char *p = malloc(size + 1);
	if (p == NULL)
		bench_die("out of memory");
	p[0] = '{';
	memset(p + 1, ' ', size - len);
	memcpy(p + 1 + size - len, payload + 1, len); /* with its NUL */
	free(payload);
	return p;
}

static void add_ver(world *w, const char *type, const char *payload, const bench_key *k)
{
	if (w->n_ver == MAX_VER)
		bench_die("too many verifications");
	bench_pae_sign(w->sig[w->n_ver], &w->pae[w->n_ver], &w->pae_len[w->n_ver], type, payload, k);
	w->pk[w->n_ver++] = k->pk;
}

static void make_policy(world *w, const shape *s, char **protect)
{
	const bench_key *owner_keys[] = {&owner}, *vendor_keys[] = {&vendor};
	const bench_key *aud_keys[126];
	for (size_t i = 0; i < s->auditors; i++)
		aud_keys[i] = &aud[i];
	const bench_role roles[] = {
		{"owner", owner_keys, 1, 1},
		{"vendor", vendor_keys, 1, 1},
		{"auditor", aud_keys, s->auditors, s->threshold},
	};
	const char *require[] = {"vendor", "auditor", NULL};
	char *payload = bench_policy_payload(1, roles, 3, require, (const char *const *)protect);
	w->pol = bench_envelope(payload, owner_keys, 1, &w->pol_len);
	add_ver(w, VETO_TYPE_POLICY, payload, &owner);
	free(payload);
}

static void make_update(world *w, const shape *s, char **offered)
{
	const bench_key *signers[1 + 126 + 64];
	size_t n = 0;
	char sha[65];
	memset(sha, 'a', 64);
	sha[64] = '\0';
	char *payload =
	    padded(bench_update_payload(42, 1048576, sha, NULL, (const char *const *)offered),
	           s->payload);
	signers[n++] = &vendor;
	for (size_t i = 0; i < s->aud_signers; i++)
		signers[n++] = &aud[i];
	for (size_t i = 0; i < s->strangers; i++)
		signers[n++] = &stranger[i];
	w->upd = bench_envelope(payload, signers, n, &w->upd_len);
	for (size_t i = 0; i < 1 + s->aud_signers; i++)
		add_ver(w, VETO_TYPE_UPDATE, payload, signers[i]);
	free(payload);
}

static void world_make(world *w, const shape *s)
{
	memset(w, 0, sizeof(*w));
	char **protect = feature_names(s->features, "");
	char **offered = feature_names(s->features, "@2");
	make_policy(w, s, protect);
	make_update(w, s, offered);
	char *anchor = bench_anchor(&owner);
	bench_ok(veto_state_from_anchor(&w->state, NULL, NULL, (const uint8_t *)anchor,
	                                strlen(anchor), 41, (const char *const *)protect,
	                                s->features),
	         "veto_state_from_anchor");
	free(anchor);
	free_names(protect);
	free_names(offered);
}

static void world_free(world *w)
{
	for (size_t i = 0; i < w->n_ver; i++)
		free(w->pae[i]);
	veto_state_free(w->state);
	free(w->pol);
	free(w->upd);
}

static double decide_ns(const world *w)
{
	veto_bytes policies[1] = {{(const uint8_t *)w->pol, w->pol_len}};
	veto_report rep;
	veto_check *c = NULL;
	double t0 = bench_now_ns();
	veto_report_init(&rep, NULL);
	bench_ok(veto_check_begin(&c, &rep, NULL, w->state, policies, 1, (const uint8_t *)w->upd,
	                          w->upd_len, BENCH_NOW),
	         "veto_check_begin");
	veto_status st = veto_check_finish(c, NULL);
	size_t n_ref = rep.n_refusals;
	veto_check_free(c);
	veto_report_clear(&rep);
	double t1 = bench_now_ns();
	if (st != VETO_OK)
		bench_die("the decision refused (%zu reasons, first %s): the fixture is wrong", n_ref,
		          n_ref ? veto_code_name(rep.refusals[0].code) : "-");
	return t1 - t0;
}

static double verify_ns(const world *w)
{
	int bad = 0;
	double t0 = bench_now_ns();
	for (size_t i = 0; i < w->n_ver; i++)
		bad |= crypto_sign_verify_detached(w->sig[i], w->pae[i], w->pae_len[i], w->pk[i]);
	double t1 = bench_now_ns();
	if (bad)
		bench_die("a bare verification failed");
	return t1 - t0;
}

/* Medians, in microseconds, of a decision of a and of the peer: b's
 * decision when b is given, else a's bare verifications. */
static void measure(const world *a, const world *b, unsigned runs, double *ours, double *peer)
{
	double *ta = calloc(runs, sizeof(double)), *tb = calloc(runs, sizeof(double));
	if (ta == NULL || tb == NULL)
		bench_die("out of memory");
	unsigned warm = runs / 10 + 1;
	for (unsigned r = 0; r < runs + warm; r++) {
		double x = decide_ns(a);
		double y = b != NULL ? decide_ns(b) : verify_ns(a);
		if (r >= warm) {
			ta[r - warm] = x;
			tb[r - warm] = y;
		}
	}
	*ours = bench_median(ta, runs) / 1e3;
	*peer = bench_median(tb, runs) / 1e3;
	bench_sane("decision time", *ours);
	bench_sane("peer time", *peer);
	free(ta);
	free(tb);
}

static double point(const char *series, double x, const shape *s, const shape *peer_shape,
                    unsigned runs)
{
	world a, b;
	double ours, peer;
	const char *only = getenv("BENCH_POINT"); /* one x alone, for callgrind */
	if (only != NULL && atof(only) != x)
		return 1.0;
	world_make(&a, s);
	if (peer_shape != NULL)
		world_make(&b, peer_shape);
	measure(&a, peer_shape != NULL ? &b : NULL, runs, &ours, &peer);
	printf("SCALE\t%s\t%.0f\t%.1f\t%.1f\t%.3f\n", series, x, ours, peer, ours / peer);
	fflush(stdout);
	world_free(&a);
	if (peer_shape != NULL)
		world_free(&b);
	return ours / peer;
}

static const shape base = {.auditors = 3, .threshold = 2, .aud_signers = 2, .features = 1};

static void series_keys(unsigned runs, int smoke)
{
	static const size_t ks[] = {3, 8, 16, 32, 64, 126};
	for (size_t i = 0; i < (smoke ? 2 : sizeof(ks) / sizeof(ks[0])); i++) {
		shape s = base;
		s.auditors = ks[i];
		(void)point("keys", (double)ks[i], &s, NULL, runs);
	}
}

static void series_sigs(unsigned runs, int smoke)
{
	static const size_t ns[] = {1, 2, 4, 8, 16};
	for (size_t i = 0; i < (smoke ? 2 : sizeof(ns) / sizeof(ns[0])); i++) {
		shape s = base;
		s.auditors = 16;
		s.threshold = 1;
		s.aud_signers = ns[i];
		(void)point("sigs", (double)ns[i], &s, NULL, runs);
	}
	shape s = base;
	s.strangers = 61;
	double r = point("sigs-unknown", 64, &s, NULL, runs);
	bench_result("scale-unknown-sigs", "decision, 3 good + 61 unknown-key update signatures",
	             "4x crypto_sign_verify_detached", 1.0, r, "ratio", "-");
}

static void series_features(unsigned runs, int smoke)
{
	static const size_t ns[] = {1, 4, 16, 64, 128, 256};
	double r = 0;
	for (size_t i = 0; i < (smoke ? 2 : sizeof(ns) / sizeof(ns[0])); i++) {
		shape s = base;
		s.features = ns[i];
		r = point("features", (double)ns[i], &s, &base, runs);
	}
	if (!smoke)
		bench_result("scale-features", "decision with 256 features vs the same with 1",
		             "the decision with 1 feature", 1.0, r, "ratio", "1.3");
}

static void series_payload(unsigned runs, int smoke)
{
	static const size_t ps[] = {0, 65536, 262144, 524288, 760000};
	double r = 0;
	for (size_t i = 0; i < (smoke ? 2 : sizeof(ps) / sizeof(ps[0])); i++) {
		shape s = base;
		s.payload = ps[i];
		r = point("payload", (double)(ps[i] ? ps[i] : 300), &s, NULL, ps[i] > 65536 ? runs / 10 + 3 : runs);
	}
	if (!smoke)
		bench_result("scale-payload", "decision on a 760 KB update payload (~1 MiB envelope)",
		             "its 4 verifications", 1.0, r, "ratio", "1.3");
}

/* Pre-flight per policy, once the update is open and its signatures
 * verified: m checks of w's policy from one veto_preflight, in nanoseconds
 * each. */
static double preflight_ns(const world *w, unsigned m)
{
	veto_preflight *pf = NULL;
	bench_ok(veto_preflight_new(&pf, NULL, (const uint8_t *)w->upd, w->upd_len),
	         "veto_preflight_new");
	double t0 = 0;
	for (unsigned i = 0; i <= m; i++) {
		/* The first check verifies the update's signatures for all the
		 * others: not timed. */
		if (i == 1)
			t0 = bench_now_ns();
		veto_report rep;
		veto_check *c = NULL;
		veto_report_init(&rep, NULL);
		bench_ok(veto_preflight_check(&c, &rep, pf, (const uint8_t *)w->pol, w->pol_len,
		                              BENCH_NOW),
		         "veto_preflight_check");
		veto_status st = veto_check_finish(c, NULL);
		veto_check_free(c);
		veto_report_clear(&rep);
		if (st != VETO_OK)
			bench_die("pre-flight refused: the fixture is wrong");
	}
	double t1 = bench_now_ns();
	veto_preflight_free(pf);
	return (t1 - t0) / m;
}

/* The per-policy cost of pre-flight with a ~700 KB update payload against
 * the same with a small one: the payload must not be touched per policy. */
static void series_preflight_payload(unsigned runs, int smoke)
{
	shape big = base;
	big.payload = 700000;
	world a, b;
	world_make(&a, &big);
	world_make(&b, &base);
	unsigned m = smoke ? 5 : 200, n = smoke ? 2 : runs / 20 + 5;
	double *ta = calloc(n, sizeof(double)), *tb = calloc(n, sizeof(double));
	if (ta == NULL || tb == NULL)
		bench_die("out of memory");
	for (unsigned r = 0; r <= n; r++) { /* round 0 warms up */
		double x = preflight_ns(&a, m), y = preflight_ns(&b, m);
		if (r > 0) {
			ta[r - 1] = x;
			tb[r - 1] = y;
		}
	}
	double ours = bench_median(ta, n) / 1e3, peer = bench_median(tb, n) / 1e3;
	bench_sane("pre-flight time", ours);
	printf("SCALE\tpreflight-payload\t700000\t%.1f\t%.1f\t%.3f\n", ours, peer, ours / peer);
	bench_result("scale-preflight-payload",
	             "pre-flight per policy, 700 KB update payload vs a small one",
	             "the same with a ~300-byte payload", peer, ours, "us", "1.1");
	free(ta);
	free(tb);
	world_free(&a);
	world_free(&b);
}

int main(int argc, char **argv)
{
	bench_opts o;
	bench_parse_opts(&o, argc, argv, 400, 0);
	unsigned runs = o.smoke ? 5 : o.runs;
	bench_key_new(&owner);
	bench_key_new(&vendor);
	for (size_t i = 0; i < 126; i++)
		bench_key_new(&aud[i]);
	for (size_t i = 0; i < 64; i++)
		bench_key_new(&stranger[i]);
	const char *only = getenv("BENCH_SERIES");
	if (only == NULL || strstr(only, "keys"))
		series_keys(runs, o.smoke);
	if (only == NULL || strstr(only, "sigs"))
		series_sigs(runs, o.smoke);
	if (only == NULL || strstr(only, "features"))
		series_features(runs, o.smoke);
	if (only == NULL || strstr(only, "payload"))
		series_payload(runs, o.smoke);
	if (only == NULL || strstr(only, "preflight"))
		series_preflight_payload(runs, o.smoke);
	return 0;
}
