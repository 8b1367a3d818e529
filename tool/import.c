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

/* The 6-bit value of a base64 character: false when c is none. */
static bool b64_value(unsigned char c, uint32_t *v)
{
	if (c >= 'A' && c <= 'Z')
		*v = (uint32_t)(c - 'A');
	else if (c >= 'a' && c <= 'z')
		*v = (uint32_t)(c - 'a' + 26);
	else if (c >= '0' && c <= '9')
		*v = (uint32_t)(c - '0' + 52);
	else if (c == '+')
		*v = 62;
	else if (c == '/')
		*v = 63;
	else
		return false;
	return true;
}

/* Standard base64, as all three tools write it: padding absent or
 * complete, unused bits zero, nothing else.  false when s is not base64 or
 * decodes to more than cap bytes; else the decoded length in *got. */
static bool b64_decode(uint8_t *out, size_t cap, size_t *got, const char *s, size_t n)
{
	size_t pad = 0;
	while (n > 0 && s[n - 1] == '=' && pad < 2) {
		n--;
		pad++;
	}
	if (n % 4 == 1 || (pad > 0 && (n + pad) % 4 != 0))
		return false;
	size_t olen = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
	if (olen > cap)
		return false;
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t v;
		if (!b64_value((unsigned char)s[i], &v))
			return false;
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1U << bits) - 1U;
		}
	}
	if (acc != 0)
		return false; /* unused bits must be zero: one key, one encoding */
	*got = o;
	return true;
}

/* The next line of text (without its "\n" or "\r\n"). */
static bool next_line(const char **line, size_t *line_len, const char **p, const char *end)
{
	if (*p >= end)
		return false;
	const char *s = *p;
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	const char *e = nl != NULL ? nl : end;
	*p = nl != NULL ? nl + 1 : end;
	if (e > s && e[-1] == '\r')
		e--;
	*line = s;
	*line_len = (size_t)(e - s);
	return true;
}

static bool only_blank_lines(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t')
			return false;
	return true;
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

static veto_status from_signify(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
                        const char *b64, size_t n)
{
	uint8_t raw[160];
	size_t got = 0;
	if (!b64_decode(raw, sizeof raw, &got, b64, n)) {
		snprintf(err, errlen, "the key line is not valid base64");
		return VETO_E_MALFORMED;
	}
	if (got != SIGNIFY_LEN) {
		snprintf(err, errlen,
		         "the key line decodes to %zu bytes, not the %u of a minisign/signify "
		         "public key (is this a secret key? import the .pub file)",
		         got, (unsigned)SIGNIFY_LEN);
		return VETO_E_MALFORMED;
	}
	if (raw[0] != 'E' || raw[1] != 'd') {
		snprintf(err, errlen, "the key's algorithm is '%c%c', not Ed25519 ('Ed')",
		         raw[0] >= 0x20 && raw[0] < 0x7F ? raw[0] : '?',
		         raw[1] >= 0x20 && raw[1] < 0x7F ? raw[1] : '?');
		return VETO_E_MALFORMED;
	}
	memcpy(pk, raw + 10, VETO_PUBLICKEYBYTES);
	return VETO_OK;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static veto_status from_openssh(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
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
		return VETO_E_MALFORMED;
	}
	uint8_t raw[128];
	size_t got = 0;
	if (!b64_decode(raw, sizeof raw, &got, line + start, i - start)) {
		snprintf(err, errlen, "the ssh-ed25519 key is not valid base64");
		return VETO_E_MALFORMED;
	}
	if (got != SSH_LEN || be32(raw) != sizeof SSH_TYPE - 1U ||
	    memcmp(raw + 4, SSH_TYPE, sizeof SSH_TYPE - 1U) != 0 ||
	    be32(raw + 4 + sizeof SSH_TYPE - 1U) != VETO_PUBLICKEYBYTES) {
		snprintf(err, errlen,
		         "the ssh-ed25519 key blob is not the OpenSSH encoding of one "
		         "32-byte Ed25519 key");
		return VETO_E_MALFORMED;
	}
	memcpy(pk, raw + SSH_LEN - VETO_PUBLICKEYBYTES, VETO_PUBLICKEYBYTES);
	return VETO_OK;
}

veto_status import_public_key(uint8_t pk[VETO_PUBLICKEYBYTES], const char **format, char *err,
                      size_t errlen, const uint8_t *text, size_t len)
{
	const char *p = (const char *)text;
	const char *end = p + len;
	const char *line = NULL;
	size_t n = 0;

	if (memchr(text, '\0', len) != NULL) {
		snprintf(err, errlen, "binary data, not a public key text");
		return VETO_E_MALFORMED;
	}
	while (next_line(&line, &n, &p, end) && n == 0)
		;
	if (n == 0) {
		snprintf(err, errlen, "empty file");
		return VETO_E_MALFORMED;
	}

	veto_status rc;
	if (starts_with(line, n, "untrusted comment:")) {
		const char *key;
		size_t kn;
		if (!next_line(&key, &kn, &p, end)) {
			snprintf(err, errlen, "the comment line is not followed by a key line");
			return VETO_E_MALFORMED;
		}
		if (!only_blank_lines(p, end)) {
			snprintf(err, errlen,
			         "more than a comment and a key line (a signature or a secret "
			         "key?)");
			return VETO_E_MALFORMED;
		}
		*format = "minisign/signify";
		rc = from_signify(pk, err, errlen, key, kn);
	} else if (starts_with(line, n, SSH_TYPE " ") || starts_with(line, n, SSH_TYPE "\t")) {
		if (!only_blank_lines(p, end)) {
			snprintf(err, errlen, "more than one line: give one ssh-ed25519 public key");
			return VETO_E_MALFORMED;
		}
		*format = "OpenSSH";
		rc = from_openssh(pk, err, errlen, line, n);
	} else if (starts_with(line, n, "-----BEGIN")) {
		snprintf(err, errlen,
		         "a PEM block (a private key?): import the public key, e.g. the .pub "
		         "file next to it");
		return VETO_E_MALFORMED;
	} else if (starts_with(line, n, "ssh-") || starts_with(line, n, "ecdsa-") ||
	           starts_with(line, n, "sk-")) {
		size_t t = 0;
		while (t < n && line[t] != ' ' && t < 40)
			t++;
		snprintf(err, errlen, "an OpenSSH key of type '%.*s': veto uses Ed25519 (ssh-ed25519) only",
		         (int)t, line);
		return VETO_E_MALFORMED;
	} else if (only_blank_lines(p, end)) {
		*format = "minisign/signify";
		rc = from_signify(pk, err, errlen, line, n);
	} else {
		snprintf(err, errlen, "not a minisign, signify or OpenSSH Ed25519 public key");
		return VETO_E_MALFORMED;
	}
	if (rc != VETO_OK)
		return rc;
	if (veto_key_check(pk) != VETO_OK) {
		snprintf(err, errlen,
		         "the key is not a usable Ed25519 public key (not a canonical point, or "
		         "of small order)");
		return VETO_E_KEY;
	}
	return VETO_OK;
}
