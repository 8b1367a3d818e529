#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check --stage-to FILE and --report FILE (SPEC section 9.1): the staged file
# holds exactly the checked bytes and exists only after an accept; every kind
# of refusal and error leaves no FILE and no temporary; an I/O error and a
# kill in mid-stream leave nothing behind; the report is written whatever the
# decision and removed on exit 2.  The tiny-tmpfs case mounts a file system:
# it needs root, as CI has (not root: that case fails, it is never skipped).
. "$(dirname "$0")/lib.sh"

newkey owner; newkey vendor; newkey aud1
head -c 300000 /dev/urandom >img.bin
anchor anchor.json owner
PROTECTED='["zigbee"]' policy pol.json 1 owner vendor aud1
sign pol.dsse pol.json owner
veto init --state st --anchor anchor.json --security-counter 3 --feature zigbee >/dev/null
veto trust --state st --policy pol.dsse --now $NOW >/dev/null || { echo "Bail out! trust"; exit 2; }
update good.json 5 '["zigbee"]';                 sign good.dsse good.json vendor aud1
update nocos.json 5 '["zigbee"]';                sign nocos.dsse nocos.json vendor
update drop.json 6 '[]' '["zigbee"]';            sign drop.dsse drop.json vendor aud1
update old.json 2 '["zigbee"]';                  sign old.dsse old.json vendor aud1
head -c 300000 /dev/urandom >other.bin
head -c 1000 img.bin >short.bin
mkdir -m 700 stg
only() { test "$(ls -A stg | tr '\n' ' ')" = "$1"; }
CK=(veto check --state st --now $NOW)

# Accept
expect 0 "an accepted image is staged" "${CK[@]}" --update good.dsse --image img.bin --stage-to stg/fw.bin
that "the report says so" has "^  staged: stg/fw.bin$"
that "the staged file holds exactly the image" cmp -s img.bin stg/fw.bin
that "it has mode 0600" test "$(stat -c %a stg/fw.bin)" = 600
that "nothing else is in the directory" only "fw.bin "
echo stale >stg/fw.bin
expect 0 "a download piped through the check (--image -)" sh -c "cat img.bin | \"\$0\" check --state st --now $NOW --update good.dsse --image - --stage-to stg/fw.bin" "$VETO"
that "replaces an existing file with the piped bytes" cmp -s img.bin stg/fw.bin
that "and leaves no temporary" only "fw.bin "
expect 0 "with --json, the JSON alone on standard output" "${CK[@]}" --update good.dsse --image img.bin --stage-to stg/fw.bin --json
that "is the decision" has '^{"decision": "accept"'
ln -s ../other.bin stg/link.bin
cp other.bin other.keep
expect 0 "staging over a symlink" "${CK[@]}" --update good.dsse --image img.bin --stage-to stg/link.bin
that "the symlink's target is untouched" cmp -s other.bin other.keep
that "FILE is now a plain file with the image" sh -c 'test -f stg/link.bin && ! test -L stg/link.bin && cmp -s img.bin stg/link.bin'
rm -f stg/link.bin

# Every kind of refusal: exit 1, an existing FILE removed, no temporary.
refused() { # NAME CODE UPDATE IMAGE
	cp img.bin stg/fw.bin
	expect 1 "$1 is refused" "${CK[@]}" --update "$3" --image "$4" --stage-to stg/fw.bin
	that "$1: the reason is $2" has "^  refused: $2: "
	that "$1: no 'staged' line" hasnt "staged:"
	that "$1: the existing FILE is removed, no temporary left" only ""
}
refused "an image with other bytes" image-digest good.dsse other.bin
refused "a truncated image" image-size good.dsse short.bin
refused "an update without the co-signature" cosignature-missing nocos.dsse img.bin
refused "an update dropping a protected feature" feature-removed drop.dsse img.bin
refused "a rollback" rollback old.dsse img.bin
cp img.bin stg/fw.bin
expect 1 "a refused piped download" sh -c "cat other.bin | \"\$0\" check --state st --now $NOW --update good.dsse --image - --stage-to stg/fw.bin" "$VETO"
that "stages nothing" only ""

