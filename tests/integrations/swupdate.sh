#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SWUpdate end to end: the real swupdate in file mode (-i FILE.swu) with
# veto's -P and -p commands from integrations/swupdate/, CMS-signed
# sw-description, a raw image into a file-backed slot; and a download piped
# through veto-swupdate-install (veto check --stage-to, then swupdate).
. "$(dirname "$0")/lib.sh"
require swupdate cpio openssl unshare flock
# One SWUpdate test at a time on a machine (two build trees tested at once):
# under that load, swupdate 2022.12 at times reports success, skips the -p
# command and exits 1 -- its own race, not veto's.  Runs wait for each other.
exec 9>/tmp/veto-test-swupdate.lock && flock 9
owner_fixture
SW=$INTEG/swupdate

openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj /CN=veto-vendor \
	-days 3650 >/dev/null 2>&1 || { echo "Bail out! openssl"; exit 2; }
head -c 262144 /dev/zero >slot.img
mkdir -m 700 swu-tmp stage
export TMPDIR=$T/swu-tmp  # swupdate's own scratch space too

# swu NAME [inside]: NAME.swu, its image the member rootfs.img; with
# "inside", NAME.dsse travels in it as veto-update.dsse.
swu() {
	rm -rf pack && mkdir pack
	cp "$1.img" pack/rootfs.img
	cat >pack/sw-description <<SWD
software =
{
	version = "$1";
	hardware-compatibility: [ "1.0" ];
	images: (
		{
			filename = "rootfs.img";
			device = "$T/slot.img";
			type = "raw";
			sha256 = "$(sha256sum "$1.img" | cut -d' ' -f1)";
		}
	);
}
SWD
	openssl cms -sign -in pack/sw-description -out pack/sw-description.sig -signer ca.pem \
		-inkey ca.key -outform DER -nosmimecap -binary || { echo "Bail out! cms"; exit 2; }
	local members="sw-description sw-description.sig rootfs.img"
	[ "${2:-}" = inside ] && { cp "$1.dsse" pack/veto-update.dsse; members="$members veto-update.dsse"; }
	(cd pack && printf '%s\n' $members | cpio -o -H crc --quiet) >"$1.swu"
}
# whole NAME COUNTER FEATURES [REMOVES] [COSIGNERS]: an envelope over the
# whole NAME.swu, beside it as NAME.swu.dsse.
whole() {
	IMG=$1.swu update "$1.swu.json" "$2" "$3" "${4:-}"
	sign "$1.swu.dsse" "$1.swu.json" vendor ${5-aud1}
}
# SWUpdate's processes report to each other through an abstract unix socket
# of a fixed name: two swupdates at once (two test runs on one machine)
# would take each other's messages.  Each run gets a network namespace of its
# own, where abstract sockets live, so concurrent runs cannot meet.
# Under load, swupdate 2022.12 in file mode at times prints "SWUPDATE
# successful", skips the -p command and exits 1: its client polls the status
# between the installer's two updates of it (ipc_wait_for_complete), a race
# of SWUpdate's own that veto cannot reach.  Only that exact signature (exit
# 1, success printed, no veto commit made) runs the installation once more,
# and the run says so in a TAP comment; anything else counts as it is.
alone() {
	local commits rc
	commits=$(grep -c "veto commit" run/syslog 2>/dev/null)
	unshare --net "$@" && return 0
	rc=$?
	if [ $rc -eq 1 ] && grep -q "SWUPDATE successful" out 2>/dev/null &&
		[ "$(grep -c "veto commit" run/syslog 2>/dev/null)" = "$commits" ]; then
		echo "SWUpdate's race (success printed, -p skipped, exit 1): installed again" >>races
		unshare --net "$@"
		return
	fi
	return $rc
}
sw() { # NAME: swupdate in file mode with veto's commands; output in ./out
	alone swupdate -H veto-board:1.0 -k ca.pem -M -m -i "$T/$1.swu" \
		-P "$SW/veto-swupdate-pre $T/$1.swu" -p "$SW/veto-swupdate-post $T/$1.swu" >out 2>&1
}

swu good; whole good 5 '["zigbee"]'
expect 0 "a good update installs (the envelope covers the whole .swu)" sw good
that "the slot holds the image" cmp -n 200000 good.img slot.img
that "veto committed it: counter 5" counter_is 5
that "the report says accept" report_has '"decision": "accept"'
that "syslog shows veto's check" grep -q "swupdate: veto check good.swu.dsse (exit 0" run/syslog
that "and its commit" grep -q "swupdate: veto commit good.swu.dsse (exit 0" run/syslog
that "an accept puts no ERROR line in SWUpdate's log" sh -c "! grep -q ERROR out"

refused() { # NAME CODE HOW
	cp slot.img slot.before
	expect 1 "$1 is refused by swupdate ($3)" "${@:4}"
	that "$1: the slot is byte-for-byte unchanged" cmp -s slot.img slot.before
	that "$1: the report holds $2" report_has "\"code\": \"$2\""
	that "$1: syslog holds the reason" grep -q "refused: $2: " run/syslog
	that "$1: the state is unchanged" counter_is 5
}
swu drop; whole drop 6 '[]' '["zigbee"]'
refused drop feature-removed "whole .swu" sw drop
that "drop: SWUpdate's log shows the reason" has "ERROR : veto:   refused: feature-removed: "
that "drop: and no installation started" hasnt "Installation in progress"
swu nocos inside
export VETO_SWU_IMAGE=rootfs.img
refused nocos cosignature-missing "one image, envelope inside the .swu" sw nocos
that "nocos: SWUpdate's log shows the reason" has "ERROR : veto:   refused: cosignature-missing: "
unset VETO_SWU_IMAGE
swu old; whole old 4 '["zigbee"]'
refused old rollback "whole .swu" sw old

# A download piped through veto-swupdate-install: staged, then installed.
head -c 200000 /dev/urandom >good7.img
swu good7; whole good7 7 '["zigbee"]'
export VETO_SWU_STAGE=$T/stage/staged.swu
# A download piped through veto-swupdate-install: checked and staged,
# then installed by swupdate from the staged bytes, then committed.
expect 0 "a piped download is staged, then installed by swupdate" alone sh -c "cat good7.swu | '$SW/veto-swupdate-install' good7.swu.dsse - -H veto-board:1.0 -k ca.pem -M -m"
that "a piped download is checked and staged" has "veto:   staged: $T/stage/staged.swu" out
that "swupdate's pre-update command accepts the staged bytes" grep -q "ACCEPT $T/stage/staged.swu.dsse" run/syslog
that "the slot holds its image" cmp -n 200000 good7.img slot.img
that "veto committed it: counter 7" counter_is 7
that "nothing is left in the staging directory" test -z "$(ls -A stage)"
cp slot.img slot.before
expect 1 "a piped rollback is refused before swupdate runs" alone sh -c "cat old.swu | '$SW/veto-swupdate-install' old.swu.dsse - -H veto-board:1.0 -k ca.pem -M -m"
that "the reason is printed" has "refused: rollback: " err
that "swupdate never started" sh -c "! grep -q SWUpdate out err"
that "the slot is unchanged" cmp -s slot.img slot.before
that "nothing is staged" test -z "$(ls -A stage)"
[ -f races ] && sed 's/^/# /' races
finish
