/* SPDX-License-Identifier: Apache-2.0 */
/*
 * image.c - hashing the image stream in-process: the library's check
 * against the bare hash functions, over the same bytes in the same chunks.
 *
 * The image (256 MiB of random bytes by default, --count MiB) is in memory
 * and fed in 64 KiB chunks, as the veto command reads it.  Rows:
 *   sha256 manifest, with the tool's OpenSSL engine (tool/engine_openssl.c,
 *     through veto_config.sha256)  vs  EVP SHA-256 alone;
 *   sha256 manifest, libsodium's SHA-256 (no engine)  vs  EVP SHA-256
 *     alone (what the engine is for);
 *   blake2b-256 manifest  vs  libsodium's crypto_generichash alone.
 * Each of --runs rounds times all of them, interleaved (in reverse order
 * every other round); medians reported.
 * Without OpenSSL (meson -Dopenssl=disabled) the first two rows compare
 * with libsodium's SHA-256 instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#ifdef VETO_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

#include "common.h"
#include "engine.h"

#define CHUNK (64U * 1024U)

typedef struct fixture {
	veto_state *state;
	char *pol;
	size_t pol_len;
	char *upd;
	size_t upd_len;
} fixture;

static void fixture_make(fixture *f, const bench_key *owner, const bench_key *vendor,
                         uint64_t size, const char *sha_hex, const char *b2_hex)
{
	const bench_key *owner_keys[] = {owner}, *vendor_keys[] = {vendor};
	const bench_role roles[] = {{"owner", owner_keys, 1, 1}, {"vendor", vendor_keys, 1, 1}};
	const char *require[] = {"vendor", NULL};
	char *pol_payload = bench_policy_payload(1, roles, 2, require, NULL);
	f->pol = bench_envelope(pol_payload, owner_keys, 1, &f->pol_len);
	char *upd_payload = bench_update_payload(1, size, sha_hex, b2_hex, NULL);
	f->upd = bench_envelope(upd_payload, vendor_keys, 1, &f->upd_len);
	char *anchor = bench_anchor(owner);
	bench_ok(veto_state_from_anchor(&f->state, NULL, NULL, (const uint8_t *)anchor,
	                                strlen(anchor), 0, NULL, 0),
	         "veto_state_from_anchor");
	free(anchor);
	free(upd_payload);
	free(pol_payload);
}

static void fixture_free(fixture *f)
{
	veto_state_free(f->state);
	free(f->pol);
	free(f->upd);
}

/* One whole decision over the image; dies unless it accepts. */
__attribute__((noinline)) static void run_check(const fixture *f, const veto_config *cfg,
                                                const uint8_t *img, size_t size)
{
	veto_report rep;
	veto_check *c = NULL;
	veto_bytes pol = {(const uint8_t *)f->pol, f->pol_len};
	veto_report_init(&rep, cfg);
	bench_ok(veto_check_begin(&c, &rep, cfg, f->state, &pol, 1, (const uint8_t *)f->upd,
	                          f->upd_len, BENCH_NOW),
	         "veto_check_begin");
	for (size_t at = 0; at < size; at += CHUNK) {
		size_t n = size - at < CHUNK ? size - at : CHUNK;
		bench_ok(veto_check_image(c, img + at, n), "veto_check_image");
	}
	veto_status st = veto_check_finish(c, NULL);
	size_t n_ref = rep.n_refusals;
	veto_check_free(c);
	veto_report_clear(&rep);
	if (st != VETO_OK)
		bench_die("the image check refused (%zu reasons): wrong digest?", n_ref);
}

/* The bare SHA-256 the engine stands for (OpenSSL when built with it). */
__attribute__((noinline)) static void bare_sha256(uint8_t out[32], const uint8_t *img,
                                                  size_t size)
{
#ifdef VETO_HAVE_OPENSSL
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		bench_die("EVP SHA-256 unavailable");
	for (size_t at = 0; at < size; at += CHUNK) {
		size_t n = size - at < CHUNK ? size - at : CHUNK;
		if (EVP_DigestUpdate(md, img + at, n) != 1)
			bench_die("EVP_DigestUpdate failed");
	}
	if (EVP_DigestFinal_ex(md, out, NULL) != 1)
		bench_die("EVP_DigestFinal_ex failed");
	EVP_MD_CTX_free(md);
#else
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	for (size_t at = 0; at < size; at += CHUNK) {
		size_t n = size - at < CHUNK ? size - at : CHUNK;
		crypto_hash_sha256_update(&st, img + at, n);
	}
	crypto_hash_sha256_final(&st, out);
#endif
}

