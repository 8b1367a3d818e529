/* SPDX-License-Identifier: Apache-2.0 */
/* Adding reasons and notices to a veto_report, kept in table order. */
#ifndef VETO_REPORT_H
#define VETO_REPORT_H

#include "util.h"

/* A zeroed reason of that code, inserted after those of the same or an
 * earlier code; fill it at once (a later insert may move it).  NULL when
 * out of memory, and the report remembers it. */
veto_reason *veto__rep_add(veto_report *r, veto_code code);
/* veto__rep_add with a detail text (printf-style). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
veto_reason *veto__rep_addf(veto_report *r, veto_code code, const char *fmt, ...);
int veto__rep_nomem(const veto_report *r);
/* The members "refusals": [...], "notices": [...] exactly as
 * veto_report_json writes them (no braces around them), into b; the
 * caller checks veto__rep_nomem first.  (1.1) Receipts (SPEC 10) carry them. */
void veto__report_reasons_json(vbuf *b, const veto_report *r);

#endif
