/* SPDX-License-Identifier: Apache-2.0 */
#include "decision.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "files.h"

static void list_free(veto_bytes **list, uint8_t ***bufs, size_t *n)
{
	for (size_t i = 0; *bufs != NULL && i < *n; i++)
		free((*bufs)[i]);
	free(*bufs);
	free(*list);
	*bufs = NULL;
	*list = NULL;
	*n = 0;
}

void docs_free(docs *d)
{
	list_free(&d->policies, &d->policy_bufs, &d->n_policies);
	list_free(&d->revocations, &d->revocation_bufs, &d->n_revocations);
	free(d->update);
	memset(d, 0, sizeof *d);
}

/* The files paths[0..n) into *list (and their buffers into *bufs). */
static tool_exit list_read(veto_bytes **list, uint8_t ***bufs, size_t *count,
                           const char *const *paths, size_t n)
{
	*list = calloc(n + 1, sizeof **list);
	*bufs = calloc(n + 1, sizeof **bufs);
	if (*list == NULL || *bufs == NULL) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len;
		if (read_input(paths[i], TOOL_MAX_DOCUMENT, &(*bufs)[i], &len) != EXIT_ACCEPT)
			return EXIT_TROUBLE;
		*count = i + 1;
		(*list)[i].ptr = (*bufs)[i];
		(*list)[i].len = len;
	}
	return EXIT_ACCEPT;
}

tool_exit docs_read(docs *d, const char *const *policy_paths, size_t n, const char *update_path)
{
	memset(d, 0, sizeof *d);
	if (list_read(&d->policies, &d->policy_bufs, &d->n_policies, policy_paths, n) !=
	        EXIT_ACCEPT ||
	    (update_path != NULL && read_input(update_path, TOOL_MAX_DOCUMENT, &d->update,
	                                       &d->update_len) != EXIT_ACCEPT)) {
		docs_free(d);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

tool_exit docs_read_revocations(docs *d, const char *const *paths, size_t n)
{
	if (n > TOOL_MAX_REVOCATIONS)
		return tool_usage("at most 64 --revocation files in one command");
	if (list_read(&d->revocations, &d->revocation_bufs, &d->n_revocations, paths, n) !=
	    EXIT_ACCEPT) {
		docs_free(d);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

/* The refusal for a state that is missing or too large: the library names
 * it, as for any unreadable state. */
static tool_exit refuse_state(veto_report *rep, veto_state **state)
{
	static const uint8_t empty[1] = {0};
	if (veto_state_parse(state, rep, NULL, empty, 0) == VETO_OK) {
		veto_state_free(*state);
		*state = NULL;
	}
	return EXIT_REFUSE;
}

tool_exit read_state_bytes(veto_sd_dir *sd, const char *dir, uint8_t **data, size_t *len)
{
	char err[4200];
	*data = NULL;
	*len = 0;
	if (veto_sd_open(sd, dir, err, sizeof err) != VETO_SD_OK) {
		tool_err("%s", err);
		if (access(dir, F_OK) != 0)
			fprintf(stderr, "  (enrol the device first: veto init --state %s --anchor "
			                "ANCHOR)\n",
			        dir);
		return EXIT_TROUBLE;
	}
	int r = veto_sd_read(sd, data, len, err, sizeof err);
	if (r == VETO_SD_ERROR) {
		tool_err("%s", err); /* permissions, I/O: trouble, not a refusal */
		return EXIT_TROUBLE;
	}
	if (r == VETO_SD_CORRUPT) {
		/* Not a regular file, or oversized: a corrupt state (SPEC 7). */
		tool_err("%s", err);
		return EXIT_REFUSE;
	}
	if (r == VETO_SD_MISSING) {
		tool_err("%s/state.json is missing: every update is refused until it is "
		         "restored from a backup, or the device is enrolled again with 'veto "
		         "init' in a new directory",
		         dir);
		return EXIT_REFUSE;
	}
	return EXIT_ACCEPT;
}

tool_exit load_state(veto_sd_dir *sd, const char *dir, veto_report *rep, veto_state **state)
{
	*state = NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	tool_exit rc = read_state_bytes(sd, dir, &data, &len);
	if (rc == EXIT_REFUSE)
		return refuse_state(rep, state);
	if (rc != EXIT_ACCEPT)
		return rc;
	veto_status s = veto_state_parse(state, rep, NULL, data, len);
	free(data);
	if (s != VETO_OK) {
		*state = NULL;
		return s == VETO_E_NOMEM ? EXIT_TROUBLE : EXIT_REFUSE;
	}
	return EXIT_ACCEPT;
}

tool_exit format_state(const veto_state *state, char **text, size_t *len)
{
	veto_status s = veto_state_format(text, len, state);
	return s == VETO_OK ? EXIT_ACCEPT : tool_fail("write the state", s);
}

tool_exit write_state(veto_sd_dir *sd, const veto_state *state)
{
	char *text = NULL;
	size_t len = 0;
	if (format_state(state, &text, &len) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	char err[4200];
	int r = veto_sd_write(sd, text, len, err, sizeof err);
	veto_free(NULL, text);
	if (r != VETO_SD_OK) {
		tool_err("%s", err);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

tool_exit emit(const char *subject, bool accepted, const veto_report *rep,
               const report_names *names, bool json)
{
	if (json) {
		if (report_print_json(stdout, rep) != EXIT_ACCEPT)
			return EXIT_TROUBLE;
	} else {
		report_print(stdout, subject, accepted, rep, names);
	}
	return accepted ? EXIT_ACCEPT : EXIT_REFUSE;
}

void decision_config(veto_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->sha256 = veto_tool_sha256_engine(); /* NULL: libsodium's */
}

const char *join_names(char *buf, size_t cap, const char *const *names, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++) {
		int w = snprintf(buf + used, cap - used, "%s%s", i > 0 ? ", " : "",
		                 shown_name(names[i]));
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}
