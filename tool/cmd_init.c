/* SPDX-License-Identifier: Apache-2.0 */
/* veto init: enrols a device in a new state directory. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "decision.h"
#include "devkey.h"
#include "files.h"
#include "receipt.h"
#include <veto_statedir.h>
#include "util.h"

static const char init_help[] =
    "usage: veto init --state DIR --anchor ANCHOR [--security-counter N]\n"
    "                 [--feature F]... [--device-key]\n"
    "                 [--receipt OUT [--receipt-key K.key] [--nonce TEXT] [--now TIME]]\n"
    "       veto init --state DIR --device-key\n"
    "\n"
    "Enrols a device: creates the state directory DIR (mode 0700; an existing\n"
    "empty directory that group and others cannot write is used as is) and\n"
    "writes DIR/state.json from the trust anchor and what runs now.  Exits 2\n"
    "if DIR already holds a state: enrolment never overwrites one.  The second\n"
    "form gives a device enrolled earlier a device key.\n"
    "\n"
    "  --state DIR             the state directory\n"
    "  --anchor ANCHOR         the trust anchor (device identity and owner keys)\n"
    "  --security-counter N    security counter of the installed firmware (0)\n"
    "  --feature F             a feature the device has now, \"name\" or\n"
    "                          \"name@VERSION\" (repeatable)\n"
    "  --device-key            also makes the device key that signs receipts:\n"
    "                          DIR/device.key (0600, never encrypted) and\n"
    "                          DIR/device.pub; prints its keyid\n"
    "  --receipt OUT           signs the first receipt of the chain (kind init) with\n"
    "                          the new device key (or --receipt-key) and writes it to\n"
    "                          OUT (atomically; not in DIR)\n"
    "  --receipt-key K.key     the secret key that signs the receipt instead\n"
    "  --passphrase-file FILE  the passphrase of an encrypted --receipt-key\n"
    "  --nonce TEXT            a challenge the receipt carries (1 to 128\n"
    "                          characters from '!' to '~')\n"
    "  --now TIME              the time the receipt records (default: the clock)\n";

enum { O_STATE, O_ANCHOR, O_COUNTER, O_FEATURE, O_DEVICE_KEY, O_NOW, O_RECEIPT };
static const opt_def init_opts[] = {
	[O_STATE] = {.name = "state", .takes_value = true},
	[O_ANCHOR] = {.name = "anchor", .takes_value = true},
	[O_COUNTER] = {.name = "security-counter", .takes_value = true},
	[O_FEATURE] = {.name = "feature", .takes_value = true, .repeatable = true},
	[O_DEVICE_KEY] = {.name = "device-key"},
	[O_NOW] = {.name = "now", .takes_value = true},
	RECEIPT_OPT_DEFS(O_RECEIPT),
};

/* (1.1) A device key made for DIR: the pair and its keyid. */
typedef struct new_key {
	bool wanted; /* --device-key */
	uint8_t seed[VETO_SEEDBYTES];
	uint8_t pk[VETO_PUBLICKEYBYTES];
	char keyid[VETO_KEYIDCHARS + 1];
} new_key;

/* A new pair in memory: nothing is written yet. */
static tool_exit make_key(new_key *k)
{
	veto_status s = veto_keygen(k->pk, k->seed);
	if (s == VETO_OK)
		s = veto_keyid(k->keyid, k->pk);
	return s == VETO_OK ? EXIT_ACCEPT : tool_fail("make the device key", s);
}

/* Why the library would not make a state from the anchor and features. */
static void enrol_error(const char *anchor_path, veto_status s, const veto_report *rep)
{
	if (rep->n_refusals == 0)
		tool_err("%s: cannot enrol: %s", shown_name(anchor_path), veto_strerror(s));
	for (size_t i = 0; i < rep->n_refusals; i++) {
		const veto_reason *r = &rep->refusals[i];
		char line[512];
		veto_reason_text(line, sizeof line, r);
		if (r->code == VETO_R_MALFORMED_ANCHOR)
			tool_err("%s: not a valid trust anchor: %s", shown_name(anchor_path), r->detail);
		else
			tool_err("bad --feature: %s", line);
	}
}

/* The first state of the device, as text: everything is checked before DIR
 * is made, so that a mistake leaves no half-enrolled directory behind. */
