/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_state.c - the installed-state document (veto_state_parse and
 * veto_state_format).
 *
 * Invariants: a state that parses formats to a text that parses again and
 * formats to the identical text (a state written by the library is read
 * back as the same state); a state that does not parse is reported as
 * malformed-state, with no state handed back.
 */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	veto_state *s = NULL;
	veto_report rep;
	veto_status st;

	(void)fz_get();
	veto_report_init(&rep, NULL);
	st = veto_state_parse(&s, &rep, NULL, data, size);
	size_t refusals = fz_report_check(&rep);
	if (st == VETO_OK) {
		uint64_t serial = 0;
		FZ_CHECK(s != NULL);
		FZ_CHECK(refusals == 0);
		FZ_CHECK(veto_state_vendor(s) != NULL && veto_state_model(s) != NULL);
		for (size_t i = 0; i < veto_state_feature_count(s); i++)
			FZ_CHECK(veto_state_feature(s, i) != NULL);
		FZ_CHECK(veto_state_feature(s, veto_state_feature_count(s)) == NULL);
		(void)veto_state_policy_serial(s, &serial);
		fz_state_roundtrip(s);
	} else {
		FZ_CHECK(s == NULL);
		FZ_CHECK(st == VETO_E_MALFORMED || st == VETO_E_KEY || st == VETO_E_LIMIT ||
		         st == VETO_E_NOMEM);
		/* Never a silent failure: the report says the state is bad. */
		FZ_CHECK(st == VETO_E_NOMEM || fz_report_has(&rep, VETO_R_MALFORMED_STATE) ||
		         fz_report_has(&rep, VETO_R_MALFORMED_ANCHOR));
	}
	veto_state_free(s);
	veto_report_clear(&rep);
	return 0;
}
