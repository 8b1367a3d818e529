/* SPDX-License-Identifier: Apache-2.0 */
/*
 * decision.h - the steps the decision commands (trust, check, commit,
 * preflight) share: reading their documents, opening and locking a state
 * directory and reading its state, writing a new state, and printing a
 * decision.  Each returns an exit status (util.h), its message printed.
 */
#ifndef VETO_TOOL_DECISION_H
#define VETO_TOOL_DECISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <veto.h>

#include "output.h"
#include <veto_statedir.h>
#include "util.h"

/* The --help line of --now, alike in check, commit and preflight. */
#define HELP_NOW "  --now TIME       YYYY-MM-DDTHH:MM:SSZ (default: the system clock)\n"
/* The --help lines of --report, alike in trust, check, commit and preflight. */
#define HELP_REPORT                                                                       \
	"  --report FILE    also writes the JSON object of the decision to FILE\n"            \
	"                   (atomically), whatever the decision; a run that exits 2\n"       \
	"                   removes an existing FILE\n"

/* Input documents of a decision.  An oversized one is passed on: the
 * library refuses it as malformed. */
typedef struct docs {
	veto_bytes *policies;
	uint8_t **policy_bufs;
	size_t n_policies;
	uint8_t *update;
	size_t update_len;
	/* (1.1) --revocation files (SPEC 5.3) */
	veto_bytes *revocations;
	uint8_t **revocation_bufs;
	size_t n_revocations;
} docs;

/* (1.1) At most this many --revocation files in one command. */
#define TOOL_MAX_REVOCATIONS 64U

/* Reads the policies and, unless update_path is NULL, the update. */
tool_exit docs_read(docs *d, const char *const *policy_paths, size_t n, const char *update_path);
void docs_free(docs *d);
/* (1.1) Reads the --revocation files into d (more than 64: usage error). */
tool_exit docs_read_revocations(docs *d, const char *const *paths, size_t n);

/*
 * Opens and locks DIR and reads its state.  EXIT_ACCEPT: *state is set.
 * EXIT_REFUSE: the state is missing or corrupt, a refusal whose
 * malformed-state reason is in rep.  EXIT_TROUBLE: DIR itself cannot be
 * used.  The lock stays held in sd (also after a refusal) until veto_sd_close.
 */
tool_exit load_state(veto_sd_dir *sd, const char *dir, veto_report *rep, veto_state **state);
/* The first steps of load_state: opens and locks DIR and reads
 * state.json's bytes (*data, the caller frees it).  EXIT_REFUSE when it is
 * missing or not a regular file, EXIT_TROUBLE when DIR cannot be used;
 * each after a message naming it. */
tool_exit read_state_bytes(veto_sd_dir *sd, const char *dir, uint8_t **data, size_t *len);

/* state as the text of a state.json (release with veto_free). */
tool_exit format_state(const veto_state *state, char **text, size_t *len);

/* Replaces DIR/state.json with state, under sd's lock. */
tool_exit write_state(veto_sd_dir *sd, const veto_state *state);

/* The human or JSON report of a decision; returns its exit status. */
tool_exit emit(const char *subject, bool accepted, const veto_report *rep,
               const report_names *names, bool json);

/* The tool's configuration of the library: its SHA-256 engine. */
void decision_config(veto_config *cfg);

/* names[0..n-1] as shown to people, joined by ", " into buf. */
const char *join_names(char *buf, size_t cap, const char *const *names, size_t n);

#endif
