#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# demo.sh - the main job of veto, start to finish, in one command.
#
#   scripts/demo.sh [--keep]
#
# On a fresh Debian machine (as root, or with the packages that
# `scripts/deps.sh demo` names already installed): installs what is
# missing, builds veto in build-demo/, then plays one thermostat's life:
# its owner enrols it and signs a policy, the vendor ships updates (signed
# on a SoftHSM2 token when SoftHSM2, OpenSC and p11-kit are there, else
# with a key file), veto accepts or refuses each one, with its reasons, the
# auditors revoke a release after the fact, and the owner checks the
# receipts the thermostat signed.  Every step checks the exit status it
# expects and the demo stops at the first surprise.  The scratch directory
# is removed at the end unless --keep is given.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

keep=0
case ${1:-} in
  --keep) keep=1 ;;
  "") ;;
  *) echo "usage: scripts/demo.sh [--keep]" >&2; exit 2 ;;
esac

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  B=$'\e[1m' D=$'\e[2m' G=$'\e[32m' R=$'\e[31m' C=$'\e[36m' N=$'\e[0m'
else
  B='' D='' G='' R='' C='' N=''
fi

die() { printf '\n%sdemo stopped: %s%s\n' "$R$B" "$*" "$N" >&2; exit 1; }
trap 'die "a command failed unexpectedly (line $LINENO)"' ERR

now=2026-11-21T00:00:00Z
step_no=0
summary=()

step() { step_no=$((step_no + 1)); printf '\n%s== %d. %s ==%s\n' "$B" "$step_no" "$*" "$N"; }
say() { printf '%s\n' "$@"; }
show_file() { # file: its contents, indented, under its name
  printf '%s--- %s ---%s\n' "$D" "$1" "$N"
  sed 's/^/  /' "$1"
}
state_sum() { if [ -f thermostat/state.json ]; then sha256sum thermostat/state.json; fi; }
show_cmd() { # the command as a person would type it
  local a q s='' plain='^[A-Za-z0-9_./:=@,+%-]+$'
  for a in "$@"; do
    if [[ $a =~ $plain ]]; then q=$a
    elif [[ $a == *"'"* ]]; then printf -v q '%q' "$a"
    else q="'$a'"; fi
    s+=" $q"
  done
  printf '%s$%s%s\n' "$C" "$s" "$N"
}
cmdline() { show_cmd veto "$@"; }

# With a device key in the state directory, every trust and commit must
# leave a signed receipt; run adds --receipt receipts/NN-COMMAND.dsse to
# them, where the reader sees it.
receipt_no=0
next_receipt() { # COMMAND: sets R to the next receipt's file name
  receipt_no=$((receipt_no + 1))
  printf -v R 'receipts/%02d-%s.dsse' "$receipt_no" "$1"
}

# run STATUS ARGS...: shows and runs `veto ARGS`, indents its output, and
# stops the demo unless it exits with STATUS (0 accept/success, 1 refuse).
run() {
  local want=$1 status=0 out before R
  shift
  case $1 in
    trust | commit) next_receipt "$1"; set -- "$@" --receipt "$R" ;;
  esac
  before=$(state_sum)
  cmdline "$@"
  out=$("$veto" "$@" 2>&1) || status=$?
  [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/  /'
  if [ "$status" -ne "$want" ]; then
    die "\`veto $*\` exited $status; expected $want"
  fi
  # A refusal must leave the device's state as it was, byte for byte.
  if [ "$status" -ne 0 ] && [ "$(state_sum)" != "$before" ]; then
    die "\`veto $*\` refused, yet thermostat/state.json changed"
  fi
  case $status in
    0) printf '  %s[exit 0]%s\n' "$D" "$N" ;;
    *) printf '  %s[exit %d]%s\n' "$D" "$status" "$N" ;;
  esac
}

# quiet ARGS...: a preparation command, shown but with its output hidden
# unless it fails.
quiet() {
  local out
  cmdline "$@"
  out=$("$veto" "$@" 2>&1) || { printf '%s\n' "$out" >&2; die "\`veto $*\` failed"; }
}

# ext PROG ARGS...: a command of another tool, shown, its output hidden
# unless it fails.
ext() {
  local out
  show_cmd "$@"
  out=$("$@" 2>&1) || { printf '%s\n' "$out" >&2; die "\`$*\` failed"; }
}

