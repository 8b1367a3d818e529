/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alloc.c - every allocation of a full decision, made to fail in turn.
 *
 * The scenario (run_scenario) is what a device and a vendor do: enrol from
 * the trust anchor, trust the owner's policy, check an update that waives
 * a protected feature (notices) and commit it, check one that must be
 * refused (several reasons), format and parse the state, pre-flight a
 * release, sign and co-sign a manifest, parse an envelope and read a
 * policy's keys.  A counting allocator serves both the library (veto_config)
 * and cJSON (cJSON_InitHooks: its hooks are process-wide and the library
 * never sets them).
 *
 * The first run counts the allocations, N, and records every status and
 * output.  Then for k = 1..N the k-th allocation, and only it, fails.  Each
 * trial must:
 *   - end each call with the baseline's status and the same output, or with
 *     VETO_E_NOMEM (a decision may refuse instead, never accept), and then
 *     stop;
 *   - set every out pointer to NULL when a call fails;
 *   - never present partial output as success: a call that returns the
 *     baseline's status gives the baseline's bytes (a finish that could not
 *     record a reason or notice may not say VETO_OK);
 *   - leave no block allocated (and LeakSanitizer agrees under ASan).
 * It prints the number of allocation sites tried.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"

/* ---- the counting allocator ------------------------------------------- */

static unsigned long n_allocs; /* attempts in this trial */
static unsigned long fail_at;  /* 0: none fails */
static long live;              /* blocks handed out and not released */

static void *count_malloc(size_t size)
{
	n_allocs++;
	if (n_allocs == fail_at)
		return NULL;
	void *p = malloc(size ? size : 1);
	if (p != NULL)
		live++;
	return p;
}

static void count_free(void *p)
{
	if (p == NULL)
		return;
	live--;
	free(p);
}

static void *cfg_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return count_malloc(size);
}

static void cfg_release(void *ctx, void *p)
{
	(void)ctx;
	count_free(p);
}

static const veto_config cfg = {.alloc = cfg_alloc, .release = cfg_release};

/* ---- what a run records ----------------------------------------------- */

#define MAX_STEPS 32

typedef struct run {
	int n;                        /* steps done */
	const char *name[MAX_STEPS];
	veto_status st[MAX_STEPS];
	char *out[MAX_STEPS];         /* output bytes (malloc'd here), or NULL */
	size_t out_len[MAX_STEPS];
	int stopped;                  /* a step failed: the run ended there */
} run;

static run base;
static unsigned long problems;
static unsigned long refusals_for_nomem;

static void problem(unsigned long k, const char *step, const char *what)
{
	problems++;
	fprintf(stderr, "alloc-failure: k=%lu, %s: %s\n", k, step, what);
}

/* Records a step of run r.  Returns 1 when the scenario may go on. */
static int step(run *r, const char *name, veto_status st, const void *out, size_t out_len,
                int out_null_ok)
{
	int i = r->n++;
	if (i >= MAX_STEPS)
		fz_fail(__FILE__, __LINE__, "too many steps");
	r->name[i] = name;
	r->st[i] = st;
	r->out[i] = NULL;
	r->out_len[i] = 0;
	if (out != NULL && out_len > 0) {
		r->out[i] = malloc(out_len);
		if (r->out[i] == NULL)
			fz_fail(__FILE__, __LINE__, "out of memory in the test itself");
		memcpy(r->out[i], out, out_len);
		r->out_len[i] = out_len;
	}
	(void)out_null_ok;
	if (r == &base)
		return 1;

	/* A trial: compare with the baseline. */
	if (st == base.st[i]) {
		if (r->out_len[i] != base.out_len[i] ||
		    (r->out_len[i] && memcmp(r->out[i], base.out[i], r->out_len[i]) != 0))
			problem(fail_at, name, "same status as without the failure, different output "
			                       "(partial output presented as success)");
		return 1;
	}
	if (st == VETO_E_NOMEM) {
		r->stopped = 1;
		return 0;
	}
	if (st == VETO_REFUSED && base.st[i] == VETO_OK) {
		/* Tolerated (a refusal is not a success) but worth a count. */
		refusals_for_nomem++;
		r->stopped = 1;
		return 0;
	}
	char what[160];
	snprintf(what, sizeof what, "status %s (%d), expected %s or VETO_E_NOMEM",
	         veto_strerror(st), (int)st, veto_strerror(base.st[i]));
	problem(fail_at, name, what);
	r->stopped = 1;
	return 0;
}

static void run_free(run *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->out[i]);
	memset(r, 0, sizeof *r);
}

