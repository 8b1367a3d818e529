/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) Signed receipts (SPEC 10): what the writer (receipt.c) and the
 * reader (receipt_read.c) share. */
#ifndef VETO_RECEIPT_H
#define VETO_RECEIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "veto.h"

#define RECEIPT_FORMAT "veto.receipt/1"

/* Whether s[0..len) is a nonce: 1..VETO_NONCE_MAX characters, each
 * U+0021..U+007E (printable ASCII, no space). */
bool veto__receipt_nonce_ok(const char *s, size_t len);

/* The kind named s[0..len), when it is one of the five. */
bool veto__receipt_kind_find(const char *s, size_t len, veto_receipt_kind *kind);

#endif
