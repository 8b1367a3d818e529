/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_revocation.c - (1.1) revocations (SPEC 5.3): reading them, accepting
 * them under the governing policy, storing them and their effect on a
 * decision.
 *
 * Two flag bytes, then one or two parts, split at the first NUL byte (a
 * JSON text never holds one).  The first byte:
 *   bit 0      raw mode: each part is an envelope, handed in as it is;
 *              otherwise each part is a revocation payload that the harness
 *              signs over its PAE without validating it (tw_envelope_by_keys), so
 *              that a fuzzed payload passes rule 2 and reaches the parser,
 *              and a valid one the acceptance rules
 *   bits 1-2   the signer set of the first part (fz_rev_signers)
 *   bits 3-4   the signer set of the second part
 *   bit 5      start from the state with stored revocations (else none)
 *   bit 6      with bit 5, hand in policy2 as well: a new policy whose
 *              reinstate and revocation_roles apply to what is stored
 *              (without a stored revocation there is little to lift, and
 *              trusting a policy is the dearest step of a run)
 *   bit 7      feed the image and commit when the decision accepts
 * The second byte: with bit 5, its five low bits all set (one input in
 * 32) choose the full stored state, one digest short of the auditor
 * role's limit, so that revocation-limit is reached (its size makes each
 * run several times slower, hence the rarity).  Its bit 6 asks for the
 * comparison of "handed in" with "stored" when something was accepted
 * (another decision and its signatures: half the inputs pay for it).
 * fuzz/seed.c writes inputs in this framing (tests/fuzz-corpus/revocation).
 *
 * Calls: veto_trust_at with the revocations (and policy2), then
 * veto_check_begin_at with the same inputs and the fixed update; when some
 * revocation was accepted, veto_check_begin_at on trust's new state with
 * none handed in; with two parts, veto_trust_at again in the other order.
 *
 * Invariants: trust refuses only with revocation-limit and always gives a
 * state that round-trips, keeps what it must keep (revocations are
 * permanent; only policy2's reinstate and its dropped role lift them), and
 * whose lists are sorted, distinct and within the limits; check and trust
 * say the same of every revocation, and a check stores nothing; a
 * revocation handed in has exactly the effect of the same revocation
 * stored; the order of two revocations changes neither the state nor the
 * report; a key revoked before the command opens nothing; commit stores
 * what trust stores.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

enum { F_RAW = 1, F_STORED = 1 << 5, F_POLICY2 = 1 << 6, F_COMMIT = 1 << 7 };

/* The revocations of one input, as handed in. */
typedef struct handed {
	veto_bytes rev[2];
	char *signed_env[2]; /* made by the harness (free), else NULL */
	size_t n;
} handed;

/* What a report says of each revocation handed in: its revocation-invalid
 * detail, "limit" for revocation-limit, or "" when it was accepted. */
typedef struct fates {
	char what[2][16];
} fates;

static const char *const details[] = {"malformed", "type", "untrusted", "role",
                                      "device",    "key",  "threshold"};

static void read_fates(fates *f, const veto_report *r, size_t n)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < r->n_notices; i++) {
		const veto_reason *x = &r->notices[i];
		if (x->code != VETO_N_REVOCATION_INVALID)
			continue;
		FZ_CHECK(x->index >= 1 && x->index <= n && f->what[x->index - 1][0] == '\0');
		bool known = false;
		for (size_t k = 0; k < sizeof details / sizeof details[0]; k++)
			known = known || strcmp(x->detail, details[k]) == 0;
		FZ_CHECK(known);
		strcpy(f->what[x->index - 1], x->detail);
	}
	for (size_t i = 0; i < r->n_refusals; i++) {
		const veto_reason *x = &r->refusals[i];
		if (x->code != VETO_R_REVOCATION_LIMIT)
			continue;
		FZ_CHECK(x->index >= 1 && x->index <= n && f->what[x->index - 1][0] == '\0');
		FZ_CHECK(x->role[0] != '\0');
		strcpy(f->what[x->index - 1], "limit");
	}
}

static size_t accepted(const fates *f, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += f->what[i][0] == '\0';
	return k;
}

