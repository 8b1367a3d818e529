#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every global symbol that libveto defines starts with "veto_": the public
# API is veto_*, internals are veto__* (hidden in the shared object, but
# global in the static archive, where a firmware links them next to its own
# code).  Prints TAP; one case per library file given.
#   check-symbols.sh NM LIB...
set -u
nm=$1; shift
echo "1..$#"
n=0 status=0
for lib in "$@"; do
  n=$((n + 1))
  case "$lib" in
    *.so*) defined=$("$nm" -D --defined-only "$lib") ;;
    *) defined=$("$nm" -g --defined-only "$lib") ;;
  esac
  if [ -z "$defined" ]; then
    echo "not ok $n - $(basename "$lib"): nm listed no symbols"
    status=1
    continue
  fi
  # Lines "ADDRESS TYPE NAME"; archive member headers and blanks are skipped.
  bad=$(printf '%s\n' "$defined" | awk 'NF == 3 && $3 !~ /^veto_/ { print $3 }' | sort -u)
  if [ -n "$bad" ]; then
    echo "not ok $n - $(basename "$lib"): unprefixed global symbols:"
    printf '#   %s\n' $bad
    status=1
  else
    echo "ok $n - $(basename "$lib"): every global symbol starts with veto_"
  fi
done
exit $status
