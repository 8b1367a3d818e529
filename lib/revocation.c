/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) Revocations (SPEC 5.3).  A revocation can only make accepting an
 * update harder: it is verified before its payload is read, with keys of
 * the roles the governing policy names in revocation_roles, and a keyid it
 * revokes must have signed it itself and can never be an owner key. */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "report.h"
#include "revocation.h"

/* ---- the document ---------------------------------------------------------- */

enum rev_member { R_FORMAT, R_DEVICE, R_ROLE, R_UPDATES, R_KEYS };
/* A schema table (json.h): the documents' tables look alike by design. */
static const js_field rev_fields[] = {
    [R_FORMAT] = {"format", JS_STRING, true, 1, 64},
    [R_DEVICE] = {"device", JS_OBJECT, true, 0, 0},
    [R_ROLE] = {"role", JS_STRING, true, 1, VETO_ROLE_MAX},
    [R_UPDATES] = {"updates", JS_ARRAY, true, 0, REV_MAX_UPDATES},
    [R_KEYS] = {"keys", JS_ARRAY, true, 0, REV_MAX_KEYS},
};

static veto_status rev_from_json(void *out, veto_diag *d, const veto_config *cfg,
                                 const jsval *root)
{
	vrevdoc *r = out;
	js_got g;
	(void)cfg;
	if (veto__js_members(d, root, "revocation", JS_FIELDS(rev_fields)) != VETO_OK ||
	    veto__js_format(d, root, "veto.revocation/1") != VETO_OK ||
	    veto__device_from_json(d, r->vendor, r->model, veto__js_get(root, "device"), "device") != VETO_OK ||
	    veto__js_field_read(d, &g, root, &rev_fields[R_ROLE], NULL) != VETO_OK)
		return VETO_E_MALFORMED;
	if (!veto__role_name_ok(g.str, g.len)) {
		veto__diag_set(d, "role: \"%.40s\" is not a role name ([a-z0-9-]{1,32})", g.str);
		return VETO_E_MALFORMED;
	}
	memcpy(r->role, g.str, g.len + 1);
	if (veto__policy_read_digests(d, r->updates, &r->n_updates, veto__js_get(root, "updates"), "updates",
	                        REV_MAX_UPDATES) != VETO_OK ||
	    veto__policy_read_keyids(d, r->keys, &r->n_keys, veto__js_get(root, "keys"), "keys", REV_MAX_KEYS) !=
	        VETO_OK)
		return VETO_E_MALFORMED;
	return VETO_OK;
}

veto_status veto__rev_parse(vrevdoc *r, veto_diag *d, const veto_config *cfg, const uint8_t *payload,
                      size_t len)
{
	memset(r, 0, sizeof(*r));
	return veto__js_read_doc(r, d, cfg, payload, len, 0, "revocation", false, rev_from_json);
}

/* ---- the revoked sets -------------------------------------------------------- */

