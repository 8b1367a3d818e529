/* SPDX-License-Identifier: Apache-2.0 */
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* ---- keys ---------------------------------------------------------------- */

veto_status tw_key_from_seed(tw_key *k, const uint8_t seed[VETO_SEEDBYTES])
{
	uint8_t h[crypto_hash_sha256_BYTES];
	memcpy(k->seed, seed, sizeof(k->seed));
	veto_status st = veto_key_public(k->pk, k->seed);
	if (st != VETO_OK)
		return st;
	if (sodium_init() < 0 || crypto_hash_sha256(h, k->pk, sizeof(k->pk)) != 0)
		return VETO_E_CRYPTO;
	sodium_bin2hex(k->keyid, sizeof(k->keyid), h, sizeof(h));
	sodium_bin2base64(k->b64, sizeof(k->b64), k->pk, sizeof(k->pk),
	                  sodium_base64_VARIANT_ORIGINAL);
	return VETO_OK;
}

veto_status tw_key_filled(tw_key *k, uint8_t fill)
{
	uint8_t seed[VETO_SEEDBYTES];
	memset(seed, fill, sizeof(seed));
	return tw_key_from_seed(k, seed);
}

/* ---- a growing string ---------------------------------------------------- */

bool tw_str_vprintf(tw_str *b, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	char probe[1];
	int n = vsnprintf(probe, sizeof(probe), fmt, ap);
	if (n < 0 || (size_t)n >= SIZE_MAX / 2 - b->len) {
		va_end(again);
		return false;
	}
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *grown = realloc(b->s, cap);
		if (grown == NULL) {
			va_end(again);
			return false;
		}
		b->s = grown;
		b->cap = cap;
	}
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
	return true;
}

bool tw_str_printf(tw_str *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ok = tw_str_vprintf(b, fmt, ap);
	va_end(ap);
	return ok;
}

