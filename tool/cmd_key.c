/* SPDX-License-Identifier: Apache-2.0 */
/* veto key id, veto key import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "files.h"
#include "import.h"
#include "passphrase.h"
#include "util.h"

static const char key_help[] =
    "usage: veto key id FILE\n"
    "       veto key import FILE [-o OUT.pub]\n"
    "       veto key passphrase K.key [--passphrase-file OLD] [--new-passphrase-file NEW]\n"
    "\n"
    "key id      prints the keyid of a veto public (.pub) or secret (.key) key file\n"
    "            (an encrypted one asks its passphrase on the terminal).\n"
    "key import  turns an Ed25519 public key made by minisign, signify, OpenSSH\n"
    "            (ssh-ed25519 AAAA..., authorized_keys and allowed_signers lines\n"
    "            included) or a PEM PUBLIC KEY block into a veto public key file,\n"
    "            written to OUT.pub (then the keyid is printed) or to standard output.\n"
    "key passphrase\n"
    "            adds, changes or removes the passphrase of a secret key file,\n"
    "            rewriting it atomically with mode 0600.  OLD and NEW hold the\n"
    "            passphrases on their first line; without them veto asks on the\n"
    "            terminal.  An empty NEW (or answer) removes the encryption.\n";

enum { O_OUTPUT };
static const opt_def import_opts[] = {
	[O_OUTPUT] = {.name = "output", .short_name = 'o', .takes_value = true},
};

enum { O_OLD, O_NEW };
static const opt_def passphrase_opts[] = {
	[O_OLD] = {.name = "passphrase-file", .takes_value = true},
	[O_NEW] = {.name = "new-passphrase-file", .takes_value = true},
};

static tool_exit print_keyid(const uint8_t pk[VETO_PUBLICKEYBYTES])
{
	char keyid[VETO_KEYIDCHARS + 1];
	veto_status s = veto_keyid(keyid, pk);
	if (s != VETO_OK)
		return tool_fail("compute the keyid", s);
	printf("%s\n", keyid);
	return EXIT_ACCEPT;
}

/* The public key of a veto public or secret key file in buf. */
static tool_exit key_of_file(const char *path, const uint8_t *buf, size_t len, unsigned mode,
                             uint8_t pk[VETO_PUBLICKEYBYTES])
{
	uint8_t seed[VETO_SEEDBYTES];
	veto_diag dp = {{0}}, ds = {{0}};
	veto_status sp = veto_pubkey_parse(pk, &dp, buf, len);
	if (sp == VETO_OK)
		return EXIT_ACCEPT;
	if (veto_seckey_is_encrypted(buf, len)) {
		if ((mode & 077) != 0) {
			secret_mode_error(path, mode);
			return EXIT_TROUBLE;
		}
		tool_exit rc = open_encrypted_key(path, NULL, buf, len, seed, pk);
		wipe(seed, sizeof seed);
		return rc;
	}
	veto_status ss = veto_seckey_parse(seed, pk, &ds, buf, len);
	wipe(seed, sizeof seed);
	if (ss == VETO_OK && (mode & 077) != 0) {
		secret_mode_error(path, mode);
		return EXIT_TROUBLE;
	}
	if (ss == VETO_OK)
		return EXIT_ACCEPT;
	bool secretish = strstr((const char *)buf, "ed25519-seed") != NULL;
	const veto_diag *d = secretish ? &ds : &dp;
	tool_err("%s: not a veto key file: %s", shown_name(path),
	         d->detail[0] != '\0' ? d->detail : veto_strerror(secretish ? ss : sp));
	return EXIT_TROUBLE;
}

static tool_exit key_id(const char *path)
{
	uint8_t buf[TOOL_MAX_KEY_FILE]; /* may hold a secret: wiped below */
	size_t len;
	unsigned mode;
	uint8_t pk[VETO_PUBLICKEYBYTES];
	tool_exit rc = read_small(path, buf, sizeof buf, &len, &mode);
	if (rc == EXIT_ACCEPT)
		rc = key_of_file(path, buf, len, mode, pk);
	if (rc == EXIT_ACCEPT)
		rc = print_keyid(pk);
	wipe(buf, sizeof buf);
	return rc;
}

