#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# format-examples.sh - makes every example of docs/FORMATS.md with the veto
# command and puts each into the document, so that the examples stay true.
#
#   scripts/format-examples.sh [--keep DIR]
#
# Uses $VETO, else build/tool/veto (build it first: meson setup build &&
# meson compile -C build).  Runs one small story in a scratch directory --
# keys, the owner's anchor and policies, a release, a revocation, two
# devices' states and receipts -- then replaces, in docs/FORMATS.md, the
# fenced block that follows each line `<!-- example NAME -->` by the file
# NAME of the story.  Keys are new at every run, so every example changes;
# tests/cli/formats.sh checks that the examples in the document fit
# together (keyids, signatures, a state that reads, the receipts' chain).
# With --keep DIR the story's files are also left in DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
doc=$root/docs/FORMATS.md

keep=
case ${1:-} in
  --keep) keep=${2:?usage: scripts/format-examples.sh [--keep DIR]} ;;
  "") ;;
  *) echo "usage: scripts/format-examples.sh [--keep DIR]" >&2; exit 2 ;;
esac
veto=${VETO:-$root/build/tool/veto}
[ -x "$veto" ] || { echo "format-examples: no $veto (meson setup build && meson compile -C build)" >&2; exit 2; }
case $veto in /*) ;; *) veto=$root/$veto ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/veto-formats.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
umask 022
v() { "$veto" "$@"; }
now=2026-11-21T00:00:00Z

# --- keys: the cast of every example --------------------------------------------
for k in owner vendor auditor-1 auditor-2 auditor-3 security; do v keygen "$k" </dev/null >/dev/null; done
# The passphrase of the encrypted example; tests/cli/formats.sh knows it too.
printf 'correct horse battery staple\n' >pw
cp vendor.key vendor-encrypted.key
v key passphrase vendor-encrypted.key --new-passphrase-file pw 2>/dev/null

# --- the owner's documents ---------------------------------------------------------
v anchor --device acme/thermo-2 --key owner.pub -o anchor.json
v policy new --device acme/thermo-2 --issued 2026-11-20T00:00:00Z --expires 2027-11-21T00:00:00Z \
  --role owner:1:owner.pub --role vendor:1:vendor.pub \
  --role auditor:2:auditor-1.pub,auditor-2.pub,auditor-3.pub \
  --require vendor --require auditor \
  --protect local-control --protect 'works-with-nest>=1.0' --removal-requires owner \
  --revocation-role auditor -o policy.json
# A veto.policy/1, as version-1 tools wrote it: no command writes one any
# more, so it is the policy above without the members 1.1 added.
sed -e 's|"veto.policy/1.1"|"veto.policy/1"|' -e '/"issued":/d' \
  -e '/"revocation_roles":/d' -e 's|"removal_requires": \["owner"\],|"removal_requires": ["owner"]|' \
  policy.json >policy-v1.json

# The plant: every member of a veto.policy/1.1 but time_floor_reset.
{ printf 'acme line-ctl-4 firmware 4.1.0\n'; head -c 4096 /dev/zero; } >plant-4.1.0.bin
printf '{"format": "veto.update/1", "vendor": "acme", "model": "line-ctl-4", "version": "4.1.0", "security_counter": 31, "image": {"size": %d, "sha256": "%s"}, "features": ["modbus-tcp", "local-hmi"]}\n' \
  "$(wc -c <plant-4.1.0.bin)" "$(sha256sum plant-4.1.0.bin | cut -d' ' -f1)" >plant-4.1.0.json
v policy new --device acme/line-ctl-4 --serial 12 --issued 2026-11-20T10:00:00Z \
  --expires 2027-11-20T00:00:00Z --role owner:1:owner.pub --role vendor:1:vendor.pub \
  --role auditor:1:auditor-1.pub,auditor-2.pub --role security-team:1:security.pub \
  --require vendor --require auditor --protect modbus-tcp --protect local-hmi \
  --removal-requires owner --forbid telemetry --addition-requires owner --rollback-requires owner \
  --min-security-counter 30 --max-image-size 67108864 --digest sha256 --digest blake2b-256 \
  --clock local --window mon-fri/01:30-04:00 --window sat/22:00-06:00 \
  --hold 2026-12-20T00:00:00Z/2027-01-06T00:00:00Z/fast --fast-path security-team \
  --revocation-role auditor --revocation-role vendor \
  --revoke-update "$(sha256sum plant-4.1.0.json | cut -d' ' -f1)" --reinstate-key auditor-2.pub \
  -o plant-policy.json

# --- the vendor's release ------------------------------------------------------------
release() { # VERSION COUNTER: image-VERSION.bin and update-VERSION.json
  { printf 'acme thermo-2 firmware %s\n' "$1"; head -c 200000 /dev/zero; } >"image-$1.bin"
  cat >"update-$1.json" <<EOF
{"format": "veto.update/1",
 "vendor": "acme", "model": "thermo-2",
 "version": "$1",
 "security_counter": $2,
 "image": {"size": $(wc -c <"image-$1.bin"), "sha256": "$(sha256sum "image-$1.bin" | cut -d' ' -f1)", "blake2b-256": "$(b2sum -l 256 "image-$1.bin" | cut -d' ' -f1)"},
 "features": ["local-control", "works-with-nest@1.2", "zigbee", "matter@1.3"],
 "released": "2026-11-19T12:00:00Z"}
EOF
}
release 2.5.0 42
release 2.6.0 43
cp update-2.5.0.json update.json
v pae update.json -o update.pae
v sign --key vendor.key update.json -o update.dsse
v cosign --key auditor-1.key update.dsse
v cosign --key auditor-2.key update.dsse

# --- the auditors' revocation: 2.6.0, and auditor-3 retiring its key ------------------------
cat >revocation.json <<EOF
{"format": "veto.revocation/1",
 "device": {"vendor": "acme", "model": "thermo-2"},
 "role": "auditor",
 "updates": ["$(sha256sum update-2.6.0.json | cut -d' ' -f1)"],
 "keys": ["$(v key id auditor-3.pub)"]}
EOF
v sign --key auditor-3.key revocation.json -o revocation.dsse
v cosign --key auditor-1.key revocation.dsse

# --- a device under version 1: veto.state/1 -------------------------------------------
v sign --key owner.key policy-v1.json -o policy-v1.dsse
v init --state dev1 --anchor anchor.json --security-counter 41 \
  --feature local-control --feature works-with-nest@1.2 --feature zigbee >/dev/null
v trust --state dev1 --policy policy-v1.dsse --now "$now" >/dev/null
v commit --state dev1 --update update.dsse --image image-2.5.0.bin --now "$now" >/dev/null
cp dev1/state.json state-v1.json

# --- a device under 1.1, with a device key and receipts: veto.state/1.1 -----------------
v sign --key owner.key policy.json -o policy.dsse
v init --state dev2 --anchor anchor.json --security-counter 41 \
  --feature local-control --feature works-with-nest@1.2 --feature zigbee \
  --device-key --receipt receipt-1-init.dsse --now "$now" >/dev/null
v trust --state dev2 --policy policy.dsse --revocation revocation.dsse --now "$now" \
  --receipt receipt-2-trust.dsse >/dev/null
v commit --state dev2 --update update.dsse --image image-2.5.0.bin --now "$now" \
  --receipt receipt-3-commit.dsse >/dev/null
cp dev2/device.pub device.pub
for r in receipt-1-init receipt-2-trust receipt-3-commit; do
  sed -n 's/.*"payload": "\([^"]*\)".*/\1/p' "$r.dsse" | base64 -d >"$r.json"
