#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Durability of the state directory across a power loss (SPEC section 7),
# by the ALICE / CrashMonkey method: 'veto init', 'veto trust' and
# 'veto commit' ((1.1) and 'veto trust' storing revocations, alone or beside
# a new policy) run once each under an LD_PRELOAD recorder (recorder.c) that
# logs their every file operation under a scratch root; the replayer
# (replay.c) builds every on-disk state a power cut could leave at every
# point of that log (unflushed data and unflushed directory entries lost;
# the model is in replay.c and docs/HARDENING.md); and each such state is
# checked here:
#   - DIR/state.json is byte for byte the old state or the new one (for
#     init: absent, or the new one), and DIR holds nothing else but .lock
#     and the one temporary file;
#   - the tool itself, run on that directory (a check, which never writes),
#     sees that same state: it neither refuses it as corrupt nor hangs;
#   - the command run again on it succeeds and leaves the new state and no
#     temporary file (init: only where the old state was found).
# Before any of that, the log is checked against reality: replaying all of
# it must give exactly the directory the command left, so that no change
# went unrecorded.
#
# Usage: powerloss.sh VETO RECORDER.so REPLAY.  TAP on standard output, one
# line per crash point of each scenario.  Bash, coreutils, cmp, diff, sed.
set -u

abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
REC=$(abs "${2:?usage: powerloss.sh VETO RECORDER REPLAY}")
REPLAY=$(abs "${3:?usage: powerloss.sh VETO RECORDER REPLAY}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/cli/lib.sh
. "$HERE/../cli/lib.sh" "$1" # TAP helpers, key and document makers; cd "$T"
umask 077 # a state directory writable by others is refused
T=$(pwd -P) # the recorder matches paths without resolving links
shopt -s dotglob nullglob

bail() { echo "Bail out! $*"; [ -s err ] && sed 's/^/# err: /' err | head -20; exit 2; }
: >diag
diag() { echo "$*" >>diag; }
tap() { # OK_FLAG DESCRIPTION, then the saved diagnostics
	if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi
	[ -s diag ] && head -40 diag | sed 's/^/# /'
	: >out; : >err
	: >diag
}

# A binary built with AddressSanitizer must have its runtime first among
# the loaded libraries; the recorder goes after it.  (The recorder is built
# with the same options as veto, sanitizers included.)
PRELOAD=$REC
asan=$(ldd "$VETO" 2>/dev/null | sed -n 's/^[[:space:]]*libasan[^ ]* => \([^ ]*\) .*/\1/p')
[ -n "$asan" ] && PRELOAD="$asan:$REC"

# ---------------------------------------------------------------------------
# Fixtures, made with the tool (lib.sh): keys, anchor, policies, updates.

newkey owner
newkey vendor
anchor anchor.json owner
PROTECTED='["local-control"]' policy policy.json 1 owner vendor
# Same serial, other bytes: trusted where no policy is, equivocation once
# policy.json is trusted.  Tells old from new without writing.
policy probe-policy.json 1 owner vendor
yes 'veto power-loss test image' | head -c 65536 >img.bin
update update.json 2 '["local-control", "zigbee"]'
# Counter 2 too, other bytes: accepted over counter 1, a rollback once
# update.json is installed.
update probe-update.json 2 '["local-control"]'
sign policy.env policy.json owner
sign probe-policy.env probe-policy.json owner
sign update.env update.json vendor
sign probe-update.env probe-update.json vendor
# (1.1) A veto.policy/1.1 of serial 2 whose vendor may revoke (SPEC 5.3),
# and the vendor's revocations of update.json and of another release.
PROTECTED='["local-control"]' policy policy11.tmp 2 owner vendor
sed -e 's|"veto.policy/1"|"veto.policy/1.1"|' \
	-e '$s|}$|, "issued": "2026-05-01T00:00:00Z", "revocation_roles": ["vendor"]}|' policy11.tmp >policy11.json
revocation() { # FILE DIGEST
	printf '{"format": "veto.revocation/1", "device": {"vendor": "acme", "model": "thermo-2"}, "role": "vendor", "updates": ["%s"], "keys": []}\n' "$2" >"$1"
}
revocation rev-update.json "$(sha256sum update.json | cut -d' ' -f1)"
revocation rev-other.json "$(printf 'another release' | sha256sum | cut -d' ' -f1)"
sign policy11.env policy11.json owner
sign rev-update.env rev-update.json vendor
sign rev-other.env rev-other.json vendor

ENROL="--anchor anchor.json --security-counter 1 --feature local-control"
# shellcheck disable=SC2086 # ENROL holds several words on purpose
veto init --state s0 $ENROL >/dev/null 2>err || bail "init"
cp -a s0 s1 || bail "cp"
veto trust --state s1 --policy policy.env --now "$NOW" >/dev/null 2>err || bail "trust"
cp -a s1 s2 || bail "cp"
veto trust --state s2 --policy policy11.env --now "$NOW" >/dev/null 2>err || bail "trust 1.1"
# The debris of an earlier crash: a leftover temporary file, and for init a
# directory that holds nothing else (both are the tool's own leftovers).
cp -a s1 s1-debris && printf 'half a state' >s1-debris/.state.json.tmp
mkdir e-debris && : >e-debris/.lock && printf '{"form' >e-debris/.state.json.tmp

# Scenarios: the directory the command starts from ("" = none), the
# command, the probe and how it tells old from new.
SCEN=(init init-debris trust commit commit-policy commit-debris trust-rev trust-rev-policy)
declare -A FROM CMD PROBE
FROM[init]="" CMD[init]="init $ENROL"
FROM[init-debris]=e-debris CMD[init-debris]="init $ENROL"
FROM[trust]=s0 CMD[trust]="trust --policy policy.env --now $NOW"
FROM[commit]=s1 CMD[commit]="commit --update update.env --image img.bin --now $NOW"
FROM[commit-policy]=s0
CMD[commit-policy]="commit --policy policy.env --update update.env --image img.bin --now $NOW"
FROM[commit-debris]=s1-debris CMD[commit-debris]=${CMD[commit]}
FROM[trust-rev]=s2 CMD[trust-rev]="trust --revocation rev-update.env --revocation rev-other.env --now $NOW"
FROM[trust-rev-policy]=s1
CMD[trust-rev-policy]="trust --policy policy11.env --revocation rev-other.env --revocation rev-update.env --now $NOW"
for s in init init-debris; do PROBE[$s]="check --policy policy.env --update update.env --now $NOW"; done
for s in trust commit-policy; do PROBE[$s]="check --policy probe-policy.env --update update.env --now $NOW"; done
for s in commit commit-debris; do PROBE[$s]="check --update probe-update.env --now $NOW"; done
for s in trust-rev trust-rev-policy; do PROBE[$s]="check --update update.env --now $NOW"; done

# probe S DIR: sets SEEN to what the tool makes of DIR: old, new or a
# description.  Never writes but the lock file.
probe() {
	local s=$1 d=$2 rc text
	# shellcheck disable=SC2086 # PROBE holds several words on purpose
	timeout 60 "$VETO" ${PROBE[$s]} --state "$d" >probe.out 2>probe.err
	rc=$?
	text=$(tr '\n' ' ' <probe.out; tr '\n' ' ' <probe.err)
	case $s:$rc in
		init*:0 | trust:1 | commit-policy:1 | commit*:1 | trust-rev*:1) SEEN=new ;;
		trust:0 | commit*:0 | trust-rev*:0) SEEN=old ;;
		*) SEEN="exit $rc: ${text:0:300}" ;;
	esac
	case $s:$rc in
		trust:1 | commit-policy:1) [[ $text == *policy-equivocation* ]] || SEEN="refused: ${text:0:300}" ;;
		commit:1 | commit-debris:1) [[ $text == *rollback* ]] || SEEN="refused: ${text:0:300}" ;;
		trust-rev*:1) [[ $text == *update-revoked* ]] || SEEN="refused: ${text:0:300}" ;;
		# Not enrolled: no directory, or one without state.json (the
		# tool refuses every update there until init runs again).
		init*:2) [[ $text == *"cannot open state directory"* ]] && SEEN=old ;;
		init*:1) [[ $text == *"state.json is missing"* ]] && SEEN=old ;;
	esac
	return 0
}

