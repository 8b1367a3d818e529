/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VETO_TOOL_OUTPUT_H
#define VETO_TOOL_OUTPUT_H

#include <stdio.h>

#include <veto.h>

/* How to name the policy a reason is about, for people. */
typedef struct report_names {
	const char *const *policy_files; /* policy_files[i]: reason index i + 1 */
	size_t n_policy_files;
	const char *stored_policy; /* a reason with index 0; NULL: say nothing */
	int image_hint;            /* say how to check the image when unchecked */
	const char *anchor_file;   /* named after malformed-anchor; may be NULL */
	const char *state_file;    /* named after malformed-state; may be NULL */
} report_names;

/* "ACCEPT subject" or "REFUSE subject", then one line per refusal and per
 * notice. */
void report_print(FILE *f, const char *subject, int accepted, const veto_report *r,
                  const report_names *names);
/* The refusal and notice lines alone, each starting with indent. */
void report_print_lines(FILE *f, const char *indent, const veto_report *r,
                        const report_names *names);

/* The library's JSON object of one decision and a newline.  0 or -1. */
int report_print_json(FILE *f, const veto_report *r);
/* The same object with "policy": file as its first member (preflight). */
int report_print_json_with_policy(FILE *f, const veto_report *r, const char *file);

/* s as a JSON string; bytes that are not UTF-8 become U+FFFD, so the
 * output is always valid JSON whatever the file name. */
void json_put_string(FILE *f, const char *s);

#endif
