/* SPDX-License-Identifier: Apache-2.0 */
/*
 * run.c - replays the case table tests/vectors/cases.txt through the public
 * API and prints one TAP line per case.
 *
 *   run CASES.TXT SRCDIR [--expand | --refused TEXT]
 *
 * --expand prints each case after its @defaults are applied instead of
 * running it; --refused passes only when the table is refused with a message
 * that says TEXT.
 *
 * The format of the table is described in README.md and at the top of
 * cases.txt.  Each file is read into a buffer of exactly its size, so that
 * AddressSanitizer sees any read past a document's end.  A case passes only
 * when the outcome is exactly the expected one: the full list of refusal
 * codes (with multiplicity, in the order of SPEC section 8), the notices
 * when the case lists them, or the exact status.  Any mismatch prints what
 * the library said, and the exit status is then 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "veto.h"

#define DEFAULT_NOW "2026-06-01T00:00:00Z"
#define MAX_ITEMS 32
#define MAX_POLICIES 8
#define MAX_FEATURES 8
#define MAX_REVOCATIONS 8

/* ---- the table ----------------------------------------------------------- */

typedef struct item {
	veto_code code;
	const char *qual; /* role or feature the reason must name; NULL: any */
	int has_counts;   /* and its have/need */
	uint64_t have, need;
	const char *exact; /* "(=TEXT)": the offered text, else the detail, is TEXT */
	unsigned index;    /* (1.1) "[N]": the reason's index is N; 0: any */
} item;

typedef struct expect {
	int is_status;      /* the expectation is a status name */
	veto_status status; /* ... this one */
	item refusals[MAX_ITEMS];
	size_t n_refusals;
	int check_notices; /* notices are compared only when listed ("+") */
	item notices[MAX_ITEMS];
	size_t n_notices;
} expect;

typedef struct vcase {
	unsigned line;
	const char *name, *kind, *expected_text;
	expect x[MAX_POLICIES]; /* one per policy= for a batch pre-flight, else one */
	size_t n_x;
	const char *anchor, *state, *update, *image, *file, *now;
	const char *policy[MAX_POLICIES];
	size_t n_policy;
	const char *feature[MAX_FEATURES];
	size_t n_feature;
	uint64_t counter;
	size_t chunk;
	size_t pad_to;
	veto_config cfg;
	int prefixes;
	const char *local; /* (1.1) the local wall-clock time handed in */
	int installed;     /* (1.1) the check records an installation */
	const char *rev[MAX_REVOCATIONS]; /* (1.1) revocations handed in, in order */
	size_t n_rev;
} vcase;

static const char *srcdir;

/* Every status value lies below 500 (veto.h's ranges); the name of any
 * other value is "unknown", which names no status. */
static int status_of(const char *name, veto_status *out)
{
	for (int v = 0; v < 500 && strcmp(name, "unknown") != 0; v++)
		if (strcmp(veto_status_name((veto_status)v), name) == 0) {
			*out = (veto_status)v;
			return 0;
		}
	return -1;
}

static int code_of(const char *name, veto_code *out)
{
	for (int c = 1; c < (int)VETO_CODE_COUNT_; c++)
		if (strcmp(veto_code_name((veto_code)c), name) == 0) {
			*out = (veto_code)c;
			return 0;
		}
	return -1;
}

/* With --refused TEXT, a table must be refused for a reason that says
 * TEXT: the strict reading of the table is tested too. */
static const char *refused_for;

#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 2, 3)))
#endif

static void bail(unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s cases.txt:%u: %s\n", refused_for ? "#" : "Bail out!", line, msg);
	if (refused_for != NULL)
		exit(strstr(msg, refused_for) != NULL ? 0 : 1);
	exit(2);
}

/* "code" or "code(qual)", comma-separated, in table order; text is
 * modified in place and must outlive the case. */
static void parse_items(unsigned line, char *text, item *out, size_t *n, int notices)
{
	*n = 0;
	if (strcmp(text, "none") == 0)
		return;
	for (char *save = NULL, *t = strtok_r(text, ",", &save); t != NULL;
	     t = strtok_r(NULL, ",", &save)) {
		if (*n == MAX_ITEMS)
			bail(line, "too many codes");
		item *it = &out[(*n)++];
		it->qual = NULL;
		it->exact = NULL;
		it->index = 0;
		char *paren = strchr(t, '(');
		if (paren != NULL && paren[1] == '=') {
			/* "(=TEXT)": compared whole, '|' standing for ',' */
			size_t len = strlen(paren);
			if (len < 4 || paren[len - 1] != ')')
				bail(line, "bad qualifier in \"%s\"", t);
			paren[len - 1] = '\0';
			*paren = '\0';
			it->exact = paren + 2;
			for (char *q = paren + 2; *q; q++)
				if (*q == '|')
					*q = ',';
		} else if (paren != NULL) {
			size_t len = strlen(paren);
			if (len < 3 || paren[len - 1] != ')')
				bail(line, "bad qualifier in \"%s\"", t);
			paren[len - 1] = '\0';
			*paren = '\0';
			it->qual = paren + 1;
			/* "(name:HAVE/NEED)" or "(:HAVE/NEED)"; a colon not followed by
			 * counts belongs to a feature name ("egress:cloud.acme.com") */
			char *colon = strrchr(it->qual, ':'), *slash, *end;
			if (colon != NULL && strchr(colon, '/') == NULL)
				colon = NULL;
			if (colon != NULL) {
				*colon = '\0';
				slash = strchr(colon + 1, '/');
				if (slash == NULL)
					bail(line, "counts are written HAVE/NEED");
				*slash = '\0';
				it->has_counts = 1;
				it->have = strtoull(colon + 1, &end, 10);
				if (end == colon + 1 || *end != '\0')
					bail(line, "bad count \"%s\"", colon + 1);
				it->need = strtoull(slash + 1, &end, 10);
				if (end == slash + 1 || *end != '\0')
					bail(line, "bad count \"%s\"", slash + 1);
			}
			if (it->qual[0] == '\0')
				it->qual = NULL;
		}
		char *bracket = strchr(t, '[');
		if (bracket != NULL) {
			/* "code[N]": (1.1) the reason's index, 1-based */
			char *end;
			unsigned long v = strtoul(bracket + 1, &end, 10);
			if (end == bracket + 1 || strcmp(end, "]") != 0 || v == 0 || v > 64)
				bail(line, "bad index in \"%s\"", t);
			it->index = (unsigned)v;
			*bracket = '\0';
		}
		if (code_of(t, &it->code) != 0)
			bail(line, "unknown code \"%s\"", t);
		if (veto_code_is_notice(it->code) != notices)
			bail(line, "\"%s\" is %s", t, notices ? "not a notice" : "a notice, list it after '+'");
		if (*n > 1 && out[*n - 2].code > it->code)
			bail(line, "\"%s\" is out of the order of SPEC section 8", t);
	}
}