done
v receipt verify --key device.pub receipt-1-init.dsse receipt-2-trust.dsse \
  receipt-3-commit.dsse >receipt-verify.txt
cp dev2/state.json state-v11.json

# --- into the document ---------------------------------------------------------------
for name in $(sed -n 's/^<!-- example \([^ ]*\) -->$/\1/p' "$doc"); do
  [ -f "$name" ] || { echo "format-examples: the story made no $name, which FORMATS.md shows" >&2; exit 1; }
done
# Each `<!-- example NAME -->` line is followed by a fenced block; that block
# becomes the file NAME (a .pae or .txt file as text, anything else as json).
awk -v dir="$work" '
  function emit(name,   f, line) {
    f = dir "/" name
    print "```" ((name ~ /\.(pae|txt)$/) ? "text" : "json")
    while ((getline line < f) > 0) print line
    close(f)
    print "```"
  }
  /^<!-- example [^ ]+ -->$/ { print; name = $3; state = 1; next }
  state == 1 && /^```/ { state = 2; next }
  state == 2 { if (/^```$/) { emit(name); state = 0 } next }
  { print }
' "$doc" >"$work/FORMATS.md.new"
mv "$work/FORMATS.md.new" "$doc"
if [ -n "$keep" ]; then mkdir -p "$keep" && cp -r "$work"/. "$keep"/; fi
echo "format-examples: docs/FORMATS.md has new examples ($(grep -c '^<!-- example ' "$doc") blocks)"
