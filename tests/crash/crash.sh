#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Crash atomicity of the state directory (SPEC section 7): 'veto trust' and
# 'veto commit' (and (1.1) 'veto trust' storing revocations, alone or beside
# a new policy) are killed with SIGKILL at many instants, and after every
# kill DIR/state.json must be byte for byte the old state or the new one,
# never a torn file, never a leftover temporary file taken for the state;
# and the next command must get the lock (flock dies with its holder), see
# that same state, and be able to write over the debris.
#
# Two kinds of kill:
#   - fault injection: VETO_FAULT_AT=N makes the tool raise SIGKILL on itself
#     just before the Nth step of its atomic write (open temp, write, fsync,
#     rename, fsync dir); every N from 1 until the command runs through;
#   - random kills: 'kill -9' after a random delay drawn from a seeded RNG
#     and scaled to how long the command takes on this machine, so that
#     kills land in start-up, in the image hashing, in the write and just
#     after it.  A trial whose command finished before the kill arrived is
#     checked too but is not counted as a kill.
#
# Usage: crash.sh path/to/veto.  TAP on standard output.  Tunables (env):
#   VETO_CRASH_SEED   RNG seed (default 20261121).  Worker W draws from
#                     SEED+W: the same seed gives the same delays, as
#                     fractions of the timing measured here.
#   VETO_CRASH_KILLS  kills wanted in all, fault injection included
#                     (default 1000)
#   VETO_CRASH_JOBS   random-kill workers, each in its own directory
#                     (default 2)
# Bash and coreutils, plus cmp and sed (both Essential in Debian); no python,
# no jq.
set -u
unset VETO_FAULT_AT # only the fault-injection trials set it, one command each

VETO=${1:?usage: crash.sh path/to/veto}
case $VETO in /*) ;; *) VETO=$PWD/$VETO ;; esac
SEED=${VETO_CRASH_SEED:-20261121}
KILLS=${VETO_CRASH_KILLS:-1000}
JOBS=${VETO_CRASH_JOBS:-2}
NOW=2026-06-01T00:00:00Z
IMAGE_SIZE=$((1024 * 1024)) # hashing it keeps 'commit' busy for a few ms

T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
umask 077
shopt -s dotglob nullglob # verdict() lists DIR, dot files included

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# tap OK_FLAG DESCRIPTION: one TAP line, plus the saved diagnostics.
tap() {
	if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi
	if [ -s diag ]; then head -40 diag | sed 's/^/# /'; fi
	: >diag
}
diag() { echo "$*" >>diag; }
bail() { echo "Bail out! $*"; [ -s err ] && sed 's/^/# err: /' err | head -20; exit 2; }
: >diag

v() { "$VETO" "$@"; }

# ---------------------------------------------------------------------------
# Set-up, per SPEC formats: keys, anchor, enrolment, a policy, an update.

{ v keygen owner >/dev/null 2>err && v keygen vendor >/dev/null 2>err; } || bail "keygen"
kid() { v key id "$1.pub"; }
b64() { sed -n 's/.*"ed25519": "\([^"]*\)".*/\1/p' "$1.pub"; }
OID=$(kid owner) || bail "key id"
VID=$(kid vendor) || bail "key id"
OB=$(b64 owner) && VB=$(b64 vendor)
DEVICE='{"vendor": "acme", "model": "thermo-2"}'

printf '{"device": %s, "keys": {"%s": {"ed25519": "%s"}}, "threshold": 1}\n' \
	"$DEVICE" "$OID" "$OB" >anchor.json

# policy FILE PROTECTED: serial 1, owner and vendor roles.
policy() {
	cat >"$1" <<JSON
{"format": "veto.policy/1", "serial": 1, "expires": null,
 "device": $DEVICE,
 "keys": {"$OID": {"ed25519": "$OB"}, "$VID": {"ed25519": "$VB"}},
 "roles": {"owner": {"keys": ["$OID"], "threshold": 1},
           "vendor": {"keys": ["$VID"], "threshold": 1}},
 "require": ["vendor"],
 "protected_features": $2,
 "removal_requires": []}
JSON
}
policy policy.json '["local-control"]'
# Same serial, other bytes: trusted on a fresh device, equivocation once
# policy.json is trusted.  Tells the two states apart without writing.
policy probe-policy.json '[]'

