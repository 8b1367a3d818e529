#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every file the tool reads, each as {missing, directory, symlink, FIFO,
# unreadable, empty, oversized}: the exact exit status and the message or
# reason code (SPEC 1.1 sections 7 and 8).  Nothing may block or run on:
# each command runs under `timeout 5`, so a hang fails (exit 124) instead of
# stalling the suite, and an endless image or standard input must stop.
#
# "Unreadable": the suite often runs as root, for whom mode 000 is no
# obstacle.  A file named on the command line is made unreadable with
# /proc/self/mem, which opens but whose first read(2) fails (EIO): the same
# path through the code as a read error.  Entries of the state directory
# cannot point there (they are never followed), so their mode-000 rows run
# only without root and are skipped, said so, as root.
. "$(dirname "$0")/lib.sh"

newkey owner; newkey vendor; newkey stranger
printf '0123456789' >img.bin
anchor anchor.json owner
policy pol.json 1 owner vendor
sign pol.dsse pol.json owner
veto init --state st --anchor anchor.json >/dev/null
veto trust --state st --policy pol.dsse --now $NOW >/dev/null || { echo "Bail out! trust"; exit 2; }
update u.json 5 '[]'
sign u.dsse u.json vendor
sign unt.dsse u.json stranger
mkdir adir
: >empty
head -c 1048600 /dev/zero | tr '\0' ' ' >big          # above the 1 MiB envelope limit
head -c 20000 /dev/zero | tr '\0' ' ' >bigkey         # above the 16 KiB key file limit
cp owner.key key600; chmod 600 key600 empty bigkey
ln -s u.dsse u.link; ln -s pol.dsse pol.link; ln -s anchor.json anchor.link
ln -s img.bin img.link; ln -s key600 key.link; ln -s owner.pub pub.link
mkfifo fifo; mkfifo fifo600; chmod 600 fifo600
UNREAD=/proc/self/mem
if [ "$(id -u)" -eq 0 ]; then ROOT=1; else ROOT=0; fi

# row NAME STATUS FRAGMENT CMD...: CMD under timeout 5 exits STATUS, and
# FRAGMENT (a grep pattern) is in its standard output or error.
row() {
	local name=$1 want=$2 frag=$3; shift 3
	timeout 5 "$VETO" "$@" >out 2>err </dev/null
	local got=$?
	if [ "$got" -ne "$want" ]; then
		not_ok "$name (exit $got, want $want)"
	elif [ -n "$frag" ] && ! cat out err | grep -q -- "$frag"; then
		not_ok "$name (no '$frag' in the output)"
	else
		ok "$name"
	fi
}
CK=(check --state st --now $NOW --json)

