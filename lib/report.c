/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "util.h"

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
    [VETO_R_UPDATE_UNTRUSTED] = "update-untrusted",
    [VETO_R_COSIGNATURE_MISSING] = "cosignature-missing",
    [VETO_R_WRONG_DEVICE] = "wrong-device",
    [VETO_R_ROLLBACK] = "rollback",
    [VETO_R_FEATURE_REMOVED] = "feature-removed",
    [VETO_R_FEATURE_DOWNGRADED] = "feature-downgraded",
    [VETO_R_UNDECLARED_REMOVAL] = "undeclared-removal",
    [VETO_R_DIGEST_NOT_ALLOWED] = "digest-not-allowed",
    [VETO_R_IMAGE_TOO_LARGE] = "image-too-large",
    [VETO_R_IMAGE_SIZE] = "image-size",
    [VETO_R_IMAGE_DIGEST] = "image-digest",
    [VETO_N_FEATURE_REMOVAL_WAIVED] = "feature-removal-waived",
    [VETO_N_FEATURE_DROPPED] = "feature-dropped",
    [VETO_N_IMAGE_UNCHECKED] = "image-unchecked",
};

const char *veto_code_name(veto_code code)
{
	if ((int)code <= 0 || code >= VETO_CODE_COUNT_)
		return "unknown";
	return code_names[code];
}

int veto_code_is_notice(veto_code code)
{
	return code >= VETO_N_FEATURE_REMOVAL_WAIVED && code < VETO_CODE_COUNT_;
}

const char *veto_strerror(veto_status status)
{
	switch (status) {
	case VETO_OK: return "success";
	case VETO_REFUSED: return "refused: see the report for every reason";
	case VETO_E_MALFORMED: return "malformed input";
	case VETO_E_TYPE: return "wrong envelope payload type";
	case VETO_E_LIMIT: return "input above a size, count or depth limit";
	case VETO_E_KEY: return "invalid Ed25519 public key";
	case VETO_E_CRYPTO: return "cryptographic library failure";
	case VETO_E_SIGNATURE: return "signature does not verify";
	case VETO_E_ARG: return "invalid argument";
	case VETO_E_SEQUENCE: return "call out of sequence";
	case VETO_E_NO_POLICY: return "no policy handed in and none trusted yet";
	case VETO_E_BUFFER: return "output buffer too small";
	case VETO_E_NOMEM: return "out of memory";
	}
	return "unknown status";
}

void veto_report_init(veto_report *r, const veto_config *cfg)
{
	if (r == NULL)
		return;
	memset(r, 0, sizeof(*r));
	cfg_resolve(&r->cfg_, cfg);
}

void veto_report_clear(veto_report *r)
{
	if (r == NULL)
		return;
	veto_config cfg = r->cfg_;
	vx_free(&cfg, r->refusals);
	vx_free(&cfg, r->notices);
	memset(r, 0, sizeof(*r));
	r->cfg_ = cfg;
}

int veto_report_accepted(const veto_report *r)
{
	return r != NULL && r->n_refusals == 0 && !r->nomem_;
}

int rep_nomem(const veto_report *r)
{
	return r->nomem_;
}

veto_reason *rep_add(veto_report *r, veto_code code)
{
	int notice = veto_code_is_notice(code);
	veto_reason **arr = notice ? &r->notices : &r->refusals;
	size_t *n = notice ? &r->n_notices : &r->n_refusals;
	size_t *cap = notice ? &r->cap_notices_ : &r->cap_refusals_;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		veto_reason *grown = vx_calloc(&r->cfg_, nc, sizeof(*grown));
		if (grown == NULL) {
			r->nomem_ = 1;
			return NULL;
		}
		if (*n)
			memcpy(grown, *arr, *n * sizeof(*grown));
		vx_free(&r->cfg_, *arr);
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

veto_reason *rep_addf(veto_report *r, veto_code code, const char *fmt, ...)
{
	veto_reason *x = rep_add(r, code);
	if (x != NULL) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(x->detail, sizeof(x->detail), fmt, ap);
		va_end(ap);
		utf8_clean(x->detail);
	}
	return x;
}

