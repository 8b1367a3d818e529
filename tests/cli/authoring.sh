#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# (1.1) veto anchor, veto policy new, veto policy next (SPEC section 9.1,
# Authoring): each option's good path read back from the payload, each
# refusal with its exit status and words, next's verification, rotation,
# the floor, and the owner's whole setup without hand-written JSON.
. "$(dirname "$0")/lib.sh"

for k in owner owner2 vendor aud1 aud2 sec; do newkey "$k"; done
OWN=$(kid owner); VEN=$(kid vendor)
DIG=$(printf '%064d' 7 | tr 0 a)

# ---- anchor ----
expect 0 "anchor from a .pub" veto anchor --device acme/thermo-2 --key owner.pub -o anchor.json
that "anchor holds the device, the key and threshold 1" \
	grep -q '"device": {"vendor": "acme", "model": "thermo-2"}' anchor.json
that "anchor holds the owner keyid" grep -q "\"$OWN\"" anchor.json
that "anchor threshold 1 by default" grep -q '"threshold": 1' anchor.json
expect 0 "anchor is enrolled by init" veto init --state st0 --anchor anchor.json
expect 0 "anchor with two keys, threshold 2" veto anchor --device acme/thermo-2 --key owner.pub \
	--key owner2.pub --threshold 2
that "threshold 2 written" has '"threshold": 2'
expect 2 "anchor threshold above its keys" veto anchor --device acme/thermo-2 --key owner.pub --threshold 2
that "says no set of signatures could meet it" has "could ever meet it" err
expect 2 "anchor without --key" veto anchor --device acme/thermo-2
expect 2 "anchor device without a slash" veto anchor --device acme --key owner.pub
that "names the form" has "VENDOR/MODEL" err
expect 2 "anchor device with a bad vendor name" veto anchor --device ACME/x --key owner.pub
that "the library's rule is named" has "malformed" err
expect 2 "anchor from a secret key" veto anchor --device acme/x --key owner.key
that "says it is a secret key" has "secret key" err
expect 2 "anchor with one key twice" veto anchor --device acme/x --key owner.pub --key owner.pub
that "says given twice" has "given twice" err
# an OpenSSH line, read as key import reads it
printf 'ssh-ed25519 %s test\n' "$({ printf '\000\000\000\013ssh-ed25519\000\000\000\040'
	b64 owner2 | base64 -d; } | base64 -w0)" >ssh.txt
expect 0 "anchor from an OpenSSH key" veto anchor --device acme/x --key ssh.txt

# ---- policy new ----
ROLES=(--role owner:1:owner.pub --role vendor:1:vendor.pub --role auditor:2:aud1.pub,aud2.pub
	--role security:1:sec.pub)
new() { veto policy new --device acme/thermo-2 "${ROLES[@]}" --require vendor "$@"; }
expect 0 "policy new, the least" new -o p.json
that "format 1.1" grep -q '"format": "veto.policy/1.1"' p.json
that "serial 1 by default" grep -q '"serial": 1,' p.json
that "keys built from the roles" grep -q "\"$VEN\": {\"ed25519\"" p.json
that "role auditor with threshold 2" grep -A4 '"auditor"' p.json | grep -q '"threshold": 2'
that "empty protected_features" grep -q '"protected_features": \[\]' p.json
issued=$(sed -n 's/.*"issued": "\(.*\)".*/\1/p' p.json)
expires=$(sed -n 's/.*"expires": "\(.*\)".*/\1/p' p.json)
now=$(date -u +%s); is=$(date -u -d "$issued" +%s)
that "issued about five minutes before now" test $((now - is)) -ge 299 -a $((now - is)) -le 330
that "expires one year after issued" test "${expires#????}" = "${issued#????}" -a \
	"${expires%%-*}" = $(( ${issued%%-*} + 1 ))
expect 0 "sign accepts what new wrote" veto sign --key owner.key p.json -o p.dsse

expect 0 "every member option" new --serial 7 --issued 2026-01-01T00:00:00Z \
	--expires 2027-01-01T00:00:00Z --require auditor --protect local-control \
	--protect 'works-with-nest>=1.0' --removal-requires owner --forbid telemetry \
	--addition-requires owner --rollback-requires owner --min-security-counter 3 \
	--max-image-size 1048576 --digest sha256 --clock +02:00 --window mon-fri/01:30-04:00 \
	--window fri-mon/22:00-06:00 --hold 2026-12-20T00:00:00Z/2027-01-06T00:00:00Z/fast \
	--hold 2026-08-01T00:00:00Z/2026-08-02T00:00:00Z --fast-path security \
	--revocation-role vendor --revoke-update "$DIG" --reinstate-key vendor.pub \
	--reinstate-key "$OWN" --time-floor-reset -o full.json
