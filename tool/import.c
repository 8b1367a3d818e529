/* SPDX-License-Identifier: Apache-2.0 */
#include "import.h"

#include <stdio.h>
#include <string.h>

/* minisign and signify: "Ed" (the signature algorithm), a random 8-byte
 * key number, the key. */
#define SIGNIFY_LEN (2U + 8U + VETO_PUBLICKEYBYTES)
/* Their signatures: the algorithm, the key number, 64 bytes. */
#define SIGNIFY_SIG_LEN (2U + 8U + 64U)
/* Their secret keys: signify's (algorithms, rounds, salt, checksum, key
 * number, 64-byte key) and minisign's (three algorithms, salt, limits, and
 * the encrypted key number, key and checksum). */
#define SIGNIFY_SECRET_LEN 104U
#define MINISIGN_SECRET_LEN 158U
/* OpenSSH wire form: string "ssh-ed25519", string key (each string a
 * 32-bit big-endian length, then the bytes). */
#define SSH_TYPE "ssh-ed25519"
#define SSH_LEN (4U + sizeof SSH_TYPE - 1U + 4U + VETO_PUBLICKEYBYTES)
/* RFC 8410: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes) } */
static const uint8_t spki_prefix[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                        0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
#define SPKI_LEN (sizeof spki_prefix + VETO_PUBLICKEYBYTES)

/* Decoded blobs are bounded by the input (64 KiB): 3/4 of it. */
#define BLOB_MAX (48U * 1024U)

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

b64_result import_b64_decode(uint8_t *out, size_t cap, size_t *got, const char *s, size_t n)
{
	size_t pad = 0;
	while (n > 0 && s[n - 1] == '=' && pad < 2) {
		n--;
		pad++;
	}
	if (n % 4 == 1 || (pad > 0 && (n + pad) % 4 != 0))
		return B64_BAD;
	size_t olen = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
	*got = olen;
	if (olen > cap)
		return B64_TOO_LONG;
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t v;
		if (!b64_value((unsigned char)s[i], &v))
			return B64_BAD;
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1U << bits) - 1U;
		}
	}
	if (acc != 0)
		return B64_BAD; /* unused bits must be zero: one key, one encoding */
	*got = o;
	return B64_OK;
}

/* Base64 of at most BLOB_MAX bytes into out (BLOB_MAX): false with the
 * message in err when it is not base64. */