# Errors (2)
cp img.bin stg/fw.bin
expect 2 "an update that cannot be read" "${CK[@]}" --update nosuch.dsse --image img.bin --stage-to stg/fw.bin
that "removes an existing FILE too" only ""
cp img.bin stg/fw.bin
expect 2 "--stage-to without --image" "${CK[@]}" --update good.dsse --stage-to stg/fw.bin
that "is named" has "veto check: --stage-to FILE stages the image: give --image FILE" err
that "and removes an existing FILE" only ""
expect 2 "--stage-to - (standard output)" "${CK[@]}" --update good.dsse --image img.bin --stage-to -
that "is refused with a reason" has "veto check: --stage-to needs a file" err
mkdir -m 775 grp
expect 2 "a directory group can write" "${CK[@]}" --update good.dsse --image img.bin --stage-to grp/fw.bin
that "is named" has "veto check: --stage-to grp/fw.bin: directory grp is writable by group or others" err
that "and nothing is staged there" test -z "$(ls -A grp)"
cp img.bin st/fw.bin
expect 2 "FILE in the state directory" "${CK[@]}" --update good.dsse --image img.bin --stage-to st/fw.bin
that "is named" has "veto check: --stage-to st/fw.bin: lies in the state directory st, which holds only the state; choose a file elsewhere (nothing was removed)" err
that "and removes nothing" cmp -s img.bin st/fw.bin
mkdir -m 700 st/sub
expect 2 "FILE below the state directory" "${CK[@]}" --update good.dsse --image img.bin --stage-to ./st/sub/../sub/fw.bin
rm -rf st/fw.bin st/sub
expect 2 "FILE's directory missing" "${CK[@]}" --update good.dsse --image img.bin --stage-to nodir/fw.bin
that "is named" has "veto check: --stage-to nodir/fw.bin: cannot open directory nodir" err
expect 2 "commit takes no --stage-to" veto commit --state st --update good.dsse --image img.bin --stage-to stg/fw.bin --now $NOW
that "state.json unchanged by it" grep -q '"security_counter": 3' st/state.json

# An I/O error in mid-stream: a file-size limit (ulimit -f counts 512-byte
# blocks: 100 is 51200 bytes of a 300000-byte image) ...
cp img.bin stg/fw.bin
expect 2 "a file-size limit in mid-stream is an error, not a crash" bash -c "ulimit -f 100; exec \"\$0\" check --state st --now $NOW --update good.dsse --image img.bin --stage-to stg/fw.bin" "$VETO"
that "it is named" has "^veto check: --stage-to stg/fw.bin: cannot write the staged image: File too large$" err
that "no ACCEPT is printed" hasnt "ACCEPT"
that "no FILE, no temporary" only ""
# ... and a full file system (a 64 KiB tmpfs).
if [ "$(id -u)" -eq 0 ] && mkdir -m 700 tiny && mount -t tmpfs -o size=64k,mode=700 veto-test tiny; then
	expect 2 "a full file system in mid-stream" "${CK[@]}" --update good.dsse --image img.bin --stage-to tiny/fw.bin
	that "it is named" has "^veto check: --stage-to tiny/fw.bin: cannot write the staged image: No space left on device$" err
	that "nothing is left on it" test -z "$(ls -A tiny)"
	that "and its space is free again" test "$(df --output=used -k tiny | tail -n 1 | tr -d ' ')" -eq 0
	umount tiny
else
	not_ok "a full file system in mid-stream: cannot mount a tmpfs (needs root, as CI has)"
fi

# A kill in mid-stream: the image comes through a FIFO; half of it is
# written, then the command is killed with SIGKILL.
cp img.bin stg/fw.bin
mkfifo feed
"$VETO" check --state st --now $NOW --update good.dsse --image feed --stage-to stg/fw.bin >out 2>err &
pid=$!
exec 3>feed
head -c 150000 img.bin >&3
for _ in $(seq 50); do # until the command has read what was written
	grep -q '(deleted)' <(ls -l /proc/$pid/fd 2>/dev/null) && break
	sleep 0.05