static void parse_one(vcase *c, expect *x, char *text)
{
	memset(x, 0, sizeof(*x));
	if (strncmp(text, "VETO_", 5) == 0) {
		if (status_of(text, &x->status) != 0)
			bail(c->line, "unknown status \"%s\"", text);
		x->is_status = 1;
		return;
	}
	char *plus = strchr(text, '+');
	if (plus != NULL) {
		*plus = '\0';
		x->check_notices = 1;
		parse_items(c->line, plus + 1, x->notices, &x->n_notices, 1);
	}
	if (strcmp(text, "accept") == 0 || strcmp(text, "ok") == 0)
		return;
	parse_items(c->line, text, x->refusals, &x->n_refusals, 0);
	if (x->n_refusals == 0)
		bail(c->line, "no refusal code");
}

/* EXPECTED, or for a batch pre-flight one EXPECTED per policy joined by ';'. */
static void parse_expect(vcase *c, char *text)
{
	c->n_x = 0;
	for (char *save = NULL, *t = strtok_r(text, ";", &save); t != NULL;
	     t = strtok_r(NULL, ";", &save)) {
		if (c->n_x == MAX_POLICIES)
			bail(c->line, "too many expectations");
		parse_one(c, &c->x[c->n_x++], t);
	}
	if (c->n_x == 0)
		bail(c->line, "no expectation");
}

static uint64_t parse_u64(unsigned line, const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *s < '0' || *s > '9')
		bail(line, "\"%s\" is not a number", s);
	return (uint64_t)v;
}

/* The key of an argument token: "key=value" or the flag "prefixes" (its
 * length in *len).  The token is not modified: a @defaults token is read
 * again for every case it applies to. */
static const char *const arg_keys[] = {"anchor",  "state",  "update",       "image",
                                       "file",    "now",    "policy",       "feature",
                                       "counter", "chunk",  "pad-to",       "max-envelope",
                                       "max-signatures",    "max-depth",    "prefixes",
                                       "local", "installed", "revocation"};
#define N_ARG_KEYS (sizeof(arg_keys) / sizeof(arg_keys[0]))

static size_t arg_key(unsigned line, const char *tok, size_t *len)
{
	const char *eq = strchr(tok, '=');
	size_t kl = eq != NULL ? (size_t)(eq - tok) : strlen(tok);
	for (size_t i = 0; i < N_ARG_KEYS; i++)
		if (strlen(arg_keys[i]) == kl && strncmp(arg_keys[i], tok, kl) == 0) {
			if ((eq == NULL) != (strcmp(arg_keys[i], "prefixes") == 0 ||
			                     strcmp(arg_keys[i], "installed") == 0))
				bail(line, "argument \"%s\" is not key=value", tok);
			*len = kl;
			return i;
		}
	bail(line, "unknown argument \"%.*s\"", (int)kl, tok);
}

static void parse_arg(vcase *c, const char *tok)
{
	size_t kl;
	const char *k = arg_keys[arg_key(c->line, tok, &kl)], *v = tok + kl + 1;
	if (strcmp(k, "prefixes") == 0)
		c->prefixes = 1;
	else if (strcmp(k, "installed") == 0)
		c->installed = 1;
	else if (strcmp(k, "local") == 0)
		c->local = v;
	else if (strcmp(k, "revocation") == 0) {
		if (c->n_rev == MAX_REVOCATIONS)
			bail(c->line, "too many revocations");
		c->rev[c->n_rev++] = v;
	}
	else if (strcmp(k, "anchor") == 0)
		c->anchor = v;
	else if (strcmp(k, "state") == 0)
		c->state = v;
	else if (strcmp(k, "update") == 0)
		c->update = v;
	else if (strcmp(k, "image") == 0)
		c->image = v;
	else if (strcmp(k, "file") == 0)
		c->file = v;
	else if (strcmp(k, "now") == 0)
		c->now = v;
	else if (strcmp(k, "policy") == 0) {
		if (c->n_policy == MAX_POLICIES)
			bail(c->line, "too many policies");
		c->policy[c->n_policy++] = v;
	} else if (strcmp(k, "feature") == 0) {
		if (c->n_feature == MAX_FEATURES)
			bail(c->line, "too many features");
		c->feature[c->n_feature++] = v;
	} else if (strcmp(k, "counter") == 0)
		c->counter = parse_u64(c->line, v);
	else if (strcmp(k, "chunk") == 0)
		c->chunk = (size_t)parse_u64(c->line, v);
	else if (strcmp(k, "pad-to") == 0)
		c->pad_to = (size_t)parse_u64(c->line, v);
	else if (strcmp(k, "max-envelope") == 0)
		c->cfg.max_envelope = (size_t)parse_u64(c->line, v);
	else if (strcmp(k, "max-signatures") == 0)
		c->cfg.max_signatures = (unsigned)parse_u64(c->line, v);
	else
		c->cfg.max_depth = (unsigned)parse_u64(c->line, v);
}

static const char *const kinds[] = {"check", "trust", "preflight", "envelope",
                                    "anchor", "state", "pubkey", "seckey"};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static size_t kind_index(const char *k)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (strcmp(kinds[i], k) == 0)
			return i;
	return N_KINDS;
}

/* ---- @defaults -------------------------------------------------------------- */

#define MAX_ARGS 64

/* For each kind, the arguments of the last "@defaults KIND ARG..." line
 * above the case; a bare "@defaults KIND" clears them. */
