/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_receipt.c - (1.1) signed receipts (SPEC 10).
 *
 * The input is a receipt payload.  The harness signs it with the world's
 * device key (over veto_pae, as a device whose key lives elsewhere does),
 * so that every input gets past the signature to the payload's schema;
 * then veto_receipt_read, and for a receipt read, every accessor and
 * veto_receipt_chain over it, a second copy and a NULL entry.  The raw
 * input is also read once as an envelope (the seed corpus holds one signed
 * envelope, so that path reaches the payload too).
 *
 * Invariants: a receipt signed by the device key is never VETO_REFUSED nor
 * VETO_E_TYPE; one read keeps the very bytes signed and the kind, decision,
 * nonce and time the payload can hold; the chain of [r, r, NULL] flags the
 * second copy exactly as SPEC 10 says (a gap when it starts from a state,
 * as no receipt writes the state it starts from; a fork when it writes one),
 * unless it refused and wrote nothing, and never the first or the NULL.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* The accessors of a receipt read, against what the contract allows. */
static void accessors_check(const veto_receipt *r, const uint8_t *payload, size_t size)
{
	size_t len = 0;
	char when[21];
	veto_receipt_kind k = veto_receipt_get_kind(r);
	FZ_CHECK(k >= VETO_RECEIPT_INIT && k <= VETO_RECEIPT_STATUS);
	FZ_CHECK(strcmp(veto_receipt_kind_name(k), "unknown") != 0);
	const char *decision = veto_receipt_decision(r);
	int decides = k == VETO_RECEIPT_TRUST || k == VETO_RECEIPT_CHECK || k == VETO_RECEIPT_COMMIT;
	FZ_CHECK(decides == (decision != NULL));
	FZ_CHECK(decision == NULL || strcmp(decision, "accept") == 0 ||
	         strcmp(decision, "refuse") == 0);
	const char *nonce = veto_receipt_nonce(r);
	if (nonce != NULL) {
		size_t n = strlen(nonce);
		FZ_CHECK(n >= 1 && n <= VETO_NONCE_MAX);
		for (size_t i = 0; i < n; i++)
			FZ_CHECK(nonce[i] >= 0x21 && nonce[i] <= 0x7e);
	}
	FZ_CHECK(veto_receipt_vendor(r) != NULL && veto_receipt_model(r) != NULL);
	FZ_CHECK(veto_time_format(when, veto_receipt_time(r)) == VETO_OK);
	const uint8_t *kept = veto_receipt_payload_json(r, &len);
	FZ_CHECK(kept != NULL && len == size && memcmp(kept, payload, size) == 0);
	uint8_t before[VETO_DIGESTBYTES], after[VETO_DIGESTBYTES];
	int has_before = veto_receipt_state_before(r, before);
	int has_after = veto_receipt_state_after(r, after);
	FZ_CHECK(has_before == veto_receipt_state_before(r, NULL));
	FZ_CHECK(!(has_before && has_after && memcmp(before, after, sizeof before) == 0));
	FZ_CHECK(!(has_after && (k == VETO_RECEIPT_CHECK || k == VETO_RECEIPT_STATUS)));
}

/* [r, copy, NULL]: the flags SPEC 10 gives them. */
static void chain_check(const veto_receipt *r, const veto_receipt *copy)
{
	const veto_receipt *list[3] = {r, copy, NULL};
	unsigned flags[3] = {7, 7, 7};
	veto_status st = veto_receipt_chain(flags, NULL, list, 3);
	FZ_CHECK(st == VETO_OK || st == VETO_E_NOMEM);
	if (st != VETO_OK)
		return;
	int writes = veto_receipt_state_after(r, NULL);
	const char *decision = veto_receipt_decision(r);
	int idle = !writes && decision != NULL && strcmp(decision, "refuse") == 0;
	unsigned want = 0;
	if (!idle && veto_receipt_state_before(r, NULL))
		want |= VETO_LINK_GAP;
	if (writes)
		want |= VETO_LINK_FORK;
	FZ_CHECK(flags[0] == 0 && flags[2] == 0 && flags[1] == want);
	st = veto_receipt_chain(flags, NULL, list + 1, 2);
	FZ_CHECK(st == VETO_E_NOMEM || (st == VETO_OK && flags[0] == 0 && flags[1] == 0));
}

static void read_signed(const fz_world *w, const uint8_t *data, size_t size)
{
	tw_str env = {0};
	veto_receipt *r = NULL, *copy = NULL;
	veto_diag d;
	if (!tw_envelope_by(&env, VETO_TYPE_RECEIPT, data, size, &w->device))
		return; /* out of memory in the harness */
	memset(&d, 0, sizeof d);
	veto_status st = veto_receipt_read(&r, &d, NULL, (const uint8_t *)env.s, env.len,
	                                   w->device.pk);
	FZ_CHECK(st == VETO_OK || st == VETO_E_MALFORMED || st == VETO_E_LIMIT ||
	         st == VETO_E_NOMEM);
	FZ_CHECK((st == VETO_OK) == (r != NULL));
	FZ_CHECK(st == VETO_OK || st == VETO_E_NOMEM || d.detail[0] != '\0');
	if (st == VETO_OK) {
		accessors_check(r, data, size);
		st = veto_receipt_read(&copy, NULL, NULL, (const uint8_t *)env.s, env.len,
		                       w->device.pk);
		FZ_CHECK(st == VETO_OK || st == VETO_E_NOMEM);
		if (st == VETO_OK)
			chain_check(r, copy);
		/* another key's view: the same bytes do not verify */
		veto_receipt *other = NULL;
		FZ_CHECK(veto_receipt_read(&other, NULL, NULL, (const uint8_t *)env.s, env.len,
		                           w->owner.pk) == VETO_REFUSED);
		FZ_CHECK(other == NULL);
	}
	veto_receipt_free(copy);
	veto_receipt_free(r);
	tw_str_free(&env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const fz_world *w = fz_get();
	veto_receipt *r = NULL;
	veto_status st = veto_receipt_read(&r, NULL, NULL, data, size, w->device.pk);
	FZ_CHECK(st != VETO_E_ARG && st != VETO_E_KEY && (st == VETO_OK) == (r != NULL));
	if (st == VETO_OK) {
		size_t len = 0;
		FZ_CHECK(veto_receipt_payload_json(r, &len) != NULL);
	}
	veto_receipt_free(r);
	read_signed(w, data, size);
	return 0;
}
