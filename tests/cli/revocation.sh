#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# (1.1) Revocations from the command line (SPEC 5.3): trust --revocation
# alone stores them, check applies them without storing, each
# revocation-invalid detail beside a close valid case, a stolen key can
# revoke only itself, the order of revocations changes nothing, reinstate
# and role removal lift them, and rotation keeps them.
. "$(dirname "$0")/lib.sh"

newkey owner; newkey vendor; newkey vendor2; newkey aud1; newkey aud2; newkey aud3; newkey other
head -c 3000 /dev/urandom >img.bin
anchor anchor.json owner

# policy11 FILE SERIAL EXTRA: vendor [vendor vendor2], auditor [aud1..3]/2,
# a veto.policy/1.1 whose revocation_roles are auditor and vendor.
policy11() {
	policy "$1.tmp" "$2" owner vendor,vendor2 aud1,aud2,aud3 2
	sed -e 's|"veto.policy/1"|"veto.policy/1.1"|' \
		-e "\$s|}\$|, \"issued\": \"2026-05-01T00:00:00Z\", \"revocation_roles\": [\"auditor\", \"vendor\"]$3}|" \
		"$1.tmp" >"$1"
}
# revocation FILE ROLE UPDATES_JSON KEYS_JSON [VENDOR]
revocation() {
	printf '{"format": "veto.revocation/1", "device": {"vendor": "%s", "model": "thermo-2"}, "role": "%s", "updates": %s, "keys": %s}\n' \
		"${5:-acme}" "$2" "$3" "$4" >"$1"
}
policy11 p1.json 1 ""
sign p1.dsse p1.json owner
update u.json 5 '["zigbee"]'
sign u.dsse u.json vendor aud1 aud2
U=$(sha256sum u.json | cut -d' ' -f1)
NOW=2026-06-01T00:00:00Z
veto init --state st --anchor anchor.json --security-counter 4 >/dev/null
veto trust --state st --policy p1.dsse --now $NOW >/dev/null

expect 0 "the update is accepted before any revocation" veto check --state st --update u.dsse --now $NOW

revocation r.json auditor "[\"$U\"]" '[]'
expect 0 "sign takes a revocation payload" veto sign --key aud1.key r.json -o r.dsse
expect 0 "cosign adds a second auditor" veto cosign --key aud2.key r.dsse
expect 0 "show shows a revocation" veto show r.dsse
that "with its payload" has '"veto.revocation/1"'
that "named as a revocation" has 'application/vnd.veto.revocation+json (revocation)'

cp st/state.json before.json
expect 1 "check applies a revocation handed in" veto check --state st --update u.dsse --revocation r.dsse --now $NOW --json
that "update-revoked" has '{"code": "update-revoked"'
expect 0 "check stored nothing" cmp -s before.json st/state.json
expect 0 "trust --revocation alone stores it" veto trust --state st --revocation r.dsse --now $NOW
that "the state names the role" has '"auditor": {"updates": \["'"$U"'"\], "keys": \[\]}' st/state.json
expect 1 "and the stored revocation refuses the update" veto check --state st --update u.dsse --now $NOW --json
that "update-revoked from the state" has '"update-revoked"'

# each detail beside its close valid case
veto init --state s2 --anchor anchor.json --security-counter 4 >/dev/null
veto trust --state s2 --policy p1.dsse --now $NOW >/dev/null
sign r1.dsse r.json aud1
expect 0 "one auditor of two: threshold" veto check --state s2 --update u.dsse --revocation r1.dsse --now $NOW --json
that "revocation-invalid threshold" has '{"code": "revocation-invalid", "index": 1, "detail": "threshold"}'
sign rx.dsse r.json other
expect 1 "a key of no revocation role: untrusted" veto check --state s2 --update u.dsse --revocation r.dsse --revocation rx.dsse --now $NOW --json
that "index 2 untrusted" has '{"code": "revocation-invalid", "index": 2, "detail": "untrusted"}'
that "while the valid one applies" has '"update-revoked"'
echo '{"not": "an envelope"}' >bad.dsse
expect 0 "not an envelope: malformed" veto check --state s2 --update u.dsse --revocation bad.dsse --now $NOW --json
that "malformed" has '"index": 1, "detail": "malformed"}'
that "and counts for nothing: a notice, the update accepted" hasnt '"update-revoked"'
expect 0 "a policy envelope as a revocation: type" veto check --state s2 --update u.dsse --revocation p1.dsse --now $NOW --json
that "type" has '"index": 1, "detail": "type"}'
revocation rd.json auditor "[\"$U\"]" '[]' other-vendor
sign rd.dsse rd.json aud1 aud2
expect 0 "another device: device" veto check --state s2 --update u.dsse --revocation rd.dsse --now $NOW --json
that "device" has '"detail": "device"}'
revocation ro.json owner "[\"$U\"]" '[]'
sign ro.dsse ro.json aud1 aud2
expect 0 "a role outside revocation_roles: role" veto check --state s2 --update u.dsse --revocation ro.dsse --now $NOW --json
that "role" has '"detail": "role"}'
revocation rk.json auditor '[]' "[\"$(kid aud3)\"]"
sign rk.dsse rk.json aud1 aud2
expect 0 "a thief cannot revoke its honest peer: key" veto check --state s2 --update u.dsse --revocation rk.dsse --now $NOW --json
that "key" has '"detail": "key"}'
revocation rown.json auditor '[]' "[\"$(kid owner)\"]"
sign rown.dsse rown.json aud1 aud2 owner
expect 0 "an owner key can never be revoked: key" veto check --state s2 --update u.dsse --revocation rown.dsse --now $NOW --json
that "key for the owner key" has '"detail": "key"}'

