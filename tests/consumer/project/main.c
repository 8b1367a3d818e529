/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A program another project would write: it sees <veto.h> and nothing else
 * of veto's (no cJSON or libsodium header).  It enrols a device from a trust
 * anchor, which takes the library's key check (libsodium) and its JSON
 * parser (cJSON), and prints what the state holds.
 */
#include <stdio.h>
#include <string.h>

#include <veto.h>

/* RFC 8032, test 1: a public key. */
static const uint8_t owner_pk[VETO_PUBLICKEYBYTES] = {
    0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
    0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
};

int main(void)
{
	static const char *const features[] = {"local-control"};
	char keyid[VETO_KEYIDCHARS + 1];
	char anchor[512];
	veto_report rep;
	veto_state *s = NULL;
	veto_status st;
	int n;

	if (veto_init() != VETO_OK || veto_key_check(owner_pk) != VETO_OK ||
	    veto_keyid(keyid, owner_pk) != VETO_OK)
		return 1;
	n = snprintf(anchor, sizeof anchor,
	             "{\"device\": {\"vendor\": \"acme\", \"model\": \"thermo-2\"},"
	             " \"keys\": {\"%s\": {\"ed25519\": \"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"}},"
	             " \"threshold\": 1}",
	             keyid);
	if (n < 0 || (size_t)n >= sizeof anchor)
		return 1;
	veto_report_init(&rep, NULL);
	st = veto_state_from_anchor(&s, &rep, NULL, (const uint8_t *)anchor, (size_t)n, 1, features,
	                            1);
	if (st == VETO_OK)
		printf("consumer: enrolled %s/%s\n", veto_state_vendor(s), veto_state_model(s));
	else
		printf("consumer: enrolment failed: %s\n", veto_strerror(st));
	veto_state_free(s);
	veto_report_clear(&rep);
	return st == VETO_OK ? 0 : 1;
}