static void split(handed *h, const uint8_t *data, size_t size, unsigned flags)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t first = nul != NULL ? (size_t)(nul - data) : size;
	const uint8_t *part[2] = {data, nul != NULL ? nul + 1 : NULL};
	size_t len[2] = {first, nul != NULL ? size - first - 1 : 0};
	memset(h, 0, sizeof *h);
	h->n = nul != NULL ? 2 : 1;
	for (size_t i = 0; i < h->n; i++) {
		if (flags & F_RAW) {
			/* a pointer even for an empty part: the API takes none NULL */
			h->rev[i] = (veto_bytes){part[i] != NULL ? part[i] : data, len[i]};
			continue;
		}
		const fz_key *keys[4];
		size_t nk = fz_rev_signers(keys, flags >> (1 + 2 * i));
		tw_str b = {0};
		FZ_CHECK(tw_envelope_by_keys(&b, VETO_TYPE_REVOCATION, part[i], len[i], keys, nk));
		h->signed_env[i] = b.s;
		h->rev[i] = (veto_bytes){(const uint8_t *)b.s, b.len};
	}
}

static char *format(const veto_state *s)
{
	char *text = NULL;
	size_t len = 0;
	FZ_CHECK(veto_state_format(&text, &len, s) == VETO_OK);
	return text;
}

static size_t role_index(const veto_state *s, const char *name, bool *found)
{
	size_t n = veto_state_revocation_roles(s);
	for (size_t i = 0; i < n; i++)
		if (strcmp(veto_state_revocation_role(s, i), name) == 0) {
			*found = true;
			return i;
		}
	*found = false;
	return n;
}

/* Whether every update digest of role r of a (but lifted, when not NULL)
 * is in role t of b: both lists are sorted (check_lists), so one walk. */
static bool updates_within(const veto_state *a, size_t r, const veto_state *b, size_t t,
                           const uint8_t *lifted)
{
	size_t nb = veto_state_revoked_update_count(b, t), j = 0;
	for (size_t i = 0; i < veto_state_revoked_update_count(a, r); i++) {
		const uint8_t *d = veto_state_revoked_update(a, r, i);
		if (lifted != NULL && memcmp(d, lifted, 32) == 0)
			continue;
		while (j < nb && memcmp(veto_state_revoked_update(b, t, j), d, 32) < 0)
			j++;
		if (j == nb || memcmp(veto_state_revoked_update(b, t, j), d, 32) != 0)
			return false;
	}
	return true;
}

/* The same for keyids. */
static bool keys_within(const veto_state *a, size_t r, const veto_state *b, size_t t,
                        const char *lifted)
{
	size_t nb = veto_state_revoked_key_count(b, t), j = 0;
	for (size_t i = 0; i < veto_state_revoked_key_count(a, r); i++) {
		const char *k = veto_state_revoked_key(a, r, i);
		if (lifted != NULL && strcmp(k, lifted) == 0)
			continue;
		while (j < nb && strcmp(veto_state_revoked_key(b, t, j), k) < 0)
			j++;
		if (j == nb || strcmp(veto_state_revoked_key(b, t, j), k) != 0)
			return false;
	}
	return true;
}

/* Each role's lists sorted, distinct, non-empty together, within limits. */
static void check_lists(const veto_state *s)
{
	for (size_t r = 0; r < veto_state_revocation_roles(s); r++) {
		size_t nu = veto_state_revoked_update_count(s, r), nk = veto_state_revoked_key_count(s, r);
		FZ_CHECK(nu + nk > 0 && nu <= 1024 && nk <= 256);
		for (size_t j = 1; j < nu; j++)
			FZ_CHECK(memcmp(veto_state_revoked_update(s, r, j - 1),
			                veto_state_revoked_update(s, r, j), 32) < 0);
		for (size_t j = 1; j < nk; j++)
			FZ_CHECK(strcmp(veto_state_revoked_key(s, r, j - 1), veto_state_revoked_key(s, r, j)) <
			         0);
	}
}

/* Revocations are permanent: every entry of from is in to, except, when
 * policy2 was trusted, the vendor role's and what its reinstate names. */
