#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets (fuzz/) with clang, ASan and UBSan, runs each
# for SECONDS, merges what it found into the committed corpus and reports.
#
#   scripts/fuzz.sh SECONDS [TARGET...]     targets: envelope policy update state decision keys revocation
#
# Environment:
#   VETO_FUZZ_BUILD     build directory (build-fuzz)
#   VETO_FUZZ_PARALLEL  targets run at once (2); each is one libFuzzer process
#   VETO_FUZZ_MERGE     0: leave tests/fuzz-corpus as it is (1)
#   VETO_FUZZ_RUNS      also stop a target after this many executions (no limit)
#
# Each run writes under BUILD/runs/STAMP/TARGET/: the inputs it found
# (corpus/), crash, leak, timeout and OOM reproducers (artifacts/), the log.
# Exit status: 0 no finding, 1 a finding (its file is printed), 2 usage or
# build error.  See docs/FUZZING.md.
set -euo pipefail

all_targets=(envelope policy update state decision keys revocation)
usage() { echo "usage: scripts/fuzz.sh SECONDS [TARGET...]  (targets: ${all_targets[*]})" >&2; exit 2; }
[ $# -ge 1 ] || usage
secs=$1; shift
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || usage
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target $t" >&2; usage; }
done

cd "$(dirname "$0")/.."
root=$PWD
scripts/deps.sh fuzz

build=${VETO_FUZZ_BUILD:-build-fuzz}
parallel=${VETO_FUZZ_PARALLEL:-2}
merge=${VETO_FUZZ_MERGE:-1}

# The library itself is built with coverage instrumentation but without
# libFuzzer's main (fuzzer-no-link); only the targets link -fsanitize=fuzzer
# (fuzz/meson.build).  b_lundef=false: clang's sanitizer runtimes are linked
# into executables, not shared libraries.  Everything but the library and
# the fuzz targets is left out, so that nothing else needs clang.
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" \
    -Dfuzz=true -Dtests=false -Dtool=false -Dexamples=false -Dbench=false \
    -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false \
    "-Dc_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer" \
    >/dev/null || { echo "fuzz.sh: meson setup failed" >&2; exit 2; }
fi
ninja -C "$build" >/dev/null || { echo "fuzz.sh: build failed" >&2; exit 2; }

runs_limit=${VETO_FUZZ_RUNS:-0}
stamp=$(date -u +%Y%m%dT%H%M%SZ)-$$
runs="$root/$build/runs/$stamp"
mkdir -p "$runs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# awk, not grep: no match is not an error under pipefail.
executions() { awk '/^stat::number_of_executed_units/ {s += $2} END {print s + 0}' "$1"; }

# One target: run until SECONDS are spent.  A finding stops libFuzzer; the
# run restarts (its corpus kept) so that one crash does not end the budget,
# at most 5 times.
run_target() {
  local t=$1 dir="$runs/$1" exe="$root/$build/fuzz/fuzz-$1"
  local start now left rc done_runs runs_arg restarts=0
  mkdir -p "$dir/corpus" "$dir/artifacts"
  : >"$dir/log"
  start=$(date +%s)
  while :; do
    now=$(date +%s); left=$((secs - (now - start)))
    [ "$left" -gt 0 ] || break
    runs_arg=-runs=-1
    if [ "$runs_limit" -gt 0 ]; then
      done_runs=$(executions "$dir/log")
      [ "$done_runs" -lt "$runs_limit" ] || break
      runs_arg=-runs=$((runs_limit - done_runs))
    fi
    rc=0
    "$exe" "$dir/corpus" "$root/tests/fuzz-corpus/$t" "$runs_arg" \
      -max_total_time="$left" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
      >>"$dir/log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] && break
    restarts=$((restarts + 1))
    [ "$restarts" -lt 5 ] || break
  done
  echo $(( $(date +%s) - start )) >"$dir/seconds"
  return 0
}

echo "fuzz.sh: ${targets[*]}: ${secs}s each, $parallel at once; logs in $runs"
running=0
for t in "${targets[@]}"; do
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

count_files() { find "$1" -maxdepth 1 -type f | wc -l; }
count_bytes() { find "$1" -maxdepth 1 -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }

findings=0
printf '\n%-9s %12s %8s %7s %6s %7s %14s %s\n' target executions exec/s seconds cov ft corpus findings \
  | tee "$runs/summary.txt"
for t in "${targets[@]}"; do
  dir="$runs/$t" corpus="$root/tests/fuzz-corpus/$t"
  before=$(count_files "$corpus")
  # Only inputs that add coverage join the committed corpus, which keeps
  # the replay tests of the default suite fast.
  if [ "$merge" = 1 ]; then
    "$root/$build/fuzz/fuzz-$t" -merge=1 -max_len=8192 -timeout=10 "$corpus" "$dir/corpus" \
      >"$dir/merge.log" 2>&1 || echo "fuzz.sh: $t: merge failed, see $dir/merge.log" >&2
  fi
  after=$(count_files "$corpus")
  # Executions and exec/s add up over restarts; cov/ft are the last seen.
  execs=$(executions "$dir/log")
  secs_run=$(cat "$dir/seconds")
  rate=$(( secs_run > 0 ? execs / secs_run : 0 ))
  last=$(awk '/^#[0-9]+.*cov: / {l = $0} END {print l}' "$dir/log")
  cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last"); ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  found=$(find "$dir/artifacts" -type f | wc -l)
  findings=$((findings + found))
  printf '%-9s %12s %8s %7s %6s %7s %14s %s\n' "$t" "$execs" "$rate" "$secs_run" "${cov:-?}" "${ft:-?}" \
    "$before->$after($(count_bytes "$corpus")B)" "$found" | tee -a "$runs/summary.txt"
  find "$dir/artifacts" -type f -printf '    finding: %p\n' | tee -a "$runs/summary.txt"
done
echo "fuzz.sh: summary in $runs/summary.txt"
[ "$findings" -eq 0 ] || exit 1
