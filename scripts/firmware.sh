#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# veto in Cortex-M4 firmware, from a fresh Debian machine, in one command:
#
#   1. installs the cross compiler, picolibc and QEMU (scripts/deps.sh firmware);
#   2. fetches libsodium's and cJSON's Debian source packages (apt-get source,
#      after adding deb-src lines that copy the machine's deb lines, signed-by
#      included) and cross-builds them as small as they go: libsodium
#      --enable-minimal at -Os, cJSON as its one file;
#   3. cross-builds veto and examples/firmware.c with meson
#      (cross/cortex-m4.ini, static library only, warnings as errors);
#   4. runs the firmware under qemu-system-arm -M mps2-an386 with
#      semihosting: the full example (factory and device: it writes the
#      signed documents the device receives) and then the verify-only
#      device link, which reads them; both must make every decision as
#      expected and exit 0;
#   5. prints the figures: flash and RAM by part, peak heap and stack of a
#      decision, and its length in instructions (QEMU -icount, shift 0: one
#      instruction per nanosecond of the board's clock).
#
# The cross-built libraries are kept in $VETO_FIRMWARE_BUILD (build-firmware/
# by default): a second run only rebuilds veto and runs.  Ends with
# "firmware: N passed, N failed" (scripts/test.sh counts these).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FW=${VETO_FIRMWARE_BUILD:-$ROOT/build-firmware}
SYSROOT=$FW/sysroot
SRC=$FW/src
CROSS=$ROOT/cross/cortex-m4.ini
# The same flags cross/cortex-m4.ini gives veto.
TARGET_CFLAGS="-mcpu=cortex-m4 -mthumb -Os -ffunction-sections -fdata-sections"
TARGET_LDFLAGS="--oslib=semihost --crt0=semihost -Wl,--defsym=__flash=0 -Wl,--defsym=__flash_size=0x400000 -Wl,--defsym=__ram=0x20000000 -Wl,--defsym=__ram_size=0x400000"
SODIUM_CONFIG=(--host=arm-none-eabi --enable-minimal --disable-shared --enable-static
               --disable-asm --disable-ssp --disable-pie --without-pthreads
               --disable-dependency-tracking
               # picolibc has posix_memalign but no page size: libsodium's guarded
               # allocator would stop at sodium_init.  veto does not use it.
               ac_cv_func_posix_memalign=no)
QEMU=(qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none
      -semihosting-config enable=on,target=native -icount shift=0)

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "firmware: ok   - $*"; }
fail() { failed=$((failed + 1)); echo "firmware: FAIL - $*" >&2; }
finish() {
  echo "firmware: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

scripts/deps.sh firmware || exit 2
mkdir -p "$FW" "$SRC"

# --- 2. Debian source packages -------------------------------------------

# deb-src lines for apt-get source: each deb entry of the machine copied as
# deb-src, with its options (signed-by) kept.  A deb-src line without them
# would name the same archive under two keyrings, which apt refuses.
add_deb_src() {
  if apt-get source --print-uris libsodium >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "firmware: apt has no deb-src entries; run as root once to add them" >&2
    return 1
  fi
  local f out822=/etc/apt/sources.list.d/veto-deb-src.sources out1=/etc/apt/sources.list.d/veto-deb-src.list
  : >"$out822.tmp"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] && [ "$f" != "$out822" ] || continue
    # deb822: each stanza whose Types has deb, again with Types: deb-src.
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /(^|\n)Types:[^\n]*[[:space:]]deb([[:space:]]|$)/ && !/(^|\n)Types:[^\n]*deb-src/ {
           sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$f" >>"$out822.tmp"
  done
  : >"$out1.tmp"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -e "$f" ] && [ "$f" != "$out1" ] || continue
    sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >>"$out1.tmp"
  done
  local tmp
  for tmp in "$out822.tmp" "$out1.tmp"; do
    if [ -s "$tmp" ]; then mv "$tmp" "${tmp%.tmp}"; else rm -f "$tmp"; fi
  done
  apt-get update -qq
}

