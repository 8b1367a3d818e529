/* SPDX-License-Identifier: Apache-2.0 */
/* policy.c: the policy payload (SPEC section 5) and the trust anchor. */
#include <string.h>

#include <sodium.h>

#include "fixture.h"
#include "policy.h"

static veto_status parse_policy(vpolicy *p, const char *text)
{
	veto_config cfg;
	veto_diag d = {{0}};
	veto__cfg_resolve(&cfg, NULL);
	veto_status st = veto__policy_parse(p, &d, &cfg, (const uint8_t *)text, strlen(text), 0);
	if (st != VETO_OK)
		ck_assert_msg(d.detail[0] != '\0', "a refusal must say why");
	return st;
}

static void free_policy(vpolicy *p)
{
	veto_config cfg;
	veto__cfg_resolve(&cfg, NULL);
	veto__policy_free(p, &cfg);
}

static const vrole *role(const vpolicy *p, const char *name)
{
	for (size_t i = 0; i < p->n_roles; i++)
		if (strcmp(p->roles[i].name, name) == 0)
			return &p->roles[i];
	return NULL;
}

START_TEST(default_policy_read)
{
	fx_policy fp;
	vpolicy p;
	fx_policy_init(&fp);
	const char *text = fx_policy_text(&fp);
	ck_assert_int_eq(parse_policy(&p, text), VETO_OK);
	ck_assert_uint_eq(p.serial, 1);
	ck_assert_int_eq(p.has_expires, 1);
	ck_assert_int_eq(p.expires, fx_time("2027-11-21T00:00:00Z"));
	ck_assert_str_eq(p.vendor, "acme");
	ck_assert_str_eq(p.model, "thermo-2");
	ck_assert_uint_eq(p.n_keys, 5);
	ck_assert_uint_eq(p.n_roles, 3);
	ck_assert_str_eq(p.roles[p.owner].name, "owner");
	ck_assert_str_eq(p.roles[p.vendor_role].name, "vendor");
	const vrole *aud = role(&p, "auditor");
	ck_assert_ptr_nonnull(aud);
	ck_assert_uint_eq(aud->n_keys, 3);
	ck_assert_uint_eq(aud->threshold, 2);
	ck_assert_int_eq(aud->required, 1);
	ck_assert_int_eq(aud->waiver, 0);
	ck_assert_str_eq(p.keys[aud->keys[2]].keyid, fx_key_get(K_AUD3)->keyid);
	ck_assert_int_eq(p.roles[p.owner].waiver, 1);
	ck_assert_int_eq(p.roles[p.owner].required, 0);
	ck_assert_int_eq(p.roles[p.vendor_role].required, 1);
	ck_assert_uint_eq(p.n_waiver, 1);
	ck_assert_uint_eq(p.n_protect, 3);
	ck_assert_str_eq(p.protect[1].name, "works-with-nest");
	ck_assert_uint_eq(p.protect[1].nparts, 2);
	ck_assert_uint_eq(p.protect[2].nparts, 0);
	/* defaults of the optional members */
	ck_assert_uint_eq(p.min_counter, 0);
	ck_assert_uint_eq(p.max_image, 4294967296ULL);
	ck_assert_uint_eq(p.digests, DIGEST_SHA256 | DIGEST_BLAKE2B);
	/* A deep copy is equal and owns its own arrays. */
	veto_config cfg;
	veto__cfg_resolve(&cfg, NULL);
	vpolicy q;
	ck_assert_int_eq(veto__policy_dup(&q, &p, &cfg), VETO_OK);
	ck_assert_uint_eq(q.n_keys, p.n_keys);
	ck_assert_ptr_ne(q.keys, p.keys);
	ck_assert_mem_eq(q.keys, p.keys, p.n_keys * sizeof(*p.keys));
	ck_assert_ptr_ne(q.roles[q.owner].keys, p.roles[p.owner].keys);
	ck_assert_mem_eq(q.roles[q.owner].keys, p.roles[p.owner].keys,
	                 p.roles[p.owner].n_keys * sizeof(*p.roles[p.owner].keys));
	ck_assert_str_eq(q.protect[1].name, "works-with-nest");
	veto__policy_free(&q, &cfg);
	free_policy(&p);
}
END_TEST

