/* SPDX-License-Identifier: Apache-2.0 */
/* veto anchor: a trust anchor from the owner's public key files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <veto.h>

#include "args.h"
#include "authkeys.h"
#include "cmd.h"
#include "jsonout.h"
#include "util.h"

static const char anchor_help[] =
    "usage: veto anchor --device VENDOR/MODEL --key K.pub... [--threshold N] [-o ANCHOR]\n"
    "\n"
    "Writes the trust anchor a device is enrolled with (veto init --anchor): the\n"
    "device's identity and the owner's public keys, of which THRESHOLD must sign\n"
    "the first policy.  Key files may be veto .pub files or any file 'veto key\n"
    "import' reads (minisign, signify, OpenSSH).\n"
    "\n"
    "  --device VENDOR/MODEL  the device class, as in acme/thermo-2\n"
    "  --key K.pub            an owner public key (repeat for each key)\n"
    "  --threshold N          how many of the keys must sign (default 1)\n"
    "  -o, --output ANCHOR    where to write it (default: standard output)\n";

enum { O_DEVICE, O_KEY, O_THRESHOLD, O_OUTPUT };
static const opt_def anchor_opts[] = {
	[O_DEVICE] = {.name = "device", .takes_value = true},
	[O_KEY] = {.name = "key", .takes_value = true, .repeatable = true},
	[O_THRESHOLD] = {.name = "threshold", .takes_value = true},
	[O_OUTPUT] = {.name = "output", .short_name = 'o', .takes_value = true},
};

/* The anchor's members from the options, into doc. */
static tool_exit build_anchor(cJSON *doc, const args *a)
{
	uint64_t threshold = 1;
	const char *t = args_one(a, O_THRESHOLD);
	if (t != NULL && (!parse_counter(t, &threshold) || threshold == 0))
		return tool_usage("--threshold takes a whole number from 1 up (got '%s')", t);
	if (threshold > a->count[O_KEY])
		return tool_usage("--threshold %s is more than the %zu key(s) given: no set of "
		                  "signatures could ever meet it",
		                  t, a->count[O_KEY]);
	cJSON *dev = device_new(args_one(a, O_DEVICE));
	if (dev == NULL)
		return EXIT_TROUBLE;
	cJSON_AddItemToObject(doc, "device", dev);
	cJSON *map = cJSON_AddObjectToObject(doc, "keys");
	cJSON *ids = cJSON_CreateArray();
	if (map == NULL || ids == NULL ||
	    cJSON_AddNumberToObject(doc, "threshold", (double)threshold) == NULL) {
		cJSON_Delete(ids);
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	tool_exit rc = EXIT_ACCEPT;
	for (size_t i = 0; i < a->count[O_KEY] && rc == EXIT_ACCEPT; i++)
		rc = add_key_file(map, ids, a->values[O_KEY][i], "the anchor");
	cJSON_Delete(ids);
	return rc;
}

/* The library enrols a device from the text: what it refuses is never
 * written. */
static tool_exit validate_anchor(const cJSON *doc)
{
	size_t len = 0;
	char *text = json_layout(doc, &len);
	if (text == NULL) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	veto_report rep;
	veto_report_init(&rep, NULL);
	veto_state *st = NULL;
	veto_status s = veto_state_from_anchor(&st, &rep, NULL, (const uint8_t *)text, len, 0,
	                                       NULL, 0);
	free(text);
	veto_state_free(st);
	tool_exit rc = EXIT_ACCEPT;
	if (s != VETO_OK) {
		char why[512] = "";
		if (veto_report_refusal_count(&rep) > 0)
			veto_reason_text(why, sizeof why, veto_report_refusal(&rep, 0));
		tool_err("refused: the anchor would be malformed: %s",
		         why[0] != '\0' ? why : veto_strerror(s));
		rc = EXIT_TROUBLE;
	}
	veto_report_clear(&rep);
	return rc;
}

static tool_exit anchor_run(const args *a)
{
	if (a->n_operands != 0)
		return tool_usage("anchor takes no operand (give the keys with --key)");
	if (args_one(a, O_DEVICE) == NULL)
		return tool_usage("give the device with --device VENDOR/MODEL");
	if (a->count[O_KEY] == 0)
		return tool_usage("give the owner's public key(s) with --key K.pub");
	tool_exit rc = check_one_stdin(a->values[O_KEY], a->count[O_KEY], NULL, 0);
	if (rc != EXIT_ACCEPT)
		return rc;
	cJSON *doc = cJSON_CreateObject();
	if (doc == NULL) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	rc = build_anchor(doc, a);
	if (rc == EXIT_ACCEPT)
		rc = validate_anchor(doc);
	if (rc == EXIT_ACCEPT)
		rc = write_json(args_one(a, O_OUTPUT), doc);
	cJSON_Delete(doc);
	return rc;
}

TOOL_COMMAND(cmd_anchor, "anchor", anchor_opts, anchor_help, anchor_run);
