/* SPDX-License-Identifier: Apache-2.0 */
/* JSON text for people: see jsonout.h. */
#include "jsonout.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_WIDTH 132

typedef struct jbuf {
	char *p;
	size_t len, cap;
	bool failed;
} jbuf;

static void put(jbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (p == NULL) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(jbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* A string (escaped by cJSON), a number, true, false or null. */
static void put_scalar(jbuf *b, const cJSON *v)
{
	char num[32];
	if (cJSON_IsString(v)) {
		char *s = cJSON_PrintUnformatted(v);
		if (s == NULL)
			b->failed = true;
		else
			puts_(b, s);
		free(s);
	} else if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof num, "%.0f", v->valuedouble);
		puts_(b, num);
	} else {
		puts_(b, cJSON_IsTrue(v) ? "true" : cJSON_IsFalse(v) ? "false" : "null");
	}
}

/* An object member's name, escaped as a string. */
static void put_name(jbuf *b, const char *name)
{
	cJSON *s = cJSON_CreateString(name);
	if (s == NULL)
		b->failed = true;
	put_scalar(b, s);
	cJSON_Delete(s);
	puts_(b, ": ");
}

static void put_compact(jbuf *b, const cJSON *v)
{
	bool obj = cJSON_IsObject(v);
	if (!obj && !cJSON_IsArray(v)) {
		put_scalar(b, v);
		return;
	}
	puts_(b, obj ? "{" : "[");
	for (const cJSON *c = v->child; c != NULL; c = c->next) {
		if (obj)
			put_name(b, c->string);
		put_compact(b, c);
		if (c->next != NULL)
			puts_(b, ", ");
	}
	puts_(b, obj ? "}" : "]");
}

static void put_indent(jbuf *b, size_t depth)
{
	for (size_t i = 0; i < depth; i++)
		puts_(b, "  ");
}

/* v at depth, on one line when it fits after `used` characters. */
static void put_laid(jbuf *b, const cJSON *v, size_t depth, size_t used)
{
	jbuf one = {0};
	put_compact(&one, v);
	bool obj = cJSON_IsObject(v);
	bool fits = !one.failed && (one.len + used <= LINE_WIDTH || v->child == NULL);
	if (fits || (!obj && !cJSON_IsArray(v))) {
		if (one.failed)
			b->failed = true;
		else
			put(b, one.p, one.len);
		free(one.p);
		return;
	}
	free(one.p);
	puts_(b, obj ? "{\n" : "[\n");
	for (const cJSON *c = v->child; c != NULL; c = c->next) {
		size_t at = b->len;
		put_indent(b, depth + 1);
		if (obj)
			put_name(b, c->string);
		put_laid(b, c, depth + 1, b->len - at + 1);
		puts_(b, c->next != NULL ? ",\n" : "\n");
	}
	put_indent(b, depth);
	puts_(b, obj ? "}" : "]");
}

char *json_layout(const cJSON *v, size_t *len)
{
	jbuf b = {0};
	put_laid(&b, v, 0, 0);
	puts_(&b, "\n");
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

char *json_compact(const cJSON *v)
{
	jbuf b = {0};
	put_compact(&b, v);
	puts_(&b, "");
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

bool json_print_line(FILE *f, const cJSON *v)
{
	char *text = v != NULL ? json_compact(v) : NULL;
	if (text == NULL)
		return false;
	fprintf(f, "%s\n", text);
	free(text);
	return true;
}

bool json_add_text(cJSON *o, const char *name, const char *text)
{
	return text != NULL ? cJSON_AddStringToObject(o, name, text) != NULL
	                    : cJSON_AddNullToObject(o, name) != NULL;
}
