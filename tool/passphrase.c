/* SPDX-License-Identifier: Apache-2.0 */
#include "passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "files.h"

void pass_wipe(passphrase *p)
{
	wipe(p->b, sizeof p->b);
	p->len = 0;
}

bool pass_have_terminal(void)
{
	if (!isatty(STDIN_FILENO))
		return false;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	(void)close(fd);
	return true;
}

/* The first line of buf[0..len) into p, without "\n" or "\r\n". */
static bool first_line(passphrase *p, const uint8_t *buf, size_t len)
{
	size_t n = 0;
	while (n < len && buf[n] != '\n')
		n++;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (n > PASS_MAX)
		return false;
	memcpy(p->b, buf, n);
	p->b[n] = 0;
	p->len = n;
	return true;
}

tool_exit pass_from_file(passphrase *p, const char *path, bool allow_empty)
{
	uint8_t buf[PASS_MAX + 4]; /* holds the passphrase: wiped below */
	size_t len;
	unsigned mode;
	pass_wipe(p);
	tool_exit rc = read_small(path, buf, sizeof buf, &len, &mode);
	if (rc == EXIT_ACCEPT && !first_line(p, buf, len)) {
		tool_err("%s: the passphrase is longer than %u bytes", shown_name(path), PASS_MAX);
		rc = EXIT_TROUBLE;
	}
	if (rc == EXIT_ACCEPT && p->len == 0 && !allow_empty) {
		tool_err("%s: the passphrase file is empty (its first line is the passphrase)",
		         shown_name(path));
		rc = EXIT_TROUBLE;
	}
	wipe(buf, sizeof buf);
	if (rc != EXIT_ACCEPT)
		pass_wipe(p);
	return rc;
}

/* Shows prompt and reads one line from the terminal fd into p.  Echo is
 * turned off (and type-ahead discarded) before the prompt is shown, so
 * that nothing typed after it is ever echoed or lost. */
static bool tty_read(int fd, passphrase *p, const char *prompt)
{
	struct termios old, quiet;
	bool restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		(void)tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	(void)!write(fd, prompt, strlen(prompt));
	bool ok = true;
	p->len = 0;
	for (;;) {
		uint8_t c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (p->len == PASS_MAX) {
			ok = false;
			continue;
		}
		p->b[p->len++] = c;
	}
	if (p->len > 0 && p->b[p->len - 1] == '\r')
		p->len--;
	p->b[p->len] = 0;
	if (restore)
		(void)tcsetattr(fd, TCSAFLUSH, &old);
	(void)!write(fd, "\n", 1);
	return ok;
}

