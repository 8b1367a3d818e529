/* SPDX-License-Identifier: Apache-2.0 */
/*
 * veto status (1.1): what the device runs now, under which policy (SPEC
 * section 9.1); with --receipt, the same answer signed by the device (a
 * receipt of kind status), so that an owner can ask at any time.  It
 * decides and changes nothing: exit 0, or 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "decision.h"
#include "devkey.h"
#include "jsonout.h"
#include "receipt.h"
#include "statedoc.h"
#include "util.h"

static const char status_help[] =
    "usage: veto status --state DIR [--json]\n"
    "                   [--receipt OUT --nonce TEXT [--receipt-key K.key] [--now TIME]]\n"
    "\n"
    "Prints what the device whose state is in DIR runs now, and under which\n"
    "policy: security counter, installed update, features, the trusted policy,\n"
    "the time floor, the stored revocations and the device key.  Takes DIR's\n"
    "lock; decides and changes nothing.  Exit status: 0, or 2 when DIR or its\n"
    "state cannot be read.\n"
    "\n"
    "  --state DIR      the state directory\n"
    "  --json           one JSON object on standard output\n"
    "  --receipt OUT    also writes the answer as a receipt (kind status) signed\n"
    "                   by DIR/device.key (or --receipt-key), to OUT (atomically;\n"
    "                   not in DIR); needs --nonce\n"
    "  --nonce TEXT     the asker's challenge, which the receipt carries: 1 to 128\n"
    "                   characters from '!' to '~' (printable ASCII, no space)\n"
    "  --receipt-key K.key  the secret key that signs the receipt instead\n"
    "  --passphrase-file FILE  the passphrase of an encrypted --receipt-key\n"
    "  --now TIME       the time the receipt records (default: the system clock)\n";

enum { O_STATE, O_JSON, O_NOW, O_RECEIPT };
static const opt_def status_opts[] = {
	[O_STATE] = {.name = "state", .takes_value = true},
	[O_JSON] = {.name = "json"},
	[O_NOW] = {.name = "now", .takes_value = true},
	RECEIPT_OPT_DEFS(O_RECEIPT),
};

/* What status shows, gathered under the lock. */
typedef struct status_view {
	const veto_state *state;
	cJSON *doc;     /* the state document */
	cJSON *payload; /* the trusted policy's payload; NULL: none */
	size_t n_updates, n_keys; /* distinct revoked digests and keyids */
	bool has_key;
	char keyid[VETO_KEYIDCHARS + 1]; /* DIR/device.key's, when has_key */
} status_view;

static int cmp_digest(const void *a, const void *b)
{
	return memcmp(*(const uint8_t *const *)a, *(const uint8_t *const *)b, VETO_DIGESTBYTES);
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many distinct entries items[0..n) holds, sorted with cmp first. */
static size_t distinct(const void **items, size_t n, int (*cmp)(const void *, const void *))
{
	qsort(items, n, sizeof *items, cmp);
	size_t d = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || cmp(&items[i - 1], &items[i]) != 0)
			d++;
	return d;
}

/* The distinct revoked update digests and keyids over every role. */
static tool_exit count_revocations(status_view *v)
{
	const veto_state *s = v->state;
	size_t roles = veto_state_revocation_roles(s), nu = 0, nk = 0;
	for (size_t i = 0; i < roles; i++) {
		nu += veto_state_revoked_update_count(s, i);
		nk += veto_state_revoked_key_count(s, i);
	}
	const void **u = calloc(nu + 1, sizeof *u), **k = calloc(nk + 1, sizeof *k);
	if (u == NULL || k == NULL) {
		free(u);
		free(k);
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	size_t iu = 0, ik = 0;
	for (size_t i = 0; i < roles; i++) {
		for (size_t j = 0; j < veto_state_revoked_update_count(s, i); j++)
			u[iu++] = veto_state_revoked_update(s, i, j);
		for (size_t j = 0; j < veto_state_revoked_key_count(s, i); j++)
			k[ik++] = veto_state_revoked_key(s, i, j);
	}
	v->n_updates = distinct(u, iu, cmp_digest);
	v->n_keys = distinct(k, ik, cmp_text);
	free(u);
	free(k);
	return EXIT_ACCEPT;
}

/* A string member of o, or NULL (absent or null). */
static const char *text_of(const cJSON *o, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* Everything but the state itself: the document's members the API has no
 * accessor for, the revocation counts, the device key. */
static tool_exit gather(status_view *v, const char *dir, const uint8_t *text, size_t len)
{
	v->doc = cJSON_ParseWithLength((const char *)text, len);
	if (v->doc == NULL) {
		tool_err("out of memory reading %s/state.json", dir);
		return EXIT_TROUBLE;
	}
	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(v->doc, "policy")) &&
	    (v->payload = statedoc_policy_payload(v->doc)) == NULL) {
		tool_err("cannot read the trusted policy in %s/state.json", dir);
		return EXIT_TROUBLE;
	}
	tool_exit rc = devkey_look(dir, &v->has_key);
	if (rc == EXIT_ACCEPT && v->has_key) {
		uint8_t seed[VETO_SEEDBYTES], pk[VETO_PUBLICKEYBYTES];
		rc = devkey_load(dir, seed, pk);
		wipe(seed, sizeof seed);
		if (rc == EXIT_ACCEPT && veto_keyid(v->keyid, pk) != VETO_OK)
			rc = tool_fail("compute the device keyid", VETO_E_CRYPTO);
	}
	return rc == EXIT_ACCEPT ? count_revocations(v) : rc;
}

