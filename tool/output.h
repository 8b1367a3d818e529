/* SPDX-License-Identifier: Apache-2.0 */
/*
 * output.h - what the tool prints about decisions: the human report, the
 * library's JSON object of one decision, and the tool's own JSON (preflight),
 * which only this module's JSON writer writes.
 */
#ifndef VETO_TOOL_OUTPUT_H
#define VETO_TOOL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include <veto.h>

#include "util.h"

/* How to name the policy a reason is about, for people. */
typedef struct report_names {
	const char *const *policy_files; /* policy_files[i]: reason index i + 1 */
	size_t n_policy_files;
	const char *stored_policy; /* a reason with index 0; NULL: say nothing */
	bool image_hint;           /* say how to check the image when unchecked */
	const char *anchor_file;   /* named after malformed-anchor; may be NULL */
	const char *state_file;    /* named after malformed-state; may be NULL */
} report_names;

/* "ACCEPT subject" or "REFUSE subject", then one line per refusal and per
 * notice. */
void report_print(FILE *f, const char *subject, bool accepted, const veto_report *r,
                  const report_names *names);

/* The library's JSON object of one decision (SPEC section 9), as it wrote
 * it, and a newline. */
tool_exit report_print_json(FILE *f, const veto_report *r);

/* One release against many policies (veto preflight). */
typedef struct preflight_results {
	size_t n;                        /* policies */
	const char *const *files;        /* files[i]: policy i's file */
	const veto_report *reports;      /* reports[i]: policy i's decision */
	const bool *accepted;            /* accepted[i] */
	size_t n_accept;                 /* how many accepted */
	size_t by_code[VETO_CODE_COUNT_]; /* policies refused for each code */
} preflight_results;

/* The summary line, the count per reason, then each policy's report. */
void preflight_print(FILE *f, const preflight_results *p);
/* {"policies": N, "accept": A, "refuse": R, "reasons": {...},
 *  "results": [{"policy": FILE, "decision": ...}, ...]} and a newline. */
void preflight_print_json(FILE *f, const preflight_results *p);

#endif