# A large-ish image: a window for random kills while the commit hashes it.
yes 'veto crash-atomicity test image' | head -c "$IMAGE_SIZE" >img.bin
SHA=$(sha256sum img.bin | cut -d' ' -f1)
# update FILE VERSION: security counter 2 for the image above.
update() {
	printf '{"format": "veto.update/1", "vendor": "acme", "model": "thermo-2", "version": "%s",
 "security_counter": 2, "image": {"size": %s, "sha256": "%s"},
 "features": ["local-control", "zigbee"]}\n' "$2" "$IMAGE_SIZE" "$SHA" >"$1"
}
update update.json 2.0
# Counter 2 too, other bytes: accepted over counter 1, a rollback once
# update.json (counter 2) is installed.
update probe-update.json 2.0-probe

# (1.1) A veto.policy/1.1 of serial 2 whose vendor may revoke (SPEC 5.3),
# and two revocations by the vendor: one of update.json, one of a release
# this device never sees.
USHA=$(sha256sum update.json | cut -d' ' -f1)
cat >policy11.json <<JSON
{"format": "veto.policy/1.1", "serial": 2, "expires": null,
 "device": $DEVICE,
 "keys": {"$OID": {"ed25519": "$OB"}, "$VID": {"ed25519": "$VB"}},
 "roles": {"owner": {"keys": ["$OID"], "threshold": 1},
           "vendor": {"keys": ["$VID"], "threshold": 1}},
 "require": ["vendor"],
 "protected_features": ["local-control"],
 "removal_requires": [],
 "issued": "2026-05-01T00:00:00Z",
 "revocation_roles": ["vendor"]}
JSON
# revocation FILE DIGEST
revocation() {
	printf '{"format": "veto.revocation/1", "device": %s, "role": "vendor", "updates": ["%s"], "keys": []}\n' \
		"$DEVICE" "$2" >"$1"
}
revocation rev-update.json "$USHA"
revocation rev-other.json "$(printf 'another release' | sha256sum | cut -d' ' -f1)"

v sign --key owner.key policy.json -o policy.env >/dev/null 2>err || bail "sign policy"
v sign --key owner.key policy11.json -o policy11.env >/dev/null 2>err || bail "sign policy 1.1"
v sign --key vendor.key rev-update.json -o rev-update.env >/dev/null 2>err || bail "sign revocation"
v sign --key vendor.key rev-other.json -o rev-other.env >/dev/null 2>err || bail "sign revocation"
v sign --key owner.key probe-policy.json -o probe-policy.env >/dev/null 2>err || bail "sign probe policy"
v sign --key vendor.key update.json -o update.env >/dev/null 2>err || bail "sign update"
v sign --key vendor.key probe-update.json -o probe-update.env >/dev/null 2>err || bail "sign probe update"

# Enrolled, no policy yet (s0); then policy.json trusted (s1).
v init --state s0 --anchor anchor.json --security-counter 1 --feature local-control \
	>/dev/null 2>err || bail "init"
cp -a s0 s1 || bail "cp"
v trust --state s1 --policy policy.env --now "$NOW" >/dev/null 2>err || bail "trust without faults"
# (1.1) s2: policy11.json trusted, no revocation stored yet.
cp -a s1 s2 || bail "cp"
v trust --state s2 --policy policy11.env --now "$NOW" >/dev/null 2>err || bail "trust policy 1.1"

