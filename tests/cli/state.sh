#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# veto init and trust; the state directory (permissions, missing or corrupt
# state.json); policy rotation, rollback, equivocation, expiry.
. "$(dirname "$0")/lib.sh"

newkey owner; newkey owner2; newkey vendor; newkey aud; newkey stranger
head -c 3000 /dev/urandom >img.bin
anchor anchor.json owner
policy p1.json 1 owner vendor aud;            sign p1.dsse p1.json owner
update u.json 5 '["zigbee"]';                 sign u.dsse u.json vendor aud

# init
expect 0 "init enrols a device" veto init --state st --anchor anchor.json --security-counter 2 --feature zigbee --feature local-control
that "init says what it enrolled" has "acme/thermo-2"
that "the state directory is mode 0700" test "$(stat -c %a st)" = 700
that "state.json exists" test -s st/state.json
that "the lock file exists" test -e st/.lock
that "state.json records the counter" grep -q '"security_counter": 2' st/state.json
that "state.json records the features" grep -q '"local-control"' st/state.json
that "state.json has no policy yet" grep -q '"policy": null' st/state.json
cp st/state.json enrolled.json
expect 2 "init refuses a directory that already holds a state" veto init --state st --anchor anchor.json
that "the message says so" has "already holds a state" err
that "the state is unchanged" cmp -s st/state.json enrolled.json
mkdir gw; chmod 775 gw
expect 2 "init refuses a group-writable directory" veto init --state gw --anchor anchor.json
that "the message names the directory" has "gw" err
mkdir empty
expect 0 "init accepts an existing empty directory" veto init --state empty --anchor anchor.json
mkdir full; touch full/something
expect 2 "init refuses a directory holding other files" veto init --state full --anchor anchor.json
echo '{"device": {"vendor": "acme"}}' >bad-anchor.json
expect 2 "init refuses a malformed anchor" veto init --state st2 --anchor bad-anchor.json
that "the message names the anchor" has "bad-anchor.json" err
that "no directory is left behind" test ! -e st2
expect 2 "init refuses a bad feature" veto init --state st2 --anchor anchor.json --feature 'Not A Feature'
that "still no directory left behind" test ! -e st2
expect 2 "init refuses a bad --security-counter" veto init --state st2 --anchor anchor.json --security-counter -1
expect 2 "init refuses a counter above 2^53-1" veto init --state st2 --anchor anchor.json --security-counter 9007199254740992
expect 2 "init of a missing anchor file" veto init --state st2 --anchor nosuch.json
that "the message names the missing file" has "nosuch.json" err
expect 0 "init reads the anchor from standard input" veto init --state st3 --anchor - <anchor.json

# check before any policy is trusted
expect 2 "check with no policy stored or given is a usage error" veto check --state st --update u.dsse --now $NOW
that "the message says to pass --policy or run veto trust" has "veto trust" err

# trust
expect 0 "trust adopts the first policy" veto trust --state st --policy p1.dsse --now $NOW
that "trust says which serial governs" has "serial 1"
that "state.json records the policy serial" grep -q '"policy_serial": 1' st/state.json
cp st/state.json trusted1.json
expect 0 "trusting the same policy again is accepted" veto trust --state st --policy p1.dsse --now $NOW

policy forged.json 2 owner vendor aud;        sign forged.dsse forged.json stranger
expect 1 "trust refuses a policy not signed by the owner" veto trust --state st --policy forged.dsse --now $NOW
that "the reason is policy-signature" has "policy-signature"
that "the reason names the policy file" has "(policy forged.dsse)"
that "the state is untouched" cmp -s st/state.json trusted1.json

EXPIRES='"2026-01-01T00:00:00Z"' policy old.json 2 owner vendor aud; sign old.dsse old.json owner
expect 1 "trust refuses an expired policy" veto trust --state st --policy old.dsse --now $NOW
that "the reason is policy-expired" has "policy-expired"
DEV_MODEL=other policy wd.json 2 owner vendor aud; sign wd.dsse wd.json owner
expect 1 "trust refuses a policy for another device" veto trust --state st --policy wd.dsse --now $NOW
that "the reason is policy-wrong-device" has "policy-wrong-device"
echo 'not an envelope' >junk.dsse
expect 1 "trust refuses a malformed policy (a refusal, not an error)" veto trust --state st --policy junk.dsse --now $NOW
that "the reason is malformed-policy" has "malformed-policy"
that "the reason names the policy file" has "malformed-policy: .*(policy junk.dsse)"
expect 1 "trust refuses an update passed as a policy" veto trust --state st --policy u.dsse --now $NOW
that "the reason is policy-type" has "policy-type"
expect 2 "trust of a missing policy file" veto trust --state st --policy nosuch.dsse --now $NOW
that "the message names it" has "nosuch.dsse" err
expect 2 "trust needs a --policy" veto trust --state st
expect 2 "trust refuses a bad --now" veto trust --state st --policy p1.dsse --now yesterday
that "the state survived every refusal" cmp -s st/state.json trusted1.json

