/* SPDX-License-Identifier: Apache-2.0 */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

const char *tool_cmd = "";

static void vmsg(const char *kind, const char *fmt, va_list ap) TOOL_PRINTF(2, 0);
static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fflush(stdout); /* keep stdout and stderr in order on a terminal */
	if (tool_cmd[0] != '\0')
		fprintf(stderr, "veto %s: %s", tool_cmd, kind);
	else
		fprintf(stderr, "veto: %s", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void tool_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void tool_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

tool_exit tool_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	if (tool_cmd[0] != '\0')
		fprintf(stderr, "Try 'veto %s --help'.\n", tool_cmd);
	else
		fprintf(stderr, "Try 'veto --help'.\n");
	return EXIT_TROUBLE;
}

bool is_dash(const char *path)
{
	return path != NULL && strcmp(path, "-") == 0;
}

const char *shown_name(const char *path)
{
	return is_dash(path) ? "standard input" : path;
}

tool_exit check_one_stdin(const char *const *paths, size_t n, const char *const *more,
                          size_t n_more)
{
	size_t dashes = 0;
	for (size_t i = 0; i < n; i++)
		dashes += is_dash(paths[i]) ? 1U : 0U;
	for (size_t i = 0; i < n_more; i++)
		dashes += is_dash(more[i]) ? 1U : 0U;
	if (dashes > 1)
		return tool_usage("only one input can be read from standard input ('-')");
	return EXIT_ACCEPT;
}

void wipe(void *p, size_t n)
{
	sodium_memzero(p, n); /* libsodium's wipe, which no compiler elides */
}

bool time_shaped(const char *text, bool zone)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	if (strlen(text) != sizeof shape - (zone ? 1 : 2))
		return false;
	for (size_t i = 0; text[i] != '\0'; i++)
		if (shape[i] == 'd' ? text[i] < '0' || text[i] > '9' : text[i] != shape[i])
			return false;
	return true;
}

tool_exit parse_now(const char *text, int64_t *out)
{
	if (text == NULL) {
		*out = (int64_t)time(NULL);
		return EXIT_ACCEPT;
	}
	if (veto_time_parse(out, text, strlen(text)) == VETO_OK)
		return EXIT_ACCEPT;
	if (time_shaped(text, true))
		return tool_usage("--now '%s' is not a real instant: the date must exist (no "
		                  "February 30) and seconds run 00..59 (no leap second)",
		                  text);
	return tool_usage("--now '%s' is not a time of the form YYYY-MM-DDTHH:MM:SSZ (UTC)", text);
	return EXIT_ACCEPT;
}

bool parse_counter(const char *text, uint64_t *out)
{
	const uint64_t max = (UINT64_C(1) << 53) - 1;
	uint64_t v = 0;
	if (text[0] == '\0' || (text[0] == '0' && text[1] != '\0'))
		return false;
	for (const char *p = text; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* The tool's one UTF-8 decoder; lib/text.c has the library's, which is
 * internal to libveto: the tool links only the public API (include/veto.h). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2 || c > 0xF4)
		return 0;
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	if (len < n)
		return 0;
	uint32_t v = c & (0x7Fu >> n);
	/* The second byte's range rules out overlong forms (E0, F0),
	 * surrogates (ED) and code points above U+10FFFF (F4). */
	unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
	unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
	for (size_t i = 1; i < n; i++) {
		unsigned char b = s[i];
		if (b < lo || b > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
		v = (v << 6) | (b & 0x3Fu);
	}
	*cp = v;
	return n;
}

char *utf8_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	char *out = malloc(3 * len + 1); /* each byte at most U+FFFD's three */
	if (out == NULL)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			n = 1;
		} else {
			memcpy(out + o, p + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	return out;
}

static bool unsafe_on_terminal(uint32_t cp, bool keep_lines)
{
	if (keep_lines && (cp == '\n' || cp == '\t'))
		return false;
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void put_safe(FILE *f, const char *s, size_t len, bool keep_lines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			fprintf(f, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (!unsafe_on_terminal(cp, keep_lines))
			fwrite(p + i, 1, n, f);
		else if (cp < 0x80)
			fprintf(f, "\\x%02x", (unsigned)cp);
		else
			fprintf(f, "\\u%04x", (unsigned)cp);
		i += n;
	}
}

void put_safe_str(FILE *f, const char *s)
{
	put_safe(f, s, strlen(s), false);
}

void put_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

tool_exit tool_fail(const char *what, veto_status s)
{
	tool_err("cannot %s: %s", what, veto_strerror(s));
	return EXIT_TROUBLE;
}

tool_exit finish_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		tool_err("cannot write to standard output: %s", strerror(errno));
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}
