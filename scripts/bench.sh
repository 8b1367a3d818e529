#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every benchmark of docs/BENCHMARKS.md, from a fresh Debian machine:
# installs what is missing (scripts/deps.sh bench), builds an optimized
# build directory and a size-optimized one, runs the benchmark programs of
# bench/ and times the veto command against its peers, then prints the
# results table (also written to BUILD/bench-results.md).
#
#   scripts/bench.sh            full sizes (256 MiB image, 1 GiB for the
#                               memory figure, 10,000 policies): ~10 minutes
#   scripts/bench.sh --quick    small sizes, a minute: to try the script
#
# Environment: VETO_BENCH_BUILD (build directory, default build-bench-release),
# VETO_BENCH_TOOL (time another veto binary, e.g. a build with local changes).
# Times are medians of repeated runs with a warm page cache (hyperfine when it
# is installed, else a loop of its own); each row's peer and ours come from
# the same run of this script.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

quick=0
case "${1:-}" in
  --quick) quick=1 ;;
  '') ;;
  *) echo "usage: scripts/bench.sh [--quick]" >&2; exit 2 ;;
esac
if [ "$quick" -eq 1 ]; then
  IMAGE_MIB=32 BIG_MIB=128 POLICIES=500 RUNS=5 WARMUP=1 PF_RUNS=2 DEC_RUNS=300
  SCALE_RUNS=40 PF_MAX=1000 CPU_RUNS=20
else
  IMAGE_MIB=256 BIG_MIB=1024 POLICIES=10000 RUNS=10 WARMUP=2 PF_RUNS=5 DEC_RUNS=3000
  SCALE_RUNS=400 PF_MAX=100000 CPU_RUNS=100
fi
NOW=2030-01-01T00:00:00Z

scripts/deps.sh bench || exit 2

BUILD=${VETO_BENCH_BUILD:-build-bench-release}
OSBUILD=$BUILD-os
DEVBUILD=$BUILD-device
D=$ROOT/$BUILD/bench-data
LOG=$ROOT/$BUILD/bench-log.txt
RES=$ROOT/$BUILD/bench-results.tsv
MD=$ROOT/$BUILD/bench-results.md

die() { echo "bench: $*" >&2; exit 2; }
have() { command -v "$1" >/dev/null 2>&1; }
note() { echo "bench: $*" >&2; }

setup() { # dir, meson args...
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

note "building $BUILD (release), $OSBUILD (-Os, library only), $DEVBUILD (-Os, device link)"
setup "$BUILD" --buildtype=release -Db_ndebug=true -Dtests=false -Dexamples=false \
  -Dbench=true -Dtool=true
meson compile -C "$BUILD" >/dev/null
setup "$OSBUILD" -Doptimization=s -Ddebug=false -Db_ndebug=true -Dtool=false -Dtests=false \
  -Dexamples=false -Dbench=false
meson compile -C "$OSBUILD" >/dev/null
setup "$DEVBUILD" -Doptimization=s -Ddebug=false -Db_ndebug=true -Dtool=false -Dtests=false \
  -Dexamples=false -Dbench=true -Dc_args='-ffunction-sections -fdata-sections'
meson compile -C "$DEVBUILD" bench/bench-device >/dev/null

VETO=${VETO_BENCH_TOOL:-$ROOT/$BUILD/tool/veto}
[ -x "$VETO" ] || die "no veto command at $VETO"
VETO=$(readlink -f "$VETO")
if ldd "$VETO" | grep -q 'libcrypto\.so' || grep -aq 'libcrypto\.so\.3' "$VETO"; then
  engine="OpenSSL libcrypto (the tool's SHA-256 engine, loaded on first use)"
else
  engine="libsodium (no SHA-256 engine: the tool was built without OpenSSL, or does not use it yet)"
  note "warning: $VETO does not link libcrypto: its SHA-256 is libsodium's"
fi
if have hyperfine; then timer="hyperfine $(hyperfine --version | awk '{print $2}')"
else timer="median of repeated runs (hyperfine not installed)"; fi

load_start=$(cut -d' ' -f1 /proc/loadavg)
mkdir -p "$D"
: >"$LOG"
: >"$RES"

# ---------------------------------------------------------------- helpers --

# result ID WHAT PEER PEER_VALUE OURS UNIT TARGET: one row of the table.
# TARGET: the largest ours/peer ratio allowed, "<=N" an absolute limit on
# ours, or "-".
result() {
  printf 'RESULT\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RES"
}

# measure DIR CMD...: median wall time in ms of CMD run in DIR (exit 0 required).
measure() {
  local dir=$1; shift
  if have hyperfine; then
    local csv; csv=$(mktemp)
    local cmd; cmd=$(printf '%q ' "$@")
    if ! (cd "$dir" && hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" \
            --export-csv "$csv" -n "${*:1:3}" -- "$cmd") >>"$LOG" 2>&1; then
      rm -f "$csv"; die "failed: ${*:1:6}... (in $dir; see $LOG)"
    fi
    awk -F, 'NR == 2 { printf "%.3f", $4 * 1000 }' "$csv"
    rm -f "$csv"
  else
    (
      cd "$dir" || exit 2
      local i s e t=()
      for ((i = 0; i < WARMUP; i++)); do "$@" >/dev/null 2>&1 || exit 2; done
      for ((i = 0; i < RUNS; i++)); do
        s=$(date +%s%N); "$@" >/dev/null 2>&1 || exit 2; e=$(date +%s%N)
        t+=($((e - s)))
      done
      printf '%s\n' "${t[@]}" | sort -n |
        awk '{ a[NR] = $1 } END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
                                  printf "%.3f", m / 1e6 }'
    ) || die "failed: ${*:1:6}... (in $dir)"
  fi
}

# max_rss DIR CMD...: median over 3 runs of the peak resident set, in KiB.
max_rss() {
  local dir=$1; shift
  (
    cd "$dir" || exit 2
    for _ in 1 2 3; do
      /usr/bin/time -v "$@" 2>&1 >/dev/null |
        awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }'
    done | sort -n | sed -n 2p
  )
}

