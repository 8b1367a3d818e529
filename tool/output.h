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

/* One release against many policies (veto preflight): the counts, known
 * when every policy has been judged; the results are printed one by one,
 * in the order the policies were given, after the head. */
typedef struct preflight_results {
	size_t n;                        /* policies given */
	size_t n_judged;                 /* of them read and judged */
	size_t n_accept;                 /* of them accepted */
	size_t by_code[VETO_CODE_COUNT_]; /* policies refused for each code */
} preflight_results;

/* Text: the summary line and the count per reason; then each policy's
 * report, or a line for a policy file that could not be read. */
void preflight_print_head(FILE *f, const preflight_results *p);
void preflight_print_one(FILE *f, const char *file, bool accepted, const veto_report *r);
void preflight_print_unreadable(FILE *f, const char *file, const char *what);
/* JSON: {"policies": N, "accept": A, "refuse": R, "reasons": {...},
 * "results": [ (head), then each {"policy": FILE, "decision": ...} or
 * {"policy": FILE, "error": WHAT} (first: no separator before it), then
 * "]}" and a newline (tail). */
void preflight_json_head(FILE *f, const preflight_results *p);
void preflight_json_one(FILE *f, bool first, const char *file, bool accepted,
                        const veto_report *r);
void preflight_json_unreadable(FILE *f, bool first, const char *file, const char *what);
void preflight_json_tail(FILE *f);

#endif