typedef struct defaults {
	const char *arg[N_KINDS][MAX_ARGS];
	size_t n[N_KINDS];
} defaults;

static void set_defaults(defaults *d, unsigned line, char *const *tok, size_t n)
{
	size_t k = n > 0 ? kind_index(tok[0]) : N_KINDS;
	if (k == N_KINDS)
		bail(line, "@defaults needs a known kind");
	d->n[k] = 0;
	for (size_t i = 1; i < n; i++) {
		size_t kl;
		if (tok[i][0] == '-')
			bail(line, "\"%s\": a default cannot drop anything", tok[i]);
		(void)arg_key(line, tok[i], &kl);
		d->arg[k][d->n[k]++] = tok[i];
	}
}

/* The line's tokens for argument key, in order, into out; their number. */
static size_t line_values(unsigned line, char *const *tok, size_t n, size_t key, const char **out)
{
	size_t m = 0, kl;
	for (size_t j = 0; j < n; j++)
		if (tok[j][0] != '-' && arg_key(line, tok[j], &kl) == key)
			out[m++] = tok[j];
	return m;
}

static int drops(char *const *tok, size_t n, size_t key)
{
	for (size_t j = 0; j < n; j++)
		if (tok[j][0] == '-' && strcmp(tok[j] + 1, arg_keys[key]) == 0)
			return 1;
	return 0;
}

/* A case's arguments with the defaults of its kind, into out (room for
 * 2 * MAX_ARGS); their number.  Every key that has defaults keeps its place:
 * a line that gives the key replaces all of its defaults, "-KEY" drops them.
 * The line's other arguments follow in their order.  Strict: dropping a key
 * that has no default, dropping and giving one key, or giving exactly the
 * defaults again is an error, so that a line shows only what differs. */
static size_t expand(const defaults *d, unsigned line, size_t kind, char *const *tok, size_t n,
                     const char **out)
{
	const char *const *def = d->arg[kind];
	size_t nd = d->n[kind], m = 0, kl;
	int has_default[N_ARG_KEYS] = {0};
	for (size_t i = 0; i < nd; i++) {
		size_t key = arg_key(line, def[i], &kl);
		if (has_default[key])
			continue; /* placed with the first default of its key */
		has_default[key] = 1;
		const char **given = out + m;
		size_t ng = line_values(line, tok, n, key, given), nk = 0;
		if (ng > 0 && drops(tok, n, key))
			bail(line, "\"%s\" is both given and dropped", arg_keys[key]);
		int same = ng > 0;
		for (size_t j = i; j < nd; j++) {
			if (arg_key(line, def[j], &kl) != key)
				continue;
			same = same && nk < ng && strcmp(given[nk], def[j]) == 0;
			nk++;
			if (ng == 0 && !drops(tok, n, key))
				out[m++] = def[j];
		}
		if (same && nk == ng)
			bail(line, "\"%s\" repeats its default", arg_keys[key]);
		m += ng;
	}
	for (size_t j = 0; j < n; j++) {
		if (tok[j][0] == '-') {
			size_t key = 0;
			while (key < N_ARG_KEYS && strcmp(tok[j] + 1, arg_keys[key]) != 0)
				key++;
			if (key == N_ARG_KEYS || !has_default[key])
				bail(line, "\"%s\" drops no default", tok[j]);
		} else if (!has_default[arg_key(line, tok[j], &kl)]) {
			out[m++] = tok[j];
		}
	}
	return m;
}

static void validate(const vcase *c)
{
	size_t k = kind_index(c->kind);
	int decision = k <= 2;
	if (k == N_KINDS)
		bail(c->line, "unknown kind \"%s\"", c->kind);
	if (decision) {
		if (c->file != NULL || c->prefixes)
			bail(c->line, "file= and prefixes are for parse kinds");
		if (k != 1 && c->update == NULL)
			bail(c->line, "update= is required");
		if (k == 2 ? c->n_policy == 0 || c->anchor || c->state
		           : (c->anchor == NULL) == (c->state == NULL))
			bail(c->line, k == 2 ? "preflight takes policy= and no device" : "give anchor= or state=");
		if (c->n_x != (k == 2 ? c->n_policy : 1))
			bail(c->line, "one expectation (per policy, for preflight) is needed");
		if (k == 1 && c->n_policy == 0 && c->n_rev == 0)
			bail(c->line, "trust needs policy= or revocation=");
		if (k == 2 && c->n_rev > 0)
			bail(c->line, "preflight takes no revocation=");
	} else {
		if (c->file == NULL)
			bail(c->line, "file= is required");
		if (c->n_rev > 0)
			bail(c->line, "revocation= is for check and trust");
		if (c->n_x != 1)
			bail(c->line, "one expectation is needed");
		if (k >= 6 && !c->x[0].is_status)
			bail(c->line, "expected is a status name for %s", c->kind);
		if ((k == 4 || k == 5) && c->x[0].is_status)
			bail(c->line, "expected is ok or reason codes for %s", c->kind);
	}
	if (k == 3 && !c->x[0].is_status)
		bail(c->line, "expected is a status name for envelope");
}

/* ---- files --------------------------------------------------------------- */

typedef struct blob {
	uint8_t *p;
	size_t len;
} blob;

static blob load(const char *rel, size_t pad_to)
{
	char path[4096];
	blob b = {NULL, 0};
	snprintf(path, sizeof(path), "%s/%s", srcdir, rel);
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		printf("Bail out! %s: %s\n", path, strerror(errno));
		exit(2);
	}
	size_t cap = 4096;
	b.p = malloc(cap);
	for (size_t n; b.p != NULL && (n = fread(b.p + b.len, 1, cap - b.len, f)) > 0;) {
		b.len += n;
		if (b.len == cap) {
			uint8_t *g = realloc(b.p, cap *= 2);
			if (g == NULL)
				free(b.p);
			b.p = g;
		}
	}
	fclose(f);
	if (b.p == NULL) {
		printf("Bail out! out of memory\n");
		exit(2);
	}
	/* exactly the document's size (plus padding), nothing after it */
	size_t want = pad_to > b.len ? pad_to : b.len;
	uint8_t *exact = malloc(want ? want : 1);
	if (exact == NULL) {
		printf("Bail out! out of memory\n");
		exit(2);
	}
	if (b.len)
		memcpy(exact, b.p, b.len);
	memset(exact + b.len, ' ', want - b.len);
	free(b.p);
	b.p = exact;
	b.len = want;
	return b;
}