static void reason_json(vbuf *b, const veto_reason *x)
{
	vbuf_puts(b, "{\"code\": ");
	vbuf_jstrz(b, veto_code_name(x->code));
	if (x->index) {
		vbuf_puts(b, ", \"index\": ");
		vbuf_u64(b, x->index);
	}
	if (x->role[0]) {
		vbuf_puts(b, ", \"role\": ");
		vbuf_jstrz(b, x->role);
	}
	if (x->has_counts) {
		vbuf_puts(b, ", \"have\": ");
		vbuf_u64(b, x->have);
		vbuf_puts(b, ", \"need\": ");
		vbuf_u64(b, x->need);
	}
	if (x->feature[0]) {
		vbuf_puts(b, ", \"feature\": ");
		vbuf_jstrz(b, x->feature);
	}
	if (x->offered[0]) {
		vbuf_puts(b, ", \"offered\": ");
		vbuf_jstrz(b, x->offered);
	}
	if (x->detail[0]) {
		vbuf_puts(b, ", \"detail\": ");
		vbuf_jstrz(b, x->detail);
	}
	vbuf_puts(b, "}");
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
	vbuf_init(&b, &r->cfg_);
	vbuf_puts(&b, "{\"decision\": ");
	vbuf_puts(&b, r->n_refusals ? "\"refuse\"" : "\"accept\"");
	vbuf_puts(&b, ", \"refusals\": [");
	for (size_t i = 0; i < r->n_refusals; i++) {
		if (i)
			vbuf_puts(&b, ", ");
		reason_json(&b, &r->refusals[i]);
	}
	vbuf_puts(&b, "], \"notices\": [");
	for (size_t i = 0; i < r->n_notices; i++) {
		if (i)
			vbuf_puts(&b, ", ");
		reason_json(&b, &r->notices[i]);
	}
	vbuf_puts(&b, "]}");
	return vbuf_finish(&b, out, out_len);
}

