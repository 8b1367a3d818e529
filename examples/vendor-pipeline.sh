#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# vendor-pipeline.sh - veto in a firmware vendor's release pipeline.
#
#   examples/vendor-pipeline.sh PATH/TO/veto
#
# Owners publish their signed policies; the vendor keeps a folder of them.
# Before shipping, the pipeline signs the release, collects two of the
# three auditors' co-signatures, and runs `veto preflight` against every
# owner's policy: when any owner's device would refuse the release, the
# build fails, before a single device sees it.
#
# The script plays one release that an owner refuses (the build must fail)
# and the fixed release that every owner accepts (the build must pass).  It
# is a test too: it exits non-zero when either outcome is not the expected
# one.  Needs only bash, coreutils, sed and grep.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 PATH/TO/veto" >&2
  exit 2
fi
veto=$1
case $veto in /*) ;; *) veto=$PWD/$veto ;; esac
if [ ! -x "$veto" ]; then
  echo "vendor-pipeline: $veto is not an executable" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/veto-pipeline.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir keys owners policy-src policies
now=2026-11-21T00:00:00Z

trap 'echo "vendor-pipeline: FAILED: a command failed at line $LINENO" >&2' ERR

log() { printf '\n==> %s\n' "$*"; }
fail() { printf 'vendor-pipeline: FAILED: %s\n' "$*" >&2; exit 1; }
v() { # prints and runs a veto command, indented
  printf '    $ veto %s\n' "$*"
  "$veto" "$@" 2>&1 | sed 's/^/      /'
  return "${PIPESTATUS[0]}"
}

# A veto .pub file is one line of JSON: {"keyid": "...", "ed25519": "..."}.
keyid_of() { sed -n 's/.*"keyid"[[:space:]]*:[[:space:]]*"\([0-9a-f]\{64\}\)".*/\1/p' "$1"; }
ed25519_of() { sed -n 's/.*"ed25519"[[:space:]]*:[[:space:]]*"\([A-Za-z0-9+/=_-]*\)".*/\1/p' "$1"; }
key_entry() { printf '"%s": {"ed25519": "%s"}' "$(keyid_of "$1")" "$(ed25519_of "$1")"; }

# ---------------------------------------------------------------------------
log "Keys: the vendor, three independent auditors, four owners"
v keygen keys/vendor
for a in auditor-1 auditor-2 auditor-3; do v keygen "keys/$a"; done
for o in alice bob carol dave; do v keygen "owners/$o"; done
for f in keys/*.pub owners/*.pub; do
  [ "$(keyid_of "$f" | wc -c)" -eq 65 ] || fail "no keyid in $f"
  [ -n "$(ed25519_of "$f")" ] || fail "no ed25519 key in $f"
done
vendor_id=$(keyid_of keys/vendor.pub)
a1=$(keyid_of keys/auditor-1.pub)
a2=$(keyid_of keys/auditor-2.pub)
a3=$(keyid_of keys/auditor-3.pub)

# ---------------------------------------------------------------------------
# Each owner writes and signs their own policy on their own machine, and
# publishes it; the vendor only ever sees the signed envelopes.
write_policy() { # owner, expires, require, protected_features, removal_requires
  local owner=$1 expires=$2 require=$3 protected=$4 removal=$5
  local owner_id
  owner_id=$(keyid_of "owners/$owner.pub")
  cat >"policy-src/$owner.json" <<EOF
{"format": "veto.policy/1", "serial": 1, "expires": $expires,
 "device": {"vendor": "acme", "model": "thermo-2"},
 "keys": {$(key_entry "owners/$owner.pub"),
          $(key_entry keys/vendor.pub),
          $(key_entry keys/auditor-1.pub),
          $(key_entry keys/auditor-2.pub),
          $(key_entry keys/auditor-3.pub)},
 "roles": {"owner": {"keys": ["$owner_id"], "threshold": 1},
           "vendor": {"keys": ["$vendor_id"], "threshold": 1},
           "auditor": {"keys": ["$a1", "$a2", "$a3"], "threshold": 2}},
 "require": [$require],
 "protected_features": [$protected],
 "removal_requires": [$removal]}
EOF
  v sign --key "owners/$owner.key" "policy-src/$owner.json" -o "policies/$owner.policy"
}

log "Owners publish their signed policies"
echo "    alice: Nest integration and local control; removals need her own signature"
write_policy alice '"2027-11-21T00:00:00Z"' '"vendor", "auditor"' \
  '"local-control", "works-with-nest>=1.0"' '"owner"'
echo "    bob:   local control only; he trusts the vendor's signature alone"
write_policy bob '"2027-06-01T00:00:00Z"' '"vendor"' '"local-control"' '"owner"'
echo "    carol: Matter 1.2 or later; no removal is ever waived"
write_policy carol null '"vendor", "auditor"' '"local-control", "matter>=1.2"' ''
echo "    dave:  his Zigbee sensors must keep working"
write_policy dave '"2027-11-21T00:00:00Z"' '"vendor", "auditor"' '"local-control", "zigbee"' '"owner"'
printf '    %s\n' policies/*.policy

# ---------------------------------------------------------------------------
build_release() { # version, security_counter, features, extra members
  local version=$1 counter=$2 features=$3 extra=$4
  local image="image-$version.bin" size sha
  { printf 'acme thermo-2 firmware %s\n' "$version"; head -c 262144 /dev/zero; } >"$image"
  size=$(wc -c <"$image")
  size=$((size))
  sha=$(sha256sum "$image" | cut -d' ' -f1)
  cat >"release-$version.json" <<EOF
{"format": "veto.update/1", "vendor": "acme", "model": "thermo-2",
 "version": "$version", "security_counter": $counter,
 "image": {"size": $size, "sha256": "$sha"},
 "features": [$features]$extra,
 "released": "2026-11-20T00:00:00Z"}
EOF
  echo "    $image: $size bytes, sha256 $sha"
  v sign --key keys/vendor.key "release-$version.json" -o "release-$version.dsse"
  # Two of the three auditors review the release and co-sign it.
  v cosign --key keys/auditor-1.key "release-$version.dsse"
  v cosign --key keys/auditor-3.key "release-$version.dsse"
}

# The release gate: every owner's device must accept, or the build fails.
# Sets gate_status (the exit status of preflight) and leaves the JSON report
# in preflight-VERSION.json.
gate() { # version
  local version=$1 status=0 json_status=0
  v preflight --update "release-$version.dsse" policies/*.policy --now "$now" || status=$?
  "$veto" preflight --update "release-$version.dsse" policies/*.policy --now "$now" --json \
    >"preflight-$version.json" || json_status=$?
  [ "$status" -eq "$json_status" ] ||
    fail "preflight exited $status, and $json_status with --json"
  case $status in
    0) echo "    release gate: every owner accepts $version" ;;
    1) echo "    release gate: BUILD FAILED, some owners would refuse $version:"
       # The JSON report in one line, to pick out each refusing policy.
       tr -d ' \n\t' <"preflight-$version.json" |
         grep -o '"policy":"[^"]*","decision":"refuse"' |
         sed 's/"policy":"\([^"]*\)".*/      \1/' || true ;;
    *) fail "preflight could not run (exit $status)" ;;
  esac
  gate_status=$status
}

