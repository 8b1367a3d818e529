/* SPDX-License-Identifier: Apache-2.0 */
/* Everything veto asks of libsodium, behind one small header, so that the
 * rest of the library never includes <sodium.h>. */
#ifndef VETO_CRYPTO_H
#define VETO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "veto.h"

/* VETO_OK when libsodium is ready, else VETO_E_CRYPTO. */
veto_status veto__cr_init(void);

/* Whether pk is what the contract calls a well-formed key: a canonical
 * encoding of a point on the curve that is not of small order. */
bool veto__cr_key_valid(const uint8_t pk[32]);
/* Whether sig is a valid Ed25519 signature of msg by pk. */
bool veto__cr_verify(const uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t pk[32]);
/* Signs with the key expanded from seed; the expanded key is wiped.  These
 * three return VETO_OK or VETO_E_CRYPTO. */
veto_status veto__cr_sign(uint8_t sig[64], const uint8_t *msg, size_t len, const uint8_t seed[32]);
veto_status veto__cr_public_from_seed(uint8_t pk[32], const uint8_t seed[32]);
veto_status veto__cr_random_seed(uint8_t seed[32]);

/* (1.1) Encrypted key files.  Argon2id13 (crypto_pwhash) of pass into a
 * 32-byte key: VETO_OK, or VETO_E_NOMEM when libsodium cannot have the
 * memory (the caller has checked ops and mem against its bounds).  The
 * box is crypto_secretbox_easy (XSalsa20-Poly1305) of a 32-byte message;
 * veto__cr_box_open is false when the tag does not verify (a wrong key). */
#define CR_SALTBYTES 16U
#define CR_NONCEBYTES 24U
#define CR_BOXBYTES 48U
veto_status veto__cr_pwhash(uint8_t key[32], const uint8_t *pass, size_t pass_len,
                      const uint8_t salt[CR_SALTBYTES], uint64_t ops, size_t mem);
void veto__cr_box_seal(uint8_t box[CR_BOXBYTES], const uint8_t msg[32],
                 const uint8_t nonce[CR_NONCEBYTES], const uint8_t key[32]);
bool veto__cr_box_open(uint8_t msg[32], const uint8_t box[CR_BOXBYTES],
                 const uint8_t nonce[CR_NONCEBYTES], const uint8_t key[32]);
/* libsodium's INTERACTIVE parameters, the least a writer uses. */
uint64_t veto__cr_pwhash_ops_interactive(void);
size_t veto__cr_pwhash_mem_interactive(void);
/* n random bytes (salts, nonces). */
void veto__cr_random(uint8_t *out, size_t n);

void veto__cr_sha256(uint8_t out[32], const uint8_t *data, size_t len);

/* Streaming image hash: SHA-256 and/or unkeyed BLAKE2b-256.  The states are
 * kept as bytes here; crypto.c checks they are large enough.  libsodium wants
 * the BLAKE2b state 64-byte aligned, more than any allocator promises (a
 * cr_hash lives in a heap object), so it is aligned inside its slack at use;
 * a cr_hash must not move between init and final. */
typedef struct cr_hash {
	uint64_t sha256[16];
	unsigned char blake2b[384 + 63];
	bool use_sha256;
	bool use_blake2b;
} cr_hash;

void veto__cr_hash_init(cr_hash *h, bool sha256, bool blake2b);
void veto__cr_hash_update(cr_hash *h, const uint8_t *data, size_t len);
void veto__cr_hash_final(cr_hash *h, uint8_t sha256[32], uint8_t blake2b[32]);

/* Strict base64 of the contract: standard or URL-safe alphabet (one per
 * string), padding absent or complete, unused bits zero, no whitespace.
 * VETO_OK and *out_len on success; VETO_E_MALFORMED when malformed or
 * longer than cap.
 * For public data (payloads, signatures, keys): its time depends on the
 * input.  Secrets go through veto__cr_b64_decode_secret, libsodium's
 * constant-time decoder, with the same rules. */
veto_status veto__cr_b64_decode(uint8_t *out, size_t cap, size_t *out_len, const char *s, size_t slen);
veto_status veto__cr_b64_decode_secret(uint8_t *out, size_t cap, size_t *out_len, const char *s,
                                 size_t slen);
/* Bytes needed to encode n bytes, including the NUL; 0 on overflow. */
size_t veto__cr_b64_encoded_len(size_t n);
/* Standard alphabet with padding; cap from veto__cr_b64_encoded_len. */
void veto__cr_b64_encode(char *out, size_t cap, const uint8_t *in, size_t n);

/* Constant-time equality of n bytes. */
bool veto__cr_equal(const void *a, const void *b, size_t n);
void veto__cr_wipe(void *p, size_t n);

#endif