START_TEST(optional_members_read)
{
	fx_policy fp;
	vpolicy p;
	fx_policy_init(&fp);
	fp.expires = NULL;
	fp.serial = 9007199254740991ULL;
	fp.extra = ", \"min_security_counter\": 40, \"max_image_size\": 4096, \"digests\": [\"blake2b-256\"]";
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_OK);
	ck_assert_int_eq(p.has_expires, 0);
	ck_assert_uint_eq(p.serial, 9007199254740991ULL);
	ck_assert_uint_eq(p.min_counter, 40);
	ck_assert_uint_eq(p.max_image, 4096);
	ck_assert_uint_eq(p.digests, DIGEST_BLAKE2B);
	free_policy(&p);
}
END_TEST

/* Mutations of the default policy text: {from, to, ok}. */
typedef struct mut {
	const char *from, *to;
	int ok;
} mut;

static const mut policy_muts[] = {
    /* fine */
    {"\"serial\": 1", "\"serial\": 0", 1},
    {"\"expires\": \"2027-11-21T00:00:00Z\"", "\"expires\": null", 1},
    {"\"require\": [\"vendor\", \"auditor\"]", "\"require\": [\"vendor\"]", 1},
    {"\"require\": [\"vendor\", \"auditor\"]", "\"require\": [\"auditor\", \"vendor\"]", 1},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": []", 1},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\", \"auditor\"]", 1},
    {"\"protected_features\": [\"local-control\", \"works-with-nest>=1.0\", \"zigbee\"]",
     "\"protected_features\": []", 1},
    {"\"threshold\": 2", "\"threshold\": 3", 1},
    {"\"threshold\": 2", "\"threshold\": 1", 1},
    {"\"removal_requires\": [\"owner\"]",
     "\"removal_requires\": [\"owner\"], \"digests\": [\"sha256\", \"blake2b-256\"]", 1},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"digests\": [\"sha256\"]", 1},
    {"\"removal_requires\": [\"owner\"]",
     "\"removal_requires\": [\"owner\"], \"max_image_size\": 0, \"min_security_counter\": 0", 1},
    {"\"vendor\": \"acme\"", "\"vendor\": \"a\"", 1},
    {"\"model\": \"thermo-2\"", "\"model\": \"0thermo_2.b-c\"", 1},
    /* format and unknown members */
    {"\"format\": \"veto.policy/1\"", "\"format\": \"veto.policy/2\"", 0},
    {"\"format\": \"veto.policy/1\"", "\"format\": \"veto.update/1\"", 0},
    {"\"format\": \"veto.policy/1\"", "\"Format\": \"veto.policy/1\"", 0},
    {"\"format\": \"veto.policy/1\", ", "", 0},
    {"\"serial\": 1", "\"serial\": 1, \"comment\": \"hi\"", 0},
    {"\"serial\": 1", "\"serial\": 1, \"Serial\": 1", 0},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"digest\": [\"sha256\"]", 0},
    /* types and integers */
    {"\"serial\": 1", "\"serial\": \"1\"", 0},
    {"\"serial\": 1", "\"serial\": 1.0", 0},
    {"\"serial\": 1", "\"serial\": null", 0},
    {"\"serial\": 1", "\"serial\": 9007199254740992", 0},
    {"\"serial\": 1, ", "", 0},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"max_image_size\": -1", 0},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"min_security_counter\": \"0\"", 0},
    /* expires */
    {"\"expires\": \"2027-11-21T00:00:00Z\"", "\"expires\": \"2027-11-21\"", 0},
    {"\"expires\": \"2027-11-21T00:00:00Z\"", "\"expires\": \"2027-11-21T00:00:00+00:00\"", 0},
    {"\"expires\": \"2027-11-21T00:00:00Z\"", "\"expires\": \"2027-02-30T00:00:00Z\"", 0},
    {"\"expires\": \"2027-11-21T00:00:00Z\"", "\"expires\": 1826755200", 0},
    {"\"expires\": \"2027-11-21T00:00:00Z\", ", "", 0}, /* required, even if null */
    /* device */
    {"\"vendor\": \"acme\"", "\"vendor\": \"Acme\"", 0},
    {"\"vendor\": \"acme\"", "\"vendor\": \"\"", 0},
    {"\"vendor\": \"acme\"", "\"vendor\": \"-acme\"", 0},
    {"\"vendor\": \"acme\"", "\"vendor\": \"ac me\"", 0},
    {"\"model\": \"thermo-2\"", "\"model\": \"thermo/2\"", 0},
    {"\"model\": \"thermo-2\"", "\"model\": \"thermo-2\", \"serial\": \"x\"", 0},
    {"\"model\": \"thermo-2\"}", "\"model\": \"thermo-2\", \"rev\": 1}", 0},
    {", \"model\": \"thermo-2\"", "", 0},
    /* roles */
    {"\"auditor\": {", "\"Auditor\": {", 0},
    {"\"auditor\": {", "\"audit_or\": {", 0},
    {"\"auditor\": {", "\"abcdefghijklmnopqrstuvwxyz0123456\": {", 0},
    {"\"threshold\": 2", "\"threshold\": 0", 0},
    {"\"threshold\": 2", "\"threshold\": 4", 0},
    {"\"threshold\": 2", "\"threshold\": \"2\"", 0},
    {"\"threshold\": 2", "\"threshold\": 2, \"name\": \"x\"", 0},
    {"\"threshold\": 2", "\"threshold\": 2, \"threshold\": 2", 0},
    {"\"require\": [\"vendor\", \"auditor\"]", "\"require\": [\"auditor\"]", 0},
    {"\"require\": [\"vendor\", \"auditor\"]", "\"require\": []", 0},
    {"\"require\": [\"vendor\", \"auditor\"]", "\"require\": [\"vendor\", \"vendor\"]", 0},
    {"\"require\": [\"vendor\", \"auditor\"]", "\"require\": [\"vendor\", \"security\"]", 0},
    {"\"require\": [\"vendor\", \"auditor\"]", "\"require\": [\"vendor\", \"Auditor\"]", 0},
    {"\"require\": [\"vendor\", \"auditor\"]", "\"require\": \"vendor\"", 0},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\", \"owner\"]", 0},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"nobody\"]", 0},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"vendor\"]", 0},
    /* protected features */
    {"\"zigbee\"]", "\"zigbee\", \"zigbee>=2\"]", 0},
    {"\"zigbee\"]", "\"zigbee\", \"zigbee\"]", 0},
    {"\"zigbee\"]", "\"Zigbee\"]", 0},
    {"\"zigbee\"]", "\"zigbee@1\"]", 0},
    {"\"zigbee\"]", "\"zigbee>=\"]", 0},
    {"\"zigbee\"]", "\"zigbee>=1.01\"]", 0},
    {"\"zigbee\"]", "\"zig bee\"]", 0},
    {"\"zigbee\"]", "1]", 0},
    {"\"zigbee\"]", "\"zigbee>=0\"]", 1},
    /* digests */
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"digests\": []", 0},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"digests\": [\"md5\"]", 0},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"digests\": [\"SHA256\"]", 0},
    {"\"removal_requires\": [\"owner\"]",
     "\"removal_requires\": [\"owner\"], \"digests\": [\"blake2b-512\"]", 0},
    {"\"removal_requires\": [\"owner\"]",
     "\"removal_requires\": [\"owner\"], \"digests\": [\"sha256\", \"sha256\"]", 0},
    {"\"removal_requires\": [\"owner\"]",
     "\"removal_requires\": [\"owner\"], \"digests\": [\"sha256\", \"blake2b-256\", \"sha256\"]", 0},
    {"\"removal_requires\": [\"owner\"]", "\"removal_requires\": [\"owner\"], \"digests\": null", 0},
    /* keys */
    {"\"keys\": {", "\"keys\": {}, \"x\": {", 0},
};