void tw_str_free(tw_str *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

/* ---- documents ----------------------------------------------------------- */

bool tw_keys_json(tw_str *b, const tw_key *const *keys, size_t n)
{
	bool ok = tw_str_printf(b, "{");
	for (size_t i = 0; ok && i < n; i++)
		ok = tw_str_printf(b, "%s\"%s\": {\"ed25519\": \"%s\"}", i ? ", " : "", keys[i]->keyid,
		                   keys[i]->b64);
	return ok && tw_str_printf(b, "}");
}

bool tw_list_json(tw_str *b, const char *const *items)
{
	bool ok = tw_str_printf(b, "[");
	for (size_t i = 0; ok && items != NULL && items[i] != NULL; i++)
		ok = tw_str_printf(b, "%s\"%s\"", i ? ", " : "", items[i]);
	return ok && tw_str_printf(b, "]");
}

static bool named_before(const tw_policy *p, size_t role, size_t key)
{
	const tw_key *k = p->roles[role].keys[key];
	for (size_t r = 0; r <= role; r++)
		for (size_t i = 0; i < (r == role ? key : p->roles[r].n_keys); i++)
			if (p->roles[r].keys[i] == k)
				return true;
	return false;
}

/* The "keys" map: each role key once, in the order first named, then the
 * extra keys. */
static bool policy_keys(tw_str *b, const tw_policy *p)
{
	size_t n = p->n_extra_keys;
	for (size_t r = 0; r < p->n_roles; r++)
		n += p->roles[r].n_keys;
	const tw_key **used = calloc(n ? n : 1, sizeof(*used));
	if (used == NULL)
		return false;
	n = 0;
	for (size_t r = 0; r < p->n_roles; r++)
		for (size_t i = 0; i < p->roles[r].n_keys; i++)
			if (!named_before(p, r, i))
				used[n++] = p->roles[r].keys[i];
	for (size_t i = 0; i < p->n_extra_keys; i++)
		used[n++] = p->extra_keys[i];
	bool ok = tw_keys_json(b, used, n);
	free(used);
	return ok;
}

bool tw_policy_text(tw_str *b, const tw_policy *p)
{
	bool ok = tw_str_printf(b, "{\"format\": \"veto.policy/1\", \"serial\": %llu, \"expires\": ",
	                        (unsigned long long)p->serial);
	if (p->expires != NULL)
		ok = ok && tw_str_printf(b, "\"%s\"", p->expires);
	else
		ok = ok && tw_str_printf(b, "null");
	ok = ok && tw_str_printf(b, ", \"device\": {\"vendor\": \"%s\", \"model\": \"%s\"}, \"keys\": ",
	                         p->vendor, p->model);
	if (p->keys_json != NULL)
		ok = ok && tw_str_printf(b, "%s", p->keys_json);
	else
		ok = ok && policy_keys(b, p);
	ok = ok && tw_str_printf(b, ", \"roles\": {");
	for (size_t r = 0; ok && r < p->n_roles; r++) {
		const tw_role *role = &p->roles[r];
		ok = tw_str_printf(b, "%s\"%s\": {\"keys\": [", r ? ", " : "", role->name);
		for (size_t i = 0; ok && i < role->n_keys; i++)
			ok = tw_str_printf(b, "%s\"%s\"", i ? ", " : "", role->keys[i]->keyid);
		ok = ok && tw_str_printf(b, "], \"threshold\": %u}", role->threshold);
	}
	return ok && tw_str_printf(b,
	                           "}, \"require\": %s, \"protected_features\": %s, "
	                           "\"removal_requires\": %s%s}",
	                           p->require, p->protected_features, p->removal_requires,
	                           p->extra ? p->extra : "");
}

bool tw_update_text(tw_str *b, const tw_update *u)
{
	bool ok = tw_str_printf(b,
	                        "{\"format\": \"veto.update/1\", \"vendor\": \"%s\", \"model\": \"%s\", "
	                        "\"version\": \"%s\", \"security_counter\": %llu, \"image\": {\"size\": %llu",
	                        u->vendor, u->model, u->version, (unsigned long long)u->counter,
	                        (unsigned long long)u->size);
	if (u->sha256 != NULL)
		ok = ok && tw_str_printf(b, ", \"sha256\": \"%s\"", u->sha256);
	if (u->blake2b != NULL)
		ok = ok && tw_str_printf(b, ", \"blake2b-256\": \"%s\"", u->blake2b);
	ok = ok && tw_str_printf(b, "}, \"features\": %s", u->features);
	if (u->removes != NULL)
		ok = ok && tw_str_printf(b, ", \"removes\": %s", u->removes);
	return ok && tw_str_printf(b, "%s}", u->extra ? u->extra : "");
}

bool tw_anchor_text(tw_str *b, const char *vendor, const char *model, unsigned threshold,
                    const tw_key *const *keys, size_t n)
{
	return tw_str_printf(b, "{\"device\": {\"vendor\": \"%s\", \"model\": \"%s\"}, \"keys\": ",
	                     vendor, model) &&
	       tw_keys_json(b, keys, n) && tw_str_printf(b, ", \"threshold\": %u}", threshold);
}

bool tw_revocation_text(tw_str *b, const char *vendor, const char *model, const char *role,
                        const char *updates_json, const char *keys_json)
{
	return tw_str_printf(b,
	                     "{\"format\": \"veto.revocation/1\", \"device\": {\"vendor\": \"%s\", "
	                     "\"model\": \"%s\"}, \"role\": \"%s\", \"updates\": %s, \"keys\": %s}",
	                     vendor, model, role, updates_json, keys_json);
}

/* ---- envelopes ----------------------------------------------------------- */

veto_status tw_sign(char **out, size_t *out_len, veto_diag *d, const char *payload,
                    const tw_key *const *signers, size_t n_signers)
{
	*out = NULL;
	*out_len = 0;
	if (n_signers == 0)
		return VETO_E_ARG;
	veto_status st = veto_sign(out, out_len, d, NULL, (const uint8_t *)payload, strlen(payload),
	                           signers[0]->seed);
	for (size_t i = 1; st == VETO_OK && i < n_signers; i++) {
		char *next = NULL;
		size_t next_len = 0;
		int added = 0;
		st = veto_cosign(&next, &next_len, &added, d, NULL, (const uint8_t *)*out, *out_len,
		                 signers[i]->seed);
		if (st == VETO_OK) {
			veto_free(NULL, *out);
			*out = next;
			*out_len = next_len;
		}
	}
	if (st != VETO_OK) {
		veto_free(NULL, *out);
		*out = NULL;
		*out_len = 0;
	}
	return st;
}

/* One signature entry by k over pae, appended to b.  libsodium's secret key
 * is the seed followed by the public key. */
static bool sig_entry(tw_str *b, const uint8_t *pae, size_t pae_len, const tw_key *k, bool first)
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	char sig64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	memcpy(sk, k->seed, VETO_SEEDBYTES);
	memcpy(sk + VETO_SEEDBYTES, k->pk, VETO_PUBLICKEYBYTES);
	bool ok = crypto_sign_detached(sig, NULL, pae, pae_len, sk) == 0;
	sodium_memzero(sk, sizeof(sk));
	if (!ok)
		return false;
	sodium_bin2base64(sig64, sizeof(sig64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
	return tw_str_printf(b, "%s{\"keyid\": \"%s\", \"sig\": \"%s\"}", first ? "" : ", ",
	                     k->keyid, sig64);
}

bool tw_envelope_by_keys(tw_str *b, const char *type, const uint8_t *payload, size_t len,
                         const tw_key *const *keys, size_t n)
{
	size_t pae_len = 0, b64_len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	if (veto_pae(NULL, 0, &pae_len, type, strlen(type), payload, len) != VETO_E_BUFFER)
		return false;
	uint8_t *pae = malloc(pae_len);
	char *b64 = malloc(b64_len);
	bool ok = pae != NULL && b64 != NULL &&
	          veto_pae(pae, pae_len, &pae_len, type, strlen(type), payload, len) == VETO_OK;
	if (ok) {
		sodium_bin2base64(b64, b64_len, payload, len, sodium_base64_VARIANT_ORIGINAL);
		ok = tw_str_printf(b, "{\"payloadType\": \"%s\", \"payload\": \"%s\", \"signatures\": [",
		                   type, b64);
	}
	for (size_t i = 0; ok && i < n; i++)
		ok = sig_entry(b, pae, pae_len, keys[i], i == 0);
	ok = ok && tw_str_printf(b, "]}\n");
	free(pae);
	free(b64);
	return ok;
}

bool tw_envelope_by(tw_str *b, const char *type, const uint8_t *payload, size_t len,
                    const tw_key *k)
{
	return tw_envelope_by_keys(b, type, payload, len, &k, 1);
}