static bool blob_decode(uint8_t *out, size_t *got, const char *s, size_t n, const char *what,
                        char *err, size_t errlen)
{
	if (import_b64_decode(out, BLOB_MAX, got, s, n) != B64_OK) {
		snprintf(err, errlen, "%s is not valid base64", what);
		return false;
	}
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

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Whether the rest holds nothing but blank lines (and, with comments,
 * lines starting with '#'). */
static bool only_blank_lines(const char *p, const char *end, bool comments)
{
	const char *line;
	size_t n;
	while (next_line(&line, &n, &p, end))
		if (!blank(line, n) && !(comments && n > 0 && line[0] == '#'))
			return false;
	return true;
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

/* ---- minisign and signify --------------------------------------------------- */

static veto_status from_signify(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
                                const char *b64, size_t n)
{
	uint8_t raw[BLOB_MAX];
	size_t got = 0;
	if (!blob_decode(raw, &got, b64, n, "the key line", err, errlen))
		return VETO_E_MALFORMED;
	if (got == SIGNIFY_SECRET_LEN || got == MINISIGN_SECRET_LEN) {
		snprintf(err, errlen, "a %s secret key: import the public key (the .pub file)",
		         got == SIGNIFY_SECRET_LEN ? "signify" : "minisign");
		return VETO_E_MALFORMED;
	}
	if (got == SIGNIFY_SIG_LEN) {
		snprintf(err, errlen, "a minisign or signify signature, not a public key");
		return VETO_E_MALFORMED;
	}
	if (got != SIGNIFY_LEN) {
		snprintf(err, errlen,
		         "the key line decodes to %zu bytes, not the %u of a minisign/signify "
		         "public key",
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

static veto_status signify_file(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
                                const char *p, const char *end)
{
	const char *key;
	size_t kn;
	if (!next_line(&key, &kn, &p, end)) {
		snprintf(err, errlen, "the comment line is not followed by a key line");
		return VETO_E_MALFORMED;
	}
	const char *third;
	size_t tn;
	const char *q = p;
	if (next_line(&third, &tn, &q, end) && starts_with(third, tn, "trusted comment:")) {
		snprintf(err, errlen, "a minisign signature file, not a public key");
		return VETO_E_MALFORMED;
	}
	if (!only_blank_lines(p, end, false)) {
		snprintf(err, errlen, "more than a comment and a key line: several keys, or a "
		                      "signature or a secret key?");
		return VETO_E_MALFORMED;
	}
	return from_signify(pk, err, errlen, key, kn);
}

/* ---- OpenSSH ------------------------------------------------------------------ */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The ssh-ed25519 blob: exactly the type string and one 32-byte string. */
static veto_status from_ssh_blob(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
                                 const char *b64, size_t n)
{
	uint8_t raw[BLOB_MAX];
	size_t got = 0;
	if (!blob_decode(raw, &got, b64, n, "the ssh-ed25519 key", err, errlen))
		return VETO_E_MALFORMED;
	if (got != SSH_LEN) {
		snprintf(err, errlen,
		         "the ssh-ed25519 key blob decodes to %zu bytes, not the %u of one Ed25519 "
		         "key",
		         got, (unsigned)SSH_LEN);
		return VETO_E_MALFORMED;
	}
	if (be32(raw) != sizeof SSH_TYPE - 1U || memcmp(raw + 4, SSH_TYPE, sizeof SSH_TYPE - 1U) != 0 ||
	    be32(raw + 4 + sizeof SSH_TYPE - 1U) != VETO_PUBLICKEYBYTES) {
		snprintf(err, errlen,
		         "the ssh-ed25519 key blob is not the OpenSSH encoding of one 32-byte "
		         "Ed25519 key (its inner type or length differs)");
		return VETO_E_MALFORMED;
	}
	memcpy(pk, raw + SSH_LEN - VETO_PUBLICKEYBYTES, VETO_PUBLICKEYBYTES);
	return VETO_OK;
}

/* A field of an OpenSSH line: up to the first blank outside quotes; a
 * quoted part ends at the first '"' not escaped by a backslash.  false
 * when a quote is left open. */
static bool ssh_field(const char *s, size_t n, size_t *i, size_t *start, size_t *len)
{
	while (*i < n && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
	*start = *i;
	bool quoted = false;
	for (; *i < n; (*i)++) {
		char c = s[*i];
		if (quoted && c == '\\' && *i + 1 < n) {
			(*i)++;
			continue;
		}
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == ' ' || c == '\t'))
			break;
	}
	*len = *i - *start;
	return !quoted;
}

/* Whether field is sshd's option grammar: name or name="value", comma
 * separated; *ca set when one is cert-authority. */
static bool ssh_options(const char *s, size_t n, bool *ca)
{
	size_t i = 0;
	while (i < n) {
		size_t name = i;
		while (i < n && (s[i] == '-' || (s[i] >= 'a' && s[i] <= 'z') ||
		                 (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			i++;
		if (i == name)
			return false;
		if (i - name == 14 && memcmp(s + name, "cert-authority", 14) == 0)
			*ca = true;
		if (i < n && s[i] == '=') {
			if (++i >= n || s[i] != '"')
				return false;
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\' && i + 1 < n)
					i++;
			if (i >= n)
				return false;
			i++; /* the closing quote */
		}
		if (i < n && s[i] != ',')
			return false;
		if (i < n)
			i++;
	}
	return true;
}

/* Whether a field is an OpenSSH key type name (ssh-ed25519 or another). */
static bool ssh_key_type(const char *t, size_t n)
{
	return starts_with(t, n, "ssh-") || starts_with(t, n, "ecdsa-") ||
	       starts_with(t, n, "sk-") || starts_with(t, n, "rsa-");
}

static veto_status ssh_type_refusal(char *err, size_t errlen, const char *t, size_t n)
{
	int w = (int)(n > 60 ? 60 : n);
	const char *cert = "-cert-v01@openssh.com";
	size_t cl = strlen(cert);
	if (n > cl && memcmp(t + n - cl, cert, cl) == 0)
		snprintf(err, errlen, "an OpenSSH certificate (%.*s): import the plain public key "
		         "it certifies", w, t);
	else if (starts_with(t, n, "sk-"))
		snprintf(err, errlen, "a security-key (FIDO) key '%.*s': it signs its own message "
		         "format, never the bytes veto needs signed", w, t);
	else
		snprintf(err, errlen, "an OpenSSH key of type '%.*s': veto uses Ed25519 "
		         "(ssh-ed25519) only", w, t);
	return VETO_E_MALFORMED;
}

/* One OpenSSH public key line: [principals] [options] type base64 [comment]
 * (authorized_keys, allowed_signers or a .pub file). */
static veto_status from_openssh(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
                                const char *line, size_t n)
{
	size_t at = 0, start[3], len[3], k;
	bool ca = false;
	for (k = 0; k < 3; k++) {
		if (!ssh_field(line, n, &at, &start[k], &len[k])) {
			snprintf(err, errlen, "an OpenSSH line whose quoted option value is not closed");
			return VETO_E_MALFORMED;
		}
		if (len[k] == 0 || ssh_key_type(line + start[k], len[k]))
			break;
	}
	if (k == 3 || len[k] == 0) {
		snprintf(err, errlen, "not a minisign, signify, PEM or OpenSSH Ed25519 public key");
		return VETO_E_MALFORMED;
	}
	/* Before the type: options (authorized_keys), or principals and then
	 * perhaps options (allowed_signers). */
	if (k >= 1 && !ssh_options(line + start[k - 1], len[k - 1], &ca) && k == 2) {
		snprintf(err, errlen, "the options of the OpenSSH line do not follow sshd's grammar");
		return VETO_E_MALFORMED;
	}
	if (ca) {
		snprintf(err, errlen, "a certificate authority key (the cert-authority option): "
		                      "it vouches for other keys, veto needs the signing key");
		return VETO_E_MALFORMED;
	}
	const char *type = line + start[k];
	if (len[k] != sizeof SSH_TYPE - 1U || memcmp(type, SSH_TYPE, len[k]) != 0)
		return ssh_type_refusal(err, errlen, type, len[k]);
	size_t bs, bl;
	(void)ssh_field(line, n, &at, &bs, &bl);
	if (bl == 0) {
		snprintf(err, errlen, "the ssh-ed25519 line has no key after the type");
		return VETO_E_MALFORMED;
	}
	return from_ssh_blob(pk, err, errlen, line + bs, bl);
}

/* ---- PEM (RFC 7468, strict) ------------------------------------------------ */

/* The refusal for a PEM block that is not a public key, by its label. */
static veto_status pem_label_refusal(char *err, size_t errlen, const char *label, size_t n)
{
	static const struct {
		const char *label;
		const char *what;
	} known[] = {
	    {"PRIVATE KEY", "a PKCS#8 secret key: import its public key ('openssl pkey -pubout')"},
	    {"ENCRYPTED PRIVATE KEY", "an encrypted PKCS#8 secret key: import its public key"},
	    {"OPENSSH PRIVATE KEY", "an OpenSSH secret key: import the .pub file next to it"},
	    {"CERTIFICATE", "an X.509 certificate: import the public key alone "
	                    "('openssl x509 -pubkey -noout')"},
	    {"SSH SIGNATURE", "an OpenSSH signature, not a key"},
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strlen(known[i].label) == n && memcmp(known[i].label, label, n) == 0) {
			snprintf(err, errlen, "%s", known[i].what);
			return VETO_E_MALFORMED;
		}
	snprintf(err, errlen, "a PEM block of type '%.*s', not a PUBLIC KEY", (int)(n > 40 ? 40 : n),
	         label);
	return VETO_E_MALFORMED;
}

/* Whether der[0..n) holds the m bytes of pat somewhere (an OID, to name
 * another key type). */
static bool holds(const uint8_t *der, size_t n, const uint8_t *pat, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(der + i, pat, m) == 0)
			return true;
	return false;
}

/* The DER of a SubjectPublicKeyInfo: RFC 8410 Ed25519 exactly. */
static veto_status from_spki(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
                             const uint8_t *der, size_t n)
{
	static const struct {
		uint8_t last;
		const char *name;
	} kin[] = {{0x6e, "an X25519 key (OID 1.3.101.110)"},
	           {0x6f, "an X448 key (OID 1.3.101.111)"},
	           {0x71, "an Ed448 key (OID 1.3.101.113)"}};
	if (n >= 9 && memcmp(der + 2, spki_prefix + 2, 6) == 0)
		for (size_t i = 0; i < sizeof kin / sizeof kin[0]; i++)
			if (der[8] == kin[i].last) {
				snprintf(err, errlen, "%s, not Ed25519", kin[i].name);
				return VETO_E_MALFORMED;
			}
	if (n != SPKI_LEN || memcmp(der, spki_prefix, sizeof spki_prefix) != 0) {
		static const uint8_t rsa_oid[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
		static const uint8_t ec_oid[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
		bool rsa = holds(der, n, rsa_oid, sizeof rsa_oid);
		bool ec = holds(der, n, ec_oid, sizeof ec_oid);
		snprintf(err, errlen, "%s", rsa  ? "an RSA public key: veto uses Ed25519 only"
		                            : ec ? "an ECDSA public key: veto uses Ed25519 only"
		                                 : "not an Ed25519 SubjectPublicKeyInfo (RFC 8410)");
		return VETO_E_MALFORMED;
	}
	memcpy(pk, der + sizeof spki_prefix, VETO_PUBLICKEYBYTES);
	return VETO_OK;
}

/* The base64 lines of a PUBLIC KEY block, up to its END line. */
static veto_status pem_body(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
                            const char **p, const char *end)
{
	char b64[256];
	size_t bn = 0, n;
	const char *line;
	bool short_seen = false;
	while (next_line(&line, &n, p, end)) {
		if (starts_with(line, n, "-----END PUBLIC KEY-----") && n == 24) {
			uint8_t der[192];
			size_t got = 0;
			if (import_b64_decode(der, sizeof der, &got, b64, bn) == B64_BAD) {
				snprintf(err, errlen, "the PEM block is not valid base64");
				return VETO_E_MALFORMED;
			}
			return from_spki(pk, err, errlen, der, got > sizeof der ? 0 : got);
		}
		if (n == 0 || n > 64 || short_seen || bn + n > sizeof b64) {
			snprintf(err, errlen, "the PEM block's lines are not RFC 7468 base64 lines of "
			                      "64 characters (or its END line is missing)");
			return VETO_E_MALFORMED;
		}
		short_seen = n < 64;
		memcpy(b64 + bn, line, n);
		bn += n;
	}
	snprintf(err, errlen, "the PEM block has no '-----END PUBLIC KEY-----' line");
	return VETO_E_MALFORMED;
}

static veto_status from_pem(uint8_t pk[VETO_PUBLICKEYBYTES], char *err, size_t errlen,
                            const char *line, size_t n, const char *p, const char *end)
{
	const char *label = line + 11; /* after "-----BEGIN " */
	if (n < 16 || memcmp(line + n - 5, "-----", 5) != 0) {
		snprintf(err, errlen, "a PEM BEGIN line that is not '-----BEGIN LABEL-----'");
		return VETO_E_MALFORMED;
	}
	size_t ln = n - 16;
	if (ln != 10 || memcmp(label, "PUBLIC KEY", 10) != 0)
		return pem_label_refusal(err, errlen, label, ln);
	veto_status st = pem_body(pk, err, errlen, &p, end);
	if (st == VETO_OK && !only_blank_lines(p, end, false)) {
		snprintf(err, errlen, "text after the PEM block: several keys or blocks in one file?");
		return VETO_E_MALFORMED;
	}
	return st;
}

/* ---- the file --------------------------------------------------------------- */

/* The first line that is not blank (nor, with comments, a '#' line). */
static bool first_content(const char **line, size_t *n, const char **p, const char *end,
                          bool comments)
{
	while (next_line(line, n, p, end))
		if (!blank(*line, *n) && !(comments && (*line)[0] == '#'))
			return true;
	return false;
}

static veto_status classify(uint8_t pk[VETO_PUBLICKEYBYTES], const char **format, char *err,
                            size_t errlen, const char *line, size_t n, const char *p,
                            const char *end)
{
	if (starts_with(line, n, "untrusted comment:")) {
		*format = "minisign/signify";
		return signify_file(pk, err, errlen, p, end);
	}
	if (starts_with(line, n, "-----BEGIN ")) {
		*format = "PEM";
		return from_pem(pk, err, errlen, line, n, p, end);
	}
	if (starts_with(line, n, "@cert-authority") || starts_with(line, n, "@revoked")) {
		snprintf(err, errlen, "a line marked %s: %s",
		         line[1] == 'c' ? "@cert-authority" : "@revoked",
		         line[1] == 'c' ? "a certificate authority key, not a signing key"
		                        : "a key its owner has revoked");
		return VETO_E_MALFORMED;
	}
	if (!only_blank_lines(p, end, true)) {
		snprintf(err, errlen, "several lines with keys: give one key a file");
		return VETO_E_MALFORMED;
	}
	bool spaced = memchr(line, ' ', n) != NULL || memchr(line, '\t', n) != NULL;
	if (!spaced) {
		*format = "minisign/signify";
		return from_signify(pk, err, errlen, line, n);
	}
	*format = "OpenSSH";
	return from_openssh(pk, err, errlen, line, n);
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
	if (!first_content(&line, &n, &p, end, true)) {
		snprintf(err, errlen, "empty file");
		return VETO_E_MALFORMED;
	}
	veto_status rc = classify(pk, format, err, errlen, line, n, p, end);
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

/* ---- (1.1) detached signatures for veto attach ----------------------------- */

/* The signature line of a signify or minisign signature file. */
static veto_status signify_sig(uint8_t sig[64], const char **format, char *err, size_t errlen,
                               const char *p, const char *end)
{
	const char *line, *third;
	size_t n, tn;
	uint8_t raw[BLOB_MAX];
	size_t got = 0;
	if (!next_line(&line, &n, &p, end)) {
		snprintf(err, errlen, "no signature line after the comment");
		return VETO_E_MALFORMED;
	}
	if (!blob_decode(raw, &got, line, n, "the signature line", err, errlen))
		return VETO_E_MALFORMED;
	bool minisign = next_line(&third, &tn, &p, end) && starts_with(third, tn, "trusted comment:");
	*format = minisign ? "minisign (legacy)" : "signify";
	if (got != SIGNIFY_SIG_LEN) {
		snprintf(err, errlen, "the signature line decodes to %zu bytes, not the %u of a "
		         "signify or minisign signature", got, (unsigned)SIGNIFY_SIG_LEN);
		return VETO_E_MALFORMED;
	}
	if (raw[0] == 'E' && raw[1] == 'D') {
		snprintf(err, errlen, "a prehashed minisign signature (algorithm ED): it signs a "
		                      "BLAKE2b hash of the file, not its bytes; sign again with "
		                      "'minisign -S -l'");
		return VETO_E_MALFORMED;
	}
	if (raw[0] != 'E' || raw[1] != 'd') {
		snprintf(err, errlen, "the signature's algorithm is not Ed25519 ('Ed')");
		return VETO_E_MALFORMED;
	}
	memcpy(sig, raw + 10, 64);
	return VETO_OK;
}

veto_status import_signature(uint8_t sig[64], const char **format, char *err, size_t errlen,
                             const uint8_t *text, size_t len)
{
	const char *p = (const char *)text;
	const char *end = p + len;
	const char *line;
	size_t n;
	err[0] = '\0';
	if (len == 64) {
		*format = "64 raw bytes";
		memcpy(sig, text, 64);
		return VETO_OK;
	}
	bool binary = false;
	for (size_t i = 0; i < len; i++)
		binary |= text[i] >= 0x7f ||
		          (text[i] < 0x20 && text[i] != '\n' && text[i] != '\r' && text[i] != '\t');
	if (binary || !first_content(&line, &n, &p, end, false)) {
		snprintf(err, errlen, "neither 64 raw bytes nor a signature text (%zu bytes)", len);
		return VETO_E_MALFORMED;
	}
	if (starts_with(line, n, "-----BEGIN SSH SIGNATURE-----")) {
		snprintf(err, errlen, "an OpenSSH SSHSIG signature ('ssh-keygen -Y sign'): it signs "
		                      "a hash of the file inside its own wrapper, never the bytes "
		                      "themselves; sign them through an ssh-agent client instead "
		                      "(docs/KEYS.md)");
		return VETO_E_MALFORMED;
	}
	if (starts_with(line, n, "untrusted comment:"))
		return signify_sig(sig, format, err, errlen, p, end);
	uint8_t raw[BLOB_MAX];
	size_t got = 0;
	if (!only_blank_lines(p, end, false) ||
	    !blob_decode(raw, &got, line, n, "the signature", err, errlen)) {
		if (err[0] == '\0')
			snprintf(err, errlen, "more than one line: not one line of base64");
		return VETO_E_MALFORMED;
	}
	if (got != 64) {
		snprintf(err, errlen, "the base64 decodes to %zu bytes, not the 64 of an Ed25519 "
		         "signature", got);
		return VETO_E_MALFORMED;
	}
	*format = "base64";
	memcpy(sig, raw, 64);
	return VETO_OK;
}
