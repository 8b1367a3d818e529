/* SPDX-License-Identifier: Apache-2.0 */
#include "output.h"

#include <stdlib.h>
#include <string.h>

static bool is_policy_code(veto_code c)
{
	return c == VETO_R_MALFORMED_POLICY || c == VETO_R_POLICY_TYPE ||
	       c == VETO_R_POLICY_SIGNATURE || c == VETO_R_POLICY_NEW_OWNER_SIGNATURE ||
	       c == VETO_R_POLICY_ROLLBACK || c == VETO_R_POLICY_EQUIVOCATION ||
	       c == VETO_R_POLICY_EXPIRED || c == VETO_R_POLICY_WRONG_DEVICE ||
	       c == VETO_R_CLOCK_BEHIND;
}

/* " (what name)" after a reason, naming the file it is about. */
static void print_about(FILE *f, const char *what, const char *name)
{
	fputs(" (", f);
	fputs(what, f);
	put_safe_str(f, name);
	fputc(')', f);
}

static void print_names(FILE *f, const veto_reason *r, const report_names *names)
{
	if (r->index > 0 && r->index <= names->n_policy_files)
		print_about(f, "policy ", names->policy_files[r->index - 1]);
	else if (r->index == 0 && names->stored_policy != NULL && is_policy_code(r->code))
		print_about(f, "", names->stored_policy);
	else if (r->code == VETO_R_MALFORMED_ANCHOR && names->anchor_file != NULL)
		print_about(f, "anchor ", names->anchor_file);
	else if (r->code == VETO_R_MALFORMED_STATE && names->state_file != NULL)
		print_about(f, "", names->state_file);
}

static void print_reason(FILE *f, const char *indent, const char *label, const veto_reason *r,
                         const report_names *names)
{
	char small[512];
	char *text = small;
	size_t want = veto_reason_text(small, sizeof small, r);
	if (want >= sizeof small) {
		char *big = malloc(want + 1);
		if (big != NULL) {
			(void)veto_reason_text(big, want + 1, r);
			text = big;
		}
	}
	fprintf(f, "%s%s %s: ", indent, label, veto_code_name(r->code));
	put_safe_str(f, text);
	if (names != NULL)
		print_names(f, r, names);
	fputc('\n', f);
	if (text != small)
		free(text);

	/* What a person can do about it, where the tool knows. */
	if (r->code == VETO_R_MALFORMED_STATE)
		fprintf(f, "%s  (restore state.json from a backup, or enrol again with 'veto "
		           "init' in a new directory; veto never resets trust by itself)\n",
		        indent);
	if (r->code == VETO_N_IMAGE_UNCHECKED && names != NULL && names->image_hint)
		fprintf(f, "%s  (give --image FILE to check the image itself)\n", indent);
}

void report_print(FILE *f, const char *subject, bool accepted, const veto_report *r,
                  const report_names *names)
{
	fputs(accepted ? "ACCEPT " : "REFUSE ", f);
	put_safe_str(f, subject);
	fputc('\n', f);
	for (size_t i = 0; i < r->n_refusals; i++)
		print_reason(f, "  ", "refused:", &r->refusals[i], names);
	for (size_t i = 0; i < r->n_notices; i++)
		print_reason(f, "  ", "notice: ", &r->notices[i], names);
}

tool_exit report_print_json(FILE *f, const veto_report *r)
{
	char *out = NULL;
	size_t len = 0;
	veto_status s = veto_report_json(&out, &len, r);
	if (s != VETO_OK)
		return tool_fail("write the JSON report", s);
	/* The object ends the line, whatever the library put after it. */
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		len--;
	fwrite(out, 1, len, f);
	fputc('\n', f);
	veto_free(NULL, out);
	return EXIT_ACCEPT;
}

/* ---- the tool's JSON writer --------------------------------------------- */

/* Deep enough for the preflight object: results, reasons, their arrays. */
#define JW_MAX_DEPTH 8

/* Writes one JSON value to f, members and elements separated by ", " and
 * keys followed by ": ", as the library writes its own. */
typedef struct jw {
	FILE *f;
	unsigned depth;
	bool first[JW_MAX_DEPTH]; /* nothing written yet at this level */
	bool after_key;
} jw;

static void jw_sep(jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0 && !w->first[w->depth - 1])
		fputs(", ", w->f);
	if (w->depth > 0)
		w->first[w->depth - 1] = false;
}

static void jw_open(jw *w, char bracket)
{
	jw_sep(w);
	fputc(bracket, w->f);
	if (w->depth < JW_MAX_DEPTH)
		w->first[w->depth++] = true;
}

static void jw_close(jw *w, char bracket)
{
	if (w->depth > 0)
		w->depth--;
	fputc(bracket, w->f);
}

/* s as a JSON string; bytes that are not UTF-8 become U+FFFD, so the
 * output is always valid JSON whatever the file name. */