# The scenarios: the command, the directory it starts from, and the probe
# that tells old from new with a check (never a write).
#   trust:         s0 -> policy.json trusted
#   commit:        s1 -> update.json installed under the stored policy
#   commit-policy: s0 -> policy.json and update.json in one write
#   trust-rev:     (1.1) s2 -> two revocations stored, one of update.json
#   trust-rev-policy: (1.1) s1 -> policy11.json and two revocations in one
#                  write
SCEN=(trust commit commit-policy trust-rev trust-rev-policy)
declare -A FROM CMD PROBE PROBE_NEW_WORD
FROM[trust]=s0
CMD[trust]="trust --policy policy.env --now $NOW"
PROBE[trust]="check --policy probe-policy.env --update update.env --now $NOW"
PROBE_NEW_WORD[trust]=policy-equivocation
FROM[commit]=s1
CMD[commit]="commit --update update.env --image img.bin --now $NOW"
PROBE[commit]="check --update probe-update.env --now $NOW"
PROBE_NEW_WORD[commit]=rollback
FROM[commit-policy]=s0
CMD[commit-policy]="commit --policy policy.env --update update.env --image img.bin --now $NOW"
PROBE[commit-policy]="check --policy probe-policy.env --update update.env --now $NOW"
PROBE_NEW_WORD[commit-policy]=policy-equivocation
FROM[trust-rev]=s2
CMD[trust-rev]="trust --revocation rev-update.env --revocation rev-other.env --now $NOW"
PROBE[trust-rev]="check --update update.env --now $NOW"
PROBE_NEW_WORD[trust-rev]=update-revoked
FROM[trust-rev-policy]=s1
CMD[trust-rev-policy]="trust --policy policy11.env --revocation rev-other.env --revocation rev-update.env --now $NOW"
PROBE[trust-rev-policy]="check --update update.env --now $NOW"
PROBE_NEW_WORD[trust-rev-policy]=update-revoked

# The expected states: old = the start, new = the same command run once
# without faults in a copy of the directory.
setup_ok=0
for s in "${SCEN[@]}"; do
	cp "${FROM[$s]}/state.json" "old-$s.json"
	rm -rf ref && cp -a "${FROM[$s]}" ref
	# shellcheck disable=SC2086 # CMD holds several words on purpose
	if ! v ${CMD[$s]} --state ref >out 2>err; then
		diag "$s: the command fails without faults:"; sed 's/^/  /' err >>diag
		setup_ok=1; continue
	fi
	cp ref/state.json "new-$s.json"
	if cmp -s "old-$s.json" "new-$s.json"; then
		diag "$s: the command did not change state.json"; setup_ok=1
	fi
done
rm -rf ref
# (1.1) what those two store: both revocations, under the vendor role
for s in trust-rev trust-rev-policy; do
	if ! grep -q '"revocations": {"vendor": {"updates": \["' "new-$s.json" ||
		! grep -q "\"$USHA\"" "new-$s.json"; then
		diag "$s: the new state does not hold the revocations"; setup_ok=1
	fi
done
tap $setup_ok "set-up: keys, anchor, init, policy (veto sign), update of a $IMAGE_SIZE-byte image, (1.1) a policy and revocations; expected old and new state of trust, commit, commit --policy, trust --revocation, trust --policy --revocation"
[ "$setup_ok" -eq 0 ] || { echo "1..$n"; exit 1; }

# ---------------------------------------------------------------------------
# What every trial checks.  Each helper keeps its output in DIR.out and
# DIR.err, so that workers in different directories do not mix them.

# verdict S DIR: sets VERDICT to old or new when DIR/state.json is byte for
# byte one of the two expected files, else to a description; any file in
# DIR but state.json, .lock and the one temporary file is an error too.
verdict() {
	local s=$1 d=$2 f
	if cmp -s "$d/state.json" "old-$s.json"; then
		VERDICT=old
	elif cmp -s "$d/state.json" "new-$s.json"; then
		VERDICT=new
	elif [ -e "$d/state.json" ]; then
		VERDICT="torn ($(wc -c <"$d/state.json") bytes, neither old nor new)"
	else
		VERDICT="state.json missing"
	fi
	for f in "$d"/*; do
		case ${f##*/} in
			state.json | .lock | .state.json.tmp) ;;
			*) VERDICT="$VERDICT; stray file ${f##*/}" ;;
		esac
	done
}

