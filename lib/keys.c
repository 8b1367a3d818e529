/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "keys.h"
#include "util.h"

void keyid_of(char keyid[65], const uint8_t pk[32])
{
	uint8_t h[32];
	cr_sha256(h, pk, 32);
	hex_encode(keyid, h, 32);
}

int keys_find(const vkey *keys, size_t n, const char *keyid)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i].keyid, keyid) == 0)
			return (int)i;
	return -1;
}

/* A base64 Ed25519 key, checked. */
static int key_from_b64(veto_diag *d, uint8_t pk[32], const cJSON *item, const char *where)
{
	const char *s;
	size_t len, n;
	if (js_str(d, &s, &len, item, where, 1, 64) != 0)
		return -1;
	if (cr_b64_decode(pk, 32, &n, s, len) != 0 || n != 32) {
		diag_set(d, "%s: not the base64 of a 32-byte key", where);
		return -1;
	}
	return 0;
}

int keys_check(veto_diag *d, vkey *keys, size_t n, const char *where)
{
	for (size_t i = 0; i < n; i++) {
		if (keys[i].valid)
			continue;
		if (!cr_key_valid(keys[i].pk)) {
			diag_set(d, "%s.%.12s...: not a valid Ed25519 public key (small order, "
			         "non-canonical or not on the curve)", where, keys[i].keyid);
			return -1;
		}
		keys[i].valid = 1;
	}
	return 0;
}

int keys_from_json(veto_diag *d, vkey **out, size_t *n_out, const veto_config *cfg,
                   const cJSON *map, const char *where, int check_now)
{
	static const char *const key_members[] = {"ed25519"};
	*out = NULL;
	*n_out = 0;
	if (js_object(d, map, where) != 0)
		return -1;
	size_t n = js_count(map);
	if (n == 0 || n > VETO_MAX_KEYS) {
		diag_set(d, "%s: %zu keys; between 1 and %u are allowed", where, n, VETO_MAX_KEYS);
		return -1;
	}
	vkey *keys = vx_calloc(cfg, n, sizeof(*keys));
	if (keys == NULL) {
		diag_set(d, "out of memory");
		return -2;
	}
	size_t i = 0;
	for (const cJSON *c = map->child; c != NULL; c = c->next, i++) {
		char w[128];
		size_t idlen = strlen(c->string);
		if (!is_hex64(c->string, idlen)) {
			diag_set(d, "%s: \"%.70s\" is not a keyid (64 lowercase hex digits)", where, c->string);
			goto fail;
		}
		snprintf(w, sizeof(w), "%s.%.12s...", where, c->string);
		if (js_members(d, c, w, key_members, 1, 1) != 0 ||
		    key_from_b64(d, keys[i].pk, js_get(c, "ed25519"), w) != 0)
			goto fail;
		keyid_of(keys[i].keyid, keys[i].pk);
		if (strcmp(keys[i].keyid, c->string) != 0) {
			diag_set(d, "%s: keyid does not match its key (the key's keyid is %s)", w, keys[i].keyid);
			goto fail;
		}
	}
	if (check_now && keys_check(d, keys, n, where) != 0)
		goto fail;
	*out = keys;
	*n_out = n;
	return 0;
fail:
	vx_free(cfg, keys);
	return -1;
}

void keys_to_json(vbuf *b, const vkey *keys, size_t n)
{
	vbuf_puts(b, "{");
	for (size_t i = 0; i < n; i++) {
		if (i)
			vbuf_puts(b, ", ");
		vbuf_jstrz(b, keys[i].keyid);
		vbuf_puts(b, ": {\"ed25519\": ");
		vbuf_jb64(b, keys[i].pk, 32);
		vbuf_puts(b, "}");
	}
	vbuf_puts(b, "}");
}

/* ---- public: keys and key files ------------------------------------------ */

veto_status veto_keygen(uint8_t pk[VETO_PUBLICKEYBYTES], uint8_t seed[VETO_SEEDBYTES])
{
	if (pk == NULL || seed == NULL)
		return VETO_E_ARG;
	if (cr_init() != 0 || cr_random_seed(seed) != 0 || cr_public_from_seed(pk, seed) != 0)
		return VETO_E_CRYPTO;
	return VETO_OK;
}

veto_status veto_key_public(uint8_t pk[VETO_PUBLICKEYBYTES], const uint8_t seed[VETO_SEEDBYTES])
{
	if (pk == NULL || seed == NULL)
		return VETO_E_ARG;
	if (cr_init() != 0 || cr_public_from_seed(pk, seed) != 0)
		return VETO_E_CRYPTO;
	return VETO_OK;
}

veto_status veto_key_check(const uint8_t pk[VETO_PUBLICKEYBYTES])
{
	if (pk == NULL)
		return VETO_E_ARG;
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	return cr_key_valid(pk) ? VETO_OK : VETO_E_KEY;
}

