/* SPDX-License-Identifier: Apache-2.0 */
/* --receipt OUT: see receipt.h for the order of the steps. */
#include "receipt.h"

#include <stdio.h>
#include <string.h>

#include "devkey.h"
#include "passphrase.h"

void receipt_from_args(receipt_out *r, const args *a, size_t base)
{
	*r = (receipt_out)RECEIPT_UNUSED;
	r->path = args_one(a, base);
	r->key_path = args_one(a, base + 1);
	r->nonce = args_one(a, base + 2);
	r->pass_file = args_one(a, base + 3);
}

tool_exit receipt_nonce_check(const char *nonce)
{
	if (nonce == NULL)
		return EXIT_ACCEPT;
	size_t len = strlen(nonce);
	if (len > VETO_NONCE_MAX)
		return tool_usage("--nonce is %zu characters long; a nonce is 1 to %u characters", len,
		                  VETO_NONCE_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)nonce[i];
		if (c < 0x21 || c > 0x7e)
			return tool_usage("--nonce: character %zu is not one of U+0021..U+007E (a nonce "
			                  "is printable ASCII from '!' to '~', without spaces)",
			                  i + 1);
	}
	return EXIT_ACCEPT;
}

/* The options that mean something only with --receipt, and the nonce. */
static tool_exit options_check(const receipt_out *r)
{
	const char *lone = r->key_path != NULL ? "--receipt-key"
	                   : r->nonce != NULL  ? "--nonce"
	                   : r->pass_file != NULL ? "--passphrase-file"
	                                          : NULL;
	if (r->path == NULL && lone != NULL)
		return tool_usage("%s belongs to a receipt: give --receipt OUT too", lone);
	if (r->pass_file != NULL && r->key_path == NULL)
		return tool_usage("--passphrase-file opens an encrypted --receipt-key; the device "
		                  "key DIR/" DEVKEY_SECRET " is never encrypted");
	/* Standard input belongs to the command's documents (--image -). */
	if (is_dash(r->key_path) || is_dash(r->pass_file))
		return tool_usage("%s needs a file: standard input is left to the command's "
		                  "documents",
		                  is_dash(r->key_path) ? "--receipt-key" : "--passphrase-file");
	return receipt_nonce_check(r->nonce);
}

static tool_exit receipt_missing(const char *dir)
{
	tool_err("%s holds a device key (%s/" DEVKEY_SECRET "), and every change of state "
	         "leaves a receipt: add --receipt OUT (a file outside %s)",
	         dir, dir, dir);
	return EXIT_TROUBLE;
}

tool_exit receipt_prepare(receipt_out *r, const char *dir, receipt_rule rule)
{
	r->dir = dir;
	tool_exit rc = options_check(r);
	if (rc == EXIT_ACCEPT && dir != NULL)
		rc = devkey_look(dir, &r->device_key);
	if (rc != EXIT_ACCEPT)
		return rc;
	if (rule == RECEIPT_FOR_CHANGES && r->device_key && r->path == NULL)
		return receipt_missing(dir);
	if (r->path != NULL && r->key_path == NULL && !r->device_key && !r->key_to_come) {
		if (dir != NULL)
			tool_err("--receipt %s: no key to sign it with: %s holds no device key "
			         "(%s/" DEVKEY_SECRET "); give --receipt-key K.key",
			         r->path, dir, dir);
		else
			tool_err("--receipt %s: no key to sign it with: give --receipt-key K.key",
			         r->path);
		return EXIT_TROUBLE;
	}
	return stage_prepare_kind(&r->st, &stage_receipt, r->path, dir);
}

tool_exit receipt_load_key(receipt_out *r)
{
	if (r->path == NULL || r->keyed)
		return EXIT_ACCEPT;
	tool_exit rc = r->key_path != NULL
	                   ? load_secret_key_with(r->key_path, r->pass_file, r->seed, r->pk)
	                   : devkey_load(r->dir, r->seed, r->pk);
	r->keyed = rc == EXIT_ACCEPT;
	return rc;
}

tool_exit receipt_locked(const receipt_out *r)
{
	bool has_key = false;
	if (r->path != NULL || r->dir == NULL)
		return EXIT_ACCEPT;
	tool_exit rc = devkey_look(r->dir, &has_key);
	return rc == EXIT_ACCEPT && has_key ? receipt_missing(r->dir) : rc;
}

void receipt_use_key(receipt_out *r, const uint8_t seed[VETO_SEEDBYTES])
{
	if (r->path == NULL || r->key_path != NULL)
		return;
	memcpy(r->seed, seed, sizeof r->seed);
	r->keyed = true;
}

tool_exit receipt_stage(receipt_out *r, veto_receipt_facts *f)
{
	if (r->path == NULL)
		return EXIT_ACCEPT;
	f->nonce = r->nonce;
	char *text = NULL;
	size_t len = 0;
	veto_status s = r->keyed ? veto_receipt_sign(&text, &len, NULL, f, r->seed) : VETO_E_ARG;
	wipe(r->seed, sizeof r->seed);
	r->keyed = false;
	if (s != VETO_OK)
		return tool_fail("sign the receipt", s);
	tool_exit rc = stage_begin(&r->st);
	if (rc == EXIT_ACCEPT)
		rc = stage_write(&r->st, (const uint8_t *)text, len);
	if (rc == EXIT_ACCEPT)
		rc = stage_sync(&r->st);
	veto_free(NULL, text);
	return rc;
}

tool_exit receipt_end(receipt_out *r, tool_exit rc, bool state_written)
{
	wipe(r->seed, sizeof r->seed);
	r->keyed = false;
	if (r->ended || r->path == NULL)
		return rc;
	r->ended = true;
	bool staged = stage_open(&r->st);
	if (rc != EXIT_TROUBLE && !staged)
		tool_warn("--receipt %s: no receipt was written: the refusal came before any "
		          "decision from a readable state, and a receipt records a decision",
		          r->path);
	/* stage_end names the file on EXIT_ACCEPT, and on anything else drops
	 * it and removes OUT, returning EXIT_TROUBLE only if that fails. */
	bool install = rc != EXIT_TROUBLE && staged;
	tool_exit w = stage_end(&r->st, install ? EXIT_ACCEPT : EXIT_REFUSE);
	if (!install)
		return w == EXIT_TROUBLE ? EXIT_TROUBLE : rc;
	if (w == EXIT_ACCEPT)
		return rc;
	if (state_written)
		tool_err("the receipt %s was not written; the state WAS written, so the chain of "
		         "receipts has a gap here",
		         r->path);
	else
		tool_err("the receipt %s was not written; the state was not changed", r->path);
	return EXIT_TROUBLE;
}