# probe S DIR: the next command after a kill, a check that never writes.
# It must take the lock (under timeout: a lock left held would hang it),
# read the state and see the one that cmp saw: the probe documents are
# accepted over the old state and refused over the new one.  Sets SEEN to
# old or new, or to a description.
probe() {
	local s=$1 d=$2 rc text=""
	# shellcheck disable=SC2086 # PROBE holds several words on purpose
	timeout 60 "$VETO" ${PROBE[$s]} --state "$d" >"$d.out" 2>"$d.err"
	rc=$?
	IFS= read -r -d '' text <"$d.out"
	case $rc in
		0) SEEN=old ;;
		1) if [[ $text == *"${PROBE_NEW_WORD[$s]}"* ]]; then SEEN=new; else SEEN="refused: ${text//$'\n'/ }"; fi ;;
		124) SEEN="hung (lock never released?)" ;;
		*) SEEN="exit $rc: $(head -c 300 "$d.err" | tr '\n' ' ')" ;;
	esac
}

# follow S DIR: the same command run through on the killed directory,
# leftover temporary file and all: it must succeed and leave exactly the
# new state and no temporary file.  Sets FOLLOW to "" or a description.
follow() {
	local s=$1 d=$2 rc
	# shellcheck disable=SC2086
	timeout 60 "$VETO" ${CMD[$s]} --state "$d" >"$d.out" 2>"$d.err"
	rc=$?
	FOLLOW=""
	if [ "$rc" -ne 0 ]; then
		FOLLOW="exit $rc: $(head -c 300 "$d.err" | tr '\n' ' ')"
		return
	fi
	verdict "$s" "$d"
	[ "$VERDICT" = new ] || FOLLOW="left $VERDICT"
	[ -e "$d/.state.json.tmp" ] && FOLLOW="$FOLLOW; temporary file left"
}

# reset_dir S DIR: DIR back at the old state of S, with no temporary file
# (the lock file stays, as it would on a device).
declare -A DIR_FROM
reset_dir() {
	local s=$1 d=$2
	if [ ! -d "$d" ] || [ "${DIR_FROM[$d]:-}" != "${FROM[$s]}" ]; then
		rm -rf "$d" && cp -a "${FROM[$s]}" "$d"
		DIR_FROM[$d]=${FROM[$s]}
		return
	fi
	cmp -s "$d/state.json" "old-$s.json" || cp "old-$s.json" "$d/state.json"
	if [ -e "$d/.state.json.tmp" ]; then rm -f "$d/.state.json.tmp"; fi
}

# ---------------------------------------------------------------------------
# 1. Fault injection: every step of the atomic write.

