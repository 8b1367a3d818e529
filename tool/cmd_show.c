/* SPDX-License-Identifier: Apache-2.0 */
/* veto show: an envelope's payload and who signed it; no decision. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "authkeys.h"
#include "files.h"
#include "util.h"

static const char show_help[] =
    "usage: veto show ENVELOPE [--key K.pub]...\n"
    "\n"
    "Prints an envelope's payload type, its payload (NOT verified: read it as a\n"
    "claim) and, for each signature, its keyid and whether it verifies against\n"
    "a key given with --key.  A policy's signatures are also checked against\n"
    "the keys the policy itself declares, which proves only that those keys\n"
    "signed it.  A signature by no known key is shown as \"key unknown\".\n"
    "\n"
    "  --key K.pub    a public key to check signatures with (repeatable)\n"
    "  --owner K.pub  (a policy) a key of the owner role a device trusts now\n"
    "                 (repeatable): says whether that role's threshold and the\n"
    "                 policy's own owner threshold are both met, as a device\n"
    "                 needs when the owner keys rotate\n"
    "  --owner-threshold N  the threshold of the --owner role (default: all of\n"
    "                 the --owner keys)\n";

enum { O_KEY, O_OWNER, O_OWNER_THRESHOLD };
static const opt_def show_opts[] = {
	[O_KEY] = {.name = "key", .takes_value = true, .repeatable = true},
	[O_OWNER] = {.name = "owner", .takes_value = true, .repeatable = true},
	[O_OWNER_THRESHOLD] = {.name = "owner-threshold", .takes_value = true},
};

/* A key given with --key. */
typedef struct given_key {
	const char *file;
	uint8_t pk[VETO_PUBLICKEYBYTES];
	char keyid[VETO_KEYIDCHARS + 1];
} given_key;

/* What show knows: the envelope, the keys given, the policy's own keys. */
typedef struct show_job {
	given_key *keys;
	size_t n_keys;
	uint8_t (*declared)[VETO_PUBLICKEYBYTES];
	size_t n_declared;
	const char *declared_note; /* why the declared keys were not used */
	veto_diag declared_diag;
	veto_envelope *e;
	bool is_policy;
} show_job;

static tool_exit load_keys(show_job *job, const char *const *files, size_t n)
{
	job->keys = calloc(n + 1, sizeof *job->keys);
	if (job->keys == NULL) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	job->n_keys = n;
	for (size_t i = 0; i < n; i++) {
		given_key *k = &job->keys[i];
		k->file = files[i];
		if (load_public_key(k->file, k->pk) != EXIT_ACCEPT)
			return EXIT_TROUBLE;
		if (veto_keyid(k->keyid, k->pk) != VETO_OK) {
			tool_err("%s: cannot compute its keyid", k->file);
			return EXIT_TROUBLE;
		}
	}
	return EXIT_ACCEPT;
}

