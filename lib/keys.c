/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "keys.h"
#include "util.h"

void veto__keyid_of(char keyid[65], const uint8_t pk[32])
{
	uint8_t h[32];
	veto__cr_sha256(h, pk, 32);
	veto__hex_encode(keyid, h, 32);
}

bool veto__keys_find(const vkey *keys, size_t n, const char *keyid, size_t *index)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(keys[i].keyid, keyid) == 0) {
			*index = i;
			return true;
		}
	}
	return false;
}

veto_status veto__keys_check(veto_diag *d, vkey *keys, size_t n, const char *where)
{
	for (size_t i = 0; i < n; i++) {
		if (keys[i].valid)
			continue;
		if (!veto__cr_key_valid(keys[i].pk)) {
			veto__diag_set(d, "%s.%.12s...: not a valid Ed25519 public key (small order, "
			         "non-canonical or not on the curve)", where, keys[i].keyid);
			return VETO_E_MALFORMED;
		}
		keys[i].valid = true;
	}
	return VETO_OK;
}

/* One "<keyid>": {"ed25519": "<base64>"} member into k, its keyid checked. */
static veto_status key_from_json(veto_diag *d, vkey *k, const jsval *member, const char *where)
{
	static const js_field fields[] = {{"ed25519", JS_STRING, true, 1, 64}};
	const char *id = veto__js_name(member);
	char w[128];
	js_got b64;
	size_t n;
	if (!veto__is_hex64(id, strlen(id))) {
		veto__diag_set(d, "%s: \"%.70s\" is not a keyid (64 lowercase hex digits)", where, id);
		return VETO_E_MALFORMED;
	}
	snprintf(w, sizeof(w), "%s.%.12s...", where, id);
	if (veto__js_members(d, member, w, JS_FIELDS(fields)) != VETO_OK ||
	    veto__js_field_read(d, &b64, member, &fields[0], w) != VETO_OK)
		return VETO_E_MALFORMED;
	if (veto__cr_b64_decode(k->pk, 32, &n, b64.str, b64.len) != VETO_OK || n != 32) {
		veto__diag_set(d, "%s: not the base64 of a 32-byte key", w);
		return VETO_E_MALFORMED;
	}
	veto__keyid_of(k->keyid, k->pk);
	if (strcmp(k->keyid, id) != 0) {
		veto__diag_set(d, "%s: keyid does not match its key (the key's keyid is %s)", w, k->keyid);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

veto_status veto__keys_from_json(veto_diag *d, vkey **out, size_t *n_out, const veto_config *cfg,
                           const jsval *map, const char *where, vkey_check check)
{
	*out = NULL;
	*n_out = 0;
	if (veto__js_object(d, map, where) != VETO_OK)
		return VETO_E_MALFORMED;
	size_t n = veto__js_count(map);
	if (n == 0 || n > VETO_MAX_KEYS) {
		veto__diag_set(d, "%s: %zu keys; between 1 and %u are allowed", where, n, VETO_MAX_KEYS);
		return VETO_E_MALFORMED;
	}
	vkey *keys = veto__vx_calloc(cfg, n, sizeof(*keys));
	if (keys == NULL) {
		veto__diag_set(d, "out of memory");
		return VETO_E_NOMEM;
	}
	veto_status st = VETO_OK;
	size_t i = 0;
	for (const jsval *c = veto__js_first(map); c != NULL && st == VETO_OK; c = veto__js_next(c), i++)
		st = key_from_json(d, &keys[i], c, where);
	if (st == VETO_OK && check == VKEY_CHECK_NOW)
		st = veto__keys_check(d, keys, n, where);
	if (st != VETO_OK) {
		veto__vx_free(cfg, keys);
		return st;
	}
	*out = keys;
	*n_out = n;
	return VETO_OK;
}

void veto__keys_to_json(vbuf *b, const vkey *keys, size_t n)
{
	veto__vbuf_puts(b, "{");
	for (size_t i = 0; i < n; i++) {
		if (i)
			veto__vbuf_puts(b, ", ");
		veto__vbuf_jstrz(b, keys[i].keyid);
		veto__vbuf_puts(b, ": {\"ed25519\": ");
		veto__vbuf_jb64(b, keys[i].pk, 32);
		veto__vbuf_puts(b, "}");
	}
	veto__vbuf_puts(b, "}");
}

/* ---- public: keys and key files ------------------------------------------ */

veto_status veto_keygen(uint8_t pk[VETO_PUBLICKEYBYTES], uint8_t seed[VETO_SEEDBYTES])
{
	if (pk == NULL || seed == NULL)
		return VETO_E_ARG;
	if (veto__cr_init() != VETO_OK || veto__cr_random_seed(seed) != VETO_OK ||
	    veto__cr_public_from_seed(pk, seed) != VETO_OK)
		return VETO_E_CRYPTO;
	return VETO_OK;
}

veto_status veto_key_public(uint8_t pk[VETO_PUBLICKEYBYTES], const uint8_t seed[VETO_SEEDBYTES])
{
	if (pk == NULL || seed == NULL)
		return VETO_E_ARG;
	if (veto__cr_init() != VETO_OK || veto__cr_public_from_seed(pk, seed) != VETO_OK)
		return VETO_E_CRYPTO;
	return VETO_OK;
}

veto_status veto_key_check(const uint8_t pk[VETO_PUBLICKEYBYTES])
{
	if (pk == NULL)
		return VETO_E_ARG;
	if (veto__cr_init() != VETO_OK)
		return VETO_E_CRYPTO;
	return veto__cr_key_valid(pk) ? VETO_OK : VETO_E_KEY;
}

veto_status veto_keyid(char keyid[VETO_KEYIDCHARS + 1], const uint8_t pk[VETO_PUBLICKEYBYTES])
{
	veto_status st = veto_key_check(pk);
	if (st != VETO_OK || keyid == NULL)
		return keyid == NULL ? VETO_E_ARG : st;
	veto__keyid_of(keyid, pk);
	return VETO_OK;
}

/* A key file holds a public key, or a secret seed (wiped everywhere). */
typedef enum key_file_kind { KEY_FILE_PUBLIC, KEY_FILE_SECRET } key_file_kind;

typedef struct key_file {
	key_file_kind kind;
	uint8_t *raw; /* the key or the seed */
	uint8_t *pk;  /* the public key: raw itself, or derived from the seed */
} key_file;

static const char *key_file_field(key_file_kind kind)
{
	return kind == KEY_FILE_SECRET ? "ed25519-seed" : "ed25519";
}

/* Reads {"keyid": ..., <field>: base64(32)} into k->raw (js_reader). */
static veto_status key_file_from_json(void *out, veto_diag *d, const veto_config *cfg,
                                      const jsval *root)
{
	key_file *k = out;
	const char *field = key_file_field(k->kind);
	const js_field fields[] = {{"keyid", JS_STRING, true, 64, 64},
	                           {field, JS_STRING, true, 1, 64}};
	js_got kid, b64;
	size_t n;
	char computed[65];
	(void)cfg;
	if (k->kind == KEY_FILE_SECRET && veto__js_get(root, "ed25519-seed-encrypted") != NULL) {
		veto__diag_set(d, "the key file is encrypted: it opens only with its passphrase");
		return VETO_E_MALFORMED;
	}
	if (veto__js_members(d, root, "key file", JS_FIELDS(fields)) != VETO_OK ||
	    veto__js_field_read(d, &kid, root, &fields[0], NULL) != VETO_OK ||
	    veto__js_field_read(d, &b64, root, &fields[1], NULL) != VETO_OK)
		return VETO_E_MALFORMED;
	if (!veto__is_hex64(kid.str, kid.len)) {
		veto__diag_set(d, "keyid: not 64 lowercase hex digits");
		return VETO_E_MALFORMED;
	}
	veto_status st = k->kind == KEY_FILE_SECRET
	                     ? veto__cr_b64_decode_secret(k->raw, 32, &n, b64.str, b64.len)
	                     : veto__cr_b64_decode(k->raw, 32, &n, b64.str, b64.len);
	if (st != VETO_OK || n != 32) {
		veto__diag_set(d, "%s: not the base64 of 32 bytes", field);
		return VETO_E_MALFORMED;
	}
	if (k->kind == KEY_FILE_SECRET && veto__cr_public_from_seed(k->pk, k->raw) != VETO_OK)
		return VETO_E_CRYPTO;
	if (!veto__cr_key_valid(k->pk)) {
		veto__diag_set(d, "%s: not a valid Ed25519 public key (small order or non-canonical)", field);
		return VETO_E_KEY;
	}
	veto__keyid_of(computed, k->pk);
	if (strcmp(computed, kid.str) != 0) {
		veto__diag_set(d, "keyid does not match the key (the key's keyid is %s)", computed);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

static veto_status key_file_parse(key_file *k, veto_diag *d, const uint8_t *json, size_t len)
{
	veto_config cfg;
	if (k->raw == NULL || json == NULL)
		return VETO_E_ARG;
	if (veto__cfg_enter(&cfg, NULL) != VETO_OK)
		return VETO_E_CRYPTO;
	veto_status st = veto__js_read_doc(k, d, &cfg, json, len, 4096, "key file",
	                             k->kind == KEY_FILE_SECRET, key_file_from_json);
	if (st != VETO_OK)
		veto__cr_wipe(k->raw, 32);
	return st;
}

veto_status veto_pubkey_parse(uint8_t pk[VETO_PUBLICKEYBYTES], veto_diag *d,
                              const uint8_t *json, size_t len)
{
	key_file k = {KEY_FILE_PUBLIC, pk, pk};
	return key_file_parse(&k, d, json, len);
}

veto_status veto_seckey_parse(uint8_t seed[VETO_SEEDBYTES], uint8_t pk[VETO_PUBLICKEYBYTES],
                              veto_diag *d, const uint8_t *json, size_t len)
{
	if (pk == NULL)
		return VETO_E_ARG;
	key_file k = {KEY_FILE_SECRET, seed, pk};
	return key_file_parse(&k, d, json, len);
}

static veto_status key_file_format(char **out, size_t *out_len, const veto_config *in,
                                   const uint8_t pk[32], const uint8_t *raw, key_file_kind kind)
{
	veto_config cfg;
	vbuf b;
	char kid[65];
	if (out == NULL || raw == NULL)
		return VETO_E_ARG;
	veto__cfg_resolve(&cfg, in);
	veto__keyid_of(kid, pk);
	veto__vbuf_init(&b, &cfg);
	b.secret = kind == KEY_FILE_SECRET;
	veto__vbuf_puts(&b, "{\"keyid\": ");
	veto__vbuf_jstrz(&b, kid);
	veto__vbuf_puts(&b, ", \"");
	veto__vbuf_puts(&b, key_file_field(kind));
	veto__vbuf_puts(&b, "\": ");
	veto__vbuf_jb64(&b, raw, 32);
	veto__vbuf_puts(&b, "}\n");
	return veto__vbuf_finish(&b, out, out_len);
}

veto_status veto_pubkey_format(char **out, size_t *out_len, const veto_config *cfg,
                               const uint8_t pk[VETO_PUBLICKEYBYTES])
{
	if (out == NULL || pk == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (veto__cr_init() != VETO_OK)
		return VETO_E_CRYPTO;
	if (!veto__cr_key_valid(pk))
		return VETO_E_KEY;
	return key_file_format(out, out_len, cfg, pk, pk, KEY_FILE_PUBLIC);
}

veto_status veto_seckey_format(char **out, size_t *out_len, const veto_config *cfg,
                               const uint8_t seed[VETO_SEEDBYTES])
{
	uint8_t pk[32];
	if (out == NULL || seed == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (veto__cr_init() != VETO_OK || veto__cr_public_from_seed(pk, seed) != VETO_OK)
		return VETO_E_CRYPTO;
	return key_file_format(out, out_len, cfg, pk, seed, KEY_FILE_SECRET);
}

/* ---- (1.1) encrypted secret key files --------------------------------------- */

#define ENC_FIELD "ed25519-seed-encrypted"
#define ENC_KDF "argon2id13"

/* What an encrypted key file holds, read and bounded before any work. */
typedef struct enc_file {
	char keyid[65];
	uint64_t ops;
	uint64_t mem;
	uint8_t salt[CR_SALTBYTES];
	uint8_t nonce[CR_NONCEBYTES];
	uint8_t box[CR_BOXBYTES];
} enc_file;

/* One base64 member of exactly n bytes. */
static veto_status enc_b64(veto_diag *d, uint8_t *out, size_t n, const js_got *g,
                           const char *name)
{
	size_t got = 0;
	if (veto__cr_b64_decode(out, n, &got, g->str, g->len) != VETO_OK || got != n) {
		veto__diag_set(d, ENC_FIELD ".%s: not the base64 of %zu bytes", name, n);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

/* The KDF's name and bounds, checked before anything is derived. */
static veto_status enc_kdf(veto_diag *d, enc_file *f, const js_got *kdf, const js_got *ops,
                           const js_got *mem)
{
	if (kdf->len != sizeof ENC_KDF - 1 || memcmp(kdf->str, ENC_KDF, kdf->len) != 0) {
		veto__diag_set(d, ENC_FIELD ".kdf: \"%.32s\" is not \"" ENC_KDF "\"", kdf->str);
		return VETO_E_MALFORMED;
	}
	if (ops->u53 < VETO_KDF_OPSLIMIT_MIN || ops->u53 > VETO_KDF_OPSLIMIT_MAX) {
		veto__diag_set(d, ENC_FIELD ".opslimit: %llu is outside %u..%u", (unsigned long long)ops->u53,
		         VETO_KDF_OPSLIMIT_MIN, VETO_KDF_OPSLIMIT_MAX);
		return VETO_E_MALFORMED;
	}
	if (mem->u53 < VETO_KDF_MEMLIMIT_MIN || mem->u53 > VETO_KDF_MEMLIMIT_MAX) {
		veto__diag_set(d, ENC_FIELD ".memlimit: %llu is outside %u..%u", (unsigned long long)mem->u53,
		         VETO_KDF_MEMLIMIT_MIN, VETO_KDF_MEMLIMIT_MAX);
		return VETO_E_MALFORMED;
	}
	f->ops = ops->u53;
	f->mem = mem->u53;
	return VETO_OK;
}

/* The inner object's members (js_reader's second half). */
static veto_status enc_box_from_json(veto_diag *d, enc_file *f, const jsval *obj)
{
	static const js_field fields[] = {
	    {"kdf", JS_STRING, true, 1, 32},    {"opslimit", JS_U53, true, 0, 0},
	    {"memlimit", JS_U53, true, 0, 0},   {"salt", JS_STRING, true, 1, 64},
	    {"nonce", JS_STRING, true, 1, 64},  {"box", JS_STRING, true, 1, 128}};
	js_got g[6];
	if (veto__js_members(d, obj, ENC_FIELD, JS_FIELDS(fields)) != VETO_OK)
		return VETO_E_MALFORMED;
	for (size_t i = 0; i < 6; i++)
		if (veto__js_field_read(d, &g[i], obj, &fields[i], NULL) != VETO_OK)
			return VETO_E_MALFORMED;
	if (enc_kdf(d, f, &g[0], &g[1], &g[2]) != VETO_OK ||
	    enc_b64(d, f->salt, sizeof f->salt, &g[3], "salt") != VETO_OK ||
	    enc_b64(d, f->nonce, sizeof f->nonce, &g[4], "nonce") != VETO_OK ||
	    enc_b64(d, f->box, sizeof f->box, &g[5], "box") != VETO_OK)
		return VETO_E_MALFORMED;
	return VETO_OK;
}

/* {"keyid": ..., "ed25519-seed-encrypted": {...}} (js_reader). */
static veto_status enc_from_json(void *out, veto_diag *d, const veto_config *cfg,
                                 const jsval *root)
{
	static const js_field fields[] = {{"keyid", JS_STRING, true, 64, 64},
	                                  {ENC_FIELD, JS_OBJECT, true, 0, 0}};
	enc_file *f = out;
	js_got kid, box;
	(void)cfg;
	if (veto__js_members(d, root, "key file", JS_FIELDS(fields)) != VETO_OK ||
	    veto__js_field_read(d, &kid, root, &fields[0], NULL) != VETO_OK ||
	    veto__js_field_read(d, &box, root, &fields[1], NULL) != VETO_OK)
		return VETO_E_MALFORMED;
	if (!veto__is_hex64(kid.str, kid.len)) {
		veto__diag_set(d, "keyid: not 64 lowercase hex digits");
		return VETO_E_MALFORMED;
	}
	memcpy(f->keyid, kid.str, 65);
	return enc_box_from_json(d, f, box.item);
}

/* Whether the top-level object has the encrypted member (js_reader). */
static veto_status enc_probe(void *out, veto_diag *d, const veto_config *cfg, const jsval *root)
{
	(void)d;
	(void)cfg;
	*(bool *)out = veto__js_get(root, ENC_FIELD) != NULL;
	return VETO_OK;
}

int veto_seckey_is_encrypted(const uint8_t *json, size_t len)
{
	veto_config cfg;
	bool enc = false;
	if (json == NULL || veto__cfg_enter(&cfg, NULL) != VETO_OK)
		return 0;
	if (veto__js_read_doc(&enc, NULL, &cfg, json, len, 4096, "key file", true, enc_probe) != VETO_OK)
		return 0;
	return enc ? 1 : 0;
}

/* Derives the key and opens the box into seed; the key is wiped. */
static veto_status enc_open(veto_diag *d, uint8_t seed[32], const enc_file *f,
                            const uint8_t *pass, size_t pass_len)
{
	uint8_t key[32];
	veto_status st = veto__cr_pwhash(key, pass, pass_len, f->salt, f->ops, (size_t)f->mem);
	if (st != VETO_OK) {
		veto__diag_set(d, "no memory for the key derivation (memlimit %llu bytes)",
		         (unsigned long long)f->mem);
		return st;
	}
	bool opened = veto__cr_box_open(seed, f->box, f->nonce, key);
	veto__cr_wipe(key, sizeof key);
	if (!opened) {
		veto__diag_set(d, "the key does not open: a wrong passphrase, or a damaged file");
		return VETO_E_PASSPHRASE;
	}
	return VETO_OK;
}

veto_status veto_seckey_decrypt(uint8_t seed[VETO_SEEDBYTES], uint8_t pk[VETO_PUBLICKEYBYTES],
                                int *weak, veto_diag *d, const uint8_t *json, size_t len,
                                const uint8_t *pass, size_t pass_len)
{
	veto_config cfg;
	enc_file f;
	char computed[65];
	if (seed == NULL || pk == NULL || json == NULL || pass == NULL || pass_len == 0)
		return VETO_E_ARG;
	if (veto__cfg_enter(&cfg, NULL) != VETO_OK)
		return VETO_E_CRYPTO;
	veto_status st = veto__js_read_doc(&f, d, &cfg, json, len, 4096, "key file", false,
	                             enc_from_json);
	if (st == VETO_OK)
		st = enc_open(d, seed, &f, pass, pass_len);
	if (st == VETO_OK && veto__cr_public_from_seed(pk, seed) != VETO_OK)
		st = VETO_E_CRYPTO;
	if (st == VETO_OK) {
		veto__keyid_of(computed, pk);
		if (strcmp(computed, f.keyid) != 0) {
			veto__diag_set(d, "keyid does not match the decrypted key (its keyid is %s)",
			         computed);
			st = VETO_E_MALFORMED;
		}
	}
	if (st != VETO_OK)
		veto__cr_wipe(seed, 32);
	if (weak != NULL)
		*weak = st == VETO_OK && (f.ops < veto__cr_pwhash_ops_interactive() ||
		                          f.mem < veto__cr_pwhash_mem_interactive());
	return st;
}

veto_status veto_seckey_encrypt(char **out, size_t *out_len, const veto_config *in,
                                const uint8_t seed[VETO_SEEDBYTES], const uint8_t *pass,
                                size_t pass_len)
{
	veto_config cfg;
	enc_file f;
	uint8_t pk[32], key[32];
	vbuf b;
	if (out == NULL || seed == NULL || pass == NULL || pass_len == 0)
		return VETO_E_ARG;
	*out = NULL;
	if (veto__cr_init() != VETO_OK || veto__cr_public_from_seed(pk, seed) != VETO_OK)
		return VETO_E_CRYPTO;
	veto__cfg_resolve(&cfg, in);
	f.ops = veto__cr_pwhash_ops_interactive();
	f.mem = veto__cr_pwhash_mem_interactive();
	veto__cr_random(f.salt, sizeof f.salt);
	veto__cr_random(f.nonce, sizeof f.nonce);
	veto_status st = veto__cr_pwhash(key, pass, pass_len, f.salt, f.ops, (size_t)f.mem);
	if (st != VETO_OK)
		return st;
	veto__cr_box_seal(f.box, seed, f.nonce, key);
	veto__cr_wipe(key, sizeof key);
	veto__keyid_of(f.keyid, pk);
	veto__vbuf_init(&b, &cfg);
	veto__vbuf_puts(&b, "{\"keyid\": ");
	veto__vbuf_jstrz(&b, f.keyid);
	veto__vbuf_puts(&b, ", \"" ENC_FIELD "\": {\"kdf\": \"" ENC_KDF "\", \"opslimit\": ");
	veto__vbuf_u64(&b, f.ops);
	veto__vbuf_puts(&b, ", \"memlimit\": ");
	veto__vbuf_u64(&b, f.mem);
	veto__vbuf_puts(&b, ", \"salt\": ");
	veto__vbuf_jb64(&b, f.salt, sizeof f.salt);
	veto__vbuf_puts(&b, ", \"nonce\": ");
	veto__vbuf_jb64(&b, f.nonce, sizeof f.nonce);
	veto__vbuf_puts(&b, ", \"box\": ");
	veto__vbuf_jb64(&b, f.box, sizeof f.box);
	veto__vbuf_puts(&b, "}}\n");
	return veto__vbuf_finish(&b, out, out_len);
}