__attribute__((noinline)) static void bare_blake2b(uint8_t out[32], const uint8_t *img,
                                                   size_t size)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, 32);
	for (size_t at = 0; at < size; at += CHUNK) {
		size_t n = size - at < CHUNK ? size - at : CHUNK;
		crypto_generichash_update(&st, img + at, n);
	}
	crypto_generichash_final(&st, out, 32);
}

int main(int argc, char **argv)
{
	bench_opts o;
	bench_parse_opts(&o, argc, argv, 7, 256);
	size_t mib = o.smoke ? 1 : o.count;
	unsigned runs = o.smoke ? 1 : o.runs;
	size_t size = mib * 1024 * 1024;

	uint8_t *img = malloc(size);
	if (img == NULL)
		bench_die("cannot allocate %zu MiB", mib);
	randombytes_buf(img, size);
	uint8_t sha[32], b2[32];
	bare_sha256(sha, img, size);
	bare_blake2b(b2, img, size);
	char sha_hex[65], b2_hex[65];
	sodium_bin2hex(sha_hex, sizeof(sha_hex), sha, 32);
	sodium_bin2hex(b2_hex, sizeof(b2_hex), b2, 32);

	bench_key owner, vendor;
	bench_key_new(&owner);
	bench_key_new(&vendor);
	fixture fsha, fb2;
	fixture_make(&fsha, &owner, &vendor, size, sha_hex, NULL);
	fixture_make(&fb2, &owner, &vendor, size, NULL, b2_hex);

	const veto_sha256_engine *engine = veto_tool_sha256_engine();
	veto_config with_engine, plain;
	memset(&with_engine, 0, sizeof(with_engine));
	memset(&plain, 0, sizeof(plain));
	with_engine.sha256 = engine; /* NULL without OpenSSL: libsodium */

	enum { ENG, PLAIN, SHA, B2CHECK, B2, N_T };
	double *t[N_T];
	for (int k = 0; k < N_T; k++)
		if ((t[k] = calloc(runs, sizeof(double))) == NULL)
			bench_die("out of memory");
	/* Round 0 warms up.  Odd rounds run the five in reverse order, so that
	 * neither side always runs right after the other. */
	for (unsigned r = 0; r <= runs; r++) {
		for (int i = 0; i < N_T; i++) {
			int k = r % 2 ? N_T - 1 - i : i;
			uint8_t out[32];
			double t0 = bench_now_ns();
			switch (k) {
			case ENG:
				run_check(&fsha, &with_engine, img, size);
				break;
			case PLAIN:
				run_check(&fsha, &plain, img, size);
				break;
			case SHA:
				bare_sha256(out, img, size);
				break;
			case B2CHECK:
				run_check(&fb2, &plain, img, size);
				break;
			default:
				bare_blake2b(out, img, size);
				break;
			}
			if (r > 0)
				t[k][r - 1] = (bench_now_ns() - t0) / 1e6;
		}
	}
	double med[N_T];
	for (int k = 0; k < N_T; k++) {
		med[k] = bench_median(t[k], runs);
		bench_sane("hashing time", med[k]);
	}
#ifdef VETO_HAVE_OPENSSL
	const char *sha_peer = "OpenSSL EVP SHA-256, same chunks";
#else
	const char *sha_peer = "libsodium SHA-256, same chunks";
#endif
	printf("image in memory: %zu MiB in %u-byte chunks, %u runs (ms): check+engine %.1f, "
	       "check+libsodium %.1f, bare sha256 %.1f, check blake2b %.1f, bare blake2b %.1f; "
	       "engine %s\n",
	       mib, CHUNK, runs, med[ENG], med[PLAIN], med[SHA], med[B2CHECK], med[B2],
	       engine != NULL ? "OpenSSL" : "none (built without OpenSSL)");
	char what[160];
	snprintf(what, sizeof(what), "in-process check of a %zu MiB image, sha256, tool's engine",
	         mib);
	bench_result("image-mem-sha256-engine", what, sha_peer, med[SHA], med[ENG], "ms", "1.1");
	snprintf(what, sizeof(what), "in-process check of a %zu MiB image, sha256, libsodium", mib);
	bench_result("image-mem-sha256-sodium", what, sha_peer, med[SHA], med[PLAIN], "ms", "-");
	snprintf(what, sizeof(what), "in-process check of a %zu MiB image, blake2b-256", mib);
	bench_result("image-mem-blake2b", what, "libsodium BLAKE2b-256, same chunks", med[B2],
	             med[B2CHECK], "ms", "1.05");

	for (int k = 0; k < N_T; k++)
		free(t[k]);
	fixture_free(&fsha);
	fixture_free(&fb2);
	free(img);
	return 0;
}