static tool_exit open_envelope(show_job *job, const char *path)
{
	uint8_t *doc = NULL;
	size_t len;
	if (read_document(path, ", the limit of an envelope", &doc, &len) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	veto_diag d = {{0}};
	veto_status s = veto_envelope_parse(&job->e, &d, NULL, doc, len);
	free(doc);
	if (s != VETO_OK) {
		job->e = NULL;
		tool_err("%s: not a valid envelope: %s", shown_name(path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

/* (1.1) A policy's windows, holds, forbidden features and consents in
 * words; nothing for a version-1 policy or one that is not valid. */
static void show_summary(const uint8_t *payload, size_t len)
{
	char *text = NULL;
	size_t n = 0;
	if (veto_policy_summary(&text, &n, NULL, NULL, payload, len) == VETO_OK && n > 0) {
		fputs("summary (veto.policy/1.1, as the payload says; not verified by show):\n",
		      stdout);
		put_safe(stdout, text, n, true);
	}
	veto_free(NULL, text);
}

/* The payload type and the payload, and for a policy its declared keys. */
static void show_payload(show_job *job)
{
	const char *type = veto_envelope_type(job->e);
	size_t len = 0;
	const uint8_t *payload = veto_envelope_payload(job->e, &len);
	job->is_policy = strcmp(type, VETO_TYPE_POLICY) == 0;
	const char *label = job->is_policy                            ? " (policy)\n"
	                    : strcmp(type, VETO_TYPE_UPDATE) == 0     ? " (update)\n"
	                    : strcmp(type, VETO_TYPE_REVOCATION) == 0 ? " (revocation)\n"
	                    : strcmp(type, VETO_TYPE_RECEIPT) == 0    ? " (receipt)\n"
	                                                              : " (not a veto document)\n";

	fputs("payloadType: ", stdout);
	put_safe_str(stdout, type);
	fputs(label, stdout);
	printf("payload (%zu bytes, as signed; not verified by show):\n", len);
	put_safe(stdout, (const char *)payload, len, true);
	if (len == 0 || payload[len - 1] != '\n')
		fputc('\n', stdout);
	if (!job->is_policy)
		return;
	show_summary(payload, len);
	veto_status s = veto_policy_declared_keys(&job->declared, &job->n_declared,
	                                          &job->declared_diag, NULL, payload, len);
	if (s != VETO_OK) {
		job->declared = NULL;
		job->n_declared = 0;
		job->declared_note = job->declared_diag.detail[0] != '\0' ? job->declared_diag.detail
		                                                          : veto_strerror(s);
	}
}

/* What is known of signature i's key, on one line. */
static void show_signature(const show_job *job, size_t i)
{
	const char *keyid = veto_envelope_sig_keyid(job->e, i);
	printf("  %s  ", keyid);
	for (size_t k = 0; k < job->n_keys; k++) {
		if (strcmp(job->keys[k].keyid, keyid) != 0)
			continue;
		fputs(veto_envelope_sig_verifies(job->e, i, job->keys[k].pk) ? "verifies ("
		                                                             : "does NOT verify (",
		      stdout);
		put_safe_str(stdout, job->keys[k].file);
		fputs(")\n", stdout);
		return;
	}
	for (size_t k = 0; k < job->n_declared; k++) {
		char kid[VETO_KEYIDCHARS + 1];
		if (veto_keyid(kid, job->declared[k]) != VETO_OK || strcmp(kid, keyid) != 0)
			continue;
		fputs(veto_envelope_sig_verifies(job->e, i, job->declared[k]) ? "verifies"
		                                                               : "does NOT verify",
		      stdout);
		fputs(" (key declared by the policy itself, unverified)\n", stdout);
		return;
	}
	fputs("key unknown\n", stdout);
}

static void show_signatures(const show_job *job)
{
	size_t n_sigs = veto_envelope_sig_count(job->e);
	printf("signatures: %zu\n", n_sigs);
	for (size_t i = 0; i < n_sigs; i++)
		show_signature(job, i);
	if (job->is_policy && job->declared_note != NULL) {
		fputs("note: the payload is not a valid policy, so its declared keys were not used: ",
		      stdout);
		put_safe_str(stdout, job->declared_note);
		fputc('\n', stdout);
	} else if (job->is_policy) {
		fputs("note: a policy's own declared keys show only that those keys signed it; a "
		      "device trusts it only through its anchor or previous policy (veto trust)\n",
		      stdout);
	}
}

/* How many distinct keys of role r verify on the envelope, in words. */
static void say_threshold(const veto_envelope *e, const char *what, const auth_pk *pks,
                          size_t n, const owner_role *r)
{
	size_t count = 0;
	count_owner_signers(e, pks, n, r, &count);
	printf("%s: %s (%zu of %llu needed)\n", what, count >= r->threshold ? "met" : "NOT met",
	       count, (unsigned long long)r->threshold);
}

/* (1.1) The owner thresholds a device checks: the policy's own owner
 * role's, and with --owner the role it trusts now (a rotation needs both). */
static tool_exit show_owner_thresholds(const show_job *job, const args *a)
{
	size_t len = 0;
	const uint8_t *payload = veto_envelope_payload(job->e, &len);
	cJSON *tree = cJSON_ParseWithLength((const char *)payload, len);
	owner_role r;
	auth_pk *pks = NULL;
	size_t n = 0;
	tool_exit rc = EXIT_ACCEPT;
	if (tree != NULL && owner_role_of(tree, &r) &&
	    keys_from_map(&pks, &n, cJSON_GetObjectItemCaseSensitive(tree, "keys"), r.keyids) ==
	        VETO_OK)
		say_threshold(job->e, "owner threshold this policy declares", (const auth_pk *)pks,
		              n, &r);
	free(pks);
	cJSON_Delete(tree);
	if (a->count[O_OWNER] == 0)
		return EXIT_ACCEPT;
	cJSON *ids = cJSON_CreateArray();
	auth_pk *old = calloc(a->count[O_OWNER], sizeof *old);
	uint64_t t = a->count[O_OWNER];
	const char *tt = args_one(a, O_OWNER_THRESHOLD);
	if (tt != NULL && (!parse_counter(tt, &t) || t == 0 || t > a->count[O_OWNER]))
		rc = tool_usage("--owner-threshold takes 1 up to the number of --owner keys");
	for (size_t i = 0; rc == EXIT_ACCEPT && i < a->count[O_OWNER]; i++) {
		char keyid[VETO_KEYIDCHARS + 1];
		rc = old == NULL || ids == NULL ? tool_fail("read the keys", VETO_E_NOMEM)
		                                : read_any_public_key(a->values[O_OWNER][i], old[i]);
		if (rc == EXIT_ACCEPT && veto_keyid(keyid, old[i]) == VETO_OK)
			cJSON_AddItemToArray(ids, cJSON_CreateString(keyid));
	}
	owner_role was = {.keyids = ids, .threshold = t};
	if (rc == EXIT_ACCEPT)
		say_threshold(job->e, "owner threshold of the role given with --owner", (const auth_pk *)old,
		              a->count[O_OWNER], &was);
	free(old);
	cJSON_Delete(ids);
	return rc;
}

static tool_exit show_run(const args *a)
{
	tool_exit rc;
	show_job job = {0};
	if (a->n_operands != 1) {
		rc = tool_usage("give one ENVELOPE file");
	} else if ((rc = check_one_stdin(a->values[O_KEY], a->count[O_KEY], a->operands, 1)) ==
	               EXIT_ACCEPT &&
	           (rc = load_keys(&job, a->values[O_KEY], a->count[O_KEY])) == EXIT_ACCEPT &&
	           (rc = open_envelope(&job, a->operands[0])) == EXIT_ACCEPT) {
		show_payload(&job);
		show_signatures(&job);
		if (job.is_policy && job.declared_note == NULL)
			rc = show_owner_thresholds(&job, a);
		else if (a->count[O_OWNER] > 0)
			rc = tool_usage("--owner is for a signed policy");
	}
	if (job.e != NULL)
		veto_envelope_free(job.e);
	veto_free(NULL, job.declared);
	free(job.keys);
	return rc;
}

TOOL_COMMAND(cmd_show, "show", show_opts, show_help, show_run);
