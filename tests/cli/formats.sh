#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The examples of docs/FORMATS.md are true: each block after a line
# `<!-- example NAME -->` is read back as the file NAME and checked with the
# command -- keyids, the secret keys (the encrypted one with its documented
# passphrase), the anchor, every payload, every envelope's signatures, the
# PAE, both states and the receipts' chain.  scripts/format-examples.sh
# makes the examples; this test keeps them from drifting apart.
DOC=$(cd "$(dirname "$0")/../../docs" && pwd)/FORMATS.md
. "$(dirname "$0")/lib.sh"

NOW=2026-11-21T00:00:00Z
mkdir ex
awk -v dir="$T/ex" '
  /^<!-- example [^ ]+ -->$/ { name = $3; state = 1; next }
  state == 1 && /^```/ { state = 2; f = dir "/" name; printf "" > f; next }
  state == 2 && /^```$/ { close(f); state = 0; next }
  state == 2 { print > f }
' "$DOC"
cd ex || exit 2
got=$(ls | wc -l)
that "FORMATS.md holds its examples ($got)" test "$got" -ge 20

field() { sed -n "s/.*\"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$2" | head -n 1; }
# payload_of ENVELOPE: the payload bytes of a one-line envelope
payload_of() { field payload "$1" | base64 -d; }

for k in owner vendor auditor-1 auditor-2 auditor-3 security device; do
	[ -f "$k.pub" ] || { not_ok "$k.pub is an example"; continue; }
	expect 0 "$k.pub reads" veto key id "$k.pub"
	that "$k.pub: its keyid is its key's" test "$(cat out)" = "$(field keyid "$k.pub")" -a -s out
done

chmod 600 owner.key vendor-encrypted.key
expect 0 "owner.key reads" veto key id owner.key
that "owner.key is owner.pub's secret" test "$(cat out)" = "$(veto key id owner.pub)"

printf 'correct horse battery staple\n' >pw
expect 0 "the encrypted vendor key signs with the documented passphrase" \
	veto sign --key vendor-encrypted.key --passphrase-file pw update.json -o mine.dsse
that "the same signature as the vendor's in update.dsse" \
	grep -qF "$(field sig mine.dsse)" update.dsse
printf 'not it\n' >badpw
expect 2 "and not with another passphrase" \
	veto sign --key vendor-encrypted.key --passphrase-file badpw update.json -o bad.dsse
that "which is named a wrong passphrase" has "wrong passphrase" err

expect 0 "anchor.json enrols a device" veto init --state st --anchor anchor.json
that "the anchor names owner.pub's key" grep -qF "$(veto key id owner.pub)" anchor.json

# Each policy signs, and (for the two the states hold) gives their very envelope.
for p in policy policy-v1 plant-policy; do
	expect 0 "$p.json is a payload sign accepts" veto sign --key owner.key "$p.json" -o "$p.dsse"
done
that "policy.json carries 1.1's format" grep -q '"format": "veto.policy/1.1"' policy.json
that "policy-v1.json carries version 1's" grep -q '"format": "veto.policy/1"' policy-v1.json
that "the plant's policy holds timing, revocation and reinstate members" \
	eval 'grep -q "\"timing\"" plant-policy.json && grep -q "\"reinstate\"" plant-policy.json && grep -q "\"revoked_updates\"" plant-policy.json'
that "state-v1.json holds policy-v1.json signed by owner.key" \
	eval 'grep -qF "$(field payload policy-v1.dsse)" state-v1.json && grep -qF "$(field sig policy-v1.dsse)" state-v1.json'
that "state-v11.json holds policy.json signed by owner.key" \
	eval 'grep -qF "$(field payload policy.dsse)" state-v11.json && grep -qF "$(field sig policy.dsse)" state-v11.json'
that "and its policy_sha256 is policy.json's digest" \
	grep -qF "\"policy_sha256\": \"$(sha256sum policy.json | cut -d' ' -f1)\"" state-v11.json

expect 0 "update.pae is what veto pae writes for update.json" veto pae update.json -o pae.out
that "byte for byte" cmp -s pae.out update.pae
payload_of update.dsse >u.payload
that "update.dsse's payload is update.json" cmp -s u.payload update.json
expect 0 "update.dsse shows" veto show update.dsse --key vendor.pub --key auditor-1.pub --key auditor-2.pub
that "its three signatures verify" test "$(grep -c ' verifies (' out)" -eq 3

expect 0 "revocation.dsse shows" veto show revocation.dsse --key auditor-1.pub --key auditor-3.pub
that "its two signatures verify" test "$(grep -c ' verifies (' out)" -eq 2
payload_of revocation.dsse >r.payload
that "its payload is revocation.json" cmp -s r.payload revocation.json
that "it revokes auditor-3's key" grep -qF "\"keys\": [\"$(veto key id auditor-3.pub)\"]" revocation.json
that "and is stored as such in state-v11.json" \
	grep -qF "\"keys\": [\"$(veto key id auditor-3.pub)\"]" state-v11.json

# Both states read: each device takes the update it runs again (a re-install).
for s in state-v1 state-v11; do
	mkdir -m 700 "dev-$s"
	cp "$s.json" "dev-$s/state.json"
	chmod 600 "dev-$s/state.json"
	expect 0 "$s.json reads, and its device takes 2.5.0 again" \
		veto check --state "dev-$s" --update update.dsse --now $NOW --json
	that "$s.json records update.json as installed" \
		grep -qF "\"update_sha256\": \"$(sha256sum update.json | cut -d' ' -f1)\"" "$s.json"
done
that "state-v1.json is a veto.state/1" grep -q '"format": "veto.state/1"' state-v1.json
that "state-v11.json is a veto.state/1.1" grep -q '"format": "veto.state/1.1"' state-v11.json

# The receipts: signed by device.pub's key, one chain, the last one ending in state-v11.json.
expect 0 "the three receipts verify as a chain" \
	veto receipt verify --key device.pub receipt-1-init.dsse receipt-2-trust.dsse receipt-3-commit.dsse
for r in receipt-1-init receipt-2-trust receipt-3-commit; do
	payload_of "$r.dsse" >"$r.payload"
	that "$r.dsse's payload is $r.json" cmp -s "$r.payload" "$r.json"
done
that "the init receipt's state_after is the trust receipt's state_before" \
	test "$(field state_after receipt-1-init.json)" = "$(field state_before receipt-2-trust.json)" -a -s receipt-1-init.json
that "its state_after is the digest of state-v11.json" \
	grep -qF "\"state_after\": \"$(sha256sum state-v11.json | cut -d' ' -f1)\"" receipt-3-commit.json
that "the trust receipt lists the revocation" \
	grep -qF "\"$(sha256sum revocation.json | cut -d' ' -f1)\"" receipt-2-trust.json
that "receipt verify's output is the documented one" \
	eval 'veto receipt verify --key device.pub receipt-1-init.dsse receipt-2-trust.dsse receipt-3-commit.dsse | cmp -s - receipt-verify.txt'

done_testing