static void check_kept(const veto_state *from, const veto_state *to, bool policy2)
{
	const fz_rev_world *rw = fz_rev_get();
	const char *aud2 = fz_get()->aud[2].keyid;
	for (size_t r = 0; r < veto_state_revocation_roles(from); r++) {
		const char *role = veto_state_revocation_role(from, r);
		bool found;
		if (policy2 && strcmp(role, "vendor") == 0)
			continue;
		size_t t = role_index(to, role, &found);
		if (!found) /* then everything of the role was lifted */
			t = veto_state_revocation_roles(to);
		FZ_CHECK(updates_within(from, r, to, t, policy2 ? rw->stored_auditor_bin : NULL));
		FZ_CHECK(keys_within(from, r, to, t, policy2 ? aud2 : NULL));
	}
}

/* The revocations of a and b are the same. */
static void check_same_revocations(const veto_state *a, const veto_state *b)
{
	FZ_CHECK(veto_state_revocation_roles(a) == veto_state_revocation_roles(b));
	for (size_t r = 0; r < veto_state_revocation_roles(a); r++) {
		bool found;
		size_t t = role_index(b, veto_state_revocation_role(a, r), &found);
		FZ_CHECK(found);
		FZ_CHECK(veto_state_revoked_update_count(a, r) == veto_state_revoked_update_count(b, t));
		FZ_CHECK(veto_state_revoked_key_count(a, r) == veto_state_revoked_key_count(b, t));
		FZ_CHECK(updates_within(a, r, b, t, NULL) && keys_within(a, r, b, t, NULL));
	}
}

/* Committing with the revocations handed in, or after trust stored them,
 * records the same state. */
static void check_same_commit(const veto_state *a, const veto_state *b)
{
	FZ_CHECK((a == NULL) == (b == NULL));
	if (a == NULL)
		return;
	char *ta = format(a), *tb = format(b);
	FZ_CHECK(strcmp(ta, tb) == 0);
	veto_free(NULL, ta);
	veto_free(NULL, tb);
}

/* Two reasons alike in everything a caller sees but the index. */
static bool same_reason(const veto_reason *x, const veto_reason *y)
{
	return x->code == y->code && x->has_counts == y->has_counts && x->have == y->have &&
	       x->need == y->need && strcmp(x->role, y->role) == 0 &&
	       strcmp(x->feature, y->feature) == 0 && strcmp(x->offered, y->offered) == 0 &&
	       strcmp(x->detail, y->detail) == 0;
}

/* a[] and b[] without the codes about revocations handed in are equal. */
static void check_same_list(const veto_reason *a, size_t na, const veto_reason *b, size_t nb)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < na && (a[i].code == VETO_R_REVOCATION_LIMIT ||
		                  a[i].code == VETO_N_REVOCATION_INVALID))
			i++;
		while (j < nb && (b[j].code == VETO_R_REVOCATION_LIMIT ||
		                  b[j].code == VETO_N_REVOCATION_INVALID))
			j++;
		if (i == na || j == nb)
			break;
		FZ_CHECK(same_reason(&a[i++], &b[j++]));
	}
	FZ_CHECK(i == na && j == nb);
}

/* A decision on the fixed update; its report in rep.  With the image (bit
 * 7) it is finished with the image and, when accepted, committed into
 * *committed (else NULL). */
static veto_status decide(veto_report *rep, veto_state **committed, const veto_state *s,
                          const veto_bytes *pol, const handed *h, bool image)
{
	const fz_rev_world *rw = fz_rev_get();
	veto_when when = {.now = fz_get()->now, .revocations = h != NULL ? h->rev : NULL,
	                  .n_revocations = h != NULL ? h->n : 0};
	veto_check *c = NULL;
	*committed = NULL;
	veto_status st = veto_check_begin_at(&c, rep, NULL, s, pol, pol != NULL ? 1 : 0,
	                                     (const uint8_t *)rw->update, rw->update_len, &when);
	FZ_CHECK(st == VETO_OK || st == VETO_E_NOMEM);
	if (st != VETO_OK)
		return st;
	if (image)
		FZ_CHECK(veto_check_image(c, rw->image, FZ_IMAGE_LEN) == VETO_OK);
	st = veto_check_finish(c, NULL);
	FZ_CHECK(st == VETO_OK || st == VETO_REFUSED || st == VETO_E_NOMEM);
	size_t refusals = fz_report_check(rep);
	FZ_CHECK((st == VETO_OK) == (refusals == 0) || st == VETO_E_NOMEM);
	if (image && st == VETO_OK) {
		veto_status cst = veto_check_commit(committed, c);
		FZ_CHECK(cst == VETO_OK || cst == VETO_E_NOMEM);
	}
	veto_check_free(c);
	return st;
}

