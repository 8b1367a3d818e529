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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common.h"

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
