/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "timing.h"
#include "util.h"

/* (Its entries look alike by design: one name per code, as sentences.) */
static const char *const code_names[VETO_CODE_COUNT_] = {
    [VETO_R_MALFORMED_ANCHOR] = "malformed-anchor",
    [VETO_R_MALFORMED_STATE] = "malformed-state",
    [VETO_R_MALFORMED_POLICY] = "malformed-policy",
    [VETO_R_MALFORMED_UPDATE] = "malformed-update",
    [VETO_R_POLICY_TYPE] = "policy-type",
    [VETO_R_UPDATE_TYPE] = "update-type",
    [VETO_R_POLICY_SIGNATURE] = "policy-signature",
    [VETO_R_POLICY_NEW_OWNER_SIGNATURE] = "policy-new-owner-signature",
    [VETO_R_POLICY_ROLLBACK] = "policy-rollback",
    [VETO_R_POLICY_EQUIVOCATION] = "policy-equivocation",
    [VETO_R_POLICY_EXPIRED] = "policy-expired",
    [VETO_R_POLICY_WRONG_DEVICE] = "policy-wrong-device",
    [VETO_R_CLOCK_BEHIND] = "clock-behind",
    [VETO_R_REVOCATION_LIMIT] = "revocation-limit",
    [VETO_R_UPDATE_UNTRUSTED] = "update-untrusted",
    [VETO_R_UPDATE_REVOKED] = "update-revoked",
    [VETO_R_COSIGNATURE_MISSING] = "cosignature-missing",
    [VETO_R_WRONG_DEVICE] = "wrong-device",
    [VETO_R_ROLLBACK] = "rollback",
    [VETO_R_FEATURE_REMOVED] = "feature-removed",
    [VETO_R_FEATURE_DOWNGRADED] = "feature-downgraded",
    [VETO_R_UNDECLARED_REMOVAL] = "undeclared-removal",
    [VETO_R_FEATURE_FORBIDDEN] = "feature-forbidden",
    [VETO_R_FEATURE_ADDED] = "feature-added",
    [VETO_R_DIGEST_NOT_ALLOWED] = "digest-not-allowed",
    [VETO_R_IMAGE_TOO_LARGE] = "image-too-large",
    [VETO_R_IMAGE_SIZE] = "image-size",
    [VETO_R_IMAGE_DIGEST] = "image-digest",
    [VETO_R_LOCAL_TIME_UNKNOWN] = "local-time-unknown",
    [VETO_R_ON_HOLD] = "on-hold",
    [VETO_R_OUTSIDE_WINDOW] = "outside-window",
    [VETO_N_FEATURE_REMOVAL_WAIVED] = "feature-removal-waived",
    [VETO_N_FEATURE_ADDITION_WAIVED] = "feature-addition-waived",
    [VETO_N_ROLLBACK_WAIVED] = "rollback-waived",
    [VETO_N_REVOCATION_INVALID] = "revocation-invalid",
    [VETO_N_KEY_REVOKED] = "key-revoked",
    [VETO_N_FAST_PATH_USED] = "fast-path-used",
    [VETO_N_FEATURE_DROPPED] = "feature-dropped",
    [VETO_N_IMAGE_UNCHECKED] = "image-unchecked",
};

const char *veto_code_name(veto_code code)
{
	if ((int)code <= 0 || code >= VETO_CODE_COUNT_)
		return "unknown";
	return code_names[code];
}

const char *veto_code_offered_name(veto_code code)
{
	if (code == VETO_R_ON_HOLD)
		return "until";
	if (code == VETO_R_OUTSIDE_WINDOW)
		return "next_open";
	return "offered";
}

int veto_code_is_notice(veto_code code)
{
	return code >= VETO_N_FEATURE_REMOVAL_WAIVED && code < VETO_CODE_COUNT_;
}

/* Every status: its name in veto.h and its sentence. */
static const struct {
	veto_status status;
	const char *name;
	const char *text;
} statuses[] = {
    {VETO_OK, "VETO_OK", "success"},
    {VETO_REFUSED, "VETO_REFUSED", "refused: see the report for every reason"},
    {VETO_E_MALFORMED, "VETO_E_MALFORMED", "malformed input"},
    {VETO_E_TYPE, "VETO_E_TYPE", "wrong envelope payload type"},
    {VETO_E_LIMIT, "VETO_E_LIMIT", "input above a size, count or depth limit"},
    {VETO_E_KEY, "VETO_E_KEY", "invalid Ed25519 public key"},
    {VETO_E_CRYPTO, "VETO_E_CRYPTO", "cryptographic library failure"},
    {VETO_E_PASSPHRASE, "VETO_E_PASSPHRASE",
     "the encrypted key does not open: wrong passphrase or damaged file"},
    {VETO_E_SIGNATURE, "VETO_E_SIGNATURE", "the signature does not verify"},
    {VETO_E_ARG, "VETO_E_ARG", "invalid argument"},
    {VETO_E_SEQUENCE, "VETO_E_SEQUENCE", "call out of sequence"},
    {VETO_E_NO_POLICY, "VETO_E_NO_POLICY", "no policy handed in and none trusted yet"},
    {VETO_E_BUFFER, "VETO_E_BUFFER", "output buffer too small"},
    {VETO_E_NOMEM, "VETO_E_NOMEM", "out of memory"},
};

