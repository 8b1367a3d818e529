/* SPDX-License-Identifier: Apache-2.0 */
/* veto sign, veto cosign, veto show: documents, no decision. */
#define _XOPEN_SOURCE 700 /* realpath(), which glibc hides under plain POSIX */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "util.h"

static const char sign_help[] =
    "usage: veto sign --key K.key PAYLOAD.json [-o ENVELOPE]\n"
    "\n"
    "Wraps a policy or update payload in a new DSSE envelope signed by K.key.\n"
    "The payload type comes from the payload's \"format\" (veto.policy/1 or\n"
    "veto.update/1); a payload that is not a valid policy or update is refused\n"
    "(exit 2).  The envelope goes to ENVELOPE (replaced atomically) or to\n"
    "standard output.\n"
    "\n"
    "  --key K.key    secret key file (must not be readable by group or others)\n"
    "  -o, --output F where to write the envelope ('-': standard output)\n";

static const char cosign_help[] =
    "usage: veto cosign --key K.key ENVELOPE [-o OUT]\n"
    "\n"
    "Adds K.key's signature to ENVELOPE, after checking that its payload is a\n"
    "valid policy or update.  ENVELOPE is rewritten in place, atomically, unless\n"
    "-o is given (or ENVELOPE is '-': then the result goes to standard output).\n"
    "A key whose signature is already there and verifies is not added twice:\n"
    "veto says so and leaves the envelope as it is (exit 0).\n"
    "\n"
    "  --key K.key    secret key file (must not be readable by group or others)\n"
    "  -o, --output F where to write the envelope ('-': standard output)\n";

static const char show_help[] =
    "usage: veto show ENVELOPE [--key K.pub]...\n"
    "\n"
    "Prints an envelope's payload type, its payload (NOT verified: read it as a\n"
    "claim) and, for each signature, its keyid and whether it verifies against\n"
    "a key given with --key.  A policy's signatures are also checked against\n"
    "the keys the policy itself declares, which proves only that those keys\n"
    "signed it.  A signature by no known key is shown as \"key unknown\".\n"
    "\n"
    "  --key K.pub    a public key to check signatures with (repeatable)\n";

enum { OPT_KEY, OPT_OUTPUT };
static const opt_def sign_opts[] = {
	[OPT_KEY] = {"key", 0, 1, 0},
	[OPT_OUTPUT] = {"output", 'o', 1, 0},
};

static const char *shown(const char *path)
{
	return is_dash(path) ? "standard input" : path;
}

/* Reads an envelope or payload for a command that makes no decision: an
 * oversized one is bad input (exit 2), not a refusal. */