static int cmp_digest(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

static int cmp_keyid(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Whether gov lists the role called name in revocation_roles. */
static bool role_listed(const vpolicy *gov, const char *name)
{
	size_t i;
	return gov != NULL && veto__policy_role_find(gov, name, &i) && gov->roles[i].revocation;
}

static bool reinstated_key(const vpolicy *gov, const char *keyid)
{
	if (gov == NULL || gov->ext == NULL)
		return false;
	for (size_t i = 0; i < gov->ext->n_reinstate_keys; i++)
		if (strcmp(gov->ext->reinstate_keys[i], keyid) == 0)
			return true;
	return false;
}

static bool reinstated_update(const vpolicy *gov, const uint8_t sha[32])
{
	if (gov == NULL || gov->ext == NULL)
		return false;
	for (size_t i = 0; i < gov->ext->n_reinstate_updates; i++)
		if (memcmp(gov->ext->reinstate_updates[i], sha, 32) == 0)
			return true;
	return false;
}

static bool stored_key(const vrevrole *r, const char *keyid)
{
	return r->n_keys > 0 && bsearch(keyid, r->keys, r->n_keys, 65, cmp_keyid) != NULL;
}

static bool stored_update(const vrevrole *r, const uint8_t sha[32])
{
	return r->n_updates > 0 && bsearch(sha, r->updates, r->n_updates, 32, cmp_digest) != NULL;
}

static bool handed_key(const vrev *x, const char *keyid)
{
	for (size_t i = 0; i < x->doc.n_keys; i++)
		if (strcmp(x->doc.keys[i], keyid) == 0)
			return true;
	return false;
}

static bool handed_update(const vrev *x, const uint8_t sha[32])
{
	for (size_t i = 0; i < x->doc.n_updates; i++)
		if (memcmp(x->doc.updates[i], sha, 32) == 0)
			return true;
	return false;
}

/* Alike veto__rev_update_revoked by design: the same set rule for keys. */
bool veto__rev_key_revoked(const vpolicy *gov, const veto_state *s, const vrevs *h, const char *keyid)
{
	if (gov == NULL || reinstated_key(gov, keyid))
		return false;
	for (size_t r = 0; s != NULL && r < s->n_revs; r++)
		if (stored_key(&s->revs[r], keyid) && role_listed(gov, s->revs[r].role))
			return true;
	for (size_t i = 0; h != NULL && i < h->n; i++)
		if (h->items[i].accepted && handed_key(&h->items[i], keyid))
			return true;
	return false;
}

/* Alike veto__rev_key_revoked by design: the same set rule for digests. */
bool veto__rev_update_revoked(const vpolicy *gov, const veto_state *s, const vrevs *h,
                        const uint8_t sha256[32])
{
	if (gov == NULL || reinstated_update(gov, sha256))
		return false;
	for (size_t i = 0; gov->ext != NULL && i < gov->ext->n_revoked; i++)
		if (memcmp(gov->ext->revoked[i], sha256, 32) == 0)
			return true;
	for (size_t r = 0; s != NULL && r < s->n_revs; r++)
		if (stored_update(&s->revs[r], sha256) && role_listed(gov, s->revs[r].role))
			return true;
	for (size_t i = 0; h != NULL && i < h->n; i++)
		if (h->items[i].accepted && handed_update(&h->items[i], sha256))
			return true;
	return false;
}

/* Whether the state (for a role gov honours) or h holds any key (keys) or
 * update digest (!keys): entries of the roles gov does not honour cost a
 * decision nothing. */
static bool any_entries(const vpolicy *gov, const veto_state *s, const vrevs *h, bool keys)
{
	for (size_t r = 0; s != NULL && r < s->n_revs; r++)
		if ((keys ? s->revs[r].n_keys : s->revs[r].n_updates) > 0 &&
		    role_listed(gov, s->revs[r].role))
			return true;
	for (size_t i = 0; h != NULL && i < h->n; i++)
		if (h->items[i].accepted && (keys ? h->items[i].doc.n_keys : h->items[i].doc.n_updates) > 0)
			return true;
	return false;
}

bool veto__rev_any_keys(const vpolicy *gov, const veto_state *s, const vrevs *h)
{
	return gov != NULL && any_entries(gov, s, h, true);
}

bool veto__rev_any_updates(const vpolicy *gov, const veto_state *s, const vrevs *h)
{
	if (gov == NULL)
		return false;
	return (gov->ext != NULL && gov->ext->n_revoked > 0) || any_entries(gov, s, h, false);
}

size_t veto__rev_live_keys(uint16_t *idx, const vpolicy *gov, const vrole *role, const veto_state *s,
                     const vrevs *h)
{
	size_t n = 0;
	for (size_t k = 0; k < role->n_keys; k++)
		if (!veto__rev_key_revoked(gov, s, h, gov->keys[role->keys[k]].keyid))
			idx[n++] = role->keys[k];
	return n;
}

/* ---- accepting (SPEC 5.3 rules 1-5) ----------------------------------------- */

/* Why a revocation was not accepted, in the order the rules are checked;
 * the words are the contract's `detail` values. */
typedef enum rev_fault {
	RF_NONE, RF_MALFORMED, RF_TYPE, RF_UNTRUSTED, RF_ROLE, RF_DEVICE, RF_KEY, RF_THRESHOLD
} rev_fault;
static const char *const fault_words[] = {"",     "malformed", "type", "untrusted",
                                          "role", "device",    "key",  "threshold"};

/* What every revocation of a command is judged against. */
typedef struct judge_ctx {
	const veto_config *cfg;
	const vpolicy *gov;
	const veto_state *s;
	const vchain *lift;
} judge_ctx;

/* Verifying signatures on e by the non-revoked keys of role (the keys
 * revoked before the command). */
static veto_status live_count(veto_envelope *e, const judge_ctx *j, const vrole *role,
                              size_t *count)
{
	uint16_t idx[VETO_MAX_KEYS];
	size_t n = veto__rev_live_keys(idx, j->gov, role, j->s, NULL);
	return veto__env_count(e, j->gov->keys, idx, n, count);
}

/* Rule 2, first half: some non-revoked key of a revocation role signed. */
static veto_status opened(veto_envelope *e, const judge_ctx *j, bool *yes)
{
	*yes = false;
	for (size_t r = 0; j->gov != NULL && r < j->gov->n_roles && !*yes; r++) {
		size_t have = 0;
		if (!j->gov->roles[r].revocation)
			continue;
		veto_status st = live_count(e, j, &j->gov->roles[r], &have);
		if (st != VETO_OK)
			return st;
		*yes = have > 0;
	}
	return VETO_OK;
}

/* Rule 4 for one keyid: a key of role, of no owner role, that signed e. */
static veto_status key_fits(veto_envelope *e, const judge_ctx *j, const vrole *role,
                            const char *keyid, bool *fits)
{
	size_t k;
	const vpolicy *p = j->gov;
	*fits = false;
	if (!veto__keys_find(p->keys, p->n_keys, keyid, &k))
		return VETO_OK;
	bool in_role = false, owner = false;
	for (size_t i = 0; i < role->n_keys; i++)
		in_role = in_role || role->keys[i] == k;
	const vrole *o = &p->roles[p->owner];
	for (size_t i = 0; i < o->n_keys; i++)
		owner = owner || o->keys[i] == k;
	if (!in_role || owner)
		return VETO_OK;
	uint16_t one = (uint16_t)k;
	size_t have = 0;
	veto_status st = veto__env_count(e, p->keys, &one, 1, &have);
	*fits = have == 1;
	return st;
}

/* Rules 3-5 on a payload that was read. */
static veto_status judge_payload(veto_envelope *e, const judge_ctx *j, const vrevdoc *r,
                                 rev_fault *f)
{
	size_t ri, have = 0;
	if (!veto__policy_role_find(j->gov, r->role, &ri) || !j->gov->roles[ri].revocation) {
		*f = RF_ROLE;
		return VETO_OK;
	}
	if (strcmp(r->vendor, j->s->anchor.vendor) != 0 || strcmp(r->model, j->s->anchor.model) != 0) {
		*f = RF_DEVICE;
		return VETO_OK;
	}
	const vrole *role = &j->gov->roles[ri];
	for (size_t i = 0; i < r->n_keys; i++) {
		bool fits;
		veto_status st = key_fits(e, j, role, r->keys[i], &fits);
		if (st != VETO_OK)
			return st;
		if (!fits) {
			*f = RF_KEY;
			return VETO_OK;
		}
	}
	veto_status st = live_count(e, j, role, &have);
	if (st == VETO_OK && have < role->threshold)
		*f = RF_THRESHOLD;
	return st;
}

/* Rules 1-5 for one revocation; *f says which failed first (RF_NONE:
 * accepted). */
static veto_status judge_one(vrev *x, const judge_ctx *j, const veto_bytes *doc, rev_fault *f)
{
	veto_envelope *e = NULL;
	veto_diag d = {{0}};
	bool trusted = false;
	*f = RF_NONE;
	veto_status st = veto__env_parse(&e, &d, j->cfg, doc->ptr, doc->len);
	if (st == VETO_E_NOMEM)
		return st;
	if (st != VETO_OK) {
		*f = RF_MALFORMED;
		return VETO_OK;
	}
	veto__cr_sha256(x->sha256, e->payload, e->payload_len);
	if (!veto__env_type_is(e, VETO_TYPE_REVOCATION))
		*f = RF_TYPE;
	if (*f == RF_NONE && (st = opened(e, j, &trusted)) == VETO_OK && !trusted)
		*f = RF_UNTRUSTED;
	if (*f == RF_NONE && st == VETO_OK) {
		/* verified: only now is the payload read */
		st = veto__rev_parse(&x->doc, &d, j->cfg, e->payload, e->payload_len);
		if (st == VETO_OK)
			st = judge_payload(e, j, &x->doc, f);
		else if (st != VETO_E_NOMEM) {
			*f = RF_MALFORMED;
			st = VETO_OK;
		}
	}
	veto_envelope_free(e);
	return st;
}

/* ---- the per-role limits ----------------------------------------------------- */

/* The state's entries for role (NULL: none). */
static const vrevrole *stored_role(const veto_state *s, const char *role)
{
	for (size_t r = 0; r < s->n_revs; r++)
		if (strcmp(s->revs[r].role, role) == 0)
			return &s->revs[r];
	return NULL;
}

/* How many entries the role would hold (kept stored ones plus the distinct
 * new ones of its accepted revocations). */
typedef struct role_total {
	size_t updates, keys;
	bool nomem;
} role_total;

/* Sorted, distinct entries; returns the new count. */
static size_t sort_unique(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	uint8_t *b = base;
	size_t out = 0;
	if (n == 0)
		return 0;
	qsort(base, n, size, cmp);
	for (size_t i = 1; i < n; i++)
		if (cmp(b + out * size, b + i * size) != 0) {
			out++;
			if (out != i)
				memmove(b + out * size, b + i * size, size);
		}
	return out + 1;
}

/* Whether a stored entry, or a stored role, stays once the policies of
 * lift (NULL: none) are trusted: each drops what its reinstate names and
 * the roles it does not list in revocation_roles. */
static bool kept_update(const vchain *lift, const uint8_t *sha)
{
	if (lift == NULL)
		return true;
	for (size_t i = 0; i < lift->n_earlier; i++)
		if (reinstated_update(&lift->earlier[i], sha))
			return false;
	return !reinstated_update(lift->last, sha);
}

/* Alike kept_update by design: the same rule for keyids. */
static bool kept_key(const vchain *lift, const char *keyid)
{
	if (lift == NULL)
		return true;
	for (size_t i = 0; i < lift->n_earlier; i++)
		if (reinstated_key(&lift->earlier[i], keyid))
			return false;
	return !reinstated_key(lift->last, keyid);
}

/* A version-1 policy has no revocation_roles to drop a role by: a /1.1
 * state keeps its revocations under it (SPEC 1.1, the preamble). */
static bool drops_role(const vpolicy *p, const char *name)
{
	return p->v11 && !role_listed(p, name);
}

static bool kept_role(const vchain *lift, const char *name)
{
	if (lift == NULL)
		return true;
	for (size_t i = 0; i < lift->n_earlier; i++)
		if (drops_role(&lift->earlier[i], name))
			return false;
	return !drops_role(lift->last, name);
}

/* Whether x adds an entry that the role does not keep already. */
static bool adds_entry(const vrev *x, const vrevrole *st, const vchain *lift)
{
	for (size_t i = 0; i < x->doc.n_updates; i++)
		if (st == NULL || !stored_update(st, x->doc.updates[i]) ||
		    !kept_update(lift, x->doc.updates[i]))
			return true;
	for (size_t i = 0; i < x->doc.n_keys; i++)
		if (st == NULL || !stored_key(st, x->doc.keys[i]) || !kept_key(lift, x->doc.keys[i]))
			return true;
	return false;
}

/* The role's entries once its accepted revocations join what it keeps. */
static void role_totals(role_total *t, const vrevs *h, const char *role, const vrevrole *st,
                        const vchain *lift, const veto_config *cfg)
{
	size_t nu = st != NULL ? st->n_updates : 0, nk = st != NULL ? st->n_keys : 0;
	for (size_t i = 0; i < h->n; i++)
		if (h->items[i].accepted && strcmp(h->items[i].doc.role, role) == 0) {
			nu += h->items[i].doc.n_updates;
			nk += h->items[i].doc.n_keys;
		}
	uint8_t(*u)[32] = veto__vx_calloc(cfg, nu ? nu : 1, 32);
	char(*k)[65] = veto__vx_calloc(cfg, nk ? nk : 1, 65);
	memset(t, 0, sizeof(*t));
	t->nomem = u == NULL || k == NULL;
	size_t au = 0, ak = 0;
	for (size_t i = 0; !t->nomem && st != NULL && i < st->n_updates; i++)
		if (kept_update(lift, st->updates[i]))
			memcpy(u[au++], st->updates[i], 32);
	for (size_t i = 0; !t->nomem && st != NULL && i < st->n_keys; i++)
		if (kept_key(lift, st->keys[i]))
			memcpy(k[ak++], st->keys[i], 65);
	for (size_t i = 0; !t->nomem && i < h->n; i++) {
		const vrev *x = &h->items[i];
		if (!x->accepted || strcmp(x->doc.role, role) != 0)
			continue;
		memcpy(u[au], x->doc.updates, x->doc.n_updates * 32);
		au += x->doc.n_updates;
		memcpy(k[ak], x->doc.keys, x->doc.n_keys * 65);
		ak += x->doc.n_keys;
	}
	if (!t->nomem) {
		t->updates = sort_unique(u, au, 32, cmp_digest);
		t->keys = sort_unique(k, ak, 65, cmp_keyid);
	}
	veto__vx_free(cfg, u);
	veto__vx_free(cfg, k);
}

/* SPEC 5.3 "Storing": a role's accepted revocations judged together; when
 * their new entries would pass its limits, each that adds one is refused. */
static veto_status judge_limits(vrevs *h, veto_report *rep, const judge_ctx *j)
{
	for (size_t i = 0; i < h->n; i++) {
		const char *role = h->items[i].doc.role;
		bool first = h->items[i].accepted;
		for (size_t k = 0; first && k < i; k++)
			first = !(h->items[k].accepted && strcmp(h->items[k].doc.role, role) == 0);
		if (!first)
			continue; /* each role once, at its first accepted revocation */
		role_total t;
		const vrevrole *st = kept_role(j->lift, role) ? stored_role(j->s, role) : NULL;
		role_totals(&t, h, role, st, j->lift, j->cfg);
		if (t.nomem)
			return VETO_E_NOMEM;
		if (t.updates <= STATE_MAX_REV_UPDATES && t.keys <= STATE_MAX_REV_KEYS)
			continue;
		for (size_t k = i; k < h->n; k++) {
			vrev *x = &h->items[k];
			if (!x->accepted || strcmp(x->doc.role, role) != 0 || !adds_entry(x, st, j->lift))
				continue;
			veto_reason *r = veto__rep_addf(rep, VETO_R_REVOCATION_LIMIT,
			                          "role \"%s\" would hold %zu update digests and %zu keyids, "
			                          "above %u and %u",
			                          role, t.updates, t.keys, STATE_MAX_REV_UPDATES,
			                          STATE_MAX_REV_KEYS);
			if (r != NULL) {
				r->index = (unsigned)(k + 1);
				veto__str_copy(r->role, sizeof(r->role), role);
			}
		}
		for (size_t k = i; k < h->n; k++) {
			vrev *x = &h->items[k];
			if (x->accepted && strcmp(x->doc.role, role) == 0 && adds_entry(x, st, j->lift)) {
				x->accepted = false;
				h->n_accepted--;
			}
		}
	}
	return veto__rep_nomem(rep) ? VETO_E_NOMEM : VETO_OK;
}

veto_status veto__rev_judge(vrevs *out, veto_report *rep, const veto_config *cfg, const vpolicy *gov,
                      const vchain *lift, const veto_state *s, const veto_bytes *docs, size_t n)
{
	judge_ctx j = {cfg, gov, s, lift};
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return VETO_OK;
	out->items = veto__vx_calloc(cfg, n, sizeof(*out->items));
	if (out->items == NULL)
		return VETO_E_NOMEM;
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		rev_fault f;
		veto_status st = judge_one(&out->items[i], &j, &docs[i], &f);
		if (st != VETO_OK)
			return st;
		out->items[i].accepted = f == RF_NONE;
		out->n_accepted += f == RF_NONE;
		if (f == RF_NONE)
			continue;
		veto_reason *x = veto__rep_addf(rep, VETO_N_REVOCATION_INVALID, "%s", fault_words[f]);
		if (x != NULL)
			x->index = (unsigned)(i + 1);
	}
	return judge_limits(out, rep, &j);
}

void veto__rev_free(vrevs *r, const veto_config *cfg)
{
	veto__vx_free(cfg, r->items);
	memset(r, 0, sizeof(*r));
}

/* ---- storing ------------------------------------------------------------------ */

/* Room for role `name` in out[0..*n) (found or appended, arrays sized for
 * cap_u digests and cap_k keyids).  NULL when out of memory. */
static vrevrole *slot_for(vrevrole *out, size_t *n, const char *name, const vrevs *h,
                          const vrevrole *old, const veto_config *cfg)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(out[i].role, name) == 0)
			return &out[i];
	size_t cu = old != NULL ? old->n_updates : 0, ck = old != NULL ? old->n_keys : 0;
	for (size_t i = 0; h != NULL && i < h->n; i++)
		if (h->items[i].accepted && strcmp(h->items[i].doc.role, name) == 0) {
			cu += h->items[i].doc.n_updates;
			ck += h->items[i].doc.n_keys;
		}
	vrevrole *r = &out[(*n)++];
	veto__str_copy(r->role, sizeof(r->role), name);
	r->updates = veto__vx_calloc(cfg, cu ? cu : 1, 32);
	r->keys = veto__vx_calloc(cfg, ck ? ck : 1, 65);
	return r->updates != NULL && r->keys != NULL ? r : NULL;
}

