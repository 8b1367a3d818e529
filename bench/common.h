/* SPDX-License-Identifier: Apache-2.0 */
/*
 * common.h - what the benchmark programs share: a clock, medians, test
 * documents made in-process with the library's own signing (the texts and
 * the signing come from tests/support/world.c, shared with the unit tests
 * and the fuzz fixture), and one machine-readable line per result for
 * scripts/bench.sh.
 */
#ifndef VETO_BENCH_COMMON_H
#define VETO_BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <veto.h>

#include "world.h"

/* Monotonic time in nanoseconds. */
double bench_now_ns(void);
/* Median of v[0..n) (sorts v).  n > 0. */
double bench_median(double *v, size_t n);

/* Stops the program with a message (status 1): a benchmark that cannot set
 * up its documents has no figure to give. */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* The same when st is not VETO_OK. */
void bench_ok(veto_status st, const char *what);

/* A key pair with its keyid and base64 public key (tests/support/world.h),
 * from a fresh random seed. */
typedef tw_key bench_key;
void bench_key_new(bench_key *k);

/* A role of a policy: name, its keys, its threshold. */
typedef tw_role bench_role;

#define BENCH_VENDOR "acme"
#define BENCH_MODEL "thermo-2"
#define BENCH_NOW 1893456000 /* 2030-01-01T00:00:00Z */

/* A policy payload for BENCH_VENDOR/BENCH_MODEL, never expiring: the keys
 * of every role (each once), the roles, `require` (NULL-terminated) and
 * the protected features (NULL-terminated; may be NULL). */
char *bench_policy_payload(uint64_t serial, const bench_role *roles, size_t n_roles,
                           const char *const *require, const char *const *protect);
/* An update payload: sha256_hex / blake2b_hex may be NULL (not carried);
 * features NULL-terminated (may be NULL). */
char *bench_update_payload(uint64_t counter, uint64_t size, const char *sha256_hex,
                           const char *blake2b_hex, const char *const *features);
/* A trust anchor naming `owner` (threshold 1). */
char *bench_anchor(const bench_key *owner);
/* An envelope of payload signed by signers[0], co-signed by the others. */
char *bench_envelope(const char *payload, const bench_key *const *signers, size_t n_signers,
                     size_t *len);

/* Ed25519 signature by k over PAE(type, payload), made by libsodium
 * directly: the same bytes the library verifies (Ed25519 signing is
 * deterministic), for the bare-verification baselines.  *pae is malloc'd. */
void bench_pae_sign(uint8_t sig[64], uint8_t **pae, size_t *pae_len, const char *type,
                    const char *payload, const bench_key *k);

/* One result line for scripts/bench.sh:
 *   RESULT <tab> id <tab> what <tab> peer <tab> peer_value <tab> ours <tab> unit <tab> target
 * target is the largest ours/peer ratio allowed ("-" for none), or for
 * unit "bytes" an absolute limit prefixed by "<=". */
void bench_result(const char *id, const char *what, const char *peer, double peer_value,
                  double ours, const char *unit, const char *target);

/* Common options: --smoke (tiny sizes, assertions only) and --runs N. */
typedef struct bench_opts {
	int smoke;
	unsigned runs;
	const char *write_dir; /* --write DIR, for programs that can write files */
	const char *command;   /* --command PATH: the veto command, for programs that time it */
	unsigned count;        /* --count N, for programs with a count */
} bench_opts;
void bench_parse_opts(bench_opts *o, int argc, char **argv, unsigned default_runs,
                      unsigned default_count);

/* Sanity checks of the smoke runs: a figure must be finite and positive. */
void bench_sane(const char *what, double v);

#endif
