/* SPDX-License-Identifier: Apache-2.0 */
/*
 * receipt.h - (1.1) `--receipt OUT`: the signed receipt a command leaves
 * of what it decided (SPEC sections 9.1 and 10), for init, trust, check,
 * commit and status.
 *
 * The order of the steps (the contract leaves it open; docs/CLI.md):
 *   1. receipt_prepare: the options, OUT's place (not in the state
 *      directory), DIR's device files; before anything is read.
 *   2. receipt_load_key: --receipt-key (asking an encrypted key's
 *      passphrase) or DIR/device.key; before anything is decided, so that
 *      a bad key never follows a decision.
 *   3. receipt_stage: signs the receipt in memory and writes it, synced,
 *      to an unnamed file in OUT's directory; before the state is written,
 *      so that a receipt that cannot be written leaves the state as it was.
 *   4. the command writes its state, if it writes one;
 *   5. receipt_end: names the file OUT (rename, fsync of the directory);
 *      after a run that exits 2 (a failed state write included) it drops
 *      the file and removes an existing OUT, as --report does.
 */
#ifndef VETO_TOOL_RECEIPT_H
#define VETO_TOOL_RECEIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <veto.h>

#include "args.h"
#include "stage.h"
#include "util.h"

/* The four options, at base .. base + 3 of a command's option table. */
#define RECEIPT_OPT_DEFS(base)                                                            \
	[(base)] = {.name = "receipt", .takes_value = true},                               \
	[(base) + 1] = {.name = "receipt-key", .takes_value = true},                       \
	[(base) + 2] = {.name = "nonce", .takes_value = true},                             \
	[(base) + 3] = {.name = "passphrase-file", .takes_value = true}

/* Their --help lines, alike in init, trust, check, commit and status. */
#define HELP_RECEIPT                                                                      \
	"  --receipt OUT    also writes a receipt of the outcome, signed by the device\n"    \
	"                   key DIR/device.key (or --receipt-key), to OUT (atomically;\n"   \
	"                   not in DIR)\n"                                                   \
	"  --receipt-key K.key  the secret key that signs the receipt instead\n"            \
	"  --nonce TEXT     a challenge the receipt carries: 1 to 128 characters\n"         \
	"                   from '!' to '~' (printable ASCII, no space)\n"                  \
	"  --passphrase-file FILE  the passphrase of an encrypted --receipt-key\n"

typedef struct receipt_out {
	const char *path;      /* --receipt OUT; NULL: no receipt */
	const char *key_path;  /* --receipt-key K.key, or NULL */
	const char *nonce;     /* --nonce, or NULL */
	const char *pass_file; /* --passphrase-file, or NULL */
	const char *dir;       /* the state directory, or NULL */
	bool device_key;       /* DIR/device.key exists */
	bool key_to_come;      /* init --device-key: the key is being made */
	bool keyed;            /* seed holds the signing key */
	bool ended;            /* receipt_end has run */
	uint8_t seed[VETO_SEEDBYTES];
	uint8_t pk[VETO_PUBLICKEYBYTES];
	stage st;
} receipt_out;

#define RECEIPT_UNUSED {.st = STAGE_UNUSED}

/* What must hold for a command: trust and commit change the state, so
 * with a device key in DIR they run only with --receipt. */
typedef enum receipt_rule { RECEIPT_OPTIONAL, RECEIPT_FOR_CHANGES } receipt_rule;

/* The options from a, whose table holds RECEIPT_OPT_DEFS(base). */
void receipt_from_args(receipt_out *r, const args *a, size_t base);

/* Whether nonce keeps the contract's rule; else a usage message. */
tool_exit receipt_nonce_check(const char *nonce);

/* Step 1 (see above), for the state directory dir (NULL: none, as in
 * check --anchor).  EXIT_TROUBLE after a message; nothing is removed. */
tool_exit receipt_prepare(receipt_out *r, const char *dir, receipt_rule rule);

/* For trust and commit, under the state lock: a device key made since
 * receipt_prepare looked (init --device-key writes it under the lock)
 * makes a run without --receipt exit 2 all the same. */
tool_exit receipt_locked(const receipt_out *r);

/* Step 2.  Nothing to do without --receipt, or after receipt_use_key. */
tool_exit receipt_load_key(receipt_out *r);
/* Step 2 for init --device-key: signs with the device key just made. */
void receipt_use_key(receipt_out *r, const uint8_t seed[VETO_SEEDBYTES]);

/* Step 3 for the facts f (their nonce is set here).  Nothing to do without
 * --receipt. */
tool_exit receipt_stage(receipt_out *r, veto_receipt_facts *f);

/*
 * Step 5 for a run that would exit rc, whose state was written when
 * state_written.  Exit 0 or 1: OUT is named; if that fails, exit 2 and a
 * message saying whether the state was written (then the chain of receipts
 * has a gap).  A run that ends with nothing staged (a refusal before any
 * decision the library can sign: a missing or corrupt state) says that no
 * receipt was written.  Exit 2: the file is dropped and an existing OUT
 * removed.  Wipes the key.  Runs once; later calls return rc.
 */
tool_exit receipt_end(receipt_out *r, tool_exit rc, bool state_written);

#endif
