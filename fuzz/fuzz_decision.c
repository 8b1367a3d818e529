/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_decision.c - the whole decision: trust, update, image, finish,
 * commit.
 *
 * One input holds four parts, framed so that the fuzzer can grow or shrink
 * each one on its own:
 *   u32le len, policy bytes   (empty: no policy handed in, the state's governs)
 *   u32le len, update bytes
 *   u32le len, state bytes    (empty: the fixed state made from the anchor)
 *   image bytes               (the rest; fed in two chunks)
 * A length past the end takes what is left.  fuzz/seed.c writes inputs in
 * this framing.
 *
 * Invariants: finish gives VETO_OK exactly when there is no refusal;
 * commit succeeds exactly after an accepted, finished decision with the
 * image checked, and the state it gives round-trips and runs the update.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"

static size_t take(const uint8_t **part, const uint8_t **data, size_t *size)
{
	size_t len;

	if (*size < 4) {
		*part = *data;
		len = *size;
	} else {
		len = (size_t)(*data)[0] | (size_t)(*data)[1] << 8 | (size_t)(*data)[2] << 16 |
		      (size_t)(*data)[3] << 24;
		*data += 4;
		*size -= 4;
		*part = *data;
		if (len > *size)
			len = *size;
	}
	*data += len;
	*size -= len;
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const fz_world *w = fz_get();
	const uint8_t *policy, *update, *state_text;
	size_t policy_len, update_len, state_len;
	veto_state *parsed = NULL, *next = NULL;
	const veto_state *state = w->state0;
	veto_check *c = NULL;
	veto_report rep;
	veto_image_digests dig;
	veto_bytes pol;
	veto_status st;

	policy_len = take(&policy, &data, &size);
	update_len = take(&update, &data, &size);
	state_len = take(&state_text, &data, &size);

	veto_report_init(&rep, NULL);
	if (state_len > 0) {
		st = veto_state_parse(&parsed, &rep, NULL, state_text, state_len);
		if (st != VETO_OK) {
			FZ_CHECK(parsed == NULL);
			goto done;
		}
		state = parsed;
		veto_report_clear(&rep);
	}

	pol.ptr = policy;
	pol.len = policy_len;
	/* (1.1) a local wall clock an hour ahead, or none, by the update's
	 * length, so that local windows see both */
	veto_when when = {.now = w->now, .has_local_time = (int)(update_len & 1U), .local_time = w->now + 3600};
	st = veto_check_begin_at(&c, &rep, NULL, state, &pol, policy_len ? 1 : 0, update,
	                         update_len, &when);
	if (st != VETO_OK) {
		FZ_CHECK(c == NULL);
		FZ_CHECK(st == VETO_E_NO_POLICY || st == VETO_E_NOMEM);
		FZ_CHECK(st != VETO_E_NO_POLICY || policy_len == 0);
		goto done;
	}
	FZ_CHECK(c != NULL);

	/* The image in two chunks: the hash is a stream. */
	size_t half = size / 2;
	FZ_CHECK(veto_check_image(c, data, half) == VETO_OK);
	FZ_CHECK(veto_check_image(c, data + half, size - half) == VETO_OK);
	/* Once the check wants no more of the image, more bytes are taken and
	 * ignored: an accept below still needs the image's exact size. */
	bool stopped = !veto_check_wants_image(c);
	if (stopped)
		FZ_CHECK(veto_check_image(c, data, size) == VETO_OK);
	st = veto_check_finish(c, &dig);
	FZ_CHECK(!veto_check_wants_image(c));
	FZ_CHECK(st != VETO_OK || !stopped);
	size_t refusals = fz_report_check(&rep);
	FZ_CHECK(st == VETO_OK || st == VETO_REFUSED || st == VETO_E_NOMEM);
	FZ_CHECK(st != VETO_OK || refusals == 0);
	FZ_CHECK(st != VETO_REFUSED || refusals > 0);
	/* The image was given: it was checked, never "unchecked". */
	FZ_CHECK(!fz_report_has(&rep, VETO_N_IMAGE_UNCHECKED));
	if (st == VETO_OK)
		FZ_CHECK(dig.size == size && (dig.has_sha256 || dig.has_blake2b));

	veto_status fin = st;
	st = veto_check_commit(&next, c);
	if (fin == VETO_OK && st != VETO_E_NOMEM) {
		/* Accepted and image checked: commit must work. */
		FZ_CHECK(st == VETO_OK);
		FZ_CHECK(next != NULL);
		FZ_CHECK(veto_state_policy_serial(next, &(uint64_t){0}) == 1);
		/* (1.1) a consented downgrade lowers the counter, never the
		 * high-water mark */
		FZ_CHECK(veto_state_counter_max(next) >= veto_state_counter_max(state));
		FZ_CHECK(veto_state_counter_max(next) >= veto_state_security_counter(next));
		FZ_CHECK(veto_state_security_counter(next) >= veto_state_security_counter(state) ||
		         fz_report_has(&rep, VETO_N_ROLLBACK_WAIVED));
		fz_state_roundtrip(next);
	} else {
		FZ_CHECK(st != VETO_OK);
		FZ_CHECK(next == NULL);
	}
	/* Once committed or refused, the check cannot be fed or finished again. */
	FZ_CHECK(veto_check_finish(c, NULL) == VETO_E_SEQUENCE);

done:
	(void)fz_report_check(&rep);
	veto_state_free(next);
	veto_check_free(c);
	veto_state_free(parsed);
	veto_report_clear(&rep);
	return 0;
}
