/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bad_keys.h - the one list of 32-byte Ed25519 public key encodings that
 * every reader must refuse (SPEC section 2: small order, not canonical, not
 * a point), and the two odd-looking encodings it must accept.  The unit
 * suites loop over it and the vector generator (tests/vectors/gen.c) writes
 * its key files, anchors and policies from it, so the shell tests that read
 * those files use the same list.  A new bad key goes here, and every suite
 * that loops over the list tries it.
 */
#ifndef VETO_TEST_BAD_KEYS_H
#define VETO_TEST_BAD_KEYS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct tw_key_case {
	const char *name; /* short, for messages and for gen.c to pick one */
	const char *hex;  /* the 32 bytes, lowercase hex */
} tw_key_case;

#define TW_BAD_KEY_COUNT 13
extern const tw_key_case tw_bad_keys[TW_BAD_KEY_COUNT];

/* On the curve, canonical, of large order outside the prime-order subgroup:
 * well formed as SPEC section 2 defines it, so they must be accepted. */
#define TW_ODD_GOOD_KEY_COUNT 2
extern const tw_key_case tw_odd_good_keys[TW_ODD_GOOD_KEY_COUNT];

/* The 32 bytes of hex (64 hex digits); false when it is not that. */
bool tw_key_bytes(uint8_t pk[32], const char *hex);

/* The entry of either list with this name, or NULL. */
const tw_key_case *tw_key_case_named(const char *name);

#endif
