/* SPDX-License-Identifier: Apache-2.0 */
/* DSSE envelopes: parse, pre-authentication encoding, verification with a
 * per-signature cache, and writing. */
#ifndef VETO_ENVELOPE_H
#define VETO_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "keys.h"
#include "util.h"

/* What is known of one signature entry: verification is tried once. */
typedef enum vsig_state {
	VSIG_UNTRIED = 0, /* zero: a new entry */
	VSIG_VERIFIES,
	VSIG_FAILS
} vsig_state;

typedef struct vsig {
	char keyid[65];
	uint8_t sig[64];
	vsig_state state;
} vsig;

struct veto_envelope {
	veto_config cfg;
	char *type;
	size_t type_len;
	uint8_t *payload;
	size_t payload_len;
	vsig *sigs;
	size_t n_sigs;
	uint8_t *pae; /* built on first verification */
	size_t pae_len;
};

/* From a parsed JSON object (inside a state document, say). */
veto_status veto__env_from_json(veto_envelope **out, veto_diag *d, const veto_config *cfg,
                          const jsval *obj);
/* From bytes: size limit, JSON rules, then veto__env_from_json. */
veto_status veto__env_parse(veto_envelope **out, veto_diag *d, const veto_config *cfg,
                      const uint8_t *json, size_t len);
bool veto__env_type_is(const veto_envelope *e, const char *type);

/* How many distinct keys of the set have a signature in e that verifies.
 * The set is keys[idx[0..n)] (idx NULL: keys[0..n)).  Each signature entry
 * is verified at most once per envelope: its keyid names one key only, since
 * every keyid was checked against its key.  A key with a signature that
 * verifies is marked valid.  The count goes to *count: VETO_OK, or
 * VETO_E_NOMEM (building the signed bytes) with *count 0. */
veto_status veto__env_count(veto_envelope *e, vkey *keys, const uint16_t *idx, size_t n,
                      size_t *count);

void veto__env_to_json(vbuf *b, const veto_envelope *e);
/* A new envelope of that type around payload, with one signature by seed,
 * as text with a final newline (what veto_sign writes; the payload is not
 * checked here).  VETO_OK, VETO_E_LIMIT (payload or envelope above
 * cfg->max_envelope, said in d), VETO_E_CRYPTO, VETO_E_NOMEM; *out NULL on
 * failure. */
veto_status veto__env_sign_new(char **out, size_t *out_len, veto_diag *d, const veto_config *cfg,
                               const char *type, const uint8_t *payload, size_t payload_len,
                               const uint8_t seed[32]);
veto_envelope *veto__env_dup(const veto_envelope *src, const veto_config *cfg);

#endif
