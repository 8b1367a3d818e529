#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Mender end to end: the real mender client in standalone mode (mender
# install ARTIFACT, mender commit) with a private configuration, data
# directory and modules directory, in a private mount namespace where
# /etc/mender and /usr/share/mender/modules are the test's own; Debian's single-file update
# module wrapped by integrations/mender/veto-mender-module, installing into a
# file-backed slot.
. "$(dirname "$0")/lib.sh"
require mender mender-artifact unshare mount
owner_fixture
MD=$INTEG/mender

mkdir -p modules/v3 wrapped data etc slot
cp /usr/share/mender/modules/v3/single-file /usr/share/mender/modules/v3/directory modules/v3/
echo 'device_type=veto-dev' >data/device_type
echo 'artifact_name=release-3' >etc/artifact_info
head -c 200000 /dev/zero >slot/fw.img
# The modules directory is not configurable (/usr/share/mender/modules):
# menders mounts the test's own over it, in its own mount namespace.
echo "{\"DeviceTypeFile\": \"$T/data/device_type\"}" >mender.conf
echo "VETO_MENDER_WRAPPED=$T/wrapped" >>integration.conf

expect 0 "veto-mender-wrap wraps single-file" "$MD/veto-mender-wrap" --modules "$T/modules" --wrapped "$T/wrapped" single-file
that "it says so" has "single-file wrapped"
that "and disables the module it was not asked to wrap" has "directory disabled (not wrapped)"
that "the module directory holds only veto's link" test "$(readlink -f modules/v3/single-file)" = "$(readlink -f "$MD/veto-mender-module")"

# artifact NAME [TYPE] [EXTRA-FILE]: NAME.mender installing NAME.img as
# slot/fw.img, with NAME.dsse in its payload.
artifact() {
	rm -rf pay && mkdir pay
	cp "$1.img" pay/fw.img; cp "$1.dsse" pay/veto-update.dsse
	echo "$T/slot" >pay/dest_dir; echo fw.img >pay/filename
	local extra=()
	[ -n "${3:-}" ] && { echo extra >"pay/$3"; extra=(-f "pay/$3"); }
	mender-artifact write module-image -T "${2:-single-file}" -t veto-dev -n "$1" -o "$1.mender" \
		-f pay/fw.img -f pay/veto-update.dsse -f pay/dest_dir -f pay/filename "${extra[@]}" \
		>/dev/null 2>&1 || { echo "Bail out! mender-artifact $1"; exit 2; }
}
# menders ARGS...: mender in a mount namespace of its own, output in ./out.
menders() {
	unshare -m sh -c 'mount --bind "$0/etc" /etc/mender && mount --bind "$0/modules" /usr/share/mender/modules &&
		exec mender -c "$0/mender.conf" -d "$0/data" --no-syslog "$@"' \
		"$T" "$@" >out 2>&1
}

artifact good
expect 0 "a good artifact installs (mender install)" menders install "$T/good.mender"
that "the slot holds the image" cmp -s good.img slot/fw.img
that "veto checked it, not yet committed: counter 3" counter_is 3
that "Mender's log shows veto's check" has "veto: mender: veto check veto-update.dsse (exit 0"
expect 0 "mender commit" menders commit
that "veto committed it: counter 5" counter_is 5
that "the report says accept" report_has '"decision": "accept"'

refused() { # NAME CODE [TYPE] [EXTRA]
	cp slot/fw.img slot.before
	expect 1 "$1 is refused by mender install" menders install "$T/$1.mender"
	that "$1: the slot is byte-for-byte unchanged" cmp -s slot/fw.img slot.before
	that "$1: Mender's log holds the reason" has "$2"
	that "$1: the state is unchanged" counter_is 5
}
artifact drop
refused drop "veto:   refused: feature-removed: "
that "drop: the report holds it" report_has '"code": "feature-removed"'
that "drop: syslog holds it" grep -q "refused: feature-removed: " run/syslog
artifact nocos
refused nocos "veto:   refused: cosignature-missing: "
that "nocos: the report holds it" report_has '"code": "cosignature-missing"'
artifact old
refused old "veto:   refused: rollback: "
that "old: the report holds it" report_has '"code": "rollback"'
IMG=good.img update g6.json 6 '["zigbee"]'; sign g6.dsse g6.json vendor aud1; cp good.img g6.img
artifact g6 directory
refused g6 "directory"
that "an artifact of a type the owner did not wrap never reached a module" hasnt "veto: mender: veto check"
ln -s "$(readlink -f "$MD/veto-mender-module")" modules/v3/script
artifact g6 script
refused g6 "payload type 'script' is not wrapped by the owner"
rm modules/v3/script
artifact g6 single-file extra.sh
refused g6 "payload file 'extra.sh' is not the image veto checks ('fw.img'): refused"
artifact g6 rootfs-image
refused g6 "Artifact Payload type 'rootfs-image' is not supported by this Mender Client"
that "rootfs-image: Mender's built-in installer is off (RootfsPartA/B unset)" hasnt "veto: mender"
finish