static tool_exit first_state(const args *a, const char *anchor_path, uint64_t counter,
                             veto_state **state, char **text, size_t *text_len)
{
	uint8_t *anchor = NULL;
	size_t anchor_len;
	if (read_document(anchor_path, ": not a trust anchor", &anchor, &anchor_len) !=
	    EXIT_ACCEPT)
		return EXIT_TROUBLE;
	veto_report rep;
	veto_report_init(&rep, NULL);
	veto_status s = veto_state_from_anchor(state, &rep, NULL, anchor, anchor_len, counter,
	                                       a->values[O_FEATURE], a->count[O_FEATURE]);
	free(anchor);
	if (s != VETO_OK) {
		*state = NULL;
		enrol_error(anchor_path, s, &rep);
	}
	veto_report_clear(&rep);
	if (s != VETO_OK)
		return EXIT_TROUBLE;
	return format_state(*state, text, text_len);
}

static void print_enrolled(const char *dir, const veto_state *state, const new_key *k)
{
	size_t n_features = veto_state_feature_count(state);
	printf("enrolled %s: device %s/%s, security counter %llu, %zu feature%s; no policy "
	       "trusted yet (next: veto trust --state %s --policy POLICY)\n",
	       dir, veto_state_vendor(state), veto_state_model(state),
	       (unsigned long long)veto_state_security_counter(state), n_features,
	       n_features == 1 ? "" : "s", dir);
	if (k->wanted)
		printf("device key %s: %s/" DEVKEY_SECRET " signs the receipts, %s/" DEVKEY_PUBLIC
		       " verifies them\n",
		       k->keyid, dir, dir);
}

/* Makes DIR and writes its first state.json, then (1.1) the device key,
 * under its lock: *written says whether the state was written. */
static tool_exit enrol(const char *dir, const char *text, size_t text_len, const new_key *k,
                       bool *written)
{
	char err[4200];
	if (veto_sd_create(dir, err, sizeof err) != VETO_SD_OK) {
		tool_err("%s", err);
		return EXIT_TROUBLE;
	}
	veto_sd_dir sd;
	if (veto_sd_open(&sd, dir, err, sizeof err) != VETO_SD_OK) {
		tool_err("%s", err);
		return EXIT_TROUBLE;
	}
	tool_exit rc = EXIT_TROUBLE;
	uint8_t *old = NULL;
	size_t old_len;
	int r = veto_sd_read(&sd, &old, &old_len, err, sizeof err);
	free(old);
	if (r != VETO_SD_MISSING) {
		/* Another enrolment won the race since veto_sd_create looked. */
		tool_err("%s already holds a state; enrolment never overwrites one", dir);
	} else if (veto_sd_write(&sd, text, text_len, err, sizeof err) != VETO_SD_OK) {
		tool_err("%s", err);
	} else {
		*written = true;
		rc = k->wanted ? devkey_write(dir, k->seed, k->pk) : EXIT_ACCEPT;
		if (rc != EXIT_ACCEPT)
			fprintf(stderr, "  (%s is enrolled without a device key: make one with 'veto "
			                "init --state %s --device-key')\n",
			        dir, dir);
	}
	veto_sd_close(&sd);
	return rc;
}

/* The checks of the enrolment's command line (after the usage checks). */
static tool_exit enrol_args(const args *a, receipt_out *rcpt, uint64_t *counter,
                            int64_t *now)
{
	const char *counter_text = args_one(a, O_COUNTER);
	if (counter_text != NULL && !parse_counter(counter_text, counter))
		return tool_usage("--security-counter '%s' is not a whole number from 0 to 2^53-1",
		                  counter_text);
	if (rcpt->path != NULL && rcpt->key_path == NULL && !rcpt->key_to_come)
		return tool_usage("--receipt OUT needs a key to sign it: give --device-key (the "
		                  "new device key signs it) or --receipt-key K.key");
	if (args_one(a, O_NOW) != NULL && rcpt->path == NULL)
		return tool_usage("--now is the time the receipt records: give --receipt OUT too");
	tool_exit rc = parse_now(args_one(a, O_NOW), now);
	return rc == EXIT_ACCEPT ? receipt_prepare(rcpt, args_one(a, O_STATE), RECEIPT_OPTIONAL)
	                         : rc;
}

/* Enrolment: the state and the receipt made and staged before DIR is,
 * then DIR, its state and device key, then the receipt named. */
