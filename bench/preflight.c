/* SPDX-License-Identifier: Apache-2.0 */
/*
 * preflight.c - one release against many owners' policies, against the
 * bare signature checks it cannot avoid.
 *
 * N owners (10,000 by default), each with its own owner key, publish a
 * policy for the same device class naming the same vendor key and the
 * same three auditors (2 of 3).  The release is signed by the vendor and
 * two auditors.  Measured, in-process, warm:
 *   batch   veto_preflight_new once, then veto_preflight_check + finish
 *           for each policy (each update signature verified once in all);
 *   single  veto_preflight_begin + finish for each policy (the update is
 *           parsed and verified again for every policy), for comparison;
 *   peer    N crypto_sign_verify_detached: each owner's policy signature.
 * Each of --runs rounds times the three, interleaved; medians reported.
 * --write DIR also writes DIR/update.dsse, DIR/policies/NNNNNN.dsse and
 * their list DIR/policies.txt (and stops there when BENCH_WRITE_ONLY is
 * set); with --command VETO, each round then also runs
 *   VETO preflight --update DIR/update.dsse --policies-from DIR/policies.txt
 *        --now 2030-01-01T00:00:00Z
 * (output discarded, exit status 0 required) and times it beside the
 * others, so the command and the bare verifications share the same rounds.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sodium.h>

#include "common.h"

typedef struct owner_doc {
	char *env;
	size_t len;
	uint8_t sig[64];
	uint8_t *pae;
	size_t pae_len;
	uint8_t pk[32];
} owner_doc;

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		bench_die("cannot write %s: %s", path, strerror(errno));
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		bench_die("cannot create %s: %s", path, strerror(errno));
}

/* Runs argv (output to /dev/null) and returns its wait status. */
static int run_command(char *const *argv)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status = -1;
	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0) != 0)
		bench_die("posix_spawn_file_actions failed");
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, NULL);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		bench_die("cannot run %s: %s", argv[0], strerror(rc));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			bench_die("waitpid: %s", strerror(errno));
	return status;
}

/* One pre-flight of every policy; returns how many accepted. */
__attribute__((noinline)) static size_t run_batch(const owner_doc *docs, size_t n, const char *upd, size_t upd_len)
{
	veto_preflight *pf = NULL;
	size_t accepted = 0;
	bench_ok(veto_preflight_new(&pf, NULL, (const uint8_t *)upd, upd_len), "veto_preflight_new");
	for (size_t i = 0; i < n; i++) {
		veto_report rep;
		veto_check *c = NULL;
		veto_report_init(&rep, NULL);
		bench_ok(veto_preflight_check(&c, &rep, pf, (const uint8_t *)docs[i].env, docs[i].len,
		                              BENCH_NOW),
		         "veto_preflight_check");
		accepted += veto_check_finish(c, NULL) == VETO_OK;
		veto_check_free(c);
		veto_report_clear(&rep);
	}
	veto_preflight_free(pf);
	return accepted;
}

__attribute__((noinline)) static size_t run_single(const owner_doc *docs, size_t n, const char *upd, size_t upd_len)
{
	size_t accepted = 0;
	for (size_t i = 0; i < n; i++) {
		veto_report rep;
		veto_check *c = NULL;
		veto_report_init(&rep, NULL);
		bench_ok(veto_preflight_begin(&c, &rep, NULL, (const uint8_t *)docs[i].env, docs[i].len,
		                              (const uint8_t *)upd, upd_len, BENCH_NOW),
		         "veto_preflight_begin");
		accepted += veto_check_finish(c, NULL) == VETO_OK;
		veto_check_free(c);
		veto_report_clear(&rep);
	}
	return accepted;
}

__attribute__((noinline)) static size_t run_bare(const owner_doc *docs, size_t n)
{
	size_t ok = 0;
	for (size_t i = 0; i < n; i++)
		ok += crypto_sign_verify_detached(docs[i].sig, docs[i].pae, docs[i].pae_len,
		                                  docs[i].pk) == 0;
	return ok;
}

