/* SPDX-License-Identifier: Apache-2.0 */
/* veto pae: the exact bytes a signer elsewhere must sign. */
#include <stdlib.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "files.h"
#include "signing.h"
#include "util.h"

static const char pae_help[] =
    "usage: veto pae FILE [-o OUT]\n"
    "\n"
    "Writes the exact bytes that a signature on FILE covers: DSSE's\n"
    "pre-authentication encoding of its type and payload.  FILE is a policy or\n"
    "update payload (checked as 'veto sign' checks it) or an envelope (checked\n"
    "as 'veto cosign' checks it).  Sign these bytes with pure Ed25519 (an HSM,\n"
    "'openssl pkeyutl -sign -rawin', 'signify -S', 'minisign -S -l', an\n"
    "ssh-agent) and put the signature in with 'veto attach'.\n"
    "\n"
    "  -o, --output F where to write the bytes ('-' or absent: standard output)\n";

enum { O_OUTPUT };
static const opt_def pae_opts[] = {
	[O_OUTPUT] = {.name = "output", .short_name = 'o', .takes_value = true},
};

static tool_exit pae_run(const args *a)
{
	if (a->n_operands != 1)
		return tool_usage("give one FILE: a payload or an envelope");
	const char *path = a->operands[0];
	uint8_t *doc = NULL, *pae = NULL;
	size_t len = 0, pae_len = 0;
	bool envelope = false;
	tool_exit rc = read_document(path, ", the limit of an envelope", &doc, &len);
	if (rc == EXIT_ACCEPT)
		rc = doc_pae(path, doc, len, DOC_EITHER, &pae, &pae_len, &envelope);
	if (rc == EXIT_ACCEPT)
		rc = write_output(args_one(a, O_OUTPUT), pae, pae_len, -1);
	veto_free(NULL, pae);
	free(doc);
	return rc;
}

TOOL_COMMAND(cmd_pae, "pae", pae_opts, pae_help, pae_run);