# expect_code CODE ARGS...: runs the decision again with --json, silently,
# and stops the demo unless CODE is among its reasons.
expect_code() {
  local code=$1 json
  shift
  json=$("$veto" "$@" --json 2>/dev/null) || true
  printf '%s' "$json" | tr -d ' \n\t' | grep -qF "\"code\":\"$code\"" ||
    die "expected the reason $code from \`veto $*\`, got: $json"
}

# verify_says TEXT RECEIPT...: stops the demo unless receipt verify, run
# again silently, reports TEXT.
verify_says() {
  local want=$1 out
  shift
  out=$("$veto" receipt verify --key thermostat/device.pub "$@" 2>&1) || true
  [[ $out == *"$want"* ]] || die "receipt verify did not report '$want': $out"
}

done_step() { # description, outcome
  summary+=("$(printf '  %-40s %s' "$1" "$2")")
  printf '%s=> %s%s\n' "$G$B" "$2" "$N"
}

# The fields of a .pub file (one line of JSON written by `veto keygen`).
keyid_of() { sed -n 's/.*"keyid"[[:space:]]*:[[:space:]]*"\([0-9a-f]\{64\}\)".*/\1/p' "$1"; }
ed25519_of() { sed -n 's/.*"ed25519"[[:space:]]*:[[:space:]]*"\([A-Za-z0-9+/=_-]*\)".*/\1/p' "$1"; }

# ---------------------------------------------------------------------------
printf '%sveto%s: the owner of a device vetoes the vendor'"'"'s firmware updates.\n' "$B" "$N"

printf '\n%sPreparing%s\n' "$B" "$N"
work=$(mktemp -d "${TMPDIR:-/tmp}/veto-demo.XXXXXX")
if [ "$keep" -eq 0 ]; then trap 'rm -rf "$work"' EXIT; fi
# The token's packages are welcome, not needed: without them acme signs
# with a key file.
if ! scripts/deps.sh demo 2>"$work/deps.log"; then
  scripts/deps.sh build || die "the build dependencies are missing (see above)"
fi
builddir=build-demo
if [ ! -f "$builddir/build.ninja" ]; then
  say "  meson setup $builddir -Dtests=false -Dbench=false"
  meson setup "$builddir" -Dtests=false -Dbench=false >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log" >&2; die "meson setup failed"; }
elif ! grep -q VETO_HAVE_PKCS11 "$builddir/compile_commands.json" 2>/dev/null &&
  pkg-config --exists p11-kit-1; then
  # set up before p11-kit was installed: look for it again
  say "  meson configure $builddir -Dpkcs11=enabled"
  meson configure "$builddir" -Dpkcs11=enabled >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log" >&2; die "meson configure failed"; }
fi
say "  meson compile -C $builddir"
meson compile -C "$builddir" >>"$work/build.log" 2>&1 ||
  { tail -n 40 "$work/build.log" >&2; die "the build failed"; }
