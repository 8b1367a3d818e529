/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "crypto.h"
#include "json.h"
#include "policy.h"
#include "update.h"

int feat_find(const vfeat *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0)
			return (int)i;
	return -1;
}

int feat_list_from_json(veto_diag *d, vfeat **out, size_t *n_out, const veto_config *cfg,
                        const cJSON *arr, const char *where, int names_only)
{
	size_t n;
	*out = NULL;
	*n_out = 0;
	if (js_array(d, &n, arr, where, VETO_MAX_FEATURES) != 0)
		return -1;
	vfeat *list = vx_calloc(cfg, n ? n : 1, sizeof(*list));
	if (list == NULL)
		return -2;
	size_t i = 0;
	for (const cJSON *c = arr->child; c != NULL; c = c->next, i++) {
		const char *s;
		size_t len;
		if (js_str(d, &s, &len, c, where, 1, VETO_FEATURE_MAX) != 0)
			goto fail;
		int ok = names_only ? feat_name_ok(s, len) : feat_parse_offered(&list[i], s, len) == 0;
		if (!ok) {
			diag_set(d, "%s: \"%.80s\" is not %s", where, s,
			         names_only ? "a feature name" : "\"name\" or \"name@VERSION\"");
			goto fail;
		}
		if (names_only)
			memcpy(list[i].name, s, len + 1);
		if (feat_find(list, i, list[i].name) >= 0) {
			diag_set(d, "%s: \"%s\" appears twice", where, list[i].name);
			goto fail;
		}
	}
	*out = list;
	*n_out = n;
	return 0;
fail:
	vx_free(cfg, list);
	return -1;
}

static int digest_member(veto_diag *d, uint8_t out[32], int *has, const cJSON *item,
                         const char *where)
{
	const char *s;
	size_t len;
	if (item == NULL)
		return 0;
	if (js_str(d, &s, &len, item, where, 1, 128) != 0 || hex_decode(out, 32, s, len) != 0) {
		diag_set(d, "%s: not 64 lowercase hex digits", where);
		return -1;
	}
	*has = 1;
	return 0;
}

static int update_from_json(veto_diag *d, vupdate *u, const veto_config *cfg, const cJSON *root)
{
	static const char *const members[] = {"format", "vendor", "model", "version",
	                                      "security_counter", "image", "features",
	                                      /* optional */ "removes", "released"};
	static const char *const image_members[] = {"size", "sha256", "blake2b-256"};
	const char *s;
	size_t len;
	int rc;
	if (js_members(d, root, "update", members, 9, 7) != 0)
		return -1;
	if (js_str(d, &s, NULL, js_get(root, "format"), "format", 1, 64) != 0)
		return -1;
	if (strcmp(s, "veto.update/1") != 0) {
		diag_set(d, "format: \"%.64s\" is not \"veto.update/1\"", s);
		return -1;
	}
	if (js_str(d, &s, &len, js_get(root, "vendor"), "vendor", 1, 64) != 0)
		return -1;
	if (!ident_ok(s, len)) {
		diag_set(d, "vendor: \"%.64s\" is not a vendor name ([a-z0-9][a-z0-9._-]{0,63})", s);
		return -1;
	}
	memcpy(u->vendor, s, len + 1);
	if (js_str(d, &s, &len, js_get(root, "model"), "model", 1, 64) != 0)
		return -1;
	if (!ident_ok(s, len)) {
		diag_set(d, "model: \"%.64s\" is not a model name ([a-z0-9][a-z0-9._-]{0,63})", s);
		return -1;
	}
	memcpy(u->model, s, len + 1);
	if (js_str(d, &s, &len, js_get(root, "version"), "version", 1, 64) != 0)
		return -1;
	memcpy(u->version, s, len + 1);
	if (js_u53(d, &u->counter, js_get(root, "security_counter"), "security_counter") != 0)
		return -1;

	const cJSON *image = js_get(root, "image");
	if (js_members(d, image, "image", image_members, 3, 1) != 0 ||
	    js_u53(d, &u->size, js_get(image, "size"), "image.size") != 0 ||
	    digest_member(d, u->sha256, &u->has_sha256, js_get(image, "sha256"), "image.sha256") ||
	    digest_member(d, u->blake2b, &u->has_blake2b, js_get(image, "blake2b-256"),
	                  "image.blake2b-256"))
		return -1;
	if (!u->has_sha256 && !u->has_blake2b) {
		diag_set(d, "image: carries no digest (sha256 or blake2b-256)");
		return -1;
	}
	if ((rc = feat_list_from_json(d, &u->features, &u->n_features, cfg, js_get(root, "features"),
	                              "features", 0)) != 0)
		return rc;
	const cJSON *it;
	if ((it = js_get(root, "removes")) != NULL &&
	    (rc = feat_list_from_json(d, &u->removes, &u->n_removes, cfg, it, "removes", 1)) != 0)
		return rc;
	if ((it = js_get(root, "released")) != NULL) {
		if (js_str(d, &s, &len, it, "released", 20, 20) != 0 ||
		    veto_time_parse(&u->released, s, len) != VETO_OK) {
			diag_set(d, "released: not a time of the form YYYY-MM-DDTHH:MM:SSZ");
			return -1;
		}
		u->has_released = 1;
	}
	return 0;
}

veto_status update_parse(vupdate *u, veto_diag *d, const veto_config *cfg,
                         const uint8_t *payload, size_t len)
{
	cJSON *root;
	memset(u, 0, sizeof(*u));
	veto_status st = js_parse(&root, d, cfg, payload, len, cfg->max_depth);
	if (st != VETO_OK)
		return st;
	int rc = update_from_json(d, u, cfg, root);
	cJSON_Delete(root);
	if (rc != 0) {
		update_free(u, cfg);
		if (rc == -2)
			diag_set(d, "out of memory");
		return rc == -2 ? VETO_E_NOMEM : VETO_E_MALFORMED;
	}
	return VETO_OK;
}

void update_free(vupdate *u, const veto_config *cfg)
{
	vx_free(cfg, u->features);
	vx_free(cfg, u->removes);
	memset(u, 0, sizeof(*u));
}
