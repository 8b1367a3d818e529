/* SPDX-License-Identifier: Apache-2.0 */
/*
 * veto receipt verify (1.1): checks signed receipts against the device key
 * and the chain of states they record (SPEC section 10).  Every file is
 * read before anything is judged, so that one that cannot be read is exit
 * 2; then each is verified before its payload is read (veto_receipt_read),
 * and the chain is checked over those that verified.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <veto.h>

#include "args.h"
#include "cmd.h"
#include "files.h"
#include "jsonout.h"
#include "util.h"

static const char receipt_help[] =
    "usage: veto receipt verify --key DEVICE.pub RECEIPT... [--json]\n"
    "\n"
    "Checks signed receipts (SPEC 10): each must be signed by the device key,\n"
    "and in the order given they must form one chain of states: a receipt that\n"
    "starts from a state comes after the receipt that wrote it (else a gap: a\n"
    "receipt is missing), and no two receipts start from the same state and\n"
    "both write one (else a fork: the state was restored from an old copy).\n"
    "Prints one line per receipt and a summary.  Exit status: 0 when every\n"
    "receipt verifies and the chain has no gap and no fork, 1 otherwise, 2 on\n"
    "a usage or I/O error.\n"
    "\n"
    "  --key DEVICE.pub  the device's public key: a veto .pub file (such as\n"
    "                    DIR/device.pub) or any file 'veto key import' reads\n"
    "  --json            one JSON object on standard output\n";

enum { O_KEY, O_JSON };
static const opt_def verify_opts[] = {
	[O_KEY] = {.name = "key", .takes_value = true},
	[O_JSON] = {.name = "json"},
};

/* One receipt file through the run. */
typedef struct item {
	const char *file;
	uint8_t *buf;
	size_t len;
	veto_receipt *r;   /* NULL: it did not verify */
	const char *code;  /* why not: "signature", "other-key" or "malformed" */
	char detail[320];  /* why not, for people */
	unsigned flags;    /* VETO_LINK_GAP, VETO_LINK_FORK */
} item;

typedef struct verify_run {
	uint8_t pk[VETO_PUBLICKEYBYTES];
	char keyid[VETO_KEYIDCHARS + 1];
	const char *key_path;
	item *items;
	size_t n;
	size_t verified, gaps, forks;
} verify_run;

/* A receipt that no signature by the device key verifies: another key's,
 * or the device key's over other bytes. */
static void signer_problem(const verify_run *v, item *it)
{
	veto_envelope *e = NULL;
	const char *other = NULL;
	bool ours = false;
	if (veto_envelope_parse(&e, NULL, NULL, it->buf, it->len) == VETO_OK) {
		for (size_t i = 0; i < veto_envelope_sig_count(e); i++) {
			const char *id = veto_envelope_sig_keyid(e, i);
			ours = ours || strcmp(id, v->keyid) == 0;
			other = other != NULL ? other : id;
		}
	}
	if (ours || other == NULL) {
		it->code = "signature";
		snprintf(it->detail, sizeof it->detail,
		         "its signature by the device key does not verify: the receipt was changed "
		         "after it was signed");
	} else {
		it->code = "other-key";
		snprintf(it->detail, sizeof it->detail, "signed by another key (%.64s), not by %s",
		         other, v->keyid);
	}
	veto_envelope_free(e);
}