START_TEST(policy_mutation_table)
{
	fx_policy fp;
	vpolicy p;
	fx_policy_init(&fp);
	const char *text = fx_replace(fx_policy_text(&fp), policy_muts[_i].from, policy_muts[_i].to);
	veto_status st = parse_policy(&p, text);
	ck_assert_msg(st == (policy_muts[_i].ok ? VETO_OK : VETO_E_MALFORMED), "%s -> %s: status %d",
	              policy_muts[_i].from, policy_muts[_i].to, (int)st);
	if (st == VETO_OK)
		free_policy(&p);
}
END_TEST

START_TEST(roles_structure)
{
	fx_policy fp;
	vpolicy p;
	/* owner and vendor must exist */
	fx_policy_init(&fp);
	fx_role_remove(&fp, "owner");
	fp.removal_requires = "[]";
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_E_MALFORMED);
	fx_policy_init(&fp);
	fx_role_remove(&fp, "vendor");
	fp.require = "[\"auditor\"]";
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_E_MALFORMED);
	/* a role without keys cannot meet any threshold of 1..n */
	fx_policy_init(&fp);
	fx_role_set(&fp, "empty", 1, NULL, 0);
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_E_MALFORMED);
	/* a keyid listed twice in a role */
	fx_policy_init(&fp);
	FX_ROLE(&fp, "auditor", 2, K_AUD1, K_AUD1, K_AUD2);
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_E_MALFORMED);
	/* a role keyid that is not in "keys" */
	fx_policy_init(&fp);
	const int k[] = {K_OWNER, K_VENDOR, K_AUD1, K_AUD2}; /* K_AUD3 missing */
	fp.keys_json = fx_keys_json(k, 4);
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_E_MALFORMED);
	/* a key in "keys" that no role uses is fine */
	fx_policy_init(&fp);
	fp.extra_keys[fp.n_extra_keys++] = K_OTHER;
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_OK);
	ck_assert_uint_eq(p.n_keys, 6);
	free_policy(&p);
	/* a role name of 32 characters, and "-" */
	fx_policy_init(&fp);
	FX_ROLE(&fp, "abcdefghijklmnopqrstuvwxyz012345", 1, K_SEC);
	FX_ROLE(&fp, "-", 1, K_SEC);
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_OK);
	ck_assert_uint_eq(p.n_roles, 5);
	free_policy(&p);
}
END_TEST

