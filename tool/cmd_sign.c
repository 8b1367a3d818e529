/* SPDX-License-Identifier: Apache-2.0 */
/* veto sign, veto cosign: the two ways to put a signature on a document;
 * they share their options, key loading and error wording, and (1.1) with
 * veto attach the writing of a signature made elsewhere (signing.h). */
#define _XOPEN_SOURCE 700 /* realpath(), which glibc hides under plain POSIX */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "files.h"
#include "passphrase.h"
#include "pkcs11.h"
#include "signing.h"
#include "util.h"

static const char sign_help[] =
    "usage: veto sign --key KEY PAYLOAD.json [-o ENVELOPE] [--passphrase-file FILE]\n"
    "\n"
    "Wraps a policy or update payload in a new DSSE envelope signed by KEY.\n"
    "The payload type comes from the payload's \"format\" (veto.policy/1,\n"
    "veto.policy/1.1 or veto.update/1); a payload that is not a valid policy or\n"
    "update is refused (exit 2).  The envelope goes to ENVELOPE (replaced\n"
    "atomically) or to standard output.\n"
    "\n"
    "  --key KEY      a secret key file (not readable by group or others), or a\n"
    "                 PKCS#11 URI 'pkcs11:...' matching one Ed25519 key on a token\n"
    "  --passphrase-file FILE\n"
    "                 the passphrase of an encrypted key file (its first line);\n"
    "                 without it, veto asks on the terminal\n"
    "  -o, --output F where to write the envelope ('-': standard output)\n";

static const char cosign_help[] =
    "usage: veto cosign --key KEY ENVELOPE [-o OUT] [--passphrase-file FILE]\n"
    "\n"
    "Adds KEY's signature to ENVELOPE, after checking that its payload is a\n"
    "valid policy or update.  ENVELOPE is rewritten in place, atomically, unless\n"
    "-o is given (or ENVELOPE is '-': then the result goes to standard output).\n"
    "A key whose signature is already there and verifies is not added twice:\n"
    "veto says so and leaves the envelope as it is (exit 0).\n"
    "\n"
    "  --key KEY      a secret key file (not readable by group or others), or a\n"
    "                 PKCS#11 URI 'pkcs11:...' matching one Ed25519 key on a token\n"
    "  --passphrase-file FILE\n"
    "                 the passphrase of an encrypted key file (its first line)\n"
    "  -o, --output F where to write the envelope ('-': standard output)\n";

enum { O_KEY, O_OUTPUT, O_PASSFILE };
static const opt_def sign_opts[] = {
	[O_KEY] = {.name = "key", .takes_value = true},
	[O_OUTPUT] = {.name = "output", .short_name = 'o', .takes_value = true},
	[O_PASSFILE] = {.name = "passphrase-file", .takes_value = true},
};

static const char envelope_limit[] = ", the limit of an envelope";

/* ---- shared with attach ------------------------------------------------- */

void out_target_set(out_target *t, const char *doc_path, const char *out_opt, bool envelope)
{
	t->path = out_opt;
	t->resolved = NULL;
	t->keep_mode = -1;
	t->in_place = envelope && out_opt == NULL && !is_dash(doc_path);
	if (t->in_place) {
		struct stat st;
		if (stat(doc_path, &st) == 0)
			t->keep_mode = (long)(st.st_mode & 0777);
		t->resolved = realpath(doc_path, NULL);
		t->path = t->resolved != NULL ? t->resolved : doc_path;
	}
}

void out_target_free(out_target *t)
{
	free(t->resolved);
	t->resolved = NULL;
}

tool_exit write_signed(const out_target *t, const char *doc_path, bool added, const char *out,
                       size_t out_len, const uint8_t *doc, size_t doc_len,
                       const uint8_t pk[VETO_PUBLICKEYBYTES])
{
	if (added)
		return write_output(t->path, out, out_len, t->keep_mode);
	char keyid[VETO_KEYIDCHARS + 1];
	if (veto_keyid(keyid, pk) != VETO_OK)
		snprintf(keyid, sizeof keyid, "?");
	fflush(stdout);
	fprintf(stderr, "veto %s: %s already holds a verifying signature by key %s; nothing added\n",
	        tool_cmd, shown_name(doc_path), keyid);
	return t->in_place ? EXIT_ACCEPT : write_output(t->path, doc, doc_len, -1);
}

