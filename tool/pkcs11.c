/* SPDX-License-Identifier: Apache-2.0 */
#include "pkcs11.h"

#include <string.h>

bool token_is_uri(const char *key)
{
	return key != NULL && strncmp(key, "pkcs11:", 7) == 0;
}

#ifndef VETO_HAVE_PKCS11

tool_exit token_sign(const char *uri, const uint8_t *msg, size_t len,
                     uint8_t pk[VETO_PUBLICKEYBYTES], uint8_t sig[64])
{
	(void)uri;
	(void)msg;
	(void)len;
	(void)pk;
	(void)sig;
	tool_err("--key pkcs11:...: this veto was built without PKCS#11 (p11-kit); rebuild "
	         "with meson option -Dpkcs11=enabled, or sign 'veto pae' output elsewhere and "
	         "use 'veto attach'");
	return EXIT_TROUBLE;
}

#else

#include <stdio.h>
#include <stdlib.h>

#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>

#include "passphrase.h"

#define MAX_SLOTS 64U

/* What the search found: the one key, where it is, and the PIN used. */
typedef struct token_search {
	P11KitUri *uri;
	const char *text; /* the URI as typed, for messages */
	CK_FUNCTION_LIST *module;
	CK_SESSION_HANDLE session;
	CK_OBJECT_HANDLE key;
	size_t found;
	passphrase pin;
	bool have_pin;
} token_search;

/* The PIN: pin-source (a file, "file:" or a path), pin-value (with a
 * warning), else asked on the terminal. */
static tool_exit get_pin(token_search *s, const CK_TOKEN_INFO *ti)
{
	if (s->have_pin)
		return EXIT_ACCEPT;
	const char *source = p11_kit_uri_get_pin_source(s->uri);
	const char *value = p11_kit_uri_get_pin_value(s->uri);
	tool_exit rc;
	if (source != NULL) {
		rc = pass_from_file(&s->pin, strncmp(source, "file:", 5) == 0 ? source + 5 : source,
		                    false);
	} else if (value != NULL) {
		tool_warn("the URI's pin-value shows the PIN in process lists and shell history; "
		          "prefer pin-source=FILE");
		size_t n = strlen(value);
		if (n > PASS_MAX)
			n = PASS_MAX;
		memcpy(s->pin.b, value, n);
		s->pin.len = n;
		rc = EXIT_ACCEPT;
	} else if (!pass_have_terminal()) {
		tool_err("%s: the token needs a PIN and there is no terminal to ask it on: add "
		         "pin-source=FILE to the URI", s->text);
		return EXIT_TROUBLE;
	} else {
		char prompt[96];
		snprintf(prompt, sizeof prompt, "PIN for token %.32s: ", (const char *)ti->label);
		rc = pass_prompt(&s->pin, prompt);
	}
	s->have_pin = rc == EXIT_ACCEPT;
	return rc;
}

/* Whether an Edwards-curve key is on edwards25519: CKA_EC_PARAMS is the
 * printable string "edwards25519" or the OID 1.3.101.112 (a token that
 * does not say is taken at its word; the signature is verified anyway). */