done
that "while streaming, the staging file has no name (O_TMPFILE)" grep -q 'stg/#[0-9]* (deleted)' <(ls -l /proc/$pid/fd)
that "and the old FILE is already gone" only ""
kill -KILL $pid
wait $pid 2>/dev/null
exec 3>&-
that "after SIGKILL: no FILE, no temporary" only ""
expect 0 "the next check stages normally" "${CK[@]}" --update good.dsse --image img.bin --stage-to stg/fw.bin
that "with exactly the image" cmp -s img.bin stg/fw.bin

# --report FILE
expect 0 "check --report on an accept" "${CK[@]}" --update good.dsse --image img.bin --report r.json
that "the report is the --json object" test "$(cat r.json)" = '{"decision": "accept", "refusals": [], "notices": []}'
that "the human report is still printed" has "^ACCEPT good.dsse$"
expect 1 "check --report on a refusal" "${CK[@]}" --update nocos.dsse --image img.bin --report r.json
that "the refusal is in the report" has '^{"decision": "refuse", "refusals": \[{"code": "cosignature-missing", "role": "auditor", "have": 0, "need": 1}\]' r.json
expect 2 "a run that exits 2" "${CK[@]}" --update nosuch.dsse --report r.json
that "removes the old report" test ! -e r.json
echo keep >st/r.json
expect 2 "a report in the state directory" "${CK[@]}" --update good.dsse --report st/r.json
that "is named" has "veto check: --report st/r.json: lies in the state directory st" err
that "and removes nothing" test "$(cat st/r.json)" = keep
rm st/r.json
mkdir r.dir
expect 2 "commit whose report cannot be written" veto commit --state st --update good.dsse --image img.bin --report r.dir --now $NOW
that "says the state was written" has "veto commit: the report r.dir was not written; the state WAS written (the update is committed)" err
that "and it was" grep -q '"security_counter": 5' st/state.json
expect 1 "commit --report on a refusal" veto commit --state st --update old.dsse --image img.bin --report c.json --now $NOW
that "the report holds the rollback" has '"code": "rollback"' c.json
policy pol2.json 2 owner vendor aud1;            sign pol2.dsse pol2.json owner
expect 0 "trust --report" veto trust --state st --policy pol2.dsse --report t.json --now $NOW
that "the report is the decision" test "$(cat t.json)" = '{"decision": "accept", "refusals": [], "notices": []}'
expect 1 "trust --report on a refusal (an older serial)" veto trust --state st --policy pol.dsse --report t.json --now $NOW
that "names it" has '"decision": "refuse"' t.json
expect 2 "trust with a missing policy file" veto trust --state st --policy nosuch.dsse --report t.json --now $NOW
that "removes the old report" test ! -e t.json
expect 1 "preflight --report" veto preflight --update nocos.dsse pol.dsse --report p.json --now $NOW
that "the report is preflight's JSON" has '^{"policies": 1, "accept": 0, "refuse": 1, "reasons": {"cosignature-missing": 1}' p.json
expect 2 "preflight that exits 2" veto preflight --update nosuch.dsse pol.dsse --report p.json --now $NOW
that "keeps its old report" has '"policies": 1' p.json
expect 2 "preflight --report with an unreadable policy" veto preflight --update nocos.dsse pol.dsse nosuch.policy --report p.json --now $NOW
that "the report lists the unreadable policy in its place" has '"policies": 2' p.json
that "with what was wrong" has 'nosuch.policy' p.json
printf '%s\n' pol.dsse pol.dsse pol.dsse > list.txt
expect 1 "preflight --report with --policies-from and --jobs 2" veto preflight --update nocos.dsse --policies-from list.txt --jobs 2 --report p3.json --now $NOW
that "the report counts every listed policy" has '^{"policies": 3, "accept": 0, "refuse": 3' p3.json
veto preflight --update nocos.dsse --policies-from list.txt --json --now $NOW >p3-stdout.json 2>/dev/null
that "the report is what --json prints" cmp -s p3.json p3-stdout.json

done_testing
