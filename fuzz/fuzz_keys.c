/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_keys.c - key files (public, secret, (1.1) encrypted) through the
 * public API, and the command's importers (tool/import.c: minisign,
 * signify, OpenSSH lines with options, PEM; detached signatures).
 *
 * Invariants: a key file that parses formats to a text that parses to the
 * same key; a secret key's public key is its seed's; an encrypted file is
 * only decrypted with KDF parameters inside the contract's bounds, and
 * opens to a seed whose keyid is the file's; a key that imports passes
 * veto_key_check; an importer that refuses always says why.
 */
#include <stdlib.h>
#include <string.h>

#include "../tool/import.h"
#include "fuzz.h"

/* The passphrase of the encrypted seeds in tests/fuzz-corpus/keys. */
static const uint8_t pass[] = "fuzz";

/* Decrypting costs what memlimit says: only small ones are tried, so a
 * run stays fast (the bounds themselves are checked by the library before
 * any work, whatever the value). */
static bool cheap_kdf(const uint8_t *data, size_t size)
{
	char text[4097];
	size_t n = size < 4096 ? size : 4096;
	memcpy(text, data, n);
	text[n] = '\0';
	const char *m = strstr(text, "\"memlimit\":");
	if (m == NULL)
		return false;
	unsigned long long v = strtoull(m + 11, NULL, 10);
	return v <= 1024 * 1024;
}

static void key_files(const uint8_t *data, size_t size)
{
	uint8_t pk[32], pk2[32], seed[32];
	char *text = NULL;
	size_t len = 0;
	if (veto_pubkey_parse(pk, NULL, data, size) == VETO_OK) {
		FZ_CHECK(veto_key_check(pk) == VETO_OK);
		FZ_CHECK(veto_pubkey_format(&text, &len, NULL, pk) == VETO_OK);
		FZ_CHECK(veto_pubkey_parse(pk2, NULL, (const uint8_t *)text, len) == VETO_OK);
		FZ_CHECK(memcmp(pk, pk2, 32) == 0);
		veto_free(NULL, text);
	}
	if (veto_seckey_parse(seed, pk, NULL, data, size) == VETO_OK) {
		FZ_CHECK(veto_key_public(pk2, seed) == VETO_OK && memcmp(pk, pk2, 32) == 0);
		FZ_CHECK(!veto_seckey_is_encrypted(data, size));
	}
	if (veto_seckey_is_encrypted(data, size) && cheap_kdf(data, size)) {
		int weak = 0;
		veto_diag d = {{0}};
		veto_status st = veto_seckey_decrypt(seed, pk, &weak, &d, data, size, pass, 4);
		FZ_CHECK(st == VETO_OK || st == VETO_E_MALFORMED || st == VETO_E_PASSPHRASE ||
		         st == VETO_E_NOMEM);
		FZ_CHECK(st == VETO_OK || d.detail[0] != '\0');
		if (st == VETO_OK)
			FZ_CHECK(veto_key_public(pk2, seed) == VETO_OK && memcmp(pk, pk2, 32) == 0);
	}
	memset(seed, 0, sizeof seed);
}

static void imports(const uint8_t *data, size_t size)
{
	uint8_t pk[32], sig[64];
	const char *format = NULL;
	char err[320];
	err[0] = '\0';
	veto_status st = import_public_key(pk, &format, err, sizeof err, data, size);
	if (st == VETO_OK)
		FZ_CHECK(format != NULL && veto_key_check(pk) == VETO_OK);
	else
		FZ_CHECK(err[0] != '\0');
	err[0] = '\0';
	st = import_signature(sig, &format, err, sizeof err, data, size);
	FZ_CHECK(st == VETO_OK ? format != NULL : err[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)fz_get();
	key_files(data, size);
	if (size <= 64 * 1024)
		imports(data, size);
	return 0;
}
