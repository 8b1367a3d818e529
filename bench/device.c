/* SPDX-License-Identifier: Apache-2.0 */
/*
 * device.c - what device firmware links of the library, for the code-size
 * figure: parse the stored state, decide on a policy, an update and an
 * image streamed in chunks, explain the reasons, commit and write the new
 * state.  No signing, no key files, no pre-flight, no JSON report.
 *
 * scripts/bench.sh links it statically with the library built at -Os with
 * -ffunction-sections and --gc-sections, and sums the library's sections
 * that remain in the link map.  It is also a working program:
 *   bench-device STATE POLICY UPDATE IMAGE NOW  (exit 0 accept, 1 refuse)
 * writing the new state to standard output when accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <veto.h>

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;
	if (f == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			unsigned char *grown = realloc(buf, cap = cap ? cap * 2 : 4096);
			if (grown == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fputs("usage: bench-device STATE POLICY UPDATE IMAGE NOW\n", stderr);
		return 2;
	}
	size_t state_len, pol_len, upd_len;
	unsigned char *state_json = slurp(argv[1], &state_len), *pol = slurp(argv[2], &pol_len),
	              *upd = slurp(argv[3], &upd_len);
	FILE *img = fopen(argv[4], "rb");
	int64_t now;
	if (state_json == NULL || pol == NULL || upd == NULL || img == NULL ||
	    veto_time_parse(&now, argv[5], strlen(argv[5])) != VETO_OK) {
		fputs("bench-device: cannot read the inputs\n", stderr);
		return 2;
	}
	int rc = 2;
	veto_report rep;
	veto_report_init(&rep, NULL);
	veto_state *state = NULL, *next = NULL;
	veto_check *c = NULL;
	veto_bytes policies[1] = {{pol, pol_len}};
	if (veto_state_parse(&state, &rep, NULL, state_json, state_len) != VETO_OK)
		goto report;
	if (veto_check_begin(&c, &rep, NULL, state, policies, 1, upd, upd_len, now) != VETO_OK)
		goto out;
	unsigned char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), img)) > 0)
		if (veto_check_image(c, chunk, n) != VETO_OK)
			goto out;
	veto_image_digests dg;
	veto_status st = veto_check_finish(c, &dg);
	if (st == VETO_OK && veto_check_commit(&next, c) == VETO_OK) {
		char *text = NULL;
		size_t len = 0;
		if (veto_state_format(&text, &len, next) == VETO_OK) {
			fwrite(text, 1, len, stdout);
			veto_free(NULL, text);
			rc = 0;
		}
	} else if (st == VETO_REFUSED) {
report:
		rc = 1;
	}
	for (size_t i = 0; i < rep.n_refusals; i++) {
		char line[512];
		veto_reason_text(line, sizeof(line), &rep.refusals[i]);
		fprintf(stderr, "%s: %s\n", veto_code_name(rep.refusals[i].code), line);
	}
out:
	veto_check_free(c);
	veto_state_free(next);
	veto_state_free(state);
	veto_report_clear(&rep);
	fclose(img);
	free(state_json);
	free(pol);
	free(upd);
	return rc;
}
