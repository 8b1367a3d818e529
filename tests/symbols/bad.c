/* SPDX-License-Identifier: Apache-2.0 */
/* A negative control for check-symbols.sh: one prefixed and one
 * unprefixed global function. */
int veto_control_prefixed(void);
int control_unprefixed(void);

int veto_control_prefixed(void)
{
	return 1;
}

int control_unprefixed(void)
{
	return 2;
}
