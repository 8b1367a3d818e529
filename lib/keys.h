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
	bool valid;
} vkey;

/* When veto__keys_from_json checks the keys it reads: at once, or later through
 * veto__keys_check, so that verified signatures can vouch for them first. */
typedef enum vkey_check { VKEY_CHECK_NOW, VKEY_CHECK_LATER } vkey_check;

void veto__keyid_of(char keyid[65], const uint8_t pk[32]);

/* A "<keyid>": {"ed25519": "<base64>"} map into a new array: keyids
 * recomputed; keys checked as `check` says.  At least one key, at most
 * VETO_MAX_KEYS.  VETO_OK, VETO_E_MALFORMED or VETO_E_NOMEM. */
veto_status veto__keys_from_json(veto_diag *d, vkey **out, size_t *n, const veto_config *cfg,
                           const jsval *map, const char *where, vkey_check check);
/* Checks every key not yet known to be well formed: VETO_OK, or
 * VETO_E_MALFORMED at the first bad one. */
veto_status veto__keys_check(veto_diag *d, vkey *keys, size_t n, const char *where);
/* The same map, written back. */
void veto__keys_to_json(vbuf *b, const vkey *keys, size_t n);
/* Whether keyid is in keys, and where.  Keyids are public: no constant time. */
bool veto__keys_find(const vkey *keys, size_t n, const char *keyid, size_t *index);

#endif
