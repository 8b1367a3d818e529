/* SPDX-License-Identifier: Apache-2.0 */
/* Keys, keyids and the "keys" map shared by policies and anchors. */
#ifndef VETO_KEYS_H
#define VETO_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "util.h"
#include "veto.h"

typedef struct vkey {
	uint8_t pk[32];
	char keyid[65];
	/* 1 once known to be well formed: checked, or vouched for by a
	 * signature that verified (libsodium's verification rejects keys that
	 * are non-canonical, of small order or not on the curve). */
	uint8_t valid;
} vkey;

void keyid_of(char keyid[65], const uint8_t pk[32]);

/* A "<keyid>": {"ed25519": "<base64>"} map into a new array: keyids
 * recomputed; keys checked at once when check_now, else left for
 * keys_check.  At least one key, at most VETO_MAX_KEYS. */
int keys_from_json(veto_diag *d, vkey **out, size_t *n, const veto_config *cfg,
                   const cJSON *map, const char *where, int check_now);
/* Checks every key not yet known to be well formed; -1 at the first bad one. */
int keys_check(veto_diag *d, vkey *keys, size_t n, const char *where);
/* The same map, written back. */
void keys_to_json(vbuf *b, const vkey *keys, size_t n);
/* Index of keyid in keys, or -1.  Keyids are public: no constant time. */
int keys_find(const vkey *keys, size_t n, const char *keyid);

#endif