# --update
row "update missing: exit 2 naming it" 2 "cannot open nope" "${CK[@]}" --update nope
row "update a directory: exit 2 naming it" 2 "adir is a directory" "${CK[@]}" --update adir
row "update a symlink: followed (named by the user)" 0 '"accept"' "${CK[@]}" --update u.link
row "update a FIFO without writer: empty, at once" 1 '"malformed-update"' "${CK[@]}" --update fifo
row "update unreadable: exit 2 naming it" 2 "cannot read $UNREAD" "${CK[@]}" --update $UNREAD
row "update empty: malformed-update" 1 '"malformed-update"' "${CK[@]}" --update empty
row "update oversized: malformed-update" 1 '"malformed-update"' "${CK[@]}" --update big
row "update /dev/zero: read to the limit only" 1 '"malformed-update"' "${CK[@]}" --update /dev/zero
# --policy
row "policy missing: exit 2 naming it" 2 "cannot open nope" "${CK[@]}" --policy nope --update u.dsse
row "policy a directory: exit 2 naming it" 2 "adir is a directory" "${CK[@]}" --policy adir --update u.dsse
row "policy a symlink: followed" 0 '"accept"' "${CK[@]}" --policy pol.link --update u.dsse
row "policy a FIFO without writer: empty, at once" 1 '"malformed-policy"' "${CK[@]}" --policy fifo --update u.dsse
row "policy unreadable: exit 2 naming it" 2 "cannot read $UNREAD" "${CK[@]}" --policy $UNREAD --update u.dsse
row "policy empty: malformed-policy" 1 '"malformed-policy"' "${CK[@]}" --policy empty --update u.dsse
row "policy oversized: malformed-policy" 1 '"malformed-policy"' "${CK[@]}" --policy big --update u.dsse
# --anchor
AN=(check --policy pol.dsse --update u.dsse --now $NOW --json)
row "anchor missing: exit 2 naming it" 2 "cannot open nope" "${AN[@]}" --anchor nope
row "anchor a directory: exit 2 naming it" 2 "adir is a directory" "${AN[@]}" --anchor adir
row "anchor a symlink: followed" 0 '"accept"' "${AN[@]}" --anchor anchor.link
row "anchor a FIFO without writer: empty, at once" 1 '"malformed-anchor"' "${AN[@]}" --anchor fifo
row "anchor unreadable: exit 2 naming it" 2 "cannot read $UNREAD" "${AN[@]}" --anchor $UNREAD
row "anchor empty: malformed-anchor" 1 '"malformed-anchor"' "${AN[@]}" --anchor empty
row "anchor oversized: malformed-anchor" 1 '"malformed-anchor"' "${AN[@]}" --anchor big
# --image (the manifest declares 10 bytes)
row "image missing: exit 2 naming it" 2 "cannot open image nope" "${CK[@]}" --update u.dsse --image nope
row "image a directory: exit 2 naming it" 2 "image adir is a directory" "${CK[@]}" --update u.dsse --image adir
row "image a symlink: followed" 0 '"accept"' "${CK[@]}" --update u.dsse --image img.link
row "image a FIFO without writer: empty, at once" 1 '"image-size", "have": 0' "${CK[@]}" --update u.dsse --image fifo
row "image unreadable: exit 2 naming it" 2 "cannot read image $UNREAD" "${CK[@]}" --update u.dsse --image $UNREAD
row "image empty: image-size" 1 '"image-size", "have": 0' "${CK[@]}" --update u.dsse --image empty
row "image oversized: image-size alone" 1 '"refusals": \[{"code": "image-size", "have": 11, "need": 10' "${CK[@]}" --update u.dsse --image big
row "image endless (/dev/zero): image-size after 11 bytes" 1 '"refusals": \[{"code": "image-size", "have": 11, "need": 10' "${CK[@]}" --update u.dsse --image /dev/zero
that "and no digest is compared" hasnt '"image-digest"'
row "untrusted update, endless image: stops at once" 1 '"refusals": \[{"code": "update-untrusted"' "${CK[@]}" --update unt.dsse --image /dev/zero
# standard input, endless: `yes` never ends; the check must
yes | timeout 5 "$VETO" "${CK[@]}" --update u.dsse --image - >out 2>err
rc=$?
that "endless standard input as the image: image-size, at once (exit $rc)" \
	test "$rc" = 1 -a -n "$(grep '"code": "image-size", "have": 11' out)"
yes | timeout 5 "$VETO" "${CK[@]}" --update unt.dsse --image - >out 2>err
rc=$?
that "endless standard input, untrusted update: none of it read (exit $rc)" \
	test "$rc" = 1 -a -n "$(grep '"update-untrusted"' out)"
head -c 5000000 /dev/zero | timeout 5 "$VETO" "${CK[@]}" --update u.dsse --image - >out 2>err
that "standard input is left undrained (the writer sees the pipe close)" has '"have": 11'

# sign --key (a secret key file: mode checked, fixed buffer)
SG=(sign u.json -o /dev/null)
row "secret key missing: exit 2 naming it" 2 "cannot open nope" "${SG[@]}" --key nope
row "secret key a directory: exit 2 naming it" 2 "adir is a directory" "${SG[@]}" --key adir
row "secret key a symlink: followed" 0 "" "${SG[@]}" --key key.link
row "secret key a FIFO without writer: exit 2, at once" 2 "fifo600: not a veto secret key file" "${SG[@]}" --key fifo600
row "secret key unreadable: exit 2 naming it" 2 "cannot read $UNREAD" "${SG[@]}" --key $UNREAD
row "secret key empty: exit 2 naming it" 2 "empty: not a veto secret key file" "${SG[@]}" --key empty
row "secret key oversized: exit 2 naming it" 2 "bigkey: too large to be a key file" "${SG[@]}" --key bigkey
# key id (a public key file)
row "public key missing: exit 2 naming it" 2 "cannot open nope" key id nope
row "public key a directory: exit 2 naming it" 2 "adir is a directory" key id adir
row "public key a symlink: followed" 0 "$(kid owner)" key id pub.link
row "public key a FIFO without writer: exit 2, at once" 2 "fifo: not a veto key file" key id fifo
row "public key unreadable: exit 2 naming it" 2 "cannot read $UNREAD" key id $UNREAD
row "public key empty: exit 2 naming it" 2 "empty: not a veto key file" key id empty
row "public key oversized: exit 2 naming it" 2 "bigkey: too large" key id bigkey