/* ---- running one case ---------------------------------------------------- */

typedef struct outcome {
	veto_status status;
	int has_report;
	veto_report rep;
	char trouble[512]; /* an API inconsistency found on the way */
	char detail[VETO_DETAIL_MAX + 1]; /* a parse kind's veto_diag */
	char *state_text; /* (1.1) the state trust or commit made (malloc'd), or NULL */
} outcome;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void trouble(outcome *o, const char *fmt, ...)
{
	if (o->trouble[0] != '\0')
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->trouble, sizeof(o->trouble), fmt, ap);
	va_end(ap);
}

static int64_t case_now(const vcase *c)
{
	const char *t = c->now ? c->now : DEFAULT_NOW;
	int64_t now;
	if (veto_time_parse(&now, t, strlen(t)) != VETO_OK)
		bail(c->line, "now=%s is not a time", t);
	return now;
}

/* The state a decision starts from; NULL with the reasons in o when the
 * anchor or state is refused. */
static veto_state *load_state(const vcase *c, outcome *o)
{
	veto_state *s = NULL;
	blob b = load(c->state ? c->state : c->anchor, 0);
	if (c->state != NULL)
		o->status = veto_state_parse(&s, &o->rep, &c->cfg, b.p, b.len);
	else
		o->status = veto_state_from_anchor(&s, &o->rep, &c->cfg, b.p, b.len, c->counter,
		                                   c->feature, c->n_feature);
	free(b.p);
	if (o->status != VETO_OK && s != NULL)
		trouble(o, "state load returned %s and a state", veto_status_name(o->status));
	if (o->status == VETO_OK && s == NULL)
		trouble(o, "state load returned VETO_OK and no state");
	return o->status == VETO_OK ? s : NULL;
}

static void round_trip(outcome *o, const veto_state *s);
static void keep_text(outcome *o, const veto_state *s);

/* Feeds the image in chunks, finishes and cross-checks the API's answers. */
static void finish_check(const vcase *c, outcome *o, veto_check *chk, int commit_possible)
{
	if (c->image != NULL) {
		blob img = load(c->image, 0);
		size_t step = c->chunk ? c->chunk : 1000, at = 0;
		do {
			size_t n = img.len - at < step ? img.len - at : step;
			veto_status st = veto_check_image(chk, img.p + at, n);
			if (st != VETO_OK)
				trouble(o, "veto_check_image returned %s", veto_status_name(st));
			at += n;
		} while (at < img.len);
		free(img.p);
	}
	veto_image_digests dig;
	o->status = veto_check_finish(chk, &dig);
	int accepted = o->rep.n_refusals == 0;
	if (o->status != (accepted ? VETO_OK : VETO_REFUSED))
		trouble(o, "veto_check_finish returned %s with %zu refusals", veto_status_name(o->status),
		        o->rep.n_refusals);
	if (veto_report_accepted(&o->rep) != accepted)
		trouble(o, "veto_report_accepted disagrees with the refusals");
	if (veto_check_finish(chk, NULL) != VETO_E_SEQUENCE)
		trouble(o, "a second veto_check_finish did not return VETO_E_SEQUENCE");
	if (commit_possible) {
		veto_state *next = NULL;
		veto_status want = !accepted ? VETO_REFUSED : c->image ? VETO_OK : VETO_E_SEQUENCE;
		veto_status st = veto_check_commit(&next, chk);
		if (st != want || (st == VETO_OK) != (next != NULL))
			trouble(o, "veto_check_commit returned %s, not %s", veto_status_name(st), veto_status_name(want));
		if (next != NULL) {
			round_trip(o, next);
			keep_text(o, next);
		}
		veto_state_free(next);
	}
	char *json = NULL;
	size_t len = 0;
	if (veto_report_json(&json, &len, &o->rep) != VETO_OK || json == NULL ||
	    strlen(json) != len)
		trouble(o, "veto_report_json failed");
	veto_free(NULL, json);
}

/* What check and trust start from: the device's state and the case's
 * policy= files, with the veto_bytes that point into them. */
typedef struct inputs {
	veto_state *s;
	blob pb[MAX_POLICIES];
	veto_bytes pols[MAX_POLICIES];
	blob rb[MAX_REVOCATIONS]; /* (1.1) */
	veto_bytes revs[MAX_REVOCATIONS];
} inputs;

static int open_inputs(const vcase *c, outcome *o, inputs *in)
{
	o->has_report = 1;
	in->s = load_state(c, o);
	if (in->s == NULL)
		return 0;
	for (size_t i = 0; i < c->n_policy; i++) {
		in->pb[i] = load(c->policy[i], 0);
		in->pols[i] = (veto_bytes){in->pb[i].p, in->pb[i].len};
	}
	for (size_t i = 0; i < c->n_rev; i++) {
		in->rb[i] = load(c->rev[i], 0);
		in->revs[i] = (veto_bytes){in->rb[i].p, in->rb[i].len};
	}
	return 1;
}

static void close_inputs(const vcase *c, inputs *in)
{
	for (size_t i = 0; i < c->n_policy; i++)
		free(in->pb[i].p);
	for (size_t i = 0; i < c->n_rev; i++)
		free(in->rb[i].p);
	veto_state_free(in->s);
}

static void run_check(const vcase *c, outcome *o)
{
	inputs in;
	if (!open_inputs(c, o, &in))
		return;
	blob u = load(c->update, c->pad_to);
	veto_check *chk = NULL;
	veto_when when = {.now = case_now(c), .installed = c->installed,
	                  .revocations = c->n_rev ? in.revs : NULL, .n_revocations = c->n_rev};
	if (c->local != NULL) {
		when.has_local_time = 1;
		if (veto_local_time_parse(&when.local_time, c->local, strlen(c->local)) != VETO_OK)
			bail(c->line, "local=%s is not a local time", c->local);
	}
	if (c->local == NULL && !c->installed && c->n_rev == 0)
		o->status = veto_check_begin(&chk, &o->rep, &c->cfg, in.s, in.pols, c->n_policy, u.p,
		                             u.len, when.now);
	else
		o->status = veto_check_begin_at(&chk, &o->rep, &c->cfg, in.s, in.pols, c->n_policy, u.p,
		                                u.len, &when);
	if (o->status == VETO_OK)
		finish_check(c, o, chk, 1);
	else
		o->has_report = 0;
	veto_check_free(chk);
	free(u.p);
	close_inputs(c, &in);
}

