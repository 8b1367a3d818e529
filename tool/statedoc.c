/* SPDX-License-Identifier: Apache-2.0 */
#include "statedoc.h"

#include <stdlib.h>
#include <string.h>

#include <veto.h>

cJSON *statedoc_policy_payload(const cJSON *state_doc)
{
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(state_doc, "policy");
	if (!cJSON_IsObject(env))
		return NULL;
	cJSON *payload = NULL;
	char *etext = cJSON_PrintUnformatted(env);
	veto_envelope *e = NULL;
	size_t plen = 0;
	if (etext != NULL &&
	    veto_envelope_parse(&e, NULL, NULL, (const uint8_t *)etext, strlen(etext)) == VETO_OK) {
		/* Two statements: the length is known only once the payload is
		 * fetched (the order of a call's arguments is unspecified). */
		const char *text = (const char *)veto_envelope_payload(e, &plen);
		payload = cJSON_ParseWithLength(text, plen);
	}
	veto_envelope_free(e);
	free(etext);
	return payload;
}