static int read_document(const char *path, uint8_t **buf, size_t *len)
{
	if (read_input(path, TOOL_MAX_DOCUMENT, buf, len) != 0)
		return -1;
	if (*len > TOOL_MAX_DOCUMENT) {
		tool_err("%s: larger than %u bytes, the limit of an envelope", shown(path),
		         (unsigned)TOOL_MAX_DOCUMENT);
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

static void sign_error(const char *path, veto_status s, const veto_diag *d)
{
	const char *detail = d->detail[0] != '\0' ? d->detail : veto_strerror(s);
	if (s == VETO_E_MALFORMED || s == VETO_E_TYPE || s == VETO_E_KEY)
		tool_err("%s: not a valid policy or update: %s", shown(path), detail);
	else if (s == VETO_E_LIMIT)
		tool_err("%s: over a limit of the contract: %s", shown(path), detail);
	else
		tool_err("%s: cannot sign: %s", shown(path), detail);
}

int cmd_sign(int argc, char **argv)
{
	args a;
	int early = args_start(&a, sign_opts, 2, argc, argv, sign_help);
	if (early >= 0)
		return early;
	int rc = EXIT_TROUBLE;
	const char *key = args_one(&a, OPT_KEY);
	const char *out_path = args_one(&a, OPT_OUTPUT);
	if (a.n_operands != 1 || key == NULL) {
		rc = tool_usage("give --key K.key and one PAYLOAD file");
		goto out_args;
	}
	const char *payload_path = a.operands[0];
	const char *inputs[] = {key, payload_path};
	if (check_one_stdin(inputs, 2) != 0)
		goto out_args;

	uint8_t *payload;
	size_t payload_len;
	if (read_document(payload_path, &payload, &payload_len) != 0)
		goto out_args;
	uint8_t seed[VETO_SEEDBYTES], pk[VETO_PUBLICKEYBYTES];
	if (load_secret_key(key, seed, pk) != 0)
		goto out_payload;

	char *env = NULL;
	size_t env_len = 0;
	veto_diag d = {{0}};
	veto_status s = veto_sign(&env, &env_len, &d, NULL, payload, payload_len, seed);
	wipe(seed, sizeof seed);
	if (s != VETO_OK) {
		sign_error(payload_path, s, &d);
		goto out_payload;
	}
	if (write_output(out_path, env, env_len, -1) == 0)
		rc = EXIT_ACCEPT;
	veto_free(NULL, env);
out_payload:
	free(payload);
out_args:
	args_free(&a);
	return rc;
}

int cmd_cosign(int argc, char **argv)
{
	args a;
	int early = args_start(&a, sign_opts, 2, argc, argv, cosign_help);
	if (early >= 0)
		return early;
	int rc = EXIT_TROUBLE;
	char *resolved = NULL;
	const char *key = args_one(&a, OPT_KEY);
	const char *out_path = args_one(&a, OPT_OUTPUT);
	if (a.n_operands != 1 || key == NULL) {
		rc = tool_usage("give --key K.key and one ENVELOPE file");
		goto out_args;
	}
	const char *env_path = a.operands[0];
	const char *inputs[] = {key, env_path};
	if (check_one_stdin(inputs, 2) != 0)
		goto out_args;

	/* In place keeps the file's permissions, and replaces the target of a
	 * symbolic link rather than the link; "-" in, without -o, means
	 * standard output. */
	long keep_mode = -1;
	int in_place = out_path == NULL && !is_dash(env_path);
	if (in_place) {
		struct stat st;
		if (stat(env_path, &st) == 0)
			keep_mode = (long)(st.st_mode & 0777);
		resolved = realpath(env_path, NULL);
		out_path = resolved != NULL ? resolved : env_path;
	}

	uint8_t *env;
	size_t env_len;
	if (read_document(env_path, &env, &env_len) != 0)
		goto out_args;
	uint8_t seed[VETO_SEEDBYTES], pk[VETO_PUBLICKEYBYTES];
	if (load_secret_key(key, seed, pk) != 0)
		goto out_env;

	char *out = NULL;
	size_t out_len = 0;
	int added = 0;
	veto_diag d = {{0}};
	veto_status s = veto_cosign(&out, &out_len, &added, &d, NULL, env, env_len, seed);
	wipe(seed, sizeof seed);
	if (s != VETO_OK) {
		if (s == VETO_E_LIMIT)
			tool_err("%s: cannot add a signature: %s", shown(env_path),
			         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
		else
			sign_error(env_path, s, &d);
		goto out_env;
	}
	char keyid[VETO_KEYIDCHARS + 1];
	if (veto_keyid(keyid, pk) != VETO_OK)
		strcpy(keyid, "?");
	if (!added) {
		fflush(stdout);
		fprintf(stderr,
		        "veto cosign: %s already holds a verifying signature by key %s; "
		        "nothing added\n",
		        shown(env_path), keyid);
		/* In place: untouched.  Elsewhere: the same envelope, so that a
		 * pipeline still gets its output. */
		if (in_place || write_output(out_path, env, env_len, -1) == 0)
			rc = EXIT_ACCEPT;
	} else if (write_output(out_path, out, out_len, keep_mode) == 0) {
		rc = EXIT_ACCEPT;
	}
	veto_free(NULL, out);
out_env:
	free(env);
out_args:
	free(resolved);
	args_free(&a);
	return rc;
}

struct shown_key {
	const char *file;
	uint8_t pk[VETO_PUBLICKEYBYTES];
	char keyid[VETO_KEYIDCHARS + 1];
};

static void show_payload(const uint8_t *payload, size_t len)
{
	put_safe(stdout, (const char *)payload, len, 1);
	if (len == 0 || payload[len - 1] != '\n')
		fputc('\n', stdout);
}

int cmd_show(int argc, char **argv)
{
	static const opt_def opts[] = {{"key", 0, 1, 1}};
	args a;
	int early = args_start(&a, opts, 1, argc, argv, show_help);
	if (early >= 0)
		return early;
	int rc = EXIT_TROUBLE;
	struct shown_key *keys = NULL;
	uint8_t(*declared)[VETO_PUBLICKEYBYTES] = NULL;
	size_t n_declared = 0;
	uint8_t *doc = NULL;
	veto_envelope *e = NULL;

	if (a.n_operands != 1) {
		rc = tool_usage("give one ENVELOPE file");
		goto out;
	}
	const char *env_path = a.operands[0];
	size_t n_keys = a.count[0];
	const char **inputs = malloc((n_keys + 1) * sizeof *inputs);
	if (inputs == NULL) {
		tool_err("out of memory");
		goto out;
	}
	inputs[0] = env_path;
	for (size_t i = 0; i < n_keys; i++)
		inputs[i + 1] = a.values[0][i];
	int one_stdin = check_one_stdin(inputs, n_keys + 1);
	free(inputs);
	if (one_stdin != 0)
		goto out;

	keys = calloc(n_keys + 1, sizeof *keys);
	if (keys == NULL) {
		tool_err("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n_keys; i++) {
		keys[i].file = a.values[0][i];
		if (load_public_key(keys[i].file, keys[i].pk) != 0)
			goto out;
		if (veto_keyid(keys[i].keyid, keys[i].pk) != VETO_OK) {
			tool_err("%s: cannot compute its keyid", keys[i].file);
			goto out;
		}
	}

	size_t len;
	if (read_document(env_path, &doc, &len) != 0)
		goto out;
	veto_diag d = {{0}};
	veto_status s = veto_envelope_parse(&e, &d, NULL, doc, len);
	if (s != VETO_OK) {
		tool_err("%s: not a valid envelope: %s", shown(env_path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
		goto out;
	}

	const char *type = veto_envelope_type(e);
	size_t payload_len = 0;
	const uint8_t *payload = veto_envelope_payload(e, &payload_len);
	int is_policy = strcmp(type, VETO_TYPE_POLICY) == 0;
	int is_update = strcmp(type, VETO_TYPE_UPDATE) == 0;

	fputs("payloadType: ", stdout);
	put_safe_str(stdout, type);
	fputs(is_policy ? " (policy)\n" : is_update ? " (update)\n" : " (not a veto document)\n",
	      stdout);
	printf("payload (%zu bytes, as signed; not verified by show):\n", payload_len);
	show_payload(payload, payload_len);

	const char *declared_note = NULL;
	veto_diag dd = {{0}};
	if (is_policy) {
		s = veto_policy_declared_keys(&declared, &n_declared, &dd, NULL, payload, payload_len);
		if (s != VETO_OK) {
			declared = NULL;
			n_declared = 0;
			declared_note = dd.detail[0] != '\0' ? dd.detail : veto_strerror(s);
		}
	}

	size_t n_sigs = veto_envelope_sig_count(e);
	printf("signatures: %zu\n", n_sigs);
	for (size_t i = 0; i < n_sigs; i++) {
		const char *keyid = veto_envelope_sig_keyid(e, i);
		printf("  %s  ", keyid);
		int found = 0;
		for (size_t k = 0; k < n_keys && !found; k++) {
			if (strcmp(keys[k].keyid, keyid) != 0)
				continue;
			found = 1;
			fputs(veto_envelope_sig_verifies(e, i, keys[k].pk) ? "verifies ("
			                                                    : "does NOT verify (",
			      stdout);
			put_safe_str(stdout, keys[k].file);
			fputs(")\n", stdout);
		}
		for (size_t k = 0; k < n_declared && !found; k++) {
			char kid[VETO_KEYIDCHARS + 1];
			if (veto_keyid(kid, declared[k]) != VETO_OK || strcmp(kid, keyid) != 0)
				continue;
			found = 1;
			fputs(veto_envelope_sig_verifies(e, i, declared[k]) ? "verifies" : "does NOT verify",
			      stdout);
			fputs(" (key declared by the policy itself, unverified)\n", stdout);
		}
		if (!found)
			fputs("key unknown\n", stdout);
	}
	if (is_policy && declared_note != NULL) {
		fputs("note: the payload is not a valid policy, so its declared keys were not used: ",
		      stdout);
		put_safe_str(stdout, declared_note);
		fputc('\n', stdout);
	} else if (is_policy) {
		fputs("note: a policy's own declared keys show only that those keys signed it; a "
		      "device trusts it only through its anchor or previous policy (veto trust)\n",
		      stdout);
	}
	rc = EXIT_ACCEPT;
out:
	if (e != NULL)
		veto_envelope_free(e);
	veto_free(NULL, declared);
	free(doc);
	free(keys);
	args_free(&a);
	return rc;
}
