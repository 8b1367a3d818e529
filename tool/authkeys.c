/* SPDX-License-Identifier: Apache-2.0 */
/* Keys for the authoring commands: see authkeys.h. */
#include "authkeys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "import.h"
#include "jsonout.h"

cJSON *key_entry_new(const auth_pk pk)
{
	char *text = NULL;
	size_t len = 0;
	if (veto_pubkey_format(&text, &len, NULL, pk) != VETO_OK)
		return NULL;
	cJSON *file = cJSON_ParseWithLength(text, len);
	veto_free(NULL, text);
	const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(file, "ed25519");
	cJSON *entry = cJSON_CreateObject();
	if (entry != NULL &&
	    (!cJSON_IsString(b64) || cJSON_AddStringToObject(entry, "ed25519", b64->valuestring) == NULL)) {
		cJSON_Delete(entry);
		entry = NULL;
	}
	cJSON_Delete(file);
	return entry;
}

/* The key of one key map entry: its text put back into the shape of a
 * veto .pub file, so that the library checks the key and its keyid. */
static veto_status entry_key(auth_pk pk, const char *keyid, const cJSON *entry)
{
	const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(entry, "ed25519");
	if (!cJSON_IsString(b64))
		return VETO_E_MALFORMED;
	char doc[256];
	int n = snprintf(doc, sizeof doc, "{\"keyid\": \"%s\", \"ed25519\": \"%s\"}", keyid,
	                 b64->valuestring);
	if (n < 0 || (size_t)n >= sizeof doc)
		return VETO_E_MALFORMED;
	return veto_pubkey_parse(pk, NULL, (const uint8_t *)doc, (size_t)n);
}

static bool listed(const cJSON *only, const char *keyid)
{
	const cJSON *k;
	cJSON_ArrayForEach(k, only)
	{
		if (cJSON_IsString(k) && strcmp(k->valuestring, keyid) == 0)
			return true;
	}
	return false;
}

veto_status keys_from_map(auth_pk **out, size_t *n, const cJSON *map, const cJSON *only)
{
	*n = 0;
	*out = calloc((size_t)cJSON_GetArraySize(map) + 1, sizeof **out);
	if (*out == NULL)
		return VETO_E_NOMEM;
	const cJSON *entry;
	cJSON_ArrayForEach(entry, map)
	{
		if (only != NULL && !listed(only, entry->string))
			continue;
		veto_status s = entry_key((*out)[*n], entry->string, entry);
		if (s != VETO_OK)
			return s;
		(*n)++;
	}
	return VETO_OK;
}

bool owner_role_of(const cJSON *policy, owner_role *r)
{
	const cJSON *roles = cJSON_GetObjectItemCaseSensitive(policy, "roles");
	const cJSON *owner = cJSON_GetObjectItemCaseSensitive(roles, "owner");
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(owner, "keys");
	const cJSON *thr = cJSON_GetObjectItemCaseSensitive(owner, "threshold");
	if (!cJSON_IsArray(keys) || !cJSON_IsNumber(thr) || thr->valuedouble < 1)
		return false;
	r->keyids = keys;
	r->threshold = (uint64_t)thr->valuedouble;
	return true;
}

/* Whether some signature of e is pk's and verifies. */
static bool signed_by(const veto_envelope *e, const auth_pk pk)
{
	for (size_t i = 0; i < veto_envelope_sig_count(e); i++)
		if (veto_envelope_sig_verifies(e, i, pk))
			return true;
	return false;
}

void count_owner_signers(const veto_envelope *e, const auth_pk *trusted, size_t n,
                         const owner_role *r, size_t *count)
{
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		char keyid[VETO_KEYIDCHARS + 1];
		bool repeat = false;
		for (size_t j = 0; j < i && !repeat; j++)
			repeat = memcmp(trusted[i], trusted[j], sizeof(auth_pk)) == 0;
		if (repeat || veto_keyid(keyid, trusted[i]) != VETO_OK || !listed(r->keyids, keyid))
			continue;
		if (signed_by(e, trusted[i]))
			(*count)++;
	}
}

/* The payload of e parsed by the library (every rule of a policy), then
 * into a tree for reading. */