static veto_state *trust(veto_report *rep, const veto_state *s, const veto_bytes *pol,
                         const veto_bytes *revs, size_t n)
{
	veto_when when = {.now = fz_get()->now, .revocations = revs, .n_revocations = n};
	veto_state *out = NULL;
	veto_status st = veto_trust_at(&out, rep, NULL, s, pol, pol != NULL ? 1 : 0, &when);
	FZ_CHECK(st == VETO_OK || st == VETO_REFUSED || st == VETO_E_NOMEM);
	if (st == VETO_E_NOMEM) {
		FZ_CHECK(out == NULL);
		return NULL;
	}
	FZ_CHECK(out != NULL);
	size_t refusals = fz_report_check(rep);
	FZ_CHECK((st == VETO_OK) == (refusals == 0));
	/* policy2 is valid and newer: only a revocation can be refused */
	for (size_t i = 0; i < rep->n_refusals; i++)
		FZ_CHECK(rep->refusals[i].code == VETO_R_REVOCATION_LIMIT);
	return out;
}

/* The same revocations in the other order: the same word about each and
 * the same state (text NULL: the start state's revocations, unchanged). */
static void check_order(const veto_state *s, const veto_bytes *pol, const handed *h,
                        const veto_state *next, const char *text, const fates *f)
{
	veto_bytes rev[2] = {h->rev[1], h->rev[0]};
	veto_report rep;
	fates g;
	veto_report_init(&rep, NULL);
	veto_state *other = trust(&rep, s, pol, rev, 2);
	if (other != NULL) {
		check_same_revocations(next, other);
		if (text != NULL) {
			char *t2 = format(other);
			FZ_CHECK(strcmp(text, t2) == 0);
			veto_free(NULL, t2);
		}
		read_fates(&g, &rep, 2);
		FZ_CHECK(strcmp(f->what[0], g.what[1]) == 0 && strcmp(f->what[1], g.what[0]) == 0);
	}
	veto_state_free(other);
	veto_report_clear(&rep);
}

/* The number of revoked entries a state holds. */
static size_t entries(const veto_state *s)
{
	size_t n = 0;
	for (size_t r = 0; r < veto_state_revocation_roles(s); r++)
		n += veto_state_revoked_update_count(s, r) + veto_state_revoked_key_count(s, r);
	return n;
}

/* A key revoked before the command opens nothing: aud2 alone (set 1) is
 * untrusted from the stored state unless policy2 reinstates it. */
static void check_revoked_signer(const fates *f, const handed *h, unsigned flags)
{
	for (size_t i = 0; i < h->n; i++)
		if (!(flags & F_RAW) && ((flags >> (1 + 2 * i)) & 3U) == 1 && (flags & F_STORED) &&
		    !(flags & F_POLICY2))
			FZ_CHECK(strcmp(f->what[i], "untrusted") == 0);
	for (size_t i = 0; i < h->n; i++)
		FZ_CHECK((flags & F_RAW) || strcmp(f->what[i], "type") != 0);
}

/* The start state of an input: 0 plain, 1 stored, 2 full. */
static size_t start_of(unsigned flags, unsigned more)
{
	if (!(flags & F_STORED))
		return 0;
	return (more & 31U) == 31U ? 2 : 1;
}

/* What a check could store into a state, in a few numbers (a text compare
 * on every run would cost a fifth of the run). */
typedef struct print {
	size_t roles, updates, keys;
	uint64_t counter, max, serial;
	int64_t floor;
} print;

