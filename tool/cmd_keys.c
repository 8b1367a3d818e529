/* SPDX-License-Identifier: Apache-2.0 */
/* veto keygen, veto key id, veto key import. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "import.h"
#include "util.h"

static const char keygen_help[] =
    "usage: veto keygen NAME\n"
    "\n"
    "Makes a new Ed25519 key pair: NAME.key, the secret key (mode 0600), and\n"
    "NAME.pub, the public key.  Prints the keyid.  Never overwrites a file:\n"
    "exits 2 when NAME.key or NAME.pub exists.\n";

static const char key_help[] =
    "usage: veto key id FILE\n"
    "       veto key import FILE [-o OUT.pub]\n"
    "\n"
    "key id      prints the keyid of a veto public (.pub) or secret (.key) key file.\n"
    "key import  turns an Ed25519 public key made by minisign, signify or OpenSSH\n"
    "            (ssh-ed25519 AAAA...) into a veto public key file, written to\n"
    "            OUT.pub (then the keyid is printed) or to standard output.\n";

static int write_all_fd(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* O_EXCL: a key file is never overwritten, and the secret one is created
 * with mode 0600 from its first instant (no chmod window). */
static int create_new(const char *path, mode_t mode, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			tool_err("%s already exists; veto never overwrites a key file: choose "
			         "another name or move it away first",
			         path);
		else
			tool_err("cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	if (write_all_fd(fd, data, len) != 0 || fsync(fd) != 0) {
		tool_err("cannot write %s: %s", path, strerror(errno));
		close(fd);
		(void)unlink(path);
		return -1;
	}
	if (close(fd) != 0) {
		tool_err("cannot write %s: %s", path, strerror(errno));
		(void)unlink(path);
		return -1;
	}
	return 0;
}

int cmd_keygen(int argc, char **argv)
{
	args a;
	int early = args_start(&a, NULL, 0, argc, argv, keygen_help);
	if (early >= 0)
		return early;
	if (a.n_operands != 1) {
		args_free(&a);
		return tool_usage("give one NAME: the key pair is written to NAME.key and NAME.pub");
	}
	const char *name = a.operands[0];
	if (is_dash(name)) {
		args_free(&a);
		return tool_usage("NAME cannot be '-': keygen writes two files, NAME.key and NAME.pub");
	}
	char keypath[4096], pubpath[4096];
	int k = snprintf(keypath, sizeof keypath, "%s.key", name);
	int p = snprintf(pubpath, sizeof pubpath, "%s.pub", name);
	args_free(&a);
	if (k < 0 || (size_t)k >= sizeof keypath || p < 0 || (size_t)p >= sizeof pubpath)
		return tool_usage("NAME is too long");

	int rc = EXIT_TROUBLE;
	uint8_t pk[VETO_PUBLICKEYBYTES];
	uint8_t seed[VETO_SEEDBYTES];
	char *sec = NULL, *pub = NULL;
	size_t sec_len = 0, pub_len = 0;
	char keyid[VETO_KEYIDCHARS + 1];
	veto_status s = veto_keygen(pk, seed);
	if (s == VETO_OK)
		s = veto_seckey_format(&sec, &sec_len, NULL, seed);
	if (s == VETO_OK)
		s = veto_pubkey_format(&pub, &pub_len, NULL, pk);
	if (s == VETO_OK)
		s = veto_keyid(keyid, pk);
	if (s != VETO_OK) {
		tool_err("cannot make a key pair: %s", veto_strerror(s));
		goto done;
	}
	if (create_new(keypath, 0600, sec, sec_len) != 0)
		goto done;
	if (create_new(pubpath, 0644, pub, pub_len) != 0) {
		(void)unlink(keypath); /* no half pair left behind */
		goto done;
	}
	printf("%s\n", keyid);
	rc = EXIT_ACCEPT;
done:
	wipe(seed, sizeof seed);
	if (sec != NULL)
		veto_free_secret(NULL, sec, sec_len);
	veto_free(NULL, pub);
	return rc;
}

