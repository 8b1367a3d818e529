/* SPDX-License-Identifier: Apache-2.0 */
/* (1.1) A policy's 1.1 members in plain words, for `veto show` and other
 * displays: the schedule (clock, windows, holds, fast path), the features
 * refused outright, and who may consent to additions and downgrades.  No
 * trust is implied: the payload is read, never verified. */
#include <stdio.h>
#include <string.h>

#include "policy.h"

static void put_time(vbuf *b, int64_t t)
{
	char text[21];
	veto__vbuf_puts(b, veto_time_format(text, t) == VETO_OK ? text : "?");
}

/* The names of the roles of list `which`, comma-separated. */
static void put_roles(vbuf *b, const vpolicy *p, role_flag which)
{
	size_t k = 0;
	for (size_t r = 0; r < p->n_roles; r++)
		if (veto__policy_role_is(&p->roles[r], which)) {
			veto__vbuf_puts(b, k++ ? ", " : "");
			veto__vbuf_puts(b, p->roles[r].name);
		}
	if (k == 0)
		veto__vbuf_puts(b, "nobody (no consent is possible)");
}

static void put_window(vbuf *b, const vwindow *w)
{
	static const char days[7][4] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	char text[48];
	veto__vbuf_puts(b, "  window:");
	for (unsigned d = 0; d < 7; d++)
		if ((w->days >> d) & 1U) {
			veto__vbuf_puts(b, " ");
			veto__vbuf_puts(b, days[d]);
		}
	snprintf(text, sizeof(text), " %02u:%02u-%02u:%02u%s\n", w->start / 60U, w->start % 60U,
	         w->end / 60U, w->end % 60U, w->start > w->end ? " (into the next day)" : "");
	veto__vbuf_puts(b, text);
}

static void put_timing(vbuf *b, const vpolicy *p, const vtiming *t)
{
	char text[48];
	if (t->clock == TCLOCK_LOCAL) {
		veto__vbuf_puts(b, "timing, on the device's local wall clock (its time zone can move it):\n");
	} else if (t->clock == TCLOCK_OFFSET) {
		int32_t o = t->offset < 0 ? -t->offset : t->offset;
		snprintf(text, sizeof(text), "UTC%c%02d:%02d", t->offset < 0 ? '-' : '+',
		         (int)(o / 3600), (int)(o % 3600 / 60));
		veto__vbuf_puts(b, "timing, on the fixed clock ");
		veto__vbuf_puts(b, text);
		veto__vbuf_puts(b, " (no daylight saving):\n");
	} else {
		veto__vbuf_puts(b, "timing, on the UTC clock:\n");
	}
	if (t->n_windows == 0)
		veto__vbuf_puts(b, "  no windows: updates may be installed at any time outside holds\n");
	for (size_t i = 0; i < t->n_windows; i++)
		put_window(b, &t->windows[i]);
	for (size_t i = 0; i < t->n_holds; i++) {
		veto__vbuf_puts(b, "  hold: from ");
		put_time(b, t->holds[i].from);
		veto__vbuf_puts(b, " until ");
		put_time(b, t->holds[i].until);
		veto__vbuf_puts(b, t->holds[i].fast_path ? " (the fast path passes)\n"
		                                   : " (nothing passes)\n");
	}
	if (t->has_fast_path) {
		veto__vbuf_puts(b, "  fast path: a release signed by ");
		put_roles(b, p, ROLE_FAST);
		veto__vbuf_puts(b, " that changes no feature and carries a new security counter passes "
		             "every window and the holds that allow it\n");
	}
}

static void summary(vbuf *b, const vpolicy *p)
{
	const vpolicy11 *x = p->ext;
	veto__vbuf_puts(b, "issued: ");
	put_time(b, p->issued);
	veto__vbuf_puts(b, "\n");
	if (x->n_forbidden > 0)
		veto__vbuf_puts(b, "forbidden features (and every name under them after ':' or '/'): ");
	for (size_t i = 0; i < x->n_forbidden; i++) {
		veto__vbuf_puts(b, x->forbidden[i]);
		veto__vbuf_puts(b, i + 1 < x->n_forbidden ? ", " : "\n");
	}
	veto__vbuf_puts(b, "new features: ");
	if (x->has_addition)
		put_roles(b, p, ROLE_ADDITION);
	veto__vbuf_puts(b, x->has_addition ? " must consent\n" : "allowed (no addition_requires)\n");
	veto__vbuf_puts(b, "downgrades: ");
	if (x->has_rollback)
		put_roles(b, p, ROLE_ROLLBACK);
	veto__vbuf_puts(b, x->has_rollback ? " may consent, one release at a time\n"
	                             : "never (no rollback_requires)\n");
	if (x->has_timing)
		put_timing(b, p, &x->timing);
	else
		veto__vbuf_puts(b, "timing: none (updates at any time)\n");
	if (p->time_floor_reset)
		veto__vbuf_puts(b, "time_floor_reset: this policy repairs a time floor raised by mistake\n");
}

veto_status veto_policy_summary(char **out, size_t *out_len, veto_diag *d,
                                const veto_config *cfg_in, const uint8_t *payload,
                                size_t payload_len)
{
	veto_config cfg;
	vpolicy p;
	vbuf b;
	if (out == NULL || payload == NULL)
		return VETO_E_ARG;
	*out = NULL;
	veto_status st = veto__policy_read_unverified(&p, &cfg, d, cfg_in, payload, payload_len);
	if (st != VETO_OK)
		return st;
	veto__vbuf_init(&b, &cfg);
	if (p.v11)
		summary(&b, &p);
	veto__policy_free(&p, &cfg);
	return veto__vbuf_finish(&b, out, out_len);
}
