/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_envelope.c - DSSE envelope parsing (veto_envelope_parse).
 *
 * The input is an envelope.  Invariants: a parsed envelope has a type, a
 * payload and at most the limit of signatures, each with a 64-character
 * lowercase hex keyid; a failure leaves *out NULL and says why in the diag;
 * and lowering the limits can only refuse more, never accept something the
 * contract's limits refuse.
 */
#include <string.h>

#include "fuzz.h"

static int lower_hex64(const char *s)
{
	if (s == NULL || strlen(s) != VETO_KEYIDCHARS)
		return 0;
	for (size_t i = 0; i < VETO_KEYIDCHARS; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static void check_parsed(const veto_envelope *e, unsigned max_sigs)
{
	const fz_world *w = fz_get();
	const uint8_t *payload;
	size_t len = 0;
	size_t n;

	FZ_CHECK(e != NULL);
	FZ_CHECK(veto_envelope_type(e) != NULL);
	payload = veto_envelope_payload(e, &len);
	FZ_CHECK(payload != NULL || len == 0);
	n = veto_envelope_sig_count(e);
	FZ_CHECK(n <= max_sigs);
	for (size_t i = 0; i < n; i++) {
		const char *keyid = veto_envelope_sig_keyid(e, i);
		FZ_CHECK(lower_hex64(keyid));
		/* A signature verifies only for the key its keyid names. */
		int by_owner = veto_envelope_sig_verifies(e, i, w->owner.pk);
		int by_vendor = veto_envelope_sig_verifies(e, i, w->vendor.pk);
		FZ_CHECK(by_owner == 0 || strcmp(keyid, w->owner.keyid) == 0);
		FZ_CHECK(by_vendor == 0 || strcmp(keyid, w->vendor.keyid) == 0);
	}
	FZ_CHECK(veto_envelope_sig_keyid(e, n) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	veto_envelope *e = NULL, *small = NULL;
	veto_diag d;
	veto_status st, st_small;
	veto_config lim;

	(void)fz_get();
	memset(&d, 0, sizeof d);
	st = veto_envelope_parse(&e, &d, NULL, data, size);
	FZ_CHECK(memchr(d.detail, '\0', sizeof d.detail) != NULL);
	if (st == VETO_OK) {
		check_parsed(e, VETO_MAX_SIGNATURES);
	} else {
		FZ_CHECK(e == NULL);
		FZ_CHECK(st == VETO_E_MALFORMED || st == VETO_E_LIMIT || st == VETO_E_NOMEM);
		FZ_CHECK(st == VETO_E_NOMEM || d.detail[0] != '\0');
	}

	memset(&lim, 0, sizeof lim);
	lim.max_envelope = 4096;
	lim.max_signatures = 2;
	lim.max_depth = 3;
	memset(&d, 0, sizeof d);
	st_small = veto_envelope_parse(&small, &d, &lim, data, size);
	if (st_small == VETO_OK) {
		size_t a = 0, b = 0;
		check_parsed(small, 2);
		FZ_CHECK(st == VETO_OK);
		FZ_CHECK(strcmp(veto_envelope_type(small), veto_envelope_type(e)) == 0);
		const uint8_t *pa = veto_envelope_payload(small, &a);
		const uint8_t *pb = veto_envelope_payload(e, &b);
		FZ_CHECK(a == b && (a == 0 || memcmp(pa, pb, a) == 0));
		FZ_CHECK(veto_envelope_sig_count(small) == veto_envelope_sig_count(e));
	} else {
		FZ_CHECK(small == NULL);
	}
	veto_envelope_free(small);
	veto_envelope_free(e);
	return 0;
}
