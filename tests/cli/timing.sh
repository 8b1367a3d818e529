#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# (1.1) The owner's clock and timing from the command line: check
# --local-time and its default from TZ, windows and holds in words and JSON,
# commit recording without timing, clock-behind after a clock reset, the
# state switching to veto.state/1.1, and show's summary of a 1.1 policy.
. "$(dirname "$0")/lib.sh"

newkey owner; newkey vendor; newkey sec
head -c 5000 /dev/urandom >img.bin
anchor anchor.json owner

# policy11 FILE SERIAL EXTRA: a veto.policy/1.1 with a "security" role
# [sec] outside "require", and the members EXTRA (starting with ", ").
policy11() {
	policy "$1.tmp" "$2" owner vendor
	sed -e 's|"veto.policy/1"|"veto.policy/1.1"|' \
		-e "s|\"keys\": {|\"keys\": {$(keyent sec), |" \
		-e "s|\"roles\": {|\"roles\": {\"security\": {\"keys\": [\"$(kid sec)\"], \"threshold\": 1}, |" \
		-e "\$s|}\$|, \"issued\": \"2026-05-01T00:00:00Z\"$3}|" "$1.tmp" >"$1"
}
WIN='{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "01:30", "end": "04:00"}'
policy11 utc.json 1 ", \"timing\": {\"windows\": [$WIN]}"
policy11 local.json 1 ", \"timing\": {\"clock\": \"local\", \"windows\": [$WIN]}"
policy11 hold.json 1 ", \"timing\": {\"holds\": [{\"from\": \"2026-05-20T00:00:00Z\", \"until\": \"2026-06-10T00:00:00Z\", \"fast_path\": true}], \"fast_path\": {\"require\": [\"security\"]}}, \"forbidden_features\": [\"telemetry\"]"
sign utc.dsse utc.json owner
sign local.dsse local.json owner
sign hold.dsse hold.json owner
update u.json 5 '["zigbee"]'
sign u.dsse u.json vendor
sign usec.dsse u.json vendor sec

MON5=2026-06-01T05:00:00Z
expect 1 "an update outside the window is refused" veto check --anchor anchor.json --policy utc.dsse --update u.dsse --now $MON5
that "with the next opening in words" has "outside the maintenance window; the next one opens Tuesday 01:30 UTC (2026-06-02)"
expect 1 "the JSON names next_open" veto check --anchor anchor.json --policy utc.dsse --update u.dsse --now $MON5 --json
that "next_open on the UTC clock" has '{"code": "outside-window", "next_open": "2026-06-02T01:30:00Z"}'
expect 0 "inside the window it is accepted" veto check --anchor anchor.json --policy utc.dsse --update u.dsse --now 2026-06-01T02:00:00Z

expect 0 "--local-time inside a local window" veto check --anchor anchor.json --policy local.dsse --update u.dsse --now $MON5 --local-time 2026-06-01T02:00:00
expect 1 "--local-time outside it" veto check --anchor anchor.json --policy local.dsse --update u.dsse --now $MON5 --local-time 2026-06-01T07:00:00 --json
that "next_open on the local clock has no zone" has '"next_open": "2026-06-02T01:30:00"}'
expect 1 "a local time far from --now is not believed" veto check --anchor anchor.json --policy local.dsse --update u.dsse --now $MON5 --local-time 2026-06-02T02:00:00 --json
that "local-time-unknown, inconsistent" has '{"code": "local-time-unknown", "detail": "inconsistent"}'
expect 2 "a --local-time with a zone is a usage error" veto check --anchor anchor.json --policy local.dsse --update u.dsse --now $MON5 --local-time 2026-06-01T02:00:00Z
that "naming the form" has "YYYY-MM-DDTHH:MM:SS" err
TZ=UTC0 expect 0 "without --local-time, --now in TZ (UTC0: 02:00)" veto check --anchor anchor.json --policy local.dsse --update u.dsse --now 2026-06-01T02:00:00Z
TZ=EST5 expect 1 "and in another zone (EST5: Sunday 21:00)" veto check --anchor anchor.json --policy local.dsse --update u.dsse --now 2026-06-01T02:00:00Z --json
that "the window is read on that clock" has '"next_open": "2026-06-01T01:30:00"'

expect 1 "an active hold refuses" veto check --anchor anchor.json --policy hold.dsse --update u.dsse --now $MON5 --json
that "on-hold with until" has '{"code": "on-hold", "until": "2026-06-10T00:00:00Z"}'
veto init --state st --anchor anchor.json --security-counter 4 --feature zigbee >/dev/null
expect 0 "the same release on the fast path" veto check --state st --policy hold.dsse --update usec.dsse --now $MON5 --json
that "says what it lifted" has '{"code": "fast-path-used", "detail": "on-hold"}'
update tel.json 6 '["zigbee", "telemetry"]'
sign tel.dsse tel.json vendor sec
expect 1 "a forbidden feature is refused, fast path or not" veto check --state st --policy hold.dsse --update tel.dsse --now $MON5 --json
that "feature-forbidden names the feature and the entry" has '{"code": "feature-forbidden", "feature": "telemetry", "detail": "telemetry"}'

# commit records without timing; the state becomes veto.state/1.1
expect 0 "trust a 1.1 policy" veto trust --state st --policy utc.dsse --now $MON5
that "the state is now veto.state/1.1" has '"format": "veto.state/1.1"' st/state.json
that "with the time floor at the policy's issued" has '"time_floor": "2026-05-01T00:00:00Z"' st/state.json
expect 2 "commit takes no --local-time" veto commit --state st --update u.dsse --image img.bin --now $MON5 --local-time 2026-06-01T02:00:00
expect 0 "commit outside the window records the installation" veto commit --state st --update u.dsse --image img.bin --now $MON5
that "the counter and its high-water mark" has '"security_counter": 5, .*' st/state.json
that "counter_max follows" has '"counter_max": 5' st/state.json
expect 1 "a clock reset to 1970 is caught" veto check --state st --update u.dsse --now 1970-01-01T00:00:00Z --json
that "clock-behind" has '"code": "clock-behind"'

expect 0 "show summarises a 1.1 policy" veto show hold.dsse
that "its hold" has "hold: from 2026-05-20T00:00:00Z until 2026-06-10T00:00:00Z (the fast path passes)"
that "its fast path" has "fast path: a release signed by security"
that "its forbidden features" has "forbidden features .*: telemetry"
expect 0 "show of a 1.1 window policy" veto show local.dsse
that "the window on the local clock" has "window: Mon Tue Wed Thu Fri 01:30-04:00"

done_testing