static bool on_ed25519(CK_FUNCTION_LIST *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE key)
{
	static const uint8_t name[] = {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd',
	                               's', '2', '5', '5', '1', '9'};
	static const uint8_t oid[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
	uint8_t v[64];
	CK_ATTRIBUTE a = {CKA_EC_PARAMS, v, sizeof v};
	if (m->C_GetAttributeValue(h, key, &a, 1) != CKR_OK)
		return true;
	return (a.ulValueLen == sizeof name && memcmp(v, name, sizeof name) == 0) ||
	       (a.ulValueLen == sizeof oid && memcmp(v, oid, sizeof oid) == 0);
}

/* Private Ed25519 keys the URI matches in an open session. */
static bool find_keys(CK_FUNCTION_LIST *m, CK_SESSION_HANDLE h, P11KitUri *uri,
                      CK_OBJECT_HANDLE *keys, CK_ULONG cap, CK_ULONG *n)
{
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_KEY_TYPE kt = CKK_EC_EDWARDS;
	CK_ATTRIBUTE tmpl[16];
	CK_ULONG nt = 0, nu = 0;
	CK_ATTRIBUTE *ua = p11_kit_uri_get_attributes(uri, &nu);
	for (CK_ULONG i = 0; i < nu && nt < 14; i++) {
		if (ua[i].type == CKA_CLASS) {
			if (ua[i].ulValueLen != sizeof cls ||
			    memcmp(ua[i].pValue, &cls, sizeof cls) != 0)
				return *n = 0, true; /* the URI asks for another class */
			continue;
		}
		tmpl[nt++] = ua[i];
	}
	tmpl[nt++] = (CK_ATTRIBUTE){CKA_CLASS, &cls, sizeof cls};
	tmpl[nt++] = (CK_ATTRIBUTE){CKA_KEY_TYPE, &kt, sizeof kt};
	*n = 0;
	if (m->C_FindObjectsInit(h, tmpl, nt) != CKR_OK)
		return false;
	CK_OBJECT_HANDLE all[16];
	CK_ULONG found = 0;
	CK_RV rv = m->C_FindObjects(h, all, 16, &found);
	(void)m->C_FindObjectsFinal(h);
	for (CK_ULONG i = 0; rv == CKR_OK && i < found && *n < cap; i++)
		if (on_ed25519(m, h, all[i]))
			keys[(*n)++] = all[i];
	return rv == CKR_OK;
}

/* One token: logs in when it must, and counts the keys that match. */
static tool_exit search_slot(token_search *s, CK_FUNCTION_LIST *m, CK_SLOT_ID slot)
{
	CK_TOKEN_INFO ti;
	CK_SESSION_HANDLE h;
	if (m->C_GetTokenInfo(slot, &ti) != CKR_OK || !p11_kit_uri_match_token_info(s->uri, &ti))
		return EXIT_ACCEPT;
	if (m->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &h) != CKR_OK)
		return EXIT_ACCEPT;
	if ((ti.flags & CKF_LOGIN_REQUIRED) != 0) {
		if (get_pin(s, &ti) != EXIT_ACCEPT) {
			(void)m->C_CloseSession(h);
			return EXIT_TROUBLE;
		}
		CK_RV rv = m->C_Login(h, CKU_USER, s->pin.b, s->pin.len);
		if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
			tool_err("%s: the token \"%.32s\" refused the PIN (PKCS#11 error 0x%lx)", s->text,
			         (const char *)ti.label, (unsigned long)rv);
			(void)m->C_CloseSession(h);
			return EXIT_TROUBLE;
		}
	}
	CK_OBJECT_HANDLE keys[2];
	CK_ULONG n = 0;
	if (find_keys(m, h, s->uri, keys, 2, &n) && n > 0) {
		s->found += n;
		if (s->found == 1) {
			s->module = m;
			s->session = h;
			s->key = keys[0];
			return EXIT_ACCEPT;
		}
	}
	(void)m->C_CloseSession(h);
	return EXIT_ACCEPT;
}

static tool_exit search_module(token_search *s, CK_FUNCTION_LIST *m)
{
	CK_INFO info;
	CK_SLOT_ID slots[MAX_SLOTS];
	CK_ULONG n = MAX_SLOTS;
	if (m->C_GetInfo(&info) != CKR_OK || !p11_kit_uri_match_module_info(s->uri, &info))
		return EXIT_ACCEPT;
	if (m->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK)
		return EXIT_ACCEPT;
	for (CK_ULONG i = 0; i < n; i++)
		if (search_slot(s, m, slots[i]) != EXIT_ACCEPT)
			return EXIT_TROUBLE;
	return EXIT_ACCEPT;
}

/* CKA_EC_POINT: 32 raw bytes, or a DER OCTET STRING of 32 (04 20 ...),
 * told apart by length. */
static bool point_of(uint8_t pk[32], const uint8_t *v, CK_ULONG len)
{
	if (len == 32) {
		memcpy(pk, v, 32);
		return true;
	}
	if (len == 34 && v[0] == 0x04 && v[1] == 0x20) {
		memcpy(pk, v + 2, 32);
		return true;
	}
	return false;
}