/* A state must survive veto_state_format and veto_state_parse unchanged. */
static void round_trip(outcome *o, const veto_state *s)
{
	char *t1 = NULL, *t2 = NULL;
	size_t l1 = 0, l2 = 0;
	veto_state *back = NULL;
	if (veto_state_format(&t1, &l1, s) != VETO_OK) {
		trouble(o, "veto_state_format failed");
		return;
	}
	veto_report r;
	veto_report_init(&r, NULL);
	if (veto_state_parse(&back, &r, NULL, (const uint8_t *)t1, l1) != VETO_OK)
		trouble(o, "the formatted state does not parse again: %s",
		        r.n_refusals ? r.refusals[0].detail : "");
	else if (veto_state_format(&t2, &l2, back) != VETO_OK || l1 != l2 || memcmp(t1, t2, l1) != 0)
		trouble(o, "the formatted state changes when parsed and formatted again");
	veto_report_clear(&r);
	veto_state_free(back);
	veto_free(NULL, t1);
	veto_free(NULL, t2);
}

/* The state's text, kept in o to compare with another run's. */
static void keep_text(outcome *o, const veto_state *s)
{
	char *t = NULL;
	size_t len = 0;
	if (veto_state_format(&t, &len, s) != VETO_OK) {
		trouble(o, "veto_state_format failed");
		return;
	}
	free(o->state_text);
	o->state_text = malloc(len + 1);
	if (o->state_text == NULL)
		bail(0, "out of memory");
	memcpy(o->state_text, t, len + 1);
	veto_free(NULL, t);
}

static void run_trust(const vcase *c, outcome *o)
{
	inputs in;
	if (!open_inputs(c, o, &in))
		return;
	veto_state *next = NULL;
	/* (1.1) with revocations, veto_trust_at: its state comes back on a
	 * refusal too (they are stored whatever becomes of the policies) */
	veto_when when = {.now = case_now(c), .revocations = in.revs, .n_revocations = c->n_rev};
	if (c->n_rev == 0)
		o->status = veto_trust(&next, &o->rep, &c->cfg, in.s, in.pols, c->n_policy, when.now);
	else
		o->status = veto_trust_at(&next, &o->rep, &c->cfg, in.s, c->n_policy ? in.pols : NULL,
		                          c->n_policy, &when);
	int decided = o->status == VETO_OK || o->status == VETO_REFUSED;
	int with_state = o->status == VETO_OK || (c->n_rev > 0 && o->status == VETO_REFUSED);
	if ((c->n_rev == 0 || decided) && o->status != (o->rep.n_refusals ? VETO_REFUSED : VETO_OK))
		trouble(o, "veto_trust returned %s with %zu refusals", veto_status_name(o->status),
		        o->rep.n_refusals);
	if (with_state != (next != NULL))
		trouble(o, "veto_trust returned %s and %s state", veto_status_name(o->status),
		        next ? "a" : "no");
	if (next != NULL) {
		if (!veto_state_policy_serial(next, NULL))
			trouble(o, "the trusted state holds no policy");
		round_trip(o, next);
		keep_text(o, next);
	}
	veto_state_free(next);
	close_inputs(c, &in);
}

static void run_preflight(const vcase *c, outcome *o)
{
	blob p = load(c->policy[0], 0), u = load(c->update, c->pad_to);
	veto_check *chk = NULL;
	o->has_report = 1;
	o->status = veto_preflight_begin(&chk, &o->rep, &c->cfg, p.p, p.len, u.p, u.len, case_now(c));
	if (o->status == VETO_OK)
		finish_check(c, o, chk, 0);
	else
		o->has_report = 0;
	veto_check_free(chk);
	free(p.p);
	free(u.p);
}

/* A parse kind over data[0..len). */
static void run_parse(const vcase *c, outcome *o, const uint8_t *data, size_t len)
{
	switch (kind_index(c->kind)) {
	case 3: {
		veto_envelope *e = NULL;
		veto_diag d = {{0}};
		o->status = veto_envelope_parse(&e, &d, &c->cfg, data, len);
		memcpy(o->detail, d.detail, sizeof(o->detail));
		if ((o->status == VETO_OK) != (e != NULL))
			trouble(o, "veto_envelope_parse returned %s and %s envelope",
			        veto_status_name(o->status), e ? "an" : "no");
		veto_envelope_free(e);
		break;
	}
	case 4:
	case 5: {
		veto_state *s = NULL;
		o->has_report = 1;
		if (kind_index(c->kind) == 4)
			o->status = veto_state_from_anchor(&s, &o->rep, &c->cfg, data, len, c->counter,
			                                   c->feature, c->n_feature);
		else
			o->status = veto_state_parse(&s, &o->rep, &c->cfg, data, len);
		if ((o->status == VETO_OK) != (s != NULL))
			trouble(o, "returned %s and %s state", veto_status_name(o->status), s ? "a" : "no");
		if (o->status == VETO_OK && o->rep.n_refusals)
			trouble(o, "returned VETO_OK with refusals");
		if (o->status != VETO_OK && o->rep.n_refusals == 0)
			trouble(o, "returned %s without a reason", veto_status_name(o->status));
		if (s != NULL && kind_index(c->kind) == 5)
			round_trip(o, s);
		veto_state_free(s);
		break;
	}
	case 6: {
		uint8_t pk[VETO_PUBLICKEYBYTES];
		veto_diag d = {{0}};
		o->status = veto_pubkey_parse(pk, &d, data, len);
		memcpy(o->detail, d.detail, sizeof(o->detail));
		break;
	}
	default: {
		uint8_t seed[VETO_SEEDBYTES], pk[VETO_PUBLICKEYBYTES];
		veto_diag d = {{0}};
		o->status = veto_seckey_parse(seed, pk, &d, data, len);
		memcpy(o->detail, d.detail, sizeof(o->detail));
		break;
	}
	}
}