veto=$root/$builddir/tool/veto
[ -x "$veto" ] || die "the build did not produce $builddir/tool/veto"
say "  veto is $builddir/tool/veto; scratch directory $work"
# A token for acme: SoftHSM2's module, OpenSC's pkcs11-tool, and a veto
# built with p11-kit.
softhsm=$(ls /usr/lib/softhsm/libsofthsm2.so /usr/lib/*/softhsm/libsofthsm2.so 2>/dev/null | head -n 1) || true
token=0
if [ -n "$softhsm" ] && command -v softhsm2-util >/dev/null && command -v pkcs11-tool >/dev/null &&
  grep -q VETO_HAVE_PKCS11 "$builddir/compile_commands.json" 2>/dev/null; then
  token=1
fi
cd "$work"

cat <<EOF

The cast:
  you        own a thermostat, acme/thermo-2, and hold the owner key
  acme       the vendor: builds the firmware and signs every release
  auditors   three independent reviewers; your policy wants two of them
             on every release, and lets them revoke a bad one
  thermostat signs a receipt of each of its decisions, with a key of its own
Every decision below is made at a fixed time: --now $now
EOF

# ---------------------------------------------------------------------------
step "Everyone makes a key"
say "Each party runs this on its own machine and publishes only the .pub file."
run 0 keygen owner
if [ "$token" -eq 1 ]; then
  say "acme keeps its release key on a PKCS#11 token, which signs but never lets the" \
    "secret out. Here the token is SoftHSM2, a token in software; an HSM or a smart" \
    "card is used the same way. acme makes the key on the token and exports its public" \
    "half (SOFTHSM2_CONF points SoftHSM2 at the demo's own token directory):"
  mkdir tokens
  printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
    "$work" >softhsm2.conf
  export SOFTHSM2_CONF=$work/softhsm2.conf
  ext softhsm2-util --init-token --free --label acme-release --pin 1234 --so-pin 5678
  ext pkcs11-tool --module "$softhsm" --token-label acme-release --login --pin 1234 \
    --keypairgen --key-type EC:edwards25519 --id 01 --label release
  ext pkcs11-tool --module "$softhsm" --token-label acme-release --read-object --type pubkey \
    --id 01 -o vendor.pem
  run 0 key import vendor.pem -o vendor.pub
  (umask 077 && printf '1234\n' >acme.pin)
  vendor_key='pkcs11:token=acme-release;object=release?pin-source=file:acme.pin'
  say "acme's signing key is now this PKCS#11 URI (the PIN in the file acme.pin):" \
    "  $vendor_key"
else
  say "(No token here: SoftHSM2, OpenSC's pkcs11-tool or p11-kit is missing -- as root," \
    " scripts/deps.sh demo installs them. acme's release key is a file instead.)"
  run 0 keygen vendor
  vendor_key=vendor.key
fi
for a in auditor-1 auditor-2 auditor-3; do run 0 keygen "$a"; done
show_file owner.pub
for f in owner vendor auditor-1 auditor-2 auditor-3; do
  if [ -z "$(keyid_of "$f.pub")" ] || [ -z "$(ed25519_of "$f.pub")" ]; then
    die "$f.pub does not look like a veto public key"
  fi
done
done_step "keys for you, acme and three auditors" "made"

# ---------------------------------------------------------------------------
step "You enrol the thermostat"
say "The trust anchor says: for this device class, only your key may set the rules."
say "You make it from your public key file; no JSON to write, no keyid to copy:"
run 0 anchor --device acme/thermo-2 --key owner.pub -o anchor.json
show_file anchor.json
say "It runs firmware 2.4.0 (security counter 41): local control, Nest, Zigbee."
say "With --device-key the thermostat also gets a key of its own, to sign a receipt of" \
  "every decision; this first receipt starts their chain:"
ext mkdir receipts
next_receipt init
run 0 init --state thermostat --anchor anchor.json --security-counter 41 \
  --feature local-control --feature works-with-nest@1.2 --feature zigbee \
  --device-key --receipt "$R" --now "$now"
done_step "enrolment (veto init)" "done"

# ---------------------------------------------------------------------------
step "You sign your policy and the device trusts it"
say "Your rules: acme signs every update and two of the three auditors co-sign it;" \
  "local control and the Nest integration (1.0 or later) must stay, unless you" \
  "yourself sign off on their removal; and the auditors may revoke a release."
say "You make the policy from the public key files everyone sent you:"
run 0 policy new --device acme/thermo-2 --issued 2026-11-20T00:00:00Z \
  --expires 2027-11-21T00:00:00Z --role owner:1:owner.pub --role vendor:1:vendor.pub \
  --role auditor:2:auditor-1.pub,auditor-2.pub,auditor-3.pub \
  --require vendor --require auditor \
  --protect local-control --protect 'works-with-nest>=1.0' --removal-requires owner \
  --revocation-role auditor -o policy-1.json
say "This is the whole file you sign (copy it freely: it holds only public keys):"
show_file policy-1.json
run 0 sign --key owner.key policy-1.json -o policy-1.dsse
run 0 trust --state thermostat --policy policy-1.dsse --now "$now"
done_step "policy serial 1 signed by you, trusted" "trusted"

# ---------------------------------------------------------------------------
# make_release VERSION COUNTER FEATURES EXTRA SIGNER...: acme builds an image
# and its manifest (shown when show_payload is 1), signs it, and the given
# auditors co-sign it.
show_payload=0
make_release() {
  local version=$1 counter=$2 features=$3 extra=$4 size sha s
  shift 4
  { printf 'acme thermo-2 firmware %s\n' "$version"; head -c 200000 /dev/zero; } >"image-$version.bin"
  size=$(($(wc -c <"image-$version.bin")))
  sha=$(sha256sum "image-$version.bin" | cut -d' ' -f1)
  cat >"update-$version.json" <<EOF
{"format": "veto.update/1",
 "vendor": "acme", "model": "thermo-2",
 "version": "$version",
 "security_counter": $counter,
 "image": {"size": $size, "sha256": "$sha"},
 "features": [$features]$extra}
EOF
  if [ "$show_payload" -eq 1 ]; then show_file "update-$version.json"; fi
  quiet sign --key "$vendor_key" "update-$version.json" -o "update-$version.dsse"
  for s in "$@"; do quiet cosign --key "$s.key" "update-$version.dsse"; done
}

step "A good update: 2.5.0"
say "acme builds 2.5.0 (counter 42), keeps every feature and adds Matter." \
  "acme signs it; auditor-1 and auditor-2 review it and co-sign it."
show_payload=1
make_release 2.5.0 42 '"local-control", "works-with-nest@1.2", "zigbee", "matter@1.3"' '' \
  auditor-1 auditor-2
show_payload=0
say "The device checks it against your policy, hashing the image as it reads it:"
run 0 check --state thermostat --update update-2.5.0.dsse --image image-2.5.0.bin --now "$now"
say "Accepted. After installing it, the device records the new state:"
run 0 commit --state thermostat --update update-2.5.0.dsse --image image-2.5.0.bin --now "$now"
done_step "2.5.0, everything kept" "accepted, committed"

# ---------------------------------------------------------------------------
step "An update that quietly drops the Nest integration: 2.6.0"
say "acme would like to switch Nest off. 2.6.0 (counter 43) leaves works-with-nest" \
  "out of its features and says nothing about it. Fully signed and co-signed."
make_release 2.6.0 43 '"local-control", "zigbee", "matter@1.3"' '' auditor-1 auditor-2
run 1 check --state thermostat --update update-2.6.0.dsse --image image-2.6.0.bin --now "$now"
expect_code undeclared-removal check --state thermostat --update update-2.6.0.dsse \
  --image image-2.6.0.bin --now "$now"
say "Refused: a removal of a protected feature that the update does not declare" \
  "can never be waived, not even by you."
done_step "2.6.0, drops Nest silently" "refused: undeclared-removal"

# ---------------------------------------------------------------------------
step "An update only one auditor signed: 2.6.1"
say "2.6.1 (counter 44) keeps everything, but only auditor-1 co-signed it." \
  "The same decision as machine-readable JSON, for scripts:"
make_release 2.6.1 44 '"local-control", "works-with-nest@1.2", "zigbee", "matter@1.3"' '' \
  auditor-1
run 1 check --state thermostat --update update-2.6.1.dsse --image image-2.6.1.bin --now "$now" --json
expect_code cosignature-missing check --state thermostat --update update-2.6.1.dsse \
  --image image-2.6.1.bin --now "$now"
done_step "2.6.1, one auditor of two" "refused: cosignature-missing"

# ---------------------------------------------------------------------------
step "A rollback: the old 2.4.0 replayed"
say "Someone replays 2.4.0 (counter 41), a genuine release signed by acme and two" \
  "auditors, to bring back a bug fixed since. The device runs counter 42."
make_release 2.4.0 41 '"local-control", "works-with-nest@1.2", "zigbee"' '' auditor-1 auditor-3
run 1 check --state thermostat --update update-2.4.0.dsse --image image-2.4.0.bin --now "$now"
expect_code rollback check --state thermostat --update update-2.4.0.dsse --image image-2.4.0.bin \
  --now "$now"
say "And commit, which checks again, records nothing:"
run 1 commit --state thermostat --update update-2.4.0.dsse --image image-2.4.0.bin --now "$now"
done_step "2.4.0 replayed" "refused: rollback"

# ---------------------------------------------------------------------------
step "A declared removal, and your waiver: 2.7.0"
say "acme asks properly: 2.7.0 (counter 45) drops Nest and says so, in \"removes\"."
show_payload=1
make_release 2.7.0 45 '"local-control", "zigbee", "matter@1.4"' ',
 "removes": ["works-with-nest"]' auditor-2 auditor-3
show_payload=0
run 1 check --state thermostat --update update-2.7.0.dsse --image image-2.7.0.bin --now "$now"
expect_code feature-removed check --state thermostat --update update-2.7.0.dsse \
  --image image-2.7.0.bin --now "$now"
say "Refused until you agree. You no longer use Nest, so you co-sign this very" \
  "update (your signature covers its exact bytes, and nothing else):"
run 0 cosign --key owner.key update-2.7.0.dsse
run 0 check --state thermostat --update update-2.7.0.dsse --image image-2.7.0.bin --now "$now"
expect_code feature-removal-waived check --state thermostat --update update-2.7.0.dsse \
  --image image-2.7.0.bin --now "$now"
run 0 commit --state thermostat --update update-2.7.0.dsse --image image-2.7.0.bin --now "$now"
done_step "2.7.0, declares Nest removal" "refused, then accepted with your waiver"

# ---------------------------------------------------------------------------
step "You rotate your owner key"
say "You move to a new key. Policy serial 2 names owner-2 as the owner; it is" \
  "signed by the old key (so the device believes it) and by the new one (to prove" \
  "you hold it). Nest is gone, so it no longer protects it."
run 0 keygen owner-2
say "policy next starts from your signed policy once your key's signature on it" \
  "verifies, and lists what it kept and what it changed:"
run 0 policy next policy-1.dsse --owner owner.pub --issued 2026-11-20T01:00:00Z \
  --role owner:1:owner-2.pub --protect local-control -o policy-2.json
run 0 sign --key owner.key policy-2.json -o policy-2.dsse
run 0 cosign --key owner-2.key policy-2.dsse
run 0 trust --state thermostat --policy policy-2.dsse --now "$now"
say "From now on the old key counts for nothing. A policy signed with it alone" \
  "(say, by whoever finds your old laptop) is refused:"
quiet policy next policy-2.dsse --owner owner-2.pub --issued 2026-11-20T02:00:00Z \
  --role owner:1:owner.pub -o policy-3.json
quiet sign --key owner.key policy-3.json -o policy-3.dsse
run 1 trust --state thermostat --policy policy-3.dsse --now "$now"
done_step "owner key rotated (policy serial 2)" "trusted; the old key refused"

step "An update under the new policy: 2.8.0"
make_release 2.8.0 46 '"local-control", "zigbee", "matter@1.4", "thread@1.3"' '' \
  auditor-1 auditor-3
run 0 check --state thermostat --update update-2.8.0.dsse --image image-2.8.0.bin --now "$now"
run 0 commit --state thermostat --update update-2.8.0.dsse --image image-2.8.0.bin --now "$now"
done_step "2.8.0 under policy serial 2" "accepted, committed"

# ---------------------------------------------------------------------------
step "Contract 1.1: your schedule, a forbidden feature, a way back"
say "Policy serial 4 (format veto.policy/1.1) adds: updates only on weekday nights," \
  "01:30-04:00 on the thermostat's local clock; a fast path for security fixes that" \
  "your security contact co-signs; telemetry refused outright; and downgrades" \
  "allowed when you co-sign them."
run 0 keygen security
run 0 policy next policy-2.dsse --owner owner-2.pub --serial 4 \
  --issued 2026-11-20T10:00:00Z --expires 2027-11-21T00:00:00Z \
  --role security:1:security.pub --forbid telemetry --rollback-requires owner \
  --clock local --window mon-fri/01:30-04:00 --fast-path security -o policy-4.json
show_file policy-4.json
run 0 sign --key owner-2.key policy-4.json -o policy-4.dsse
run 0 trust --state thermostat --policy policy-4.dsse --now "$now"
done_step "policy serial 4 (1.1) trusted" "trusted"

step "An update outside the window: 2.9.0"
say "2.9.0 (counter 47) changes no feature. It is Saturday 11:00 at the thermostat" \
  "(the hub hands its local time in with --local-time):"
make_release 2.9.0 47 '"local-control", "zigbee", "matter@1.4", "thread@1.3"' '' \
  auditor-1 auditor-2
sat=2026-11-21T11:00:00
run 1 check --state thermostat --update update-2.9.0.dsse --image image-2.9.0.bin --now "$now" \
  --local-time "$sat"
expect_code outside-window check --state thermostat --update update-2.9.0.dsse \
  --image image-2.9.0.bin --now "$now" --local-time "$sat"
say "It is a security fix, so your security contact co-signs it: the same update" \
  "now takes the fast path (it adds and drops nothing, and carries a new counter)."
run 0 cosign --key security.key update-2.9.0.dsse
run 0 check --state thermostat --update update-2.9.0.dsse --image image-2.9.0.bin --now "$now" \
  --local-time "$sat"
expect_code fast-path-used check --state thermostat --update update-2.9.0.dsse \
  --image image-2.9.0.bin --now "$now" --local-time "$sat"
run 0 commit --state thermostat --update update-2.9.0.dsse --image image-2.9.0.bin --now "$now"
done_step "2.9.0 outside the window" "refused, then fast path"

step "A release with telemetry: 3.0.0"
make_release 3.0.0 48 '"local-control", "zigbee", "matter@1.4", "thread@1.3", "telemetry:cloud.acme.com"' '' \
  auditor-1 auditor-2 security
run 1 check --state thermostat --update update-3.0.0.dsse --image image-3.0.0.bin --now "$now" \
  --local-time "$sat"
expect_code feature-forbidden check --state thermostat --update update-3.0.0.dsse \
  --image image-3.0.0.bin --now "$now" --local-time "$sat"
done_step "3.0.0 with telemetry" "refused: feature-forbidden"

step "You want the Nest integration back: 2.5.0 again"
mon=2026-11-23T01:00:00Z monlocal=2026-11-23T02:00:00
say "2.5.0 (counter 42) still had Nest. On Monday night, inside the window, the" \
  "device refuses it as a rollback; you co-sign that one release and it passes."
run 1 check --state thermostat --update update-2.5.0.dsse --image image-2.5.0.bin --now "$mon" \
  --local-time "$monlocal"
expect_code rollback check --state thermostat --update update-2.5.0.dsse \
  --image image-2.5.0.bin --now "$mon" --local-time "$monlocal"
run 0 cosign --key owner-2.key update-2.5.0.dsse
run 0 check --state thermostat --update update-2.5.0.dsse --image image-2.5.0.bin --now "$mon" \
  --local-time "$monlocal"
expect_code rollback-waived check --state thermostat --update update-2.5.0.dsse \
  --image image-2.5.0.bin --now "$mon" --local-time "$monlocal"
run 0 commit --state thermostat --update update-2.5.0.dsse --image image-2.5.0.bin --now "$mon"
say "The state keeps the highest counter ever installed, so the releases in" \
  "between stay refused unless you consent to each one:"
grep -o '"counter_max": [0-9]*' thermostat/state.json | sed 's/^/  /'
run 1 check --state thermostat --update update-2.8.0.dsse --image image-2.8.0.bin --now "$mon" \
  --local-time "$monlocal"
done_step "2.5.0 back, with your consent" "accepted; 2.8.0 still refused"

# ---------------------------------------------------------------------------
step "The auditors revoke a release after the fact: 3.1.0"
say "acme ships 3.1.0 (counter 49, the same features as the thermostat runs now);" \
  "auditor-1 and auditor-2 co-sign it, and the device would take it:"
make_release 3.1.0 49 '"local-control", "works-with-nest@1.2", "zigbee", "matter@1.3"' '' \
  auditor-1 auditor-2
run 0 check --state thermostat --update update-3.1.0.dsse --image image-3.1.0.bin --now "$mon" \
  --local-time "$monlocal"
say "A day later auditor-2 finds a debug shell left open in 3.1.0. Your policy names the" \
  "auditors in revocation_roles, so they can stop every device of yours from taking" \
  "it without waiting for you. They name the release by the SHA-256 of its update" \
  "payload, and write the revocation themselves (its holders write it; no command" \
  "does). This is the whole file:"
digest=$(sha256sum update-3.1.0.json | cut -d' ' -f1)
printf '%s$ sha256sum update-3.1.0.json%s\n  %s  update-3.1.0.json\n' "$C" "$N" "$digest"
cat >revocation-3.1.0.json <<EOF
{"format": "veto.revocation/1",
 "device": {"vendor": "acme", "model": "thermo-2"},
 "role": "auditor",
 "updates": ["$digest"],
 "keys": []}
EOF
show_file revocation-3.1.0.json
say "Two auditors sign it, as the role's threshold asks:"
run 0 sign --key auditor-2.key revocation-3.1.0.json -o revocation-3.1.0.dsse
run 0 cosign --key auditor-3.key revocation-3.1.0.dsse
say "Handed in with a check, it refuses the release at once (check stores nothing):"
run 1 check --state thermostat --update update-3.1.0.dsse --image image-3.1.0.bin --now "$mon" \
  --local-time "$monlocal" --revocation revocation-3.1.0.dsse
expect_code update-revoked check --state thermostat --update update-3.1.0.dsse \
  --image image-3.1.0.bin --now "$mon" --local-time "$monlocal" --revocation revocation-3.1.0.dsse
say "The hub hands it to trust when it arrives, and the thermostat keeps it:"
cp -a thermostat thermostat-old # kept for the last step, where someone restores it
run 0 trust --state thermostat --revocation revocation-3.1.0.dsse --now "$mon"
run 1 check --state thermostat --update update-3.1.0.dsse --image image-3.1.0.bin --now "$mon" \
  --local-time "$monlocal"
expect_code update-revoked check --state thermostat --update update-3.1.0.dsse \
  --image image-3.1.0.bin --now "$mon" --local-time "$monlocal"
say "A revocation can only refuse, and only you can lift it: a policy of yours with" \
  "  --reinstate-update $digest" \
  "or one that drops the auditors from revocation_roles (SECURITY.md says more)."
done_step "3.1.0 revoked by the auditors" "refused: update-revoked"

# ---------------------------------------------------------------------------
step "You check what the thermostat says it did: its receipts"
say "Every trust and commit above left a receipt, signed by the thermostat's own key" \
  "(made by init --device-key), refusals included. You copy them off the device with" \
  "its public key, and check the signatures and the chain of states they record:"
show_file thermostat/device.pub
run 0 receipt verify --key thermostat/device.pub receipts/*.dsse
last=$(ls receipts/*-commit.dsse | tail -n 1)
say "One of them decoded: the last commit (the DSSE payload of $last):"
sed -n 's/.*"payload": "\([^"]*\)".*/\1/p' "$last" | base64 -d >last-commit-receipt.json
show_file last-commit-receipt.json
say "You also ask the thermostat what it runs now. The nonce is yours, so the signed" \
  "answer cannot be an old one:"
next_receipt status
run 0 status --state thermostat --receipt "$R" --nonce owner-check-1 --now "$mon"
run 0 receipt verify --key thermostat/device.pub "$R"
say "Had a receipt gone missing, verify would say where: a gap. Leaving out the" \
  "receipt of your first trust, for instance:"
gap=(receipts/*.dsse)
unset 'gap[1]'
run 1 receipt verify --key thermostat/device.pub "${gap[@]}"
verify_says ': GAP: ' "${gap[@]}"
say "Now suppose someone kept a copy of the thermostat's state from just before the" \
  "auditors' revocation arrived (the demo did: thermostat-old), restores it, and" \
  "installs 3.1.0 after all. The restored state has never heard of the revocation:"
run 0 commit --state thermostat-old --update update-3.1.0.dsse --image image-3.1.0.bin --now "$mon"
say "But the device still signs what it does, and the receipts you collect show it:" \
  "two receipts start from the same state and both write a new one, a fork:"
run 1 receipt verify --key thermostat/device.pub receipts/*.dsse
verify_says ': FORK: ' receipts/*.dsse
say "A receipt is the thermostat's own account, signed: as honest as the device." \
  "What to do about a gap or a fork is in SECURITY.md (What a receipt proves)."
done_step "the thermostat's receipts" "verified; a gap and a fork found"

# ---------------------------------------------------------------------------
printf '\n%s== Summary ==%s\n' "$B" "$N"
printf '%s\n' "${summary[@]}"
cat <<EOF

The thermostat now runs 2.5.0 again (counter 42, high-water mark 47) under
your policy serial 4, and refuses 3.1.0, which the auditors revoked; the
old copy restored in thermostat-old took 3.1.0, and its receipt says so.
Every update went through the same gate; none of the refused ones touched
the device's state. Try the commands yourself: the binary is
$builddir/tool/veto, and \`veto --help\` lists them.
EOF
if [ "$keep" -eq 1 ]; then
  say "The demo's files are kept in $work: cd there and try the next policy," \
    "  $veto policy next policy-4.dsse --state thermostat --hold 2026-12-20T00:00:00Z/2027-01-06T00:00:00Z"
  say "or look at the thermostat's receipts again," \
    "  $veto receipt verify --key thermostat/device.pub receipts/*.dsse --json"
else
  say "Its files (keys, anchor, policies, the device's state, its receipts) are removed now; run" \
    "scripts/demo.sh --keep to keep them and try the next command yourself."
fi
printf '\n%sdemo finished: every step as expected%s\n' "$G$B" "$N"