/* The entry of status, or -1 for a value that is not a status. */
static int status_entry(veto_status status)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].status == status)
			return (int)i;
	return -1;
}

const char *veto_strerror(veto_status status)
{
	int i = status_entry(status);
	return i < 0 ? "unknown status" : statuses[i].text;
}

const char *veto_status_name(veto_status status)
{
	int i = status_entry(status);
	return i < 0 ? "unknown" : statuses[i].name;
}

void veto_report_init(veto_report *r, const veto_config *cfg)
{
	if (r == NULL)
		return;
	memset(r, 0, sizeof(*r));
	veto__cfg_resolve(&r->cfg_, cfg);
}

void veto_report_clear(veto_report *r)
{
	if (r == NULL)
		return;
	veto_config cfg = r->cfg_;
	veto__vx_free(&cfg, r->refusals);
	veto__vx_free(&cfg, r->notices);
	memset(r, 0, sizeof(*r));
	r->cfg_ = cfg;
}

int veto_report_accepted(const veto_report *r)
{
	return r != NULL && r->n_refusals == 0 && !r->nomem_;
}

int veto__rep_nomem(const veto_report *r)
{
	return r->nomem_;
}

veto_reason *veto__rep_add(veto_report *r, veto_code code)
{
	int notice = veto_code_is_notice(code);
	veto_reason **arr = notice ? &r->notices : &r->refusals;
	size_t *n = notice ? &r->n_notices : &r->n_refusals;
	size_t *cap = notice ? &r->cap_notices_ : &r->cap_refusals_;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		veto_reason *grown = veto__vx_calloc(&r->cfg_, nc, sizeof(*grown));
		if (grown == NULL) {
			r->nomem_ = 1;
			return NULL;
		}
		if (*n)
			memcpy(grown, *arr, *n * sizeof(*grown));
		veto__vx_free(&r->cfg_, *arr);
		*arr = grown;
		*cap = nc;
	}
	size_t at = *n;
	while (at > 0 && (*arr)[at - 1].code > code)
		at--;
	memmove(&(*arr)[at + 1], &(*arr)[at], (*n - at) * sizeof(**arr));
	(*n)++;
	veto_reason *x = &(*arr)[at];
	memset(x, 0, sizeof(*x));
	x->code = code;
	return x;
}

veto_reason *veto__rep_addf(veto_report *r, veto_code code, const char *fmt, ...)
{
	veto_reason *x = veto__rep_add(r, code);
	if (x != NULL) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(x->detail, sizeof(x->detail), fmt, ap);
		va_end(ap);
		veto__utf8_clean(x->detail);
	}
	return x;
}

static void reason_json(vbuf *b, const veto_reason *x)
{
	veto__vbuf_puts(b, "{\"code\": ");
	veto__vbuf_jstrz(b, veto_code_name(x->code));
	if (x->index) {
		veto__vbuf_puts(b, ", \"index\": ");
		veto__vbuf_u64(b, x->index);
	}
	if (x->role[0]) {
		veto__vbuf_puts(b, ", \"role\": ");
		veto__vbuf_jstrz(b, x->role);
	}
	if (x->has_counts) {
		veto__vbuf_puts(b, ", \"have\": ");
		veto__vbuf_u64(b, x->have);
		veto__vbuf_puts(b, ", \"need\": ");
		veto__vbuf_u64(b, x->need);
	}
	if (x->feature[0]) {
		veto__vbuf_puts(b, ", \"feature\": ");
		veto__vbuf_jstrz(b, x->feature);
	}
	if (x->offered[0]) {
		veto__vbuf_puts(b, ", \"");
		veto__vbuf_puts(b, veto_code_offered_name(x->code));
		veto__vbuf_puts(b, "\": ");
		veto__vbuf_jstrz(b, x->offered);
	}
	if (x->detail[0]) {
		veto__vbuf_puts(b, ", \"detail\": ");
		veto__vbuf_jstrz(b, x->detail);
	}
	veto__vbuf_puts(b, "}");
}