# verdict S ROOT: sets VERDICT to old or new when ROOT/s/state.json is
# byte for byte one of them, else to a description; stray entries too.
verdict() {
	local s=$1 d=$2/s f
	if [ -e "$d/state.json" ] && cmp -s "$d/state.json" "new-$s.json"; then
		VERDICT=new
	elif [ -f "old-$s.json" ] && cmp -s "$d/state.json" "old-$s.json"; then
		VERDICT=old
	elif [ ! -f "old-$s.json" ] && [ ! -e "$d/state.json" ]; then
		VERDICT=old
	elif [ -e "$d/state.json" ]; then
		VERDICT="torn state.json ($(wc -c <"$d/state.json") bytes, neither old nor new)"
	else
		VERDICT="state.json missing"
	fi
	for f in "$2"/*; do
		[ "${f##*/}" = s ] || VERDICT="$VERDICT; stray ${f##*/}"
	done
	for f in "$d"/*; do
		case ${f##*/} in
			state.json | .lock | .state.json.tmp) ;;
			*) VERDICT="$VERDICT; stray s/${f##*/}" ;;
		esac
	done
	return 0
}

# follow S ROOT: the command again; sets FOLLOW to "" or a description.
follow() {
	local s=$1 d=$2 rc
	# shellcheck disable=SC2086
	timeout 60 "$VETO" ${CMD[$s]} --state "$d/s" >follow.out 2>follow.err
	rc=$?
	FOLLOW=""
	if [ "$rc" -ne 0 ]; then
		FOLLOW="exit $rc: $(head -c 300 follow.err | tr '\n' ' ')"
		return 0
	fi
	verdict "$s" "$d"
	[ "$VERDICT" = new ] || FOLLOW="left $VERDICT"
	[ -e "$d/s/.state.json.tmp" ] && FOLLOW="$FOLLOW; temporary file left"
	return 0
}

