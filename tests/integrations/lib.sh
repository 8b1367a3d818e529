# SPDX-License-Identifier: Apache-2.0
# Shared by the end-to-end tests of integrations/: the command-line tests'
# helpers (TAP, keys, documents), the owner's fixture every framework is
# tested against, and the rules these tests keep:
#   - the real framework runs (Debian's package), never a stand-in;
#   - they need root (CI is root) and the packages scripts/deps.sh test
#     installs; without them they fail, naming what is missing -- they are
#     never skipped, so a test that could not run never counts as passed;
#   - whatever they start, they stop, and they remove what they made.
# Sourced with the veto executable as $1 and the integrations/ folder as $2.
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
INTEG=${2:?usage: $0 path/to/veto path/to/integrations}
START=$(date +%s%N)

# Commands to run at exit, last first, before the scratch directory goes.
cleanups=()
on_exit() { cleanups=("$1" "${cleanups[@]}"); }
run_cleanups() {
	local c
	for c in "${cleanups[@]}"; do eval "$c" >/dev/null 2>&1; done
	rm -rf "$T"
}
trap run_cleanups EXIT

# require WHAT... : root and the commands the test needs, or one failing case.
require() {
	local missing=() c
	[ "$(id -u)" -eq 0 ] || missing+=("root")
	for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
	if [ ${#missing[@]} -gt 0 ]; then
		not_ok "cannot run: missing ${missing[*]} (run scripts/deps.sh test as root)"
		done_testing
	fi
}

# The owner's device: protects zigbee, wants the auditor's co-signature,
# runs counter 3.  Updates: good (5), drop (6, removes zigbee), nocos (6, no
# auditor), old (4: a rollback once good is installed); each with its own
# image NAME.img.
owner_fixture() {
	newkey owner; newkey vendor; newkey aud1
	anchor anchor.json owner
	PROTECTED='["zigbee"]' policy pol.json 1 owner vendor aud1
	sign pol.dsse pol.json owner
	veto init --state st --anchor anchor.json --security-counter 3 --feature zigbee >/dev/null
	veto trust --state st --policy pol.dsse >/dev/null || { echo "Bail out! trust"; exit 2; }
	local u
	for u in good drop nocos old; do head -c 200000 /dev/urandom >$u.img; done
	IMG=good.img update good.json 5 '["zigbee"]';          sign good.dsse good.json vendor aud1
	IMG=drop.img update drop.json 6 '[]' '["zigbee"]';     sign drop.dsse drop.json vendor aud1
	IMG=nocos.img update nocos.json 6 '["zigbee"]';        sign nocos.dsse nocos.json vendor
	IMG=old.img update old.json 4 '["zigbee"]';            sign old.dsse old.json vendor aud1
	mkdir -m 700 run
	# syslog stand-in: this machine runs no syslog daemon; the line logger
	# would send is recorded (the frameworks themselves are all real).
	printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>%s/run/syslog\n' "$T" >syslog-recorder
	chmod +x syslog-recorder
	cat >integration.conf <<CONF
VETO=$VETO
VETO_STATE=$T/st
VETO_REPORT=$T/run/report.json
VETO_LOGGER=$T/syslog-recorder
CONF
	export VETO_INTEGRATION_CONF=$T/integration.conf
}

counter_is() { grep -q "\"security_counter\": $1," st/state.json; }
report_has() { grep -q -- "$1" run/report.json; }

# finish: the time taken, then the TAP plan.
finish() {
	local ms=$(( ($(date +%s%N) - START) / 1000000 ))
	echo "# $(basename "$0" .sh) end to end: ${ms} ms"
	done_testing
}
