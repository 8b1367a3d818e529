#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The state survives a crash at every step of its atomic write
# (VETO_FAULT_AT kills the process with SIGKILL just before step N of
# {create temp, write, fsync, rename, fsync dir}), and the lock serialises
# commands on one state directory.
. "$(dirname "$0")/lib.sh"

newkey owner; newkey vendor
head -c 70000 /dev/urandom >img.bin
anchor anchor.json owner
policy pol.json 1 owner vendor;              sign pol.dsse pol.json owner
update u3.json 3 '["zigbee"]';               sign u3.dsse u3.json vendor
veto init --state base --anchor anchor.json >/dev/null
veto trust --state base --policy pol.dsse --now $NOW >/dev/null || { echo "Bail out! trust"; exit 2; }
veto commit --state base --update u3.dsse --image img.bin --now $NOW >/dev/null || { echo "Bail out! commit"; exit 2; }
cp base/state.json new.json
# The same state before the commit.
veto init --state old --anchor anchor.json >/dev/null
veto trust --state old --policy pol.dsse --now $NOW >/dev/null
cp old/state.json old.json

for step in 1 2 3 4 5; do
	rm -rf s; cp -a old s
	# In a subshell whose stderr takes bash's "Killed" report.
	(
		VETO_FAULT_AT=$step "$VETO" commit --state s --update u3.dsse --image img.bin --now $NOW >out 2>err
		echo $? >rc
	) 2>/dev/null
	rc=$(cat rc)
	that "a crash before step $step kills the commit (SIGKILL)" test "$rc" -eq 137
	if [ "$step" -le 4 ]; then
		that "before step $step the old state is intact" cmp -s s/state.json old.json
	else
		that "after the rename (step $step) the new state is complete" cmp -s s/state.json new.json
	fi
	expect 0 "after the crash at step $step the next commit succeeds" veto commit --state s --update u3.dsse --image img.bin --now $NOW
	that "and leaves no temporary file behind (step $step)" test "$(ls -A s | tr '\n' ' ')" = ".lock state.json "
done
expect 0 "VETO_FAULT_AT=0 has no effect" env VETO_FAULT_AT=0 "$VETO" commit --state s --update u3.dsse --image img.bin --now $NOW

# The lock: a command waits while another holds DIR/.lock.
if command -v flock >/dev/null; then
	flock base/.lock sleep 1 &
	holder=$!
	sleep 0.2
	start=$(date +%s%N)
	"$VETO" check --state base --update u3.dsse --now $NOW >out 2>err
	end=$(date +%s%N)
	wait "$holder"
	that "check waits for the state lock" test $(((end - start) / 1000000)) -ge 500
else
	skip "flock(1) not installed"
fi

# Oversized documents: a refusal in a decision, an error elsewhere.
{ head -c 1100000 /dev/zero | tr '\0' ' '; cat u3.dsse; } >big.dsse
expect 1 "an update envelope over 1 MiB is refused as malformed" veto check --state base --update big.dsse --now $NOW --json
that "as malformed-update" has '"code": "malformed-update"'
expect 2 "show of an envelope over 1 MiB is an error" veto show big.dsse
{ cat u3.json; head -c 1100000 /dev/zero | tr '\0' ' '; } >big.json
expect 2 "sign of a payload over 1 MiB is an error" veto sign --key vendor.key big.json

done_testing