# ---------------------------------------------------------------------------
# Record, replay, check.

T_OPS=0 T_POINTS=0 T_COMBOS=0 T_STATES=0 T_RUNS=0
for s in "${SCEN[@]}"; do
	root=$T/root-$s
	mkdir "$root" || bail mkdir
	if [ -n "${FROM[$s]}" ]; then cp -a "${FROM[$s]}" "$root/s" || bail cp; fi
	cp -a "$root" "snap-$s" || bail cp
	[ -f "$root/s/state.json" ] && cp "$root/s/state.json" "old-$s.json"
	# The reference: the command run plainly on a copy.
	cp -a "$root" "ref-$s" || bail cp
	# shellcheck disable=SC2086
	"$VETO" ${CMD[$s]} --state "ref-$s/s" >out 2>err || bail "$s without the recorder"
	cp "ref-$s/s/state.json" "new-$s.json"

	bad=0
	# shellcheck disable=SC2086
	VETO_REC_ROOT=$root VETO_REC_LOG=$T/log-$s LD_PRELOAD=$PRELOAD \
		"$VETO" ${CMD[$s]} --state "$root/s" >out 2>err
	rc=$?
	[ "$rc" -eq 0 ] || { diag "$s: exit $rc under the recorder: $(head -c 300 err)"; bad=1; }
	cmp -s "$root/s/state.json" "new-$s.json" || { diag "$s: under the recorder, state.json differs from the plain run's"; bad=1; }
	"$REPLAY" "log-$s" "snap-$s" "out-$s" >"points-$s" 2>err
	rc=$?
	[ "$rc" -eq 0 ] || { diag "$s: the replayer refused the log: $(cat err)"; bad=1; }
	# Every recorded change applied must give what the command left.
	if [ "$rc" -eq 0 ] && ! diff -r "out-$s/final" "$root" >err 2>&1; then
		diag "$s: the log does not account for every change the command made:"
		sed 's/^/  /' err | head -10 >>diag
		bad=1
	fi
	read -r _ ops points combos states < <(grep '^total ' "points-$s")
	tap $bad "$s: recorded ${ops:-?} operations; replaying all of them gives exactly the directory the command left"
	[ "$bad" -eq 0 ] || continue
	T_OPS=$((T_OPS + ops)) T_POINTS=$((T_POINTS + points))
	T_COMBOS=$((T_COMBOS + combos)) T_STATES=$((T_STATES + states))

	last=$(grep '^point ' "points-$s" | tail -1 | cut -d' ' -f2)
	while read -r kind k nstates ncombos what; do
		[ "$kind" = point ] || continue
		bad=0 outcomes=""
		for d in "out-$s/p$k"/s*; do
			verdict "$s" "$d"
			v=$VERDICT
			outcomes="$outcomes ${d##*/}:$v"
			if [ "$v" != old ] && [ "$v" != new ]; then
				diag "$s after '$what', state ${d##*/}: $v"
				for f in "$d"/s/*; do diag "  holds s/${f##*/}: $(head -c 120 "$f" | tr '\n' ' ')"; done
				bad=1
				continue
			fi
			probe "$s" "$d/s"
			T_RUNS=$((T_RUNS + 1))
			[ "$SEEN" = "$v" ] || { diag "$s after '$what', state ${d##*/}: state.json is $v but the tool saw $SEEN"; bad=1; }
			# init refuses, by design, a directory that holds a state.
			if [ "$v" = new ] && [[ $s == init* ]]; then continue; fi
			follow "$s" "$d"
			T_RUNS=$((T_RUNS + 1))
			[ -z "$FOLLOW" ] || { diag "$s after '$what', state ${d##*/} ($v), then the command again: $FOLLOW"; bad=1; }
		done
		# Once the command has said it is done, the new state must be
		# what a power cut leaves: durability, not only atomicity.
		end=""
		if [ "$k" = "$last" ]; then
			end="; the command's last step, so only the new state may remain"
			[[ $outcomes == *:old* ]] && { diag "$s: the command finished, but a power loss may still bring back the old state"; bad=1; }
		fi
		tap $bad "$s, power lost after #$k '$what': $nstates distinct states ($ncombos combinations):$outcomes; each read by the tool as such, the command again completes$end"
	done <"points-$s"