static tool_exit enrol_run(const args *a, receipt_out *rcpt, new_key *k)
{
	const char *dir = args_one(a, O_STATE);
	const char *anchor_path = args_one(a, O_ANCHOR);
	uint64_t counter = 0;
	int64_t now = 0;
	veto_state *state = NULL;
	char *text = NULL;
	size_t text_len = 0;
	bool written = false;
	tool_exit rc = enrol_args(a, rcpt, &counter, &now);
	if (rc != EXIT_ACCEPT)
		return rc; /* nothing removed: OUT was not ours to touch */
	rc = first_state(a, anchor_path, counter, &state, &text, &text_len);
	if (rc == EXIT_ACCEPT && k->wanted && (rc = make_key(k)) == EXIT_ACCEPT)
		receipt_use_key(rcpt, k->seed);
	if (rc == EXIT_ACCEPT)
		rc = receipt_load_key(rcpt);
	veto_receipt_facts f = {.kind = VETO_RECEIPT_INIT, .time = now, .after = state};
	if (rc == EXIT_ACCEPT)
		rc = receipt_stage(rcpt, &f);
	if (rc == EXIT_ACCEPT)
		rc = enrol(dir, text, text_len, k, &written);
	rc = receipt_end(rcpt, rc, written);
	if (rc == EXIT_ACCEPT)
		print_enrolled(dir, state, k);
	veto_free(NULL, text);
	if (state != NULL)
		veto_state_free(state);
	return rc;
}

/* init --state DIR --device-key: a device key for a device enrolled
 * before, under DIR's lock; never over an existing one. */
static tool_exit add_key_run(const char *dir, new_key *k)
{
	veto_sd_dir sd = VETO_SD_DIR_CLOSED;
	veto_report rep;
	veto_report_init(&rep, NULL);
	veto_state *state = NULL;
	bool has_key = false;
	tool_exit rc = devkey_look(dir, &has_key);
	if (rc == EXIT_ACCEPT)
		rc = load_state(&sd, dir, &rep, &state);
	if (rc == EXIT_REFUSE) {
		tool_err("%s holds no valid state: enrol the device first (veto init --state %s "
		         "--anchor ANCHOR --device-key)",
		         dir, dir);
		rc = EXIT_TROUBLE;
	} else if (rc == EXIT_ACCEPT && has_key) {
		tool_err("%s already holds a device key (%s/" DEVKEY_SECRET "); veto never "
		         "overwrites a key file",
		         dir, dir);
		rc = EXIT_TROUBLE;
	} else if (rc == EXIT_ACCEPT && (rc = make_key(k)) == EXIT_ACCEPT &&
	           (rc = devkey_write(dir, k->seed, k->pk)) == EXIT_ACCEPT) {
		printf("%s\n", k->keyid);
	}
	veto_sd_close(&sd);
	if (state != NULL)
		veto_state_free(state);
	veto_report_clear(&rep);
	return rc;
}

static tool_exit init_run(const args *a)
{
	tool_exit rc;
	const char *dir = args_one(a, O_STATE);
	receipt_out rcpt;
	receipt_from_args(&rcpt, a, O_RECEIPT);
	new_key k = {.wanted = a->count[O_DEVICE_KEY] > 0};
	rcpt.key_to_come = k.wanted;
	bool enrolling = args_one(a, O_ANCHOR) != NULL;
	bool extra = a->count[O_COUNTER] + a->count[O_FEATURE] + a->count[O_NOW] +
	                 a->count[O_RECEIPT] + a->count[O_RECEIPT + 1] + a->count[O_RECEIPT + 2] +
	                 a->count[O_RECEIPT + 3] >
	             0;
	if (dir == NULL || a->n_operands != 0 || (!enrolling && !k.wanted))
		rc = tool_usage("give --state DIR and --anchor ANCHOR, or --state DIR --device-key "
		                "(and no other arguments)");
	else if (!enrolling && extra)
		rc = tool_usage("without --anchor, init only gives an enrolled device a key: "
		                "--state DIR --device-key and nothing else");
	else
		rc = enrolling ? enrol_run(a, &rcpt, &k) : add_key_run(dir, &k);
	wipe(k.seed, sizeof k.seed);
	return rc;
}

TOOL_COMMAND(cmd_init, "init", init_opts, init_help, init_run);
