/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memory.c - peak heap of one decision with 16 keys and 32 features.
 *
 * A counting allocator stands in for malloc everywhere the decision can
 * allocate: the library's (veto_config alloc/release, also for the
 * report) and cJSON's (cJSON_InitHooks).  Each block carries its size in a
 * header; the figure is the peak of live bytes requested (headers not
 * counted), above what was live before the decision started.
 *
 * The policy has 16 keys (owner 2, vendor 2, auditor 12 with threshold 3)
 * and protects 16 features; the update (vendor + 3 auditors) lists 32
 * features; the installed state lists 32.  The image (64 KiB) is fed in
 * 4 KiB chunks.  Measured: veto_check_begin .. veto_check_finish ..
 * veto_check_free with the state already in memory (the target), and, for
 * information, the same preceded by veto_state_parse of the stored state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "common.h"

#define HEADER 16U /* keeps the caller's block 16-byte aligned */

static size_t live, peak, n_allocs;

static void *count_alloc(size_t size)
{
	if (size > SIZE_MAX - HEADER)
		return NULL;
	unsigned char *p = malloc(size + HEADER);
	if (p == NULL)
		return NULL;
	memcpy(p, &size, sizeof(size));
	live += size;
	n_allocs++;
	if (live > peak)
		peak = live;
	return p + HEADER;
}

static void count_free(void *ptr)
{
	if (ptr == NULL)
		return;
	unsigned char *p = (unsigned char *)ptr - HEADER;
	size_t size;
	memcpy(&size, p, sizeof(size));
	live -= size;
	free(p);
}

static void *cfg_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return count_alloc(size);
}

static void cfg_release(void *ctx, void *ptr)
{
	(void)ctx;
	count_free(ptr);
}

/* Starts a measurement: the peak is counted from what is live now. */
static size_t mark(void)
{
	peak = live;
	n_allocs = 0;
	return live;
}