# The state directory: a fresh copy for each row.
fresh() { rm -rf sx; cp -a st sx; }
SX=(check --state sx --update u.dsse --now $NOW --json)
fresh; rm sx/state.json
row "state.json missing: malformed-state" 1 '"malformed-state"' "${SX[@]}"
fresh; rm sx/state.json; mkdir sx/state.json
row "state.json a directory: malformed-state" 1 '"malformed-state"' "${SX[@]}"
that "naming it" has "sx/state.json is a directory" err
fresh; mv sx/state.json sx/real.json; ln -s real.json sx/state.json
row "state.json a symlink (even to a good state): malformed-state, never followed" 1 '"malformed-state"' "${SX[@]}"
that "naming it" has "sx/state.json is a symbolic link" err
fresh; rm sx/state.json; mkfifo sx/state.json
row "state.json a FIFO: malformed-state, at once" 1 '"malformed-state"' "${SX[@]}"
that "naming it" has "sx/state.json is a FIFO" err
fresh; rm sx/state.json; ln -s /dev/zero sx/state.json
row "state.json a symlink to a device: malformed-state" 1 '"malformed-state"' "${SX[@]}"
if [ $ROOT -eq 0 ]; then
	fresh; chmod 000 sx/state.json
	row "state.json unreadable: exit 2 naming it" 2 "cannot open sx/state.json" "${SX[@]}"
	chmod 600 sx/state.json
else
	skip "state.json unreadable: mode 000 does not stop root"
fi
fresh; : >sx/state.json
row "state.json empty: malformed-state" 1 '"malformed-state"' "${SX[@]}"
fresh; truncate -s 5M sx/state.json
row "state.json oversized: malformed-state" 1 '"malformed-state"' "${SX[@]}"
fresh; rm sx/state.json; mkfifo sx/state.json
row "trust with a FIFO state.json: a refusal, at once" 1 "is a FIFO" trust --state sx --policy pol.dsse --now $NOW
fresh; rm sx/state.json; mkfifo sx/state.json
row "commit with a FIFO state.json: a refusal, at once" 1 "is a FIFO" commit --state sx --update u.dsse --image img.bin --now $NOW
that "and the FIFO is left as it is" test -p sx/state.json

# the lock file
fresh; rm -f sx/.lock
row "lock file missing: created" 0 '"accept"' "${SX[@]}"
that "as a regular file" test -f sx/.lock
fresh; rm -f sx/.lock; mkdir sx/.lock
row "lock file a directory: exit 2 naming it" 2 "lock file sx/.lock is a directory" "${SX[@]}"
fresh; rm -f sx/.lock; ln -s ../elsewhere.lock sx/.lock
row "lock file a symlink: exit 2 naming it, never followed" 2 "lock file sx/.lock is a symbolic link" "${SX[@]}"
that "and nothing is created where it points" test ! -e elsewhere.lock
fresh; rm -f sx/.lock; mkfifo sx/.lock
row "lock file a FIFO: exit 2 naming it, at once" 2 "lock file sx/.lock is a FIFO" "${SX[@]}"
fresh; rm -f sx/.lock; mkfifo sx/.lock
row "commit with a lock FIFO: exit 2, at once" 2 "lock file sx/.lock is a FIFO" commit --state sx --update u.dsse --image img.bin --now $NOW
fresh; rm -f sx/.lock; ln -s /dev/null sx/.lock
row "lock file a symlink to a device: exit 2" 2 "lock file sx/.lock is a symbolic link" "${SX[@]}"
if [ $ROOT -eq 0 ]; then
	fresh; chmod 000 sx/.lock
	row "lock file unreadable: exit 2 naming it" 2 "lock file sx/.lock" "${SX[@]}"
	chmod 600 sx/.lock
else
	skip "lock file unreadable: mode 000 does not stop root"
fi
fresh; : >sx/.lock
row "lock file empty: the normal case" 0 '"accept"' "${SX[@]}"
fresh; head -c 100000 /dev/zero >sx/.lock
row "lock file with content: never read, accepted" 0 '"accept"' "${SX[@]}"

# the state directory itself
row "state directory missing: exit 2 naming it" 2 "cannot open state directory nope" check --state nope --update u.dsse --now $NOW
row "state directory a regular file: exit 2 naming it" 2 "state directory empty" check --state empty --update u.dsse --now $NOW
row "state directory a FIFO: exit 2, at once" 2 "state directory fifo" check --state fifo --update u.dsse --now $NOW
ln -s st st.link
row "state directory a symlink: followed (named by the user)" 0 '"accept"' check --state st.link --update u.dsse --now $NOW --json
mkdir -m 700 emptydir
row "state directory empty: malformed-state" 1 '"malformed-state"' check --state emptydir --update u.dsse --now $NOW --json

done_testing