/* A pointer the library must overwrite: NULL on failure. */
#define SENTINEL ((void *)&sentinel_)
static char sentinel_;

static void check_out(run *r, const char *name, veto_status st, const void *p)
{
	if (st != VETO_OK && st != VETO_REFUSED && p != NULL && r != &base)
		problem(fail_at, name, "failed but left its out pointer set");
}

/* ---- the inputs (made before the hooks are installed) ----------------- */

static const fz_world *w;
static uint8_t image[300];
static char *upd_waive, *upd_refused, *upd_good;
static char upd_payload[2048];
static size_t upd_payload_len;
static const char *const features[] = {"local-control", "works-with-nest@1.2", "zigbee",
                                       "legacy-app@3"};

static char *make_update(unsigned counter, const char *feats, const char *extra,
                         const fz_key *const *signers, size_t n, char *payload_out)
{
	char sha[65], b2[65], image_json[256], payload[2048];
	char *env = NULL;
	size_t env_len = 0;

	if (fz_image_digests(sha, b2, image, sizeof image) != 0)
		fz_fail(__FILE__, __LINE__, "cannot hash the image");
	snprintf(image_json, sizeof image_json,
	         "\"size\": %zu, \"sha256\": \"%s\", \"blake2b-256\": \"%s\"", sizeof image, sha, b2);
	if (fz_update_payload(payload, sizeof payload, "thermo-2", counter, image_json, feats,
	                      extra) == 0)
		fz_fail(__FILE__, __LINE__, "update payload");
	if (payload_out != NULL)
		memcpy(payload_out, payload, strlen(payload) + 1);
	if (fz_sign(&env, &env_len, payload, signers, n) != VETO_OK)
		fz_fail(__FILE__, __LINE__, "cannot sign");
	return env;
}

static void make_inputs(void)
{
	w = fz_get();
	for (size_t i = 0; i < sizeof image; i++)
		image[i] = (uint8_t)(i * 7U + 3U);
	const fz_key *waivers[4] = {&w->vendor, &w->aud[0], &w->aud[2], &w->owner};
	const fz_key *vendor_only[1] = {&w->vendor};
	const fz_key *vaa[3] = {&w->vendor, &w->aud[0], &w->aud[1]};
	/* Accepted with notices: zigbee removed under the owner's waiver,
	 * legacy-app dropped. */
	upd_waive = make_update(45, "\"local-control\", \"works-with-nest@1.5\", \"matter@1.3\"",
	                        ",\n \"removes\": [\"zigbee\"]", waivers, 4, NULL);
	/* Refused for several reasons: auditors missing, rollback, nest
	 * downgraded without being declared. */
	upd_refused = make_update(44, "\"local-control\", \"works-with-nest@0.5\"", "",
	                          vendor_only, 1, NULL);
	upd_good = make_update(46, "\"local-control\", \"works-with-nest@1.2\", \"zigbee\"", "", vaa,
	                       3, upd_payload);
	upd_payload_len = strlen(upd_payload);
}

/* ---- the scenario ----------------------------------------------------- */

/* What a report holds, as bytes to compare: each code, then the counts. */
typedef struct codes {
	size_t n_refusals, n_notices;
	int code[64];
	veto_image_digests dig;
} codes;

static const codes *report_codes(codes *out, const veto_report *rep,
                                 const veto_image_digests *dig)
{
	size_t n = 0;
	memset(out, 0, sizeof *out);
	out->n_refusals = rep->n_refusals;
	out->n_notices = rep->n_notices;
	for (size_t i = 0; i < rep->n_refusals && n < 64; i++)
		out->code[n++] = (int)rep->refusals[i].code;
	for (size_t i = 0; i < rep->n_notices && n < 64; i++)
		out->code[n++] = (int)rep->notices[i].code;
	if (dig != NULL)
		out->dig = *dig;
	return out;
}

static void report_step(run *r, const char *name, const veto_report *rep)
{
	char *json = SENTINEL;
	size_t len = 0;
	veto_status st = veto_report_json(&json, &len, rep);
	check_out(r, name, st, json);
	(void)step(r, name, st, st == VETO_OK ? json : NULL, len, 0);
	if (st == VETO_OK)
		veto_free(&cfg, json);
}

