/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen.c - writes the signed and hostile test vectors of tests/vectors/cases.
 *
 *   build-vec/tests/vectors/gen tests/vectors/cases
 *
 * Every key comes from a fixed seed (SHA-256 of "libveto test vector key "
 * and the key's name) and Ed25519 signatures are deterministic, so a re-run
 * writes the very same bytes: `git status` after it shows no change unless
 * this file changed.
 *
 * The vectors are built independently of the library under test: the
 * generator writes the JSON itself, computes the PAE, keyids and digests
 * with libsodium and signs with crypto_sign_detached.  It must, because
 * most vectors are hostile and veto_sign rightly refuses to sign a
 * malformed payload.  Hostile content inside a payload is signed by the
 * key the verifier trusts for it (the owner for a policy, the vendor and
 * auditors for an update), so that it reaches the payload parser; without
 * that signature the decision would stop at policy-signature or
 * update-untrusted and the parser would never be tested.  The public API
 * is used only to cross-check (veto_keyid, veto_pae).
 *
 * The expected outcome of each file is not here but in ../cases.txt.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "veto.h"

#include "bad_keys.h"

#define T_POLICY "application/vnd.veto.policy+json"
#define T_UPDATE "application/vnd.veto.update+json"
#define T_REVOCATION "application/vnd.veto.revocation+json"
#define EXPIRES "2027-11-21T00:00:00Z"
#define PAST "2026-01-01T00:00:00Z"
#define NOW "2026-06-01T00:00:00Z" /* the runner's default time */
#define IMAGE_SIZE 20000U
#define MAX_U53 "9007199254740991"
#define OVER_U53 "9007199254740992"

#define STD sodium_base64_VARIANT_ORIGINAL
#define URL sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* ---- small helpers; everything allocated lives until the end ------------ */

static const char *outdir;
static size_t n_written;
static void **arena;
static size_t arena_n, arena_cap;

#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("gen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		die("out of memory");
	if (arena_n == arena_cap) {
		size_t cap = arena_cap ? arena_cap * 2 : 256;
		void **grown = realloc(arena, cap * sizeof(*grown));
		if (grown == NULL)
			die("out of memory");
		arena = grown;
		arena_cap = cap;
	}
	arena[arena_n++] = p;
	return p;
}

