/* SPDX-License-Identifier: Apache-2.0 */
/*
 * authkeys.h - keys for the authoring commands (anchor, policy new and
 * next, show's rotation check): public keys read from a file of any kind
 * `key import` reads, key map entries built from them, and the count of
 * an owner role's keys whose signatures verify on an envelope.
 *
 * Payloads handed here have already passed the library's own parser
 * (veto_policy_declared_keys): cJSON only walks a tree the library has
 * found well-formed, strict and complete.
 */
#ifndef VETO_TOOL_AUTHKEYS_H
#define VETO_TOOL_AUTHKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <veto.h>

#include "util.h"

typedef uint8_t auth_pk[VETO_PUBLICKEYBYTES];


/* {"ed25519": "<base64>"}, a policy's or an anchor's key map entry; NULL
 * when out of memory. */
cJSON *key_entry_new(const auth_pk pk);

/* The keys of a key map (an anchor's or a policy's "keys", already
 * validated), restricted to the keyids in only[] when only is not NULL:
 * *out (free()) holds *n keys.  VETO_OK, VETO_E_MALFORMED, VETO_E_NOMEM. */
veto_status keys_from_map(auth_pk **out, size_t *n, const cJSON *map, const cJSON *only);

/* A policy payload's owner role, from a payload the library accepted. */
typedef struct owner_role {
	const cJSON *keyids; /* array of keyid strings */
	uint64_t threshold;
} owner_role;
bool owner_role_of(const cJSON *policy, owner_role *r);

/* How many distinct keys among trusted[0..n-1] belong to r and have a
 * signature in e that verifies: written to *count. */
void count_owner_signers(const veto_envelope *e, const auth_pk *trusted, size_t n,
                         const owner_role *r, size_t *count);

/* The payload of a policy envelope (an envelope of the policy type whose
 * payload the library validates), parsed into *tree (cJSON_Delete); the
 * envelope in *e (veto_envelope_free).  Prints a message naming path. */
tool_exit read_policy_envelope(const char *path, veto_envelope **e, cJSON **tree);



/* {"vendor": V, "model": M} from "VENDOR/MODEL" (the names are checked
 * by the library when the document is validated); NULL after a message. */
cJSON *device_new(const char *text);

/* Reads the key in path, adds its keyid to keyids and its entry to map
 * (once, however many roles hold it).  what names the list for the
 * message about a key given twice ("role owner", "the anchor"). */
tool_exit add_key_file(cJSON *map, cJSON *keyids, const char *path, const char *what);

/* The library's words for a validation failure: "detail" or the status. */
const char *diag_text(const veto_diag *d, veto_status s);

/* Writes the document tree laid out (jsonout.h) to out (NULL or "-":
 * standard output). */
tool_exit write_json(const char *out, const cJSON *doc);
#endif