/* A key may serve several roles, except that no role in removal_requires
 * may hold a key of the vendor role. */
START_TEST(vendor_key_cannot_waive)
{
	fx_policy fp;
	vpolicy p;
	/* the vendor key also an owner key, owner waives: malformed */
	fx_policy_init(&fp);
	FX_ROLE(&fp, "owner", 1, K_OWNER, K_VENDOR);
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_E_MALFORMED);
	/* ... in another waiving role */
	fx_policy_init(&fp);
	FX_ROLE(&fp, "security", 2, K_SEC, K_VENDOR2);
	FX_ROLE(&fp, "vendor", 1, K_VENDOR, K_VENDOR2);
	fp.removal_requires = "[\"owner\", \"security\"]";
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_E_MALFORMED);
	/* the same roles with security not waiving: fine */
	fp.removal_requires = "[\"owner\"]";
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_OK);
	free_policy(&p);
	/* vendor key as an owner key with no waiver at all: fine */
	fx_policy_init(&fp);
	FX_ROLE(&fp, "owner", 1, K_OWNER, K_VENDOR);
	fp.removal_requires = "[]";
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_OK);
	ck_assert_uint_eq(p.n_waiver, 0);
	free_policy(&p);
	/* a key serving two other roles: fine */
	fx_policy_init(&fp);
	FX_ROLE(&fp, "security", 1, K_AUD1);
	fp.removal_requires = "[\"owner\", \"security\"]";
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_OK);
	ck_assert_uint_eq(p.n_waiver, 2);
	free_policy(&p);
}
END_TEST

/* Threshold: 1..min(number of keys, 64). */
START_TEST(threshold_cap_64)
{
	enum { N = 65 };
	char *keys = fx_printf("{");
	char *list = fx_printf("[");
	for (unsigned i = 0; i < N; i++) {
		uint8_t seed[32], pk[32];
		char kid[65];
		memset(seed, 0xa0, 32);
		seed[0] = (uint8_t)i;
		ck_assert_int_eq(veto_key_public(pk, seed), VETO_OK);
		ck_assert_int_eq(veto_keyid(kid, pk), VETO_OK);
		keys = fx_printf("%s\"%s\": {\"ed25519\": \"%s\"}, ", keys, kid, fx_b64(pk, 32));
		list = fx_printf("%s%s\"%s\"", list, i ? ", " : "", kid);
	}
	const int std[] = {K_OWNER, K_VENDOR, K_AUD1, K_AUD2, K_AUD3};
	keys = fx_printf("%s%s", keys, fx_keys_json(std, 5) + 1);
	list = fx_printf("%s]", list);
	fx_policy fp;
	vpolicy p;
	fx_policy_init(&fp);
	fp.keys_json = keys;
	const char *base = fx_policy_text(&fp);
	const char *ok = fx_replace(base, "\"roles\": {",
	                            fx_printf("\"roles\": {\"many\": {\"keys\": %s, \"threshold\": 64}, ", list));
	ck_assert_int_eq(parse_policy(&p, ok), VETO_OK);
	ck_assert_uint_eq(p.n_keys, N + 5);
	free_policy(&p);
	const char *bad = fx_replace(base, "\"roles\": {",
	                             fx_printf("\"roles\": {\"many\": {\"keys\": %s, \"threshold\": 65}, ", list));
	ck_assert_int_eq(parse_policy(&p, bad), VETO_E_MALFORMED);
}
END_TEST

