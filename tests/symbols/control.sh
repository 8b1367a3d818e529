#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The symbol check must catch what it is for: run on an archive with one
# unprefixed global function, it must fail and name that function only.
#   control.sh CHECK NM ARCHIVE
set -u
out=$(bash "$1" "$2" "$3")
status=$?
echo "1..3"
[ "$status" -ne 0 ] && echo "ok 1 - the check fails on an unprefixed symbol" ||
  echo "not ok 1 - the check passed an archive with an unprefixed symbol"
printf '%s\n' "$out" | grep -qx '#   control_unprefixed' && echo "ok 2 - it names the symbol" ||
  echo "not ok 2 - it does not name control_unprefixed"
printf '%s\n' "$out" | grep -q 'veto_control_prefixed' && echo "not ok 3 - it names a prefixed symbol" ||
  echo "ok 3 - it leaves the prefixed symbol alone"