/* ---- comparing ----------------------------------------------------------- */

static const char *qual_of(const veto_reason *r)
{
	return r->role[0] ? r->role : r->feature;
}

/* What "(=TEXT)" is compared with. */
static const char *exact_of(const veto_reason *r)
{
	return r->offered[0] ? r->offered : r->detail;
}

static void describe(char *buf, size_t cap, const veto_reason *r, size_t n, int details)
{
	size_t at = 0;
	buf[0] = '\0';
	if (n == 0)
		snprintf(buf, cap, "none");
	for (size_t i = 0; i < n && at < cap; i++) {
		const char *q = qual_of(&r[i]);
		char counts[48] = "";
		if (r[i].has_counts)
			snprintf(counts, sizeof(counts), ":%llu/%llu", (unsigned long long)r[i].have,
			         (unsigned long long)r[i].need);
		int paren = q[0] || counts[0];
		char index[16] = "";
		if (r[i].index != 0)
			snprintf(index, sizeof(index), "[%u]", r[i].index);
		int w = snprintf(buf + at, cap - at, "%s%s%s%s%s%s%s", i ? "," : "", veto_code_name(r[i].code),
		                 index, paren ? "(" : "", q, counts, paren ? ")" : "");
		if (w > 0)
			at += (size_t)w;
		if (details && r[i].detail[0] && at < cap) {
			w = snprintf(buf + at, cap - at, " [%s]", r[i].detail);
			if (w > 0)
				at += (size_t)w;
		}
	}
}

/* 1 when got[] is exactly want[] (multiset of codes, qualifiers where
 * given) and in the table's order. */
static int same(const veto_reason *got, size_t n, const item *want, size_t nw)
{
	int used[256] = {0};
	if (n != nw || n > 256)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (got[i - 1].code > got[i].code)
			return 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t w = 0; w < nw; w++) {
			const item *it = &want[w];
			if ((it->qual != NULL || it->has_counts || it->exact != NULL || it->index != 0) !=
			    (pass == 0))
				continue;
			size_t g;
			for (g = 0; g < n; g++)
				if (!used[g] && got[g].code == it->code &&
				    (it->index == 0 || got[g].index == it->index) &&
				    (it->qual == NULL || strcmp(qual_of(&got[g]), it->qual) == 0) &&
				    (it->exact == NULL || strcmp(exact_of(&got[g]), it->exact) == 0) &&
				    (!it->has_counts || (got[g].has_counts && got[g].have == it->have &&
				                         got[g].need == it->need)))
					break;
			if (g == n)
				return 0;
			used[g] = 1;
		}
	return 1;
}

static int judge(const vcase *c, const expect *x, const outcome *o, char *why, size_t cap)
{
	char a[1200], b[600];
	why[0] = '\0';
	if (o->trouble[0]) {
		snprintf(why, cap, "API inconsistency: %s", o->trouble);
		return 0;
	}
	if (x->is_status) {
		if (o->status == x->status)
			return 1;
		describe(a, sizeof(a), o->has_report ? o->rep.refusals : NULL,
		         o->has_report ? o->rep.n_refusals : 0, 1);
		snprintf(why, cap, "expected %s, got %s (refusals: %s)", veto_status_name(x->status),
		         veto_status_name(o->status), a);
		return 0;
	}
	if (!o->has_report) {
		snprintf(why, cap, "expected a decision, got status %s", veto_status_name(o->status));
		return 0;
	}
	int ok = same(o->rep.refusals, o->rep.n_refusals, x->refusals, x->n_refusals);
	if (ok && x->check_notices)
		ok = same(o->rep.notices, o->rep.n_notices, x->notices, x->n_notices);
	if (!ok) {
		describe(a, sizeof(a), o->rep.refusals, o->rep.n_refusals, 1);
		describe(b, sizeof(b), o->rep.notices, o->rep.n_notices, 0);
		snprintf(why, cap, "expected %s, got %s+%s (status %s)", c->expected_text,
		         o->rep.n_refusals ? a : "accept", b, veto_status_name(o->status));
	}
	return ok;
}

static int verbose;

/* With VETO_VECTORS_VERBOSE set: what the library said, with its details,
 * so that a reviewer can see each vector fail for the reason it was made. */
static void show(const vcase *c, const outcome *o)
{
	char a[1200], b[600];
	if (!verbose)
		return;
	if (o->has_report) {
		describe(a, sizeof(a), o->rep.refusals, o->rep.n_refusals, 1);
		describe(b, sizeof(b), o->rep.notices, o->rep.n_notices, 0);
		printf("# %s: %s +%s (%s)\n", c->name, a, b, veto_status_name(o->status));
	} else {
		printf("# %s: %s [%s]\n", c->name, veto_status_name(o->status), o->detail);
	}
}

/* Several policies against one release through one veto_preflight, which
 * verifies each update signature once and remembers keys found good: each
 * policy's outcome must still be its own. */
static int run_batch(const vcase *c, char *why, size_t cap)
{
	blob u = load(c->update, c->pad_to);
	veto_preflight *pf = NULL;
	int pass = 1;
	veto_status st = veto_preflight_new(&pf, &c->cfg, u.p, u.len);
	if (st != VETO_OK) {
		snprintf(why, cap, "veto_preflight_new returned %s", veto_status_name(st));
		free(u.p);
		return 0;
	}
	for (size_t i = 0; i < c->n_policy; i++) {
		outcome o;
		memset(&o, 0, sizeof(o));
		veto_report_init(&o.rep, NULL);
		o.has_report = 1;
		blob p = load(c->policy[i], 0);
		veto_check *chk = NULL;
		o.status = veto_preflight_check(&chk, &o.rep, pf, p.p, p.len, case_now(c));
		if (o.status == VETO_OK)
			finish_check(c, &o, chk, 0);
		else
			o.has_report = 0;
		veto_check_free(chk);
		free(p.p);
		if (pass && !judge(c, &c->x[i], &o, why, cap)) {
			size_t l = strlen(why);
			snprintf(why + l, cap - l, " for policy %zu (%s)", i + 1, c->policy[i]);
			pass = 0;
		}
		show(c, &o);
		veto_report_clear(&o.rep);
	}
	veto_preflight_free(pf);
	free(u.p);
	return pass;
}