kid() { sed -n 's/.*"keyid": *"\([0-9a-f]*\)".*/\1/p' "$1"; }
b64() { sed -n 's/.*"ed25519": *"\([^"]*\)".*/\1/p' "$1"; }

# accepts DIR CMD...: the fixture must make an accepting decision.
accepts() {
  local dir=$1; shift
  local out
  out=$(cd "$dir" && "$@" 2>&1) || die "expected accept from: ${*:1:8}... (in $dir):
$(printf '%s\n' "$out" | head -20)"
}

# ------------------------------------------------------------- documents --

note "preparing keys, policy, images and manifests in $D"
ln -sf "$VETO" "$D/veto"
mkdir -p "$D/keys"
for n in owner vendor aud1 aud2 aud3; do
  [ -f "$D/keys/$n.key" ] || (cd "$D/keys" && "$VETO" keygen "$n" >/dev/null)
done
K=$D/keys
cat >"$D/policy.json" <<EOF
{"format": "veto.policy/1", "serial": 1, "expires": null,
 "device": {"vendor": "acme", "model": "thermo-2"},
 "keys": {"$(kid "$K/owner.pub")": {"ed25519": "$(b64 "$K/owner.pub")"},
          "$(kid "$K/vendor.pub")": {"ed25519": "$(b64 "$K/vendor.pub")"},
          "$(kid "$K/aud1.pub")": {"ed25519": "$(b64 "$K/aud1.pub")"},
          "$(kid "$K/aud2.pub")": {"ed25519": "$(b64 "$K/aud2.pub")"},
          "$(kid "$K/aud3.pub")": {"ed25519": "$(b64 "$K/aud3.pub")"}},
 "roles": {"owner": {"keys": ["$(kid "$K/owner.pub")"], "threshold": 1},
           "vendor": {"keys": ["$(kid "$K/vendor.pub")"], "threshold": 1},
           "auditor": {"keys": ["$(kid "$K/aud1.pub")", "$(kid "$K/aud2.pub")",
                                "$(kid "$K/aud3.pub")"], "threshold": 2}},
 "require": ["vendor", "auditor"],
 "protected_features": ["local-control"],
 "removal_requires": ["owner"]}
EOF
cat >"$D/anchor.json" <<EOF
{"device": {"vendor": "acme", "model": "thermo-2"},
 "keys": {"$(kid "$K/owner.pub")": {"ed25519": "$(b64 "$K/owner.pub")"}}, "threshold": 1}