json_has() { # file, fragment without spaces
  tr -d ' \n\t' <"$1" | grep -qF -- "$2"
}

# ---------------------------------------------------------------------------
log "Release 3.0.0: Zigbee support is dropped (declared in \"removes\")"
build_release 3.0.0 50 '"local-control", "works-with-nest@1.2", "matter@1.3"' \
  ',
 "removes": ["zigbee"]'
log "Preflight of 3.0.0 against every owner's policy"
gate 3.0.0
[ "$gate_status" -eq 1 ] || fail "preflight of 3.0.0 exited $gate_status, expected 1 (dave refuses)"
json_has preflight-3.0.0.json '"policies":4' || fail "3.0.0: the report should count 4 policies"
json_has preflight-3.0.0.json '"accept":3' || fail "3.0.0: alice, bob and carol should accept"
json_has preflight-3.0.0.json '"refuse":1' || fail "3.0.0: exactly one owner should refuse"
json_has preflight-3.0.0.json '"feature-removed":1' ||
  fail "3.0.0: the refusal should be feature-removed"
tr -d ' \n\t' <preflight-3.0.0.json | grep -q '"policy":"[^"]*dave\.policy","decision":"refuse"' ||
  fail "3.0.0: dave's policy should be the one that refuses"
echo "    (as expected: the pipeline stops here and 3.0.0 is not shipped)"

# ---------------------------------------------------------------------------
log "Release 3.0.1: Zigbee kept; a new counter, signed and co-signed again"
build_release 3.0.1 51 '"local-control", "works-with-nest@1.2", "zigbee", "matter@1.3"' ''
log "Preflight of 3.0.1 against every owner's policy"
gate 3.0.1
[ "$gate_status" -eq 0 ] || fail "preflight of 3.0.1 exited $gate_status, expected 0"
json_has preflight-3.0.1.json '"accept":4' || fail "3.0.1: all four owners should accept"
json_has preflight-3.0.1.json '"refuse":0' || fail "3.0.1: no owner should refuse"

log "Ship 3.0.1: the signed release, as devices will see it"
v show release-3.0.1.dsse --key keys/vendor.pub --key keys/auditor-1.pub \
  --key keys/auditor-2.pub --key keys/auditor-3.pub
echo
echo "vendor-pipeline: 3.0.0 was stopped by the gate, 3.0.1 passed it, as expected"