FAULT_KILLS=0
for s in "${SCEN[@]}"; do
	bad=0 K=0 tmp_new=0 outcomes=""
	for ((N = 1; N <= 30; N++)); do
		reset_dir "$s" w
		# (the braces send the shell's own "Killed" notice to /dev/null)
		# shellcheck disable=SC2086
		{ VETO_FAULT_AT=$N "$VETO" ${CMD[$s]} --state w >w.out 2>w.err; } 2>/dev/null
		rc=$?
		if [ "$rc" -eq 0 ]; then
			verdict "$s" w
			[ "$VERDICT" = new ] || { diag "$s: VETO_FAULT_AT=$N ran through but left $VERDICT"; bad=1; }
			break
		fi
		if [ "$rc" -ne 137 ]; then
			diag "$s: VETO_FAULT_AT=$N: exit $rc, not SIGKILL: $(head -c 300 w.err | tr '\n' ' ')"
			bad=1
			break
		fi
		K=$N
		FAULT_KILLS=$((FAULT_KILLS + 1))
		verdict "$s" w
		outcomes="$outcomes $N:$VERDICT"
		if [ "$VERDICT" != old ] && [ "$VERDICT" != new ]; then
			diag "$s: killed at step $N: $VERDICT"; bad=1
		fi
		# A temporary file that already holds the whole new state is
		# the trap: it must not be what the next command reads.
		cmp -s w/.state.json.tmp "new-$s.json" 2>/dev/null && tmp_new=$((tmp_new + 1))
		probe "$s" w
		if [ "$SEEN" != "$VERDICT" ]; then
			diag "$s: killed at step $N, state.json is $VERDICT but the next command saw $SEEN"; bad=1
		fi
		follow "$s" w
		[ -z "$FOLLOW" ] || { diag "$s: killed at step $N, then the command again: $FOLLOW"; bad=1; }
	done
	[ "$K" -ge 5 ] || { diag "$s: only $K fault steps before the command ran through (want the 5 of the atomic write)"; bad=1; }
	[ "$N" -le 30 ] || { diag "$s: still killed at VETO_FAULT_AT=30"; bad=1; }
	tap $bad "fault injection, $s: VETO_FAULT_AT=1..$K each killed the command; state.json old or new byte for byte every time ($tmp_new kills left a temp file holding the whole new state, never read as the state); the next check took the lock and saw that state; the command run again wrote the new state and no temp file"
	# Before the rename, the old state; after it (the directory fsync
	# is the last step), the new one.
	want=""
	for ((i = 1; i <= K; i++)); do
		if [ "$i" -lt "$K" ]; then want="$want $i:old"; else want="$want $i:new"; fi
	done
	[ "$outcomes" = "$want" ] || diag "$s: got$outcomes, want$want"
	tap "$([ "$outcomes" = "$want" ]; echo $?)" "fault injection, $s: steps 1..$((K - 1)) (before the rename) left the old state, step $K (after it) the new one"
done

# ---------------------------------------------------------------------------
# 2. Random kills: kill -9 after a seeded random delay.

