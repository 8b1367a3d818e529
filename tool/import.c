/* SPDX-License-Identifier: Apache-2.0 */
#include "import.h"

#include <stdio.h>
#include <string.h>

/* minisign and signify: "Ed" (the signature algorithm), a random 8-byte
 * key number, the key. */
#define SIGNIFY_LEN (2U + 8U + VETO_PUBLICKEYBYTES)
/* OpenSSH wire form: string "ssh-ed25519", string key (each string a
 * 32-bit big-endian length, then the bytes). */
#define SSH_TYPE "ssh-ed25519"
#define SSH_LEN (4U + sizeof SSH_TYPE - 1U + 4U + VETO_PUBLICKEYBYTES)

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Standard base64, as all three tools write it: padding absent or
 * complete, unused bits zero, nothing else.  Returns the decoded length, or
 * -1 when s is not base64 or decodes to more than cap bytes. */
static long b64_decode(uint8_t *out, size_t cap, const char *s, size_t n)
{
	size_t pad = 0;
	while (n > 0 && s[n - 1] == '=' && pad < 2) {
		n--;
		pad++;
	}
	if (n % 4 == 1 || (pad > 0 && (n + pad) % 4 != 0))
		return -1;
	size_t olen = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
	if (olen > cap)
		return -1;
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64_value((unsigned char)s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1U << bits) - 1U;
		}
	}
	if (acc != 0)
		return -1; /* unused bits must be zero: one key, one encoding */
	return (long)o;
}

/* The next line of text (without its "\n" or "\r\n"). */
static int next_line(const char **line, size_t *line_len, const char **p, const char *end)
{
	if (*p >= end)
		return 0;
	const char *s = *p;
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	const char *e = nl != NULL ? nl : end;
	*p = nl != NULL ? nl + 1 : end;
	if (e > s && e[-1] == '\r')
		e--;
	*line = s;
	*line_len = (size_t)(e - s);
	return 1;
}

static int only_blank_lines(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t')
			return 0;
	return 1;
}

static int starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

static int from_signify(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
                        const char *b64, size_t n)
{
	uint8_t raw[160];
	long got = b64_decode(raw, sizeof raw, b64, n);
	if (got < 0) {
		snprintf(err, errlen, "the key line is not valid base64");
		return -1;
	}
	if ((size_t)got != SIGNIFY_LEN) {
		snprintf(err, errlen,
		         "the key line decodes to %ld bytes, not the %u of a minisign/signify "
		         "public key (is this a secret key? import the .pub file)",
		         got, (unsigned)SIGNIFY_LEN);
		return -1;
	}
	if (raw[0] != 'E' || raw[1] != 'd') {
		snprintf(err, errlen, "the key's algorithm is '%c%c', not Ed25519 ('Ed')",
		         raw[0] >= 0x20 && raw[0] < 0x7F ? raw[0] : '?',
		         raw[1] >= 0x20 && raw[1] < 0x7F ? raw[1] : '?');
		return -1;
	}
	memcpy(pk, raw + 10, VETO_PUBLICKEYBYTES);
	return 0;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int from_openssh(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
                        const char *line, size_t n)
{
	/* "ssh-ed25519" SP base64 [SP comment] */
	size_t i = sizeof SSH_TYPE - 1U;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	size_t start = i;
	while (i < n && line[i] != ' ' && line[i] != '\t')
		i++;
	if (i == start) {
		snprintf(err, errlen, "the ssh-ed25519 line has no key after the type");
		return -1;
	}
	uint8_t raw[128];
	long got = b64_decode(raw, sizeof raw, line + start, i - start);
	if (got < 0) {
		snprintf(err, errlen, "the ssh-ed25519 key is not valid base64");
		return -1;
	}
	if ((size_t)got != SSH_LEN || be32(raw) != sizeof SSH_TYPE - 1U ||
	    memcmp(raw + 4, SSH_TYPE, sizeof SSH_TYPE - 1U) != 0 ||
	    be32(raw + 4 + sizeof SSH_TYPE - 1U) != VETO_PUBLICKEYBYTES) {
		snprintf(err, errlen,
		         "the ssh-ed25519 key blob is not the OpenSSH encoding of one "
		         "32-byte Ed25519 key");
		return -1;
	}
	memcpy(pk, raw + SSH_LEN - VETO_PUBLICKEYBYTES, VETO_PUBLICKEYBYTES);
	return 0;
}

int import_public_key(uint8_t pk[VETO_PUBLICKEYBYTES], const char **format, char *err,
                      size_t errlen, const uint8_t *text, size_t len)
{
	const char *p = (const char *)text;
	const char *end = p + len;
	const char *line = NULL;
	size_t n = 0;

	if (memchr(text, '\0', len) != NULL) {
		snprintf(err, errlen, "binary data, not a public key text");
		return -1;
	}
	while (next_line(&line, &n, &p, end) && n == 0)
		;
	if (n == 0) {
		snprintf(err, errlen, "empty file");
		return -1;
	}

	int rc;
	if (starts_with(line, n, "untrusted comment:")) {
		const char *key;
		size_t kn;
		if (!next_line(&key, &kn, &p, end)) {
			snprintf(err, errlen, "the comment line is not followed by a key line");
			return -1;
		}
		if (!only_blank_lines(p, end)) {
			snprintf(err, errlen,
			         "more than a comment and a key line (a signature or a secret "
			         "key?)");
			return -1;
		}
		*format = "minisign/signify";
		rc = from_signify(pk, err, errlen, key, kn);
	} else if (starts_with(line, n, SSH_TYPE " ") || starts_with(line, n, SSH_TYPE "\t")) {
		if (!only_blank_lines(p, end)) {
			snprintf(err, errlen, "more than one line: give one ssh-ed25519 public key");
			return -1;
		}
		*format = "OpenSSH";
		rc = from_openssh(pk, err, errlen, line, n);
	} else if (starts_with(line, n, "-----BEGIN")) {
		snprintf(err, errlen,
		         "a PEM block (a private key?): import the public key, e.g. the .pub "
		         "file next to it");
		return -1;
	} else if (starts_with(line, n, "ssh-") || starts_with(line, n, "ecdsa-") ||
	           starts_with(line, n, "sk-")) {
		size_t t = 0;
		while (t < n && line[t] != ' ' && t < 40)
			t++;
		snprintf(err, errlen, "an OpenSSH key of type '%.*s': veto uses Ed25519 (ssh-ed25519) only",
		         (int)t, line);
		return -1;
	} else if (only_blank_lines(p, end)) {
		*format = "minisign/signify";
		rc = from_signify(pk, err, errlen, line, n);
	} else {
		snprintf(err, errlen, "not a minisign, signify or OpenSSH Ed25519 public key");
		return -1;
	}
	if (rc != 0)
		return rc;
	if (veto_key_check(pk) != VETO_OK) {
		snprintf(err, errlen,
		         "the key is not a usable Ed25519 public key (not a canonical point, or "
		         "of small order)");
		return -1;
	}
	return 0;
}