void veto__report_reasons_json(vbuf *b, const veto_report *r)
{
	veto__vbuf_puts(b, "\"refusals\": [");
	for (size_t i = 0; i < r->n_refusals; i++) {
		if (i)
			veto__vbuf_puts(b, ", ");
		reason_json(b, &r->refusals[i]);
	}
	veto__vbuf_puts(b, "], \"notices\": [");
	for (size_t i = 0; i < r->n_notices; i++) {
		if (i)
			veto__vbuf_puts(b, ", ");
		reason_json(b, &r->notices[i]);
	}
	veto__vbuf_puts(b, "]");
}

veto_status veto_report_json(char **out, size_t *out_len, const veto_report *r)
{
	vbuf b;
	if (out == NULL || r == NULL)
		return VETO_E_ARG;
	*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (r->nomem_)
		return VETO_E_NOMEM;
	veto__vbuf_init(&b, &r->cfg_);
	veto__vbuf_puts(&b, "{\"decision\": ");
	veto__vbuf_puts(&b, r->n_refusals ? "\"refuse\"" : "\"accept\"");
	veto__vbuf_puts(&b, ", ");
	veto__report_reasons_json(&b, r);
	veto__vbuf_puts(&b, "}");
	return veto__vbuf_finish(&b, out, out_len);
}

/* The sentence of each code.  Conversions: %d the detail, %: ": " and the
 * detail when there is one, %r the role, %f the feature, %o the offered
 * text, %h and %n have and need, %w "downgraded" or "removed" (whether an
 * offered version is named), %% a percent sign.  A sentence that starts
 * with %= is the detail alone when there is one (the detail already says
 * it, with the values: saying both would repeat it), else the rest. */
/* (Its entries look alike by design: one sentence per code, as code_names.) */
static const char *const sentences[VETO_CODE_COUNT_] = {
    [VETO_R_MALFORMED_ANCHOR] = "trust anchor unreadable: %d",
    [VETO_R_MALFORMED_STATE] = "installed state unreadable: %d",
    [VETO_R_MALFORMED_POLICY] = "policy malformed: %d",
    [VETO_R_MALFORMED_UPDATE] = "update malformed: %d",
    [VETO_R_POLICY_TYPE] = "policy envelope of the wrong type: %d",
    [VETO_R_UPDATE_TYPE] = "update envelope of the wrong type: %d",
    [VETO_R_POLICY_SIGNATURE] =
        "policy not signed by enough currently trusted owner keys: %h of %n",
    [VETO_R_POLICY_NEW_OWNER_SIGNATURE] =
        "policy not signed by enough of its own owner keys: %h of %n",
    [VETO_R_POLICY_ROLLBACK] = "%=policy serial is below the trusted one",
    [VETO_R_POLICY_EQUIVOCATION] = "%=policy serial is already trusted with other contents",
    [VETO_R_POLICY_EXPIRED] = "%=policy has expired",
    [VETO_R_POLICY_WRONG_DEVICE] = "%=policy governs another device",
    [VETO_R_CLOCK_BEHIND] = "the clock is behind%: (if this device's clock is wrong, set it "
                            "right; if a policy raised the time floor by mistake, the owner "
                            "signs one with time_floor_reset)",
    [VETO_R_REVOCATION_LIMIT] = "revocation cannot be stored%:",
    [VETO_R_UPDATE_UNTRUSTED] = "update is not signed by the vendor%:",
    [VETO_R_UPDATE_REVOKED] = "update has been revoked%:",
    [VETO_R_COSIGNATURE_MISSING] = "role \"%r\" has %h of the %n signatures it needs",
    [VETO_R_WRONG_DEVICE] = "%=update is for another device",
    [VETO_R_ROLLBACK] = "security counter %h is too low: %d",
    [VETO_R_FEATURE_REMOVED] = "protected feature \"%f\" is removed (%d)",
    [VETO_R_FEATURE_DOWNGRADED] = "protected feature \"%f\" is downgraded to %o (%d)",
    [VETO_R_UNDECLARED_REMOVAL] =
        "protected feature \"%f\" is %w without being declared in \"removes\"",
    [VETO_R_FEATURE_FORBIDDEN] = "feature \"%f\" is forbidden by the policy (entry \"%d\")",
    [VETO_R_FEATURE_ADDED] = "feature \"%f\" is new to this device and needs consent (%d)",
    [VETO_R_DIGEST_NOT_ALLOWED] = "%=update carries no image digest the policy accepts",
    [VETO_R_IMAGE_TOO_LARGE] = "image of %h bytes is above the policy's limit of %n",
    [VETO_R_IMAGE_SIZE] = "image size differs from the manifest's %n bytes (%h read)%:",
    [VETO_R_IMAGE_DIGEST] = "image does not match the manifest's digest%:",
    [VETO_R_LOCAL_TIME_UNKNOWN] = "the device's local time is %d, so the owner's maintenance "
                                  "windows cannot be read",
    [VETO_R_ON_HOLD] = "updates are on hold until %t",
    [VETO_R_OUTSIDE_WINDOW] = "outside the maintenance window; the next one opens %t",
    [VETO_N_FEATURE_REMOVAL_WAIVED] = "removal of protected feature \"%f\" %d",
    [VETO_N_FEATURE_ADDITION_WAIVED] = "new feature \"%f\" %d",
    [VETO_N_ROLLBACK_WAIVED] = "security counter %h is an older release, let through by "
                               "consent (%d)",
    [VETO_N_REVOCATION_INVALID] = "a revocation handed in counted for nothing%:",
    [VETO_N_KEY_REVOKED] = "a revoked key's signature counted for nothing%:",
    [VETO_N_FAST_PATH_USED] = "a security fix on the fast path: the owner's schedule was set "
                              "aside (%d)",
    [VETO_N_FEATURE_DROPPED] = "feature \"%f\" that the device has now is not in the update",
    [VETO_N_IMAGE_UNCHECKED] = "%=decided on the manifest alone, without the image",
};

