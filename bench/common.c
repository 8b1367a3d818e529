/* SPDX-License-Identifier: Apache-2.0 */
#include "common.h"

#include <math.h>
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
	bench_ok(veto_keygen(k->pk, k->seed), "veto_keygen");
	bench_ok(veto_keyid(k->keyid, k->pk), "veto_keyid");
	sodium_bin2base64(k->b64, sizeof(k->b64), k->pk, sizeof(k->pk),
	                  sodium_base64_VARIANT_ORIGINAL);
}

void bench_str_printf(bench_str *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		size_t room = b->cap - b->len;
		int n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			bench_die("vsnprintf failed");
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (s == NULL)
			bench_die("out of memory");
		b->s = s;
		b->cap = cap;
	}
}

void bench_str_free(bench_str *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

static void put_list(bench_str *b, const char *const *items)
{
	bench_str_printf(b, "[");
	for (size_t i = 0; items != NULL && items[i] != NULL; i++)
		bench_str_printf(b, "%s\"%s\"", i ? ", " : "", items[i]);
	bench_str_printf(b, "]");
}

char *bench_policy_payload(uint64_t serial, const bench_role *roles, size_t n_roles,
                           const char *const *require, const char *const *protect)
{
	bench_str b = {0};
	bench_str_printf(&b,
	                 "{\"format\": \"veto.policy/1\", \"serial\": %llu, \"expires\": null, "
	                 "\"device\": {\"vendor\": \"%s\", \"model\": \"%s\"}, \"keys\": {",
	                 (unsigned long long)serial, BENCH_VENDOR, BENCH_MODEL);
	/* Every key once, in the order first named. */
	int first = 1;
	for (size_t r = 0; r < n_roles; r++)
		for (size_t k = 0; k < roles[r].n_keys; k++) {
			const bench_key *key = roles[r].keys[k];
			int seen = 0;
			for (size_t r2 = 0; r2 <= r && !seen; r2++)
				for (size_t k2 = 0; k2 < (r2 == r ? k : roles[r2].n_keys); k2++)
					if (roles[r2].keys[k2] == key) {
						seen = 1;
						break;
					}
			if (seen)
				continue;
			bench_str_printf(&b, "%s\"%s\": {\"ed25519\": \"%s\"}", first ? "" : ", ",
			                 key->keyid, key->b64);
			first = 0;
		}
	bench_str_printf(&b, "}, \"roles\": {");
	for (size_t r = 0; r < n_roles; r++) {
		bench_str_printf(&b, "%s\"%s\": {\"keys\": [", r ? ", " : "", roles[r].name);
		for (size_t k = 0; k < roles[r].n_keys; k++)
			bench_str_printf(&b, "%s\"%s\"", k ? ", " : "", roles[r].keys[k]->keyid);
		bench_str_printf(&b, "], \"threshold\": %u}", roles[r].threshold);
	}
	bench_str_printf(&b, "}, \"require\": ");
	put_list(&b, require);
	bench_str_printf(&b, ", \"protected_features\": ");
	put_list(&b, protect);
	bench_str_printf(&b, ", \"removal_requires\": [\"owner\"]}");
	return b.s;
}

char *bench_update_payload(uint64_t counter, uint64_t size, const char *sha256_hex,
                           const char *blake2b_hex, const char *const *features)
{
	bench_str b = {0};
	bench_str_printf(&b,
	                 "{\"format\": \"veto.update/1\", \"vendor\": \"%s\", \"model\": \"%s\", "
	                 "\"version\": \"2.4.1\", \"security_counter\": %llu, "
	                 "\"image\": {\"size\": %llu",
	                 BENCH_VENDOR, BENCH_MODEL, (unsigned long long)counter,
	                 (unsigned long long)size);
	if (sha256_hex != NULL)
		bench_str_printf(&b, ", \"sha256\": \"%s\"", sha256_hex);
	if (blake2b_hex != NULL)
		bench_str_printf(&b, ", \"blake2b-256\": \"%s\"", blake2b_hex);
	bench_str_printf(&b, "}, \"features\": ");
	put_list(&b, features);
	bench_str_printf(&b, "}");
	return b.s;
}

char *bench_anchor(const bench_key *owner)
{
	bench_str b = {0};
	bench_str_printf(&b,
	                 "{\"device\": {\"vendor\": \"%s\", \"model\": \"%s\"}, "
	                 "\"keys\": {\"%s\": {\"ed25519\": \"%s\"}}, \"threshold\": 1}",
	                 BENCH_VENDOR, BENCH_MODEL, owner->keyid, owner->b64);
	return b.s;
}

char *bench_envelope(const char *payload, const bench_key *const *signers, size_t n_signers,
                     size_t *len)
{
	char *env = NULL;
	size_t env_len = 0;
	veto_diag d = {{0}};
	veto_status st = veto_sign(&env, &env_len, &d, NULL, (const uint8_t *)payload,
	                           strlen(payload), signers[0]->seed);
	if (st != VETO_OK)
		bench_die("veto_sign: %s: %s", veto_strerror(st), d.detail);
	for (size_t i = 1; i < n_signers; i++) {
		char *next = NULL;
		size_t next_len = 0;
		int added = 0;
		st = veto_cosign(&next, &next_len, &added, &d, NULL, (const uint8_t *)env, env_len,
		                 signers[i]->seed);
		if (st != VETO_OK)
			bench_die("veto_cosign: %s: %s", veto_strerror(st), d.detail);
		veto_free(NULL, env);
		env = next;
		env_len = next_len;
	}
	/* Hand back plain malloc memory: veto_free with a NULL config is free. */
	*len = env_len;
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
