#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The whole test suite, from a fresh Debian machine: installs what is missing,
# builds with warnings as errors, runs every test, then builds again under
# AddressSanitizer + UndefinedBehaviorSanitizer and runs every test again.
# Then the two checks that build veto their own way: scripts/firmware.sh
# (the Cortex-M4 build under QEMU, about a minute the first time) and
# tests/consumer/run.sh (veto used by another project three ways).
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
# Counts one meson test log: a TAP test counts each of its cases (and one
# failure more if it ended badly with no failing case to show for it); any
# other test counts once, by its exit status.  Prints "PASSED FAILED".
count_log() {
  awk '
    function flush() {
      if (!seen) return
      if (tap) { p += ok; f += nok; if (bad && nok == 0) f++ }
      else if (bad) f++; else p++
    }
    /^=+ [0-9]+\/[0-9]+ =+$/ { flush(); seen = 1; tap = 0; ok = 0; nok = 0; bad = 0; next }
    /^result:/ { bad = ($0 !~ /exit status 0$/) }
    /^1\.\.[0-9]+/ { tap = 1 }
    /^ok [0-9]+/ { tap = 1; ok++ }
    /^not ok [0-9]+/ { tap = 1; nok++ }
    END { flush(); printf "%d %d\n", p, f }
  ' "$1"
}

run() { # dir, meson args...
  local dir=$1; shift
  if ! setup "$dir" --werror "$@" || ! meson compile -C "$dir"; then
    echo "veto: build in $dir failed" >&2
    failed=$((failed + 1))
    return
  fi
  local status=0
  meson test -C "$dir" --print-errorlogs --num-processes 2 || status=$?
  local p f
  read -r p f < <(count_log "$dir/meson-logs/testlog.txt")
  # meson's own verdict counts too: a failure the log does not show is one.
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run build
run build-asan -Db_sanitize=address,undefined -Db_lundef=false \
  -Dc_args=-fno-sanitize-recover=all -Dcpp_args=-fno-sanitize-recover=all

# A script that counts its own checks and ends with "NAME: N passed, N
# failed"; its exit status counts too.
run_script() { # script...
  local log p f status
  log=$(mktemp) || { failed=$((failed + 1)); return; }
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  read -r p f < <(sed -n -E 's/^[a-z]+: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$log" | tail -n 1)
  rm -f "$log"
  if [ -z "${p:-}" ]; then
    echo "veto: $1 ended without its count" >&2
    p=0 f=1
  fi
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
}
run_script scripts/firmware.sh
run_script tests/consumer/run.sh

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