EOF
"$VETO" sign --key "$K/owner.key" "$D/policy.json" -o "$D/policy.dsse" >/dev/null

# make_image FILE MIB: random bytes, kept between runs when the size is right.
make_image() {
  local f=$1 mib=$2
  if [ ! -f "$f" ] || [ "$(stat -c %s "$f")" -ne $((mib * 1024 * 1024)) ]; then
    head -c "$((mib * 1024 * 1024))" /dev/urandom >"$f.tmp" && mv "$f.tmp" "$f"
    rm -f "$f.sha256" "$f.b2"
  fi
  [ -f "$f.sha256" ] || sha256sum "$f" | cut -c1-64 >"$f.sha256"
  [ -f "$f.b2" ] || b2sum -l 256 "$f" | cut -c1-64 >"$f.b2"
}

# make_update OUT FILE DIGESTS: manifest for FILE carrying the digests named
# ("sha256", "blake2b-256" or both), signed by the vendor and 2 auditors.
make_update() {
  local out=$1 f=$2 which=$3 digests=""
  case "$which" in
    *sha256*) digests="$digests, \"sha256\": \"$(cat "$f.sha256")\"" ;;
  esac
  case "$which" in
    *blake2b*) digests="$digests, \"blake2b-256\": \"$(cat "$f.b2")\"" ;;
  esac
  cat >"$out.json" <<EOF
{"format": "veto.update/1", "vendor": "acme", "model": "thermo-2", "version": "2.4.1",
 "security_counter": 42, "image": {"size": $(stat -c %s "$f")$digests},
 "features": ["local-control", "matter@1.3"]}
EOF
  "$VETO" sign --key "$K/vendor.key" "$out.json" -o "$out" >/dev/null
  "$VETO" cosign --key "$K/aud1.key" "$out" >/dev/null
  "$VETO" cosign --key "$K/aud2.key" "$out" >/dev/null
}

make_image "$D/image.bin" "$IMAGE_MIB"
make_update "$D/upd-sha256.dsse" "$D/image.bin" sha256
make_update "$D/upd-blake2b.dsse" "$D/image.bin" blake2b
CHECK=(./veto check --anchor anchor.json --policy policy.dsse --now "$NOW")
accepts "$D" "${CHECK[@]}" --update upd-sha256.dsse --image image.bin
accepts "$D" "${CHECK[@]}" --update upd-blake2b.dsse --image image.bin

# minisign: a prehashed (BLAKE2b-512) signature of the image, made by -S.
if [ ! -f "$K/mini.key" ]; then
  minisign -G -W -f -p "$K/mini.pub" -s "$K/mini.key" >/dev/null
fi
minisign -S -s "$K/mini.key" -m "$D/image.bin" -x "$D/image.bin.minisig" >/dev/null

# ----------------------------------------------------- 1. image check --

note "1. image check: veto check --image ($IMAGE_MIB MiB) against openssl, sha256sum, b2sum, minisign"
IMG_DESC="$IMAGE_MIB MiB image"
t_veto_sha=$(measure "$D" "${CHECK[@]}" --update upd-sha256.dsse --image image.bin)
t_openssl=$(measure "$D" openssl dgst -sha256 image.bin)
t_sha256sum=$(measure "$D" sha256sum image.bin)
t_veto_b2=$(measure "$D" "${CHECK[@]}" --update upd-blake2b.dsse --image image.bin)
t_b2sum=$(measure "$D" b2sum -l 256 image.bin)
t_minisign=$(measure "$D" minisign -Vm image.bin -x image.bin.minisig -p keys/mini.pub -q)
result image-openssl "veto check --image, $IMG_DESC, sha256 manifest" \
  "openssl dgst -sha256" "$t_openssl" "$t_veto_sha" ms 1.1
result image-sha256sum "veto check --image, $IMG_DESC, sha256 manifest" \
  "sha256sum" "$t_sha256sum" "$t_veto_sha" ms -
result image-b2sum "veto check --image, $IMG_DESC, blake2b-256 manifest" \
  "b2sum -l 256" "$t_b2sum" "$t_veto_b2" ms 1.05