static void roles_free(vrevrole *r, size_t n, const veto_config *cfg)
{
	for (size_t i = 0; r != NULL && i < n; i++) {
		veto__vx_free(cfg, r[i].updates);
		veto__vx_free(cfg, r[i].keys);
	}
	veto__vx_free(cfg, r);
}

/* The kept entries of the state's role `old`. */
static bool keep_old(vrevrole *out, size_t *n, const vrevrole *old, const vchain *lift,
                     const vrevs *h, const veto_config *cfg)
{
	if (!kept_role(lift, old->role))
		return true; /* the owner stopped honouring this role: its entries go */
	vrevrole *r = slot_for(out, n, old->role, h, old, cfg);
	if (r == NULL)
		return false;
	for (size_t i = 0; i < old->n_updates; i++)
		if (kept_update(lift, old->updates[i]))
			memcpy(r->updates[r->n_updates++], old->updates[i], 32);
	for (size_t i = 0; i < old->n_keys; i++)
		if (kept_key(lift, old->keys[i]))
			memcpy(r->keys[r->n_keys++], old->keys[i], 65);
	return true;
}

/* Appends x's entries to its role. */
static bool add_new(vrevrole *out, size_t *n, const vrev *x, const veto_state *dst,
                    const vrevs *h, const veto_config *cfg)
{
	vrevrole *r = slot_for(out, n, x->doc.role, h, stored_role(dst, x->doc.role), cfg);
	if (r == NULL)
		return false;
	memcpy(r->updates[r->n_updates], x->doc.updates, x->doc.n_updates * 32);
	r->n_updates += x->doc.n_updates;
	memcpy(r->keys[r->n_keys], x->doc.keys, x->doc.n_keys * 65);
	r->n_keys += x->doc.n_keys;
	return true;
}

