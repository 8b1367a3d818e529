#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# (1.1) veto status (SPEC 9.1): the human summary and every member of the
# --json object as a device's state grows (enrolment, a policy/1, a commit, a
# policy/1.1 with revocations, a device key), the receipt of kind status, the
# command line's rules, and a state that is missing or corrupt (exit 2).
TESTS=$(cd "$(dirname "$0")" && pwd)
. "$TESTS/lib.sh"

newkey owner; newkey vendor; newkey vendor2; newkey auditor
head -c 500 /dev/urandom >img.bin
anchor anchor.json owner
policy p1.json 1 owner vendor
sign p1.dsse p1.json owner
update u5.json 5 '["zigbee@1.3", "local-control"]'
sign u5.dsse u5.json vendor
veto policy new --device acme/thermo-2 --role owner:1:owner.pub \
	--role vendor:1:vendor.pub,vendor2.pub --role auditor:1:auditor.pub,vendor2.pub \
	--require vendor --revocation-role vendor --revocation-role auditor \
	--serial 2 --issued 2026-05-01T00:00:00Z --expires never -o p2.json 2>/dev/null
sign p2.dsse p2.json owner
X=$(printf x | sha256sum | cut -d' ' -f1); Y=$(printf y | sha256sum | cut -d' ' -f1)
V2=$(kid vendor2)
rev() { # FILE ROLE UPDATES: a revocation of UPDATES and of vendor2's key
	printf '{"format": "veto.revocation/1", "device": {"vendor": "acme", "model": "thermo-2"}, "role": "%s", "updates": %s, "keys": ["%s"]}\n' \
		"$2" "$3" "$V2" >"$1.json"
	sign "$1.dsse" "$1.json" vendor2
}
rev rv vendor "[\"$X\", \"$Y\"]"
rev ra auditor "[\"$X\"]"

expect 0 "veto status --help" veto status --help
that "prints its usage" has "^usage: veto status --state DIR \[--json\]"

veto init --state st --anchor anchor.json --security-counter 4 --feature zigbee@1.2 --feature local-control >/dev/null
S=$(sha st/state.json)
expect 0 "status of a device just enrolled" veto status --state st
that "names the device and the directory" has "^device acme/thermo-2 (state in st)$"
that "the counter and its high-water mark" has "^  security counter: 4 (highest committed: 4)$"
that "no update yet" has "^  update:           none committed yet$"
that "the features" has "^  features:         zigbee@1.2, local-control$"
that "no policy, and how to trust one" has "^  policy:           none trusted yet (veto trust --state st --policy POLICY)$"
that "no time floor" has "^  time floor:       none$"
that "no revocations" has "^  revocations:      0 updates, 0 keys$"
that "no device key, and how to make one" has "^  device key:       none (make one with 'veto init --state st --device-key')$"
that "status changed nothing" test "$(sha st/state.json)" = "$S"
expect 0 "--json" veto status --state st --json
that "is one line" test "$(wc -l <out)" -eq 1
fields out "--json has the members of SPEC 9.1, in order" \
	"@keys=device security_counter counter_max update_sha256 features policy time_floor revocations device_key"
fields out "--json of a device just enrolled" device='{"vendor": "acme", "model": "thermo-2"}' \
	security_counter=4 counter_max=4 update_sha256=null features='["zigbee@1.2", "local-control"]' \
	policy=null time_floor=null revocations='{"updates": 0, "keys": 0}' device_key=null

veto trust --state st --policy p1.dsse --now $NOW >/dev/null
veto commit --state st --update u5.dsse --image img.bin --now $NOW >/dev/null
expect 0 "status after a policy/1 and a commit" veto status --state st --json
fields out "--json: the commit and the policy" security_counter=5 counter_max=5 \
	update_sha256="\"$(sha u5.json)\"" features='["zigbee@1.3", "local-control"]' \
	policy="{\"serial\": 1, \"sha256\": \"$(sha p1.json)\", \"issued\": null, \"expires\": \"2030-01-01T00:00:00Z\"}" \
	time_floor=null
expect 0 "for people" veto status --state st
that "the update" has "^  update:           sha256 $(sha u5.json)$"
that "the policy" has "^  policy:           serial 1, sha256 $(sha p1.json)$"
that "a policy/1 states no issued time" has "^                    issued (not stated), expires 2030-01-01T00:00:00Z$"