result image-minisign "veto check --image, $IMG_DESC, blake2b-256 manifest" \
  "minisign -V (prehashed)" "$t_minisign" "$t_veto_b2" ms 1.0

note "   in-process hashing (bench-image: library + the tool's engine vs bare hashes)"
"$BUILD/bench/bench-image" --count "$IMAGE_MIB" --runs "$((RUNS * 2 + 1))" | tee -a "$LOG" |
  grep '^RESULT' >>"$RES"

# ------------------------------------------------- 2. decision latency --

note "2. decision latency (in-process)"
"$BUILD/bench/bench-decision" --runs "$DEC_RUNS" | tee -a "$LOG" | grep '^RESULT' >>"$RES"

# ------------------------------------------------------- 3. in-toto --

note "3. in-toto-verify on the equivalent layout, same image and keys"
rm -rf "$D/intoto" "$D/intoto-img"
mkdir -p "$D/intoto-img"
ln -f "$D/image.bin" "$D/intoto-img/image.bin"
/usr/bin/python3 bench/intoto_fixture.py "$K" "$D/intoto-img" "$D/intoto" >>"$LOG" 2>&1 ||
  die "cannot make the in-toto layout and links (see $LOG)"
INTOTO=(in-toto-verify -k ../intoto/keys/owner.pub -t ed25519 --link-dir ../intoto/links)
accepts "$D/intoto-img" "${INTOTO[@]}" -l ../intoto/image.layout
t_intoto_img=$(measure "$D/intoto-img" "${INTOTO[@]}" -l ../intoto/image.layout)
t_intoto_man=$(measure "$D/intoto-img" "${INTOTO[@]}" -l ../intoto/manifest.layout)
t_veto_man=$(measure "$D" "${CHECK[@]}" --update upd-sha256.dsse)
result intoto-image "owner-signed layout, vendor + 2 of 3 auditors, $IMG_DESC checked" \
  "in-toto-verify (inspection hashes the image)" "$t_intoto_img" "$t_veto_sha" ms -
result intoto-manifest "owner-signed layout, vendor + 2 of 3 auditors, metadata only" \
  "in-toto-verify (no inspection)" "$t_intoto_man" "$t_veto_man" ms -

# ------------------------------------------------------ 4. pre-flight --

note "4. pre-flight: 1 release x $POLICIES policies (library, then the command)"
rm -rf "$D/preflight"
# bench-preflight also writes the policies as files and times the veto
# command over them in the same rounds as the in-process figures.
"$BUILD/bench/bench-preflight" --count "$POLICIES" --runs "$PF_RUNS" --write "$D/preflight" \
  --command "$VETO" | tee -a "$LOG" | grep '^RESULT' >>"$RES"

# ---------------------------------------------------------- 5. memory --

note "5. memory: peak heap of a decision; peak RSS of veto check on a $BIG_MIB MiB image"
"$BUILD/bench/bench-memory" | tee -a "$LOG" | grep '^RESULT' >>"$RES"
big=$D/image-big.bin
if [ ! -f "$big" ] || [ "$(stat -c %s "$big")" -ne $((BIG_MIB * 1024 * 1024)) ]; then
  : >"$big.tmp"
  for ((i = 0; i < BIG_MIB / IMAGE_MIB; i++)); do cat "$D/image.bin" >>"$big.tmp"; done
  mv "$big.tmp" "$big"
  rm -f "$big.sha256" "$big.b2"
fi
make_image "$big" "$BIG_MIB"
make_update "$D/upd-big.dsse" "$big" sha256,blake2b
accepts "$D" "${CHECK[@]}" --update upd-big.dsse --image image-big.bin
rss_veto=$(max_rss "$D" "${CHECK[@]}" --update upd-big.dsse --image image-big.bin)
rss_sha=$(max_rss "$D" sha256sum image-big.bin)
result rss "peak RSS, veto check --image, $BIG_MIB MiB, sha256 + blake2b-256" \
  "sha256sum" "$rss_sha" "$rss_veto" KiB "<=4096"

# ------------------------------------------------------- 6. code size --

