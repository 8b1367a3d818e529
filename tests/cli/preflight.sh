#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# veto preflight: one release against many owners' policies, counted by
# reason.
. "$(dirname "$0")/lib.sh"

newkey owner; newkey owner2; newkey vendor; newkey aud1; newkey aud2; newkey stranger
head -c 4000 /dev/urandom >img.bin

policy a.json 1 owner vendor;                               sign a.dsse a.json owner
policy b.json 1 owner vendor aud1,aud2 2;                   sign b.dsse b.json owner
PROTECTED='["zigbee", "local-control"]' policy c.json 1 owner2 vendor; sign c.dsse c.json owner2
EXPIRES='"2026-01-01T00:00:00Z"' policy d.json 1 owner vendor; sign d.dsse d.json owner
policy e.json 1 owner vendor;                               sign e.dsse e.json stranger
DEV_MODEL=other policy g.json 1 owner vendor;               sign g.dsse g.json owner

update upd.json 9 '["matter@1.3"]' '["zigbee", "local-control"]'
sign upd.dsse upd.json vendor aud1

expect 1 "preflight over six policies refuses (some refuse)" veto preflight --update upd.dsse a.dsse b.dsse c.dsse d.dsse e.dsse g.dsse --now $NOW
that "the summary line comes first" sh -c 'head -n 1 out | grep -qx "6 policies: 1 accept, 5 refuse"'
that "counts per reason" has "^  feature-removed: 1 policy$"
that "cosignature-missing counted" has "^  cosignature-missing: 1 policy$"
that "then one line per policy" has "^ACCEPT a.dsse$"
that "refused policies are named" has "^REFUSE e.dsse$"
that "with their reasons" has "refused: policy-signature"

expect 1 "preflight --json" veto preflight --update upd.dsse a.dsse b.dsse c.dsse d.dsse e.dsse g.dsse --now $NOW --json
that "the JSON is one line" test "$(wc -l <out)" = 1
that "the counts are exact" has '^{"policies": 6, "accept": 1, "refuse": 5, '
that "reasons count policies per code, in table order" has '"reasons": {"policy-signature": 1, "policy-expired": 1, "cosignature-missing": 1, "wrong-device": 1, "feature-removed": 1}'
that "two removed features in one policy count once" has '"feature-removed": 1}'
that "results keep the order of the arguments" has '"results": \[{"policy": "a.dsse", "decision": "accept", "refusals": \[\], "notices": \[{"code": "image-unchecked"'
that "each result has its refusals" has '{"policy": "b.dsse", "decision": "refuse", "refusals": \[{"code": "cosignature-missing", "role": "auditor", "have": 1, "need": 2}\]'
that "the policy with two removed features lists both" has '{"policy": "c.dsse", "decision": "refuse", "refusals": \[{"code": "feature-removed", "feature": "zigbee"[^}]*}, {"code": "feature-removed", "feature": "local-control"'
that "an untrusted policy is not evaluated further" has '{"policy": "d.dsse", "decision": "refuse", "refusals": \[{"code": "policy-expired"[^]]*\]'
that "the JSON ends the object" has ']}$'

expect 0 "preflight exits 0 when every policy accepts" veto preflight --update upd.dsse a.dsse --now $NOW --json
that "with exact counts" has '^{"policies": 1, "accept": 1, "refuse": 0, "reasons": {}, "results": \[{"policy": "a.dsse", "decision": "accept"'
expect 0 "preflight reads the update from standard input" veto preflight --update - a.dsse --now $NOW <upd.dsse
that "the human summary" has "^1 policy: 1 accept, 0 refuse$"
echo 'garbage' >junk.dsse
expect 1 "a malformed policy is a refusal, counted" veto preflight --update upd.dsse a.dsse junk.dsse --now $NOW --json
that "as malformed-policy" has '"reasons": {"malformed-policy": 1}'
expect 2 "a policy file that cannot be opened" veto preflight --update upd.dsse a.dsse nosuch.dsse --now $NOW
that "the message names it" has "nosuch.dsse" err
expect 2 "preflight needs a policy" veto preflight --update upd.dsse
expect 2 "preflight needs --update" veto preflight a.dsse
expect 1 "a malformed update is refused by every policy" veto preflight --update junk.dsse a.dsse b.dsse --now $NOW --json
that "counted for both" has '"reasons": {"malformed-update": 2}'

# --policies-from and --jobs (SPEC section 9.1).
printf '# the owners of one class\n\nb.dsse\nc.dsse\r\n  \n#d.dsse\nd.dsse\n' >list.txt
expect 1 "--policies-from after the operands" veto preflight --update upd.dsse a.dsse --policies-from list.txt --now $NOW --json
cp out from_list.json
that "comments and blank lines skipped, CRLF taken" has '^{"policies": 4, "accept": 1, "refuse": 3, '
that "operands first, then the list, in order" has '"results": \[{"policy": "a.dsse".*{"policy": "b.dsse".*{"policy": "c.dsse".*{"policy": "d.dsse"'
expect 1 "--policies-from alone" veto preflight --update upd.dsse --policies-from list.txt --now $NOW
that "three policies" has "^3 policies: 0 accept, 3 refuse$"
expect 1 "--policies-from - reads the list from standard input" veto preflight --update upd.dsse --policies-from - --now $NOW <list.txt
that "the same three" has "^3 policies: 0 accept, 3 refuse$"
expect 2 "--policies-from - and --update - together" veto preflight --update - --policies-from - --now $NOW <list.txt
expect 2 "a list file that cannot be opened" veto preflight --update upd.dsse --policies-from nosuch.txt --now $NOW
that "is named" has "nosuch.txt" err
for jn in 1 2 3 7 256; do
	expect 1 "--jobs $jn" veto preflight --update upd.dsse a.dsse --policies-from list.txt e.dsse g.dsse a.dsse --now $NOW --jobs $jn --json
	if [ "$jn" = 1 ]; then cp out jobs1.json; fi
	that "--jobs $jn prints what --jobs 1 prints" cmp -s out jobs1.json
done
expect 1 "--jobs 2, text" veto preflight --update upd.dsse a.dsse b.dsse c.dsse d.dsse e.dsse g.dsse --now $NOW --jobs 2
cp out jobs2.txt
expect 1 "--jobs 1, text" veto preflight --update upd.dsse a.dsse b.dsse c.dsse d.dsse e.dsse g.dsse --now $NOW
that "the text is the same for any --jobs" cmp -s out jobs2.txt
for bad in 0 257 -1 x 2x ""; do
	expect 2 "--jobs '$bad' is a usage error" veto preflight --update upd.dsse a.dsse --jobs "$bad" --now $NOW
done
expect 2 "an unreadable policy is reported in its place, the others judged" veto preflight --update upd.dsse a.dsse nosuch.dsse b.dsse --now $NOW --json --jobs 2
that "counted among the policies, not among the judged" has '^{"policies": 3, "accept": 1, "refuse": 1, '
that "in its place, with what went wrong" has '}\]}, {"policy": "nosuch.dsse", "error": "No such file or directory"}, {"policy": "b.dsse", '
expect 2 "the same in text" veto preflight --update upd.dsse a.dsse nosuch.dsse --now $NOW
that "the summary counts it" has "^2 policies: 1 accept, 0 refuse, 1 unreadable$"
that "and names it in its place" has "^ERROR nosuch.dsse: No such file or directory$"
expect 2 "a directory is not a policy file" veto preflight --update upd.dsse . --now $NOW --json
that "said so" has '"error": "Is a directory"'

done_testing