done

# ---------------------------------------------------------------------------
# Negative controls: the same logs with one flush taken out must fail the
# checks above, or the replay would prove nothing.

# replay_outcomes S LOG: VERDICT of every state of every point, one a line
# ("K VERDICT"), in outcomes.txt.
replay_outcomes() {
	rm -rf ctl-out && "$REPLAY" "$2" "snap-$1" ctl-out >ctl-points 2>err || return 1
	: >outcomes.txt
	local d
	for d in ctl-out/p*/s*; do
		verdict "$1" "$d"
		d=${d#ctl-out/p}
		echo "${d%%/*} $VERDICT" >>outcomes.txt
	done
}
for s in trust commit; do
	# Without the fsync of the temporary file (the first fsync after a
	# write), the rename can reach the disk before the data.
	awk '/^write /{w=1} w==1 && /^fsync /{w=2; next} {print}' "log-$s" >ctl-log
	bad=0
	if ! replay_outcomes "$s" ctl-log; then
		diag "replayer: $(cat err)"; bad=1
	elif ! grep -q 'torn state.json (0 bytes' outcomes.txt; then
		diag "no empty state.json among: $(cut -d' ' -f2- outcomes.txt | sort | uniq -c | tr '\n' ' ')"; bad=1
	fi
	tap $bad "control, $s without its file fsync: the replay finds the empty state.json that a rename reaching the disk before the data leaves"
	# Without the last fsync of the directory, the command ends with the
	# rename still in the page cache.
	line=$(grep -n "^fsync " "log-$s" | tail -1 | cut -d: -f1)
	sed "${line}d" "log-$s" >ctl-log
	bad=0
	if ! replay_outcomes "$s" ctl-log; then
		diag "replayer: $(cat err)"; bad=1
	else
		lastp=$(grep '^point ' ctl-points | tail -1 | cut -d' ' -f2)
		grep -q "^$lastp old" outcomes.txt || { diag "the last point has no old state"; bad=1; }
	fi
	tap $bad "control, $s without its directory fsync: the replay finds the old state coming back after the command finished"
done

ok "in all: $T_OPS operations recorded, $T_POINTS crash points, $T_COMBOS combinations, $T_STATES distinct states checked, $T_RUNS runs of the tool on them"
done_testing
