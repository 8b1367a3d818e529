/* SPDX-License-Identifier: Apache-2.0 */
#include "output.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int is_policy_code(veto_code c)
{
	return c == VETO_R_MALFORMED_POLICY || c == VETO_R_POLICY_TYPE ||
	       c == VETO_R_POLICY_SIGNATURE || c == VETO_R_POLICY_NEW_OWNER_SIGNATURE ||
	       c == VETO_R_POLICY_ROLLBACK || c == VETO_R_POLICY_EQUIVOCATION ||
	       c == VETO_R_POLICY_EXPIRED || c == VETO_R_POLICY_WRONG_DEVICE;
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
	if (names != NULL) {
		if (r->index > 0 && r->index <= names->n_policy_files) {
			fputs(" (policy ", f);
			put_safe_str(f, names->policy_files[r->index - 1]);
			fputc(')', f);
		} else if (r->index == 0 && names->stored_policy != NULL && is_policy_code(r->code)) {
			fputs(" (", f);
			put_safe_str(f, names->stored_policy);
			fputc(')', f);
		} else if (r->code == VETO_R_MALFORMED_ANCHOR && names->anchor_file != NULL) {
			fputs(" (anchor ", f);
			put_safe_str(f, names->anchor_file);
			fputc(')', f);
		} else if (r->code == VETO_R_MALFORMED_STATE && names->state_file != NULL) {
			fputs(" (", f);
			put_safe_str(f, names->state_file);
			fputc(')', f);
		}
	}
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

void report_print_lines(FILE *f, const char *indent, const veto_report *r,
                        const report_names *names)
{
	for (size_t i = 0; i < r->n_refusals; i++)
		print_reason(f, indent, "refused:", &r->refusals[i], names);
	for (size_t i = 0; i < r->n_notices; i++)
		print_reason(f, indent, "notice: ", &r->notices[i], names);
}

void report_print(FILE *f, const char *subject, int accepted, const veto_report *r,
                  const report_names *names)
{
	fputs(accepted ? "ACCEPT " : "REFUSE ", f);
	put_safe_str(f, subject);
	fputc('\n', f);
	report_print_lines(f, "  ", r, names);
}

static char *report_json(const veto_report *r, size_t *len)
{
	char *out = NULL;
	veto_status s = veto_report_json(&out, len, r);
	if (s != VETO_OK) {
		tool_err("cannot write the JSON report: %s", veto_strerror(s));
		return NULL;
	}
	/* The object ends the line, whatever the library put after it. */
	while (*len > 0 && (out[*len - 1] == '\n' || out[*len - 1] == ' '))
		(*len)--;
	return out;
}

int report_print_json(FILE *f, const veto_report *r)
{
	size_t len;
	char *out = report_json(r, &len);
	if (out == NULL)
		return -1;
	fwrite(out, 1, len, f);
	fputc('\n', f);
	veto_free(NULL, out);
	return 0;
}

int report_print_json_with_policy(FILE *f, const veto_report *r, const char *file)
{
	size_t len;
	char *out = report_json(r, &len);
	if (out == NULL)
		return -1;
	size_t i = 0;
	while (i < len && out[i] != '{')
		i++;
	if (i == len) {
		veto_free(NULL, out);
		tool_err("the library's JSON report is not an object");
		return -1;
	}
	i++;
	while (i < len && (out[i] == ' ' || out[i] == '\n'))
		i++;
	fputs("{\"policy\": ", f);
	json_put_string(f, file);
	if (i < len && out[i] != '}')
		fputs(", ", f);
	fwrite(out + i, 1, len - i, f);
	veto_free(NULL, out);
	return 0;
}

void json_put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	fputc('"', f);
	while (*p != 0) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
			p++;
		} else if (c < 0x20 || c == 0x7F) {
			fprintf(f, "\\u%04x", c);
			p++;
		} else if (c < 0x80) {
			fputc(c, f);
			p++;
		} else {
			/* Copy a well-formed UTF-8 sequence whole. */
			size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			int ok = c >= 0xC2 && c <= 0xF4;
			for (size_t k = 1; ok && k < n; k++)
				ok = (p[k] & 0xC0) == 0x80;
			if (ok && n == 3)
				ok = !(c == 0xE0 && p[1] < 0xA0) && !(c == 0xED && p[1] > 0x9F);
			if (ok && n == 4)
				ok = !(c == 0xF0 && p[1] < 0x90) && !(c == 0xF4 && p[1] > 0x8F);
			if (ok) {
				fwrite(p, 1, n, f);
				p += n;
			} else {
				fputs("\\ufffd", f);
				p++;
			}
		}
	}
	fputc('"', f);
}