/* Verifies one receipt; exit 2 only for what is wrong with the run itself. */
static tool_exit judge(const verify_run *v, item *it)
{
	veto_diag d = {{0}};
	veto_status s = veto_receipt_read(&it->r, &d, NULL, it->buf, it->len, v->pk);
	if (s == VETO_OK)
		return EXIT_ACCEPT;
	it->r = NULL;
	if (s == VETO_REFUSED) {
		signer_problem(v, it);
		return EXIT_ACCEPT;
	}
	if (s == VETO_E_MALFORMED || s == VETO_E_TYPE || s == VETO_E_LIMIT) {
		it->code = "malformed";
		snprintf(it->detail, sizeof it->detail, "not a valid receipt: %s",
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
		return EXIT_ACCEPT;
	}
	if (s == VETO_E_KEY) {
		tool_err("--key %s: not a usable Ed25519 public key", v->key_path);
		return EXIT_TROUBLE;
	}
	return tool_fail("verify the receipts", s);
}

/* Reads every file, verifies each, and checks the chain. */
static tool_exit verify_all(verify_run *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (read_input(v->items[i].file, TOOL_MAX_DOCUMENT, &v->items[i].buf,
		               &v->items[i].len) != EXIT_ACCEPT)
			return EXIT_TROUBLE;
	const veto_receipt **rs = calloc(v->n, sizeof *rs);
	unsigned *flags = calloc(v->n, sizeof *flags);
	tool_exit rc = rs != NULL && flags != NULL ? EXIT_ACCEPT : EXIT_TROUBLE;
	if (rc == EXIT_TROUBLE)
		tool_err("out of memory");
	for (size_t i = 0; rc == EXIT_ACCEPT && i < v->n; i++) {
		rc = judge(v, &v->items[i]);
		rs[i] = v->items[i].r;
		v->verified += rs[i] != NULL ? 1U : 0U;
	}
	veto_status s = rc == EXIT_ACCEPT ? veto_receipt_chain(flags, NULL, rs, v->n) : VETO_OK;
	if (s != VETO_OK)
		rc = tool_fail("check the chain of receipts", s);
	for (size_t i = 0; rc == EXIT_ACCEPT && i < v->n; i++) {
		v->items[i].flags = flags[i];
		v->gaps += (flags[i] & VETO_LINK_GAP) != 0 ? 1U : 0U;
		v->forks += (flags[i] & VETO_LINK_FORK) != 0 ? 1U : 0U;
	}
	free(rs);
	free(flags);
	return rc;
}

/* The receipt's time, as the contract writes times. */
static void time_text(char out[21], const veto_receipt *r)
{
	if (veto_time_format(out, veto_receipt_time(r)) != VETO_OK)
		snprintf(out, 21, "?");
}

/* ---- for people ------------------------------------------------------------ */

static void print_item(const item *it)
{
	put_safe_str(stdout, it->file);
	if (it->r == NULL) {
		fputs(": does NOT verify: ", stdout);
		put_safe_str(stdout, it->detail);
		fputc('\n', stdout);
		return;
	}
	char when[21];
	time_text(when, it->r);
	const char *decision = veto_receipt_decision(it->r);
	printf(": %s %s%s%s:", veto_receipt_kind_name(veto_receipt_get_kind(it->r)), when,
	       decision != NULL ? " " : "", decision != NULL ? decision : "");
	if ((it->flags & VETO_LINK_GAP) != 0)
		fputs(" GAP: it starts from a state that no earlier receipt wrote (a receipt is "
		      "missing before it)",
		      stdout);
	if ((it->flags & VETO_LINK_FORK) != 0)
		fputs(" FORK: an earlier receipt started from the same state and also wrote one "
		      "(the state was restored from an old copy)",
		      stdout);
	fputs(it->flags == 0 ? " ok\n" : "\n", stdout);
}

static tool_exit print_human(const verify_run *v)
{
	for (size_t i = 0; i < v->n; i++)
		print_item(&v->items[i]);
	if (v->verified == v->n && v->gaps == 0 && v->forks == 0) {
		printf("%zu receipt%s: all verify, one chain without gap or fork\n", v->n,
		       v->n == 1 ? "" : "s");
		return EXIT_ACCEPT;
	}
	printf("%zu receipt%s: %zu verif%s, %zu do%s not; %zu gap%s, %zu fork%s\n", v->n,
	       v->n == 1 ? "" : "s", v->verified, v->verified == 1 ? "ies" : "y",
	       v->n - v->verified, v->n - v->verified == 1 ? "es" : "", v->gaps,
	       v->gaps == 1 ? "" : "s", v->forks, v->forks == 1 ? "" : "s");
	return EXIT_ACCEPT;
}

/* ---- JSON ------------------------------------------------------------------ */


/* A state digest of r as hex, or null. */
static bool add_state(cJSON *o, const char *name, const veto_receipt *r, bool after)
{
	uint8_t d[VETO_DIGESTBYTES];
	char hex[2 * VETO_DIGESTBYTES + 1];
	int has = r == NULL ? 0 : after ? veto_receipt_state_after(r, d) : veto_receipt_state_before(r, d);
	for (size_t i = 0; has && i < sizeof d; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return json_add_text(o, name, has ? hex : NULL);
}

/* {"receipt": FILE, "verified": ..., "kind": ..., ..., "problems": [...]} */
static bool add_result(cJSON *results, const item *it)
{
	cJSON *o = cJSON_CreateObject();
	char *file = utf8_clean(it->file);
	char when[21] = "";
	if (it->r != NULL)
		time_text(when, it->r);
	bool ok = cJSON_AddItemToArray(results, o) && file != NULL && json_add_text(o, "receipt", file) &&
	          cJSON_AddBoolToObject(o, "verified", it->r != NULL) != NULL &&
	          json_add_text(o, "kind", it->r != NULL ? veto_receipt_kind_name(
	                                                  veto_receipt_get_kind(it->r))
	                                            : NULL) &&
	          json_add_text(o, "time", it->r != NULL ? when : NULL) &&
	          json_add_text(o, "decision", veto_receipt_decision(it->r)) &&
	          json_add_text(o, "nonce", veto_receipt_nonce(it->r)) &&
	          add_state(o, "state_before", it->r, false) &&
	          add_state(o, "state_after", it->r, true);
	free(file);
	cJSON *problems = ok ? cJSON_AddArrayToObject(o, "problems") : NULL;
	ok = problems != NULL;
	if (ok && it->r == NULL)
		ok = cJSON_AddItemToArray(problems, cJSON_CreateString(it->code));
	if (ok && (it->flags & VETO_LINK_GAP) != 0)
		ok = cJSON_AddItemToArray(problems, cJSON_CreateString("gap"));
	if (ok && (it->flags & VETO_LINK_FORK) != 0)
		ok = cJSON_AddItemToArray(problems, cJSON_CreateString("fork"));
	return ok && json_add_text(o, "detail", it->r == NULL ? it->detail : NULL);
}

static tool_exit print_json(const verify_run *v)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = cJSON_AddNumberToObject(o, "receipts", (double)v->n) != NULL &&
	          cJSON_AddNumberToObject(o, "verified", (double)v->verified) != NULL &&
	          cJSON_AddNumberToObject(o, "gaps", (double)v->gaps) != NULL &&
	          cJSON_AddNumberToObject(o, "forks", (double)v->forks) != NULL;
	cJSON *results = ok ? cJSON_AddArrayToObject(o, "results") : NULL;
	ok = results != NULL;
	for (size_t i = 0; ok && i < v->n; i++)
		ok = add_result(results, &v->items[i]);
	ok = ok && json_print_line(stdout, o);
	cJSON_Delete(o);
	return ok ? EXIT_ACCEPT : tool_fail("print the results", VETO_E_NOMEM);
}

/* ---- the command ------------------------------------------------------------ */

static tool_exit verify(const args *a)
{
	verify_run v = {.key_path = args_one(a, O_KEY), .n = a->n_operands};
	if (v.key_path == NULL || v.n == 0)
		return tool_usage("give --key DEVICE.pub and at least one RECEIPT file");
	const char *const key[] = {v.key_path};
	tool_exit rc = check_one_stdin(a->operands, a->n_operands, key, 1);
	if (rc == EXIT_ACCEPT && (rc = read_any_public_key(v.key_path, v.pk)) == EXIT_ACCEPT &&
	    veto_keyid(v.keyid, v.pk) != VETO_OK)
		rc = tool_fail("compute the keyid", VETO_E_KEY);
	v.items = rc == EXIT_ACCEPT ? calloc(v.n, sizeof *v.items) : NULL;
	if (rc == EXIT_ACCEPT && v.items == NULL)
		rc = tool_fail("read the receipts", VETO_E_NOMEM);
	for (size_t i = 0; v.items != NULL && i < v.n; i++)
		v.items[i].file = a->operands[i];
	if (rc == EXIT_ACCEPT && (rc = verify_all(&v)) == EXIT_ACCEPT)
		rc = a->count[O_JSON] > 0 ? print_json(&v) : print_human(&v);
	if (rc == EXIT_ACCEPT && (v.verified < v.n || v.gaps > 0 || v.forks > 0))
		rc = EXIT_REFUSE;
	for (size_t i = 0; v.items != NULL && i < v.n; i++) {
		veto_receipt_free(v.items[i].r);
		free(v.items[i].buf);
	}
	free(v.items);
	return rc;
}

/* receipt has subcommands of its own, as key does: it reads its argv
 * itself. */
static tool_exit receipt_main(int argc, char **argv)
{
	tool_cmd = "receipt";
	if (argc < 2)
		return tool_usage("give a subcommand: 'receipt verify --key DEVICE.pub RECEIPT...'");
	const char *sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		fputs(receipt_help, stdout);
		return EXIT_ACCEPT;
	}
	if (strcmp(sub, "verify") != 0)
		return tool_usage("unknown receipt subcommand '%s' (use 'verify')", sub);
	tool_cmd = "receipt verify";
	args a;
	tool_exit rc;
	if (!args_start(&a, verify_opts, ARGS_COUNT(verify_opts), argc - 1, argv + 1, receipt_help,
	                &rc))
		return rc;
	rc = verify(&a);
	args_free(&a);
	return rc;
}

const tool_command cmd_receipt = {
	.name = "receipt",
	.run_argv = receipt_main,
};