/* keys that are not keys: small order, wrong length, bad base64 */
START_TEST(policy_bad_keys)
{
	fx_policy fp;
	vpolicy p;
	uint8_t zero[32] = {0}, h[32];
	crypto_hash_sha256(h, zero, 32);
	const char *zkid = fx_hex(h, 32);
	fx_policy_init(&fp);
	fp.keys_json = fx_printf("{\"%s\": {\"ed25519\": \"%s\"}, %s", zkid, fx_b64(zero, 32),
	                         fx_keys_json((const int[]){K_OWNER, K_VENDOR, K_AUD1, K_AUD2, K_AUD3}, 5) + 1);
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_E_MALFORMED);
	/* and the same policy without the zero key parses */
	fp.keys_json = NULL;
	ck_assert_int_eq(parse_policy(&p, fx_policy_text(&fp)), VETO_OK);
	free_policy(&p);
	const fx_key *o = fx_key_get(K_OWNER);
	const char *text = fx_policy_text(&fp);
	const char *bad[] = {
	    fx_replace(text, o->b64, fx_b64(o->pk, 31)),
	    fx_replace(text, o->b64, fx_printf("%s ", o->b64)),
	    fx_replace(text, fx_printf("\"ed25519\": \"%s\"", o->b64),
	               fx_printf("\"ed25519\": \"%s\", \"ed25519\": \"%s\"", o->b64, o->b64)),
	    fx_replace(text, fx_printf("\"ed25519\": \"%s\"", o->b64),
	               fx_printf("\"Ed25519\": \"%s\"", o->b64)),
	    fx_replace(text, fx_printf("\"%s\": {", o->keyid), fx_printf("\"%s\": {", fx_key_get(K_OTHER)->keyid)),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_policy(&p, bad[i]) == VETO_E_MALFORMED, "accepted #%zu", i);
}
END_TEST

START_TEST(declared_keys_public)
{
	fx_policy fp;
	uint8_t(*keys)[32] = NULL;
	size_t n = 0;
	veto_diag d = {{0}};
	fx_policy_init(&fp);
	fp.extra_keys[fp.n_extra_keys++] = K_OTHER;
	const char *text = fx_policy_text(&fp);
	ck_assert_int_eq(veto_policy_declared_keys(&keys, &n, &d, NULL, (const uint8_t *)text,
	                                           strlen(text)),
	                 VETO_OK);
	ck_assert_uint_eq(n, 6);
	const int order[6] = {K_OWNER, K_VENDOR, K_AUD1, K_AUD2, K_AUD3, K_OTHER};
	for (size_t i = 0; i < 6; i++)
		ck_assert_mem_eq(keys[i], fx_key_get(order[i])->pk, 32);
	veto_free(NULL, keys);
	ck_assert_int_eq(veto_policy_declared_keys(&keys, &n, &d, NULL, (const uint8_t *)"{}", 2),
	                 VETO_E_MALFORMED);
	ck_assert_ptr_null(keys);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(veto_policy_declared_keys(NULL, &n, &d, NULL, (const uint8_t *)"{}", 2),
	                 VETO_E_ARG);
}
END_TEST

/* ---- anchors ------------------------------------------------------------- */

static veto_status parse_anchor(vanchor *a, const char *text)
{
	veto_config cfg;
	veto_diag d = {{0}};
	veto__cfg_resolve(&cfg, NULL);
	veto_status st = veto__anchor_parse(a, &d, &cfg, (const uint8_t *)text, strlen(text));
	if (st != VETO_OK)
		ck_assert(d.detail[0] != '\0');
	return st;
}