static void sign_error(const char *path, veto_status s, const veto_diag *d)
{
	const char *detail = d->detail[0] != '\0' ? d->detail : veto_strerror(s);
	if (s == VETO_E_MALFORMED || s == VETO_E_TYPE || s == VETO_E_KEY)
		tool_err("%s: not a valid policy or update: %s", shown_name(path), detail);
	else if (s == VETO_E_LIMIT)
		tool_err("%s: over a limit of the contract: %s", shown_name(path), detail);
	else
		tool_err("%s: cannot sign: %s", shown_name(path), detail);
}

/* Names an envelope given where a payload belongs, or the other way. */
static tool_exit want_error(const char *path, doc_want want)
{
	if (want == DOC_PAYLOAD)
		tool_err("%s: is an envelope, not a payload: add a signature to it with "
		         "'veto cosign'", shown_name(path));
	else
		tool_err("%s: is a payload, not an envelope: make the envelope with 'veto sign'",
		         shown_name(path));
	return EXIT_TROUBLE;
}

tool_exit doc_pae(const char *doc_path, const uint8_t *doc, size_t len, doc_want want,
                  uint8_t **pae, size_t *pae_len, bool *envelope)
{
	veto_diag d = {{0}};
	int is_env = 0;
	veto_status s = veto_pae_of(pae, pae_len, &is_env, &d, NULL, doc, len);
	*envelope = is_env == 1;
	if (s != VETO_OK && is_env < 0 && want == DOC_EITHER)
		tool_err("%s: neither a payload nor an envelope: %s", shown_name(doc_path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
	else if (s != VETO_OK && (is_env == 1 || want == DOC_ENVELOPE))
		tool_err("%s: not a valid envelope: %s", shown_name(doc_path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
	else if (s != VETO_OK)
		sign_error(doc_path, s, &d);
	if (s == VETO_OK && want != DOC_EITHER && *envelope != (want == DOC_ENVELOPE)) {
		veto_free(NULL, *pae);
		*pae = NULL;
		return want_error(doc_path, want);
	}
	return s == VETO_OK ? EXIT_ACCEPT : EXIT_TROUBLE;
}

tool_exit attach_and_write(const char *doc_path, const uint8_t *doc, size_t len,
                           const uint8_t pk[VETO_PUBLICKEYBYTES], const uint8_t sig[64],
                           const char *out_opt, const char *sig_name)
{
	char *out = NULL;
	size_t out_len = 0;
	int added = 0, is_env = 0;
	veto_diag d = {{0}};
	uint8_t *pae = NULL;
	size_t pae_len = 0;
	/* whether doc is an envelope decides where the result goes */
	if (veto_pae_of(&pae, &pae_len, &is_env, NULL, NULL, doc, len) == VETO_OK)
		veto_free(NULL, pae);
	is_env = is_env == 1;
	veto_status s = veto_attach(&out, &out_len, &added, &d, NULL, doc, len, pk, sig);
	tool_exit rc = EXIT_TROUBLE;
	if (s == VETO_E_SIGNATURE)
		tool_err("%s: does not verify as a pure Ed25519 signature of the bytes 'veto pae %s' "
		         "writes: %s; nothing written", sig_name, shown_name(doc_path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
	else if (s == VETO_E_LIMIT && is_env)
		tool_err("%s: cannot add a signature: %s", shown_name(doc_path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
	else if (s != VETO_OK)
		sign_error(doc_path, s, &d);
	if (s == VETO_OK) {
		out_target t;
		out_target_set(&t, doc_path, out_opt, is_env != 0);
		rc = write_signed(&t, doc_path, added != 0, out, out_len, doc, len, pk);
		out_target_free(&t);
	}
	veto_free(NULL, out);
	return rc;
}

/* ---- sign and cosign ------------------------------------------------------ */

/* What sign or cosign works on: the key, one document, the output. */
typedef struct sign_job {
	const char *key;
	const char *doc_path;
	const char *out_path;
	const char *pass_file;
	uint8_t *doc;
	size_t doc_len;
	uint8_t seed[VETO_SEEDBYTES];
	uint8_t pk[VETO_PUBLICKEYBYTES];
} sign_job;

/* Checks the command line, reads the document and then the secret key
 * (a token key is used later, once the bytes to sign are known). */
static tool_exit job_start(sign_job *job, const args *a, const char *usage)
{
	job->key = args_one(a, O_KEY);
	job->out_path = args_one(a, O_OUTPUT);
	job->pass_file = args_one(a, O_PASSFILE);
	if (a->n_operands != 1 || job->key == NULL)
		return tool_usage("%s", usage);
	job->doc_path = a->operands[0];
	if (token_is_uri(job->key) && job->pass_file != NULL)
		return tool_usage("--passphrase-file is for an encrypted key file; a token's PIN "
		                  "comes from the URI's pin-source or the terminal");
	const char *const inputs[] = {token_is_uri(job->key) ? NULL : job->key, job->doc_path,
	                              job->pass_file};
	tool_exit rc = check_one_stdin(inputs, ARGS_COUNT(inputs), NULL, 0);
	if (rc == EXIT_ACCEPT)
		rc = read_document(job->doc_path, envelope_limit, &job->doc, &job->doc_len);
	if (rc == EXIT_ACCEPT && !token_is_uri(job->key))
		rc = load_secret_key_with(job->key, job->pass_file, job->seed, job->pk);
	return rc;
}

/* A document of the wrong kind is named as such (an envelope to sign, a
 * payload or no JSON at all to cosign), never as a bad policy or update. */
static tool_exit document_check(const sign_job *job, doc_want want)
{
	uint8_t *pae = NULL;
	size_t pae_len = 0;
	bool envelope = false;
	tool_exit rc = doc_pae(job->doc_path, job->doc, job->doc_len, want, &pae, &pae_len,
	                       &envelope);
	veto_free(NULL, pae);
	return rc;
}

static void job_end(sign_job *job)
{
	wipe(job->seed, sizeof job->seed);
	free(job->doc);
}

/* sign or cosign with a key on a token: PAE, token, then attach (which
 * verifies the token's signature under its public key first). */
static tool_exit token_job(sign_job *job, doc_want want)
{
	uint8_t *pae = NULL;
	size_t pae_len = 0;
	bool envelope = false;
	uint8_t sig[64];
	tool_exit rc = doc_pae(job->doc_path, job->doc, job->doc_len, want, &pae, &pae_len,
	                       &envelope);
	if (rc == EXIT_ACCEPT)
		rc = token_sign(job->key, pae, pae_len, job->pk, sig);
	veto_free(NULL, pae);
	if (rc == EXIT_ACCEPT)
		rc = attach_and_write(job->doc_path, job->doc, job->doc_len, job->pk, sig,
		                      job->out_path, "the token's signature");
	return rc;
}

static tool_exit sign_run(const args *a)
{
	tool_exit rc;
	sign_job job = {0};
	rc = job_start(&job, a, "give --key KEY and one PAYLOAD file");
	if (rc == EXIT_ACCEPT)
		rc = document_check(&job, DOC_PAYLOAD);
	if (rc == EXIT_ACCEPT && token_is_uri(job.key)) {
		rc = token_job(&job, DOC_PAYLOAD);
	} else if (rc == EXIT_ACCEPT) {
		char *env = NULL;
		size_t env_len = 0;
		veto_diag d = {{0}};
		veto_status s = veto_sign(&env, &env_len, &d, NULL, job.doc, job.doc_len, job.seed);
		wipe(job.seed, sizeof job.seed);
		if (s != VETO_OK) {
			sign_error(job.doc_path, s, &d);
			rc = EXIT_TROUBLE;
		} else {
			rc = write_output(job.out_path, env, env_len, -1);
		}
		veto_free(NULL, env);
	}
	job_end(&job);
	return rc;
}

TOOL_COMMAND(cmd_sign, "sign", sign_opts, sign_help, sign_run);

static tool_exit cosign_file(sign_job *job)
{
	char *out = NULL;
	size_t out_len = 0;
	int added = 0;
	veto_diag d = {{0}};
	veto_status s =
	    veto_cosign(&out, &out_len, &added, &d, NULL, job->doc, job->doc_len, job->seed);
	wipe(job->seed, sizeof job->seed);
	if (s == VETO_E_LIMIT)
		tool_err("%s: cannot add a signature: %s", shown_name(job->doc_path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
	else if (s != VETO_OK)
		sign_error(job->doc_path, s, &d);
	tool_exit rc = EXIT_TROUBLE;
	if (s == VETO_OK) {
		out_target t;
		out_target_set(&t, job->doc_path, job->out_path, true);
		rc = write_signed(&t, job->doc_path, added != 0, out, out_len, job->doc,
		                  job->doc_len, job->pk);
		out_target_free(&t);
	}
	veto_free(NULL, out);
	return rc;
}

static tool_exit cosign_run(const args *a)
{
	sign_job job = {0};
	tool_exit rc = job_start(&job, a, "give --key KEY and one ENVELOPE file");
	if (rc == EXIT_ACCEPT)
		rc = document_check(&job, DOC_ENVELOPE);
	if (rc == EXIT_ACCEPT)
		rc = token_is_uri(job.key) ? token_job(&job, DOC_ENVELOPE) : cosign_file(&job);
	job_end(&job);
	return rc;
}

TOOL_COMMAND(cmd_cosign, "cosign", sign_opts, cosign_help, cosign_run);
