#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# veto check and commit: every exit status, the --json shape, reasons,
# the image stream, standard input, and a refused commit changing nothing.
. "$(dirname "$0")/lib.sh"

newkey owner; newkey vendor; newkey aud1; newkey aud2; newkey stranger
head -c 200000 /dev/urandom >img.bin
anchor anchor.json owner
PROTECTED='["zigbee", "matter>=1.2"]' REMOVAL='["owner"]' \
	policy pol.json 1 owner vendor aud1,aud2 1
sign pol.dsse pol.json owner
veto init --state st --anchor anchor.json --security-counter 2 --feature zigbee --feature matter@1.2 --feature telnet >/dev/null
veto trust --state st --policy pol.dsse --now $NOW >/dev/null || { echo "Bail out! trust"; exit 2; }

update u5.json 5 '["zigbee", "matter@1.3"]'
sign u5.dsse u5.json vendor aud1
sign u5v.dsse u5.json vendor

# Accept
expect 0 "check accepts a co-signed update with its image" veto check --state st --update u5.dsse --image img.bin --now $NOW
that "the decision comes first" sh -c 'head -n 1 out | grep -qx "ACCEPT u5.dsse"'
that "the accepted image's digest is shown" has "sha256 $(sha256sum img.bin | cut -d' ' -f1)"
that "a feature the device loses is a notice" has "notice: *feature-dropped.*telnet"
expect 0 "check --json accepts" veto check --state st --update u5.dsse --image img.bin --now $NOW --json
that "the JSON is one line" test "$(wc -l <out)" = 1
that "the JSON decision is accept" has '^{"decision": "accept", "refusals": \[\], "notices": \['
that "the JSON lists the dropped feature" has '{"code": "feature-dropped", "feature": "telnet"}'
expect 0 "check without an image accepts on the manifest" veto check --state st --update u5.dsse --now $NOW --json
that "with the image-unchecked notice" has '"code": "image-unchecked"'
expect 0 "check with a policy handed in" veto check --state st --policy pol.dsse --update u5.dsse --now $NOW
expect 0 "check on an anchor alone" veto check --anchor anchor.json --policy pol.dsse --update u5.dsse --image img.bin --now $NOW
expect 0 "the update from standard input" veto check --state st --update - --now $NOW <u5.dsse
expect 0 "the image from standard input" veto check --state st --update u5.dsse --image - --now $NOW <img.bin
that "the streamed image's digest is shown" has "sha256 $(sha256sum img.bin | cut -d' ' -f1)"
expect 2 "update and image cannot both be standard input" veto check --state st --update - --image - --now $NOW <img.bin

# Refuse, with exact codes
expect 1 "check refuses an update without the auditor's signature" veto check --state st --update u5v.dsse --now $NOW --json
that "cosignature-missing with role, have and need" has '"refusals": \[{"code": "cosignature-missing", "role": "auditor", "have": 0, "need": 1}\]'
expect 1 "the human report of a refusal" veto check --state st --update u5v.dsse --now $NOW
that "the decision comes first" sh -c 'head -n 1 out | grep -qx "REFUSE u5v.dsse"'
that "one line per reason, with its code" has "refused: cosignature-missing: "
that "notices are lines too" has "notice: *image-unchecked"
that "the reason is in words" has 'auditor'
head -c 200000 /dev/urandom >other.bin
expect 1 "an image of the right size but other bytes" veto check --state st --update u5.dsse --image other.bin --now $NOW --json
that "is image-digest" has '"code": "image-digest"'
that "and not image-size" hasnt '"code": "image-size"'
head -c 1000 img.bin >short.bin
expect 1 "a truncated image" veto check --state st --update u5.dsse --image short.bin --now $NOW --json
that "is image-size" has '"code": "image-size"'
update nozig.json 6 '["matter@1.3"]' '["zigbee"]';   sign nozig.dsse nozig.json vendor aud1
expect 1 "a declared removal of a protected feature without the owner" veto check --state st --update nozig.dsse --now $NOW --json
that "is feature-removed for that feature" has '{"code": "feature-removed", "feature": "zigbee"'
veto cosign --key owner.key nozig.dsse 2>/dev/null
expect 0 "the owner's co-signature waives the removal" veto check --state st --update nozig.dsse --now $NOW --json
that "with the feature-removal-waived notice" has '{"code": "feature-removal-waived", "feature": "zigbee"'
update sneaky.json 6 '["matter@1.3"]';               sign sneaky.dsse sneaky.json vendor aud1 owner
expect 1 "an undeclared removal is refused, even with the owner's signature" veto check --state st --update sneaky.dsse --now $NOW --json
that "is undeclared-removal" has '"code": "undeclared-removal"'
update down.json 6 '["zigbee", "matter@1.1"]' '["matter"]'; sign down.dsse down.json vendor aud1
expect 1 "a declared downgrade below the protected version" veto check --state st --update down.dsse --now $NOW --json
that "is feature-downgraded" has '"code": "feature-downgraded", "feature": "matter"'
update u1.json 1 '["zigbee", "matter@1.3"]';          sign u1.dsse u1.json vendor aud1
expect 1 "a counter below the installed one" veto check --state st --update u1.dsse --now $NOW --json
that "is rollback" has '"code": "rollback"'
DEV_MODEL=other update wd.json 7 '["zigbee", "matter@1.3"]'; sign wd.dsse wd.json vendor aud1
expect 1 "an update for another model" veto check --state st --update wd.dsse --now $NOW --json
that "is wrong-device" has '"code": "wrong-device"'
sign unt.dsse u5.json stranger
expect 1 "an update signed by no vendor key" veto check --state st --update unt.dsse --now $NOW --json
that "is update-untrusted, alone" has '"refusals": \[{"code": "update-untrusted"[^]]*\]'
that "and nothing else is said about it" test "$(grep -o '"code"' out | wc -l)" = 1
echo '{"payloadType": ' >junk.dsse
expect 1 "a malformed update is a refusal" veto check --state st --update junk.dsse --now $NOW --json
that "is malformed-update" has '"code": "malformed-update"'
expect 1 "a policy passed as the update" veto check --state st --update pol.dsse --now $NOW --json
that "is update-type" has '"code": "update-type"'
EXPIRES='"2026-03-01T00:00:00Z"' policy exp.json 2 owner vendor aud1,aud2 1; sign exp.dsse exp.json owner
expect 1 "a handed-in expired policy" veto check --state st --policy exp.dsse --update u5.dsse --now $NOW
that "is policy-expired, naming the policy file" has "policy-expired: .*(policy exp.dsse)"
expect 1 "check on an anchor that is malformed" veto check --anchor junk.dsse --policy pol.dsse --update u5.dsse --now $NOW --json
that "is malformed-anchor" has '"code": "malformed-anchor"'
expect 1 "the human report of a malformed anchor" veto check --anchor junk.dsse --policy pol.dsse --update u5.dsse --now $NOW
that "names the anchor file" has "malformed-anchor: .*(anchor junk.dsse)"
# The stored policy's expiry is checked again at the verifier's time.
expect 1 "the stored policy after it expired" veto check --state st --update u5.dsse --now 2031-01-01T00:00:00Z --json
that "is policy-expired" has '"code": "policy-expired"'