for pat in '"serial": 7' '"issued": "2026-01-01T00:00:00Z"' '"expires": "2027-01-01T00:00:00Z"' \
	'"require": \["vendor", "auditor"\]' \
	'"protected_features": \["local-control", "works-with-nest>=1.0"\]' \
	'"removal_requires": \["owner"\]' '"forbidden_features": \["telemetry"\]' \
	'"addition_requires": \["owner"\]' '"rollback_requires": \["owner"\]' \
	'"min_security_counter": 3' '"max_image_size": 1048576' '"digests": \["sha256"\]' \
	'"clock": "+02:00"' \
	'{"days": \["mon", "tue", "wed", "thu", "fri"\], "start": "01:30", "end": "04:00"}' \
	'{"days": \["mon", "fri", "sat", "sun"\], "start": "22:00", "end": "06:00"}' \
	'"until": "2027-01-06T00:00:00Z", "fast_path": true}' \
	'{"from": "2026-08-01T00:00:00Z", "until": "2026-08-02T00:00:00Z"}' \
	'"fast_path": {"require": \["security"\]}' '"revocation_roles": \["vendor"\]' \
	"\"revoked_updates\": \\[\"$DIG\"\\]" \
	'"time_floor_reset": true'; do
	that "member written: $pat" grep -q -- "$pat" full.json
done
that "reinstate keys from a file and a keyid" test "$(sed -n '/"reinstate"/,$p' full.json | grep -c -e "$VEN" -e "$OWN")" -eq 2
that "no warning with --addition-requires" hasnt "rename" err
expect 0 "sign accepts every member" veto sign --key owner.key full.json -o full.dsse
expect 0 "show summarises it" veto show full.dsse
that "show reads the fixed clock" has "UTC+02:00"
expect 0 "--expires never" new --expires never
that "expires null" has '"expires": null'
expect 0 "--clock local, sat,sun window" new --clock local --window sat,sun/10:00-12:00
that "sat,sun" has '"days": \["sat", "sun"\]'
expect 0 "--forbid alone" new --forbid telemetry
that "warns about --addition-requires" has "addition-requires" err
expect 0 "--reinstate-update" new --reinstate-update "$DIG"
that "reinstate.updates" has "\"reinstate\": {\"updates\": \\[\"$DIG\"\\], \"keys\": \\[\\]}"

# refusals: exit 2, the broken rule named
expect 2 "no vendor role" veto policy new --device acme/x --role owner:1:owner.pub --require vendor
that "names the roles needed" has "owner and vendor" err
expect 2 "no --require" veto policy new --device acme/x "${ROLES[@]}"
expect 2 "require of no role" new --require nobody
that "library names require" has "require" err
expect 2 "the vendor in the owner role" veto policy new --device acme/x --role owner:1:vendor.pub \
	--role vendor:1:vendor.pub --require vendor
that "malformed: the owner holds a vendor key" has "refused: the policy would be malformed" err
expect 2 "protected and forbidden" new --protect egress:x --forbid egress
that "names forbidden" has "forbidden" err
expect 2 "fast path through the required roles only" new --require auditor --window mon/01:00-02:00 --fast-path auditor
that "names fast_path" has "fast_path" err
expect 2 "hold /fast without a fast path" new --hold 2026-12-20T00:00:00Z/2027-01-06T00:00:00Z/fast
expect 2 "bad window days" new --window xyz/01:00-02:00
that "window form named" has "DAYS/HH:MM-HH:MM" err
expect 2 "window start = end" new --window mon/01:00-01:00
expect 2 "bad window time" new --window mon/25:00-01:00
expect 2 "bad hold" new --hold 2026-12-20/2027-01-06
that "hold form named" has "FROM/UNTIL" err
expect 2 "hold from after until" new --hold 2027-12-20T00:00:00Z/2027-01-06T00:00:00Z
expect 2 "bad clock" new --clock +15:00 --window mon/01:00-02:00
expect 2 "bad --issued" new --issued 2026-02-30T00:00:00Z
expect 2 "expires before issued" new --issued 2026-01-01T00:00:00Z --expires 2025-01-01T00:00:00Z
expect 2 "role threshold above its keys" new --role x:3:aud1.pub
expect 2 "role without a threshold" new --role x::aud1.pub
expect 2 "bad digest" new --digest md5
expect 2 "revoked and reinstated" new --revoke-update "$DIG" --reinstate-update "$DIG"
expect 2 "--no-forbid in new" new --no-forbid
that "next only" has "policy next" err
expect 2 "bad --serial" new --serial 0
expect 2 "bad --min-security-counter" new --min-security-counter -1

# ---- policy next ----
new --issued 2026-01-01T00:00:00Z --expires 2026-04-01T00:00:00Z --forbid telemetry \
	--addition-requires owner --window mon-fri/01:00-04:00 -o n1.json 2>/dev/null
veto sign --key owner.key n1.json -o n1.dsse
expect 0 "next from a verified policy" veto policy next n1.dsse --owner owner.pub \
	--issued 2026-02-01T00:00:00Z --protect zigbee -o n2.json
that "serial + 1" grep -q '"serial": 2,' n2.json
that "the lifetime kept (90 days)" grep -q '"expires": "2026-05-02T00:00:00Z"' n2.json
that "forbid kept" grep -q '"forbidden_features": \["telemetry"\]' n2.json
that "prints what it kept" has "kept     forbidden_features" err
that "prints what it changed" has "changed  protected_features" err
that "no rotation message" hasnt "owner role changes" err
veto sign --key owner.key n2.json -o n2.dsse
expect 0 "--no-MEMBER and --no-role" veto policy next n2.dsse --owner owner.pub --no-forbid \
	--no-timing --no-role security --reinstate-key vendor.pub --issued 2026-02-02T00:00:00Z -o n3.json