/* ---- JSON ----------------------------------------------------------------- */


static bool add_count(cJSON *o, const char *name, uint64_t n)
{
	return cJSON_AddNumberToObject(o, name, (double)n) != NULL;
}

/* {"serial": N, "sha256": ..., "issued": ..., "expires": ...} or null. */
static bool add_policy(cJSON *o, const status_view *v)
{
	uint64_t serial = 0;
	if (v->payload == NULL || !veto_state_policy_serial(v->state, &serial))
		return cJSON_AddNullToObject(o, "policy") != NULL;
	cJSON *p = cJSON_AddObjectToObject(o, "policy");
	return p != NULL && add_count(p, "serial", serial) &&
	       json_add_text(p, "sha256", text_of(v->doc, "policy_sha256")) &&
	       json_add_text(p, "issued", text_of(v->payload, "issued")) &&
	       json_add_text(p, "expires", text_of(v->payload, "expires"));
}

/* The object of SPEC 9.1, members in its order. */
static cJSON *status_json(const status_view *v)
{
	const veto_state *s = v->state;
	cJSON *o = cJSON_CreateObject();
	cJSON *dev = cJSON_AddObjectToObject(o, "device");
	bool ok = dev != NULL && json_add_text(dev, "vendor", veto_state_vendor(s)) &&
	          json_add_text(dev, "model", veto_state_model(s)) &&
	          add_count(o, "security_counter", veto_state_security_counter(s)) &&
	          add_count(o, "counter_max", veto_state_counter_max(s)) &&
	          json_add_text(o, "update_sha256", text_of(v->doc, "update_sha256"));
	cJSON *features = ok ? cJSON_AddArrayToObject(o, "features") : NULL;
	ok = features != NULL;
	for (size_t i = 0; ok && i < veto_state_feature_count(s); i++)
		ok = cJSON_AddItemToArray(features, cJSON_CreateString(veto_state_feature(s, i)));
	cJSON *revs = NULL;
	ok = ok && add_policy(o, v) && json_add_text(o, "time_floor", text_of(v->doc, "time_floor")) &&
	     (revs = cJSON_AddObjectToObject(o, "revocations")) != NULL &&
	     add_count(revs, "updates", v->n_updates) && add_count(revs, "keys", v->n_keys) &&
	     json_add_text(o, "device_key", v->has_key ? v->keyid : NULL);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static tool_exit print_json(const status_view *v)
{
	cJSON *o = status_json(v);
	bool ok = json_print_line(stdout, o);
	cJSON_Delete(o);
	return ok ? EXIT_ACCEPT : tool_fail("print the status", VETO_E_NOMEM);
}

/* ---- for people ------------------------------------------------------------ */

static void print_policy(const status_view *v, const char *dir)
{
	uint64_t serial = 0;
	if (v->payload == NULL || !veto_state_policy_serial(v->state, &serial)) {
		printf("  policy:           none trusted yet (veto trust --state %s --policy "
		       "POLICY)\n",
		       dir);
		return;
	}
	const char *issued = text_of(v->payload, "issued");
	const char *expires = text_of(v->payload, "expires");
	printf("  policy:           serial %llu, sha256 %s\n", (unsigned long long)serial,
	       text_of(v->doc, "policy_sha256"));
	printf("                    issued %s, %s%s\n", issued != NULL ? issued : "(not stated)",
	       expires != NULL ? "expires " : "never expires", expires != NULL ? expires : "");
}

static tool_exit print_human(const status_view *v, const char *dir)
{
	const veto_state *s = v->state;
	const char *update = text_of(v->doc, "update_sha256");
	const char *floor = text_of(v->doc, "time_floor");
	printf("device %s/%s (state in %s)\n", veto_state_vendor(s), veto_state_model(s), dir);
	printf("  security counter: %llu (highest committed: %llu)\n",
	       (unsigned long long)veto_state_security_counter(s),
	       (unsigned long long)veto_state_counter_max(s));
	printf("  update:           %s%s\n", update != NULL ? "sha256 " : "",
	       update != NULL ? update : "none committed yet");
	fputs("  features:        ", stdout);
	for (size_t i = 0; i < veto_state_feature_count(s); i++) {
		fputs(i > 0 ? ", " : " ", stdout);
		put_safe_str(stdout, veto_state_feature(s, i));
	}
	fputs(veto_state_feature_count(s) == 0 ? " none\n" : "\n", stdout);
	print_policy(v, dir);
	printf("  time floor:       %s\n", floor != NULL ? floor : "none");
	printf("  revocations:      %zu update%s, %zu key%s\n", v->n_updates,
	       v->n_updates == 1 ? "" : "s", v->n_keys, v->n_keys == 1 ? "" : "s");
	if (v->has_key)
		printf("  device key:       %s (signs receipts)\n", v->keyid);
	else
		printf("  device key:       none (make one with 'veto init --state %s "
		       "--device-key')\n",
		       dir);
	return EXIT_ACCEPT;
}

/* ---- the command ------------------------------------------------------------ */

/* The command line's rules beyond the option table. */
static tool_exit status_args(const args *a, const receipt_out *r, int64_t *now)
{
	if (args_one(a, O_STATE) == NULL || a->n_operands != 0)
		return tool_usage("give --state DIR (and no other arguments)");
	if (r->path != NULL && r->nonce == NULL)
		return tool_usage("--receipt OUT needs --nonce TEXT: a status receipt answers "
		                  "someone's challenge, so that it cannot be an old one replayed");
	if (args_one(a, O_NOW) != NULL && r->path == NULL)
		return tool_usage("--now is the time the receipt records: give --receipt OUT too");
	return parse_now(args_one(a, O_NOW), now);
}

/* The state read and parsed under the lock sd: a state that is missing or
 * corrupt is exit 2 here, naming it (status makes no decision). */
static tool_exit read_status(veto_sd_dir *sd, const char *dir, veto_state **state,
                             uint8_t **text, size_t *len)
{
	tool_exit rc = read_state_bytes(sd, dir, text, len);
	if (rc != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	veto_report rep;
	veto_report_init(&rep, NULL);
	veto_status s = veto_state_parse(state, &rep, NULL, *text, *len);
	if (s != VETO_OK) {
		*state = NULL;
		char why[512] = "";
		if (rep.n_refusals > 0)
			(void)veto_reason_text(why, sizeof why, &rep.refusals[0]);
		tool_err("%s/state.json: not a valid state: %s", dir,
		         why[0] != '\0' ? why : veto_strerror(s));
		rc = EXIT_TROUBLE;
	}
	veto_report_clear(&rep);
	return rc;
}

static tool_exit status_run(const args *a)
{
	const char *dir = args_one(a, O_STATE);
	receipt_out rcpt;
	receipt_from_args(&rcpt, a, O_RECEIPT);
	int64_t now = 0;
	tool_exit rc = status_args(a, &rcpt, &now);
	if (rc == EXIT_ACCEPT && (rc = receipt_prepare(&rcpt, dir, RECEIPT_OPTIONAL)) != EXIT_ACCEPT)
		return rc; /* nothing removed: OUT was not ours to touch */
	veto_sd_dir sd = VETO_SD_DIR_CLOSED;
	status_view v = {0};
	veto_state *state = NULL;
	uint8_t *text = NULL;
	size_t len = 0;
	if (rc == EXIT_ACCEPT && (rc = receipt_load_key(&rcpt)) == EXIT_ACCEPT &&
	    (rc = read_status(&sd, dir, &state, &text, &len)) == EXIT_ACCEPT) {
		v.state = state;
		veto_receipt_facts f = {.kind = VETO_RECEIPT_STATUS, .time = now, .before = state};
		if ((rc = gather(&v, dir, text, len)) == EXIT_ACCEPT &&
		    (rc = receipt_stage(&rcpt, &f)) == EXIT_ACCEPT)
			rc = receipt_end(&rcpt, rc, false);
		if (rc == EXIT_ACCEPT)
			rc = a->count[O_JSON] > 0 ? print_json(&v) : print_human(&v, dir);
	}
	rc = receipt_end(&rcpt, rc, false);
	veto_sd_close(&sd);
	cJSON_Delete(v.payload);
	cJSON_Delete(v.doc);
	if (state != NULL)
		veto_state_free(state);
	free(text);
	return rc;
}

TOOL_COMMAND(cmd_status, "status", status_opts, status_help, status_run);
