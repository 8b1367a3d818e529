#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the small consumer project in tests/consumer/project three ways and
# runs it each time:
#   installed  veto installed into a temporary prefix (shared and static
#              libraries), found with pkg-config by meson and by a plain cc;
#   static     veto installed with -Ddefault_library=static, linked through
#              `pkg-config --static` and meson's dependency(static: true);
#   subproject veto in subprojects/veto, where it must build its library
#              and nothing else, add no tests and install nothing.
# Prints one "ok"/"not ok" line per check and ends with
# "consumer: N passed, N failed" (scripts/test.sh counts these).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
WORK=$(mktemp -d "${TMPDIR:-/tmp}/veto-consumer.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
PROJECT=$ROOT/tests/consumer/project
# Only the library: the quickest build that installs what users get.
LIB_ONLY=(-Dtool=false -Dtests=false -Dbench=false -Dexamples=false --werror)

passed=0 failed=0 n=0
check() { # description, command...
  local what=$1; shift
  n=$((n + 1))
  if "$@" >>"$WORK/log" 2>&1; then
    passed=$((passed + 1)); echo "ok $n - $what"
  else
    failed=$((failed + 1)); echo "not ok $n - $what"
    tail -15 "$WORK/log" | sed 's/^/# /'
  fi
}

install_veto() { # prefix, extra meson args...
  local prefix=$1; shift
  meson setup "$WORK/build-$(basename "$prefix")" "$ROOT" --prefix="$prefix" \
    --libdir=lib "${LIB_ONLY[@]}" "$@" &&
    meson install -C "$WORK/build-$(basename "$prefix")"
}

consumer_meson() { # pkg-config path, build dir, meson args...
  local pc=$1 dir=$2; shift 2
  PKG_CONFIG_PATH=$pc meson setup "$dir" "$PROJECT" "$@" && meson compile -C "$dir" &&
    meson test -C "$dir"
}

no_cjson_flags() { # pkg-config path
  local flags
  flags=$(PKG_CONFIG_PATH=$1 pkg-config --cflags veto) || return 1
  echo "cflags: $flags"
  case "$flags" in *cjson*) return 1 ;; esac
}

# --- installed ---------------------------------------------------------------
P=$WORK/prefix
PC=$P/lib/pkgconfig
check "installed: meson setup, compile and install of the library" install_veto "$P"
check "installed: pkg-config --cflags veto leaks no cJSON include path" no_cjson_flags "$PC"
check "installed: a meson project finds veto with pkg-config, builds and runs" \
  consumer_meson "$PC" "$WORK/consumer-installed"
check "installed: cc \$(pkg-config --cflags --libs veto) builds and runs" bash -c '
  cc -std=c11 -o "$1/plain" "$2/main.c" $(PKG_CONFIG_PATH="$3" pkg-config --cflags --libs veto) &&
  LD_LIBRARY_PATH="$4/lib" "$1/plain"' _ "$WORK" "$PROJECT" "$PC" "$P"

# --- static ------------------------------------------------------------------
S=$WORK/static
SPC=$S/lib/pkgconfig
check "static: -Ddefault_library=static builds and installs no shared object" bash -c '
  meson setup "$1/build-static" "$2" --prefix="$3" --libdir=lib \
    -Dtool=false -Dtests=false -Dbench=false -Dexamples=false --werror \
    -Ddefault_library=static && meson install -C "$1/build-static" &&
  test -f "$3/lib/libveto.a" && ! ls "$3"/lib/libveto.so* 2>/dev/null' _ "$WORK" "$ROOT" "$S"
check "static: pkg-config --static --libs veto succeeds" \
  env PKG_CONFIG_PATH="$SPC" pkg-config --static --libs veto
check "static: cc \$(pkg-config --static --cflags --libs veto) builds and runs" bash -c '
  cc -std=c11 -o "$1/plain-static" "$2/main.c" \
    $(PKG_CONFIG_PATH="$3" pkg-config --static --cflags --libs veto) &&
  "$1/plain-static" && ! readelf -d "$1/plain-static" | grep -q "libveto"' _ "$WORK" "$PROJECT" "$SPC"
check "static: a meson project with dependency('veto', static: true) builds and runs" \
  consumer_meson "$SPC" "$WORK/consumer-static" -Dstatic=true

# --- subproject --------------------------------------------------------------
SUB=$WORK/parent
mkdir -p "$SUB/subprojects"
cp -r "$PROJECT/." "$SUB/"
ln -s "$ROOT" "$SUB/subprojects/veto"
check "subproject: the parent project builds and its test runs" bash -c '
  meson setup "$1/build" "$1" -Dsubproject=true && meson compile -C "$1/build" &&
  meson test -C "$1/build"' _ "$SUB"
check "subproject: veto builds its library only (no tool, tests, fuzz, bench, examples)" bash -c '
  targets=$(meson introspect --targets "$1/build" | python3 -c "
import json, sys
print(\" \".join(sorted(t[\"name\"] for t in json.load(sys.stdin))))")
  echo "targets: $targets"
  [ "$targets" = "consumer veto" ]' _ "$SUB"
check "subproject: meson test runs the parent's test only" bash -c '
  tests=$(meson introspect --tests "$1/build" | python3 -c "
import json, sys
print(\" \".join(sorted(t[\"name\"] for t in json.load(sys.stdin))))")
  echo "tests: $tests"
  [ "$tests" = "consumer" ]' _ "$SUB"
check "subproject: installing the parent installs nothing of veto" bash -c '
  DESTDIR="$1/dest" meson install -C "$1/build" >/dev/null &&
  files=$(cd "$1/dest" && find . -type f | sort) && echo "installed: $files" &&
  [ "$(echo "$files" | wc -l)" -eq 1 ] && echo "$files" | grep -q "/consumer$"' _ "$SUB"
check "subproject: the parent binary links veto statically" bash -c '
  ! readelf -d "$1/build/consumer" | grep -q libveto' _ "$SUB"

echo "consumer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