# Errors (2)
expect 2 "a missing update file" veto check --state st --update nosuch.dsse --now $NOW
that "the message names it" has "nosuch.dsse" err
expect 2 "a missing image file" veto check --state st --update u5.dsse --image nosuch.bin --now $NOW
that "the message names it" has "nosuch.bin" err
expect 2 "a missing policy file" veto check --state st --policy nosuch.dsse --update u5.dsse --now $NOW
expect 2 "both --state and --anchor" veto check --state st --anchor anchor.json --update u5.dsse
expect 2 "neither --state nor --anchor" veto check --update u5.dsse
expect 2 "no --update" veto check --state st
expect 2 "a bad --now" veto check --state st --update u5.dsse --now 2026-13-01T00:00:00Z
expect 2 "--anchor without --policy" veto check --anchor anchor.json --update u5.dsse --now $NOW
that "says to pass --policy" has "policy" err

# commit: a refusal changes nothing, not even a timestamp.
snap() { stat -c '%s %y %a' st/state.json; stat -c '%y %a' st; ls -a st; }
cp st/state.json before.json
snap >before.stat
sleep 0.05
expect 1 "commit refuses an update missing a co-signature" veto commit --state st --update u5v.dsse --image img.bin --now $NOW
that "commit's report names the reason" has "cosignature-missing"
that "state.json is byte-for-byte unchanged" cmp -s st/state.json before.json
snap >after.stat
that "no timestamp or file in the directory changed" cmp -s before.stat after.stat
expect 1 "commit refuses a wrong image" veto commit --state st --update u5.dsse --image other.bin --now $NOW
that "state.json is still unchanged" cmp -s st/state.json before.json
expect 2 "commit needs --image" veto commit --state st --update u5.dsse --now $NOW
expect 2 "commit takes no --anchor" veto commit --anchor anchor.json --update u5.dsse --image img.bin
expect 2 "commit takes no --json" veto commit --state st --update u5.dsse --image img.bin --json
that "state.json is unchanged after the usage errors" cmp -s st/state.json before.json

expect 0 "commit records an accepted update" veto commit --state st --update u5.dsse --image img.bin --now $NOW
that "commit reports the new counter" has "security counter 5"
that "state.json holds the new counter" grep -q '"security_counter": 5' st/state.json
that "state.json holds the update's features" grep -q '"matter@1.3"' st/state.json
that "state.json no longer holds the dropped feature" sh -c '! grep -q telnet st/state.json'
that "state.json stays mode 0600" test "$(stat -c %a st/state.json)" = 600
that "no temporary file is left" test "$(ls -A st | tr '\n' ' ')" = ".lock state.json "
expect 0 "the very same update may be installed again" veto check --state st --update u5.dsse --image img.bin --now $NOW
update u5b.json 5 '["zigbee", "matter@1.4"]';       sign u5b.dsse u5b.json vendor aud1
expect 1 "another payload with the same counter is a rollback" veto check --state st --update u5b.dsse --now $NOW --json
that "is rollback" has '"code": "rollback"'
expect 1 "the older update is now a rollback" veto check --state st --update u1.dsse --now $NOW --json

# commit records a handed-in policy in the same write.
policy pol2.json 2 owner vendor aud1,aud2 1;          sign pol2.dsse pol2.json owner
update u6.json 6 '["zigbee", "matter@1.3"]';          sign u6.dsse u6.json vendor aud2
expect 0 "commit with a new policy" veto commit --state st --policy pol2.dsse --update u6.dsse --image img.bin --now $NOW
that "the policy is recorded with the update" grep -q '"policy_serial": 2' st/state.json
that "and the counter" grep -q '"security_counter": 6' st/state.json
expect 0 "the recorded policy governs the next check" veto check --state st --update u6.dsse --now $NOW
expect 1 "commit on a missing state.json is a refusal" sh -c "mkdir -m 700 st-gone && '$VETO' commit --state st-gone --update u6.dsse --image img.bin --now $NOW"
that "commit did not create a state" test ! -e st-gone/state.json

done_testing
