/* SPDX-License-Identifier: Apache-2.0 */
/* The public header alone, first and only, in strict C11. */
#include "veto.h"

int main(void)
{
	veto_report r;
	veto_report_init(&r, NULL);
	int ok = veto_publickeybytes() == VETO_PUBLICKEYBYTES && veto_report_accepted(&r);
	veto_report_clear(&r);
	return ok ? 0 : 1;
}
