# SPDX-License-Identifier: Apache-2.0
# Shared by veto-swupdate-pre and veto-swupdate-post (POSIX sh): which bytes
# veto's manifest covers in a .swu, and where the envelope travels.
#   VETO_SWU_IMAGE  empty (default): the manifest covers the whole .swu file;
#                   a name: it covers that one image inside the .swu (a member
#                   of its cpio archive, as sw-description names it)
#   The envelope: SWU.dsse beside the .swu; else, in the one-image mode, a
#   member veto-update.dsse inside the .swu.
here=$(dirname "$(readlink -f "$0")")
# SWUpdate reports every line a -P/-p command writes to standard error as an
# ERROR notice, which can turn a successful install into a failed one (and
# skip -p): veto's accept lines go to standard output.
VETO_SAY_INFO_STDOUT=1
export VETO_SAY_INFO_STDOUT
. "${VETO_INTEGRATION_LIB:-$here/../common/veto-integration.sh}"
veto_conf_load || exit 2

# veto_swu COMMAND SWU: runs veto COMMAND on the .swu.
veto_swu() {
	cmd=$1 swu=$2
	if [ ! -f "$swu" ]; then
		veto_say err "swupdate: $swu is not a file (give the .swu to the -P and -p commands)"
		return 2
	fi
	work=$(mktemp -d "$VETO_TMP/swu.XXXXXX") || { veto_say err "swupdate: cannot make a directory in $VETO_TMP"; return 2; }
	upd=$swu.dsse
	if [ ! -f "$upd" ] && [ -n "${VETO_SWU_IMAGE:-}" ]; then
		upd=$work/veto-update.dsse
		cpio -i --quiet --to-stdout veto-update.dsse <"$swu" >"$upd" 2>/dev/null
		[ -s "$upd" ] || rm -f "$upd"
	fi
	if [ ! -f "$upd" ]; then
		veto_say err "swupdate: no update envelope for $swu: neither $swu.dsse beside it nor veto-update.dsse inside: refused"
		rm -rf "$work"
		return 1
	fi
	if [ -z "${VETO_SWU_IMAGE:-}" ]; then
		veto_decide swupdate "$cmd" "$upd" "$swu"
	else
		cpio -i --quiet --to-stdout "$VETO_SWU_IMAGE" <"$swu" |
			veto_decide swupdate "$cmd" "$upd" -
	fi
	rc=$?
	rm -rf "$work"
	return $rc
}