int main(int argc, char **argv)
{
	bench_opts o;
	bench_parse_opts(&o, argc, argv, 5, 10000);
	size_t n = o.smoke ? 40 : o.count;
	unsigned runs = o.smoke ? 2 : o.runs;

	bench_key vendor, aud[3];
	bench_key_new(&vendor);
	for (int i = 0; i < 3; i++)
		bench_key_new(&aud[i]);
	const bench_key *vendor_keys[] = {&vendor}, *aud_keys[] = {&aud[0], &aud[1], &aud[2]};
	const char *require[] = {"vendor", "auditor", NULL};
	const char *protect[] = {"local-control", NULL};

	owner_doc *docs = calloc(n, sizeof(*docs));
	if (docs == NULL)
		bench_die("out of memory");
	for (size_t i = 0; i < n; i++) {
		bench_key owner;
		bench_key_new(&owner);
		const bench_key *owner_keys[] = {&owner};
		const bench_role roles[] = {
			{"owner", owner_keys, 1, 1},
			{"vendor", vendor_keys, 1, 1},
			{"auditor", aud_keys, 3, 2},
		};
		char *payload = bench_policy_payload(1 + i % 1000, roles, 3, require, protect);
		docs[i].env = bench_envelope(payload, owner_keys, 1, &docs[i].len);
		bench_pae_sign(docs[i].sig, &docs[i].pae, &docs[i].pae_len, VETO_TYPE_POLICY, payload,
		               &owner);
		memcpy(docs[i].pk, owner.pk, 32);
		sodium_memzero(&owner, sizeof(owner));
		free(payload);
	}
	const char *features[] = {"local-control", "matter@1.3", NULL};
	char sha[65];
	memset(sha, 'b', 64);
	sha[64] = '\0';
	char *upd_payload = bench_update_payload(42, 1048576, sha, NULL, features);
	const bench_key *signers[] = {&vendor, &aud[0], &aud[1]};
	size_t upd_len;
	char *upd = bench_envelope(upd_payload, signers, 3, &upd_len);

	char **cmd = NULL; /* the veto preflight command line, with --command */
	if (o.command != NULL && o.write_dir == NULL)
		bench_die("--command needs --write DIR");
	if (o.write_dir != NULL) {
		char path[4096], list[4096], upd_path[4096];
		make_dir(o.write_dir);
		snprintf(upd_path, sizeof(upd_path), "%s/update.dsse", o.write_dir);
		write_file(upd_path, upd, upd_len);
		snprintf(path, sizeof(path), "%s/policies", o.write_dir);
		make_dir(path);
		/* The files are named in a list (--policies-from): 100,000 paths
		 * would not fit on a command line. */
		snprintf(list, sizeof(list), "%s/policies.txt", o.write_dir);
		FILE *lf = fopen(list, "w");
		if (lf == NULL)
			bench_die("cannot write %s: %s", list, strerror(errno));
		for (size_t i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/policies/%06zu.dsse", o.write_dir, i + 1);
			write_file(path, docs[i].env, docs[i].len);
			fprintf(lf, "%s\n", path);
		}
		if (fclose(lf) != 0)
			bench_die("cannot write %s: %s", list, strerror(errno));
		if (getenv("BENCH_WRITE_ONLY") != NULL)
			return 0; /* scripts/bench.sh times the command itself */
		char *const args[] = {(char *)o.command, "preflight", "--update", upd_path,
		                      "--policies-from", list, "--now", "2030-01-01T00:00:00Z", NULL};
		if (o.command != NULL && (cmd = calloc(9, sizeof(*cmd))) == NULL)
			bench_die("out of memory");
		for (int k = 0; cmd != NULL && k < 8; k++)
			if ((cmd[k] = strdup(args[k])) == NULL)
				bench_die("out of memory");
	}

	double *t_batch = calloc(runs, sizeof(double)), *t_single = calloc(runs, sizeof(double)),
	       *t_bare = calloc(runs, sizeof(double)), *t_cmd = calloc(runs, sizeof(double));
	if (t_batch == NULL || t_single == NULL || t_bare == NULL || t_cmd == NULL)
		bench_die("out of memory");
	for (unsigned r = 0; r <= runs; r++) { /* round 0 warms up */
		double t0 = bench_now_ns();
		size_t a = run_batch(docs, n, upd, upd_len);
		double t1 = bench_now_ns();
		size_t b = run_single(docs, n, upd, upd_len);
		double t2 = bench_now_ns();
		size_t v = run_bare(docs, n);
		double t3 = bench_now_ns();
		if (a != n || b != n || v != n)
			bench_die("of %zu policies, %zu / %zu accepted and %zu verified: fixture is wrong",
			          n, a, b, v);
		double t4 = t3;
		if (cmd != NULL) {
			int status = run_command(cmd);
			t4 = bench_now_ns();
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				bench_die("%s preflight did not accept all %zu policies (status %d)", o.command,
				          n, status);
		}
		if (r > 0) {
			t_batch[r - 1] = (t1 - t0) / 1e6;
			t_single[r - 1] = (t2 - t1) / 1e6;
			t_bare[r - 1] = (t3 - t2) / 1e6;
			t_cmd[r - 1] = (t4 - t3) / 1e6;
		}
	}
	double batch = bench_median(t_batch, runs), single = bench_median(t_single, runs),
	       bare = bench_median(t_bare, runs);
	bench_sane("batch time", batch);
	bench_sane("single time", single);
	bench_sane("bare time", bare);
	printf("preflight: %zu policies, %u runs: batch %.1f ms, one by one %.1f ms, "
	       "%zu bare verifications %.1f ms; ratio %.3f (batch), %.3f (one by one)\n",
	       n, runs, batch, single, n, bare, batch / bare, single / bare);
	char what[160];
	snprintf(what, sizeof(what), "pre-flight, 1 release x %zu policies, library batch API", n);
	char peer[64];
	snprintf(peer, sizeof(peer), "%zux crypto_sign_verify_detached", n);
	bench_result("preflight-batch", what, peer, bare, batch, "ms", "1.2");
	snprintf(what, sizeof(what), "pre-flight, 1 release x %zu policies, veto_preflight_begin each",
	         n);
	bench_result("preflight-single", what, peer, bare, single, "ms", "-");
	if (cmd != NULL) {
		double command = bench_median(t_cmd, runs);
		bench_sane("command time", command);
		printf("preflight: veto preflight over the %zu files: %.1f ms; ratio %.3f\n", n, command,
		       command / bare);
		snprintf(what, sizeof(what), "veto preflight (the command), 1 release x %zu policy files",
		         n);
		bench_result("preflight-command", what, peer, bare, command, "ms", "1.3");
		for (size_t i = 0; i < 8; i++)
			free(cmd[i]);
		free(cmd);
	}

	for (size_t i = 0; i < n; i++) {
		free(docs[i].env);
		free(docs[i].pae);
	}
	free(docs);
	free(t_batch);
	free(t_single);
	free(t_bare);
	free(t_cmd);
	free(upd);
	free(upd_payload);
	return 0;
}
