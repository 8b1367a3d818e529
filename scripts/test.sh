#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The whole test suite, from a fresh Debian machine: installs what is missing,
# builds with warnings as errors, runs every test, then builds again under
# AddressSanitizer + UndefinedBehaviorSanitizer and runs every test again.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
scripts/deps.sh test || exit 2

setup() { # dir, extra meson args...
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null || return 1
  else
    meson setup "$dir" "$@" >/dev/null || return 1
  fi
}

passed=0 failed=0
run() { # dir, meson args...
  local dir=$1; shift
  if ! setup "$dir" --werror "$@" || ! meson compile -C "$dir"; then
    echo "veto: build in $dir failed" >&2
    failed=$((failed + 1))
    return
  fi
  meson test -C "$dir" --print-errorlogs --num-processes 2
  # Count each test case: a TAP line of a Check suite, or a whole plain test.
  local p f
  p=$(grep -cE '^ok [0-9]+' "$dir/meson-logs/testlog.txt" || true)
  f=$(grep -cE '^not ok [0-9]+' "$dir/meson-logs/testlog.txt" || true)
  local plain_ok plain_fail
  plain_ok=$(grep -cE '^ *[0-9]+/[0-9]+ .* (OK|EXPECTEDFAIL) ' "$dir/meson-logs/testlog.txt" || true)
  plain_fail=$(grep -cE '^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS) ' "$dir/meson-logs/testlog.txt" || true)
  passed=$((passed + p + plain_ok))
  failed=$((failed + f + plain_fail))
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run build
run build-asan -Db_sanitize=address,undefined -Db_lundef=false \
  -Dc_args=-fno-sanitize-recover=all -Dcpp_args=-fno-sanitize-recover=all -Dbench=false

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