veto_status veto_keyid(char keyid[VETO_KEYIDCHARS + 1], const uint8_t pk[VETO_PUBLICKEYBYTES])
{
	veto_status st = veto_key_check(pk);
	if (st != VETO_OK || keyid == NULL)
		return keyid == NULL ? VETO_E_ARG : st;
	keyid_of(keyid, pk);
	return VETO_OK;
}

/* Reads {"keyid": ..., <field>: base64(32)}; the key or seed into raw. */
static veto_status key_file_parse(uint8_t raw[32], uint8_t pk[32], veto_diag *d,
                                  const uint8_t *json, size_t len, const char *field)
{
	const char *const members[] = {"keyid", field};
	veto_config cfg;
	cJSON *root = NULL;
	veto_status st;
	const char *kid, *s;
	size_t kidlen, slen, n;
	char computed[65];

	if (raw == NULL || json == NULL)
		return VETO_E_ARG;
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	cfg_resolve(&cfg, NULL);
	if (len > 4096) {
		diag_set(d, "key file larger than 4096 bytes");
		return VETO_E_LIMIT;
	}
	st = pk == raw ? js_parse(&root, d, &cfg, json, len, cfg.max_depth)
	               : js_parse_secret(&root, d, &cfg, json, len, cfg.max_depth);
	if (st != VETO_OK)
		return st;
	st = VETO_E_MALFORMED;
	if (js_members(d, root, "key file", members, 2, 2) != 0 ||
	    js_str(d, &kid, &kidlen, js_get(root, "keyid"), "keyid", 64, 64) != 0 ||
	    js_str(d, &s, &slen, js_get(root, field), field, 1, 64) != 0)
		goto done;
	if (!is_hex64(kid, kidlen)) {
		diag_set(d, "keyid: not 64 lowercase hex digits");
		goto done;
	}
	int bad = pk == raw ? cr_b64_decode(raw, 32, &n, s, slen)
	                    : cr_b64_decode_secret(raw, 32, &n, s, slen);
	if (bad != 0 || n != 32) {
		diag_set(d, "%s: not the base64 of 32 bytes", field);
		goto done;
	}
	if (pk != raw) {
		if (cr_public_from_seed(pk, raw) != 0) {
			st = VETO_E_CRYPTO;
			goto done;
		}
	}
	if (!cr_key_valid(pk)) {
		diag_set(d, "%s: not a valid Ed25519 public key (small order or non-canonical)", field);
		st = VETO_E_KEY;
		goto done;
	}
	keyid_of(computed, pk);
	if (strcmp(computed, kid) != 0) {
		diag_set(d, "keyid does not match the key (the key's keyid is %s)", computed);
		goto done;
	}
	st = VETO_OK;
done:
	if (st != VETO_OK)
		cr_wipe(raw, 32);
	if (pk != raw)
		js_delete_secret(root); /* cJSON frees without wiping */
	else
		cJSON_Delete(root);
	return st;
}

veto_status veto_pubkey_parse(uint8_t pk[VETO_PUBLICKEYBYTES], veto_diag *d,
                              const uint8_t *json, size_t len)
{
	return key_file_parse(pk, pk, d, json, len, "ed25519");
}

veto_status veto_seckey_parse(uint8_t seed[VETO_SEEDBYTES], uint8_t pk[VETO_PUBLICKEYBYTES],
                              veto_diag *d, const uint8_t *json, size_t len)
{
	if (pk == NULL)
		return VETO_E_ARG;
	return key_file_parse(seed, pk, d, json, len, "ed25519-seed");
}

static veto_status key_file_format(char **out, size_t *out_len, const veto_config *in,
                                   const uint8_t pk[32], const uint8_t *raw, const char *field)
{
	veto_config cfg;
	vbuf b;
	char kid[65];
	if (out == NULL || raw == NULL)
		return VETO_E_ARG;
	cfg_resolve(&cfg, in);
	keyid_of(kid, pk);
	vbuf_init(&b, &cfg);
	b.secret = raw != pk;
	vbuf_puts(&b, "{\"keyid\": ");
	vbuf_jstrz(&b, kid);
	vbuf_puts(&b, ", \"");
	vbuf_puts(&b, field);
	vbuf_puts(&b, "\": ");
	vbuf_jb64(&b, raw, 32);
	vbuf_puts(&b, "}\n");
	return vbuf_finish(&b, out, out_len);
}

veto_status veto_pubkey_format(char **out, size_t *out_len, const veto_config *cfg,
                               const uint8_t pk[VETO_PUBLICKEYBYTES])
{
	if (out == NULL || pk == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (cr_init() != 0)
		return VETO_E_CRYPTO;
	if (!cr_key_valid(pk))
		return VETO_E_KEY;
	return key_file_format(out, out_len, cfg, pk, pk, "ed25519");
}

veto_status veto_seckey_format(char **out, size_t *out_len, const veto_config *cfg,
                               const uint8_t seed[VETO_SEEDBYTES])
{
	uint8_t pk[32];
	if (out == NULL || seed == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (cr_init() != 0 || cr_public_from_seed(pk, seed) != 0)
		return VETO_E_CRYPTO;
	return key_file_format(out, out_len, cfg, pk, seed, "ed25519-seed");
}