veto_status veto__rev_store(veto_state *dst, const vchain *lift, const vrevs *h)
{
	const veto_config *cfg = &dst->cfg;
	size_t cap = dst->n_revs + (h != NULL ? h->n_accepted : 0), n = 0;
	if (cap == 0)
		return VETO_OK;
	vrevrole *out = veto__vx_calloc(cfg, cap, sizeof(*out));
	bool ok = out != NULL;
	for (size_t r = 0; ok && r < dst->n_revs; r++)
		ok = keep_old(out, &n, &dst->revs[r], lift, h, cfg);
	for (size_t i = 0; ok && h != NULL && i < h->n; i++)
		if (h->items[i].accepted)
			ok = add_new(out, &n, &h->items[i], dst, h, cfg);
	if (!ok) {
		roles_free(out, n, cfg);
		return VETO_E_NOMEM;
	}
	/* sorted and distinct; a role left empty is dropped */
	size_t kept = 0;
	for (size_t r = 0; r < n; r++) {
		out[r].n_updates = sort_unique(out[r].updates, out[r].n_updates, 32, cmp_digest);
		out[r].n_keys = sort_unique(out[r].keys, out[r].n_keys, 65, cmp_keyid);
		if (out[r].n_updates == 0 && out[r].n_keys == 0) {
			veto__vx_free(cfg, out[r].updates);
			veto__vx_free(cfg, out[r].keys);
			continue;
		}
		out[kept++] = out[r];
	}
	roles_free(dst->revs, dst->n_revs, cfg);
	dst->revs = out;
	dst->n_revs = kept;
	dst->v11 = dst->v11 || kept > 0; /* once /1.1, always /1.1 */
	return VETO_OK;
}
