/* SPDX-License-Identifier: Apache-2.0 */
/* The batch pre-flight (veto_preflight): the update envelope parsed once,
 * its manifest read once, and the keys already found well formed in earlier
 * policies, shared by every check made from it.  What a check takes from a
 * veto_preflight stays the veto_preflight's (decision.h's ownership rule). */
#ifndef VETO_PREFLIGHT_H
#define VETO_PREFLIGHT_H

#include "trust.h"
#include "update.h"

/* The update envelope as pf parsed it: its status (VETO_OK,
 * VETO_E_MALFORMED, VETO_E_LIMIT), *e a view (NULL unless VETO_OK) and the
 * reason in *d. */
veto_status veto__pf_open(veto_preflight *pf, veto_envelope **e, veto_diag *d);
/* The manifest of pf's envelope (which must have opened), read the first
 * time it is asked for.  VETO_OK with *u a view of pf's; VETO_E_MALFORMED /
 * VETO_E_LIMIT with the reason in *d; VETO_E_NOMEM (not remembered: the
 * next check tries again). */
veto_status veto__pf_read(veto_preflight *pf, vupdate *u, veto_diag *d);
/* veto__trust_keys_check, skipping the keys that earlier policies checked through
 * pf and remembering those of a policy that passes.  VETO_OK or
 * VETO_REFUSED, as veto__trust_keys_check. */
veto_status veto__pf_keys_check(veto_preflight *pf, vtrusted *t, veto_report *rep, unsigned index);

#endif