that "forbid removed" hasnt forbidden_features n3.json
that "timing removed" hasnt '"timing"' n3.json
that "role removed" hasnt '"security"' n3.json
that "says removed" has "removed  forbidden_features" err
that "reinstate entries printed" has "added    reinstate" err
expect 0 "next from the state's trusted policy" veto policy next n1.dsse --state st0 \
	--issued 2026-02-01T00:00:00Z
# refused: unsigned, wrongly signed, below the threshold
expect 2 "a payload, not an envelope" veto policy next n1.json --owner owner.pub
that "says not signed" has "not a signed policy" err
veto sign --key vendor.key n1.json -o wrong.dsse
expect 2 "signed by another key" veto policy next wrong.dsse --owner owner.pub
that "not carried forward" has "not carried forward" err
expect 2 "the signer given as --owner is no owner" veto policy next wrong.dsse --owner vendor.pub
veto policy new --device acme/thermo-2 --role owner:2:owner.pub,owner2.pub --role vendor:1:vendor.pub \
	--require vendor -o two.json 2>/dev/null
veto sign --key owner.key two.json -o two.dsse
expect 2 "below the owner threshold" veto policy next two.dsse --owner owner.pub --owner owner2.pub
that "1 of 2" has "1 of the 2" err
veto cosign --key owner2.key two.dsse
expect 0 "at the threshold" veto policy next two.dsse --owner owner.pub --owner owner2.pub
expect 2 "neither --owner nor --state" veto policy next n1.dsse
expect 2 "--device in next" veto policy next n1.dsse --owner owner.pub --device acme/x
# the floor
expect 2 "earlier issued refused" veto policy next n1.dsse --owner owner.pub --issued 2025-12-01T00:00:00Z
that "names --time-floor-reset" has "time-floor-reset" err
expect 0 "earlier issued with --time-floor-reset" veto policy next n1.dsse --owner owner.pub \
	--issued 2025-12-01T00:00:00Z --time-floor-reset -o reset.json
that "time_floor_reset written" grep -q '"time_floor_reset": true' reset.json
veto sign --key owner.key reset.json -o reset.dsse
expect 0 "time_floor_reset not carried over" veto policy next reset.dsse --owner owner.pub \
	--issued 2026-03-01T00:00:00Z
that "not carried" hasnt time_floor_reset
expect 2 "--serial not above" veto policy next n1.dsse --owner owner.pub --serial 1
# a version-1 policy: no lifetime to keep
printf '{"format": "veto.policy/1", "serial": 1, "expires": "2027-01-01T00:00:00Z", "device": {"vendor": "acme", "model": "thermo-2"}, "keys": {%s}, "roles": {"owner": {"keys": [%s], "threshold": 1}, "vendor": {"keys": [%s], "threshold": 1}}, "require": ["vendor"], "protected_features": [], "removal_requires": []}\n' \
	"$(keyents owner,vendor)" "$(idlist owner)" "$(idlist vendor)" >v1.json
veto sign --key owner.key v1.json -o v1.dsse
expect 2 "from a policy/1 without --expires" veto policy next v1.dsse --owner owner.pub
that "asks for --expires" has "expires" err
expect 0 "from a policy/1 with --expires" veto policy next v1.dsse --owner owner.pub --expires never
that "becomes 1.1" has '"format": "veto.policy/1.1"'
# rotation
expect 0 "rotation" veto policy next n1.dsse --owner owner.pub --role owner:1:owner2.pub \
	--issued 2026-02-01T00:00:00Z -o rot.json
that "says old and new keys must sign" has "OLD owner keys" err
veto sign --key owner.key rot.json -o rot.dsse
expect 0 "show: only the old signed" veto show rot.dsse --owner owner.pub
that "new threshold not met" has "this policy declares: NOT met"
that "old threshold met" has "given with --owner: met"
veto cosign --key owner2.key rot.dsse
expect 0 "show: both signed" veto show rot.dsse --owner owner.pub
that "both met" test "$(grep -c ': met' out)" -eq 2

# ---- round trip: the owner's whole setup, no JSON by hand ----
veto anchor --device acme/thermo-2 --key owner.pub -o a.json
veto policy new --device acme/thermo-2 --role owner:1:owner.pub --role vendor:1:vendor.pub \
	--require vendor --protect local-control --issued 2026-01-01T00:00:00Z -o rp.json 2>/dev/null
veto sign --key owner.key rp.json -o rp.dsse
expect 0 "init from the made anchor" veto init --state rt --anchor a.json --feature local-control
expect 0 "trust the made policy" veto trust --state rt --policy rp.dsse --now "$NOW"
printf 'image' >img.bin
update u.json 5 '["local-control"]'
veto sign --key vendor.key u.json -o u.dsse
expect 0 "check accepts the update" veto check --state rt --update u.dsse --image img.bin --now "$NOW"
done_testing