/* The public key: the public-key object with the private key's CKA_ID. */
static tool_exit public_key(token_search *s, uint8_t pk[32])
{
	CK_FUNCTION_LIST *m = s->module;
	uint8_t id[256];
	CK_ATTRIBUTE a = {CKA_ID, id, sizeof id};
	if (m->C_GetAttributeValue(s->session, s->key, &a, 1) != CKR_OK) {
		tool_err("%s: cannot read the private key's CKA_ID", s->text);
		return EXIT_TROUBLE;
	}
	CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
	CK_KEY_TYPE kt = CKK_EC_EDWARDS;
	CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
	                       {CKA_KEY_TYPE, &kt, sizeof kt},
	                       {CKA_ID, id, a.ulValueLen}};
	CK_OBJECT_HANDLE pub[2];
	CK_ULONG n = 0;
	if (m->C_FindObjectsInit(s->session, tmpl, 3) == CKR_OK) {
		if (m->C_FindObjects(s->session, pub, 2, &n) != CKR_OK)
			n = 0;
		(void)m->C_FindObjectsFinal(s->session);
	}
	if (n != 1) {
		tool_err("%s: %s public key with the private key's CKA_ID on the token", s->text,
		         n == 0 ? "no" : "more than one");
		return EXIT_TROUBLE;
	}
	uint8_t point[80];
	CK_ATTRIBUTE p = {CKA_EC_POINT, point, sizeof point};
	if (m->C_GetAttributeValue(s->session, pub[0], &p, 1) != CKR_OK ||
	    !point_of(pk, point, p.ulValueLen)) {
		tool_err("%s: the public key's CKA_EC_POINT is neither 32 bytes nor a DER OCTET "
		         "STRING of 32: not an Ed25519 key", s->text);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

/* CKM_EDDSA with no parameter: pure Ed25519 over msg itself. */
static tool_exit sign_with(token_search *s, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	CK_FUNCTION_LIST *m = s->module;
	CK_MECHANISM mech = {CKM_EDDSA, NULL, 0};
	uint8_t out[128];
	CK_ULONG n = sizeof out;
	CK_RV rv = m->C_SignInit(s->session, &mech, s->key);
	if (rv == CKR_OK)
		rv = m->C_Sign(s->session, (CK_BYTE_PTR)(uintptr_t)msg, len, out, &n);
	if (rv != CKR_OK || n != 64) {
		tool_err("%s: the token did not sign with CKM_EDDSA (PKCS#11 error 0x%lx, %lu bytes)",
		         s->text, (unsigned long)rv, (unsigned long)(rv == CKR_OK ? n : 0));
		return EXIT_TROUBLE;
	}
	memcpy(sig, out, 64);
	return EXIT_ACCEPT;
}

/* The modules to search: module-path alone when the URI names one (it was
 * typed on the command line), else every module p11-kit has registered. */
static CK_FUNCTION_LIST **load_modules(token_search *s, CK_FUNCTION_LIST **one)
{
	const char *path = p11_kit_uri_get_module_path(s->uri);
	if (path == NULL) {
		CK_FUNCTION_LIST **all = p11_kit_modules_load_and_initialize(0);
		if (all == NULL)
			tool_err("%s: p11-kit could not load the PKCS#11 modules: %s", s->text,
			         p11_kit_message() != NULL ? p11_kit_message() : "unknown error");
		return all;
	}
	one[0] = p11_kit_module_load(path, 0);
	one[1] = NULL;
	if (one[0] == NULL || p11_kit_module_initialize(one[0]) != CKR_OK) {
		tool_err("%s: cannot load the PKCS#11 module %s", s->text, path);
		if (one[0] != NULL)
			p11_kit_module_release(one[0]);
		return NULL;
	}
	return one;
}

static void unload_modules(CK_FUNCTION_LIST **mods, CK_FUNCTION_LIST **one)
{
	if (mods == NULL)
		return;
	if (mods != one) {
		p11_kit_modules_finalize_and_release(mods);
		return;
	}
	(void)p11_kit_module_finalize(one[0]);
	p11_kit_module_release(one[0]);
}

/* Finds the one key, then reads its public key and signs. */
static tool_exit find_and_sign(token_search *s, CK_FUNCTION_LIST **mods, const uint8_t *msg,
                               size_t len, uint8_t pk[32], uint8_t sig[64])
{
	tool_exit rc = EXIT_ACCEPT;
	for (size_t i = 0; mods[i] != NULL && rc == EXIT_ACCEPT; i++)
		rc = search_module(s, mods[i]);
	if (rc == EXIT_ACCEPT && s->found != 1) {
		tool_err("%s: %s Ed25519 private key matches this URI%s", s->text,
		         s->found == 0 ? "no" : "more than one",
		         s->found == 0 ? " (check the token, object and id, and the PIN)"
		                       : ": add id= or object= to pick one");
		rc = EXIT_TROUBLE;
	}
	if (rc == EXIT_ACCEPT)
		rc = public_key(s, pk);
	if (rc == EXIT_ACCEPT)
		rc = sign_with(s, msg, len, sig);
	if (s->module != NULL)
		(void)s->module->C_CloseSession(s->session);
	return rc;
}

tool_exit token_sign(const char *text, const uint8_t *msg, size_t len,
                     uint8_t pk[VETO_PUBLICKEYBYTES], uint8_t sig[64])
{
	/* Messages show the URI, except one that carries its PIN. */
	token_search s = {.text = strstr(text, "pin-value") != NULL ? "the PKCS#11 URI" : text};
	s.uri = p11_kit_uri_new();
	if (s.uri == NULL)
		return tool_fail("parse the PKCS#11 URI", VETO_E_NOMEM);
	int r = p11_kit_uri_parse(text, P11_KIT_URI_FOR_ANY, s.uri);
	if (r != P11_KIT_URI_OK) {
		tool_err("%s: not a valid PKCS#11 URI (RFC 7512): %s", s.text, p11_kit_uri_message(r));
		p11_kit_uri_free(s.uri);
		return EXIT_TROUBLE;
	}
	CK_FUNCTION_LIST *one[2] = {NULL, NULL};
	CK_FUNCTION_LIST **mods = load_modules(&s, one);
	tool_exit rc = mods != NULL ? find_and_sign(&s, mods, msg, len, pk, sig) : EXIT_TROUBLE;
	unload_modules(mods, one);
	pass_wipe(&s.pin);
	p11_kit_uri_free(s.uri);
	return rc;
}

#endif