/* Text written into buf[0..cap) as snprintf does: cut to fit, always
 * NUL-terminated when cap > 0, len counting every byte wanted. */
typedef struct textw {
	char *buf;
	size_t cap;
	size_t len;
} textw;

static void tw_put(textw *w, const char *s, size_t n)
{
	if (w->len < w->cap) {
		size_t room = w->cap - 1 - w->len;
		memcpy(w->buf + w->len, s, n < room ? n : room);
	}
	w->len += n;
}

/* A field of the reason, read no further than its array. */
static void tw_field(textw *w, const char *field, size_t size)
{
	const char *end = memchr(field, '\0', size);
	tw_put(w, field, end != NULL ? (size_t)(end - field) : size);
}

static void tw_u64(textw *w, uint64_t v)
{
	char num[21];
	int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	tw_put(w, num, n > 0 ? (size_t)n : 0);
}

/* (1.1) A wall-clock time of `offered` ("YYYY-MM-DDTHH:MM:SS" and "Z", an
 * offset or nothing) in words: "Tuesday 01:30 local time (2026-12-01)". */
static void tw_when(textw *w, const char *t)
{
	static const char *const days[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
	                                    "Friday", "Saturday", "Sunday"};
	int64_t wall;
	char text[96];
	size_t len = strnlen(t, VETO_OFFERED_MAX);
	if (len < 19 || veto_local_time_parse(&wall, t, 19) != VETO_OK) {
		tw_put(w, t, len);
		return;
	}
	const char *zone = t + 19;
	int n = snprintf(text, sizeof(text), "%s %.5s %s%s (%.10s)", days[veto__timing_weekday(wall)],
	                 t + 11, zone[0] == '\0' ? "local time" : "UTC",
	                 strcmp(zone, "Z") == 0 ? "" : zone, t);
	tw_put(w, text, n > 0 ? strlen(text) : 0);
}

static void tw_conversion(textw *w, char conv, const veto_reason *x)
{
	switch (conv) {
	case ':':
		if (x->detail[0] != '\0') {
			tw_put(w, ": ", 2);
			tw_field(w, x->detail, sizeof(x->detail));
		}
		break;
	case 'd': tw_field(w, x->detail, sizeof(x->detail)); break;
	case 'r': tw_field(w, x->role, sizeof(x->role)); break;
	case 'f': tw_field(w, x->feature, sizeof(x->feature)); break;
	case 'o': tw_field(w, x->offered, sizeof(x->offered)); break;
	case 't': tw_when(w, x->offered); break;
	case 'h': tw_u64(w, x->have); break;
	case 'n': tw_u64(w, x->need); break;
	case 'w': {
		const char *how = x->offered[0] ? "downgraded" : "removed";
		tw_put(w, how, strlen(how));
		break;
	}
	default: tw_put(w, &conv, 1); break;
	}
}

size_t veto_reason_text(char *buf, size_t cap, const veto_reason *x)
{
	textw w = {buf, buf != NULL ? cap : 0, 0};
	int code = (int)x->code;
	const char *s = code > 0 && code < (int)VETO_CODE_COUNT_ && sentences[code] != NULL
	                    ? sentences[code]
	                    : "%d";
	if (s[0] == '%' && s[1] == '=')
		s = x->detail[0] != '\0' ? "%d" : s + 2;
	while (*s != '\0') {
		size_t run = strcspn(s, "%");
		tw_put(&w, s, run);
		s += run;
		if (*s == '%') {
			tw_conversion(&w, s[1] != '\0' ? s[1] : '%', x);
			s += s[1] != '\0' ? 2 : 1;
		}
	}
	if (w.cap > 0) {
		buf[w.len < w.cap ? w.len : w.cap - 1] = '\0';
		veto__utf8_clean(buf);
	}
	return w.len;
}
