# SPDX-License-Identifier: Apache-2.0
# Shared by the command-line tests: TAP output, a scratch directory, and
# makers of keys and documents.  Sourced with the veto executable as $1.
set -u

VETO=${1:?usage: $0 path/to/veto}
case $VETO in /*) ;; *) VETO=$PWD/$VETO ;; esac
LIBDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
umask 022

n=0
failed=0
NOW=2026-06-01T00:00:00Z

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	[ -s out ] && sed 's/^/#   out: /' out | head -20
	[ -s err ] && sed 's/^/#   err: /' err | head -20
	return 0
}
# A case that cannot run here is not run and not counted: it says why in a
# TAP comment, and never passes as "ok ... # SKIP".
skip() { echo "# not run: $1"; }
done_testing() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }

# expect STATUS NAME CMD...: runs CMD (stdout in ./out, stderr in ./err) and
# checks its exact exit status.
expect() {
	local want=$1 name=$2; shift 2
	"$@" >out 2>err
	local got=$?
	if [ "$got" -eq "$want" ]; then ok "$name"; else not_ok "$name (exit $got, want $want)"; fi
}
# that NAME CMD...: a test that passes when CMD succeeds (out/err kept).
that() {
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
has() { grep -q -- "$1" "${2:-out}"; }
hasnt() { ! grep -q -- "$1" "${2:-out}"; }

veto() { "$VETO" "$@"; }

# (1.1) JSON fields, read with python3 (jget.py): jf FILE PATH... prints each
# value (of a receipt envelope: of its payload); fields FILE NAME PATH=WANT...
# is one test that each PATH of FILE holds exactly WANT.
jf() { python3 "$LIBDIR/jget.py" "$@"; }
fields() {
	local f=$1 name=$2 kv i bad=""
	shift 2
	local paths=() wants=() got=()
	for kv in "$@"; do paths+=("${kv%%=*}"); wants+=("${kv#*=}"); done
	mapfile -t got < <(jf "$f" "${paths[@]}")
	for i in "${!paths[@]}"; do
		[ "${got[$i]:-}" = "${wants[$i]}" ] || bad="$bad ${paths[$i]} is ${got[$i]:-?}, want ${wants[$i]};"
	done
	if [ -z "$bad" ]; then ok "$name"; else not_ok "$name:$bad"; fi
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

# Keys: kid NAME, b64 NAME, keyent NAME ('"<keyid>": {"ed25519": "<b64>"}').
newkey() { veto keygen "$1" >/dev/null || { echo "Bail out! keygen $1"; exit 2; }; }
kid() { veto key id "$1.pub"; }
b64() { sed -n 's/.*"ed25519": "\([^"]*\)".*/\1/p' "$1.pub"; }
keyent() { printf '"%s": {"ed25519": "%s"}' "$(kid "$1")" "$(b64 "$1")"; }
# idlist "a,b" -> "<id a>", "<id b>"
idlist() {
	local IFS=, sep="" k
	for k in $1; do printf '%s"%s"' "$sep" "$(kid "$k")"; sep=", "; done
}
keyents() {
	local IFS=, sep="" k seen=","
	for k in $1; do
		case $seen in *",$k,"*) continue ;; esac
		seen="$seen$k,"; printf '%s%s' "$sep" "$(keyent "$k")"; sep=", "
	done
}

# anchor FILE OWNERS [THRESHOLD]
anchor() {
	printf '{"device": {"vendor": "%s", "model": "%s"}, "keys": {%s}, "threshold": %s}\n' \
		"${DEV_VENDOR:-acme}" "${DEV_MODEL:-thermo-2}" "$(keyents "$2")" "${3:-1}" >"$1"
}

# policy FILE SERIAL OWNERS VENDORS [AUDITORS [AUDITOR_THRESHOLD]]
# Tunables: EXPIRES (JSON value), PROTECTED, REMOVAL (JSON arrays), OWNER_THR,
# DEV_VENDOR, DEV_MODEL.  Auditors, when given, are required.
policy() {
	local file=$1 serial=$2 owners=$3 vendors=$4 auditors=${5:-} athr=${6:-1}
	local all="$owners,$vendors" roles require='["vendor"]' expires=${EXPIRES:-}
	[ -n "$expires" ] || expires='"2030-01-01T00:00:00Z"'
	roles=$(printf '"owner": {"keys": [%s], "threshold": %s}, "vendor": {"keys": [%s], "threshold": 1}' \
		"$(idlist "$owners")" "${OWNER_THR:-1}" "$(idlist "$vendors")")
	if [ -n "$auditors" ]; then
		all="$all,$auditors"
		roles="$roles, $(printf '"auditor": {"keys": [%s], "threshold": %s}' "$(idlist "$auditors")" "$athr")"
		require='["vendor", "auditor"]'
	fi
	cat >"$file" <<JSON
{"format": "veto.policy/1", "serial": $serial, "expires": $expires,
 "device": {"vendor": "${DEV_VENDOR:-acme}", "model": "${DEV_MODEL:-thermo-2}"},
 "keys": {$(keyents "$all")},
 "roles": {$roles},
 "require": $require,
 "protected_features": ${PROTECTED:-[]},
 "removal_requires": ${REMOVAL:-[]}}
JSON
}

# update FILE COUNTER FEATURES_JSON [REMOVES_JSON]: manifest of image $IMG.
update() {
	local size sha
	size=$(wc -c <"${IMG:-img.bin}" | tr -d ' ')
	sha=$(sha256sum "${IMG:-img.bin}" | cut -d' ' -f1)
	{
		printf '{"format": "veto.update/1", "vendor": "%s", "model": "%s", "version": "%s",\n' \
			"${DEV_VENDOR:-acme}" "${DEV_MODEL:-thermo-2}" "v$2"
		printf ' "security_counter": %s, "image": {"size": %s, "sha256": "%s"},\n' "$2" "$size" "$sha"
		printf ' "features": %s' "$3"
		[ -n "${4:-}" ] && printf ', "removes": %s' "$4"
		printf '}\n'
	} >"$1"
}

# sign OUT PAYLOAD KEY [COSIGNER...]: an envelope signed by all of them.
sign() {
	local out=$1 payload=$2 key=$3; shift 3
	veto sign --key "$key.key" "$payload" -o "$out" || { echo "Bail out! sign $payload"; exit 2; }
	local k
	for k in "$@"; do
		veto cosign --key "$k.key" "$out" 2>/dev/null || { echo "Bail out! cosign $out"; exit 2; }
	done
}
