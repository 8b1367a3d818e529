/* SPDX-License-Identifier: Apache-2.0 */
#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "crypto.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((cr_hash *)0)->sha256),
               "cr_hash.sha256 too small");
_Static_assert(_Alignof(crypto_hash_sha256_state) <= _Alignof(uint64_t),
               "cr_hash.sha256 under-aligned");
_Static_assert(sizeof(crypto_generichash_state) + _Alignof(crypto_generichash_state) - 1 <=
                   sizeof(((cr_hash *)0)->blake2b),
               "cr_hash.blake2b too small");

static crypto_hash_sha256_state *sha_state(cr_hash *h)
{
	return (crypto_hash_sha256_state *)(void *)h->sha256;
}

/* The BLAKE2b state at the first suitably aligned byte of its slack. */
static crypto_generichash_state *b2_state(cr_hash *h)
{
	const uintptr_t a = _Alignof(crypto_generichash_state);
	uintptr_t p = ((uintptr_t)h->blake2b + a - 1) & ~(a - 1);
	return (crypto_generichash_state *)p; /* NOLINT(performance-no-int-to-ptr): alignment within the slack */
}
_Static_assert(crypto_sign_PUBLICKEYBYTES == 32, "Ed25519 public key size");
_Static_assert(crypto_sign_BYTES == 64, "Ed25519 signature size");
_Static_assert(crypto_sign_SEEDBYTES == 32, "Ed25519 seed size");

veto_status veto__cr_init(void)
{
	/* sodium_init is thread-safe and returns 1 when already done. */
	return sodium_init() < 0 ? VETO_E_CRYPTO : VETO_OK;
}

/* The y-coordinates of the eight points of small order, as canonical
 * little-endian encodings with the sign bit clear: 0 (order 4), 1 (order
 * 1), p-1 (order 2) and the two of order 8 (their sum is p).
 * tests/unit checks that each has an order dividing 8. */
static const uint8_t small_order_y[5][32] = {
    {0},
    {1},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0x7f},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
     0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
     0xfc, 0x05},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
     0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
     0x03, 0x7a},
};

/* y < p = 2^255 - 19, the sign bit (x's parity) aside. */
static bool y_canonical(const uint8_t pk[32])
{
	if ((pk[31] & 0x7f) != 0x7f)
		return true;
	for (int i = 30; i > 0; i--)
		if (pk[i] != 0xff)
			return true;
	return pk[0] < 0xed;
}

/*
 * Just enough arithmetic modulo p = 2^255 - 19 to tell whether a y is the
 * y-coordinate of a point, with nothing from libsodium but what its
 * --enable-minimal build has (a firmware links no more).  An element is 16
 * limbs of 16 bits, little-endian; fe_mul takes limbs below 2^17.  Keys are
 * public: nothing here needs to run in constant time.
 */
typedef struct fe {
	uint32_t l[16];
} fe;

/* Carries limb to limb without wrapping: the top limb keeps the excess. */
static void fe_ripple(uint64_t t[16])
{
	for (int i = 0; i < 15; i++) {
		t[i + 1] += t[i] >> 16;
		t[i] &= 0xffff;
	}
}

/* Folds what lies above bit 255 back in (2^255 = 19 mod p), until the
 * value is below 2^255, then subtracts p once if it is still >= p. */
static void fe_canonical(fe *out, uint64_t t[16])
{
	uint64_t s[16];
	do {
		fe_ripple(t);
		uint64_t top = t[15] >> 15;
		t[15] &= 0x7fff;
		t[0] += 19 * top;
	} while (t[0] >> 16);
	memcpy(s, t, sizeof s);
	s[0] += 19; /* a >= p exactly when a + 19 reaches 2^255 */
	fe_ripple(s);
	const uint64_t *r = (s[15] >> 15) ? s : t; /* s less its bit 255 is a - p */
	for (int i = 0; i < 16; i++)
		out->l[i] = (uint32_t)(r[i] & (i < 15 ? 0xffff : 0x7fff));
}

/* out = a b + k, canonical. */
static void fe_mul_add(fe *out, const fe *a, const fe *b, uint32_t k)
{
	uint64_t t[31] = {0};
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++)
			t[i + j] += (uint64_t)a->l[i] * b->l[j];
	for (int i = 0; i < 15; i++)
		t[i] += 38 * t[i + 16]; /* 2^256 = 38 (mod p) */
	t[0] += k;
	fe_canonical(out, t);
}

static void fe_from_bytes(fe *a, const uint8_t b[32])
{
	for (int i = 0; i < 16; i++)
		a->l[i] = (uint32_t)b[2 * i] | (uint32_t)b[2 * i + 1] << 8;
}

/* A canonical a as eight 32-bit words. */
typedef struct u256 {
	uint32_t w[8];
} u256;