# Rotation: p2 moves the owner role to owner2, signed by the old and the
# new owner key; p3 is signed by owner2 alone.  Both in one trust.
policy p2.json 2 owner2 vendor aud;           sign p2.dsse p2.json owner owner2
policy p3.json 3 owner2 vendor aud;           sign p3.dsse p3.json owner2
policy p2half.json 2 owner2 vendor aud;       sign p2half.dsse p2half.json owner
expect 1 "a rotation not signed by the new owner key is refused" veto trust --state st --policy p2half.dsse --now $NOW
that "the reason is policy-new-owner-signature" has "policy-new-owner-signature"
expect 1 "p3 alone cannot skip the rotation" veto trust --state st --policy p3.dsse --now $NOW
that "the reason is policy-signature" has "policy-signature"
cp -a st st-rot
expect 0 "trust rotates the owner key through two policies in order" veto trust --state st-rot --policy p2.dsse --policy p3.dsse --now $NOW
that "serial 3 now governs" grep -q '"policy_serial": 3' st-rot/state.json
policy p4.json 4 owner vendor aud;           sign p4.dsse p4.json owner
expect 1 "the retired owner key can no longer sign a policy" veto trust --state st-rot --policy p4.dsse --now $NOW
that "the reason is policy-signature" has "policy-signature"
expect 1 "an older serial is a rollback" veto trust --state st-rot --policy p2.dsse --now $NOW
that "the reason is policy-rollback" has "policy-rollback"
sed 's/"serial": 3/"serial": 3, "min_security_counter": 1/' p3.json >p3b.json; sign p3b.dsse p3b.json owner2
expect 1 "the same serial with another payload is equivocation" veto trust --state st-rot --policy p3b.dsse --now $NOW
that "the reason is policy-equivocation" has "policy-equivocation"
# Intermediate policies may have expired; only the last must not.
EXPIRES='"2026-01-01T00:00:00Z"' policy p2x.json 2 owner2 vendor aud; sign p2x.dsse p2x.json owner owner2
cp -a st st-int
expect 0 "an expired intermediate policy does not stop a rotation" veto trust --state st-int --policy p2x.dsse --policy p3.dsse --now $NOW
expect 1 "but an expired last policy does" veto trust --state st --policy p2x.dsse --now $NOW

# The state directory must not be writable by group or others.
chmod 770 st
expect 2 "check refuses a group-writable state directory" veto check --state st --update u.dsse --now $NOW
that "the message names the directory" has "st" err
expect 2 "trust refuses it too" veto trust --state st --policy p1.dsse --now $NOW
chmod 700 st
expect 2 "check of a state directory that does not exist" veto check --state nosuch --update u.dsse --now $NOW
that "the message names it" has "nosuch" err

# Missing or corrupt state.json: a refusal (1), never a reset.
cp -a st st-missing; rm st-missing/state.json
expect 1 "check with state.json missing is a refusal" veto check --state st-missing --update u.dsse --now $NOW
that "the reason is malformed-state" has "malformed-state"
that "the reason names the state file" has "(st-missing/state.json)"
that "the message says how to recover" has "backup" err
expect 1 "check --json with state.json missing" veto check --state st-missing --update u.dsse --now $NOW --json
that "the JSON refusal is malformed-state" has '"refusals": \[{"code": "malformed-state"'
that "the JSON decision is refuse" has '"decision": "refuse"'
expect 1 "trust with state.json missing is a refusal" veto trust --state st-missing --policy p1.dsse --now $NOW
that "trust did not recreate state.json" test ! -e st-missing/state.json
cp -a st st-corrupt; echo '{"format": "veto.state/1"' >st-corrupt/state.json
expect 1 "check with a corrupt state.json is a refusal" veto check --state st-corrupt --update u.dsse --now $NOW --json
that "the reason is malformed-state" has '"code": "malformed-state"'
expect 1 "trust with a corrupt state.json is a refusal" veto trust --state st-corrupt --policy p1.dsse --now $NOW
that "the corrupt state.json was left as it was" grep -qx '{"format": "veto.state/1"' st-corrupt/state.json
cp -a st st-tamper
# Change the first hex digit of policy_sha256, whatever it is.
sed -E 's/"policy_sha256": "0/"policy_sha256": "1/; t; s/"policy_sha256": "[0-9a-f]/"policy_sha256": "0/' \
	st/state.json >st-tamper/state.json
that "the tampered copy differs from the state" sh -c '! cmp -s st/state.json st-tamper/state.json'
expect 1 "a stored policy whose digest is not policy_sha256 is malformed-state" veto check --state st-tamper --update u.dsse --now $NOW --json
that "the reason is malformed-state" has '"code": "malformed-state"'

done_testing
