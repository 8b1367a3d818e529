/* SPDX-License-Identifier: Apache-2.0 */
/* veto keygen: a new key pair, (1.1) its secret key encrypted when a
 * passphrase is given. */
#include <stdio.h>
#include <unistd.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "files.h"
#include "passphrase.h"
#include "util.h"

static const char keygen_help[] =
    "usage: veto keygen NAME [--passphrase-file FILE]\n"
    "\n"
    "Makes a new Ed25519 key pair: NAME.key, the secret key (mode 0600), and\n"
    "NAME.pub, the public key.  Prints the keyid.  Never overwrites a file:\n"
    "exits 2 when NAME.key or NAME.pub exists.\n"
    "\n"
    "The secret key is encrypted (Argon2id, XSalsa20-Poly1305) with the first\n"
    "line of FILE; without --passphrase-file, on a terminal, veto asks twice\n"
    "(an empty answer writes an unencrypted key, with a warning); with neither,\n"
    "the key is written unencrypted.\n"
    "\n"
    "  --passphrase-file FILE  the passphrase (its first line; empty: exit 2)\n";

enum { O_PASSFILE };
static const opt_def keygen_opts[] = {
	[O_PASSFILE] = {.name = "passphrase-file", .takes_value = true},
};

/* The two file names of the pair NAME: false when they do not fit. */
static bool pair_paths(char *keypath, char *pubpath, size_t cap, const char *name)
{
	int k = snprintf(keypath, cap, "%s.key", name);
	int p = snprintf(pubpath, cap, "%s.pub", name);
	return k >= 0 && (size_t)k < cap && p >= 0 && (size_t)p < cap;
}

/* O_EXCL (create_new): a key file is never overwritten, and the secret one
 * is created with mode 0600 from its first instant (no chmod window). */
static tool_exit make_pair(const char *keypath, const char *pubpath, const passphrase *pass)
{
	tool_exit rc = EXIT_TROUBLE;
	uint8_t pk[VETO_PUBLICKEYBYTES];
	uint8_t seed[VETO_SEEDBYTES];
	char *sec = NULL, *pub = NULL;
	size_t sec_len = 0, pub_len = 0;
	char keyid[VETO_KEYIDCHARS + 1];
	veto_status s = veto_keygen(pk, seed);
	if (s == VETO_OK)
		s = veto_pubkey_format(&pub, &pub_len, NULL, pk);
	if (s == VETO_OK)
		s = veto_keyid(keyid, pk);
	if (s != VETO_OK) {
		(void)tool_fail("make a key pair", s);
	} else if (seckey_text(seed, pass, &sec, &sec_len) != EXIT_ACCEPT) {
		/* nothing written */
	} else if (create_new(keypath, 0600, sec, sec_len) != EXIT_ACCEPT) {
		/* nothing written */
	} else if (create_new(pubpath, 0644, pub, pub_len) != EXIT_ACCEPT) {
		(void)unlink(keypath); /* no half pair left behind */
	} else {
		printf("%s\n", keyid);
		rc = EXIT_ACCEPT;
	}
	wipe(seed, sizeof seed);
	if (sec != NULL)
		veto_free_secret(NULL, sec, sec_len);
	veto_free(NULL, pub);
	return rc;
}

static tool_exit keygen_run(const args *a)
{
	char keypath[4096], pubpath[4096];
	if (a->n_operands != 1)
		return tool_usage("give one NAME: the key pair is written to NAME.key and NAME.pub");
	if (is_dash(a->operands[0]))
		return tool_usage("NAME cannot be '-': keygen writes two files, NAME.key and NAME.pub");
	if (!pair_paths(keypath, pubpath, sizeof keypath, a->operands[0]))
		return tool_usage("NAME is too long");
	const char *pass_file = args_one(a, O_PASSFILE);
	passphrase pass;
	tool_exit rc = new_passphrase(&pass, pass_file, false, keypath, false);
	if (rc == EXIT_ACCEPT && pass.len == 0 && pass_file == NULL && pass_have_terminal())
		tool_warn("%s is written unencrypted: anyone who can read it can sign with it",
		          keypath);
	if (rc == EXIT_ACCEPT)
		rc = make_pair(keypath, pubpath, &pass);
	pass_wipe(&pass);
	return rc;
}

TOOL_COMMAND(cmd_keygen, "keygen", keygen_opts, keygen_help, keygen_run);
