// SPDX-License-Identifier: Apache-2.0
// The public header alone, from C++: names, linkage and types must work there.
#include "veto.h"

int main()
{
	veto_config cfg = {};
	veto_report r;
	veto_report_init(&r, &cfg);
	const bool ok = veto_seedbytes() == VETO_SEEDBYTES &&
	                veto_code_name(VETO_R_ROLLBACK)[0] == 'r' && veto_report_accepted(&r);
	veto_report_clear(&r);
	return ok ? 0 : 1;
}