# The unpacked source tree of a Debian source package, fetched once.
source_tree() { # package, directory glob
  local dir
  dir=$(find "$SRC" -maxdepth 1 -type d -name "$2" | head -n 1)
  if [ -z "$dir" ]; then
    add_deb_src >&2
    (cd "$SRC" && apt-get source -qq "$1" >/dev/null 2>&1) || {
      echo "firmware: apt-get source $1 failed" >&2; return 1; }
    dir=$(find "$SRC" -maxdepth 1 -type d -name "$2" | head -n 1)
  fi
  [ -n "$dir" ] && echo "$dir"
}

# --- libsodium and cJSON for the Cortex-M4 -------------------------------

build_libsodium() {
  local src build
  src=$(source_tree libsodium 'libsodium-*') || return 1
  build=$FW/libsodium-build
  rm -rf "$build" && mkdir -p "$build"
  # Debian's source has no configure script: make it with autoreconf (not
  # with autogen.sh, which would download config.guess).
  if [ ! -x "$src/configure" ]; then
    (cd "$src" && autoreconf -if >"$build/autoreconf.log" 2>&1) || {
      echo "firmware: autoreconf of libsodium failed (log in $build)" >&2; return 1; }
  fi
  # The smallest libsodium that has what veto needs: --enable-minimal, -Os,
  # no assembly, no threads, no hardening flags meant for hosted systems.
  # Bare metal has no operating system to draw random bytes from: no default
  # source at all, the firmware installs its own (randombytes_set_implementation).
  (cd "$build" &&
    "$src/configure" "${SODIUM_CONFIG[@]}" --prefix="$SYSROOT" \
      CC="arm-none-eabi-gcc --specs=picolibc.specs" \
      CPPFLAGS="-DRANDOMBYTES_CUSTOM_IMPLEMENTATION -DRANDOMBYTES_DEFAULT_IMPLEMENTATION=NULL" \
      CFLAGS="$TARGET_CFLAGS" LDFLAGS="$TARGET_LDFLAGS" >configure.log 2>&1 &&
    make -C src/libsodium -j2 >make.log 2>&1 &&
    make -C src/libsodium install >install.log 2>&1 &&
    make install-pkgconfigDATA >>install.log 2>&1) || {
    echo "firmware: libsodium cross build failed (logs in $build)" >&2; return 1; }
}

build_cjson() {
  local src
  src=$(source_tree cjson 'cjson-*') || return 1
  mkdir -p "$SYSROOT/include/cjson" "$SYSROOT/lib/pkgconfig" "$FW/cjson-build"
  arm-none-eabi-gcc --specs=picolibc.specs $TARGET_CFLAGS -std=c89 \
    -c "$src/cJSON.c" -o "$FW/cjson-build/cJSON.o"
  rm -f "$SYSROOT/lib/libcjson.a"
  arm-none-eabi-ar rcs "$SYSROOT/lib/libcjson.a" "$FW/cjson-build/cJSON.o"
  cp "$src/cJSON.h" "$SYSROOT/include/cjson/"
  local version
  version=$(sed -n 's/^#define CJSON_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)/\2/p' "$src/cJSON.h" |
            paste -sd. -)
  cat >"$SYSROOT/lib/pkgconfig/libcjson.pc" <<EOF
prefix=$SYSROOT
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: libcjson
Description: cJSON, cross-built for the Cortex-M4 from Debian's source package
Version: $version
Libs: -L\${libdir} -lcjson
Cflags: -I\${includedir}
EOF
}