static void jw_put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	fputc('"', f);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			fputs("\\ufffd", f);
			i++;
		} else if (cp == '"' || cp == '\\') {
			fputc('\\', f);
			fputc((int)cp, f);
		} else if (cp < 0x20 || cp == 0x7F) {
			fprintf(f, "\\u%04x", (unsigned)cp);
		} else {
			fwrite(p + i, 1, n, f);
		}
		i += n;
	}
	fputc('"', f);
}

static void jw_key(jw *w, const char *key)
{
	jw_sep(w);
	jw_put_string(w->f, key);
	fputs(": ", w->f);
	w->after_key = true;
}

static void jw_string(jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_sep(w);
	jw_put_string(w->f, s);
}

static void jw_uint(jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_sep(w);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

/* One reason, with the members and in the order of the library's
 * veto_report_json (SPEC section 9), which the tool cannot extend: its
 * preflight results carry a "policy" member first. */
static void jw_reason(jw *w, const veto_reason *x)
{
	jw_open(w, '{');
	jw_string(w, "code", veto_code_name(x->code));
	if (x->index != 0)
		jw_uint(w, "index", x->index);
	if (x->role[0] != '\0')
		jw_string(w, "role", x->role);
	if (x->has_counts) {
		jw_uint(w, "have", x->have);
		jw_uint(w, "need", x->need);
	}
	if (x->feature[0] != '\0')
		jw_string(w, "feature", x->feature);
	if (x->offered[0] != '\0')
		jw_string(w, veto_code_offered_name(x->code), x->offered);
	if (x->detail[0] != '\0')
		jw_string(w, "detail", x->detail);
	jw_close(w, '}');
}

static void jw_reasons(jw *w, const char *key, const veto_reason *list, size_t n)
{
	jw_key(w, key);
	jw_open(w, '[');
	for (size_t i = 0; i < n; i++)
		jw_reason(w, &list[i]);
	jw_close(w, ']');
}

/* ---- preflight ---------------------------------------------------------- */

static size_t pf_refused(const preflight_results *p)
{
	return p->n_judged - p->n_accept;
}

void preflight_json_head(FILE *f, const preflight_results *p)
{
	jw w = {.f = f};
	jw_open(&w, '{');
	jw_uint(&w, "policies", p->n);
	jw_uint(&w, "accept", p->n_accept);
	jw_uint(&w, "refuse", pf_refused(p));
	jw_key(&w, "reasons");
	jw_open(&w, '{');
	for (unsigned code = 0; code < VETO_CODE_COUNT_; code++)
		if (p->by_code[code] > 0)
			jw_uint(&w, veto_code_name((veto_code)code), p->by_code[code]);
	jw_close(&w, '}');
	jw_key(&w, "results");
	jw_open(&w, '['); /* left open: the results follow, then preflight_json_tail */
}

void preflight_json_one(FILE *f, bool first, const char *file, bool accepted,
                        const veto_report *r)
{
	jw w = {.f = f};
	if (!first)
		fputs(", ", f);
	jw_open(&w, '{');
	jw_string(&w, "policy", file);
	jw_string(&w, "decision", accepted ? "accept" : "refuse");
	jw_reasons(&w, "refusals", r->refusals, r->n_refusals);
	jw_reasons(&w, "notices", r->notices, r->n_notices);
	jw_close(&w, '}');
}

void preflight_json_unreadable(FILE *f, bool first, const char *file, const char *what)
{
	jw w = {.f = f};
	if (!first)
		fputs(", ", f);
	jw_open(&w, '{');
	jw_string(&w, "policy", file);
	jw_string(&w, "error", what);
	jw_close(&w, '}');
}

void preflight_json_tail(FILE *f)
{
	fputs("]}\n", f);
}

void preflight_print_head(FILE *f, const preflight_results *p)
{
	fprintf(f, "%zu polic%s: %zu accept, %zu refuse", p->n, p->n == 1 ? "y" : "ies",
	        p->n_accept, pf_refused(p));
	if (p->n_judged < p->n)
		fprintf(f, ", %zu unreadable", p->n - p->n_judged);
	fputc('\n', f);
	for (unsigned code = 0; code < VETO_CODE_COUNT_; code++)
		if (p->by_code[code] > 0)
			fprintf(f, "  %s: %zu polic%s\n", veto_code_name((veto_code)code),
			        p->by_code[code], p->by_code[code] == 1 ? "y" : "ies");
}

/* Each block is headed by its policy's file: no need to repeat it on the
 * policy's reasons. */
void preflight_print_one(FILE *f, const char *file, bool accepted, const veto_report *r)
{
	report_print(f, shown_name(file), accepted, r, NULL);
}

void preflight_print_unreadable(FILE *f, const char *file, const char *what)
{
	fputs("ERROR ", f);
	put_safe_str(f, shown_name(file));
	fputs(": ", f);
	put_safe_str(f, what);
	fputc('\n', f);
}