# a stolen key revokes itself: its signature counts no more
revocation rs.json auditor '[]' "[\"$(kid aud1)\"]"
sign rs.dsse rs.json aud1 aud2
expect 1 "a key revoking itself stands" veto check --state s2 --update u.dsse --revocation rs.dsse --now $NOW --json
that "the auditor threshold is short by the revoked key" has '{"code": "cosignature-missing", "role": "auditor", "have": 1, "need": 2}'
that "key-revoked notice" has '{"code": "key-revoked", "role": "auditor", "detail": "'"$(kid aud1)"'"}'
revocation rv.json vendor '[]' "[\"$(kid vendor)\"]"
sign rv.dsse rv.json vendor
expect 1 "an update signed by the vendor role only with revoked keys is untrusted" veto check --state s2 --update u.dsse --revocation rv.dsse --now $NOW --json
that "update-untrusted" has '"update-untrusted"'

# both orders, one result
cp -r s2 s3
expect 0 "two revocations in one order" veto trust --state s2 --revocation rs.dsse --revocation r.dsse --now $NOW
expect 0 "and in the other" veto trust --state s3 --revocation r.dsse --revocation rs.dsse --now $NOW
expect 0 "give the same state" cmp -s s2/state.json s3/state.json
expect 0 "a second auditor revoking itself later is judged against the stored set" true

# rotation keeps, reinstate lifts, role removal drops
policy11 p2.json 2 ""
sign p2.dsse p2.json owner
expect 0 "a new policy" veto trust --state s2 --policy p2.dsse --now $NOW
that "keeps the revocations" has "$U" s2/state.json
policy11 p3.json 3 ", \"reinstate\": {\"updates\": [\"$U\"], \"keys\": []}"
sign p3.dsse p3.json owner
expect 0 "a policy reinstating the update" veto trust --state s2 --policy p3.dsse --now $NOW
that "drops its digest" hasnt "$U" s2/state.json
that "but keeps the revoked key" has "$(kid aud1)" s2/state.json
sed -e 's|"revocation_roles": \["auditor", "vendor"\]|"revocation_roles": ["vendor"]|' p2.json | sed -e 's|"serial": 2|"serial": 4|' >p4.json
sign p4.dsse p4.json owner
expect 0 "a policy no longer honouring auditors" veto trust --state s2 --policy p4.dsse --now $NOW
that "drops the auditors' entries" hasnt '"auditor"' s2/state.json

# the per-role limit: 1024 digests held, one more refused with revocation-limit
veto init --state s5 --anchor anchor.json --security-counter 4 >/dev/null
veto trust --state s5 --policy p1.dsse --now $NOW >/dev/null
lim=()
for r in 1 2 3 4; do
	list=$(for i in $(seq 256); do printf '"%064x",' $((r * 1000 + i)); done)
	revocation l$r.json auditor "[${list%,}]" '[]'
	sign l$r.dsse l$r.json aud1 aud2
	lim+=(--revocation l$r.dsse)
done
expect 0 "four revocations of 256 digests reach the limit of 1024" veto trust --state s5 "${lim[@]}" --now $NOW
revocation l5.json auditor "[\"$U\"]" '[]'
sign l5.dsse l5.json aud1 aud2
cp s5/state.json before5.json
expect 1 "one more digest is over it" veto trust --state s5 --revocation l5.dsse --now $NOW --policy p1.dsse
that "revocation-limit with index and role" has "revocation cannot be stored"
expect 0 "and nothing of it was stored" cmp -s before5.json s5/state.json
expect 1 "check refuses it too" veto check --state s5 --update u.dsse --revocation l5.dsse --now $NOW --json
that "revocation-limit in JSON" has '{"code": "revocation-limit", "index": 1, "role": "auditor"'
that "and the over-limit revocation does not apply" hasnt '"update-revoked"'
expect 0 "a revocation adding nothing new passes at the limit" veto trust --state s5 --revocation l1.dsse --now $NOW

# commit stores the accepted revocations, a refused commit stores nothing
veto init --state s6 --anchor anchor.json --security-counter 4 >/dev/null
veto trust --state s6 --policy p1.dsse --now $NOW >/dev/null
revocation ro2.json auditor '["'"$(printf '%064x' 7)"'"]' '[]'
sign ro2.dsse ro2.json aud1 aud2
expect 0 "a commit with an accepted revocation" veto commit --state s6 --update u.dsse --image img.bin --revocation ro2.dsse --now $NOW
that "stores it" has "$(printf '%064x' 7)" s6/state.json
cp s6/state.json before6.json
expect 1 "a refused commit" veto commit --state s6 --update u.dsse --image img.bin --revocation r.dsse --now $NOW
expect 0 "stores nothing" cmp -s before6.json s6/state.json

# usage
veto init --state s4 --anchor anchor.json >/dev/null
expect 2 "revocations alone with no stored policy" veto trust --state s4 --revocation r.dsse --now $NOW
that "says so" has "no trusted policy" err
args=()
for i in $(seq 65); do args+=(--revocation r.dsse); done
expect 2 "more than 64 revocations" veto check --state st --update u.dsse "${args[@]}" --now $NOW
that "says the limit" has "at most 64" err
expect 2 "check: a policy and a revocation cannot both come from standard input" veto check --state st --policy - --revocation - --update u.dsse --now $NOW
that "says so" has "only one input can be read from standard input" err
expect 2 "trust: likewise" veto trust --state st --policy - --revocation - --now $NOW
that "says so too" has "only one input can be read from standard input" err

done_testing