tool_exit pass_prompt(passphrase *p, const char *prompt)
{
	pass_wipe(p);
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		tool_err("cannot ask for a passphrase: no terminal (give --passphrase-file FILE)");
		return EXIT_TROUBLE;
	}
	bool ok = tty_read(fd, p, prompt);
	(void)close(fd);
	if (!ok) {
		pass_wipe(p);
		tool_err("the passphrase is longer than %u bytes", PASS_MAX);
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

tool_exit pass_prompt_new(passphrase *p, const char *what)
{
	passphrase again;
	char prompt[160];
	for (int tries = 0; tries < 3; tries++) {
		snprintf(prompt, sizeof prompt, "New passphrase for %s (empty: none): ", what);
		if (pass_prompt(p, prompt) != EXIT_ACCEPT)
			return EXIT_TROUBLE;
		if (p->len == 0)
			return EXIT_ACCEPT;
		if (pass_prompt(&again, "The same passphrase again: ") != EXIT_ACCEPT) {
			pass_wipe(p);
			return EXIT_TROUBLE;
		}
		bool same = again.len == p->len && memcmp(again.b, p->b, p->len) == 0;
		pass_wipe(&again);
		if (same)
			return EXIT_ACCEPT;
		fputs("The two passphrases differ; again.\n", stderr);
	}
	pass_wipe(p);
	tool_err("the passphrases differed three times; nothing written");
	return EXIT_TROUBLE;
}

/* The passphrase of the encrypted key at path: from pass_file or asked. */
static tool_exit key_passphrase(passphrase *p, const char *path, const char *pass_file)
{
	if (pass_file != NULL)
		return pass_from_file(p, pass_file, false);
	if (!pass_have_terminal()) {
		tool_err("%s: the key is encrypted and there is no terminal to ask its passphrase "
		         "on: give --passphrase-file FILE", shown_name(path));
		return EXIT_TROUBLE;
	}
	char prompt[160];
	snprintf(prompt, sizeof prompt, "Passphrase for %.100s: ", shown_name(path));
	tool_exit rc = pass_prompt(p, prompt);
	if (rc == EXIT_ACCEPT && p->len == 0) {
		tool_err("%s: an empty passphrase never opens an encrypted key", shown_name(path));
		rc = EXIT_TROUBLE;
	}
	return rc;
}

tool_exit open_encrypted_key(const char *path, const char *pass_file, const uint8_t *buf,
                             size_t len, uint8_t seed[VETO_SEEDBYTES],
                             uint8_t pk[VETO_PUBLICKEYBYTES])
{
	passphrase p;
	tool_exit rc = key_passphrase(&p, path, pass_file);
	if (rc != EXIT_ACCEPT)
		return rc;
	veto_diag d = {{0}};
	int weak = 0;
	veto_status s = veto_seckey_decrypt(seed, pk, &weak, &d, buf, len, p.b, p.len);
	pass_wipe(&p);
	const char *detail = d.detail[0] != '\0' ? d.detail : veto_strerror(s);
	if (s == VETO_E_PASSPHRASE) {
		tool_err("%s: wrong passphrase, or a damaged file: the encrypted key does not open",
		         shown_name(path));
		return EXIT_TROUBLE;
	}
	if (s != VETO_OK) {
		tool_err("%s: not a veto encrypted key file: %s", shown_name(path), detail);
		return EXIT_TROUBLE;
	}
	if (weak)
		tool_warn("%s: the key's Argon2id parameters are below libsodium's INTERACTIVE "
		          "ones; run 'veto key passphrase %s' to encrypt it again",
		          shown_name(path), path);
	return EXIT_ACCEPT;
}

tool_exit load_secret_key_with(const char *path, const char *pass_file,
                               uint8_t seed[VETO_SEEDBYTES], uint8_t pk[VETO_PUBLICKEYBYTES])
{
	bool encrypted;
	return load_secret_key_ex(path, pass_file, seed, pk, &encrypted);
}

tool_exit load_secret_key_ex(const char *path, const char *pass_file,
                             uint8_t seed[VETO_SEEDBYTES], uint8_t pk[VETO_PUBLICKEYBYTES],
                             bool *encrypted)
{
	/* A fixed buffer, never a growing one: see load_secret_key. */
	uint8_t buf[TOOL_MAX_KEY_FILE];
	size_t len;
	unsigned mode;
	tool_exit rc = read_small(path, buf, sizeof buf, &len, &mode);
	if (rc == EXIT_ACCEPT && (mode & 077) != 0) {
		secret_mode_error(path, mode);
		rc = EXIT_TROUBLE;
	}
	*encrypted = rc == EXIT_ACCEPT && veto_seckey_is_encrypted(buf, len);
	if (rc == EXIT_ACCEPT && *encrypted)
		rc = open_encrypted_key(path, pass_file, buf, len, seed, pk);
	else if (rc == EXIT_ACCEPT)
		rc = parse_secret_key(path, buf, len, seed, pk);
	wipe(buf, sizeof buf);
	return rc;
}

tool_exit seckey_text(const uint8_t seed[VETO_SEEDBYTES], const passphrase *p, char **out,
                      size_t *len)
{
	veto_status s = p->len == 0 ? veto_seckey_format(out, len, NULL, seed)
	                            : veto_seckey_encrypt(out, len, NULL, seed, p->b, p->len);
	if (s != VETO_OK)
		return tool_fail(p->len == 0 ? "write the secret key" : "encrypt the secret key", s);
	return EXIT_ACCEPT;
}

tool_exit new_passphrase(passphrase *p, const char *pass_file, bool allow_empty_file,
                         const char *what, bool need_terminal)
{
	pass_wipe(p);
	if (pass_file != NULL)
		return pass_from_file(p, pass_file, allow_empty_file);
	if (pass_have_terminal())
		return pass_prompt_new(p, what);
	if (!need_terminal)
		return EXIT_ACCEPT; /* no terminal, no option: unencrypted, as in version 1 */
	tool_err("no terminal to ask the new passphrase on: give --new-passphrase-file FILE");
	return EXIT_TROUBLE;
}