static u256 fe_words(const fe *a)
{
	u256 r;
	for (int i = 0; i < 8; i++)
		r.w[i] = a->l[2 * i] | a->l[2 * i + 1] << 16;
	return r;
}

static bool u256_is(const u256 *a, uint32_t v)
{
	uint32_t acc = a->w[0] ^ v;
	for (int i = 1; i < 8; i++)
		acc |= a->w[i];
	return acc == 0;
}

static bool u256_less(const u256 *a, const u256 *b)
{
	for (int i = 7; i >= 0; i--)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i];
	return false;
}

/* a -= b, for a >= b */
static void u256_sub(u256 *a, const u256 *b)
{
	uint32_t borrow = 0;
	for (int i = 0; i < 8; i++) {
		uint64_t d = (uint64_t)a->w[i] - b->w[i] - borrow;
		a->w[i] = (uint32_t)d;
		borrow = (uint32_t)(d >> 63);
	}
}

static void u256_half(u256 *a)
{
	for (int i = 0; i < 7; i++)
		a->w[i] = a->w[i] >> 1 | a->w[i + 1] << 31;
	a->w[7] >>= 1;
}

/*
 * The Jacobi symbol (a/n) for an odd n > a, by the binary algorithm: only
 * halvings (each flips the sign when n = 3 or 5 mod 8), swaps (quadratic
 * reciprocity: a flip when both are 3 mod 4) and subtractions.  For the
 * prime p it is Legendre's symbol: 1 for a square, -1 for a non-square.
 * A few hundred steps of 8-word arithmetic: far cheaper than an
 * exponentiation on a small CPU.
 */
static int jacobi(u256 a, u256 n)
{
	int sign = 1;
	while (!u256_is(&a, 0)) {
		while ((a.w[0] & 1) == 0) {
			u256_half(&a);
			uint32_t r = n.w[0] & 7;
			if (r == 3 || r == 5)
				sign = -sign;
		}
		if (u256_less(&a, &n)) {
			u256 t = a;
			a = n;
			n = t;
			if ((a.w[0] & 3) == 3 && (n.w[0] & 3) == 3)
				sign = -sign;
		}
		u256_sub(&a, &n); /* both odd: the difference is even */
	}
	return u256_is(&n, 1) ? sign : 0;
}

/* The curve's d = -121665/121666, canonical little-endian. */
static const uint8_t curve_d[32] = {
    0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70,
    0x00, 0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c,
    0x03, 0x52,
};

/*
 * Some x has x^2 = u / v, with u = y^2 - 1 and v = d y^2 + 1 (never zero:
 * -1/d is not a square), exactly when u/v is a square, that is when u and v
 * have the same Legendre symbol.  u is not zero: y = +-1 is refused before.
 */
static bool y_on_curve(const uint8_t y_bytes[32])
{
	static const u256 p = {{0xffffffed, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
	                        0xffffffff, 0xffffffff, 0x7fffffff}};
	static const u256 one = {{1}};
	fe y, d, y2, v;
	fe_from_bytes(&y, y_bytes);
	fe_from_bytes(&d, curve_d);
	fe_mul_add(&y2, &y, &y, 0);
	fe_mul_add(&v, &d, &y2, 1);
	u256 uw = fe_words(&y2);
	u256_sub(&uw, &one); /* y^2 is canonical and not zero */
	return jacobi(uw, p) == jacobi(fe_words(&v), p);
}

bool veto__cr_key_valid(const uint8_t pk[32])
{
	uint8_t y[32];
	if (!y_canonical(pk))
		return false;
	memcpy(y, pk, 32);
	y[31] &= 0x7f;
	for (size_t i = 0; i < sizeof(small_order_y) / sizeof(small_order_y[0]); i++)
		if (memcmp(y, small_order_y[i], 32) == 0)
			return false;
	/* On the curve, checked with the field arithmetic above.  Every y left
	 * here has x != 0, so both signs of x name a point: the sign bit needs
	 * no check. */
	return y_on_curve(y);
}

bool veto__cr_verify(const uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t pk[32])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}

veto_status veto__cr_sign(uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t seed[32])
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	int rc = crypto_sign_seed_keypair(pk, sk, seed);
	if (rc == 0)
		rc = crypto_sign_detached(sig, NULL, msg, len, sk);
	sodium_memzero(sk, sizeof(sk));
	return rc == 0 ? VETO_OK : VETO_E_CRYPTO;
}

veto_status veto__cr_public_from_seed(uint8_t pk[32], const uint8_t seed[32])
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	int rc = crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(sk, sizeof(sk));
	return rc == 0 ? VETO_OK : VETO_E_CRYPTO;
}

veto_status veto__cr_random_seed(uint8_t seed[32])
{
	randombytes_buf(seed, 32);
	return VETO_OK;
}