size_t veto_reason_text(char *buf, size_t cap, const veto_reason *x)
{
	char tmp[512];
	int n;
	const char *d = x->detail;
	switch (x->code) {
	case VETO_R_MALFORMED_ANCHOR:
		n = snprintf(tmp, sizeof(tmp), "trust anchor unreadable: %s", d);
		break;
	case VETO_R_MALFORMED_STATE:
		n = snprintf(tmp, sizeof(tmp), "installed state unreadable: %s", d);
		break;
	case VETO_R_MALFORMED_POLICY:
		n = snprintf(tmp, sizeof(tmp), "policy malformed: %s", d);
		break;
	case VETO_R_MALFORMED_UPDATE:
		n = snprintf(tmp, sizeof(tmp), "update malformed: %s", d);
		break;
	case VETO_R_POLICY_TYPE:
	case VETO_R_UPDATE_TYPE:
		n = snprintf(tmp, sizeof(tmp), "%s envelope of the wrong type: %s",
		             x->code == VETO_R_POLICY_TYPE ? "policy" : "update", d);
		break;
	case VETO_R_POLICY_SIGNATURE:
		n = snprintf(tmp, sizeof(tmp),
		             "policy not signed by enough currently trusted owner keys: %llu of %llu",
		             (unsigned long long)x->have, (unsigned long long)x->need);
		break;
	case VETO_R_POLICY_NEW_OWNER_SIGNATURE:
		n = snprintf(tmp, sizeof(tmp),
		             "policy not signed by enough of its own owner keys: %llu of %llu",
		             (unsigned long long)x->have, (unsigned long long)x->need);
		break;
	case VETO_R_POLICY_ROLLBACK:
	case VETO_R_POLICY_EQUIVOCATION:
	case VETO_R_POLICY_EXPIRED:
	case VETO_R_POLICY_WRONG_DEVICE:
	case VETO_R_UPDATE_UNTRUSTED:
	case VETO_R_WRONG_DEVICE:
	case VETO_R_DIGEST_NOT_ALLOWED:
	case VETO_R_IMAGE_DIGEST:
	case VETO_N_IMAGE_UNCHECKED: {
		/* A fixed sentence per code; the detail, when there is one, says more. */
		static const char *const base[VETO_CODE_COUNT_] = {
		    [VETO_R_POLICY_ROLLBACK] = "policy serial is below the trusted one",
		    [VETO_R_POLICY_EQUIVOCATION] = "policy serial is already trusted with other contents",
		    [VETO_R_POLICY_EXPIRED] = "policy has expired",
		    [VETO_R_POLICY_WRONG_DEVICE] = "policy governs another device",
		    [VETO_R_UPDATE_UNTRUSTED] = "update is not signed by the vendor",
		    [VETO_R_WRONG_DEVICE] = "update is for another device",
		    [VETO_R_DIGEST_NOT_ALLOWED] = "update carries no image digest the policy accepts",
		    [VETO_R_IMAGE_DIGEST] = "image does not match the manifest's digest",
		    [VETO_N_IMAGE_UNCHECKED] = "decided on the manifest alone, without the image",
		};
		n = d[0] ? snprintf(tmp, sizeof(tmp), "%s: %s", base[x->code], d)
		         : snprintf(tmp, sizeof(tmp), "%s", base[x->code]);
		break;
	}
	case VETO_R_COSIGNATURE_MISSING:
		n = snprintf(tmp, sizeof(tmp), "role \"%s\" has %llu of the %llu signatures it needs",
		             x->role, (unsigned long long)x->have, (unsigned long long)x->need);
		break;
	case VETO_R_ROLLBACK:
		n = snprintf(tmp, sizeof(tmp), "security counter %llu is too low: %s",
		             (unsigned long long)x->have, d);
		break;
	case VETO_R_FEATURE_REMOVED:
		n = snprintf(tmp, sizeof(tmp), "protected feature \"%s\" is removed (%s)", x->feature, d);
		break;
	case VETO_R_FEATURE_DOWNGRADED:
		n = snprintf(tmp, sizeof(tmp),
		             "protected feature \"%s\" is downgraded to %s (%s)", x->feature, x->offered, d);
		break;
	case VETO_R_UNDECLARED_REMOVAL:
		n = snprintf(tmp, sizeof(tmp),
		             "protected feature \"%s\" is %s without being declared in \"removes\"",
		             x->feature, x->offered[0] ? "downgraded" : "removed");
		break;
	case VETO_R_IMAGE_TOO_LARGE:
		n = snprintf(tmp, sizeof(tmp), "image of %llu bytes is above the policy's limit of %llu",
		             (unsigned long long)x->have, (unsigned long long)x->need);
		break;
	case VETO_R_IMAGE_SIZE:
		n = snprintf(tmp, sizeof(tmp), "image is %llu bytes but the manifest says %llu",
		             (unsigned long long)x->have, (unsigned long long)x->need);
		break;
	case VETO_N_FEATURE_REMOVAL_WAIVED:
		n = snprintf(tmp, sizeof(tmp), "removal of protected feature \"%s\" %s", x->feature, d);
		break;
	case VETO_N_FEATURE_DROPPED:
		n = snprintf(tmp, sizeof(tmp), "feature \"%s\" that the device has now is not in the update",
		             x->feature);
		break;
	default:
		n = snprintf(tmp, sizeof(tmp), "%s", d);
		break;
	}
	if (n < 0)
		n = 0;
	if (cap > 0) {
		str_copy(buf, cap, tmp);
		utf8_clean(buf);
	}
	return (size_t)n;
}
