/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Options through glibc's getopt_long, held to the tool's stricter rules
 * (SPEC section 9 and docs/CLI.md), which each element is checked against
 * before getopt_long sees it:
 *   - a long option is named in full: getopt_long would take a unique
 *     prefix ("--up" for "--update"), which a later option could make
 *     ambiguous under a script's feet;
 *   - a short option stands alone ("-o FILE"): no clusters, no "-oFILE";
 *   - "-" is an operand (standard input), "--" ends the options;
 *   - operands stay in their order and options may follow them: the
 *     optstring starts with '-', so getopt_long hands operands back in
 *     place and never permutes argv (POSIXLY_CORRECT changes nothing).
 * getopt_long prints nothing (opterr = 0): the messages are the tool's.
 */
#include "args.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long's value for defs[i]: above every character. */
#define ARGS_VAL_BASE 256

/* The index of the option getopt_long returned as c, or n_defs. */
static size_t def_index(const opt_def *defs, size_t n_defs, int c)
{
	if (c >= ARGS_VAL_BASE)
		return (size_t)(c - ARGS_VAL_BASE) < n_defs ? (size_t)(c - ARGS_VAL_BASE) : n_defs;
	for (size_t i = 0; i < n_defs; i++)
		if (defs[i].name != NULL && defs[i].short_name != 0 && defs[i].short_name == c)
			return i;
	return n_defs;
}

/* Whether arg, in an option's place, is one this command takes as written
 * (or an operand); prints the usage message when it is not. */
static bool element_ok(const char *arg, const opt_def *defs, size_t n_defs)
{
	if (arg[0] != '-' || strcmp(arg, "-") == 0 || strcmp(arg, "--") == 0 ||
	    strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
		return true;
	size_t found = n_defs;
	if (arg[1] == '-') {
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq != NULL ? (size_t)(eq - name) : strlen(name);
		for (size_t i = 0; i < n_defs && found == n_defs; i++)
			if (defs[i].name != NULL && strlen(defs[i].name) == nlen &&
			    strncmp(defs[i].name, name, nlen) == 0)
				found = i;
		if (found < n_defs && eq != NULL && !defs[found].takes_value) {
			tool_usage("option --%s takes no value", defs[found].name);
			return false;
		}
	} else if (arg[2] == '\0') {
		found = def_index(defs, n_defs, (unsigned char)arg[1]);
	}
	if (found == n_defs) {
		tool_usage("unknown option '%s'", arg);
		return false;
	}
	return true;
}

/* getopt_long's tables for defs, in one allocation: false when out of
 * memory. */
static bool build_tables(const opt_def *defs, size_t n_defs, struct option **longopts,
                         char **optstring)
{
	*longopts = calloc(n_defs + 2, sizeof **longopts);
	*optstring = malloc(4 + 2 * n_defs + 1);
	if (*longopts == NULL || *optstring == NULL) {
		free(*longopts);
		free(*optstring);
		return false;
	}
	char *o = *optstring;
	*o++ = '-'; /* operands in place, in order */
	*o++ = ':'; /* a missing value is ':', not '?' */
	*o++ = 'h';
	size_t k = 0;
	for (size_t i = 0; i < n_defs; i++) {
		if (defs[i].name == NULL)
			continue;
		int has = defs[i].takes_value ? required_argument : no_argument;
		(*longopts)[k++] = (struct option){defs[i].name, has, NULL, ARGS_VAL_BASE + (int)i};
		if (defs[i].short_name != 0) {
			*o++ = defs[i].short_name;
			if (defs[i].takes_value)
				*o++ = ':';
		}
	}
	(*longopts)[k] = (struct option){"help", no_argument, NULL, 'h'};
	*o = '\0';
	return true;
}

static bool alloc_args(args *a, size_t n_defs, int argc)
{
	size_t slots = argc > 0 ? (size_t)argc : 1;
	a->count = calloc(n_defs + 1, sizeof *a->count);
	a->values = calloc(n_defs + 1, sizeof *a->values);
	const char **pool = calloc((n_defs + 1) * slots, sizeof *pool);
	a->pool_ = pool;
	if (a->count == NULL || a->values == NULL || pool == NULL)
		return false;
	for (size_t i = 0; i < n_defs; i++)
		a->values[i] = pool + i * slots;
	a->operands = pool + n_defs * slots;
	return true;
}

/* Records option i with getopt_long's optarg: false after a message. */
static bool take_option(args *a, const opt_def *d, size_t i, const char *arg)
{
	if (a->count[i] > 0 && !d->repeatable) {
		tool_usage("option --%s may be given only once", d->name);
		return false;
	}
	const char *value = "";
	if (d->takes_value) {
		if (arg[0] == '\0') {
			tool_usage("option --%s needs a non-empty value", d->name);
			return false;
		}
		value = arg;
	}
	a->values[i][a->count[i]++] = value;
	return true;
}

static args_result walk(args *a, const opt_def *defs, size_t n_defs, int argc, char **argv,
                        const struct option *longopts, const char *optstring)
{
	opterr = 0;
	optind = 0; /* glibc: start afresh */
	for (;;) {
		int next = optind == 0 ? 1 : optind;
		if (next < argc && !element_ok(argv[next], defs, n_defs))
			return ARGS_BAD;
		int c = getopt_long(argc, argv, optstring, longopts, NULL);
		if (c == -1)
			break;
		if (c == 1) {
			a->operands[a->n_operands++] = optarg;
			continue;
		}
		if (c == 'h')
			return ARGS_HELP;
		size_t i = def_index(defs, n_defs, c == ':' ? optopt : c);
		if (i == n_defs) { /* element_ok let nothing else through */
			tool_usage("unknown option '%s'", argv[optind - 1]);
			return ARGS_BAD;
		}
		if (c == ':') {
			tool_usage("option --%s needs a value", defs[i].name);
			return ARGS_BAD;
		}
		if (!take_option(a, &defs[i], i, optarg))
			return ARGS_BAD;
	}
	for (int k = optind; k < argc; k++) /* after "--" */
		a->operands[a->n_operands++] = argv[k];
	return ARGS_OK;
}

args_result args_parse(args *a, const opt_def *defs, size_t n_defs, int argc, char **argv)
{
	memset(a, 0, sizeof *a);
	struct option *longopts = NULL;
	char *optstring = NULL;
	if (!alloc_args(a, n_defs, argc) || !build_tables(defs, n_defs, &longopts, &optstring)) {
		tool_err("out of memory");
		return ARGS_BAD;
	}
	args_result r = walk(a, defs, n_defs, argc, argv, longopts, optstring);
	free(longopts);
	free(optstring);
	return r;
}

void args_free(args *a)
{
	free(a->pool_);
	free(a->values);
	free(a->count);
	memset(a, 0, sizeof *a);
}

const char *args_one(const args *a, size_t i)
{
	return a->count[i] > 0 ? a->values[i][0] : NULL;
}

bool args_start(args *a, const opt_def *defs, size_t n_defs, int argc, char **argv,
                const char *help_text, tool_exit *early)
{
	args_result r = args_parse(a, defs, n_defs, argc, argv);
	if (r == ARGS_OK)
		return true;
	args_free(a);
	if (r == ARGS_HELP) {
		fputs(help_text, stdout);
		*early = EXIT_ACCEPT;
	} else {
		*early = EXIT_TROUBLE;
	}
	return false;
}