_Static_assert(crypto_pwhash_SALTBYTES == CR_SALTBYTES, "Argon2 salt size");
_Static_assert(crypto_secretbox_NONCEBYTES == CR_NONCEBYTES, "secretbox nonce size");
_Static_assert(crypto_secretbox_MACBYTES + 32 == CR_BOXBYTES, "secretbox of a seed");
_Static_assert(crypto_secretbox_KEYBYTES == 32, "secretbox key size");

veto_status veto__cr_pwhash(uint8_t key[32], const uint8_t *pass, size_t pass_len,
                      const uint8_t salt[CR_SALTBYTES], uint64_t ops, size_t mem)
{
	/* crypto_pwhash fails only when it cannot allocate mem (the bounds
	 * were checked by the caller, inside libsodium's own). */
	if (crypto_pwhash(key, 32, (const char *)pass, pass_len, salt, ops, mem,
	                  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_memzero(key, 32);
		return VETO_E_NOMEM;
	}
	return VETO_OK;
}

void veto__cr_box_seal(uint8_t box[CR_BOXBYTES], const uint8_t msg[32],
                 const uint8_t nonce[CR_NONCEBYTES], const uint8_t key[32])
{
	(void)crypto_secretbox_easy(box, msg, 32, nonce, key);
}

bool veto__cr_box_open(uint8_t msg[32], const uint8_t box[CR_BOXBYTES],
                 const uint8_t nonce[CR_NONCEBYTES], const uint8_t key[32])
{
	if (crypto_secretbox_open_easy(msg, box, CR_BOXBYTES, nonce, key) == 0)
		return true;
	sodium_memzero(msg, 32);
	return false;
}

uint64_t veto__cr_pwhash_ops_interactive(void)
{
	return crypto_pwhash_OPSLIMIT_INTERACTIVE;
}

size_t veto__cr_pwhash_mem_interactive(void)
{
	return crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

void veto__cr_random(uint8_t *out, size_t n)
{
	randombytes_buf(out, n);
}

void veto__cr_sha256(uint8_t out[32], const uint8_t *data, size_t len)
{
	crypto_hash_sha256(out, data, len);
}

void veto__cr_hash_init(cr_hash *h, bool sha256, bool blake2b)
{
	h->use_sha256 = sha256;
	h->use_blake2b = blake2b;
	if (sha256)
		crypto_hash_sha256_init(sha_state(h));
	if (blake2b)
		crypto_generichash_init(b2_state(h), NULL, 0, 32);
}

void veto__cr_hash_update(cr_hash *h, const uint8_t *data, size_t len)
{
	if (h->use_sha256)
		crypto_hash_sha256_update(sha_state(h), data, len);
	if (h->use_blake2b)
		crypto_generichash_update(b2_state(h), data, len);
}

void veto__cr_hash_final(cr_hash *h, uint8_t sha256[32], uint8_t blake2b[32])
{
	if (h->use_sha256)
		crypto_hash_sha256_final(sha_state(h), sha256);
	if (h->use_blake2b)
		crypto_generichash_final(b2_state(h), blake2b, 32);
	sodium_memzero(h, sizeof(*h));
}

/* 1 when c (0..255) lies in lo..hi, without a branch on c. */
static unsigned ct_in(unsigned c, unsigned lo, unsigned hi)
{
	return (((c - lo) | (hi - c)) >> 31) ^ 1U;
}

/* Which alphabet and whether padded; -1 when both alphabets appear.  No
 * branch on the bytes: it also reads seeds. */
static bool b64_shape(const char *s, size_t slen, bool *url, bool *padded)
{
	unsigned std = 0, u = 0, pad = 0;
	for (size_t i = 0; i < slen; i++) {
		unsigned c = (unsigned char)s[i];
		std |= ct_in(c, '+', '+') | ct_in(c, '/', '/');
		u |= ct_in(c, '-', '-') | ct_in(c, '_', '_');
		pad |= ct_in(c, '=', '=');
	}
	*url = u != 0;
	*padded = pad != 0;
	return (std & u) == 0;
}

/* Every byte is of the alphabet or '=', without a branch on the bytes (a
 * seed's characters must not show in timing).  libsodium's decoder alone
 * lets some bytes above 0x7f through. */
static bool ct_alphabet(const char *s, size_t slen, bool url)
{
	unsigned bad = 0;
	const unsigned c62 = url ? '-' : '+', c63 = url ? '_' : '/';
	for (size_t i = 0; i < slen; i++) {
		unsigned c = (unsigned char)s[i];
		unsigned ok = ct_in(c, 'A', 'Z') | ct_in(c, 'a', 'z') | ct_in(c, '0', '9') |
		              ct_in(c, c62, c62) | ct_in(c, c63, c63) | ct_in(c, '=', '=');
		bad |= ok ^ 1U;
	}
	return bad == 0;
}

veto_status veto__cr_b64_decode_secret(uint8_t *out, size_t cap, size_t *out_len, const char *s,
                                 size_t slen)
{
	bool url, padded;
	if (!b64_shape(s, slen, &url, &padded))
		return VETO_E_MALFORMED; /* one alphabet per string */
	if (!ct_alphabet(s, slen, url))
		return VETO_E_MALFORMED;
	int variant = url ? (padded ? sodium_base64_VARIANT_URLSAFE
	                            : sodium_base64_VARIANT_URLSAFE_NO_PADDING)
	                  : (padded ? sodium_base64_VARIANT_ORIGINAL
	                            : sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	const char *end = NULL;
	size_t n = 0;
	/* No characters to ignore: whitespace is malformed.  libsodium also
	 * rejects non-zero unused bits and incomplete padding. */
	if (sodium_base642bin(out, cap, s, slen, NULL, &n, &end, variant) != 0)
		return VETO_E_MALFORMED;
	if (end != s + slen)
		return VETO_E_MALFORMED;
	*out_len = n;
	return VETO_OK;
}

/* Public base64 (keys, signatures, payloads) is decoded by table, in one
 * pass: each entry holds the character's value + 1 (0: not base64) and
 * which alphabet it belongs to alone ('+' '/' standard, '-' '_' URL-safe);
 * a string that mixes the two is refused after the loop.  Secret base64
 * takes veto__cr_b64_decode_secret's constant-time path instead. */
#define B64_STD 0x100
#define B64_URL 0x200
static const uint16_t b64_table[256] = {
    ['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7, ['H'] = 8,
    ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15,
    ['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
    ['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29,
    ['d'] = 30, ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
    ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42, ['q'] = 43,
    ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49, ['x'] = 50,
    ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
    ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63 | B64_STD,
    ['/'] = 64 | B64_STD, ['-'] = 63 | B64_URL, ['_'] = 64 | B64_URL,
};

/* The value of c (-1: not base64); *seen collects the alphabets met. */
static int b64_value(char c, unsigned *seen)
{
	unsigned t = b64_table[(unsigned char)c];
	*seen |= t;
	return (int)(t & 0xff) - 1;
}

veto_status veto__cr_b64_decode(uint8_t *out, size_t cap, size_t *out_len, const char *s, size_t slen)
{
	size_t n = slen, pad = 0;
	unsigned seen = 0;
	while (pad < 2 && n > 0 && s[n - 1] == '=')
		n--, pad++;
	size_t rem = n % 4;
	/* Padding absent, or exactly what completes the last group. */
	if (rem == 1 || (pad && pad != 4 - rem))
		return VETO_E_MALFORMED;
	size_t need = n / 4 * 3 + (rem ? rem - 1 : 0);
	if (need > cap)
		return VETO_E_MALFORMED;
	size_t o = 0, i = 0;
	for (; i + 4 <= n; i += 4) {
		int a = b64_value(s[i], &seen), b = b64_value(s[i + 1], &seen);
		int c = b64_value(s[i + 2], &seen), d = b64_value(s[i + 3], &seen);
		if ((a | b | c | d) < 0)
			return VETO_E_MALFORMED;
		uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
		out[o++] = (uint8_t)(v >> 16);
		out[o++] = (uint8_t)(v >> 8);
		out[o++] = (uint8_t)v;
	}
	if (rem) {
		int a = b64_value(s[i], &seen), b = b64_value(s[i + 1], &seen);
		int c = rem == 3 ? b64_value(s[i + 2], &seen) : 0;
		if ((a | b | c) < 0)
			return VETO_E_MALFORMED;
		/* The bits past the last whole byte must be zero. */
		if ((rem == 2 && (b & 0x0f)) || (rem == 3 && (c & 0x03)))
			return VETO_E_MALFORMED;
		out[o++] = (uint8_t)(a << 2 | b >> 4);
		if (rem == 3)
			out[o++] = (uint8_t)((b & 0x0f) << 4 | c >> 2);
	}
	if ((seen & (B64_STD | B64_URL)) == (B64_STD | B64_URL))
		return VETO_E_MALFORMED; /* one alphabet per string */
	*out_len = o;
	return VETO_OK;
}

size_t veto__cr_b64_encoded_len(size_t n)
{
	if (n > (SIZE_MAX - 4) / 4 * 3 - 3)
		return 0;
	return sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
}

void veto__cr_b64_encode(char *out, size_t cap, const uint8_t *in, size_t n)
{
	sodium_bin2base64(out, cap, in, n, sodium_base64_VARIANT_ORIGINAL);
}

bool veto__cr_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void veto__cr_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}
