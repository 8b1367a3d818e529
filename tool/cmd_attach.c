/* SPDX-License-Identifier: Apache-2.0 */
/* veto attach: a detached Ed25519 signature made elsewhere, verified and
 * put into an envelope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "files.h"
#include "import.h"
#include "signing.h"
#include "util.h"

static const char attach_help[] =
    "usage: veto attach --key K.pub --sig SIG FILE [-o OUT]\n"
    "\n"
    "Puts a signature made elsewhere into an envelope.  FILE is an envelope (the\n"
    "signature is added, in place unless -o is given) or a payload (a new\n"
    "envelope goes to OUT or standard output).  SIG must be a pure Ed25519\n"
    "signature of the bytes 'veto pae FILE' writes, by K.pub: 64 raw bytes, one\n"
    "line of their base64, a signify .sig file, or a minisign signature made\n"
    "with 'minisign -S -l'.  It is verified before anything is written.\n"
    "\n"
    "  --key K.pub    the signer's public key: a veto .pub file or any file\n"
    "                 'veto key import' reads\n"
    "  --sig SIG      the signature file\n"
    "  -o, --output F where to write the envelope ('-': standard output)\n";

enum { O_KEY, O_SIG, O_OUTPUT };
static const opt_def attach_opts[] = {
	[O_KEY] = {.name = "key", .takes_value = true},
	[O_SIG] = {.name = "sig", .takes_value = true},
	[O_OUTPUT] = {.name = "output", .short_name = 'o', .takes_value = true},
};

static tool_exit read_signature(const char *path, uint8_t sig[64])
{
	uint8_t *text;
	size_t len;
	if (read_bounded(path, TOOL_MAX_SMALL_FILE, "too large to be a signature file", &text,
	                 &len) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	const char *format = "";
	char err[320];
	veto_status s = import_signature(sig, &format, err, sizeof err, text, len);
	free(text);
	if (s != VETO_OK) {
		tool_err("%s: not a usable signature: %s", shown_name(path), err);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

static tool_exit attach_run(const args *a)
{
	const char *key = args_one(a, O_KEY);
	const char *sig_path = args_one(a, O_SIG);
	if (a->n_operands != 1 || key == NULL || sig_path == NULL)
		return tool_usage("give --key K.pub, --sig SIG and one FILE (a payload or an "
		                  "envelope)");
	const char *path = a->operands[0];
	const char *const inputs[] = {key, sig_path, path};
	tool_exit rc = check_one_stdin(inputs, ARGS_COUNT(inputs), NULL, 0);
	uint8_t pk[VETO_PUBLICKEYBYTES], sig[64];
	uint8_t *doc = NULL;
	size_t len = 0;
	if (rc == EXIT_ACCEPT)
		rc = read_any_public_key(key, pk);
	if (rc == EXIT_ACCEPT)
		rc = read_signature(sig_path, sig);
	if (rc == EXIT_ACCEPT)
		rc = read_document(path, ", the limit of an envelope", &doc, &len);
	if (rc == EXIT_ACCEPT)
		rc = attach_and_write(path, doc, len, pk, sig, args_one(a, O_OUTPUT),
		                      shown_name(sig_path));
	free(doc);
	return rc;
}

TOOL_COMMAND(cmd_attach, "attach", attach_opts, attach_help, attach_run);
