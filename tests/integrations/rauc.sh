#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# RAUC end to end: the real `rauc service` on a private D-Bus bus, two
# file-backed raw slots, bootloader=noop, plain bundles (squashfs, loop
# mounted), and veto's system handlers from integrations/rauc/.
. "$(dirname "$0")/lib.sh"
require rauc mksquashfs openssl dbus-daemon mount
owner_fixture

# The vendor's signing certificate, which RAUC's keyring trusts.
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj /CN=veto-vendor \
	-days 3650 >/dev/null 2>&1 || { echo "Bail out! openssl"; exit 2; }
head -c 262144 /dev/zero >slotA.img
head -c 262144 /dev/zero >slotB.img
mkdir -m 700 mnt data
cat >system.conf <<CONF
[system]
compatible=veto-test
bootloader=noop
data-directory=$T/data

[keyring]
path=$T/ca.pem

[handlers]
pre-install=$INTEG/rauc/veto-rauc-pre-install
post-install=$INTEG/rauc/veto-rauc-post-install

[slot.rootfs.0]
device=$T/slotA.img
type=raw
bootname=A

[slot.rootfs.1]
device=$T/slotB.img
type=raw
bootname=B
CONF
echo "VETO_RAUC_UPDATE=$T/run/rauc-update.dsse" >>integration.conf

# bundle NAME [inside]: NAME.raucb with NAME.img, and NAME.dsse inside it
# when asked (otherwise it travels beside, at VETO_RAUC_UPDATE).
bundle() {
	rm -rf content && mkdir content
	cp "$1.img" content/rootfs.img
	[ "${2:-}" = inside ] && cp "$1.dsse" content/veto-update.dsse
	printf '[update]\ncompatible=veto-test\nversion=%s\n\n[bundle]\nformat=plain\n\n[image.rootfs]\nfilename=rootfs.img\n' "$1" \
		>content/manifest.raucm
	rauc bundle --cert ca.pem --key ca.key content "$1.raucb" >/dev/null 2>&1 ||
		{ echo "Bail out! rauc bundle $1"; exit 2; }
}

# A private system bus for the service and the client.
dbus-daemon --config-file=/usr/share/dbus-1/session.conf --fork --print-address=3 \
	--print-pid=4 3>bus.addr 4>bus.pid || { echo "Bail out! dbus-daemon"; exit 2; }
on_exit "kill $(cat bus.pid)"
export DBUS_SYSTEM_BUS_ADDRESS=$(head -n 1 bus.addr)
rauc service --conf="$T/system.conf" --mount="$T/mnt" --override-boot-slot=A >service.log 2>&1 &
svc=$!
on_exit "kill $svc; wait $svc; umount -R $T/mnt"
for _ in $(seq 100); do rauc status >/dev/null 2>&1 && break; sleep 0.05; done
that "the RAUC service answers on the private bus" sh -c "rauc status >/dev/null 2>&1"

# install NAME: rauc install through the service; its output in ./out.
install() { rauc install "$T/$1.raucb" >out 2>err; }

bundle good inside
expect 0 "a good update (envelope in the bundle) installs" install good
that "slot B holds the image" cmp -n 200000 good.img slotB.img
that "slot A, the booted one, is untouched" cmp -s slotA.img <(head -c 262144 /dev/zero)
that "veto committed it: counter 5" counter_is 5
that "the report says accept" report_has '"decision": "accept"'
that "the service's log (the journal) shows the check" grep -q "^# veto: rauc: veto check veto-update.dsse (exit 0" service.log
that "and the commit" grep -q "^# veto: rauc: veto commit veto-update.dsse (exit 0" service.log

refused() { # NAME CODE
	cp slotB.img slotB.before
	expect 1 "$1 is refused by rauc install" install "$1"
	that "$1: rauc's LastError names the pre-install handler" has "LastError: Pre-install handler error"
	that "$1: slot B is byte-for-byte unchanged" cmp -s slotB.img slotB.before
	that "$1: the report holds $2" report_has "\"code\": \"$2\""
	that "$1: the journal holds the reason" grep -q "^# veto: *refused: $2: " service.log
	that "$1: syslog holds the reason" grep -q "refused: $2: " run/syslog
	that "$1: the state is unchanged" counter_is 5
}
bundle drop inside
refused drop feature-removed
bundle nocos; cp nocos.dsse run/rauc-update.dsse  # beside the bundle
refused nocos cosignature-missing
bundle old; cp old.dsse run/rauc-update.dsse
refused old rollback
rm run/rauc-update.dsse
cp slotB.img slotB.before
expect 1 "a bundle with no envelope anywhere is refused" install nocos
that "saying where it looked" grep -q "no update envelope, neither veto-update.dsse in the bundle nor" service.log
that "slot B unchanged" cmp -s slotB.img slotB.before
finish