# Built once, and again when the way they are built changes.
stamp="libsodium no-default-random ${SODIUM_CONFIG[*]} $TARGET_CFLAGS | cjson $TARGET_CFLAGS"
if [ "$(cat "$SYSROOT/.built" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$SYSROOT"
  echo "firmware: cross-building libsodium (minimal, -Os) from Debian's source package"
  build_libsodium || { fail "libsodium cross build"; finish; }
  echo "firmware: cross-building cJSON from Debian's source package"
  build_cjson || { fail "cJSON cross build"; finish; }
  echo "$stamp" >"$SYSROOT/.built"
fi
pass "libsodium and cJSON cross-built from Debian source packages"

# --- 3. veto and the example for the board, and natively to compare -----

setup() { # dir, meson args...
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >"$FW/setup.log" 2>&1
  else
    meson setup "$dir" "$@" >"$FW/setup.log" 2>&1
  fi
}

M4=$FW/m4
cat >"$FW/sysroot.ini" <<EOF2
[properties]
pkg_config_libdir = ['$SYSROOT/lib/pkgconfig']
EOF2
# The library as a top-level project builds (default_library=static from
# the cross file, through library()); only the example beside it.
if setup "$M4" --cross-file "$CROSS" --cross-file "$FW/sysroot.ini" --werror \
     -Dtool=false -Dtests=false -Dbench=false -Dexamples=true &&
   meson compile -C "$M4" >"$FW/compile.log" 2>&1; then
  pass "veto and examples/firmware.c cross-built for the Cortex-M4 with -Werror"
else
  cat "$FW/setup.log" "$FW/compile.log" 2>/dev/null | tail -30 >&2
  fail "cross build with meson"
  finish
fi

NATIVE=$FW/native
if setup "$NATIVE" --werror -Dtool=false -Dtests=false -Dbench=false -Dexamples=true &&
   meson compile -C "$NATIVE" examples/firmware >"$FW/compile-native.log" 2>&1; then
  :
else
  fail "native build of examples/firmware.c"
  finish
fi

# --- 4. on the emulated board ---------------------------------------------

# QEMU's working directory is the host end of semihosting: the full example
# writes the documents there, the device-only link reads them.
run_board() { # program, output
  (cd "$M4/examples" && timeout 300 "${QEMU[@]}" -kernel "$1" >"$2" 2>&1)
}
ok_run() { # output file: every decision as expected and exit status 0
  grep -q '^firmware example: every decision as expected$' "$1"
}
# The decisions, their reasons and the stored state; not the memory figures
# (32-bit pointers make the heap smaller on the board).
decisions() {
  grep -E '^  (enrol|trust|update|state page)|^    (refusal|notice)' "$1"
}

(cd "$M4/examples" && rm -f anchor.json policy.dsse 2.*.dsse)
"$NATIVE/examples/firmware" >"$FW/native.out" 2>&1 || fail "native firmware example"
for prog in firmware firmware-device firmware-device-lean; do
  if run_board "$prog" "$FW/$prog.out" && ok_run "$FW/$prog.out"; then
    pass "$prog runs on qemu-system-arm mps2-an386, every decision as expected"
  else
    tail -20 "$FW/$prog.out" >&2
    fail "$prog on the emulated board (output in $FW/$prog.out)"
  fi
  if diff <(decisions "$FW/native.out") <(decisions "$FW/$prog.out") >"$FW/$prog.diff"; then
    pass "$prog decides on the board exactly as on $(uname -m)"
  else
    head -20 "$FW/$prog.diff" >&2
    fail "$prog decides differently on the board ($FW/$prog.diff)"
  fi
done

# --- 5. the figures ---------------------------------------------------------

# Flash and RAM of the device-only links, by part, from their link maps;
# the costs of a decision from the lean link's run.
python3 - "$M4/examples" "$FW" >"$FW/figures.txt" <<'PY' || fail "figures"
import re, sys

maps, outs = sys.argv[1], sys.argv[2]
flash_sections = {'.init', '.text', '.rodata', '.data', '.tdata', '.ARM.exidx', '.init_array',
                  '.fini_array', '.preinit_array'}
ram_sections = {'.data', '.tdata', '.tbss', '.bss', '.noinit'}
parts = ['veto', 'libsodium', 'cJSON', 'libc', 'example', 'alignment']

def part(path):
    for key, name in (('libveto.a', 'veto'), ('libsodium.a', 'libsodium'),
                      ('libcjson.a', 'cJSON'), ('firmware.c', 'example'), ('*fill*', 'alignment')):
        if key in path:
            return name
    return 'libc'  # picolibc, its semihosting layer, crt0 and libgcc

def sizes(path):
    """Bytes of flash and of RAM by part, from a GNU ld map."""
    flash, ram = {}, {}
    out, pending, started = None, False, False
    for line in open(path):
        line = line.rstrip('\n')
        if line.startswith('Linker script and memory map'):
            started = True
            continue
        if not started:
            continue
        m = re.match(r'^(\.[\w.]+)(\s|$)', line)
        if m:
            out = m.group(1)
            continue
        one = re.match(r'^ (\*fill\*|[\w.$]\S*)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s*(.*)$', line)
        cont = re.match(r'^\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$', line)
        if one and (one.group(1) == '*fill*' or one.group(3)):
            size, where = int(one.group(2), 16), one.group(3) or '*fill*'
        elif cont and pending:
            size, where = int(cont.group(1), 16), cont.group(2)
        else:
            pending = re.match(r'^ [\w.$]\S*$', line) is not None
            continue
        pending = False
        if out is None or out == '.tbss_space':
            continue
        p = part(where)
        if out in flash_sections:
            flash[p] = flash.get(p, 0) + size
        if out in ram_sections:
            ram[p] = ram.get(p, 0) + size
    return flash, ram

def kib(n):
    return '%.1f KiB' % (n / 1024)

full = sizes(maps + '/firmware-device.map')
lean = sizes(maps + '/firmware-device-lean.map')
print('Flash and RAM of the verify-only device link (examples/firmware.c without its factory),')
print('by part; "lean" leaves libsodium\'s sodium_init out (-Wl,--wrap=sodium_init):')
print('  %-10s %12s %10s %12s %10s' % ('part', 'flash', 'RAM', 'lean flash', 'lean RAM'))
for p in parts:
    print('  %-10s %12s %10s %12s %10s' % (p, kib(full[0].get(p, 0)), kib(full[1].get(p, 0)),
                                          kib(lean[0].get(p, 0)), kib(lean[1].get(p, 0))))
print('  %-10s %12s %10s %12s %10s' % ('total', kib(sum(full[0].values())), kib(sum(full[1].values())),
                                      kib(sum(lean[0].values())), kib(sum(lean[1].values()))))
for name, (flash, ram) in (('as linked', full), ('lean', lean)):
    core = sum(flash.get(p, 0) for p in ['veto', 'libsodium', 'cJSON'])
    print('  veto + libsodium + cJSON, without libc (%s): %s flash, %s RAM; target 64 KiB: %s'
          % (name, kib(core), kib(sum(ram.get(p, 0) for p in ['veto', 'libsodium', 'cJSON'])),
             'met' if core <= 64 * 1024 else 'NOT met'))
print('  (the example\'s RAM is its 64 KiB device heap, its 8 KiB state page and its 512-byte chunk)')

fig = None
for line in open(outs + '/firmware-device-lean.out'):
    m = re.search(r'figures: heap (\d+) stack (\d+) ticks (\d+) parse-ticks (\d+)', line)
    if m:
        fig = dict(zip(['heap', 'stack', 'ticks', 'parse'], map(int, m.groups())))
if fig is None:
    print('no figures line in the device output')
    sys.exit(1)
print('One decision on the device (update 2.5.0 accepted: state page read back, three Ed25519')
print('signatures, 20000-byte image hashed in 512-byte chunks, new state written):')
print('  peak heap  %6d bytes (target 24 KiB: %s)'
      % (fig['heap'], 'met' if fig['heap'] <= 24 * 1024 else 'NOT met'))
print('  peak stack %6d bytes (target 4 KiB: %s)'
      % (fig['stack'], 'met' if fig['stack'] <= 4096 else 'NOT met'))
print('  time       %.2f million instructions, of which reading the state page back %.2f million'
      % (fig['ticks'] * 40 / 1e6, fig['parse'] * 40 / 1e6))
print('             (QEMU -icount shift=0: 1 instruction per ns; the board counter ticks at 25 MHz)')
PY
cat "$FW/figures.txt"
finish
