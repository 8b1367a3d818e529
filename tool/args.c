/* SPDX-License-Identifier: Apache-2.0 */
#include "args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Our own small parser rather than getopt_long: it is not POSIX, and a
 * value such as "-" (stdin) must be taken as a value, never as an option. */
int args_parse(args *a, const opt_def *defs, size_t n_defs, int argc, char **argv)
{
	memset(a, 0, sizeof *a);
	if (n_defs > ARGS_MAX_OPTS)
		return ARGS_BAD;
	size_t slots = argc > 0 ? (size_t)argc : 1;
	a->pool_ = calloc((n_defs + 1) * slots, sizeof *a->pool_);
	if (a->pool_ == NULL) {
		tool_err("out of memory");
		return ARGS_BAD;
	}
	for (size_t i = 0; i < n_defs; i++)
		a->values[i] = a->pool_ + i * slots;
	a->operands = a->pool_ + n_defs * slots;

	int only_operands = 0;
	for (int k = 1; k < argc; k++) {
		const char *arg = argv[k];
		if (only_operands || arg[0] != '-' || strcmp(arg, "-") == 0) {
			a->operands[a->n_operands++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_operands = 1;
			continue;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
			return ARGS_HELP;

		size_t found = n_defs;
		const char *inline_value = NULL;
		if (arg[1] == '-') {
			const char *name = arg + 2;
			const char *eq = strchr(name, '=');
			size_t nlen = eq != NULL ? (size_t)(eq - name) : strlen(name);
			for (size_t i = 0; i < n_defs; i++) {
				if (defs[i].name != NULL && strlen(defs[i].name) == nlen && strncmp(defs[i].name, name, nlen) == 0) {
					found = i;
					break;
				}
			}
			if (found < n_defs && eq != NULL) {
				if (!defs[found].takes_value) {
					tool_usage("option --%s takes no value", defs[found].name);
					return ARGS_BAD;
				}
				inline_value = eq + 1;
			}
		} else if (arg[2] == '\0') {
			for (size_t i = 0; i < n_defs; i++) {
				if (defs[i].name != NULL && defs[i].short_name != 0 &&
				    defs[i].short_name == arg[1]) {
					found = i;
					break;
				}
			}
		}
		if (found == n_defs) {
			tool_usage("unknown option '%s'", arg);
			return ARGS_BAD;
		}
		const opt_def *d = &defs[found];
		if (a->count[found] > 0 && !d->repeatable) {
			tool_usage("option --%s may be given only once", d->name);
			return ARGS_BAD;
		}
		const char *value = "";
		if (d->takes_value) {
			if (inline_value != NULL) {
				value = inline_value;
			} else if (k + 1 < argc) {
				value = argv[++k];
			} else {
				tool_usage("option --%s needs a value", d->name);
				return ARGS_BAD;
			}
			if (value[0] == '\0') {
				tool_usage("option --%s needs a non-empty value", d->name);
				return ARGS_BAD;
			}
		}
		a->values[found][a->count[found]++] = value;
	}
	return ARGS_OK;
}

void args_free(args *a)
{
	free(a->pool_);
	memset(a, 0, sizeof *a);
}

const char *args_one(const args *a, size_t i)
{
	return a->count[i] > 0 ? a->values[i][0] : NULL;
}

int args_start(args *a, const opt_def *defs, size_t n_defs, int argc, char **argv,
               const char *help_text)
{
	int pr = args_parse(a, defs, n_defs, argc, argv);
	if (pr == ARGS_OK)
		return -1;
	args_free(a);
	if (pr == ARGS_HELP) {
		fputs(help_text, stdout);
		return EXIT_ACCEPT;
	}
	return EXIT_TROUBLE;
}
