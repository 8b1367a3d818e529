/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_policy.c - policy parsing and trust.
 *
 * The input is a policy envelope, trusted with veto_trust against a fixed
 * state that already trusts the fixed serial-1 policy (rotation, rollback,
 * equivocation) and, when only its serial was refused, against the state
 * made from the trust anchor alone (the first trust, as at enrolment).
 * veto_policy_declared_keys reads the raw input as a payload, and the
 * envelope's payload when it parses.
 *
 * Invariants: VETO_OK comes with a new state and no refusal; VETO_REFUSED
 * with no state and at least one refusal; a trusted state's document
 * round-trips; declared keys are valid keys.
 */
#include <string.h>

#include "fuzz.h"

/* Returns 1 when the policy was refused for its serial alone. */
static int trust_one(const veto_state *from, const uint8_t *data, size_t size)
{
	const fz_world *w = fz_get();
	veto_state *out = NULL;
	veto_report rep;
	veto_bytes pol = {data, size};
	veto_status st;

	veto_report_init(&rep, NULL);
	st = veto_trust(&out, &rep, NULL, from, &pol, 1, w->now);
	size_t refusals = fz_report_check(&rep);
	if (st == VETO_OK) {
		FZ_CHECK(out != NULL);
		FZ_CHECK(refusals == 0);
		uint64_t serial = 0;
		FZ_CHECK(veto_state_policy_serial(out, &serial) == 1);
		/* Trust never changes what the device runs. */
		FZ_CHECK(veto_state_security_counter(out) == veto_state_security_counter(from));
		FZ_CHECK(veto_state_feature_count(out) == veto_state_feature_count(from));
		/* (1.1) nor its high-water mark; a floor is never ahead of now */
		FZ_CHECK(veto_state_counter_max(out) == veto_state_counter_max(from));
		int64_t floor = 0;
		FZ_CHECK(!veto_state_time_floor(out, &floor) || floor <= w->now);
		fz_state_roundtrip(out);
	} else {
		FZ_CHECK(out == NULL);
		FZ_CHECK(st == VETO_REFUSED || st == VETO_E_NOMEM);
		FZ_CHECK(st != VETO_REFUSED || refusals > 0);
	}
	int serial_only = st == VETO_REFUSED && refusals == 1 &&
	                  (fz_report_has(&rep, VETO_R_POLICY_ROLLBACK) ||
	                   fz_report_has(&rep, VETO_R_POLICY_EQUIVOCATION));
	veto_state_free(out);
	veto_report_clear(&rep);
	return serial_only;
}

static void declared(const uint8_t *payload, size_t len)
{
	uint8_t (*keys)[VETO_PUBLICKEYBYTES] = NULL;
	size_t n = 0;
	veto_diag d;
	veto_status st;

	memset(&d, 0, sizeof d);
	st = veto_policy_declared_keys(&keys, &n, &d, NULL, payload, len);
	if (st == VETO_OK) {
		FZ_CHECK(n <= VETO_MAX_KEYS);
		FZ_CHECK(n == 0 || keys != NULL);
		for (size_t i = 0; i < n; i++)
			FZ_CHECK(veto_key_check(keys[i]) == VETO_OK);
	} else {
		FZ_CHECK(keys == NULL);
	}
	FZ_CHECK(memchr(d.detail, '\0', sizeof d.detail) != NULL);
	veto_free(NULL, keys);
	/* (1.1) the summary reads the same payloads as valid */
	char *text = NULL;
	size_t text_len = 0;
	veto_status sum = veto_policy_summary(&text, &text_len, NULL, NULL, payload, len);
	FZ_CHECK((sum == VETO_OK) == (st == VETO_OK) || sum == VETO_E_NOMEM || st == VETO_E_NOMEM);
	FZ_CHECK(sum != VETO_OK || (text != NULL && strlen(text) == text_len));
	veto_free(NULL, text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const fz_world *w = fz_get();
	veto_envelope *e = NULL;
	veto_diag d;

	/* Against the trusted serial-1 policy first; each trust checks
	 * signatures, so the first trust from the anchor alone is tried only
	 * for a policy whose serial was all that stood in the way. */
	if (trust_one(w->state1, data, size))
		(void)trust_one(w->state0, data, size);

	declared(data, size);
	memset(&d, 0, sizeof d);
	if (veto_envelope_parse(&e, &d, NULL, data, size) == VETO_OK) {
		size_t len = 0;
		const uint8_t *payload = veto_envelope_payload(e, &len);
		declared(payload, len);
	}
	veto_envelope_free(e);
	return 0;
}