expect 0 "trust a policy/1.1 with two revocations" veto trust --state st --policy p2.dsse --revocation rv.dsse --revocation ra.dsse --now $NOW
expect 0 "status --json" veto status --state st --json
fields out "--json: issued, never expires, the time floor" \
	policy="{\"serial\": 2, \"sha256\": \"$(sha p2.json)\", \"issued\": \"2026-05-01T00:00:00Z\", \"expires\": null}" \
	time_floor='"2026-05-01T00:00:00Z"'
that "the state holds 3 digests and 2 keyids over its roles" test "$(grep -o "\"$X\"\|\"$Y\"\|\"$V2\"" st/state.json | wc -l)" -eq 5
fields out "--json counts distinct digests and keyids over all roles" revocations='{"updates": 2, "keys": 1}'
expect 0 "for people" veto status --state st
that "never expires" has "^                    issued 2026-05-01T00:00:00Z, never expires$"
that "the time floor" has "^  time floor:       2026-05-01T00:00:00Z$"
that "the revocations" has "^  revocations:      2 updates, 1 key$"

# the device key, and a receipt of the state
expect 0 "give the device a key" veto init --state st --device-key
DK=$(cat out)
S=$(sha st/state.json)
expect 0 "status with a device key" veto status --state st --json
fields out "--json: the device key" device_key="\"$DK\""
expect 0 "needs no receipt" veto status --state st
that "names the key" has "^  device key:       $DK (signs receipts)$"
mkdir r
expect 2 "--receipt needs --nonce" veto status --state st --receipt r/s.dsse
that "saying why" has "--receipt OUT needs --nonce TEXT: a status receipt answers someone's challenge" err
that "and writes nothing" test ! -e r/s.dsse
expect 0 "status --receipt --nonce" veto status --state st --receipt r/s.dsse --nonce ask-42 --now 2026-06-02T10:00:00Z --json
fields out "prints the same object" device_key="\"$DK\"" security_counter=5
fields r/s.dsse "the status receipt: every field" kind='"status"' device='{"vendor": "acme", "model": "thermo-2"}' \
	time='"2026-06-02T10:00:00Z"' nonce='"ask-42"' state_before="\"$S\"" state_after=null \
	policy="{\"serial\": 2, \"sha256\": \"$(sha p2.json)\"}" update=null image=null revocations='[]' \
	decision=null refusals='[]' notices='[]'
expect 0 "verifies under device.pub" veto receipt verify --key st/device.pub r/s.dsse
that "status changed nothing" test "$(sha st/state.json)" = "$S"
veto keygen other >/dev/null
expect 0 "--receipt-key signs instead" veto status --state st --receipt r/o.dsse --nonce n --receipt-key other.key
expect 0 "verifies under its own key" veto receipt verify --key other.pub r/o.dsse
expect 2 "--now belongs to the receipt" veto status --state st --now $NOW
that "saying so" has "--now is the time the receipt records: give --receipt OUT too" err
expect 2 "--nonce alone" veto status --state st --nonce abc
that "belongs to a receipt" has "--nonce belongs to a receipt: give --receipt OUT too" err
expect 2 "a bad nonce" veto status --state st --receipt r/s.dsse --nonce 'a b'
that "the rule is named" has "--nonce: character 2 is not one of U+0021..U+007E" err
expect 2 "--receipt in the state directory" veto status --state st --receipt st/s.dsse --nonce n
that "is refused" has "--receipt st/s.dsse: lies in the state directory st" err
expect 2 "no operands" veto status --state st extra
expect 2 "--state is needed" veto status --json
that "says so" has "give --state DIR" err

# the lock: status waits while another command holds it
if command -v flock >/dev/null; then
	flock st/.lock sleep 1 &
	holder=$!
	sleep 0.2
	start=$(date +%s%N)
	"$VETO" status --state st >out 2>err
	end=$(date +%s%N)
	wait "$holder"
	that "status waits for the state lock" test $(((end - start) / 1000000)) -ge 500
else
	skip "flock(1) not installed"
fi

# status decides nothing: a state it cannot read is exit 2, named
expect 2 "a directory that does not exist" veto status --state nowhere
that "says to enrol first" has "enrol the device first: veto init --state nowhere" err
veto init --state bad --anchor anchor.json >/dev/null
echo '{"format": "veto.state/1"' >bad/state.json
expect 2 "a corrupt state.json" veto status --state bad
that "is named, with why" has "bad/state.json: not a valid state: " err
rm bad/state.json
expect 2 "a missing state.json" veto status --state bad
that "is named" has "bad/state.json is missing" err
ln -s ../st/state.json bad/state.json
expect 2 "a state.json that is a symbolic link" veto status --state bad
that "is not followed" has "bad/state.json" err
that "nor printed" hasnt "security counter"

done_testing
