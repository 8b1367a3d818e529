/* SPDX-License-Identifier: Apache-2.0 */
/* veto sign, veto cosign: the two ways to put a signature on a document;
 * they share their options, key loading and error wording. */
#define _XOPEN_SOURCE 700 /* realpath(), which glibc hides under plain POSIX */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "files.h"
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

enum { O_KEY, O_OUTPUT };
static const opt_def sign_opts[] = {
	[O_KEY] = {.name = "key", .takes_value = true},
	[O_OUTPUT] = {.name = "output", .short_name = 'o', .takes_value = true},
};

static const char envelope_limit[] = ", the limit of an envelope";

/* What sign or cosign works on: the key, one document, the output. */
typedef struct sign_job {
	const char *key;
	const char *doc_path;
	const char *out_path;
	uint8_t *doc;
	size_t doc_len;
	uint8_t seed[VETO_SEEDBYTES];
	uint8_t pk[VETO_PUBLICKEYBYTES];
} sign_job;

/* Checks the command line, reads the document and then the secret key. */
static tool_exit job_start(sign_job *job, const args *a, const char *usage)
{
	job->key = args_one(a, O_KEY);
	job->out_path = args_one(a, O_OUTPUT);
	if (a->n_operands != 1 || job->key == NULL)
		return tool_usage("%s", usage);
	job->doc_path = a->operands[0];
	const char *const inputs[] = {job->key, job->doc_path};
	tool_exit rc = check_one_stdin(inputs, ARGS_COUNT(inputs), NULL, 0);
	if (rc == EXIT_ACCEPT)
		rc = read_document(job->doc_path, envelope_limit, &job->doc, &job->doc_len);
	if (rc == EXIT_ACCEPT)
		rc = load_secret_key(job->key, job->seed, job->pk);
	return rc;
}

static void job_end(sign_job *job)
{
	wipe(job->seed, sizeof job->seed);
	free(job->doc);
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

static tool_exit sign_run(const args *a)
{
	tool_exit rc;
	sign_job job = {0};
	rc = job_start(&job, a, "give --key K.key and one PAYLOAD file");
	if (rc == EXIT_ACCEPT) {
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

/* Writes cosign's result: the new envelope, or, when the key had signed
 * already, the same one (untouched in place; elsewhere written, so that a
 * pipeline still gets its output). */
static tool_exit cosign_write(const sign_job *job, bool added, const char *out, size_t out_len,
                              bool in_place, const char *out_path, long keep_mode)
{
	if (added)
		return write_output(out_path, out, out_len, keep_mode);
	char keyid[VETO_KEYIDCHARS + 1];
	if (veto_keyid(keyid, job->pk) != VETO_OK)
		snprintf(keyid, sizeof keyid, "?");
	fflush(stdout);
	fprintf(stderr,
	        "veto cosign: %s already holds a verifying signature by key %s; nothing added\n",
	        shown_name(job->doc_path), keyid);
	return in_place ? EXIT_ACCEPT : write_output(out_path, job->doc, job->doc_len, -1);
}

static tool_exit cosign_run(const args *a)
{
	tool_exit rc;
	sign_job job = {0};
	char *resolved = NULL;
	rc = job_start(&job, a, "give --key K.key and one ENVELOPE file");
	/* In place keeps the file's permissions, and replaces the target of a
	 * symbolic link rather than the link; "-" in, without -o, means
	 * standard output. */
	long keep_mode = -1;
	bool in_place = rc == EXIT_ACCEPT && job.out_path == NULL && !is_dash(job.doc_path);
	const char *out_path = job.out_path;
	if (in_place) {
		struct stat st;
		if (stat(job.doc_path, &st) == 0)
			keep_mode = (long)(st.st_mode & 0777);
		resolved = realpath(job.doc_path, NULL);
		out_path = resolved != NULL ? resolved : job.doc_path;
	}
	if (rc == EXIT_ACCEPT) {
		char *out = NULL;
		size_t out_len = 0;
		int added = 0;
		veto_diag d = {{0}};
		veto_status s = veto_cosign(&out, &out_len, &added, &d, NULL, job.doc, job.doc_len,
		                            job.seed);
		wipe(job.seed, sizeof job.seed);
		if (s == VETO_E_LIMIT)
			tool_err("%s: cannot add a signature: %s", shown_name(job.doc_path),
			         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
		else if (s != VETO_OK)
			sign_error(job.doc_path, s, &d);
		rc = s != VETO_OK ? EXIT_TROUBLE
		                  : cosign_write(&job, added != 0, out, out_len, in_place, out_path,
		                                 keep_mode);
		veto_free(NULL, out);
	}
	free(resolved);
	job_end(&job);
	return rc;
}

TOOL_COMMAND(cmd_cosign, "cosign", sign_opts, cosign_help, cosign_run);
