# SPDX-License-Identifier: Apache-2.0
# Shared by veto-rauc-pre-install and veto-rauc-post-install (POSIX sh):
# finds, from the variables RAUC hands its system handlers, the image veto's
# manifest covers and the update envelope.
#   VETO_RAUC_CLASS   the slot class whose image veto checks (default: rootfs)
#   VETO_RAUC_UPDATE  where the envelope travels beside the bundle
#                     (default: /run/veto/rauc-update.dsse); an envelope in the
#                     bundle, veto-update.dsse at its top, comes first
here=$(dirname "$(readlink -f "$0")")
. "${VETO_INTEGRATION_LIB:-$here/../common/veto-integration.sh}"
veto_conf_load || exit 2
: "${VETO_RAUC_CLASS:=rootfs}"
: "${VETO_RAUC_UPDATE:=/run/veto/rauc-update.dsse}"

# Sets img (the image in the mounted bundle) and dev (the slot it goes to).
veto_rauc_target() {
	img='' dev=''
	for i in $RAUC_TARGET_SLOTS; do
		eval "class=\${RAUC_SLOT_CLASS_$i:-} name=\${RAUC_IMAGE_NAME_$i:-} d=\${RAUC_SLOT_DEVICE_$i:-}"
		if [ "$class" = "$VETO_RAUC_CLASS" ] && [ -n "$name" ]; then
			case $name in # post-install hands the full path
			/*) img=$name ;;
			*) img=$RAUC_BUNDLE_MOUNT_POINT/$name ;;
			esac
			dev=$d
			return 0
		fi
	done
	veto_say err "rauc: this bundle installs no image into slot class '$VETO_RAUC_CLASS' (targets: $RAUC_TARGET_SLOTS): refused"
	return 1
}

# Sets upd: the envelope in the bundle, else the one beside it.
veto_rauc_update() {
	upd=$RAUC_BUNDLE_MOUNT_POINT/veto-update.dsse
	[ -f "$upd" ] && return 0
	upd=$VETO_RAUC_UPDATE
	[ -f "$upd" ] && return 0
	veto_say err "rauc: no update envelope, neither veto-update.dsse in the bundle nor $VETO_RAUC_UPDATE beside it: refused"
	return 1
}