note "6. code size of the library at -Os"
so=$(readlink -f "$OSBUILD/lib/libveto.so")
text_so=$(size -A "$so" | awk '$1 == ".text" { print $2 }')
text_objs=$(size -A "$OSBUILD/lib/libveto.a" | awk '$1 ~ /^\.text/ { s += $2 } END { print s }')
all_objs=$(size -t "$OSBUILD/lib/libveto.a" | awk 'END { print $1 }')
result size-so ".text of libveto.so at -Os (no libsodium, no cJSON)" \
  "MCUboot, published: 16-40 kB" 0 "$text_so" bytes "<=24576"
result size-objs ".text of the library's objects at -Os" "-" 0 "$text_objs" bytes "<=24576"
# What firmware links: bench/device.c statically, unused sections dropped;
# the library's .text sections that remain in the link map.
text_dev=$(awk '
  function hex(s,   i, c, v) {
    v = 0; s = tolower(s); sub(/^0x/, "", s)
    for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)); v = v * 16 + c - 1 }
    return v
  }
  /^Linker script and memory map/ { m = 1; next }
  !m { next }
  pending { pending = 0; if (NF >= 3 && $3 ~ /libveto\.a\(/) sum += hex($2); next }
  $1 ~ /^\.text/ {
    if (NF == 1) pending = 1
    else if (NF >= 4 && $4 ~ /libveto\.a\(/) sum += hex($3)
  }
  END { print sum + 0 }' "$DEVBUILD/bench/bench-device.map")
result size-device ".text of the library in a device link (bench/device.c; -Os, gc-sections)" \
  "MCUboot, published: 16-40 kB" 0 "$text_dev" bytes "<=24576"
# The same on the device class MCUboot's figure is for (Arm Cortex-M4,
# Thumb-2), when a cross compiler is installed (not by deps.sh: it is large;
# apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi).  Headers of
# libsodium and cJSON are the host's (declarations only); nothing is run.
# (A cross compiler without newlib's headers cannot compile the library.)
if have arm-none-eabi-gcc &&
   echo '#include <stdlib.h>' | arm-none-eabi-gcc -x c -c - -o /dev/null 2>/dev/null; then
  ARM=$ROOT/$BUILD-arm
  rm -rf "$ARM" && mkdir -p "$ARM/inc"
  ln -s /usr/include/sodium.h /usr/include/sodium /usr/include/cjson "$ARM/inc/"
  for f in lib/*.c bench/device.c; do
    arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os -ffunction-sections -fdata-sections \
      -std=c11 -D_POSIX_C_SOURCE=200809L -DVETO_BUILDING -Iinclude -Ilib -isystem "$ARM/inc" \
      -c "$f" -o "$ARM/$(basename "$f" .c).o"
  done
  lib_objs=()
  for f in lib/*.c; do lib_objs+=("$ARM/$(basename "$f" .c).o"); done
  arm_lib=$(arm-none-eabi-size -A "${lib_objs[@]}" | awk '$1 ~ /^\.text/ { s += $2 } END { print s }')
  # Linked for the device: libsodium and cJSON left unresolved (not counted).
  arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb --specs=nosys.specs -Wl,--gc-sections \
    -Wl,--unresolved-symbols=ignore-all -Wl,-Map="$ARM/device.map" "$ARM/device.o" \
    "${lib_objs[@]}" -o "$ARM/device.elf"
  arm_dev=$(awk -v dir="$ARM/" '
    function hex(s,   i, c, v) {
      v = 0; s = tolower(s); sub(/^0x/, "", s)
      for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)); v = v * 16 + c - 1 }
      return v
    }
    function lib(f) { return index(f, dir) == 1 && f !~ /device\.o$/ }
    /^Linker script and memory map/ { m = 1; next }
    !m { next }
    pending { pending = 0; if (NF >= 3 && lib($3)) sum += hex($2); next }
    $1 ~ /^\.text/ {
      if (NF == 1) pending = 1
      else if (NF >= 4 && lib($4)) sum += hex($3)
    }
    END { print sum + 0 }' "$ARM/device.map")
  result size-arm ".text of the library's objects, Cortex-M4 Thumb-2, -Os" \
    "MCUboot, published: 16-40 kB" 0 "$arm_lib" bytes "<=24576"
  result size-arm-device ".text of the library in a device link, Cortex-M4 Thumb-2 (gc-sections)" \
    "MCUboot, published: 16-40 kB" 0 "$arm_dev" bytes "<=24576"
else
  note "   no arm-none-eabi-gcc with newlib: Cortex-M figures skipped (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)"
fi
result size-objs-all "text+rodata of the library's objects at -Os (size -t)" "-" 0 "$all_objs" bytes -

# ---------------------------------------------------------- 7. scaling --

note "7. scaling: a decision against keys, signatures, features, payload (bench-scaling)"
"$BUILD/bench/bench-scaling" --runs "$SCALE_RUNS" | tee -a "$LOG" >"$D/scaling.out"
grep '^RESULT' "$D/scaling.out" >>"$RES"
grep '^SCALE' "$D/scaling.out" >"$ROOT/$BUILD/bench-scaling.tsv"

note "   veto preflight --policies-from against the number of policies (up to $PF_MAX)"
PF=$D/preflight-scale
if [ "$(wc -l 2>/dev/null <"$PF/policies.txt" || echo 0)" -ne "$PF_MAX" ]; then
  rm -rf "$PF"
  BENCH_WRITE_ONLY=1 "$BUILD/bench/bench-preflight" --count "$PF_MAX" --write "$PF" >/dev/null
fi
PREFLIGHT=("$VETO" preflight --update update.dsse --now "$NOW")
# time_rss DIR CMD...: "seconds max_rss_kib" of one run (exit 0 required).
time_rss() {
  local dir=$1; shift
  (cd "$dir" && /usr/bin/time -f '%e %M' -o time.out "$@" >/dev/null) || die "failed: ${*:1:6}..."
  cat "$dir/time.out"
}
: >"$ROOT/$BUILD/bench-preflight-scale.tsv"
for n in 100 1000 10000 100000; do
  [ "$n" -le "$PF_MAX" ] || break
  head -n "$n" "$PF/policies.txt" >"$PF/list-$n.txt"
  read -r s1 rss1 < <(time_rss "$PF" "${PREFLIGHT[@]}" --policies-from "list-$n.txt" --jobs 1)
  read -r s2 _ < <(time_rss "$PF" "${PREFLIGHT[@]}" --policies-from "list-$n.txt" --jobs 2)
  printf '%s\t%s\t%s\t%s\n' "$n" "$s1" "$rss1" "$s2" >>"$ROOT/$BUILD/bench-preflight-scale.tsv"
  pf_rss=$rss1 pf_n=$n
done
result preflight-rss "veto preflight peak RSS, $pf_n policies from a list file" \
  "-" 0 "$pf_rss" KiB "<=16384"
jobs_n=$((PF_MAX < 10000 ? PF_MAX : 10000))
head -n "$jobs_n" "$PF/policies.txt" >"$PF/list-jobs.txt"
t_j1=$(measure "$PF" "${PREFLIGHT[@]}" --policies-from list-jobs.txt --jobs 1)
t_j2=$(measure "$PF" "${PREFLIGHT[@]}" --policies-from list-jobs.txt --jobs 2)
# Target: --jobs 2 at least 1.8 times as fast, a ratio of at most 1/1.8.
result preflight-jobs "veto preflight --jobs 2, $jobs_n policies ($(nproc) CPUs)" \
  "--jobs 1" "$t_j1" "$t_j2" ms 0.556

note "   start-up: metadata-only veto check against minisign -V of a small file (CPU time)"
head -c 1000 /dev/urandom >"$D/small.bin"
minisign -S -s "$K/mini.key" -m "$D/small.bin" -x "$D/small.bin.minisig" >/dev/null
# cpu_ms DIR N CMD...: user + system CPU time of N runs of CMD, in ms per run.
cpu_ms() {
  local dir=$1 n=$2; shift 2
  (
    cd "$dir" || exit 2
    for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 || exit 2; done
    times
  ) | tail -1 | awk -v n="$n" '{
      split($1, u, /[ms]/); split($2, s, /[ms]/)
      printf "%.4f", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 / n }' ||
    die "failed: ${*:1:6}..."
}
cpu_v=0 cpu_m=0
for _ in 1 2 3 4 5; do # alternately, so that both see the same load
  cpu_v=$(awk -v a="$cpu_v" -v b="$(cpu_ms "$D" "$CPU_RUNS" "${CHECK[@]}" --update upd-sha256.dsse)" \
    'BEGIN { print a + b / 5 }')
  cpu_m=$(awk -v a="$cpu_m" -v b="$(cpu_ms "$D" "$CPU_RUNS" minisign -Vm small.bin -x small.bin.minisig -p keys/mini.pub -q)" \
    'BEGIN { print a + b / 5 }')
done
result startup-cpu "veto check, metadata only (CPU time, user + system)" \
  "minisign -V of a 1 KB file" "$cpu_m" "$cpu_v" ms 1.1

if have gnuplot; then
  gnuplot -e "scaling='$ROOT/$BUILD/bench-scaling.tsv'; pfscale='$ROOT/$BUILD/bench-preflight-scale.tsv'; outdir='$ROOT/docs'" \
    bench/plot.gp || note "   gnuplot failed: no plots"
  note "   plots written to docs/bench-scaling-decision.png and docs/bench-scaling-preflight.png"
fi

# ----------------------------------------------------------- the table --

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
shaext=$(grep -qw sha_ni /proc/cpuinfo && echo "SHA-NI: yes" || echo "SHA-NI: no")
{
  echo "Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git describe --always --dirty 2>/dev/null || echo "?")"
  echo "Machine: $(nproc) CPUs, $cpu ($shaext), $mem; $(uname -sr)"
  echo "Software: gcc $(gcc -dumpfullversion), libsodium $(pkg-config --modversion libsodium)," \
    "cJSON $(pkg-config --modversion libcjson), $(openssl version | cut -d' ' -f1-2)," \
    "$(minisign -v 2>&1 | head -1), in-toto $(/usr/bin/python3 -c 'import in_toto; print(in_toto.__version__)' 2>/dev/null)"
  echo "Timing: commands: $timer, warm cache, $RUNS runs after $WARMUP warm-up; in-process and" \
    "veto preflight: bench/ programs, interleaved with their peer, medians;" \
    "load average $load_start at the start, $(cut -d' ' -f1 /proc/loadavg) at the end"
  echo "veto command: $VETO; SHA-256 of images by $engine"
  echo
  echo "Scaling (bench-scaling: series, x, veto us, peer us, ratio):"
  echo
  echo '```'
  cat "$ROOT/$BUILD/bench-scaling.tsv"
  echo '```'
  echo
  echo "veto preflight --policies-from (policies, seconds with --jobs 1, peak RSS KiB, seconds with --jobs 2):"
  echo
  echo '```'
  cat "$ROOT/$BUILD/bench-preflight-scale.tsv"
  echo '```'
  echo
  echo "| Benchmark | Peer | Peer figure | veto | Ratio (veto/peer) | Target | Met? |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  awk -F '\t' '
    function fmt(v, u) {
      if (u == "ms") return v < 10 ? sprintf("%.2f ms", v) : sprintf("%.0f ms", v)
      if (u == "us") return sprintf("%.1f us", v)
      if (u == "bytes") return sprintf("%d B (%.1f KiB)", v, v / 1024)
      if (u == "KiB") return sprintf("%d KiB", v)
      if (u == "ratio") return sprintf("%.3f", v)
      return v " " u
    }
    $1 == "RESULT" {
      what = $3; peer = $4; pv = $5 + 0; ours = $6 + 0; unit = $7; target = $8
      ratio = pv > 0 ? ours / pv : -1
      rs = ratio > 0 ? sprintf("%.2f", ratio) : "-"
      ps = pv > 0 ? fmt(pv, unit) : "-"
      if (target == "-") { ts = "-"; met = "-" }
      else if (substr(target, 1, 2) == "<=") {
        lim = substr(target, 3) + 0; ts = "<= " fmt(lim, unit); met = ours <= lim ? "yes" : "NO"
      } else {
        ts = "<= " target "x"; met = (ratio > 0 && ratio <= target + 1e-9) ? "yes" : "NO"
      }
      printf "| %s | %s | %s | %s | %s | %s | %s |\n", what, peer, ps, fmt(ours, unit), rs, ts, met
    }' "$RES"
} >"$MD"
echo
cat "$MD"
echo
note "table written to $MD; raw figures in $RES; hyperfine output in $LOG"