/* Reads path and imports the key in it, saying which format it was in. */
static tool_exit import_file(const char *path, uint8_t pk[VETO_PUBLICKEYBYTES],
                             const char **format)
{
	uint8_t *text;
	size_t len;
	if (read_bounded(path, TOOL_MAX_SMALL_FILE, "too large to be a public key file", &text,
	                 &len) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	char err[256];
	veto_status s = import_public_key(pk, format, err, sizeof err, text, len);
	free(text);
	if (s != VETO_OK) {
		tool_err("%s: cannot import: %s", shown_name(path), err);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

static tool_exit key_import(const char *path, const char *out)
{
	uint8_t pk[VETO_PUBLICKEYBYTES];
	const char *format = "";
	if (import_file(path, pk, &format) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	char *pub = NULL;
	size_t pub_len = 0;
	char keyid[VETO_KEYIDCHARS + 1];
	veto_status s = veto_keyid(keyid, pk);
	if (s == VETO_OK)
		s = veto_pubkey_format(&pub, &pub_len, NULL, pk);
	if (s != VETO_OK)
		return tool_fail("write the veto public key", s);
	tool_exit rc = write_output(out, pub, pub_len, -1);
	veto_free(NULL, pub);
	if (rc != EXIT_ACCEPT)
		return rc;
	if (out != NULL && !is_dash(out))
		printf("%s\n", keyid);
	fprintf(stderr, "veto key import: imported the Ed25519 key of %s (%s format), keyid %s\n",
	        shown_name(path), format, keyid);
	/* DSSE's "DSSEv1 ..." prefix keeps veto's signatures apart from each
	 * other's, but a tool that signs raw bytes can be led to sign exactly
	 * such a prefixed text: then it has made a veto signature. */
	tool_warn("use this key for veto only from now on: if it also signs files elsewhere "
	          "(with minisign, signify, ssh-keygen or anything else), whoever can get a "
	          "file of their choosing signed may obtain a veto signature on a policy or "
	          "an update");
	return rc;
}

static tool_exit key_passphrase(const char *path, const char *old, const char *new_file)
{
	if (is_dash(path))
		return tool_usage("K.key cannot be '-': key passphrase rewrites the file");
	const char *const inputs[] = {old, new_file};
	if (check_one_stdin(inputs, ARGS_COUNT(inputs), NULL, 0) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	uint8_t seed[VETO_SEEDBYTES], pk[VETO_PUBLICKEYBYTES];
	bool was = false;
	passphrase pass = {.len = 0};
	char *text = NULL;
	size_t len = 0;
	tool_exit rc = load_secret_key_ex(path, old, seed, pk, &was);
	if (rc == EXIT_ACCEPT)
		rc = new_passphrase(&pass, new_file, true, path, true);
	if (rc == EXIT_ACCEPT)
		rc = seckey_text(seed, &pass, &text, &len);
	wipe(seed, sizeof seed);
	if (rc == EXIT_ACCEPT)
		rc = write_output(path, text, len, 0600);
	if (rc == EXIT_ACCEPT && pass.len == 0)
		tool_warn("%s is now stored unencrypted: anyone who can read it can sign with it",
		          shown_name(path));
	else if (rc == EXIT_ACCEPT)
		fprintf(stderr, "veto key passphrase: %s %s\n", shown_name(path),
		        was ? "now opens with the new passphrase" : "is now encrypted");
	pass_wipe(&pass);
	if (text != NULL)
		veto_free_secret(NULL, text, len);
	return rc;
}

/* key has subcommands of its own: it reads its argv itself. */
static tool_exit key_main(int argc, char **argv)
{
	tool_cmd = "key";
	if (argc < 2)
		return tool_usage("give a subcommand: 'key id FILE' or 'key import FILE'");
	const char *sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		fputs(key_help, stdout);
		return EXIT_ACCEPT;
	}
	bool is_import = strcmp(sub, "import") == 0;
	bool is_pass = strcmp(sub, "passphrase") == 0;
	if (!is_import && !is_pass && strcmp(sub, "id") != 0)
		return tool_usage("unknown key subcommand '%s' (use 'id', 'import' or 'passphrase')",
		                  sub);
	tool_cmd = is_import ? "key import" : is_pass ? "key passphrase" : "key id";

	args a;
	tool_exit rc;
	const opt_def *opts = is_pass ? passphrase_opts : import_opts;
	size_t n_opts = is_pass ? ARGS_COUNT(passphrase_opts) : is_import ? ARGS_COUNT(import_opts) : 0;
	if (!args_start(&a, opts, n_opts, argc - 1, argv + 1, key_help, &rc))
		return rc;
	if (a.n_operands != 1)
		rc = tool_usage(is_import ? "give one public key FILE to import"
		                : is_pass ? "give one secret key file K.key"
		                          : "give one key FILE");
	else if (is_import)
		rc = key_import(a.operands[0], args_one(&a, O_OUTPUT));
	else if (is_pass)
		rc = key_passphrase(a.operands[0], args_one(&a, O_OLD), args_one(&a, O_NEW));
	else
		rc = key_id(a.operands[0]);
	args_free(&a);
	return rc;
}

const tool_command cmd_key = {
	.name = "key",
	.run_argv = key_main,
};