/* A decision from begin to commit; *next gets the committed state. */
static int decide(run *r, const char *tag, const veto_state *s, const veto_bytes *pol,
                  size_t n_pol, const char *update, veto_state **next)
{
	char name[64];
	veto_report rep;
	veto_check *c = SENTINEL;
	veto_image_digests dig;
	codes got;
	veto_status st;
	int go = 0;

	*next = NULL;
	veto_report_init(&rep, &cfg);
	snprintf(name, sizeof name, "%s: veto_check_begin", tag);
	st = veto_check_begin(&c, &rep, &cfg, s, pol, n_pol, (const uint8_t *)update,
	                      strlen(update), w->now);
	check_out(r, "veto_check_begin", st, c);
	/* The reasons found so far are part of what begin hands back. */
	if (!step(r, "veto_check_begin", st, report_codes(&got, &rep, NULL), sizeof got, 0)) {
		veto_report_clear(&rep);
		return 0;
	}
	if (veto_check_image(c, image, 100) != VETO_OK ||
	    veto_check_image(c, image + 100, sizeof image - 100) != VETO_OK)
		problem(fail_at, "veto_check_image", "failed");
	st = veto_check_finish(c, &dig);
	/* Accept or refuse, the report must be whole: a reason or notice that
	 * could not be recorded is VETO_E_NOMEM, never a shorter report. */
	if (!step(r, "veto_check_finish", st, report_codes(&got, &rep, &dig), sizeof got, 0))
		goto done;
	/* The report as JSON: the reasons the decision recorded. */
	report_step(r, "veto_report_json", &rep);
	if (r->stopped)
		goto done;
	veto_state *n = SENTINEL;
	st = veto_check_commit(&n, c);
	check_out(r, "veto_check_commit", st, n);
	if (st == VETO_REFUSED && n != NULL && r != &base)
		problem(fail_at, "veto_check_commit", "refused but handed a state back");
	if (!step(r, "veto_check_commit", st, NULL, 0, 0))
		goto done;
	*next = st == VETO_OK ? n : NULL;
	go = 1;
done:
	veto_check_free(c == SENTINEL ? NULL : c);
	veto_report_clear(&rep);
	return go;
}

static void run_scenario(run *r)
{
	veto_report rep;
	veto_state *s0 = SENTINEL, *s1 = SENTINEL, *s2 = NULL, *s3 = NULL, *s4 = SENTINEL;
	veto_bytes pol = {(const uint8_t *)w->policy, w->policy_len};
	char *text = SENTINEL, *text2 = NULL, *env = SENTINEL, *env2 = SENTINEL;
	size_t text_len = 0, text2_len = 0, env_len = 0, env2_len = 0;
	veto_status st;

	veto_report_init(&rep, &cfg);

	/* Enrolment and trust. */
	st = veto_state_from_anchor(&s0, &rep, &cfg, (const uint8_t *)w->anchor, w->anchor_len, 41,
	                            features, sizeof features / sizeof features[0]);
	check_out(r, "veto_state_from_anchor", st, s0);
	if (!step(r, "veto_state_from_anchor", st, NULL, 0, 0))
		goto done;
	st = veto_trust(&s1, &rep, &cfg, s0, &pol, 1, w->now);
	check_out(r, "veto_trust", st, s1);
	codes got;
	if (!step(r, "veto_trust", st, report_codes(&got, &rep, NULL), sizeof got, 0))
		goto done;
	report_step(r, "veto_report_json (trust)", &rep);
	if (r->stopped)
		goto done;

	/* An accepted update with notices, committed. */
	if (!decide(r, "waiver", s1, NULL, 0, upd_waive, &s2))
		goto done;
	st = veto_state_format(&text, &text_len, s2);
	check_out(r, "veto_state_format", st, text);
	if (!step(r, "veto_state_format", st, st == VETO_OK ? text : NULL, text_len, 0))
		goto done;

	/* A refused update (the policy handed in again: same serial, same bytes). */
	if (!decide(r, "refused", s2, &pol, 1, upd_refused, &s3))
		goto done;

	/* The state document read back. */
	st = veto_state_parse(&s4, &rep, &cfg, (const uint8_t *)text, text_len);
	check_out(r, "veto_state_parse", st, s4);
	if (!step(r, "veto_state_parse", st, NULL, 0, 0))
		goto done;
	st = veto_state_format(&text2, &text2_len, s4);
	if (!step(r, "veto_state_format (parsed)", st, st == VETO_OK ? text2 : NULL, text2_len, 0))
		goto done;

	/* The vendor's side: pre-flight, sign, co-sign. */
	{
		veto_report prep;
		veto_check *c = SENTINEL;
		veto_report_init(&prep, &cfg);
		st = veto_preflight_begin(&c, &prep, &cfg, (const uint8_t *)w->policy, w->policy_len,
		                          (const uint8_t *)upd_good, strlen(upd_good), w->now);
		check_out(r, "veto_preflight_begin", st, c);
		if (step(r, "veto_preflight_begin", st, NULL, 0, 0)) {
			st = veto_check_finish(c, NULL);
			if (step(r, "veto_check_finish (preflight)", st, NULL, 0, 0))
				report_step(r, "veto_report_json (preflight)", &prep);
		}
		veto_check_free(c == SENTINEL ? NULL : c);
		veto_report_clear(&prep);
		if (r->stopped)
			goto done;
	}
	{
		veto_diag d;
		memset(&d, 0, sizeof d);
		st = veto_sign(&env, &env_len, &d, &cfg, (const uint8_t *)upd_payload, upd_payload_len,
		               w->vendor.seed);
		check_out(r, "veto_sign", st, env);
		if (!step(r, "veto_sign", st, st == VETO_OK ? env : NULL, env_len, 0))
			goto done;
		int added = -1;
		st = veto_cosign(&env2, &env2_len, &added, &d, &cfg, (const uint8_t *)env, env_len,
		                 w->aud[0].seed);
		check_out(r, "veto_cosign", st, env2);
		if (!step(r, "veto_cosign", st, st == VETO_OK ? env2 : NULL, env2_len, 0))
			goto done;
		if (added != 1)
			problem(fail_at, "veto_cosign", "did not add the new signature");

		/* Parsing an envelope and a policy's declared keys. */
		veto_envelope *e = SENTINEL;
		st = veto_envelope_parse(&e, &d, &cfg, (const uint8_t *)w->policy, w->policy_len);
		check_out(r, "veto_envelope_parse", st, e);
		if (!step(r, "veto_envelope_parse", st, NULL, 0, 0))
			goto done;
		size_t plen = 0, n_keys = 0;
		const uint8_t *payload = veto_envelope_payload(e, &plen);
		uint8_t (*keys)[VETO_PUBLICKEYBYTES] = SENTINEL;
		st = veto_policy_declared_keys(&keys, &n_keys, &d, &cfg, payload, plen);
		check_out(r, "veto_policy_declared_keys", st, keys);
		(void)step(r, "veto_policy_declared_keys", st, st == VETO_OK ? (const void *)keys : NULL,
		           st == VETO_OK ? n_keys * sizeof keys[0] : 0, 0);
		if (st == VETO_OK)
			veto_free(&cfg, keys);
		veto_envelope_free(e);
	}

done:
	veto_report_clear(&rep);
	if (s0 != SENTINEL)
		veto_state_free(s0);
	if (s1 != SENTINEL)
		veto_state_free(s1);
	veto_state_free(s2);
	veto_state_free(s3);
	if (s4 != SENTINEL)
		veto_state_free(s4);
	if (text != SENTINEL)
		veto_free(&cfg, text);
	veto_free(&cfg, text2);
	if (env != SENTINEL)
		veto_free(&cfg, env);
	if (env2 != SENTINEL)
		veto_free(&cfg, env2);
}