static void fingerprint(print *p, const veto_state *s)
{
	memset(p, 0, sizeof *p);
	p->roles = veto_state_revocation_roles(s);
	for (size_t r = 0; r < p->roles; r++) {
		p->updates += veto_state_revoked_update_count(s, r);
		p->keys += veto_state_revoked_key_count(s, r);
	}
	p->counter = veto_state_security_counter(s);
	p->max = veto_state_counter_max(s);
	(void)veto_state_policy_serial(s, &p->serial);
	(void)veto_state_time_floor(s, &p->floor);
}

/* The start states and their fingerprints, made once: a check must leave
 * them as they are. */
static const veto_state *start_state(size_t which, const print **before)
{
	static print prints[3];
	static bool made[3];
	const fz_rev_world *rw = fz_rev_get();
	const veto_state *s = which == 0 ? rw->plain : which == 1 ? rw->stored : rw->full;
	if (!made[which])
		fingerprint(&prints[which], s);
	made[which] = true;
	*before = &prints[which];
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const fz_rev_world *rw = fz_rev_get();
	if (size < 2)
		return 0;
	unsigned flags = data[0];
	handed h;
	split(&h, data + 2, size - 2, flags);
	const print *before;
	const veto_state *start = start_state(start_of(flags, data[1]), &before);
	veto_bytes p2 = {(const uint8_t *)rw->policy2, rw->policy2_len};
	const veto_bytes *pol = (flags & F_POLICY2) && (flags & F_STORED) ? &p2 : NULL;
	char *text = NULL;
	veto_report trep, crep, erep;
	veto_state *next, *committed = NULL, *ecommitted = NULL;
	fates tf, cf;

	veto_report_init(&trep, NULL);
	veto_report_init(&crep, NULL);
	veto_report_init(&erep, NULL);
	next = trust(&trep, start, pol, h.rev, h.n);
	if (next == NULL)
		goto done;
	check_kept(start, next, pol != NULL);
	/* Without policy2, the same number of entries means the same ones
	 * (check_kept): the state is the start's, which round-tripped when it
	 * was made.  Only a changed state is worth formatting. */
	if (pol != NULL || entries(next) != entries(start)) {
		text = format(next);
		if (start != rw->full) /* its lists alone cost a run's time */
			fz_state_roundtrip(next);
		check_lists(next);
	}
	read_fates(&tf, &trep, h.n);
	check_revoked_signer(&tf, &h, flags);

	/* check: the same word about each revocation, nothing stored */
	veto_status cst = decide(&crep, &committed, start, pol, &h, (flags & F_COMMIT) != 0);
	print after;
	fingerprint(&after, start);
	FZ_CHECK(memcmp(before, &after, sizeof after) == 0);
	if (cst == VETO_E_NOMEM)
		goto done;
	read_fates(&cf, &crep, h.n);
	for (size_t i = 0; i < h.n; i++)
		FZ_CHECK(strcmp(tf.what[i], cf.what[i]) == 0);
	if (committed != NULL)
		check_same_revocations(committed, next);

	/* handed in == stored: the decision on trust's state with nothing
	 * handed in says the same about the update */
	if ((data[1] & 0x40) && accepted(&tf, h.n) > 0 &&
	    decide(&erep, &ecommitted, next, NULL, NULL, (flags & F_COMMIT) != 0) != VETO_E_NOMEM) {
		check_same_list(crep.refusals, crep.n_refusals, erep.refusals, erep.n_refusals);
		check_same_list(crep.notices, crep.n_notices, erep.notices, erep.n_notices);
		/* revocation-limit refuses the decision it is reported in, and
		 * only that one */
		if (!fz_report_has(&crep, VETO_R_REVOCATION_LIMIT))
			check_same_commit(committed, ecommitted);
	}
	if (h.n == 2)
		check_order(start, pol, &h, next, text, &tf);
done:
	veto_state_free(next);
	veto_state_free(committed);
	veto_state_free(ecommitted);
	veto_report_clear(&trep);
	veto_report_clear(&crep);
	veto_report_clear(&erep);
	veto_free(NULL, text);
	free(h.signed_env[0]);
	free(h.signed_env[1]);
	return 0;
}