static int key_id(const char *path)
{
	uint8_t buf[TOOL_MAX_KEY_FILE]; /* may hold a secret: wiped below */
	size_t len;
	unsigned mode;
	int rc = EXIT_TROUBLE;
	if (read_small(path, buf, sizeof buf, &len, &mode) != 0)
		goto done;

	uint8_t pk[VETO_PUBLICKEYBYTES];
	uint8_t seed[VETO_SEEDBYTES];
	veto_diag dp = {{0}}, ds = {{0}};
	veto_status sp = veto_pubkey_parse(pk, &dp, buf, len);
	if (sp != VETO_OK) {
		veto_status ss = veto_seckey_parse(seed, pk, &ds, buf, len);
		wipe(seed, sizeof seed);
		if (ss == VETO_OK && (mode & 077) != 0) {
			secret_mode_error(path, mode);
			goto done;
		}
		if (ss != VETO_OK) {
			int secretish = strstr((const char *)buf, "ed25519-seed") != NULL;
			const veto_diag *d = secretish ? &ds : &dp;
			tool_err("%s: not a veto key file: %s", is_dash(path) ? "standard input" : path,
			         d->detail[0] != '\0' ? d->detail
			                              : veto_strerror(secretish ? ss : sp));
			goto done;
		}
	}
	char keyid[VETO_KEYIDCHARS + 1];
	veto_status s = veto_keyid(keyid, pk);
	if (s != VETO_OK) {
		tool_err("cannot compute the keyid: %s", veto_strerror(s));
		goto done;
	}
	printf("%s\n", keyid);
	rc = EXIT_ACCEPT;
done:
	wipe(buf, sizeof buf);
	return rc;
}

static int key_import(const char *path, const char *out)
{
	uint8_t *text;
	size_t len;
	if (read_input(path, TOOL_MAX_SMALL_FILE, &text, &len) != 0)
		return EXIT_TROUBLE;
	const char *shown = is_dash(path) ? "standard input" : path;
	if (len > TOOL_MAX_SMALL_FILE) {
		tool_err("%s: too large to be a public key file", shown);
		free(text);
		return EXIT_TROUBLE;
	}
	uint8_t pk[VETO_PUBLICKEYBYTES];
	const char *format = "";
	char err[256];
	int r = import_public_key(pk, &format, err, sizeof err, text, len);
	free(text);
	if (r != 0) {
		tool_err("%s: cannot import: %s", shown, err);
		return EXIT_TROUBLE;
	}

	char *pub = NULL;
	size_t pub_len = 0;
	char keyid[VETO_KEYIDCHARS + 1];
	veto_status s = veto_keyid(keyid, pk);
	if (s == VETO_OK)
		s = veto_pubkey_format(&pub, &pub_len, NULL, pk);
	if (s != VETO_OK) {
		tool_err("cannot write the veto public key: %s", veto_strerror(s));
		return EXIT_TROUBLE;
	}
	int rc = write_output(out, pub, pub_len, -1) == 0 ? EXIT_ACCEPT : EXIT_TROUBLE;
	veto_free(NULL, pub);
	if (rc != EXIT_ACCEPT)
		return rc;
	if (out != NULL && !is_dash(out))
		printf("%s\n", keyid);
	fprintf(stderr, "veto key import: imported the Ed25519 key of %s (%s format), keyid %s\n",
	        shown, format, keyid);
	/* DSSE's "DSSEv1 ..." prefix keeps veto's signatures apart from each
	 * other's, but a tool that signs raw bytes can be led to sign exactly
	 * such a prefixed text: then it has made a veto signature. */
	tool_warn("use this key for veto only from now on: if it also signs files elsewhere "
	          "(with minisign, signify, ssh-keygen or anything else), whoever can get a "
	          "file of their choosing signed may obtain a veto signature on a policy or "
	          "an update");
	return rc;
}

int cmd_key(int argc, char **argv)
{
	tool_cmd = "key";
	if (argc < 2)
		return tool_usage("give a subcommand: 'key id FILE' or 'key import FILE'");
	const char *sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		fputs(key_help, stdout);
		return EXIT_ACCEPT;
	}
	static const opt_def import_opts[] = {{"output", 'o', 1, 0}};
	int is_import = strcmp(sub, "import") == 0;
	if (!is_import && strcmp(sub, "id") != 0)
		return tool_usage("unknown key subcommand '%s' (use 'id' or 'import')", sub);
	tool_cmd = is_import ? "key import" : "key id";

	args a;
	int early = args_start(&a, import_opts, is_import ? 1 : 0, argc - 1, argv + 1, key_help);
	if (early >= 0)
		return early;
	int rc;
	if (a.n_operands != 1)
		rc = tool_usage(is_import ? "give one public key FILE to import" : "give one key FILE");
	else if (is_import)
		rc = key_import(a.operands[0], args_one(&a, 0));
	else
		rc = key_id(a.operands[0]);
	args_free(&a);
	return rc;
}
