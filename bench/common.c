/* SPDX-License-Identifier: Apache-2.0 */
#include "common.h"

#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

double bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

void bench_ok(veto_status st, const char *what)
{
	if (st != VETO_OK)
		bench_die("%s: %s", what, veto_strerror(st));
}

void bench_key_new(bench_key *k)
{
	uint8_t pk[VETO_PUBLICKEYBYTES], seed[VETO_SEEDBYTES];
	bench_ok(veto_keygen(pk, seed), "veto_keygen");
	bench_ok(tw_key_from_seed(k, seed), "tw_key_from_seed");
	sodium_memzero(seed, sizeof(seed));
}

/* A document written by a tests/support/world.c function. */
static char *done(tw_str *b, bool ok)
{
	if (!ok)
		bench_die("out of memory");
	return b->s;
}

/* A NULL-terminated list as JSON array text (malloc'd). */
static char *list_json(const char *const *items)
{
	tw_str b = {0};
	return done(&b, tw_list_json(&b, items));
}

char *bench_policy_payload(uint64_t serial, const bench_role *roles, size_t n_roles,
                           const char *const *require, const char *const *protect)
{
	char *req = list_json(require), *prot = list_json(protect);
	const tw_policy p = {
	    .serial = serial,
	    .vendor = BENCH_VENDOR,
	    .model = BENCH_MODEL,
	    .roles = roles,
	    .n_roles = n_roles,
	    .require = req,
	    .protected_features = prot,
	    .removal_requires = "[\"owner\"]",
	};
	tw_str b = {0};
	char *text = done(&b, tw_policy_text(&b, &p));
	free(req);
	free(prot);
	return text;
}

char *bench_update_payload(uint64_t counter, uint64_t size, const char *sha256_hex,
                           const char *blake2b_hex, const char *const *features)
{
	char *feat = list_json(features);
	const tw_update u = {.vendor = BENCH_VENDOR,
	                     .model = BENCH_MODEL,
	                     .version = "2.4.1",
	                     .counter = counter,
	                     .size = size,
	                     .sha256 = sha256_hex,
	                     .blake2b = blake2b_hex,
	                     .features = feat};
	tw_str b = {0};
	char *text = done(&b, tw_update_text(&b, &u));
	free(feat);
	return text;
}

char *bench_anchor(const bench_key *owner)
{
	tw_str b = {0};
	return done(&b, tw_anchor_text(&b, BENCH_VENDOR, BENCH_MODEL, 1, &owner, 1));
}

char *bench_envelope(const char *payload, const bench_key *const *signers, size_t n_signers,
                     size_t *len)
{
	char *env = NULL;
	veto_diag d = {{0}};
	veto_status st = tw_sign(&env, len, &d, payload, signers, n_signers);
	if (st != VETO_OK)
		bench_die("signing: %s: %s", veto_strerror(st), d.detail);
	/* Plain malloc memory: veto_free with a NULL config is free. */
	return env;
}

void bench_pae_sign(uint8_t sig[64], uint8_t **pae, size_t *pae_len, const char *type,
                    const char *payload, const bench_key *k)
{
	size_t need = 0, plen = strlen(payload);
	if (veto_pae(NULL, 0, &need, type, strlen(type), (const uint8_t *)payload, plen) !=
	    VETO_E_BUFFER)
		bench_die("veto_pae: no size");
	*pae = malloc(need);
	if (*pae == NULL)
		bench_die("out of memory");
	bench_ok(veto_pae(*pae, need, pae_len, type, strlen(type), (const uint8_t *)payload, plen),
	         "veto_pae");
	uint8_t pk[32], sk[64];
	if (crypto_sign_seed_keypair(pk, sk, k->seed) != 0 ||
	    crypto_sign_detached(sig, NULL, *pae, *pae_len, sk) != 0)
		bench_die("crypto_sign_detached failed");
	sodium_memzero(sk, sizeof(sk));
}

void bench_result(const char *id, const char *what, const char *peer, double peer_value,
                  double ours, const char *unit, const char *target)
{
	printf("RESULT\t%s\t%s\t%s\t%.6g\t%.6g\t%s\t%s\n", id, what, peer, peer_value, ours, unit,
	       target);
	fflush(stdout);
}

void bench_parse_opts(bench_opts *o, int argc, char **argv, unsigned default_runs,
                      unsigned default_count)
{
	memset(o, 0, sizeof(*o));
	o->runs = default_runs;
	o->count = default_count;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--smoke") == 0) {
			o->smoke = 1;
		} else if ((strcmp(argv[i], "--runs") == 0 || strcmp(argv[i], "--count") == 0) &&
		           i + 1 < argc) {
			char *end;
			unsigned long v = strtoul(argv[i + 1], &end, 10);
			if (*end != '\0' || v == 0 || v > 100000000UL)
				bench_die("%s wants a positive number, not \"%s\"", argv[i], argv[i + 1]);
			if (argv[i][2] == 'r')
				o->runs = (unsigned)v;
			else
				o->count = (unsigned)v;
			i++;
		} else if (strcmp(argv[i], "--write") == 0 && i + 1 < argc) {
			o->write_dir = argv[++i];
		} else if (strcmp(argv[i], "--command") == 0 && i + 1 < argc) {
			o->command = argv[++i];
		} else {
			fprintf(stderr, "usage: %s [--smoke] [--runs N] [--count N] [--write DIR] [--command VETO]\n",
			        argv[0]);
			exit(2);
		}
	}
	if (sodium_init() < 0 || veto_init() != VETO_OK)
		bench_die("cannot initialise libsodium");
}

void bench_sane(const char *what, double v)
{
	if (!isfinite(v) || v <= 0)
		bench_die("smoke: %s is %g, not a positive figure", what, v);
}