static tool_exit policy_tree(const char *path, const veto_envelope *e, cJSON **tree)
{
	size_t len = 0;
	const uint8_t *payload = veto_envelope_payload(e, &len);
	if (strcmp(veto_envelope_type(e), VETO_TYPE_POLICY) != 0) {
		tool_err("%s: not a policy envelope (its payload type is another)", shown_name(path));
		return EXIT_TROUBLE;
	}
	uint8_t(*keys)[VETO_PUBLICKEYBYTES] = NULL;
	size_t n_keys = 0;
	veto_diag d = {{0}};
	veto_status s = veto_policy_declared_keys(&keys, &n_keys, &d, NULL, payload, len);
	veto_free(NULL, keys);
	if (s != VETO_OK) {
		tool_err("%s: its payload is not a valid policy: %s", shown_name(path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
		return EXIT_TROUBLE;
	}
	*tree = cJSON_ParseWithLength((const char *)payload, len);
	if (*tree == NULL) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

tool_exit read_policy_envelope(const char *path, veto_envelope **e, cJSON **tree)
{
	uint8_t *doc = NULL;
	size_t len;
	*e = NULL;
	*tree = NULL;
	if (read_document(path, ", the limit of an envelope", &doc, &len) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	veto_diag d = {{0}};
	veto_status s = veto_envelope_parse(e, &d, NULL, doc, len);
	free(doc);
	if (s != VETO_OK) {
		*e = NULL;
		tool_err("%s: not a signed policy (a DSSE envelope): %s", shown_name(path),
		         d.detail[0] != '\0' ? d.detail : veto_strerror(s));
		return EXIT_TROUBLE;
	}
	return policy_tree(path, *e, tree);
}

cJSON *device_new(const char *text)
{
	const char *slash = strchr(text, '/');
	if (slash == NULL || slash == text || slash[1] == '\0' || strchr(slash + 1, '/') != NULL) {
		tool_usage("--device takes VENDOR/MODEL, as in acme/thermo-2 (got '%s')", text);
		return NULL;
	}
	cJSON *dev = cJSON_CreateObject();
	char vendor[128];
	size_t vlen = (size_t)(slash - text);
	if (vlen >= sizeof vendor) {
		tool_usage("--device: the vendor name is longer than 64 characters");
		cJSON_Delete(dev);
		return NULL;
	}
	memcpy(vendor, text, vlen);
	vendor[vlen] = '\0';
	if (dev == NULL || cJSON_AddStringToObject(dev, "vendor", vendor) == NULL ||
	    cJSON_AddStringToObject(dev, "model", slash + 1) == NULL) {
		tool_err("out of memory");
		cJSON_Delete(dev);
		return NULL;
	}
	return dev;
}

tool_exit add_key_file(cJSON *map, cJSON *keyids, const char *path, const char *what)
{
	auth_pk pk;
	char keyid[VETO_KEYIDCHARS + 1];
	if (read_any_public_key(path, pk) != EXIT_ACCEPT)
		return EXIT_TROUBLE;
	if (veto_keyid(keyid, pk) != VETO_OK)
		return tool_fail("compute a keyid", VETO_E_CRYPTO);
	if (listed(keyids, keyid)) {
		tool_err("%s: this key is given twice for %s (a threshold counts distinct keys)",
		         shown_name(path), what);
		return EXIT_TROUBLE;
	}
	cJSON *entry = cJSON_GetObjectItemCaseSensitive(map, keyid) == NULL ? key_entry_new(pk)
	                                                                   : NULL;
	bool ok = cJSON_AddItemToArray(keyids, cJSON_CreateString(keyid));
	if (ok && entry != NULL)
		ok = cJSON_AddItemToObject(map, keyid, entry);
	if (!ok) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	return EXIT_ACCEPT;
}

const char *diag_text(const veto_diag *d, veto_status s)
{
	return d->detail[0] != '\0' ? d->detail : veto_strerror(s);
}

tool_exit write_json(const char *out, const cJSON *doc)
{
	size_t len = 0;
	char *text = json_layout(doc, &len);
	if (text == NULL) {
		tool_err("out of memory");
		return EXIT_TROUBLE;
	}
	tool_exit rc = write_output(out, text, len, -1);
	free(text);
	return rc;
}
