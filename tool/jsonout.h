/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jsonout.h - the authoring commands' JSON text, laid out for people: two
 * spaces of indent, and any value that fits in the line on one line (so
 * a role, a window or a list of features reads as one line).  Numbers are
 * the contract's integers (plain digits, at most 2^53-1).
 */
#ifndef VETO_TOOL_JSONOUT_H
#define VETO_TOOL_JSONOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

/* The text of v ending in a newline, malloc'd (free()), *len bytes
 * without the NUL; NULL when out of memory. */
char *json_layout(const cJSON *v, size_t *len);
/* v on one line, malloc'd (free()); NULL when out of memory. */
char *json_compact(const cJSON *v);
/* v on one line and a newline, to f; false when out of memory (v NULL
 * counts as that: a tree whose building ran out). */
bool json_print_line(FILE *f, const cJSON *v);
/* Adds member name to object o: the string text, or null when text is
 * NULL.  False when out of memory. */
bool json_add_text(cJSON *o, const char *name, const char *text);

#endif