START_TEST(anchor_read)
{
	vanchor a;
	veto_config cfg;
	veto__cfg_resolve(&cfg, NULL);
	const int k[] = {K_OWNER, K_OWNER2, K_OWNER3};
	ck_assert_int_eq(parse_anchor(&a, fx_anchor_text("acme", "thermo-2", 2, k, 3)), VETO_OK);
	ck_assert_str_eq(a.vendor, "acme");
	ck_assert_str_eq(a.model, "thermo-2");
	ck_assert_uint_eq(a.n_keys, 3);
	ck_assert_uint_eq(a.threshold, 2);
	ck_assert_str_eq(a.keys[1].keyid, fx_key_get(K_OWNER2)->keyid);
	/* written back, it reads the same */
	vbuf b;
	char *out = NULL;
	veto__vbuf_init(&b, &cfg);
	veto__anchor_to_json(&b, &a);
	ck_assert_int_eq(veto__vbuf_finish(&b, &out, NULL), VETO_OK);
	ck_assert_str_eq(out, fx_anchor_text("acme", "thermo-2", 2, k, 3));
	veto__vx_free(&cfg, out);
	veto__anchor_free(&a, &cfg);
}
END_TEST

static const mut anchor_muts[] = {
    {"\"threshold\": 1", "\"threshold\": 0", 0},
    {"\"threshold\": 1", "\"threshold\": 2", 0},
    {"\"threshold\": 1", "\"threshold\": 1.0", 0},
    {"\"threshold\": 1", "\"threshold\": 1, \"serial\": 1", 0},
    {", \"threshold\": 1", "", 0},
    {"\"vendor\": \"acme\"", "\"vendor\": \"ACME\"", 0},
    {"\"device\": {\"vendor\": \"acme\", \"model\": \"thermo-2\"}, ", "", 0},
    {"\"device\"", "\"Device\"", 0},
    {"{\"device\"", "{\"format\": \"veto.anchor/1\", \"device\"", 0},
    {"\"model\": \"thermo-2\"", "\"model\": \"thermo-2\", \"vendor\": \"acme\"", 0},
    {"\"vendor\": \"acme\"", "\"vendor\": \"acme-2\"", 1},
};

START_TEST(anchor_mutation_table)
{
	vanchor a;
	veto_config cfg;
	veto__cfg_resolve(&cfg, NULL);
	const char *text = fx_replace(fx_default_anchor(), anchor_muts[_i].from, anchor_muts[_i].to);
	veto_status st = parse_anchor(&a, text);
	ck_assert_msg(st == (anchor_muts[_i].ok ? VETO_OK : VETO_E_MALFORMED), "%s: %d", text, (int)st);
	if (st == VETO_OK)
		veto__anchor_free(&a, &cfg);
}
END_TEST

START_TEST(anchor_empty_keys)
{
	vanchor a;
	ck_assert_int_eq(parse_anchor(&a, "{\"device\": {\"vendor\": \"acme\", \"model\": \"m\"}, "
	                                  "\"keys\": {}, \"threshold\": 1}"),
	                 VETO_E_MALFORMED);
}
END_TEST

Suite *fx_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = fx_tcase("policy");
	tcase_add_test(tc, default_policy_read);
	tcase_add_test(tc, optional_members_read);
	tcase_add_loop_test(tc, policy_mutation_table, 0,
	                    (int)(sizeof(policy_muts) / sizeof(policy_muts[0])));
	tcase_add_test(tc, roles_structure);
	tcase_add_test(tc, vendor_key_cannot_waive);
	tcase_add_test(tc, threshold_cap_64);
	tcase_add_test(tc, policy_bad_keys);
	tcase_add_test(tc, declared_keys_public);
	suite_add_tcase(s, tc);
	tc = fx_tcase("anchor");
	tcase_add_test(tc, anchor_read);
	tcase_add_loop_test(tc, anchor_mutation_table, 0,
	                    (int)(sizeof(anchor_muts) / sizeof(anchor_muts[0])));
	tcase_add_test(tc, anchor_empty_keys);
	suite_add_tcase(s, tc);
	return s;
}
