/* SPDX-License-Identifier: Apache-2.0 */
#include "crypto.h"
#include "veto.h"

veto_status veto_init(void)
{
	return veto__cr_init();
}

size_t veto_publickeybytes(void)
{
	return VETO_PUBLICKEYBYTES;
}

size_t veto_seedbytes(void)
{
	return VETO_SEEDBYTES;
}

size_t veto_sigbytes(void)
{
	return VETO_SIGBYTES;
}