int main(int argc, char **argv)
{
	bench_opts o;
	bench_parse_opts(&o, argc, argv, 1, 0);

	enum { N_OWNER = 2, N_VENDOR = 2, N_AUD = 12, N_FEAT = 32, N_PROTECT = 16 };
	bench_key owner[N_OWNER], vendor[N_VENDOR], aud[N_AUD];
	const bench_key *owner_keys[N_OWNER], *vendor_keys[N_VENDOR], *aud_keys[N_AUD];
	for (int i = 0; i < N_OWNER; i++)
		bench_key_new(&owner[i]), owner_keys[i] = &owner[i];
	for (int i = 0; i < N_VENDOR; i++)
		bench_key_new(&vendor[i]), vendor_keys[i] = &vendor[i];
	for (int i = 0; i < N_AUD; i++)
		bench_key_new(&aud[i]), aud_keys[i] = &aud[i];
	const bench_role roles[] = {
		{"owner", owner_keys, N_OWNER, 1},
		{"vendor", vendor_keys, N_VENDOR, 1},
		{"auditor", aud_keys, N_AUD, 3},
	};

	/* Feature names of realistic length, versions on every other one. */
	char feat_buf[N_FEAT][48], prot_buf[N_PROTECT][48], inst_buf[N_FEAT][48];
	const char *features[N_FEAT + 1], *protect[N_PROTECT + 1], *installed[N_FEAT];
	for (int i = 0; i < N_FEAT; i++) {
		if (i % 2)
			snprintf(feat_buf[i], sizeof(feat_buf[i]), "integration-%02d@2.%d.1", i, i);
		else
			snprintf(feat_buf[i], sizeof(feat_buf[i]), "integration-%02d", i);
		features[i] = feat_buf[i];
		if (i % 2)
			snprintf(inst_buf[i], sizeof(inst_buf[i]), "integration-%02d@2.%d", i, i);
		else
			snprintf(inst_buf[i], sizeof(inst_buf[i]), "integration-%02d", i);
		installed[i] = inst_buf[i];
	}
	features[N_FEAT] = NULL;
	for (int i = 0; i < N_PROTECT; i++) {
		if (i % 2)
			snprintf(prot_buf[i], sizeof(prot_buf[i]), "integration-%02d>=2.%d", i * 2 + 1,
			         i * 2 + 1);
		else
			snprintf(prot_buf[i], sizeof(prot_buf[i]), "integration-%02d", i * 2);
		protect[i] = prot_buf[i];
	}
	protect[N_PROTECT] = NULL;
	const char *require[] = {"vendor", "auditor", NULL};

	char *pol_payload = bench_policy_payload(3, roles, 3, require, protect);
	size_t pol_len;
	char *pol = bench_envelope(pol_payload, owner_keys, 1, &pol_len);

	enum { IMAGE = 64 * 1024, CHUNK = 4096 };
	uint8_t *image = malloc(IMAGE);
	if (image == NULL)
		bench_die("out of memory");
	randombytes_buf(image, IMAGE);
	uint8_t sha[32], b2[32];
	crypto_hash_sha256(sha, image, IMAGE);
	crypto_generichash(b2, 32, image, IMAGE, NULL, 0);
	char sha_hex[65], b2_hex[65];
	sodium_bin2hex(sha_hex, sizeof(sha_hex), sha, 32);
	sodium_bin2hex(b2_hex, sizeof(b2_hex), b2, 32);
	char *upd_payload = bench_update_payload(42, IMAGE, sha_hex, b2_hex, features);
	const bench_key *signers[] = {&vendor[0], &aud[0], &aud[1], &aud[2]};
	size_t upd_len;
	char *upd = bench_envelope(upd_payload, signers, 4, &upd_len);
	char *anchor = bench_anchor(&owner[0]);

	/* From here on, everything the library and cJSON allocate is counted. */
	veto_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.alloc = cfg_alloc;
	cfg.release = cfg_release;
	cJSON_Hooks hooks = {count_alloc, count_free};
	cJSON_InitHooks(&hooks);

	veto_state *state = NULL;
	bench_ok(veto_state_from_anchor(&state, NULL, &cfg, (const uint8_t *)anchor, strlen(anchor),
	                                41, installed, N_FEAT),
	         "veto_state_from_anchor");
	char *state_json = NULL;
	size_t state_len = 0;
	bench_ok(veto_state_format(&state_json, &state_len, state), "veto_state_format");
	veto_bytes policies[1] = {{(const uint8_t *)pol, pol_len}};

	size_t decision_peak = 0, with_parse_peak = 0, decision_allocs = 0, state_live = 0;
	for (int pass = 0; pass < 2; pass++) {
		size_t base = mark();
		veto_state *st = state;
		if (pass == 1) {
			veto_report prep;
			veto_report_init(&prep, &cfg);
			bench_ok(veto_state_parse(&st, &prep, &cfg, (const uint8_t *)state_json, state_len),
			         "veto_state_parse");
			veto_report_clear(&prep);
			state_live = live - base;
		}
		veto_report rep;
		veto_check *c = NULL;
		veto_report_init(&rep, &cfg);
		bench_ok(veto_check_begin(&c, &rep, &cfg, st, policies, 1, (const uint8_t *)upd, upd_len,
		                          BENCH_NOW),
		         "veto_check_begin");
		for (size_t at = 0; at < IMAGE; at += CHUNK)
			bench_ok(veto_check_image(c, image + at, CHUNK), "veto_check_image");
		veto_image_digests dg;
		veto_status fin = veto_check_finish(c, &dg);
		size_t n_ref = rep.n_refusals, n_not = rep.n_notices;
		veto_check_free(c);
		veto_report_clear(&rep);
		if (pass == 1)
			veto_state_free(st);
		if (fin != VETO_OK)
			bench_die("the decision refused (%zu reasons): the fixture is wrong", n_ref);
		if (n_not != 0)
			bench_die("the decision has %zu notices; expected none", n_not);
		if (live != base)
			bench_die("%zu bytes still live after the decision: a leak", live - base);
		if (pass == 0) {
			decision_peak = peak - base;
			decision_allocs = n_allocs;
		} else {
			with_parse_peak = peak - base;
		}
	}
	bench_sane("decision peak", (double)decision_peak);
	printf("memory: decision (16 keys, 32 features, 4 signatures, image in %u-byte chunks): "
	       "peak %zu bytes live, %zu allocations; with the state parse first: peak %zu bytes "
	       "(the parsed state holds %zu); envelopes %zu + %zu bytes (the caller's)\n",
	       (unsigned)CHUNK, decision_peak, decision_allocs, with_parse_peak, state_live, pol_len,
	       upd_len);
	bench_result("memory-decision", "peak heap of a decision, 16 keys, 32 features", "-", 0,
	             (double)decision_peak, "bytes", "<=32768");
	bench_result("memory-state-decision",
	             "peak heap of state parse + decision, 16 keys, 32 features", "-", 0,
	             (double)with_parse_peak, "bytes", "-");

	veto_state_free(state);
	veto_free(&cfg, state_json);
	cJSON_InitHooks(NULL);
	free(anchor);
	free(upd);
	free(upd_payload);
	free(pol);
	free(pol_payload);
	free(image);
	return 0;
}