int main(void)
{
	cJSON_Hooks hooks = {count_malloc, count_free};
	unsigned long total, tried = 0, absorbed = 0;

	make_inputs();
	cJSON_InitHooks(&hooks);

	/* The baseline: nothing fails. */
	fail_at = 0;
	n_allocs = 0;
	live = 0;
	run_scenario(&base);
	total = n_allocs;
	if (live != 0) {
		fprintf(stderr, "alloc-failure: %ld blocks left without any failure\n", live);
		return 1;
	}
	for (int i = 0; i < base.n; i++)
		printf("baseline: %-32s %s\n", base.name[i], veto_strerror(base.st[i]));
	if (base.st[0] != VETO_OK || base.n < 20) {
		fprintf(stderr, "alloc-failure: the scenario itself does not run (%d steps)\n", base.n);
		return 1;
	}

	for (unsigned long k = 1; k <= total; k++) {
		run r;
		memset(&r, 0, sizeof r);
		fail_at = k;
		n_allocs = 0;
		live = 0;
		run_scenario(&r);
		tried++;
		if (live != 0) {
			char what[96];
			snprintf(what, sizeof what, "%ld block(s) leaked", live);
			problem(k, r.n ? r.name[r.n - 1] : "start", what);
		}
		if (!r.stopped) {
			if (r.n != base.n)
				problem(k, "scenario", "ended early without a failure status");
			absorbed++;
		}
		run_free(&r);
	}
	cJSON_InitHooks(NULL);
	run_free(&base);

	printf("alloc-failure: %lu allocations in the scenario; %lu allocation sites tried, "
	       "%lu absorbed without a visible failure, %lu refused instead of VETO_E_NOMEM, "
	       "%lu problem(s)\n",
	       total, tried, absorbed, refusals_for_nomem, problems);
	return problems == 0 ? 0 : 1;
}