static void arena_free(void)
{
	for (size_t i = 0; i < arena_n; i++)
		free(arena[i]);
	free(arena);
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static char *str(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("vsnprintf");
	char *p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* hay with its only occurrence of needle replaced (dies when there is not
 * exactly one, so that a vector never silently stays unchanged). */
static char *replace1(const char *hay, const char *needle, const char *rep)
{
	const char *at = strstr(hay, needle);
	if (at == NULL)
		die("replace1: \"%.60s\" not found", needle);
	if (strstr(at + 1, needle) != NULL)
		die("replace1: \"%.60s\" found twice", needle);
	size_t a = (size_t)(at - hay), nl = strlen(needle), rl = strlen(rep), hl = strlen(hay);
	char *p = xmalloc(hl - nl + rl + 1);
	memcpy(p, hay, a);
	memcpy(p + a, rep, rl);
	memcpy(p + a + rl, at + nl, hl - a - nl + 1);
	return p;
}

static char *dup_str(const char *s)
{
	return str("%s", s);
}

static char *b64(const uint8_t *d, size_t n, int variant)
{
	size_t cap = sodium_base64_ENCODED_LEN(n, variant);
	char *p = xmalloc(cap);
	sodium_bin2base64(p, cap, d, n, variant);
	return p;
}

static char *hex(const uint8_t *d, size_t n)
{
	char *p = xmalloc(2 * n + 1);
	sodium_bin2hex(p, 2 * n + 1, d, n);
	return p;
}

static char *upper(const char *s)
{
	char *p = dup_str(s);
	for (char *q = p; *q; q++)
		if (*q >= 'a' && *q <= 'z')
			*q = (char)(*q - 'a' + 'A');
	return p;
}

/* n opening brackets, the value, n closing ones: JSON nested n+1 deep once
 * it sits as a member value of the top-level object. */
static char *nest(unsigned n, const char *inner)
{
	size_t il = strlen(inner);
	char *p = xmalloc(2 * n + il + 1);
	memset(p, '[', n);
	memcpy(p + n, inner, il);
	memset(p + n + il, ']', n);
	p[2 * n + il] = '\0';
	return p;
}

static void put_raw(const char *name, const void *data, size_t len)
{
	char *path = str("%s/%s", outdir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	if ((len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		die("%s: write failed", path);
	n_written++;
}

/* A text file: the document and a final newline. */
static void put(const char *name, const char *text)
{
	put_raw(name, str("%s\n", text), strlen(text) + 1);
}

/* ---- keys ---------------------------------------------------------------- */

typedef struct key {
	uint8_t seed[32];
	uint8_t pk[32];
	uint8_t sk[64];
	char id[65];
	char *b64;
	int can_sign;
} key;

static key owner1, owner2, owner3, vendor1, vendor2, aud1, aud2, aud3, sec1, stranger;
static key many[65];
static key k_identity, k_zero, k_noncanon, k_mixed, k_mismatch;
/* the rest of the small-order points, and encodings that are no point */
static key k_order2, k_order8a, k_order8b, k_order8a_neg, k_identity_neg, k_offcurve, k_mixed_neg;

static void key_fill(key *k, const uint8_t pk[32])
{
	uint8_t h[32];
	memcpy(k->pk, pk, 32);
	crypto_hash_sha256(h, pk, 32);
	sodium_bin2hex(k->id, sizeof(k->id), h, 32);
	k->b64 = b64(pk, 32, STD);
}

static void key_make(key *k, const char *name)
{
	char *label = str("libveto test vector key %s", name);
	uint8_t pk[32];
	crypto_hash_sha256(k->seed, (const uint8_t *)label, strlen(label));
	if (crypto_sign_seed_keypair(pk, k->sk, k->seed) != 0)
		die("keypair");
	key_fill(k, pk);
	k->can_sign = 1;
	char lib_id[VETO_KEYIDCHARS + 1];
	if (veto_keyid(lib_id, pk) != VETO_OK || strcmp(lib_id, k->id) != 0)
		die("veto_keyid disagrees with SHA-256 for key %s", name);
}

static void make_keys(void)
{
	key_make(&owner1, "owner1");
	key_make(&owner2, "owner2");
	key_make(&owner3, "owner3");
	key_make(&vendor1, "vendor1");
	key_make(&vendor2, "vendor2");
	key_make(&aud1, "auditor1");
	key_make(&aud2, "auditor2");
	key_make(&aud3, "auditor3");
	key_make(&sec1, "security1");
	key_make(&stranger, "stranger");
	for (size_t i = 0; i < 65; i++)
		key_make(&many[i], str("many-%02zu", i));

	/* Keys that must be refused, and the two odd ones that must be
	 * accepted (y = 3, with and without the sign bit): the shared list of
	 * tests/support/bad_keys.c, picked by name. */
	static const struct {
		key *k;
		const char *name;
	} listed[] = {
	    {&k_identity, "identity"},      {&k_zero, "all-zero"},
	    {&k_noncanon, "noncanonical"},  {&k_mixed, "mixed-order"},
	    {&k_order2, "order-2"},         {&k_order8a, "order-8a"},
	    {&k_order8b, "order-8b"},       {&k_order8a_neg, "order-8a-sign-bit"},
	    {&k_identity_neg, "identity-sign-bit"}, {&k_offcurve, "not-on-curve"},
	    {&k_mixed_neg, "mixed-order-sign-bit"},
	};
	for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++) {
		const tw_key_case *kc = tw_key_case_named(listed[i].name);
		uint8_t pk[32];
		if (kc == NULL || !tw_key_bytes(pk, kc->hex))
			die("no key \"%s\" in tests/support/bad_keys.c", listed[i].name);
		key_fill(listed[i].k, pk);
	}
	/* owner1's key under stranger's keyid */
	k_mismatch = owner1;
	memcpy(k_mismatch.id, stranger.id, sizeof(k_mismatch.id));
	k_mismatch.can_sign = 0;
}

static char *keyentry(const key *k)
{
	return str("\"%s\": {\"ed25519\": \"%s\"}", k->id, k->b64);
}

/* ---- signing and envelopes ------------------------------------------------ */

static void sign_pae(uint8_t sig[64], const key *k, const char *type, const uint8_t *pl, size_t len)
{
	if (!k->can_sign)
		die("key cannot sign");
	char *pre = str("DSSEv1 %zu %s %zu ", strlen(type), type, len);
	size_t pn = strlen(pre), need = 0;
	uint8_t *m = xmalloc(pn + len), *m2 = xmalloc(pn + len);
	memcpy(m, pre, pn);
	if (len)
		memcpy(m + pn, pl, len);
	if (veto_pae(m2, pn + len, &need, type, strlen(type), pl, len) != VETO_OK || need != pn + len ||
	    memcmp(m, m2, need) != 0)
		die("veto_pae disagrees with the contract's PAE");
	crypto_sign_detached(sig, NULL, m, pn + len, k->sk);
}

typedef struct sigent {
	const char *keyid;
	const char *sig; /* base64 text */
} sigent;

/* The signature entries of `signers` (NULL-terminated) over PAE(type, pl). */
static size_t sigs_for(sigent *out, const key *const *signers, const char *type,
                       const uint8_t *pl, size_t len, int variant)
{
	size_t n = 0;
	for (; signers[n] != NULL; n++) {
		uint8_t sig[64];
		sign_pae(sig, signers[n], type, pl, len);
		out[n].keyid = signers[n]->id;
		out[n].sig = b64(sig, 64, variant);
	}
	return n;
}

/* An envelope from its raw parts: type is inserted as written (JSON text
 * without quotes), payload as base64 text. */
static char *env_raw(const char *type, const char *payload_b64, const sigent *s, size_t n)
{
	char *sigs = dup_str("");
	for (size_t i = 0; i < n; i++)
		sigs = str("%s%s{\"keyid\": \"%s\", \"sig\": \"%s\"}", sigs, i ? ", " : "", s[i].keyid,
		           s[i].sig);
	return str("{\"payloadType\": \"%s\", \"payload\": \"%s\", \"signatures\": [%s]}", type,
	           payload_b64, sigs);
}

#define SIGNERS(...) ((const key *const[]){__VA_ARGS__, NULL})
#define NOBODY ((const key *const[]){NULL})
#define VA SIGNERS(&vendor1, &aud1, &aud2)

static char *env_v(const char *type, const uint8_t *pl, size_t len, const key *const *signers,
                   int variant)
{
	sigent s[80];
	size_t n = sigs_for(s, signers, type, pl, len, variant);
	return env_raw(type, b64(pl, len, variant), s, n);
}

static char *env(const char *type, const char *payload, const key *const *signers)
{
	return env_v(type, (const uint8_t *)payload, strlen(payload), signers, STD);
}

static char *penv(const char *payload, const key *const *signers)
{
	return env(T_POLICY, payload, signers);
}

static char *uenv(const char *payload, const key *const *signers)
{
	return env(T_UPDATE, payload, signers);
}

static char *sig_text(const key *k, const char *type, const char *payload)
{
	uint8_t sig[64];
	sign_pae(sig, k, type, (const uint8_t *)payload, strlen(payload));
	return b64(sig, 64, STD);
}

static char *b64s(const char *s)
{
	return b64((const uint8_t *)s, strlen(s), STD);
}

/* The payload with up to two spaces after its '{' and up to two before its
 * last '}', so that its length is `mod` modulo 3 and (for the URL-safe
 * tests) its URL-safe base64 holds a '-' or '_': a '>' or '?' at a
 * position 2 modulo 3 gives one. */
static char *pad_payload(const char *payload, size_t mod, int want_url_chars)
{
	size_t n = strlen(payload);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++) {
			char *p = str("{%.*s%.*s%.*s}", i, "  ", (int)n - 2, payload + 1, j, "  ");
			if (strlen(p) % 3 != mod)
				continue;
			char *u = b64((const uint8_t *)p, strlen(p), URL);
			if (!want_url_chars || strpbrk(u, "-_") != NULL)
				return p;
		}
	die("pad_payload: no suitable padding");
}

/* ---- documents -------------------------------------------------------------- */

typedef struct role {
	const char *name;
	const key *k[72];
	size_t n;
	unsigned t;
} role;

typedef struct pol {
	const char *serial; /* as written */
	const char *expires; /* NULL: null */
	const char *vendor, *model;
	role roles[6];
	size_t n_roles;
	const key *extra_keys[4]; /* in "keys" but in no role */
	size_t n_extra;
	const char *require, *protect, *removal; /* JSON arrays as written */
	const char *tail; /* optional members as written, starting with ", " */
	const char *format; /* NULL: "veto.policy/1" */
} pol;

static pol pol_base(void)
{
	pol p;
	memset(&p, 0, sizeof(p));
	p.serial = "1";
	p.expires = EXPIRES;
	p.vendor = "acme";
	p.model = "thermo-2";
	p.roles[0] = (role){"owner", {&owner1}, 1, 1};
	p.roles[1] = (role){"vendor", {&vendor1, &vendor2}, 2, 1};
	p.roles[2] = (role){"auditor", {&aud1, &aud2, &aud3}, 3, 2};
	p.n_roles = 3;
	p.require = "[\"vendor\", \"auditor\"]";
	p.protect = "[\"local-control\", \"works-with-nest>=1.0\", \"zigbee\"]";
	p.removal = "[\"owner\"]";
	p.tail = "";
	return p;
}

static char *role_text(const role *r)
{
	char *ks = dup_str("");
	for (size_t i = 0; i < r->n; i++)
		ks = str("%s%s\"%s\"", ks, i ? ", " : "", r->k[i]->id);
	return str("\"%s\": {\"keys\": [%s], \"threshold\": %u}", r->name, ks, r->t);
}

static char *keys_text(const key *const *ks, size_t n)
{
	char *s = dup_str("");
	for (size_t i = 0; i < n; i++)
		s = str("%s%s%s", s, i ? ", " : "", keyentry(ks[i]));
	return str("{%s}", s);
}

static char *pol_text(const pol *p)
{
	const key *ks[90];
	size_t nk = 0;
	for (size_t r = 0; r < p->n_roles; r++)
		for (size_t i = 0; i < p->roles[r].n; i++) {
			size_t j;
			for (j = 0; j < nk && ks[j] != p->roles[r].k[i]; j++)
				;
			if (j == nk)
				ks[nk++] = p->roles[r].k[i];
		}
	for (size_t i = 0; i < p->n_extra; i++)
		ks[nk++] = p->extra_keys[i];
	char *roles = dup_str("");
	for (size_t r = 0; r < p->n_roles; r++)
		roles = str("%s%s%s", roles, r ? ", " : "", role_text(&p->roles[r]));
	return str("{\"format\": \"%s\", \"serial\": %s, \"expires\": %s, "
	           "\"device\": {\"vendor\": \"%s\", \"model\": \"%s\"}, \"keys\": %s, "
	           "\"roles\": {%s}, \"require\": %s, \"protected_features\": %s, "
	           "\"removal_requires\": %s%s}",
	           p->format ? p->format : "veto.policy/1", p->serial,
	           p->expires ? str("\"%s\"", p->expires) : "null", p->vendor, p->model,
	           keys_text(ks, nk), roles, p->require, p->protect, p->removal, p->tail);
}

typedef struct upd {
	const char *vendor, *model, *version;
	const char *counter; /* as written */
	const char *image;   /* the image object as written */
	const char *features;
	const char *removes;  /* NULL: absent */
	const char *released; /* NULL: absent */
	const char *tail;
} upd;

static uint8_t img[IMAGE_SIZE];
static char *img_sha, *img_b2, *empty_sha, *empty_b2;

static char *image_obj(size_t size, const char *sha, const char *b2)
{
	char *s = str("{\"size\": %zu", size);
	if (sha != NULL)
		s = str("%s, \"sha256\": \"%s\"", s, sha);
	if (b2 != NULL)
		s = str("%s, \"blake2b-256\": \"%s\"", s, b2);
	return str("%s}", s);
}

static upd upd_base(void)
{
	upd u;
	memset(&u, 0, sizeof(u));
	u.vendor = "acme";
	u.model = "thermo-2";
	u.version = "2.4.1";
	u.counter = "42";
	u.image = image_obj(IMAGE_SIZE, img_sha, img_b2);
	u.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\"]";
	u.tail = "";
	return u;
}

static char *upd_text(const upd *u)
{
	char *s = str("{\"format\": \"veto.update/1\", \"vendor\": \"%s\", \"model\": \"%s\", "
	              "\"version\": \"%s\", \"security_counter\": %s, \"image\": %s, \"features\": %s",
	              u->vendor, u->model, u->version, u->counter, u->image, u->features);
	if (u->removes != NULL)
		s = str("%s, \"removes\": %s", s, u->removes);
	if (u->released != NULL)
		s = str("%s, \"released\": \"%s\"", s, u->released);
	return str("%s%s}", s, u->tail);
}

static char *anchor_text(const char *vendor, const char *model, const key *const *ks, size_t n,
                         const char *threshold)
{
	return str("{\"device\": {\"vendor\": \"%s\", \"model\": \"%s\"}, \"keys\": %s, "
	           "\"threshold\": %s}",
	           vendor, model, keys_text(ks, n), threshold);
}

static char *sha_hex(const char *s)
{
	uint8_t h[32];
	crypto_hash_sha256(h, (const uint8_t *)s, strlen(s));
	return hex(h, 32);
}

/* A state document.  policy_env is the envelope text (NULL: no policy);
 * policy_sha and serial are written as given (so they can lie). */
static char *state_text(const char *anchor, const char *policy_env, const char *serial,
                        const char *policy_sha, const char *counter, const char *update_sha,
                        const char *features)
{
	return str("{\"format\": \"veto.state/1\",\n \"anchor\": %s,\n \"policy\": %s,\n"
	           " \"policy_serial\": %s, \"policy_sha256\": %s,\n"
	           " \"security_counter\": %s, \"update_sha256\": %s,\n \"features\": %s}",
	           anchor, policy_env ? policy_env : "null", serial ? serial : "null",
	           policy_sha ? str("\"%s\"", policy_sha) : "null", counter,
	           update_sha ? str("\"%s\"", update_sha) : "null", features);
}

/* ---- the image --------------------------------------------------------------- */

static void make_image(void)
{
	uint32_t x = 0x9e3779b9u;
	uint8_t h[32];
	for (size_t i = 0; i < IMAGE_SIZE; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		img[i] = (uint8_t)(x >> 24);
	}
	crypto_hash_sha256(h, img, IMAGE_SIZE);
	img_sha = hex(h, 32);
	crypto_generichash(h, 32, img, IMAGE_SIZE, NULL, 0);
	img_b2 = hex(h, 32);
	crypto_hash_sha256(h, NULL, 0);
	empty_sha = hex(h, 32);
	crypto_generichash(h, 32, NULL, 0, NULL, 0);
	empty_b2 = hex(h, 32);

	uint8_t *b = xmalloc(IMAGE_SIZE + 1);
	put_raw("image.bin", img, IMAGE_SIZE);
	put_raw("image-empty.bin", img, 0);
	memcpy(b, img, IMAGE_SIZE);
	b[IMAGE_SIZE] = 0;
	put_raw("image-longer.bin", b, IMAGE_SIZE + 1);
	put_raw("image-shorter.bin", img, IMAGE_SIZE - 1);
	b[IMAGE_SIZE / 2] ^= 1;
	put_raw("image-different.bin", b, IMAGE_SIZE);
}

/* ---- key files ----------------------------------------------------------------- */

static char *pubfile(const char *id, const char *b)
{
	return str("{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", id, b);
}

static void gen_key_files(void)
{
	const char *o = pubfile(owner1.id, owner1.b64);
	put("key-owner1.pub", o);
	put("key-vendor1.pub", pubfile(vendor1.id, vendor1.b64));
	put("key-owner1-unpadded.pub", pubfile(owner1.id, b64(owner1.pk, 32, URL)));
	put("key-owner1.key",
	    str("{\"keyid\": \"%s\", \"ed25519-seed\": \"%s\"}", owner1.id, b64(owner1.seed, 32, STD)));
	put("key-small-order.pub", pubfile(k_identity.id, k_identity.b64));
	put("key-all-zero.pub", pubfile(k_zero.id, k_zero.b64));
	put("key-noncanonical.pub", pubfile(k_noncanon.id, k_noncanon.b64));
	put("key-mixed-order.pub", pubfile(k_mixed.id, k_mixed.b64));
	put("key-mixed-order-sign-bit.pub", pubfile(k_mixed_neg.id, k_mixed_neg.b64));
	put("key-order-2.pub", pubfile(k_order2.id, k_order2.b64));
	put("key-order-8a.pub", pubfile(k_order8a.id, k_order8a.b64));
	put("key-order-8b.pub", pubfile(k_order8b.id, k_order8b.b64));
	put("key-order-8-sign-bit.pub", pubfile(k_order8a_neg.id, k_order8a_neg.b64));
	put("key-identity-sign-bit.pub", pubfile(k_identity_neg.id, k_identity_neg.b64));
	put("key-not-on-curve.pub", pubfile(k_offcurve.id, k_offcurve.b64));
	put("key-keyid-mismatch.pub", pubfile(vendor1.id, owner1.b64));
	put("key-dup-member.pub", replace1(o, "}", str(", \"ed25519\": \"%s\"}", owner1.b64)));
	put("key-dup-member-escaped.pub",
	    replace1(o, "}", str(", \"\\u0065d25519\": \"%s\"}", owner1.b64)));
	put("key-dup-member-keyid.pub", replace1(o, "{", str("{\"keyid\": \"%s\", ", owner1.id)));
	put("key-unknown-member.pub", replace1(o, "}", ", \"comment\": \"laptop\"}"));
	put("key-case-folded.pub", replace1(o, "\"ed25519\"", "\"Ed25519\""));
	put("key-case-folded-keyid.pub", replace1(o, "\"keyid\"", "\"KeyID\""));
	put("key-missing-keyid.pub", str("{\"ed25519\": \"%s\"}", owner1.b64));
	put("key-31-bytes.pub", pubfile(owner1.id, b64(owner1.pk, 31, STD)));
	{
		uint8_t k33[33];
		memcpy(k33, owner1.pk, 32);
		k33[32] = 0;
		put("key-33-bytes.pub", pubfile(owner1.id, b64(k33, 33, STD)));
	}
	put("key-keyid-uppercase.pub", pubfile(upper(owner1.id), owner1.b64));
	put("key-keyid-short.pub", pubfile(str("%.63s", owner1.id), owner1.b64));
	put("key-keyid-number.pub", str("{\"keyid\": 5, \"ed25519\": \"%s\"}", owner1.b64));
	put("key-b64-whitespace.pub", pubfile(owner1.id, str("%.20s %s", owner1.b64, owner1.b64 + 20)));
	{
		/* 32 bytes end in a 3-character group with 2 unused bits. */
		char *b = dup_str(owner1.b64);
		size_t at = strlen(b) - 2; /* before the '=' */
		const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		size_t v = (size_t)(strchr(abc, b[at]) - abc);
		b[at] = abc[v | 3];
		put("key-b64-nonzero-bits.pub", pubfile(owner1.id, b));
	}
	put("key-b64-bad-char.pub", pubfile(owner1.id, str("%.10s*%s", owner1.b64, owner1.b64 + 11)));
	put("key-trailing-bytes.pub", str("%s,", o));
	put("key-truncated.pub", str("%.*s", (int)strlen(o) - 1, o));
	put("key-seed-field-in-pub.pub",
	    str("{\"keyid\": \"%s\", \"ed25519-seed\": \"%s\"}", owner1.id, b64(owner1.seed, 32, STD)));
	put("key-not-string.pub", str("{\"keyid\": \"%s\", \"ed25519\": [\"%s\"]}", owner1.id, owner1.b64));
	put("key-depth-3.pub", str("{\"keyid\": \"%s\", \"ed25519\": [[\"%s\"]]}", owner1.id, owner1.b64));
	put("key-seckey-keyid-mismatch.key",
	    str("{\"keyid\": \"%s\", \"ed25519-seed\": \"%s\"}", vendor1.id, b64(owner1.seed, 32, STD)));
	put("key-seckey-pub-field.key", o);
	put("key-seckey-31-bytes.key",
	    str("{\"keyid\": \"%s\", \"ed25519-seed\": \"%s\"}", owner1.id, b64(owner1.seed, 31, STD)));
}

/* ---- anchors ---------------------------------------------------------------------- */

static char *A1; /* acme/thermo-2, owner1, threshold 1 */

static void gen_anchors(void)
{
	A1 = anchor_text("acme", "thermo-2", SIGNERS(&owner1), 1, "1");
	const char *e = keyentry(&owner1);
	put("anchor.json", A1);
	put("anchor-2of2.json", anchor_text("acme", "thermo-2", SIGNERS(&owner1, &owner2), 2, "2"));
	put("anchor-thermo-3.json", anchor_text("acme", "thermo-3", SIGNERS(&owner1), 1, "1"));
	put("anchor-dup-member.json", replace1(A1, "\"threshold\": 1}", "\"threshold\": 1, \"threshold\": 1}"));
	put("anchor-dup-member-escaped.json",
	    replace1(A1, "\"threshold\": 1}", "\"threshold\": 1, \"\\u0074hreshold\": 1}"));
	put("anchor-dup-member-device.json",
	    replace1(A1, "\"model\": \"thermo-2\"}", "\"model\": \"thermo-2\", \"model\": \"thermo-3\"}"));
	put("anchor-dup-member-key-entry.json",
	    replace1(A1, str("{\"ed25519\": \"%s\"}", owner1.b64),
	             str("{\"ed25519\": \"%s\", \"ed25519\": \"%s\"}", owner1.b64, owner1.b64)));
	put("anchor-dup-keyid.json", replace1(A1, e, str("%s, %s", e, e)));
	put("anchor-key-small-order.json", anchor_text("acme", "thermo-2", SIGNERS(&k_identity), 1, "1"));
	put("anchor-key-all-zero.json", anchor_text("acme", "thermo-2", SIGNERS(&k_zero), 1, "1"));
	put("anchor-key-noncanonical.json", anchor_text("acme", "thermo-2", SIGNERS(&k_noncanon), 1, "1"));
	put("anchor-key-order-8.json", anchor_text("acme", "thermo-2", SIGNERS(&owner1, &k_order8b), 2, "1"));
	put("anchor-key-not-on-curve.json", anchor_text("acme", "thermo-2", SIGNERS(&owner1, &k_offcurve), 2, "1"));
	put("anchor-key-mixed-order.json", anchor_text("acme", "thermo-2", SIGNERS(&k_mixed, &owner1), 2, "1"));
	put("anchor-model-64.json", replace1(A1, "thermo-2", "m123456789012345678901234567890123456789012345678901234567890123"));
	put("anchor-model-65.json", replace1(A1, "thermo-2", "m1234567890123456789012345678901234567890123456789012345678901234"));
	put("anchor-leading-whitespace.json", str(" \t\r\n%s", A1));
	put("anchor-keyid-mismatch.json", anchor_text("acme", "thermo-2", SIGNERS(&k_mismatch), 1, "1"));
	put("anchor-keyid-uppercase.json", replace1(A1, owner1.id, upper(owner1.id)));
	put("anchor-threshold-0.json", replace1(A1, "\"threshold\": 1}", "\"threshold\": 0}"));
	put("anchor-threshold-above-keys.json", replace1(A1, "\"threshold\": 1}", "\"threshold\": 2}"));
	put("anchor-threshold-float.json", replace1(A1, "\"threshold\": 1}", "\"threshold\": 1.0}"));
	put("anchor-threshold-exponent.json", replace1(A1, "\"threshold\": 1}", "\"threshold\": 1e0}"));
	put("anchor-threshold-negative.json", replace1(A1, "\"threshold\": 1}", "\"threshold\": -1}"));
	put("anchor-threshold-2p53.json",
	    replace1(A1, "\"threshold\": 1}", "\"threshold\": " OVER_U53 "}"));
	put("anchor-threshold-string.json", replace1(A1, "\"threshold\": 1}", "\"threshold\": \"1\"}"));
	put("anchor-unknown-member.json", replace1(A1, "\"threshold\": 1}", "\"threshold\": 1, \"note\": \"x\"}"));
	put("anchor-case-folded.json", replace1(A1, "\"threshold\"", "\"Threshold\""));
	put("anchor-case-folded-device.json", replace1(A1, "\"device\"", "\"Device\""));
	put("anchor-vendor-uppercase.json", replace1(A1, "\"acme\"", "\"Acme\""));
	put("anchor-model-cyrillic.json", replace1(A1, "\"thermo-2\"", "\"th\xd0\xb5rmo-2\""));
	put("anchor-no-keys.json", replace1(A1, str("{%s}", e), "{}"));
	put("anchor-missing-threshold.json", replace1(A1, ", \"threshold\": 1}", "}"));
	put("anchor-trailing-bytes.json", str("%s x", A1));
	put("anchor-trailing-object.json", str("%s{}", A1));
	put("anchor-truncated.json", str("%.*s", (int)strlen(A1) - 1, A1));
	put("anchor-depth-17.json", replace1(A1, "\"threshold\": 1}", str("\"threshold\": %s}", nest(16, "1"))));
}

/* ---- policies ---------------------------------------------------------------------- */

static char *P1;     /* policy-1.json's payload */
static char *P1env;  /* policy-1.json */
static char *P2env;  /* policy-2-rotate.json */
static char *P3env;  /* policy-3.json (serial 3, owner1) */
static char *P3;
static char *Pexp, *Pexpenv, *Pwdev, *Pwdevenv, *Pdup;

static void policy(const char *name, const char *payload, const key *const *signers)
{
	put(name, penv(payload, signers));
}

/* P1 with one piece of text replaced, signed by owner1. */
static void pol_bad(const char *name, const char *needle, const char *rep)
{
	policy(name, replace1(P1, needle, rep), SIGNERS(&owner1));
}

static void gen_policies(void)
{
	pol p = pol_base();
	P1 = pol_text(&p);
	P1env = penv(P1, SIGNERS(&owner1));
	put("policy-1.json", P1env);
	{
		char *pl = pad_payload(P1, 1, 1);
		put("policy-1-urlsafe.json",
		    env_v(T_POLICY, (const uint8_t *)pl, strlen(pl), SIGNERS(&owner1), URL));
	}
	policy("policy-1-resigned.json", P1, SIGNERS(&stranger, &owner1));
	policy("policy-unknown-signer.json", P1, SIGNERS(&stranger));
	policy("policy-unsigned.json", P1, NOBODY);
	{
		sigent s = {owner1.id, sig_text(&stranger, T_POLICY, P1)};
		put("policy-sig-keyid-mismatch.json", env_raw(T_POLICY, b64s(P1), &s, 1));
		s.sig = sig_text(&owner1, T_UPDATE, P1);
		put("policy-sig-wrong-type.json", env_raw(T_POLICY, b64s(P1), &s, 1));
	}
	put("policy-as-update-type.json", uenv(P1, SIGNERS(&owner1)));

	/* rotation: owner1 -> owner2 -> owner3 */
	pol r = pol_base();
	r.serial = "2";
	r.roles[0] = (role){"owner", {&owner2}, 1, 1};
	char *P2 = pol_text(&r);
	P2env = penv(P2, SIGNERS(&owner1, &owner2));
	put("policy-2-rotate.json", P2env);
	policy("policy-2-rotate-old-only.json", P2, SIGNERS(&owner1));
	policy("policy-2-rotate-new-only.json", P2, SIGNERS(&owner2));
	r.expires = PAST;
	policy("policy-2-rotate-expired.json", pol_text(&r), SIGNERS(&owner1, &owner2));
	r.expires = EXPIRES;
	r.extra_keys[0] = &k_identity;
	r.n_extra = 1;
	policy("policy-2-rotate-key-small-order.json", pol_text(&r), SIGNERS(&owner1, &owner2));
	r.n_extra = 0;
	r.expires = EXPIRES;
	r.protect = "[\"local-control\", \"zigbee\"]";
	policy("policy-2-rotate-equivocation.json", pol_text(&r), SIGNERS(&owner2));
	r = pol_base();
	r.serial = "3";
	r.roles[0] = (role){"owner", {&owner3}, 1, 1};
	policy("policy-3-rotate.json", pol_text(&r), SIGNERS(&owner2, &owner3));
	r.expires = PAST;
	policy("policy-3-rotate-expired.json", pol_text(&r), SIGNERS(&owner2, &owner3));
	r = pol_base();
	r.roles[0] = (role){"owner", {&owner2}, 1, 1};
	policy("policy-1-owner2.json", pol_text(&r), SIGNERS(&owner2));
	r.serial = "5";
	r.roles[0] = (role){"owner", {&owner1}, 1, 1};
	policy("policy-5.json", pol_text(&r), SIGNERS(&owner1));

	/* two owner keys, threshold 2 */
	r = pol_base();
	r.roles[0] = (role){"owner", {&owner1, &owner2}, 2, 2};
	char *P22 = pol_text(&r);
	policy("policy-2of2.json", P22, SIGNERS(&owner1, &owner2));
	policy("policy-2of2-owner1-twice.json", P22, SIGNERS(&owner1, &owner1));

	r = pol_base();
	r.serial = "3";
	P3 = pol_text(&r);
	P3env = penv(P3, SIGNERS(&owner1));
	put("policy-3.json", P3env);
	{
		sigent s = {owner1.id, sig_text(&owner1, T_POLICY, P3)};
		put("policy-sig-other-payload.json", env_raw(T_POLICY, b64s(P1), &s, 1));
	}
	r = pol_base();
	r.protect = "[\"local-control\", \"works-with-nest>=1.0\", \"zigbee\", \"matter\"]";
	policy("policy-1-equivocation.json", pol_text(&r), SIGNERS(&owner1));

	r = pol_base();
	r.expires = PAST;
	Pexp = pol_text(&r);
	Pexpenv = penv(Pexp, SIGNERS(&owner1));
	put("policy-expired.json", Pexpenv);
	r.expires = NOW;
	policy("policy-expires-at-now.json", pol_text(&r), SIGNERS(&owner1));
	r.expires = NULL;
	policy("policy-expires-null.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.model = "thermo-3";
	Pwdev = pol_text(&r);
	Pwdevenv = penv(Pwdev, SIGNERS(&owner1));
	put("policy-wrong-device.json", Pwdevenv);
	r = pol_base();
	r.vendor = "globex";
	policy("policy-wrong-vendor.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.roles[0] = (role){"owner", {&owner2}, 1, 1};
	r.expires = PAST;
	r.model = "thermo-3";
	policy("policy-combined-bad.json", pol_text(&r), SIGNERS(&owner1));
	r.extra_keys[0] = &k_order2;
	r.n_extra = 1;
	policy("policy-combined-bad-key.json", pol_text(&r), SIGNERS(&owner1));

	/* good variants of the rules */
	r = pol_base();
	r.tail = ", \"min_security_counter\": 100";
	policy("policy-min-counter.json", pol_text(&r), SIGNERS(&owner1));
	r.tail = ", \"max_image_size\": 1000";
	policy("policy-max-image.json", pol_text(&r), SIGNERS(&owner1));
	r.tail = str(", \"max_image_size\": %u", IMAGE_SIZE);
	policy("policy-max-image-exact.json", pol_text(&r), SIGNERS(&owner1));
	r.tail = ", \"digests\": [\"blake2b-256\"]";
	policy("policy-digests-blake2b.json", pol_text(&r), SIGNERS(&owner1));
	r.tail = ", \"digests\": [\"sha256\"]";
	policy("policy-digests-sha256.json", pol_text(&r), SIGNERS(&owner1));
	r.tail = ", \"min_security_counter\": 0, \"max_image_size\": " MAX_U53
	         ", \"digests\": [\"blake2b-256\", \"sha256\"]";
	policy("policy-all-optional.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.removal = "[]";
	policy("policy-no-waiver.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.roles[3] = (role){"security", {&sec1}, 1, 1};
	r.n_roles = 4;
	r.removal = "[\"owner\", \"security\"]";
	policy("policy-waiver-two-roles.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.protect = "[\"local-control\", \"works-with-nest>=0\", \"zigbee\"]";
	policy("policy-protect-ge0.json", pol_text(&r), SIGNERS(&owner1));
	r.protect = "[\"local-control\", \"works-with-nest>=1.0\", \"zigbee\", \"matter>=1.9\"]";
	policy("policy-protect-matter-1.9.json", pol_text(&r), SIGNERS(&owner1));
	r.protect = "[]";
	policy("policy-protect-nothing.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.roles[2] = (role){"auditor", {&vendor1, &aud1, &aud2}, 3, 2};
	policy("policy-vendor-is-auditor.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.roles[3] = (role){"security", {&sec1}, 1, 1};
	r.n_roles = 4;
	r.require = "[\"vendor\", \"auditor\", \"security\"]";
	policy("policy-security-role.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.serial = "0";
	policy("policy-serial-0.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.serial = MAX_U53;
	policy("policy-serial-max.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.roles[3].name = "big";
	for (size_t i = 0; i < 64; i++)
		r.roles[3].k[i] = &many[i];
	r.roles[3].n = 64;
	r.roles[3].t = 64;
	r.n_roles = 4;
	policy("policy-threshold-64.json", pol_text(&r), SIGNERS(&owner1));
	r.roles[3].k[64] = &many[64];
	r.roles[3].n = 65;
	r.roles[3].t = 65;
	policy("policy-threshold-65.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.extra_keys[0] = &stranger;
	r.n_extra = 1;
	policy("policy-unused-key.json", pol_text(&r), SIGNERS(&owner1));
	r.extra_keys[0] = &k_mixed;
	policy("policy-key-mixed-order.json", pol_text(&r), SIGNERS(&owner1));
	r.extra_keys[0] = &k_order2;
	policy("policy-key-order-2.json", pol_text(&r), SIGNERS(&owner1));
	r.extra_keys[0] = &k_order8a_neg;
	policy("policy-key-order-8-sign-bit.json", pol_text(&r), SIGNERS(&owner1));
	r.extra_keys[0] = &k_offcurve;
	policy("policy-key-not-on-curve.json", pol_text(&r), SIGNERS(&owner1));
	policy("policy-key-urlsafe.json", replace1(P1, owner1.b64, b64(owner1.pk, 32, URL)), SIGNERS(&owner1));
	r = pol_base();
	r.serial = "3";
	r.protect = "[]";
	policy("policy-3-protect-nothing.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.serial = "3";
	r.extra_keys[0] = &k_identity;
	r.n_extra = 1;
	policy("policy-3-key-small-order.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.roles[2] = (role){"a-0", {&aud1, &aud2, &aud3}, 3, 2};
	r.require = "[\"vendor\", \"a-0\"]";
	policy("policy-role-name-grammar.json", pol_text(&r), SIGNERS(&owner1));

	/* malformed payloads, signed by the trusted owner */
	Pdup = replace1(P1, "\"serial\": 1,", "\"serial\": 1, \"serial\": 2,");
	policy("policy-dup-member-top.json", Pdup, SIGNERS(&owner1));
	policy("policy-dup-member-top-unsigned.json", Pdup, SIGNERS(&stranger));
	pol_bad("policy-dup-member-escaped.json", "\"serial\": 1,", "\"serial\": 1, \"\\u0073erial\": 1,");
	pol_bad("policy-dup-member-device.json", "\"model\": \"thermo-2\"}",
	        "\"model\": \"thermo-2\", \"model\": \"thermo-2\"}");
	pol_bad("policy-dup-member-keys-entry.json", str("\"ed25519\": \"%s\"", owner1.b64),
	        str("\"ed25519\": \"%s\", \"ed25519\": \"%s\"", owner1.b64, owner1.b64));
	pol_bad("policy-dup-keyid.json", keyentry(&aud3), str("%s, %s", keyentry(&aud3), keyentry(&aud3)));
	{
		const char *a = role_text(&p.roles[2]);
		pol_bad("policy-dup-member-roles.json", a, str("%s, %s", a, a));
	}
	pol_bad("policy-dup-member-role.json", "\"threshold\": 2}", "\"threshold\": 2, \"threshold\": 2}");
	pol_bad("policy-case-folded.json", "\"serial\": 1,", "\"Serial\": 1,");
	pol_bad("policy-case-folded-role-member.json", "\"threshold\": 2}", "\"Threshold\": 2}");
	pol_bad("policy-role-name-uppercase.json", "\"auditor\": {\"keys\"", "\"Auditor\": {\"keys\"");
	r = pol_base();
	r.roles[2].name = "a12345678901234567890123456789012";
	r.require = "[\"vendor\", \"a12345678901234567890123456789012\"]";
	policy("policy-role-name-33.json", pol_text(&r), SIGNERS(&owner1));
	r.roles[2].name = "audit_team";
	r.require = "[\"vendor\", \"audit_team\"]";
	policy("policy-role-name-underscore.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.roles[2] = (role){"auditor", {&aud1, &aud2, &k_identity}, 3, 2};
	policy("policy-role-key-small-order.json", pol_text(&r), SIGNERS(&owner1));
	{
		pol q = pol_base();
		q.serial = "2";
		q.roles[0] = (role){"owner", {&owner2}, 1, 1};
		char *t = pol_text(&q);
		policy("policy-dup-member-signed-by-new-owner.json",
		       replace1(t, "\"serial\": 2,", "\"serial\": 2, \"serial\": 3,"), SIGNERS(&owner2));
	}
	pol_bad("policy-unknown-member.json", "\"removal_requires\": [\"owner\"]}",
	        "\"removal_requires\": [\"owner\"], \"comment\": \"hi\"}");
	pol_bad("policy-unknown-role-member.json", "\"threshold\": 2}", "\"threshold\": 2, \"weight\": 1}");
	pol_bad("policy-serial-float.json", "\"serial\": 1,", "\"serial\": 1.0,");
	pol_bad("policy-serial-exponent.json", "\"serial\": 1,", "\"serial\": 1e0,");
	pol_bad("policy-serial-2p53.json", "\"serial\": 1,", "\"serial\": " OVER_U53 ",");
	pol_bad("policy-serial-huge.json", "\"serial\": 1,", "\"serial\": 18446744073709551617,");
	pol_bad("policy-serial-negative.json", "\"serial\": 1,", "\"serial\": -1,");
	pol_bad("policy-serial-string.json", "\"serial\": 1,", "\"serial\": \"1\",");
	pol_bad("policy-serial-leading-zero.json", "\"serial\": 1,", "\"serial\": 01,");
	pol_bad("policy-serial-null.json", "\"serial\": 1,", "\"serial\": null,");
	pol_bad("policy-threshold-0.json", "\"threshold\": 2}", "\"threshold\": 0}");
	pol_bad("policy-threshold-above-keys.json", "\"threshold\": 2}", "\"threshold\": 4}");
	pol_bad("policy-threshold-float.json", "\"threshold\": 2}", "\"threshold\": 2.0}");
	{
		const char *ids = str("[\"%s\", \"%s\", \"%s\"]", aud1.id, aud2.id, aud3.id);
		pol_bad("policy-role-missing-key.json", ids,
		        str("[\"%s\", \"%s\", \"%s\"]", aud1.id, aud2.id, stranger.id));
		pol_bad("policy-role-dup-keyid.json", ids,
		        str("[\"%s\", \"%s\", \"%s\"]", aud1.id, aud1.id, aud2.id));
		pol_bad("policy-role-keyid-uppercase.json", ids,
		        str("[\"%s\", \"%s\", \"%s\"]", upper(aud1.id), aud2.id, aud3.id));
		pol_bad("policy-role-no-keys.json", str("%s, \"threshold\": 2}", ids),
		        "[], \"threshold\": 2}");
	}
	r = pol_base();
	r.roles[0] = r.roles[2];
	r.n_roles = 2;
	r.removal = "[]";
	policy("policy-no-owner-role.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.roles[1] = r.roles[2];
	r.n_roles = 2;
	r.require = "[\"auditor\"]";
	policy("policy-no-vendor-role.json", pol_text(&r), SIGNERS(&owner1));
	pol_bad("policy-require-no-vendor.json", "\"require\": [\"vendor\", \"auditor\"]",
	        "\"require\": [\"auditor\"]");
	pol_bad("policy-require-empty.json", "\"require\": [\"vendor\", \"auditor\"]", "\"require\": []");
	pol_bad("policy-require-unknown-role.json", "\"require\": [\"vendor\", \"auditor\"]",
	        "\"require\": [\"vendor\", \"auditor\", \"security\"]");
	pol_bad("policy-require-dup.json", "\"require\": [\"vendor\", \"auditor\"]",
	        "\"require\": [\"vendor\", \"auditor\", \"vendor\"]");
	pol_bad("policy-removal-requires-vendor.json", "\"removal_requires\": [\"owner\"]",
	        "\"removal_requires\": [\"vendor\"]");
	pol_bad("policy-removal-requires-unknown.json", "\"removal_requires\": [\"owner\"]",
	        "\"removal_requires\": [\"security\"]");
	pol_bad("policy-removal-requires-dup.json", "\"removal_requires\": [\"owner\"]",
	        "\"removal_requires\": [\"owner\", \"owner\"]");
	r = pol_base();
	r.roles[0] = (role){"owner", {&owner1, &vendor1}, 2, 1};
	policy("policy-removal-requires-vendor-key.json", pol_text(&r), SIGNERS(&owner1));
	r = pol_base();
	r.extra_keys[0] = &k_identity;
	r.n_extra = 1;
	policy("policy-key-small-order.json", pol_text(&r), SIGNERS(&owner1));
	r.extra_keys[0] = &k_zero;
	policy("policy-key-all-zero.json", pol_text(&r), SIGNERS(&owner1));
	r.extra_keys[0] = &k_noncanon;
	policy("policy-key-noncanonical.json", pol_text(&r), SIGNERS(&owner1));
	r.extra_keys[0] = &k_mismatch;
	policy("policy-keyid-mismatch.json", pol_text(&r), SIGNERS(&owner1));
	pol_bad("policy-key-31-bytes.json", owner1.b64, b64(owner1.pk, 31, STD));
	pol_bad("policy-feature-uppercase.json", "\"zigbee\"]", "\"Zigbee\"]");
	pol_bad("policy-feature-cyrillic.json", "\"zigbee\"]", "\"zigb\xd0\xb5\x65\"]");
	pol_bad("policy-feature-space.json", "\"local-control\"", "\"local control\"");
	pol_bad("policy-feature-padding.json", "\"zigbee\"]", "\" zigbee\"]");
	pol_bad("policy-protected-dup.json", "\"zigbee\"]", "\"zigbee\", \"zigbee>=1\"]");
	pol_bad("policy-protected-version-leading-zero.json", "works-with-nest>=1.0", "works-with-nest>=01.0");
	pol_bad("policy-protected-version-empty.json", "works-with-nest>=1.0", "works-with-nest>=");
	pol_bad("policy-protected-at-syntax.json", "works-with-nest>=1.0", "works-with-nest@1.0");
	pol_bad("policy-protected-version-10-digits.json", "works-with-nest>=1.0", "works-with-nest>=1234567890");
	pol_bad("policy-digests-empty.json", "\"removal_requires\": [\"owner\"]}",
	        "\"removal_requires\": [\"owner\"], \"digests\": []}");
	pol_bad("policy-digests-unknown.json", "\"removal_requires\": [\"owner\"]}",
	        "\"removal_requires\": [\"owner\"], \"digests\": [\"sha512\"]}");
	pol_bad("policy-digests-dup.json", "\"removal_requires\": [\"owner\"]}",
	        "\"removal_requires\": [\"owner\"], \"digests\": [\"sha256\", \"sha256\"]}");
	pol_bad("policy-digests-uppercase.json", "\"removal_requires\": [\"owner\"]}",
	        "\"removal_requires\": [\"owner\"], \"digests\": [\"SHA256\"]}");
	pol_bad("policy-min-counter-float.json", "\"removal_requires\": [\"owner\"]}",
	        "\"removal_requires\": [\"owner\"], \"min_security_counter\": 1.5}");
	pol_bad("policy-max-image-negative.json", "\"removal_requires\": [\"owner\"]}",
	        "\"removal_requires\": [\"owner\"], \"max_image_size\": -1}");
	pol_bad("policy-max-image-2p53.json", "\"removal_requires\": [\"owner\"]}",
	        "\"removal_requires\": [\"owner\"], \"max_image_size\": " OVER_U53 "}");
	pol_bad("policy-expires-date-only.json", "\"" EXPIRES "\"", "\"2027-11-21\"");
	pol_bad("policy-expires-offset.json", "\"" EXPIRES "\"", "\"2027-11-21T00:00:00+00:00\"");
	pol_bad("policy-expires-lowercase.json", "\"" EXPIRES "\"", "\"2027-11-21t00:00:00z\"");
	pol_bad("policy-expires-feb-30.json", "\"" EXPIRES "\"", "\"2027-02-30T00:00:00Z\"");
	pol_bad("policy-expires-fraction.json", "\"" EXPIRES "\"", "\"2027-11-21T00:00:00.5Z\"");
	pol_bad("policy-expires-number.json", "\"" EXPIRES "\"", "1826150400");
	pol_bad("policy-vendor-uppercase.json", "\"vendor\": \"acme\"", "\"vendor\": \"Acme\"");
	pol_bad("policy-device-unknown-member.json", "\"model\": \"thermo-2\"}",
	        "\"model\": \"thermo-2\", \"serial\": \"x\"}");
	pol_bad("policy-format-wrong.json", "veto.policy/1", "veto.policy/2");
	pol_bad("policy-format-update.json", "veto.policy/1", "veto.update/1");
	pol_bad("policy-missing-removal-requires.json", ", \"removal_requires\": [\"owner\"]", "");
	pol_bad("policy-depth-17.json", "\"require\": [\"vendor\", \"auditor\"]",
	        str("\"require\": %s", nest(16, "\"vendor\"")));
	policy("policy-trailing-bytes.json", str("%sx", P1), SIGNERS(&owner1));
	policy("policy-trailing-object.json", str("%s{}", P1), SIGNERS(&owner1));
	policy("policy-payload-not-json.json", "hello", SIGNERS(&owner1));
	policy("policy-payload-empty.json", "", SIGNERS(&owner1));
	policy("policy-payload-array.json", "[]", SIGNERS(&owner1));
	policy("policy-payload-bom.json", str("\xef\xbb\xbf%s", P1), SIGNERS(&owner1));
}

/* ---- updates ----------------------------------------------------------------------- */

static char *U1;    /* update.json's payload */
static char *U1env; /* update.json */
static char *U0;    /* counter 0 */

static void update(const char *name, const char *payload, const key *const *signers)
{
	put(name, uenv(payload, signers));
}

/* U1 with one piece of text replaced, signed by vendor1, aud1, aud2. */
static void upd_bad(const char *name, const char *needle, const char *rep)
{
	update(name, replace1(U1, needle, rep), VA);
}

static void gen_updates(void)
{
	upd u = upd_base();
	U1 = upd_text(&u);
	U1env = uenv(U1, VA);
	put("update.json", U1env);
	{
		upd w = upd_base();
		w.version = "2.4.1 >>>";
		char *pl = pad_payload(upd_text(&w), 2, 1);
		put("update-urlsafe.json", env_v(T_UPDATE, (const uint8_t *)pl, strlen(pl), VA, URL));
	}
	upd v = upd_base();
	v.image = image_obj(IMAGE_SIZE, img_sha, NULL);
	update("update-sha256-only.json", upd_text(&v), VA);
	v.image = image_obj(IMAGE_SIZE, NULL, img_b2);
	update("update-blake2b-only.json", upd_text(&v), VA);
	v.image = image_obj(IMAGE_SIZE, img_sha, empty_b2);
	update("update-blake2b-wrong.json", upd_text(&v), VA);
	v = upd_base();
	v.image = image_obj(0, empty_sha, empty_b2);
	update("update-size-0.json", upd_text(&v), VA);

	v = upd_base();
	v.features = "[\"local-control\", \"works-with-nest@1.2\", \"matter@1.3\"]";
	v.removes = "[\"zigbee\"]";
	char *rz = upd_text(&v);
	update("update-removes-zigbee.json", rz, VA);
	update("update-removes-zigbee-waived.json", rz, SIGNERS(&vendor1, &aud1, &aud2, &owner1));
	update("update-removes-zigbee-owner-and-security.json", rz,
	       SIGNERS(&vendor1, &aud1, &aud2, &owner1, &sec1));
	v.removes = NULL;
	char *dz = upd_text(&v);
	update("update-drops-zigbee.json", dz, VA);
	update("update-drops-zigbee-owner.json", dz, SIGNERS(&vendor1, &aud1, &aud2, &owner1));
	v = upd_base();
	v.features = "[\"local-control\", \"works-with-nest@0.9\", \"zigbee\", \"matter@1.3\"]";
	v.removes = "[\"works-with-nest\"]";
	char *nd = upd_text(&v);
	update("update-nest-downgrade.json", nd, VA);
	update("update-nest-downgrade-waived.json", nd, SIGNERS(&vendor1, &aud1, &aud2, &owner1));
	v.removes = NULL;
	update("update-nest-downgrade-undeclared.json", upd_text(&v), VA);
	v.features = "[\"local-control\", \"works-with-nest\", \"zigbee\", \"matter@1.3\"]";
	update("update-nest-bare.json", upd_text(&v), VA);
	v.features = "[\"local-control\", \"works-with-nest@1\", \"zigbee\", \"matter@1.3\"]";
	update("update-nest-1.json", upd_text(&v), VA);
	v.features = "[\"local-control\", \"works-with-nest@1.0.0.0.0.0.0.0\", \"zigbee\", \"matter@1.3\"]";
	update("update-nest-8-parts.json", upd_text(&v), VA);
	v.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.10\"]";
	update("update-matter-1.10.json", upd_text(&v), VA);
	v.features = "[\"local-control\", \"works-with-nest@999999999\", \"zigbee\", \"matter@1.3\"]";
	update("update-version-9-digits.json", upd_text(&v), VA);
	v.features = "[]";
	update("update-features-empty.json", upd_text(&v), VA);
	v = upd_base();
	v.removes = "[\"bluetooth\"]";
	update("update-removes-unprotected.json", upd_text(&v), VA);
	v = upd_base();
	v.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\", "
	             "\"x.y_z:w/v-u@0.0.0\", \"a123456789012345678901234567890123456789012345678901234567890123\"]";
	update("update-feature-grammar.json", upd_text(&v), VA);
	v = upd_base();
	v.image = str("{\"size\": 4294967296, \"sha256\": \"%s\", \"blake2b-256\": \"%s\"}", img_sha, img_b2);
	update("update-size-4gib.json", upd_text(&v), VA);
	v.image = str("{\"size\": 4294967297, \"sha256\": \"%s\", \"blake2b-256\": \"%s\"}", img_sha, img_b2);
	update("update-size-over-4gib.json", upd_text(&v), VA);
	v = upd_base();
	v.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee@0\", \"matter@1.3\"]";
	update("update-zigbee-at-0.json", upd_text(&v), VA);
	v.features = "[\"local-control\", \"works-with-nest\", \"zigbee\", \"matter@1.3\"]";
	v.removes = "[\"works-with-nest\"]";
	update("update-nest-bare-declared.json", upd_text(&v), VA);
	{
		/* BLAKE2b-512 cut to 32 bytes is not BLAKE2b-256 */
		uint8_t h[64];
		crypto_generichash(h, 64, img, IMAGE_SIZE, NULL, 0);
		v = upd_base();
		v.image = image_obj(IMAGE_SIZE, NULL, hex(h, 32));
		update("update-blake2b-truncated-512.json", upd_text(&v), VA);
	}
	/* "version": at most 64 bytes once unescaped (UTF-8), whatever the
	 * JSON text's length */
	v = upd_base();
	v.version = str("%s%s%sx", "\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac",
	                "\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac",
	                "\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac\\u20ac");
	update("update-version-text-64-bytes-escaped.json", upd_text(&v), VA);
	v.version = str("%s%s%sxy", "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac",
	                "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac",
	                "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac");
	update("update-version-text-65-bytes-utf8.json", upd_text(&v), VA);
	/* the edges of the forbidden ranges (U+0000-001F, U+007F-009F,
	 * U+202A-202E, U+2066-2069) */
	static const struct {
		const char *name, *text;
	} edges[] = {
	    {"update-version-u009f-raw.json", "2.4.1\xc2\x9f"},
	    {"update-version-u007f-escape.json", "2.4.1\\u007f"},
	    {"update-version-u202a-raw.json", "2.4.1\xe2\x80\xaa"},
	    {"update-version-u2069-escape.json", "2.4.1\\u2069"},
	    {"update-version-above-u10ffff.json", "2.4.1\xf4\x90\x80\x80"},
	    {"update-version-u00a0-raw.json", "2.4.1\xc2\xa0" "build"},
	    {"update-version-u0020-u007e.json", "2.4.1 ~!#$%&'()*+,-./:;<=>?@[]^_`{|}"},
	    {"update-version-u2029-raw.json", "2.4.1\xe2\x80\xa9"},
	    {"update-version-u202f-escape.json", "2.4.1\\u202f"},
	    {"update-version-u2065-raw.json", "2.4.1\xe2\x81\xa5"},
	    {"update-version-u206a-escape.json", "2.4.1\\u206A"},
	    {"update-version-astral.json", "2.4.1 \xf0\x9f\x98\x80 \\ud83d\\ude00"},
	};
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		v = upd_base();
		v.version = edges[i].text;
		update(edges[i].name, upd_text(&v), VA);
	}
	v = upd_base();
	v.released = "2026-05-01T00:00:00Z";
	update("update-released.json", upd_text(&v), VA);
	v = upd_base();
	v.version = "2.4.1 \xe2\x80\x93 \xce\xb2 \\u00e9t\\u00e9";
	update("update-version-text-unicode.json", upd_text(&v), VA);
	v.version = "1234567890123456789012345678901234567890123456789012345678901234";
	update("update-version-text-64.json", upd_text(&v), VA);
	v.version = "12345678901234567890123456789012345678901234567890123456789012345";
	update("update-version-text-65.json", upd_text(&v), VA);

	v = upd_base();
	v.counter = "0";
	U0 = upd_text(&v);
	update("update-counter-0.json", U0, VA);
	v.counter = MAX_U53;
	update("update-counter-max.json", upd_text(&v), VA);
	v.counter = "100";
	update("update-counter-100.json", upd_text(&v), VA);
	v = upd_base();
	v.model = "thermo-3";
	update("update-wrong-model.json", upd_text(&v), VA);
	v = upd_base();
	v.vendor = "globex";
	update("update-wrong-vendor.json", upd_text(&v), VA);
	v = upd_base();
	v.model = "thermo-3";
	v.counter = "0";
	v.features = "[\"local-control\", \"works-with-nest@1.2\", \"matter@1.3\"]";
	update("update-combined-bad.json", upd_text(&v), SIGNERS(&vendor1));

	update("update-vendor-only.json", U1, SIGNERS(&vendor1));
	update("update-vendor2.json", U1, SIGNERS(&vendor2, &aud3, &aud1));
	update("update-vendor-is-auditor.json", U1, SIGNERS(&vendor1, &aud1));
	update("update-auditor-twice.json", U1, SIGNERS(&vendor1, &aud1, &aud1));
	update("update-stranger-only.json", U1, SIGNERS(&stranger));
	update("update-auditors-only.json", U1, SIGNERS(&aud1, &aud2));
	update("update-owner-only.json", U1, SIGNERS(&owner1));
	update("update-unsigned.json", U1, NOBODY);
	update("update-extra-stranger.json", U1, SIGNERS(&stranger, &vendor1, &aud1, &aud2));
	update("update-with-security.json", U1, SIGNERS(&vendor1, &aud1, &aud2, &sec1));
	{
		sigent s[4];
		size_t n = sigs_for(s, VA, T_UPDATE, (const uint8_t *)U1, strlen(U1), STD);
		const char *good = s[0].sig;
		uint8_t junk[64];
		memset(junk, 0x42, sizeof(junk));
		s[0].sig = sig_text(&vendor1, T_UPDATE, U0);
		put("update-sig-other-payload.json", env_raw(T_UPDATE, b64s(U1), s, n));
		s[0].sig = sig_text(&stranger, T_UPDATE, U1);
		put("update-sig-keyid-mismatch.json", env_raw(T_UPDATE, b64s(U1), s, n));
		s[0].sig = sig_text(&vendor1, T_POLICY, U1);
		put("update-sig-wrong-type.json", env_raw(T_UPDATE, b64s(U1), s, n));
		s[0].sig = b64(junk, 64, STD);
		put("update-sig-garbage.json", env_raw(T_UPDATE, b64s(U1), s, n));
		/* the same keyid twice: a bad signature, then a good one */
		sigent t[4] = {{vendor1.id, b64(junk, 64, STD)}, {vendor1.id, good}, s[1], s[2]};
		put("update-keyid-twice-first-bad.json", env_raw(T_UPDATE, b64s(U1), t, 4));
		t[0] = (sigent){vendor2.id, b64(junk, 64, STD)};
		put("update-extra-bad-sig.json", env_raw(T_UPDATE, b64s(U1), t, 4));
		/* signature without its padding: still valid base64 */
		sigent w[3] = {{vendor1.id, replace1(good, "==", "")}, s[1], s[2]};
		put("update-sig-unpadded.json", env_raw(T_UPDATE, b64s(U1), w, 3));
	}
	put("update-payload-is-policy.json", uenv(P1, VA));
	{
		/* escapes decode to the same names and values */
		char *e = replace1(U1, "\"format\"", "\"\\u0066ormat\"");
		e = replace1(e, "\"vendor\": \"acme\"", "\"vendor\": \"acm\\u0065\"");
		e = replace1(e, "\"zigbee\"", "\"\\u007aigbee\"");
		update("update-escaped-names.json", e, VA);
	}

	/* malformed payloads, signed by the vendor and two auditors */
	char *Udup = replace1(U1, "\"security_counter\": 42,", "\"security_counter\": 42, \"security_counter\": 43,");
	update("update-dup-member-top.json", Udup, VA);
	update("update-dup-member-top-unsigned.json", Udup, SIGNERS(&stranger));
	update("update-dup-member-auditors-only.json", Udup, SIGNERS(&aud1, &aud2));
	upd_bad("update-member-name-nul.json", "\"version\"", "\"version\\u0000\"");
	upd_bad("update-model-colon.json", "\"model\": \"thermo-2\"", "\"model\": \"thermo:2\"");
	upd_bad("update-dup-member-escaped.json", "\"security_counter\": 42,",
	        "\"security_counter\": 42, \"\\u0073ecurity_counter\": 42,");
	upd_bad("update-dup-member-image.json", str("\"sha256\": \"%s\"", img_sha),
	        str("\"sha256\": \"%s\", \"sha256\": \"%s\"", img_sha, empty_sha));
	upd_bad("update-dup-member-image-size.json", str("\"size\": %u", IMAGE_SIZE),
	        str("\"size\": %u, \"size\": 1", IMAGE_SIZE));
	upd_bad("update-case-folded.json", "\"version\"", "\"Version\"");
	upd_bad("update-case-folded-image.json", "\"sha256\"", "\"SHA256\"");
	upd_bad("update-unknown-member.json", "\"version\"", "\"note\": \"x\", \"version\"");
	upd_bad("update-image-unknown-member.json", "{\"size\"", str("{\"sha512\": \"%s%s\", \"size\"", img_sha, img_sha));
	upd_bad("update-counter-float.json", "\"security_counter\": 42,", "\"security_counter\": 42.0,");
	upd_bad("update-counter-exponent.json", "\"security_counter\": 42,", "\"security_counter\": 4.2e1,");
	upd_bad("update-counter-2p53.json", "\"security_counter\": 42,", "\"security_counter\": " OVER_U53 ",");
	upd_bad("update-counter-negative.json", "\"security_counter\": 42,", "\"security_counter\": -42,");
	upd_bad("update-counter-string.json", "\"security_counter\": 42,", "\"security_counter\": \"42\",");
	upd_bad("update-counter-leading-zero.json", "\"security_counter\": 42,", "\"security_counter\": 042,");
	upd_bad("update-counter-null.json", "\"security_counter\": 42,", "\"security_counter\": null,");
	upd_bad("update-counter-bool.json", "\"security_counter\": 42,", "\"security_counter\": true,");
	upd_bad("update-size-float.json", str("\"size\": %u", IMAGE_SIZE), str("\"size\": %u.0", IMAGE_SIZE));
	upd_bad("update-size-negative.json", str("\"size\": %u", IMAGE_SIZE), "\"size\": -1");
	upd_bad("update-size-2p53.json", str("\"size\": %u", IMAGE_SIZE), "\"size\": " OVER_U53);
	v = upd_base();
	v.image = image_obj(IMAGE_SIZE, NULL, NULL);
	update("update-no-digest.json", upd_text(&v), VA);
	v.image = "[20000]";
	update("update-image-not-object.json", upd_text(&v), VA);
	upd_bad("update-digest-uppercase.json", img_sha, upper(img_sha));
	upd_bad("update-digest-short.json", img_sha, str("%.62s", img_sha));
	upd_bad("update-digest-nonhex.json", img_sha, str("%.63sg", img_sha));
	upd_bad("update-digest-null.json", str("\"%s\"", img_sha), "null");
	upd_bad("update-feature-uppercase.json", "\"zigbee\"", "\"Zigbee\"");
	upd_bad("update-feature-space.json", "\"local-control\"", "\"local control\"");
	upd_bad("update-feature-cyrillic-a.json", "\"matter@1.3\"", "\"m\xd0\xb0tter@1.3\"");
	upd_bad("update-feature-fullwidth.json", "\"zigbee\"", "\"\xef\xbd\x9aigbee\"");
	upd_bad("update-feature-leading-space.json", "\"zigbee\"", "\" zigbee\"");
	upd_bad("update-feature-trailing-space.json", "\"zigbee\"", "\"zigbee \"");
	upd_bad("update-feature-leading-dash.json", "\"zigbee\"", "\"-zigbee\"");
	upd_bad("update-feature-empty.json", "\"zigbee\"", "\"\"");
	upd_bad("update-feature-name-65.json", "\"matter@1.3\"",
	        "\"a1234567890123456789012345678901234567890123456789012345678901234\"");
	upd_bad("update-feature-ge-syntax.json", "\"matter@1.3\"", "\"matter>=1.3\"");
	upd_bad("update-feature-not-string.json", "\"matter@1.3\"", "13");
	upd_bad("update-version-leading-zero.json", "\"matter@1.3\"", "\"matter@01.3\"");
	upd_bad("update-version-leading-zero-part.json", "\"matter@1.3\"", "\"matter@1.03\"");
	upd_bad("update-version-empty-part.json", "\"matter@1.3\"", "\"matter@1..3\"");
	upd_bad("update-version-trailing-dot.json", "\"matter@1.3\"", "\"matter@1.3.\"");
	upd_bad("update-version-leading-dot.json", "\"matter@1.3\"", "\"matter@.3\"");
	upd_bad("update-version-empty.json", "\"matter@1.3\"", "\"matter@\"");
	upd_bad("update-version-10-digits.json", "\"matter@1.3\"", "\"matter@1234567890\"");
	upd_bad("update-version-10-digits-part.json", "\"matter@1.3\"", "\"matter@1.0000000001\"");
	upd_bad("update-version-9-parts.json", "\"matter@1.3\"", "\"matter@1.2.3.4.5.6.7.8.9\"");
	upd_bad("update-version-alpha.json", "\"matter@1.3\"", "\"matter@1.3a\"");
	upd_bad("update-version-plus.json", "\"matter@1.3\"", "\"matter@+1.3\"");
	upd_bad("update-version-space.json", "\"matter@1.3\"", "\"matter@ 1.3\"");
	upd_bad("update-version-two-at.json", "\"matter@1.3\"", "\"matter@1@3\"");
	upd_bad("update-feature-dup.json", "\"matter@1.3\"", "\"matter@1.3\", \"matter@1.4\"");
	upd_bad("update-feature-dup-exact.json", "\"matter@1.3\"", "\"matter@1.3\", \"matter@1.3\"");
	v = upd_base();
	v.removes = "[\"bluetooth\", \"bluetooth\"]";
	update("update-removes-dup.json", upd_text(&v), VA);
	v.removes = "[\"zigbee@1\"]";
	update("update-removes-versioned.json", upd_text(&v), VA);
	v.removes = "[\"Zigbee\"]";
	update("update-removes-uppercase.json", upd_text(&v), VA);
	v.removes = "\"zigbee\"";
	update("update-removes-not-array.json", upd_text(&v), VA);
	upd_bad("update-features-not-array.json", u.features, "\"zigbee\"");
	upd_bad("update-version-nul-escape.json", "\"2.4.1\"", "\"2.4.1\\u0000\"");
	upd_bad("update-version-tab-escape.json", "\"2.4.1\"", "\"2.4.1\\t\"");
	upd_bad("update-version-c1-escape.json", "\"2.4.1\"", "\"2.4.1\\u0085\"");
	upd_bad("update-version-bidi-escape.json", "\"2.4.1\"", "\"2.4.1\\u202e\"");
	upd_bad("update-version-bidi-raw.json", "\"2.4.1\"", "\"2.4.1\xe2\x80\xae\"");
	upd_bad("update-version-isolate-raw.json", "\"2.4.1\"", "\"2.4.1\xe2\x81\xa6\"");
	upd_bad("update-version-newline-raw.json", "\"2.4.1\"", "\"2.4.1\n\"");
	upd_bad("update-version-del-raw.json", "\"2.4.1\"", "\"2.4.1\x7f\"");
	upd_bad("update-version-c1-raw.json", "\"2.4.1\"", "\"2.4.1\xc2\x85\"");
	upd_bad("update-version-bad-utf8.json", "\"2.4.1\"", "\"2.4.1\xff\"");
	upd_bad("update-version-overlong-utf8.json", "\"2.4.1\"", "\"2.4.1\xc0\xaf\"");
	upd_bad("update-version-surrogate-utf8.json", "\"2.4.1\"", "\"2.4.1\xed\xa0\x80\"");
	upd_bad("update-version-truncated-utf8.json", "\"2.4.1\"", "\"2.4.1\xe2\x80\"");
	upd_bad("update-version-lone-surrogate.json", "\"2.4.1\"", "\"2.4.1\\ud800\"");
	upd_bad("update-version-lone-low-surrogate.json", "\"2.4.1\"", "\"2.4.1\\udc00\"");
	upd_bad("update-version-bad-escape.json", "\"2.4.1\"", "\"2.4.1\\x41\"");
	upd_bad("update-version-empty-text.json", "\"2.4.1\"", "\"\"");
	{
		/* a raw NUL byte inside a string: written with its length */
		const char *at = strstr(U1, "2.4.1\"");
		size_t pre = (size_t)(at - U1) + 5, len = strlen(U1) + 1;
		uint8_t *pl = xmalloc(len);
		memcpy(pl, U1, pre);
		pl[pre] = 0;
		memcpy(pl + pre + 1, U1 + pre, len - pre - 1);
		put("update-version-nul-raw.json", env_v(T_UPDATE, pl, len, VA, STD));
	}
	v = upd_base();
	v.released = "2026-11-01";
	update("update-released-bad.json", upd_text(&v), VA);
	upd_bad("update-vendor-uppercase.json", "\"vendor\": \"acme\"", "\"vendor\": \"Acme\"");
	upd_bad("update-model-space.json", "\"model\": \"thermo-2\"", "\"model\": \"thermo 2\"");
	upd_bad("update-format-wrong.json", "veto.update/1", "veto.update/2");
	upd_bad("update-format-policy.json", "veto.update/1", "veto.policy/1");
	upd_bad("update-missing-image.json", str(", \"image\": %s", u.image), "");
	upd_bad("update-depth-17.json", u.features, nest(16, "\"zigbee\""));
	update("update-trailing-bytes.json", str("%s 0", U1), VA);
	update("update-trailing-object.json", str("%s{}", U1), VA);
	update("update-payload-not-json.json", "not json", VA);
	update("update-payload-empty.json", "", VA);
}

/* ---- envelopes ----------------------------------------------------------------------- */

static void env_bad(const char *name, const char *needle, const char *rep)
{
	put(name, replace1(U1env, needle, rep));
}

/* s with the character at i replaced. */
static char *set_char(const char *s, size_t i, char c)
{
	char *p = dup_str(s);
	p[i] = c;
	return p;
}

/* Sets unused low bits in the last significant character before "==". */
static char *dirty_bits(const char *b)
{
	const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(b);
	if (n < 3 || strcmp(b + n - 2, "==") != 0)
		die("dirty_bits: needs two padding characters");
	size_t v = (size_t)(strchr(abc, b[n - 3]) - abc);
	return set_char(b, n - 3, abc[v | 0x5]);
}

static void gen_envelopes(void)
{
	const char *B = b64s(U1);
	const char *S1;
	{
		sigent s[3];
		sigs_for(s, VA, T_UPDATE, (const uint8_t *)U1, strlen(U1), STD);
		S1 = s[0].sig;
		if (strstr(U1env, S1) == NULL)
			die("signature text not in the envelope");
	}
	const char *e1 = str("{\"keyid\": \"%s\", \"sig\": \"%s\"}", vendor1.id, S1);

	env_bad("env-dup-payloadType.json", "{\"payloadType\": ",
	        "{\"payloadType\": \"" T_UPDATE "\", \"payloadType\": ");
	env_bad("env-dup-payload.json", str("\"payload\": \"%s\",", B),
	        str("\"payload\": \"%s\", \"payload\": \"%s\",", B, B));
	env_bad("env-dup-payload-differs.json", str("\"payload\": \"%s\",", B),
	        str("\"payload\": \"%s\", \"payload\": \"%s\",", B, b64s(U0)));
	env_bad("env-dup-signatures.json", "}]}", "}], \"signatures\": []}");
	env_bad("env-dup-member-escaped.json", str("\"payload\": \"%s\",", B),
	        str("\"payload\": \"%s\", \"p\\u0061yload\": \"%s\",", B, B));
	env_bad("env-sig-dup-keyid.json", e1,
	        str("{\"keyid\": \"%s\", \"keyid\": \"%s\", \"sig\": \"%s\"}", vendor1.id, vendor1.id, S1));
	env_bad("env-sig-dup-sig.json", e1,
	        str("{\"keyid\": \"%s\", \"sig\": \"%s\", \"sig\": \"%s\"}", vendor1.id, S1, S1));
	env_bad("env-sig-dup-escaped.json", e1,
	        str("{\"keyid\": \"%s\", \"\\u006beyid\": \"%s\", \"sig\": \"%s\"}", vendor1.id, vendor1.id, S1));
	env_bad("env-unknown-member.json", "}]}", "}], \"comment\": \"x\"}");
	env_bad("env-sig-unknown-member.json", e1,
	        str("{\"keyid\": \"%s\", \"sig\": \"%s\", \"alg\": \"ed25519\"}", vendor1.id, S1));
	env_bad("env-case-folded-payloadType.json", "\"payloadType\"", "\"PayloadType\"");
	env_bad("env-case-folded-payload.json", "\"payload\":", "\"Payload\":");
	env_bad("env-case-folded-signatures.json", "\"signatures\"", "\"Signatures\"");
	env_bad("env-sig-case-folded-keyid.json", e1, str("{\"KeyId\": \"%s\", \"sig\": \"%s\"}", vendor1.id, S1));
	put("env-missing-signatures.json", str("{\"payloadType\": \"" T_UPDATE "\", \"payload\": \"%s\"}", B));
	env_bad("env-missing-payload.json", str("\"payload\": \"%s\", ", B), "");
	env_bad("env-missing-payloadType.json", "\"payloadType\": \"" T_UPDATE "\", ", "");
	put("env-signatures-object.json",
	    str("{\"payloadType\": \"" T_UPDATE "\", \"payload\": \"%s\", \"signatures\": {\"0\": %s}}", B, e1));
	put("env-signatures-null.json",
	    str("{\"payloadType\": \"" T_UPDATE "\", \"payload\": \"%s\", \"signatures\": null}", B));
	env_bad("env-payload-number.json", str("\"payload\": \"%s\"", B), "\"payload\": 5");
	env_bad("env-payloadType-number.json", "\"payloadType\": \"" T_UPDATE "\"", "\"payloadType\": 1");
	env_bad("env-sig-entry-string.json", e1, "\"sig\"");
	env_bad("env-sig-missing-keyid.json", e1, str("{\"sig\": \"%s\"}", S1));
	env_bad("env-sig-missing-sig.json", e1, str("{\"keyid\": \"%s\"}", vendor1.id));
	env_bad("env-keyid-uppercase.json", str("\"%s\"", vendor1.id), str("\"%s\"", upper(vendor1.id)));
	env_bad("env-keyid-63.json", str("\"%s\"", vendor1.id), str("\"%.63s\"", vendor1.id));
	env_bad("env-keyid-65.json", str("\"%s\"", vendor1.id), str("\"%s0\"", vendor1.id));
	env_bad("env-keyid-nonhex.json", str("\"%s\"", vendor1.id), str("\"%.63sg\"", vendor1.id));
	env_bad("env-keyid-number.json", str("\"keyid\": \"%s\"", vendor1.id), "\"keyid\": 1");
	{
		uint8_t raw[65];
		size_t n = 0;
		if (sodium_base642bin(raw, sizeof(raw), S1, strlen(S1), NULL, &n, NULL, STD) != 0 || n != 64)
			die("decode S1");
		env_bad("env-sig-63-bytes.json", S1, b64(raw, 63, STD));
		raw[64] = 0;
		env_bad("env-sig-65-bytes.json", S1, b64(raw, 65, STD));
	}
	env_bad("env-sig-empty.json", str("\"sig\": \"%s\"", S1), "\"sig\": \"\"");
	/* base64 of every kind */
	env_bad("env-b64-payload-bad-char.json", B, set_char(B, 10, '*'));
	env_bad("env-b64-sig-bad-char.json", S1, set_char(S1, 10, '$'));
	env_bad("env-b64-payload-space.json", B, str("%.40s %s", B, B + 40));
	env_bad("env-b64-sig-space.json", S1, str("%.40s %s", S1, S1 + 40));
	env_bad("env-b64-sig-trailing-space.json", S1, str("%s ", S1));
	env_bad("env-b64-payload-newline-escape.json", B, str("%.76s\\n%s", B, B + 76));
	/* both alphabets in one string: a '+' and a '_' in place of two letters */
	env_bad("env-b64-payload-mixed.json", B, set_char(set_char(B, 8, '+'), 12, '_'));
	env_bad("env-b64-sig-mixed.json", S1, set_char(set_char(S1, 8, '/'), 12, '-'));
	env_bad("env-b64-sig-partial-padding.json", S1, replace1(S1, "==", "="));
	env_bad("env-b64-sig-excess-padding.json", S1, replace1(S1, "==", "==="));
	env_bad("env-b64-sig-nonzero-bits.json", S1, dirty_bits(S1));
	env_bad("env-b64-sig-padding-inside.json", S1, str("%.20s=%s", S1, S1 + 20));
	{
		/* payload whose length leaves one byte over: ends in "==" */
		char *pl = pad_payload(U1, 1, 0);
		char *e = uenv(pl, VA);
		char *Bp = b64s(pl);
		put("update-padded.json", e);
		put("env-b64-payload-partial-padding.json", replace1(e, Bp, replace1(Bp, "==", "=")));
		put("env-b64-payload-nonzero-bits.json", replace1(e, Bp, dirty_bits(Bp)));
		put("env-b64-payload-unpadded.json", replace1(e, Bp, replace1(Bp, "==", "")));
		put("env-b64-payload-padding-inside.json", replace1(e, Bp, str("%.40s=%s", Bp, Bp + 40)));
	}
	{
		/* URL-safe alphabet with complete padding: valid too */
		upd w = upd_base();
		w.version = "2.4.1 >>>";
		char *pl = pad_payload(upd_text(&w), 1, 1);
		char *e = env_v(T_UPDATE, (const uint8_t *)pl, strlen(pl), VA,
		                sodium_base64_VARIANT_URLSAFE);
		if (strstr(e, "==\"") == NULL)
			die("URL-safe padded envelope without padding");
		put("update-urlsafe-padded.json", e);
		/* escapes in a base64 string decode before base64 does */
		char *Bw = b64((const uint8_t *)pl, strlen(pl), STD);
		char *ew = env_v(T_UPDATE, (const uint8_t *)pl, strlen(pl), VA, STD);
		size_t at = strcspn(Bw, "+");
		if (Bw[at] == '\0')
			die("no '+' in the base64");
		char *esc = str("%.*s\\u002b%s", (int)at, Bw, Bw + at + 1);
		esc = replace1(esc, str("%.3s", esc), str("\\u00%02x%.2s", (unsigned)esc[0], esc + 1));
		put("env-b64-payload-escaped-chars.json", replace1(ew, Bw, esc));
		put("env-b64-payload-non-ascii.json", replace1(ew, Bw, str("%.8s\xc3\xa9%s", Bw, Bw + 9)));
		put("env-b64-payload-excess-padding.json", replace1(ew, Bw, str("%s=", Bw)));
	}
	{
		/* a signature without padding whose unused bits are not zero */
		put("env-b64-sig-unpadded-nonzero-bits.json",
		    replace1(U1env, S1, replace1(dirty_bits(S1), "==", "")));
		put("env-b64-sig-one-char-over.json", replace1(U1env, S1, str("%sA", replace1(S1, "==", ""))));
		put("env-b64-sig-only-padding.json", replace1(U1env, S1, "=="));
		/* a JSON-escaped solidus in a signature: still the same base64 */
		sigent s[3];
		sigs_for(s, VA, T_UPDATE, (const uint8_t *)U1, strlen(U1), STD);
		size_t k = 0;
		while (k < 3 && strchr(s[k].sig, '/') == NULL)
			k++;
		if (k == 3)
			die("no '/' in any signature");
		size_t at = (size_t)(strchr(s[k].sig, '/') - s[k].sig);
		put("env-b64-sig-escaped-solidus.json",
		    replace1(U1env, s[k].sig, str("%.*s\\/%s", (int)at, s[k].sig, s[k].sig + at + 1)));
	}
	put("env-trailing-bytes.json", str("%sx", U1env));
	put("update-leading-whitespace.json", str("\n\t \r\n%s", U1env));
	put("env-formfeed.json", replace1(U1env, ", \"payload\"", ",\f\"payload\""));
	put("env-nbsp.json", replace1(U1env, ", \"payload\"", ",\xc2\xa0\"payload\""));
	put("env-vertical-tab.json", replace1(U1env, ", \"payload\"", ",\v\"payload\""));
	put("env-trailing-object.json", str("%s{}", U1env));
	put("env-trailing-comma.json", str("%s,", U1env));
	{
		size_t n = strlen(U1env);
		char *t = xmalloc(n + 2);
		memcpy(t, U1env, n);
		t[n] = '\n';
		t[n + 1] = '\0';
		put_raw("env-trailing-nul.json", t, n + 2);
	}
	env_bad("env-depth-17.json", "}]}", str("}], \"x\": %s}", nest(16, "0")));
	env_bad("env-depth-10000.json", "}]}", str("}], \"x\": %s}", nest(10000, "0")));
	env_bad("env-type-uppercase.json", T_UPDATE, "application/vnd.veto.update+JSON");
	env_bad("env-type-trailing-space.json", T_UPDATE, T_UPDATE " ");
	env_bad("env-type-escaped-solidus.json", T_UPDATE, "application\\/vnd.veto.update+json");
	env_bad("env-type-nul.json", T_UPDATE, T_UPDATE "\\u0000");
	{
		/* 64 signature entries (the limit) and 65 */
		sigent s[70];
		size_t n = sigs_for(s, VA, T_UPDATE, (const uint8_t *)U1, strlen(U1), STD);
		uint8_t junk[64], h[32];
		for (size_t i = n; i < 65; i++) {
			char *label = str("junk signature %zu", i);
			crypto_hash_sha256(h, (const uint8_t *)label, strlen(label));
			memset(junk, (int)i, sizeof(junk));
			s[i].keyid = hex(h, 32);
			s[i].sig = b64(junk, 64, STD);
		}
		put("env-sigs-64.json", env_raw(T_UPDATE, B, s, 64));
		put("env-sigs-65.json", env_raw(T_UPDATE, B, s, 65));
	}
	/* truncation at each structural point */
	static const struct {
		const char *name;
		const char *mark; /* cut just before (or after: '+') this text */
		int after;
	} cuts[] = {
	    {"env-cut-after-open-brace.json", "\"payloadType\"", 0},
	    {"env-cut-in-name.json", "Type\": ", 0},
	    {"env-cut-after-name.json", ": \"application", 0},
	    {"env-cut-after-colon.json", " \"application", 0},
	    {"env-cut-in-type.json", "vnd.veto", 0},
	    {"env-cut-after-comma.json", " \"payload\":", 0},
	    {"env-cut-before-signatures.json", ", \"signatures\"", 0},
	    {"env-cut-after-bracket.json", "{\"keyid\"", 0},
	    {"env-cut-in-keyid.json", "\", \"sig\"", 0},
	    {"env-cut-between-entries.json", ", {\"keyid\"", 0},
	    {"env-cut-before-close-bracket.json", "]}", 0},
	    {"env-cut-before-close-brace.json", "]}", 1},
	};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		const char *at = strstr(U1env, cuts[i].mark);
		if (at == NULL)
			die("cut mark %s", cuts[i].mark);
		size_t len = (size_t)(at - U1env) + (cuts[i].after ? 1 : 0);
		put_raw(cuts[i].name, U1env, len);
	}
	{
		const char *at = strstr(U1env, B);
		put_raw("env-cut-in-payload.json", U1env, (size_t)(at - U1env) + strlen(B) / 2);
		put_raw("env-cut-before-payload-quote.json", U1env, (size_t)(at - U1env) + strlen(B));
		at = strstr(U1env, S1);
		put_raw("env-cut-in-sig.json", U1env, (size_t)(at - U1env) + 44);
	}
}

/* ---- states ----------------------------------------------------------------------------- */

static void gen_states(void)
{
	const char *F3 = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\"]";
	const char *sha1 = sha_hex(P1);
	const char *u1sha = sha_hex(U1);
	const char *S = state_text(A1, P1env, "1", sha1, "41", NULL, F3);
	put("state-fresh.json", state_text(A1, NULL, NULL, NULL, "0", NULL, F3));
	put("state-p1.json", S);
	put("state-p1-bluetooth.json",
	    state_text(A1, P1env, "1", sha1, "41", NULL,
	               "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"bluetooth@5.1\"]"));
	put("state-p1-counter-50.json", state_text(A1, P1env, "1", sha1, "50", NULL, F3));
	put("state-p1-counter-42.json", state_text(A1, P1env, "1", sha1, "42", NULL, F3));
	put("state-p1-installed-update.json", state_text(A1, P1env, "1", sha1, "42", u1sha, F3));
	put("state-p1-installed-other.json", state_text(A1, P1env, "1", sha1, "42", sha_hex(U0), F3));
	put("state-p3.json", state_text(A1, P3env, "3", sha_hex(P3), "41", NULL, F3));
	{
		/* the stored policy rotated the owner to owner2 */
		const char *p2 = strstr(P2env, "\"payload\": \"") + 12;
		size_t n = strcspn(p2, "\"");
		uint8_t *raw = xmalloc(n);
		size_t len = 0;
		if (sodium_base642bin(raw, n, p2, n, NULL, &len, NULL, STD) != 0)
			die("decode P2");
		uint8_t h[32];
		crypto_hash_sha256(h, raw, len);
		put("state-p2.json", state_text(A1, P2env, "2", hex(h, 32), "41", NULL, F3));
	}
	put("state-policy-expired.json", state_text(A1, Pexpenv, "1", sha_hex(Pexp), "41", NULL, F3));

	put("state-dup-member.json", replace1(S, "\"security_counter\": 41,", "\"security_counter\": 41, \"security_counter\": 0,"));
	put("state-dup-member-escaped.json", replace1(S, "\"features\":", "\"\\u0066eatures\": [], \"features\":"));
	put("state-dup-member-anchor.json", replace1(S, "\"threshold\": 1}", "\"threshold\": 1, \"threshold\": 1}"));
	put("state-dup-member-policy.json", replace1(S, "\"payload\":", str("\"payload\": \"%s\", \"payload\":", b64s(P1))));
	put("state-dup-member-policy-sig.json", replace1(S, "{\"keyid\": ", str("{\"keyid\": \"%s\", \"keyid\": ", owner1.id)));
	put("state-policy-sha-mismatch.json", state_text(A1, P1env, "1", sha_hex(P3), "41", NULL, F3));
	put("state-policy-sha-uppercase.json", state_text(A1, P1env, "1", upper(sha1), "41", NULL, F3));
	put("state-serial-mismatch.json", state_text(A1, P1env, "2", sha1, "41", NULL, F3));
	put("state-policy-null-serial-set.json", state_text(A1, NULL, "1", sha1, "41", NULL, F3));
	put("state-policy-set-serial-null.json", state_text(A1, P1env, NULL, sha1, "41", NULL, F3));
	put("state-unknown-member.json", replace1(S, "\"features\":", "\"note\": \"x\", \"features\":"));
	put("state-case-folded.json", replace1(S, "\"features\":", "\"Features\":"));
	put("state-missing-member.json", replace1(S, str(",\n \"features\": %s", F3), ""));
	put("state-format-wrong.json", replace1(S, "veto.state/1", "veto.state/2"));
	put("state-counter-2p53.json", state_text(A1, P1env, "1", sha1, OVER_U53, NULL, F3));
	put("state-counter-float.json", state_text(A1, P1env, "1", sha1, "41.0", NULL, F3));
	put("state-counter-negative.json", state_text(A1, P1env, "1", sha1, "-1", NULL, F3));
	put("state-feature-uppercase.json", state_text(A1, P1env, "1", sha1, "41", NULL, "[\"Zigbee\"]"));
	put("state-feature-dup.json", state_text(A1, P1env, "1", sha1, "41", NULL, "[\"zigbee\", \"zigbee@2\"]"));
	put("state-feature-cyrillic.json", state_text(A1, P1env, "1", sha1, "41", NULL, "[\"zigb\xd0\xb5\x65\"]"));
	put("state-update-sha-uppercase.json", state_text(A1, P1env, "1", sha1, "42", upper(u1sha), F3));
	put("state-update-sha-short.json", state_text(A1, P1env, "1", sha1, "42", str("%.62s", u1sha), F3));
	put("state-anchor-small-order.json",
	    state_text(anchor_text("acme", "thermo-2", SIGNERS(&k_identity), 1, "1"), NULL, NULL, NULL, "0", NULL, F3));
	put("state-anchor-threshold-0.json", state_text(replace1(A1, "\"threshold\": 1}", "\"threshold\": 0}"), NULL, NULL, NULL, "0", NULL, F3));
	put("state-policy-is-update.json", state_text(A1, U1env, "1", u1sha, "41", NULL, F3));
	put("state-policy-other-device.json", state_text(A1, Pwdevenv, "1", sha_hex(Pwdev), "41", NULL, F3));
	put("state-policy-malformed.json", state_text(A1, penv(Pdup, SIGNERS(&owner1)), "1", sha_hex(Pdup), "41", NULL, F3));
	{
		pol q = pol_base();
		q.roles[2] = (role){"auditor", {&aud1, &aud2, &k_identity}, 3, 2};
		char *t = pol_text(&q);
		put("state-policy-key-small-order.json",
		    state_text(A1, penv(t, SIGNERS(&owner1)), "1", sha_hex(t), "41", NULL, F3));
	}
	put("state-trailing-bytes.json", str("%s]", S));
	put("state-truncated.json", str("%.*s", (int)strlen(S) - 1, S));
	put("state-depth-17.json", replace1(S, str("\"features\": %s", F3), str("\"features\": %s", nest(16, "\"zigbee\""))));
}

/* ---- (1.1) -------------------------------------------------------------------- */

#define ISSUED "2026-05-01T00:00:00Z"
#define WEEKDAYS "[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]"
#define W_NIGHT "{\"days\": " WEEKDAYS ", \"start\": \"01:30\", \"end\": \"04:00\"}"
#define W_SAT "{\"days\": [\"sat\"], \"start\": \"22:00\", \"end\": \"06:00\"}"
#define HOLD(fast) "{\"from\": \"2026-05-20T00:00:00Z\", \"until\": \"2026-06-10T00:00:00Z\", \"fast_path\": " fast "}"
#define FAST ", \"fast_path\": {\"require\": [\"security\"]}"
#define VAS SIGNERS(&vendor1, &aud1, &aud2, &sec1)
#define VAO SIGNERS(&vendor1, &aud1, &aud2, &owner1)

static char *P11, *P11env;

/* The 1.1 world: policy-1 with a "security" role [security1] and `issued`,
 * then tail. */
static pol pol11(const char *serial, const char *issued, const char *tail)
{
	pol p = pol_base();
	p.format = "veto.policy/1.1";
	p.serial = serial;
	p.roles[3] = (role){"security", {&sec1}, 1, 1};
	p.n_roles = 4;
	p.tail = str(", \"issued\": \"%s\"%s", issued, tail);
	return p;
}

static void put11(const char *name, const char *tail)
{
	pol p = pol11("1", ISSUED, tail);
	policy(name, pol_text(&p), SIGNERS(&owner1));
}

/* P11 with one piece of text replaced, signed by owner1. */
static void bad11(const char *name, const char *needle, const char *rep)
{
	policy(name, replace1(P11, needle, rep), SIGNERS(&owner1));
}

static char *timing(const char *body)
{
	return str(", \"timing\": {%s}", body);
}

static void gen_policies11(void)
{
	pol p = pol11("1", ISSUED, "");
	P11 = pol_text(&p);
	P11env = penv(P11, SIGNERS(&owner1));
	put("p11.json", P11env);
	put11("p11-forbid.json", ", \"forbidden_features\": [\"telemetry\", \"egress\"]");
	put11("p11-additions.json", ", \"addition_requires\": [\"owner\"]");
	put11("p11-additions-none.json", ", \"addition_requires\": []");
	put11("p11-rollback.json", ", \"rollback_requires\": [\"owner\"]");
	put11("p11-rollback-none.json", ", \"rollback_requires\": []");
	put11("p11-rollback-min50.json", ", \"rollback_requires\": [\"owner\"], \"min_security_counter\": 50");
	put11("p11-window-utc.json", timing("\"windows\": [" W_NIGHT "]"));
	put11("p11-window-local.json", timing("\"clock\": \"local\", \"windows\": [" W_NIGHT ", " W_SAT "]"));
	put11("p11-window-offset.json", timing("\"clock\": \"-05:00\", \"windows\": [" W_NIGHT "]"));
	put11("p11-window-sun-midnight.json", timing("\"windows\": [{\"days\": [\"sun\"], \"start\": \"23:00\", \"end\": \"00:00\"}]"));
	put11("p11-window-fast.json", timing("\"windows\": [" W_NIGHT "]" FAST));
	put11("p11-window-local-fast.json", timing("\"clock\": \"local\", \"windows\": [" W_NIGHT "]" FAST));
	put11("p11-hold.json", timing("\"holds\": [" HOLD("true") "]" FAST));
	put11("p11-hold-nofast.json", timing("\"holds\": [" HOLD("false") "]" FAST));
	put11("p11-hold-local.json", timing("\"clock\": \"local\", \"holds\": [" HOLD("false") "]"));
	put11("p11-hold-two.json", timing("\"holds\": [" HOLD("true") ", {\"from\": \"2026-05-31T00:00:00Z\", \"until\": \"2026-06-02T00:00:00Z\"}]" FAST));
	put11("p11-hold-min50.json", str("%s, \"min_security_counter\": 50", timing("\"holds\": [" HOLD("true") "]" FAST)));
	put11("p11-hold-b2only.json", str("%s, \"digests\": [\"blake2b-256\"]", timing("\"holds\": [" HOLD("true") "]" FAST)));
	put11("p11-hold-max100.json", str("%s, \"max_image_size\": 100", timing("\"holds\": [" HOLD("true") "]" FAST)));
	put11("p11-hold-forbid.json", str(", \"forbidden_features\": [\"telemetry\"]%s", timing("\"holds\": [" HOLD("true") "]" FAST)));
	put11("p11-plant.json", str(", \"forbidden_features\": [\"telemetry\"], \"addition_requires\": [\"owner\"], "
	                            "\"rollback_requires\": [\"owner\"]%s",
	                            timing("\"clock\": \"local\", \"windows\": [" W_NIGHT ", " W_SAT "], \"holds\": [" HOLD("true") "]" FAST)));
	{
		const char *d1 = sha_hex("revoked one"), *d2 = sha_hex("reinstated one");
		put11("p11-revocation.json",
		      str(", \"revocation_roles\": [\"auditor\"], \"revoked_updates\": [\"%s\"], "
		          "\"reinstate\": {\"updates\": [\"%s\"], \"keys\": [\"%s\"]}", d1, d2, stranger.id));
		put11("p11-bad-revoked-reinstated.json",
		      str(", \"revoked_updates\": [\"%s\"], \"reinstate\": {\"updates\": [\"%s\"], \"keys\": []}", d1, d1));
		put11("p11-bad-revoked-dup.json", str(", \"revoked_updates\": [\"%s\", \"%s\"]", d1, d1));
		put11("p11-bad-revoked-upper.json", str(", \"revoked_updates\": [\"%s\"]", upper(d1)));
		put11("p11-bad-reinstate-no-keys.json", str(", \"reinstate\": {\"updates\": []}"));
		put11("p11-bad-reinstate-keyid.json", ", \"reinstate\": {\"updates\": [], \"keys\": [\"abc\"]}");
		put11("p11-bad-revocation-role.json", ", \"revocation_roles\": [\"nobody\"]");
	}
	/* expired, with issued before it */
	{
		pol q = pol11("1", "2025-12-01T00:00:00Z", timing("\"holds\": [" HOLD("true") "]" FAST));
		q.expires = PAST;
		policy("p11-hold-expired.json", pol_text(&q), SIGNERS(&owner1));
	}
	/* the clock: a chain whose middle issued is the latest, a reset */
	{
		pol q = pol11("2", "2026-05-10T00:00:00Z", "");
		policy("p11-s2-0510.json", pol_text(&q), SIGNERS(&owner1));
		q = pol11("3", "2026-05-20T00:00:00Z", "");
		policy("p11-s3-0520.json", pol_text(&q), SIGNERS(&owner1));
		q = pol11("4", "2026-05-15T00:00:00Z", "");
		policy("p11-s4-0515.json", pol_text(&q), SIGNERS(&owner1));
		q = pol11("2", "2026-04-01T00:00:00Z", ", \"time_floor_reset\": true");
		policy("p11-s2-floor-reset.json", pol_text(&q), SIGNERS(&owner1));
		q = pol11("2", "2026-07-01T00:00:00Z", "");
		policy("p11-s2-future.json", pol_text(&q), SIGNERS(&owner1));
	}
	/* malformed 1.1 policies: the member and the rule */
	bad11("p11-bad-no-issued.json", ", \"issued\": \"" ISSUED "\"", "");
	bad11("p11-bad-issued-after-expires.json", ISSUED, "2027-12-01T00:00:00Z");
	bad11("p11-bad-issued-not-time.json", ISSUED, "2026-05-01");
	{
		pol q = pol11("1", ISSUED, "");
		q.roles[0] = (role){"owner", {&owner1, &vendor1}, 2, 1};
		q.removal = "[]"; /* so that only the 1.1 rule is broken */
		policy("p11-bad-owner-vendor-key.json", pol_text(&q), SIGNERS(&owner1));
		q = pol_base();
		q.roles[0] = (role){"owner", {&owner1, &vendor1}, 2, 1};
		q.removal = "[]";
		policy("policy-owner-vendor-key.json", pol_text(&q), SIGNERS(&owner1));
	}
	put11("p11-bad-forbid-empty.json", ", \"forbidden_features\": []");
	put11("p11-bad-forbid-dup.json", ", \"forbidden_features\": [\"telemetry\", \"telemetry\"]");
	put11("p11-bad-forbid-version.json", ", \"forbidden_features\": [\"telemetry@1\"]");
	put11("p11-bad-forbid-colon-end.json", ", \"forbidden_features\": [\"egress:\"]");
	put11("p11-bad-forbid-slash-end.json", ", \"forbidden_features\": [\"egress/\"]");
	put11("p11-bad-forbid-protected.json", ", \"forbidden_features\": [\"works-with-nest\"]");
	put11("p11-bad-forbid-upper.json", ", \"forbidden_features\": [\"Telemetry\"]");
	put11("p11-forbid-local.json", ", \"forbidden_features\": [\"local\"]"); /* not local-control */
	put11("p11-bad-addition-vendor.json", ", \"addition_requires\": [\"vendor\"]");
	put11("p11-bad-addition-unknown.json", ", \"addition_requires\": [\"nobody\"]");
	put11("p11-bad-addition-dup.json", ", \"addition_requires\": [\"owner\", \"owner\"]");
	put11("p11-bad-rollback-vendor.json", ", \"rollback_requires\": [\"vendor\"]");
	put11("p11-bad-floor-reset-false.json", ", \"time_floor_reset\": false");
	put11("p11-bad-timing-empty.json", timing(""));
	put11("p11-bad-timing-unknown.json", timing("\"windows\": [" W_NIGHT "], \"zone\": \"utc\""));
	put11("p11-bad-windows-empty.json", timing("\"windows\": []"));
	put11("p11-bad-window-day.json", timing("\"windows\": [{\"days\": [\"monday\"], \"start\": \"01:30\", \"end\": \"04:00\"}]"));
	put11("p11-bad-window-day-dup.json", timing("\"windows\": [{\"days\": [\"mon\", \"mon\"], \"start\": \"01:30\", \"end\": \"04:00\"}]"));
	put11("p11-bad-window-no-days.json", timing("\"windows\": [{\"days\": [], \"start\": \"01:30\", \"end\": \"04:00\"}]"));
	put11("p11-bad-window-same.json", timing("\"windows\": [{\"days\": [\"mon\"], \"start\": \"01:30\", \"end\": \"01:30\"}]"));
	put11("p11-bad-window-24.json", timing("\"windows\": [{\"days\": [\"mon\"], \"start\": \"01:30\", \"end\": \"24:00\"}]"));
	put11("p11-bad-window-short.json", timing("\"windows\": [{\"days\": [\"mon\"], \"start\": \"1:30\", \"end\": \"04:00\"}]"));
	put11("p11-bad-window-seconds.json", timing("\"windows\": [{\"days\": [\"mon\"], \"start\": \"01:30:00\", \"end\": \"04:00\"}]"));
	put11("p11-bad-clock.json", timing("\"clock\": \"Europe/Berlin\", \"windows\": [" W_NIGHT "]"));
	put11("p11-bad-clock-over-14.json", timing("\"clock\": \"+14:01\", \"windows\": [" W_NIGHT "]"));
	put11("p11-clock-14.json", timing("\"clock\": \"+14:00\", \"windows\": [" W_NIGHT "]"));
	put11("p11-bad-hold-order.json", timing("\"holds\": [{\"from\": \"2026-06-10T00:00:00Z\", \"until\": \"2026-06-10T00:00:00Z\"}]"));
	put11("p11-bad-hold-fast-no-path.json", timing("\"holds\": [" HOLD("true") "]"));
	put11("p11-bad-hold-fast-string.json", timing("\"holds\": [" HOLD("\"yes\"") "]" FAST));
	put11("p11-bad-holds-empty.json", timing("\"holds\": []"));
	put11("p11-bad-fast-empty.json", timing("\"holds\": [" HOLD("false") "], \"fast_path\": {\"require\": []}"));
	put11("p11-bad-fast-vendor.json", timing("\"holds\": [" HOLD("false") "], \"fast_path\": {\"require\": [\"vendor\", \"security\"]}"));
	put11("p11-bad-fast-inside-require.json", timing("\"holds\": [" HOLD("false") "], \"fast_path\": {\"require\": [\"auditor\"]}"));
	put11("p11-fast-owner.json", timing("\"holds\": [" HOLD("false") "], \"fast_path\": {\"require\": [\"owner\"]}"));
	/* version 1 with a member of 1.1: malformed, fails closed */
	pol_bad("policy-v1-issued.json", "\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"issued\": \"" ISSUED "\"");
	pol_bad("policy-v1-forbidden.json", "\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"forbidden_features\": [\"telemetry\"]");
	pol_bad("policy-v1-timing.json", "\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"timing\": {\"windows\": [" W_NIGHT "]}");
	pol_bad("policy-v1-rollback-requires.json", "\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"rollback_requires\": [\"owner\"]");
	pol_bad("policy-v1-floor-reset.json", "\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"time_floor_reset\": true");
}

static void gen_updates11(void)
{
	const char *F4 = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\"]";
	upd u = upd_base();
	update("u11-owner.json", U1, VAO);
	u.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\", \"telemetry\", \"egress:cloud.acme.com\", \"egressx\"]";
	update("u11-telemetry.json", upd_text(&u), VA);
	update("u11-telemetry-owner.json", upd_text(&u), VAO);
	u.features = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\", \"telemetry\"]";
	update("u11-sec-telemetry.json", upd_text(&u), VAS);
	u.features = F4;
	u.counter = "30";
	update("u11-counter30.json", upd_text(&u), VA);
	update("u11-counter30-owner.json", upd_text(&u), VAO);
	u.counter = "42";
	u.model = "thermo-3";
	update("u11-sec-model.json", upd_text(&u), VAS);
	u.model = "thermo-2";
	update("u11-sec-vendor-only.json", U1, SIGNERS(&vendor1, &sec1));
	u.image = image_obj(IMAGE_SIZE, img_sha, NULL);
	update("u11-sec-sha256-only.json", upd_text(&u), VAS);
	u.image = image_obj(IMAGE_SIZE, img_sha, img_b2);
	u.removes = "[]";
	update("u11-sec-removes-empty.json", upd_text(&u), VAS);
	u.removes = "[\"zigbee\"]";
	update("u11-sec-removes-zigbee.json", upd_text(&u), VAS);
	u.removes = NULL;
	update("u11-owner-sec.json", U1, SIGNERS(&vendor1, &aud1, &aud2, &sec1, &owner1));
}

/* A veto.state/1.1: state_text's members, then the three of 1.1. */
static char *state11(const char *policy_env, const char *policy_sha, const char *serial,
                     const char *counter, const char *usha, const char *floor, const char *max,
                     const char *revs)
{
	const char *F4 = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\"]";
	char *s = state_text(A1, policy_env, serial, policy_sha, counter, usha, F4);
	s = replace1(s, "veto.state/1\"", "veto.state/1.1\"");
	s[strlen(s) - 1] = '\0'; /* the closing brace */
	return str("%s,\n \"time_floor\": %s, \"counter_max\": %s,\n \"revocations\": %s}", s,
	           floor ? str("\"%s\"", floor) : "null", max, revs);
}

static void gen_states11(void)
{
	const char *F4 = "[\"local-control\", \"works-with-nest@1.2\", \"zigbee\", \"matter@1.3\"]";
	const char *sha = sha_hex(P11), *d1 = sha_hex("one"), *d2 = sha_hex("two");
	const char *lo = strcmp(d1, d2) < 0 ? d1 : d2, *hi = lo == d1 ? d2 : d1;
	const char *F = "2026-05-20T00:00:00Z";
	put("s11-floor.json", state11(P11env, sha, "1", "41", NULL, F, "41", "{}"));
	put("s11-null-floor.json", state11(NULL, NULL, NULL, "41", NULL, NULL, "41", "{}"));
	{
		pol q = pol11("1", ISSUED, ", \"rollback_requires\": [\"owner\"]");
		char *t = pol_text(&q);
		put("s11-max50.json", state11(penv(t, SIGNERS(&owner1)), sha_hex(t), "1", "30", NULL, ISSUED, "50", "{}"));
	}
	put("s11-revocations.json", state11(NULL, NULL, NULL, "41", NULL, NULL, "41",
	                                    str("{\"auditor\": {\"updates\": [\"%s\", \"%s\"], \"keys\": [\"%s\"]}}", lo, hi, stranger.id)));
	put("s11-bad-revocations-unsorted.json", state11(NULL, NULL, NULL, "41", NULL, NULL, "41",
	                                    str("{\"auditor\": {\"updates\": [\"%s\", \"%s\"], \"keys\": []}}", hi, lo)));
	put("s11-bad-revocations-dup.json", state11(NULL, NULL, NULL, "41", NULL, NULL, "41",
	                                    str("{\"auditor\": {\"updates\": [\"%s\", \"%s\"], \"keys\": []}}", lo, lo)));
	put("s11-bad-revocations-role.json", state11(NULL, NULL, NULL, "41", NULL, NULL, "41",
	                                    "{\"Auditor\": {\"updates\": [], \"keys\": []}}"));
	put("s11-bad-revocations-no-keys.json", state11(NULL, NULL, NULL, "41", NULL, NULL, "41",
	                                    "{\"auditor\": {\"updates\": []}}"));
	put("s11-bad-max-below.json", state11(NULL, NULL, NULL, "41", NULL, NULL, "40", "{}"));
	put("s11-bad-floor.json", state11(NULL, NULL, NULL, "41", NULL, "2026-05-20", "41", "{}"));
	put("s11-bad-missing-max.json", replace1(state11(NULL, NULL, NULL, "41", NULL, NULL, "41", "{}"), ", \"counter_max\": 41", ""));
	put("s11-bad-missing-revocations.json", replace1(state11(NULL, NULL, NULL, "41", NULL, NULL, "41", "{}"), ",\n \"revocations\": {}", ""));
	put("s11-bad-v1-with-floor.json", replace1(state11(NULL, NULL, NULL, "41", NULL, NULL, "41", "{}"), "veto.state/1.1", "veto.state/1"));
	put("s11-bad-v1-holds-p11.json", state_text(A1, P11env, "1", sha, "41", NULL, F4));
	put("s11-u1-installed.json", state_text(A1, NULL, NULL, NULL, "42", sha_hex(U1), F4));
}

/* ---- (1.1) revocations (SPEC 5.3) ------------------------------------------------ */

static char *list1(const char *item)
{
	return str("[\"%s\"]", item);
}

static char *rev_text(const char *model, const char *issuer, const char *updates, const char *keys)
{
	return str("{\"format\": \"veto.revocation/1\", \"device\": {\"vendor\": \"acme\", "
	           "\"model\": \"%s\"}, \"role\": \"%s\", \"updates\": %s, \"keys\": %s}",
	           model, issuer, updates, keys);
}

static void revocation(const char *name, const char *payload, const key *const *signers)
{
	put(name, env(T_REVOCATION, payload, signers));
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sorted JSON list of n made-up digests or keyids ("<what> <i>" hashed). */
static char *made_up(const char *what, size_t n)
{
	const char **items = xmalloc(n * sizeof(*items));
	for (size_t i = 0; i < n; i++)
		items[i] = sha_hex(str("%s %zu", what, i));
	qsort(items, n, sizeof(*items), by_text);
	char *s = dup_str("");
	for (size_t i = 0; i < n; i++)
		s = str("%s%s\"%s\"", s, i ? ", " : "", items[i]);
	return str("[%s]", s);
}

/* The policies: p11 with revocation_roles, its successors, and one whose
 * auditors include the owner's key. */
static char *gen_rev_policies(void)
{
	const char *both = ", \"revocation_roles\": [\"auditor\", \"vendor\"]";
	const char *u1 = sha_hex(U1);
	pol p = pol11("1", ISSUED, both);
	char *text = pol_text(&p);
	policy("p11-rev.json", text, SIGNERS(&owner1));
	p = pol11("2", ISSUED, ", \"revocation_roles\": [\"auditor\"]");
	policy("p11-rev-auditors.json", pol_text(&p), SIGNERS(&owner1));
	p = pol11("2", ISSUED, str("%s, \"reinstate\": {\"updates\": %s, \"keys\": %s}", both,
	                            list1(u1), list1(aud1.id)));
	policy("p11-rev-reinstate.json", pol_text(&p), SIGNERS(&owner1));
	p = pol11("1", ISSUED, str("%s, \"revoked_updates\": %s", both, list1(u1)));
	policy("p11-rev-revoked-u1.json", pol_text(&p), SIGNERS(&owner1));
	p = pol11("1", ISSUED, both);
	p.roles[2] = (role){"auditor", {&aud1, &aud2, &owner1}, 3, 2};
	policy("p11-rev-owner-auditor.json", pol_text(&p), SIGNERS(&owner1));
	return text;
}

/* States trusting p11-rev.json (serial 1), with revocations stored. */
static void gen_rev_states(const char *p11rev)
{
	const char *env = penv(p11rev, SIGNERS(&owner1)), *sha = sha_hex(p11rev);
#define REV_STATE(name, revs) put(name, state11(env, sha, "1", "41", NULL, ISSUED, "41", revs))
	REV_STATE("s11-rev.json", "{}");
	REV_STATE("s11-rev-u1.json", str("{\"auditor\": {\"updates\": %s, \"keys\": []}}", list1(sha_hex(U1))));
	REV_STATE("s11-rev-aud1.json", str("{\"auditor\": {\"updates\": [], \"keys\": %s}}", list1(aud1.id)));
	REV_STATE("s11-rev-vendor1.json", str("{\"vendor\": {\"updates\": [], \"keys\": %s}}", list1(vendor1.id)));
	REV_STATE("s11-rev-1023.json", str("{\"auditor\": {\"updates\": %s, \"keys\": []}}", made_up("filler", 1023)));
	REV_STATE("s11-rev-1024.json", str("{\"auditor\": {\"updates\": %s, \"keys\": []}}", made_up("filler", 1024)));
	REV_STATE("s11-rev-keys-255.json", str("{\"auditor\": {\"updates\": [], \"keys\": %s}}", made_up("keyid", 255)));
	REV_STATE("s11-rev-keys-256.json", str("{\"auditor\": {\"updates\": [], \"keys\": %s}}", made_up("keyid", 256)));
#undef REV_STATE
}

/* The revocations: valid ones, and each rule of SPEC 5.3 broken once. */
static void gen_revocations11(void)
{
	const char *u1 = list1(sha_hex(U1)), *other = list1(sha_hex("another release"));
	gen_rev_states(gen_rev_policies());
	revocation("r11-u1.json", rev_text("thermo-2", "auditor", u1, "[]"), SIGNERS(&aud1, &aud2));
	revocation("r11-u1-aud2-aud3.json", rev_text("thermo-2", "auditor", u1, "[]"), SIGNERS(&aud2, &aud3));
	revocation("r11-u1-aud1-aud3.json", rev_text("thermo-2", "auditor", u1, "[]"), SIGNERS(&aud1, &aud3));
	revocation("r11-u1-by-vendor2.json", rev_text("thermo-2", "vendor", u1, "[]"), SIGNERS(&vendor2));
	revocation("r11-other.json", rev_text("thermo-2", "auditor", other, "[]"), SIGNERS(&aud1, &aud3));
	revocation("r11-filler-0.json", rev_text("thermo-2", "auditor", list1(sha_hex("filler 0")), "[]"),
	           SIGNERS(&aud1, &aud2));
	revocation("r11-aud1-self.json", rev_text("thermo-2", "auditor", "[]", list1(aud1.id)), SIGNERS(&aud1, &aud2));
	revocation("r11-aud2-self.json", rev_text("thermo-2", "auditor", "[]", list1(aud2.id)), SIGNERS(&aud2, &aud3));
	revocation("r11-vendor1-self.json", rev_text("thermo-2", "vendor", "[]", list1(vendor1.id)), SIGNERS(&vendor1));
	revocation("r11-aud1-by-owner.json", rev_text("thermo-2", "auditor", "[]", list1(aud1.id)),
	           SIGNERS(&owner1, &aud1));
	/* malformed (signed, so read), type, untrusted, role, device, key, threshold */
	revocation("r11-bad-member.json",
	           replace1(rev_text("thermo-2", "auditor", u1, "[]"), "\"keys\": []", "\"keys\": [], \"reason\": \"leak\""),
	           SIGNERS(&aud1, &aud2));
	revocation("r11-bad-keyid.json", rev_text("thermo-2", "auditor", "[]", "[\"ABC\"]"), SIGNERS(&aud1, &aud2));
	revocation("r11-bad-dup.json", rev_text("thermo-2", "auditor", str("[%s, %s]", u1 + 1, u1 + 1), "[]"),
	           SIGNERS(&aud1, &aud2));
	put("r11-type-update.json", env(T_UPDATE, rev_text("thermo-2", "auditor", u1, "[]"), SIGNERS(&aud1, &aud2)));
	revocation("r11-by-stranger.json", rev_text("thermo-2", "auditor", u1, "[]"), SIGNERS(&stranger));
	revocation("r11-by-owner.json", rev_text("thermo-2", "auditor", u1, "[]"), SIGNERS(&owner1));
	revocation("r11-by-security.json", rev_text("thermo-2", "security", u1, "[]"), SIGNERS(&sec1));
	revocation("r11-role-owner.json", rev_text("thermo-2", "owner", u1, "[]"), SIGNERS(&aud1, &aud2));
	revocation("r11-role-security.json", rev_text("thermo-2", "security", u1, "[]"), SIGNERS(&aud1, &aud2));
	revocation("r11-device.json", rev_text("thermo-3", "auditor", u1, "[]"), SIGNERS(&aud1, &aud2));
	revocation("r11-thief.json", rev_text("thermo-2", "auditor", "[]", list1(aud3.id)), SIGNERS(&aud1, &aud2));
	revocation("r11-key-vendor.json", rev_text("thermo-2", "auditor", "[]", list1(vendor1.id)),
	           SIGNERS(&aud1, &aud2, &vendor1));
	revocation("r11-owner-key.json", rev_text("thermo-2", "auditor", "[]", list1(owner1.id)),
	           SIGNERS(&owner1, &aud1));
	revocation("r11-threshold.json", rev_text("thermo-2", "auditor", u1, "[]"), SIGNERS(&aud1));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen OUTDIR   (e.g. build-vec/tests/vectors/gen tests/vectors/cases)\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0755) != 0 && errno != EEXIST)
		die("%s: %s", outdir, strerror(errno));
	if (sodium_init() < 0 || veto_init() != VETO_OK)
		die("cannot initialise libsodium");
	make_keys();
	make_image();
	gen_key_files();
	gen_anchors();
	gen_policies();
	gen_updates();
	gen_envelopes();
	gen_states();
	gen_policies11();
	gen_updates11();
	gen_states11();
	gen_revocations11();
	printf("gen: wrote %zu files to %s\n", n_written, outdir);
	arena_free();
	return 0;
}