/* Whether b is a (1.1) with the n revocations in the other order: the
 * same reasons, the index of one about a revocation being n + 1 - i. */
static int mirrored(const veto_reason *a, size_t na, const veto_reason *b, size_t nb, size_t n)
{
	int used[256] = {0};
	if (na != nb || na > 256)
		return 0;
	for (size_t i = 0; i < na; i++) {
		int about_rev = a[i].code == VETO_R_REVOCATION_LIMIT || a[i].code == VETO_N_REVOCATION_INVALID;
		unsigned want = about_rev ? (unsigned)(n + 1) - a[i].index : a[i].index;
		size_t j;
		for (j = 0; j < nb; j++)
			if (!used[j] && b[j].code == a[i].code && b[j].index == want &&
			    b[j].has_counts == a[i].has_counts && b[j].have == a[i].have &&
			    b[j].need == a[i].need && strcmp(b[j].role, a[i].role) == 0 &&
			    strcmp(b[j].feature, a[i].feature) == 0 && strcmp(b[j].offered, a[i].offered) == 0 &&
			    strcmp(b[j].detail, a[i].detail) == 0)
				break;
		if (j == nb)
			return 0;
		used[j] = 1;
	}
	return 1;
}

/* (1.1) The order of revocations changes nothing (SPEC 5.3): a check or
 * trust with several is run again with them in the other order and must
 * give the same status, the same reasons (mirrored) and the same state. */
static void check_reversed(const vcase *c, outcome *o)
{
	vcase r = *c;
	outcome o2;
	for (size_t i = 0; i < c->n_rev; i++)
		r.rev[i] = c->rev[c->n_rev - 1 - i];
	memset(&o2, 0, sizeof(o2));
	veto_report_init(&o2.rep, NULL);
	if (kind_index(c->kind) == 0)
		run_check(&r, &o2);
	else
		run_trust(&r, &o2);
	if (o2.trouble[0] != '\0')
		trouble(o, "in the other order: %s", o2.trouble);
	else if (o2.status != o->status)
		trouble(o, "in the other order the status is %s", veto_status_name(o2.status));
	else if (!mirrored(o->rep.refusals, o->rep.n_refusals, o2.rep.refusals, o2.rep.n_refusals,
	                   c->n_rev) ||
	         !mirrored(o->rep.notices, o->rep.n_notices, o2.rep.notices, o2.rep.n_notices, c->n_rev))
		trouble(o, "in the other order the reasons differ");
	else if ((o->state_text == NULL) != (o2.state_text == NULL) ||
	         (o->state_text != NULL && strcmp(o->state_text, o2.state_text) != 0))
		trouble(o, "in the other order the state differs");
	free(o2.state_text);
	veto_report_clear(&o2.rep);
}

static int run_case(const vcase *c, char *why, size_t cap)
{
	outcome o;
	int pass;
	if (kind_index(c->kind) == 2 && c->n_policy > 1)
		return run_batch(c, why, cap);
	memset(&o, 0, sizeof(o));
	veto_report_init(&o.rep, NULL);
	switch (kind_index(c->kind)) {
	case 0:
	case 1:
		if (kind_index(c->kind) == 0)
			run_check(c, &o);
		else
			run_trust(c, &o);
		if (c->n_rev >= 2)
			check_reversed(c, &o);
		break;
	case 2: run_preflight(c, &o); break;
	default: {
		blob b = load(c->file, c->pad_to);
		if (!c->prefixes) {
			run_parse(c, &o, b.p, b.len);
		} else {
			/* every proper prefix of the document, each in a buffer of
			 * exactly its size */
			size_t end = b.len;
			while (end > 0 && (b.p[end - 1] == ' ' || b.p[end - 1] == '\n' ||
			                   b.p[end - 1] == '\t' || b.p[end - 1] == '\r'))
				end--;
			for (size_t k = 0; k < end; k++) {
				uint8_t *p = malloc(k ? k : 1);
				if (p == NULL)
					bail(c->line, "out of memory");
				memcpy(p, b.p, k);
				veto_report_clear(&o.rep);
				run_parse(c, &o, p, k);
				free(p);
				if (!judge(c, &c->x[0], &o, why, cap)) {
					size_t l = strlen(why);
					snprintf(why + l, cap - l, " for the first %zu bytes", k);
					free(b.p);
					veto_report_clear(&o.rep);
					return 0;
				}
			}
		}
		free(b.p);
	}
	}
	pass = judge(c, &c->x[0], &o, why, cap);
	show(c, &o);
	veto_report_clear(&o.rep);
	free(o.state_text);
	return pass;
}

/* --expand: each case as the runner holds it after parsing, one line each,
 * fields in a fixed order.  Two tables that print the same are the same
 * tests, however their lines are written. */
static void print_case(const vcase *c)
{
	printf("%s %s %s", c->name, c->kind, c->expected_text);
	const char *const named[] = {"anchor", "state", "update", "image", "file", "now"};
	const char *const value[] = {c->anchor, c->state, c->update, c->image, c->file, c->now};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (value[i] != NULL)
			printf(" %s=%s", named[i], value[i]);
	for (size_t i = 0; i < c->n_policy; i++)
		printf(" policy=%s", c->policy[i]);
	for (size_t i = 0; i < c->n_feature; i++)
		printf(" feature=%s", c->feature[i]);
	if (c->counter != 0)
		printf(" counter=%llu", (unsigned long long)c->counter);
	if (c->chunk != 0)
		printf(" chunk=%zu", c->chunk);
	if (c->pad_to != 0)
		printf(" pad-to=%zu", c->pad_to);
	if (c->cfg.max_envelope != 0)
		printf(" max-envelope=%zu", c->cfg.max_envelope);
	if (c->cfg.max_signatures != 0)
		printf(" max-signatures=%u", c->cfg.max_signatures);
	if (c->cfg.max_depth != 0)
		printf(" max-depth=%u", c->cfg.max_depth);
	if (c->prefixes)
		printf(" prefixes");
	if (c->local != NULL)
		printf(" local=%s", c->local);
	if (c->installed)
		printf(" installed");
	for (size_t i = 0; i < c->n_rev; i++)
		printf(" revocation=%s", c->rev[i]);
	printf("\n");
}

