/* SPDX-License-Identifier: Apache-2.0 */
/* veto init: enrols a device in a new state directory. */
#include <stdio.h>
#include <stdlib.h>

#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "decision.h"
#include "files.h"
#include <veto_statedir.h>
#include "util.h"

static const char init_help[] =
    "usage: veto init --state DIR --anchor ANCHOR [--security-counter N]\n"
    "                 [--feature F]...\n"
    "\n"
    "Enrols a device: creates the state directory DIR (mode 0700; an existing\n"
    "empty directory that group and others cannot write is used as is) and\n"
    "writes DIR/state.json from the trust anchor and what runs now.  Exits 2\n"
    "if DIR already holds a state: enrolment never overwrites one.\n"
    "\n"
    "  --state DIR             the state directory\n"
    "  --anchor ANCHOR         the trust anchor (device identity and owner keys)\n"
    "  --security-counter N    security counter of the installed firmware (0)\n"
    "  --feature F             a feature the device has now, \"name\" or\n"
    "                          \"name@VERSION\" (repeatable)\n";

enum { O_STATE, O_ANCHOR, O_COUNTER, O_FEATURE };
static const opt_def init_opts[] = {
	[O_STATE] = {.name = "state", .takes_value = true},
	[O_ANCHOR] = {.name = "anchor", .takes_value = true},
	[O_COUNTER] = {.name = "security-counter", .takes_value = true},
	[O_FEATURE] = {.name = "feature", .takes_value = true, .repeatable = true},
};

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

/* Makes DIR and writes its first state.json, under its lock. */
static tool_exit enrol(const char *dir, const veto_state *state, const char *text,
                       size_t text_len)
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
		size_t n_features = veto_state_feature_count(state);
		printf("enrolled %s: device %s/%s, security counter %llu, %zu feature%s; no policy "
		       "trusted yet (next: veto trust --state %s --policy POLICY)\n",
		       dir, veto_state_vendor(state), veto_state_model(state),
		       (unsigned long long)veto_state_security_counter(state), n_features,
		       n_features == 1 ? "" : "s", dir);
		rc = EXIT_ACCEPT;
	}
	veto_sd_close(&sd);
	return rc;
}

static tool_exit init_run(const args *a)
{
	tool_exit rc;
	const char *dir = args_one(a, O_STATE);
	const char *anchor_path = args_one(a, O_ANCHOR);
	const char *counter_text = args_one(a, O_COUNTER);
	uint64_t counter = 0;
	veto_state *state = NULL;
	char *text = NULL;
	size_t text_len = 0;
	if (dir == NULL || anchor_path == NULL || a->n_operands != 0)
		rc = tool_usage("give --state DIR and --anchor ANCHOR (and no other arguments)");
	else if (counter_text != NULL && !parse_counter(counter_text, &counter))
		rc = tool_usage("--security-counter '%s' is not a whole number from 0 to 2^53-1",
		                counter_text);
	else
		rc = first_state(a, anchor_path, counter, &state, &text, &text_len);
	if (rc == EXIT_ACCEPT)
		rc = enrol(dir, state, text, text_len);
	veto_free(NULL, text);
	if (state != NULL)
		veto_state_free(state);
	return rc;
}

TOOL_COMMAND(cmd_init, "init", init_opts, init_help, init_run);