# A timer without a process per sleep: read -t on a FIFO nobody writes.
mkfifo timer.fifo || bail "mkfifo"
exec {TIMER}<>timer.fifo
pause_us() { # microseconds
	[ "$1" -gt 0 ] || return 0
	local t
	printf -v t "%d.%06d" $(($1 / 1000000)) $(($1 % 1000000))
	read -r -t "$t" -u "$TIMER" _
	return 0
}
# NOW_US: the time in microseconds, without a subshell.
now_us() { local t=${EPOCHREALTIME/[.,]/}; NOW_US=$((10#$t)); }
# rnd N: R = 0..N-1, drawn in this shell (a subshell would reseed RANDOM).
rnd() { R=$(((RANDOM << 15 | RANDOM) % $1)); }

# How long each command runs here, start-up to exit (the median of
# three), so that the delays cover its whole life wherever the test runs:
# ASan builds and loaded machines are slower.
declare -A SPAN
for s in "${SCEN[@]}"; do
	times=()
	for i in 1 2 3; do
		reset_dir "$s" w
		now_us; t0=$NOW_US
		# shellcheck disable=SC2086
		"$VETO" ${CMD[$s]} --state w >/dev/null 2>&1 {TIMER}<&- &
		wait $!
		now_us; times+=($((NOW_US - t0)))
	done
	mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
	SPAN[$s]=${sorted[1]}
done

# random_worker W QUOTA: kills until QUOTA commands died, in directory rW,
# with seed SEED+W; writes its counts to rW.stats, problems to rW.diag.
random_worker() {
	local wk=$1 quota=$2 d=r$1 i s span delay rc pid tmp
	local kills=0 tmps=0 follows=0 follows_tmp=0 bad_state=0 bad_probe=0 bad_follow=0
	local -A trials killed ran old new tmpleft dmin dmax spans
	local late
	for s in "${SCEN[@]}"; do
		spans[$s]=${SPAN[$s]}
		trials[$s]=0 killed[$s]=0 ran[$s]=0 old[$s]=0 new[$s]=0 tmpleft[$s]=0
		dmin[$s]=999999999 dmax[$s]=0
	done
	: >"$d.diag"
	RANDOM=$((SEED + wk))
	for ((i = 0; kills < quota && i < 3 * quota + 30; i++)); do
		s=${SCEN[i % ${#SCEN[@]}]}
		span=${spans[$s]}
		# Half the delays anywhere in the command's life, half in its
		# last stretch [0.6, 1.05 x span], where the write happens.
		late=$((RANDOM & 1))
		if [ "$late" -eq 0 ]; then
			rnd $((span + 1)); delay=$R
		else
			rnd $((span * 45 / 100 + 1)); delay=$((span * 6 / 10 + R))
		fi
		[ "$delay" -lt "${dmin[$s]}" ] && dmin[$s]=$delay
		[ "$delay" -gt "${dmax[$s]}" ] && dmax[$s]=$delay
		reset_dir "$s" "$d"
		# shellcheck disable=SC2086
		"$VETO" ${CMD[$s]} --state "$d" >/dev/null 2>"$d.err" {TIMER}<&- &
		pid=$!
		pause_us "$delay"
		kill -9 "$pid" 2>/dev/null
		{ wait "$pid"; } 2>/dev/null
		rc=$?
		trials[$s]=$((trials[$s] + 1))
		verdict "$s" "$d"
		if [ "$rc" -eq 0 ]; then
			# Finished before the kill: not a kill, but still the new state.
			# The machine got faster than measured: aim earlier.
			spans[$s]=$((span * 9 / 10 + 1))
			ran[$s]=$((ran[$s] + 1))
			[ "$VERDICT" = new ] || { echo "#$i $s: ran through but left $VERDICT" >>"$d.diag"; bad_state=1; }
			continue
		fi
		if [ "$rc" -ne 137 ]; then
			echo "#$i $s (${delay}us): exit $rc: $(head -c 200 "$d.err" | tr '\n' ' ')" >>"$d.diag"
			bad_state=1
			continue
		fi
		kills=$((kills + 1))
		killed[$s]=$((killed[$s] + 1))
		case $VERDICT in
			old) old[$s]=$((old[$s] + 1)) ;;
			new) new[$s]=$((new[$s] + 1)) ;;
			*) echo "#$i $s (${delay}us): $VERDICT" >>"$d.diag"; bad_state=1 ;;
		esac
		tmp=0
		if [ -e "$d/.state.json.tmp" ]; then
			tmp=1 tmps=$((tmps + 1)) tmpleft[$s]=$((tmpleft[$s] + 1))
		fi
		# A late kill that found the write not begun: the machine got
		# slower than measured, aim later.
		if [ "$late" -eq 1 ] && [ "$VERDICT" = old ] && [ "$tmp" -eq 0 ]; then
			spans[$s]=$((span + span / 20 + 1))
		fi
		probe "$s" "$d"
		if [ "$SEEN" != "$VERDICT" ]; then
			echo "#$i $s (${delay}us): state.json is $VERDICT, the next command saw $SEEN" >>"$d.diag"
			bad_probe=1
		fi
		# The command again on one in three directories with a
		# leftover temporary file (each one costs two fsyncs), and
		# after one kill in twenty.
		if { [ "$tmp" -eq 1 ] && [ $((tmps % 3)) -eq 1 ]; } || [ $((kills % 20)) -eq 0 ]; then
			follows=$((follows + 1)) follows_tmp=$((follows_tmp + tmp))
			follow "$s" "$d"
			[ -z "$FOLLOW" ] || { echo "#$i $s: the command again: $FOLLOW" >>"$d.diag"; bad_follow=1; }
		fi
	done
	{
		echo "total $i $kills $follows $bad_state $bad_probe $bad_follow $follows_tmp"
		for s in "${SCEN[@]}"; do
			echo "$s ${trials[$s]} ${killed[$s]} ${ran[$s]} ${old[$s]} ${new[$s]} ${tmpleft[$s]} ${dmin[$s]} ${dmax[$s]}"
		done
	} >"$d.stats"
}

want=$((KILLS - FAULT_KILLS))
[ "$want" -ge 0 ] || want=0
now_us; t_start=$NOW_US
for ((wk = 0; wk < JOBS; wk++)); do
	# Worker wk kills its share, the first ones taking the remainder.
	random_worker "$wk" $((want / JOBS + (wk < want % JOBS ? 1 : 0))) &
done
wait
now_us; t_end=$NOW_US

# Sum the workers' counts.
declare -A S_TRIALS S_KILLED S_RAN S_OLD S_NEW S_TMP S_MIN S_MAX
for s in "${SCEN[@]}"; do
	S_TRIALS[$s]=0 S_KILLED[$s]=0 S_RAN[$s]=0 S_OLD[$s]=0 S_NEW[$s]=0 S_TMP[$s]=0
	S_MIN[$s]=999999999 S_MAX[$s]=0
done
n_trials=0 rkills=0 follows=0 follows_tmp=0 bad_state=0 bad_probe=0 bad_follow=0 missing=0
for ((wk = 0; wk < JOBS; wk++)); do
	if [ ! -s "r$wk.stats" ]; then
		diag "random worker $wk left no counts"; missing=1; continue
	fi
	while read -r key a b c d e f g h; do
		if [ "$key" = total ]; then
			n_trials=$((n_trials + a)) rkills=$((rkills + b)) follows=$((follows + c)) follows_tmp=$((follows_tmp + g))
			bad_state=$((bad_state | d)) bad_probe=$((bad_probe | e)) bad_follow=$((bad_follow | f))
			continue
		fi
		S_TRIALS[$key]=$((S_TRIALS[$key] + a)) S_KILLED[$key]=$((S_KILLED[$key] + b))
		S_RAN[$key]=$((S_RAN[$key] + c)) S_OLD[$key]=$((S_OLD[$key] + d))
		S_NEW[$key]=$((S_NEW[$key] + e)) S_TMP[$key]=$((S_TMP[$key] + f))
		[ "$g" -lt "${S_MIN[$key]}" ] && S_MIN[$key]=$g
		[ "$h" -gt "${S_MAX[$key]}" ] && S_MAX[$key]=$h
	done <"r$wk.stats"
done
summary=""
for s in "${SCEN[@]}"; do
	summary="$summary; $s: ${S_KILLED[$s]} killed (old ${S_OLD[$s]}, new ${S_NEW[$s]}, temp left ${S_TMP[$s]}), ${S_RAN[$s]} finished first, delays ${S_MIN[$s]}..${S_MAX[$s]}us, run measured at ${SPAN[$s]}us"
done
for ((wk = 0; wk < JOBS; wk++)); do
	[ -s "r$wk.diag" ] && cat "r$wk.diag" >>diag
done
tap $((bad_state | missing)) "random kills (seed $SEED, $JOBS workers, $n_trials trials in $(((t_end - t_start) / 1000)) ms): state.json old or new byte for byte after every one${summary}"
tap $bad_probe "random kills: after each of the $rkills, the next check took the lock (no hang) and saw the state that cmp saw"
tap $bad_follow "random kills: the command run again on $follows of the killed directories ($follows_tmp of them with a temp file left) wrote exactly the new state and removed the temp file"

TOTAL=$((FAULT_KILLS + rkills))
tap "$([ "$TOTAL" -ge "$KILLS" ]; echo $?)" "$TOTAL commands killed in all ($FAULT_KILLS by fault injection, $rkills at random; $KILLS wanted)"

echo "1..$n"
[ "$failed" -eq 0 ]
