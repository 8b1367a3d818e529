/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "json.h"
#include "policy.h"
#include "update.h"

/* The members of a manifest, in the order they are read. */
enum update_member {
	U_FORMAT, U_VENDOR, U_MODEL, U_VERSION, U_COUNTER, U_IMAGE, U_FEATURES, U_REMOVES,
	U_RELEASED
};
/* A schema table (json.h): the documents' tables look alike by design. */
static const js_field update_fields[] = {
    [U_FORMAT] = {"format", JS_STRING, true, 1, 64},
    [U_VENDOR] = {"vendor", JS_STRING, true, 1, 64},
    [U_MODEL] = {"model", JS_STRING, true, 1, 64},
    [U_VERSION] = {"version", JS_STRING, true, 1, 64},
    [U_COUNTER] = {"security_counter", JS_U53, true, 0, 0},
    [U_IMAGE] = {"image", JS_OBJECT, true, 0, 0},
    [U_FEATURES] = {"features", JS_ARRAY, true, 0, VETO_MAX_FEATURES},
    [U_REMOVES] = {"removes", JS_ARRAY, false, 0, VETO_MAX_FEATURES},
    [U_RELEASED] = {"released", JS_STRING, false, 20, 20},
};

enum image_member { I_SIZE, I_SHA256, I_BLAKE2B };
static const js_field image_fields[] = {
    [I_SIZE] = {"size", JS_U53, true, 0, 0},
    [I_SHA256] = {"sha256", JS_STRING, false, 1, 128},
    [I_BLAKE2B] = {"blake2b-256", JS_STRING, false, 1, 128},
};

/* An optional digest member: 64 lowercase hex digits when present. */
static veto_status digest_member(veto_diag *d, uint8_t out[32], bool *has, const jsval *image,
                                 const js_field *f, const char *where)
{
	js_got g;
	if (veto__js_get(image, f->name) == NULL)
		return VETO_OK;
	if (veto__js_field_read(d, &g, image, f, where) != VETO_OK ||
	    veto__hex_decode(out, 32, g.str, g.len) != VETO_OK) {
		veto__diag_set(d, "%s: not 64 lowercase hex digits", where);
		return VETO_E_MALFORMED;
	}
	*has = true;
	return VETO_OK;
}

static veto_status image_from_json(veto_diag *d, vupdate *u, const jsval *image)
{
	js_got g;
	if (veto__js_members(d, image, "image", JS_FIELDS(image_fields)) != VETO_OK ||
	    veto__js_field_read(d, &g, image, &image_fields[I_SIZE], "image.size") != VETO_OK)
		return VETO_E_MALFORMED;
	u->size = g.u53;
	if (digest_member(d, u->sha256, &u->has_sha256, image, &image_fields[I_SHA256],
	                  "image.sha256") != VETO_OK ||
	    digest_member(d, u->blake2b, &u->has_blake2b, image, &image_fields[I_BLAKE2B],
	                  "image.blake2b-256") != VETO_OK)
		return VETO_E_MALFORMED;
	if (!u->has_sha256 && !u->has_blake2b) {
		veto__diag_set(d, "image: carries no digest (sha256 or blake2b-256)");
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

/* "released", when present, is a time; it is checked, not kept. */
static veto_status check_released(veto_diag *d, const jsval *root)
{
	js_got g = {0};
	int64_t when;
	if (veto__js_get(root, update_fields[U_RELEASED].name) == NULL)
		return VETO_OK;
	if (veto__js_field_read(d, &g, root, &update_fields[U_RELEASED], NULL) != VETO_OK ||
	    veto_time_parse(&when, g.str, g.len) != VETO_OK) {
		veto__time_diag(d, "released", g.item != NULL ? g.str : NULL, g.len, false);
		return VETO_E_MALFORMED;
	}
	return VETO_OK;
}

/* The manifest schema (js_reader). */
static veto_status update_from_json(void *out, veto_diag *d, const veto_config *cfg,
                                    const jsval *root)
{
	vupdate *u = out;
	js_got g;
	veto_status st;
	if (veto__js_members(d, root, "update", JS_FIELDS(update_fields)) != VETO_OK ||
	    veto__js_format(d, root, "veto.update/1") != VETO_OK ||
	    veto__ident_from_json(d, u->vendor, root, "vendor", "vendor") != VETO_OK ||
	    veto__ident_from_json(d, u->model, root, "model", "model") != VETO_OK ||
	    veto__js_field_read(d, &g, root, &update_fields[U_VERSION], NULL) != VETO_OK)
		return VETO_E_MALFORMED;
	memcpy(u->version, g.str, g.len); /* the table bounds it to 64 bytes; u is zeroed */
	if (veto__js_field_read(d, &g, root, &update_fields[U_COUNTER], NULL) != VETO_OK)
		return VETO_E_MALFORMED;
	u->counter = g.u53;
	if (image_from_json(d, u, veto__js_get(root, "image")) != VETO_OK)
		return VETO_E_MALFORMED;
	if ((st = veto__feat_list_from_json(d, &u->features, &u->n_features, cfg,
	                              veto__js_get(root, "features"), "features", FEAT_OFFERED)) != VETO_OK)
		return st;
	const jsval *removes = veto__js_get(root, "removes");
	if (removes != NULL &&
	    (st = veto__feat_list_from_json(d, &u->removes, &u->n_removes, cfg, removes, "removes",
	                              FEAT_NAME_ONLY)) != VETO_OK)
		return st;
	return check_released(d, root);
}

veto_status veto__update_parse(vupdate *u, veto_diag *d, const veto_config *cfg,
                         const uint8_t *payload, size_t len)
{
	memset(u, 0, sizeof(*u));
	veto_status st = veto__js_read_doc(u, d, cfg, payload, len, 0, "update", false, update_from_json);
	if (st != VETO_OK)
		veto__update_free(u, cfg);
	return st;
}

void veto__update_free(vupdate *u, const veto_config *cfg)
{
	veto__vx_free(cfg, u->features);
	veto__vx_free(cfg, u->removes);
	memset(u, 0, sizeof(*u));
}