/* The fields of a line up to any '#', split at blanks, into tok (room for
 * cap); their number. */
static size_t tokens(unsigned line, char *l, char **tok, size_t cap)
{
	size_t n = 0;
	char *hash = strchr(l, '#');
	if (hash != NULL)
		*hash = '\0';
	for (char *save = NULL, *t = strtok_r(l, " \t\r", &save); t != NULL;
	     t = strtok_r(NULL, " \t\r", &save)) {
		if (n == cap)
			bail(line, "too many arguments");
		tok[n++] = t;
	}
	return n;
}

/* One case line, NAME KIND EXPECTED ARG..., with the defaults of its kind. */
static void read_case(vcase *c, const defaults *d, unsigned line, char **tok, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->line = line;
	if (n < 3)
		bail(line, "a case is: name kind expected [key=value...]");
	c->name = tok[0];
	c->kind = tok[1];
	size_t k = kind_index(c->kind);
	if (k == N_KINDS)
		bail(line, "unknown kind \"%s\"", c->kind);
	size_t el = strlen(tok[2]);
	char *copy = malloc(el + 1);
	if (copy == NULL)
		bail(line, "out of memory");
	memcpy(copy, tok[2], el + 1);
	c->expected_text = copy;
	parse_expect(c, tok[2]);
	const char *args[2 * MAX_ARGS];
	size_t m = expand(d, line, k, tok + 3, n - 3, args);
	for (size_t i = 0; i < m; i++)
		parse_arg(c, args[i]);
	validate(c);
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	int expand = argc == 4 && strcmp(argv[3], "--expand") == 0;
	if (argc == 5 && strcmp(argv[3], "--refused") == 0)
		refused_for = argv[4];
	if (argc != 3 && !expand && refused_for == NULL) {
		fprintf(stderr, "usage: run CASES.TXT SRCDIR [--expand | --refused TEXT]\n");
		return 2;
	}
	srcdir = argv[2];
	verbose = getenv("VETO_VECTORS_VERBOSE") != NULL;
	if (veto_init() != VETO_OK) {
		printf("Bail out! veto_init failed\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (f == NULL) {
		printf("Bail out! %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	size_t cap = 1 << 16, len = 0;
	char *text = malloc(cap);
	for (size_t n; text != NULL && (n = fread(text + len, 1, cap - 1 - len, f)) > 0;) {
		len += n;
		if (len == cap - 1) {
			char *g = realloc(text, cap *= 2);
			if (g == NULL)
				free(text);
			text = g;
		}
	}
	fclose(f);
	if (text == NULL) {
		printf("Bail out! out of memory\n");
		return 2;
	}
	text[len] = '\0';

	size_t n_cases = 0, cap_cases = 64;
	vcase *cases = calloc(cap_cases, sizeof(*cases));
	static defaults dflt;
	unsigned line = 0;
	for (char *save = NULL, *l = text; l != NULL; l = save) {
		char *nl = strchr(l, '\n');
		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		line++;
		char *tok[MAX_ARGS + 3];
		size_t n = tokens(line, l, tok, MAX_ARGS + 3);
		if (n == 0)
			continue;
		if (tok[0][0] == '@') {
			if (strcmp(tok[0], "@defaults") != 0)
				bail(line, "unknown directive \"%s\"", tok[0]);
			set_defaults(&dflt, line, tok + 1, n - 1);
			continue;
		}
		if (cases == NULL)
			bail(line, "out of memory");
		if (n_cases == cap_cases) {
			vcase *g = realloc(cases, (cap_cases *= 2) * sizeof(*cases));
			if (g == NULL)
				bail(line, "out of memory");
			cases = g;
		}
		read_case(&cases[n_cases++], &dflt, line, tok, n);
		for (size_t i = 0; i + 1 < n_cases; i++)
			if (strcmp(cases[i].name, tok[0]) == 0)
				bail(line, "case \"%s\" is also on line %u", tok[0], cases[i].line);
	}

	if (refused_for != NULL) {
		printf("# the table was read without complaint\n");
		return 1;
	}
	size_t failed = 0, good[N_KINDS] = {0}, bad[N_KINDS] = {0};
	if (expand) {
		for (size_t i = 0; i < n_cases; i++)
			print_case(&cases[i]);
		n_cases = 0;
	} else {
		printf("1..%zu\n", n_cases);
	}
	for (size_t i = 0; i < n_cases; i++) {
		char why[4096];
		const vcase *c = &cases[i];
		int pass = run_case(c, why, sizeof(why));
		int is_good = 1;
		for (size_t k = 0; k < c->n_x; k++)
			if (c->x[k].is_status ? c->x[k].status != VETO_OK : c->x[k].n_refusals != 0)
				is_good = 0;
		(is_good ? good : bad)[kind_index(c->kind)]++;
		printf("%s %zu - %s\n", pass ? "ok" : "not ok", i + 1, c->name);
		if (!pass) {
			failed++;
			printf("# cases.txt:%u: %s %s: %s\n", c->line, c->name, c->kind, why);
		}
	}
	size_t tg = 0, tb = 0;
	for (size_t k = 0; k < N_KINDS; k++) {
		tg += good[k];
		tb += bad[k];
	}
	if (!expand)
		printf("# %zu cases: %zu good, %zu hostile\n", n_cases, tg, tb);
	for (size_t k = 0; k < N_KINDS && !expand; k++)
		printf("#   %-9s %3zu (good %3zu, hostile %3zu)\n", kinds[k], good[k] + bad[k], good[k],
		       bad[k]);
	if (failed)
		printf("# %zu of %zu cases FAILED\n", failed, n_cases);
	for (size_t i = 0; i < n_cases; i++)
		free((char *)(uintptr_t)cases[i].expected_text);
	free(cases);
	free(text);
	return failed ? 1 : 0;
}
