/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_update.c - update envelopes and manifests.
 *
 * The input is an update envelope, checked with veto_check_begin against a
 * fixed state that trusts a fixed owner policy, so that a validly signed
 * update (the seed corpus holds some) reaches the manifest and the
 * decision; then, when its manifest was read, as a vendor's pre-flight
 * against the same policy.  No image is fed.
 *
 * Invariants: finish gives VETO_OK exactly when there is no refusal, with
 * the image-unchecked notice; a second finish is a sequence error; a
 * decision made without the image never commits.
 */
#include <string.h>

#include "fuzz.h"

static void finish_and_check(veto_check *c, const veto_report *rep, int has_state)
{
	veto_image_digests dig;
	veto_state *next = (veto_state *)1;
	veto_status st;

	/* Committing before the decision is finished is out of sequence. */
	if (has_state) {
		FZ_CHECK(veto_check_commit(&next, c) == VETO_E_SEQUENCE);
		FZ_CHECK(next == NULL);
	}
	st = veto_check_finish(c, &dig);
	size_t refusals = fz_report_check(rep);
	FZ_CHECK(st == VETO_OK || st == VETO_REFUSED || st == VETO_E_NOMEM);
	if (st == VETO_OK) {
		FZ_CHECK(refusals == 0);
		FZ_CHECK(fz_report_has(rep, VETO_N_IMAGE_UNCHECKED));
		FZ_CHECK(dig.size == 0 && !dig.has_sha256 && !dig.has_blake2b);
	} else if (st == VETO_REFUSED) {
		FZ_CHECK(refusals > 0);
	}
	FZ_CHECK(veto_check_finish(c, &dig) == VETO_E_SEQUENCE);
	FZ_CHECK(veto_check_image(c, (const uint8_t *)"", 0) == VETO_E_SEQUENCE);

	/* No image was checked: nothing may be committed, accepted or not. */
	next = (veto_state *)1;
	st = veto_check_commit(&next, c);
	FZ_CHECK(st != VETO_OK);
	FZ_CHECK(next == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const fz_world *w = fz_get();
	veto_check *c = NULL;
	veto_preflight *pf = NULL;
	veto_report rep;
	veto_status st;

	veto_report_init(&rep, NULL);
	st = veto_check_begin(&c, &rep, NULL, w->state1, NULL, 0, data, size, w->now);
	FZ_CHECK(st == VETO_OK || st == VETO_E_NOMEM);
	if (st == VETO_OK) {
		FZ_CHECK(c != NULL);
		finish_and_check(c, &rep, 1);
	} else {
		FZ_CHECK(c == NULL);
	}
	/* The pre-flight trusts its policy afresh on every call (a signature
	 * check that costs more than the rest): only worth it when the
	 * manifest was read, which the pre-flight then evaluates on its own
	 * empty installed state. */
	int manifest_read = st == VETO_OK && !fz_report_has(&rep, VETO_R_UPDATE_UNTRUSTED) &&
	           !fz_report_has(&rep, VETO_R_MALFORMED_UPDATE) &&
	           !fz_report_has(&rep, VETO_R_UPDATE_TYPE);
	veto_check_free(c);
	veto_report_clear(&rep);
	if (!manifest_read)
		return 0;

	/* The vendor's view: the same update against the published policy. */
	c = NULL;
	veto_report_init(&rep, NULL);
	st = veto_preflight_new(&pf, NULL, data, size);
	FZ_CHECK(st == VETO_OK || st == VETO_E_NOMEM);
	if (st == VETO_OK) {
		st = veto_preflight_check(&c, &rep, pf, (const uint8_t *)w->policy, w->policy_len,
		                          w->now);
		FZ_CHECK(st == VETO_OK || st == VETO_E_NOMEM);
		if (st == VETO_OK)
			finish_and_check(c, &rep, 0);
		else
			FZ_CHECK(c == NULL);
	}
	veto_check_free(c);
	veto_preflight_free(pf);
	veto_report_clear(&rep);
	return 0;
}
