/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include <veto.h>

#include "cmd.h"
#include "util.h"

static const char usage_text[] =
    "usage: veto COMMAND [ARGS]\n"
    "\n"
    "Decides whether a vendor's firmware update may be installed on a device,\n"
    "under a policy signed by the device's owner.\n"
    "\n"
    "Keys and signing:\n"
    "  keygen NAME [--passphrase-file F]  new key pair: NAME.key (0600) and NAME.pub\n"
    "  key id FILE                         the keyid of a key file\n"
    "  key import FILE [-o OUT.pub]        minisign, signify, OpenSSH or PEM Ed25519 key\n"
    "  key passphrase K.key                add, change or remove a key's passphrase\n"
    "  sign --key KEY PAYLOAD [-o OUT]     sign a policy or update payload\n"
    "  cosign --key KEY ENVELOPE [-o OUT]  add a signature to an envelope\n"
    "                                      (KEY: a key file or a pkcs11: URI)\n"
    "  pae FILE [-o OUT]                   the bytes to sign, for a signer elsewhere\n"
    "  attach --key K.pub --sig SIG FILE [-o OUT]\n"
    "                                      put a signature made elsewhere in\n"
    "  show ENVELOPE [--key K.pub]... [--owner OLD.pub]...\n"
    "                                      the payload and who signed it\n"
    "\n"
    "Owner's documents (no JSON by hand):\n"
    "  anchor --device VENDOR/MODEL --key K.pub... [--threshold N] [-o ANCHOR]\n"
    "  policy new --device VENDOR/MODEL --role NAME:THRESHOLD:KEYS...\n"
    "        --require ROLE... [OPTIONS] [-o POLICY.json]\n"
    "  policy next POLICY (--owner K.pub... | --state DIR) [OPTIONS] [-o POLICY.json]\n"
    "\n"
    "Decisions:\n"
    "  init --state DIR --anchor ANCHOR [--security-counter N] [--feature F]...\n"
    "        [--device-key] [--receipt OUT]\n"
    "  trust --state DIR --policy POLICY... [--now TIME]\n"
    "  check (--state DIR | --anchor ANCHOR) [--policy POLICY]... --update UPDATE\n"
    "        [--image FILE] [--now TIME] [--json]\n"
    "  commit --state DIR [--policy POLICY]... --update UPDATE --image FILE\n"
    "        [--now TIME]\n"
    "  preflight --update UPDATE POLICY... [--now TIME] [--json]\n"
    "  status --state DIR [--json] [--receipt OUT --nonce TEXT]\n"
    "                                      what the device runs now\n"
    "\n"
    "Signed receipts (trust, check, commit: --receipt OUT [--receipt-key K.key]\n"
    "[--nonce TEXT]; init --device-key makes the device key that signs them):\n"
    "  receipt verify --key DEVICE.pub RECEIPT... [--json]\n"
    "                                      signatures, and the chain of states\n"
    "\n"
    "'-' as a file name is standard input or output.  TIME is\n"
    "YYYY-MM-DDTHH:MM:SSZ (UTC).  Exit status: 0 accepted or done, 1 refused,\n"
    "2 usage, I/O or internal error.  'veto COMMAND --help' for details;\n"
    "man veto(1).\n";

static const tool_command *const commands[] = {
	&cmd_keygen, &cmd_key,   &cmd_sign,  &cmd_cosign, &cmd_show,      &cmd_pae,
	&cmd_attach, &cmd_init,  &cmd_trust, &cmd_check,  &cmd_commit, &cmd_preflight,
	&cmd_anchor, &cmd_policy, &cmd_status, &cmd_receipt,
};

/* Runs cmd on its own argv (argv[0] is its name). */
static tool_exit run_command(const tool_command *cmd, int argc, char **argv)
{
	tool_cmd = cmd->name;
	if (veto_init() != VETO_OK) {
		tool_err("cannot initialise the cryptography library (libsodium)");
		return EXIT_TROUBLE;
	}
	tool_exit rc;
	if (cmd->run_argv != NULL) {
		rc = cmd->run_argv(argc, argv);
	} else {
		args a;
		if (args_start(&a, cmd->opts, cmd->n_opts, argc, argv, cmd->help, &rc)) {
			rc = cmd->run(&a);
			args_free(&a);
		}
	}
	/* Output lost to a full disk or closed pipe must not pass for
	 * success. */
	if (finish_stdout() != EXIT_ACCEPT && rc == EXIT_ACCEPT)
		rc = EXIT_TROUBLE;
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_TROUBLE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		fputs(usage_text, stdout);
		return finish_stdout();
	}
	if (strcmp(name, "--version") == 0) {
		printf("veto %s\n", VETO_VERSION_STRING);
		return finish_stdout();
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i]->name) == 0)
			return run_command(commands[i], argc - 1, argv + 1);
	return tool_usage("unknown command '%s'", name);
}
