#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every global symbol that libveto-statedir defines starts with veto_ (its
# API is veto_sd_*, its internals veto__*), in the archive (nm -g) and in
# the shared object (nm -D); and the shared object exports the whole API.
# TAP.  Arguments: the archive and the shared object ("" when not built).
set -u
archive=$1 shared=${2:-}
api="veto_sd_close veto_sd_create veto_sd_open veto_sd_read veto_sd_read_fd
veto_sd_replace_at veto_sd_write veto_sd_write_fd"
n=0 bad=0
tap() { # ok?, text
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=1; fi
}
check_prefix() { # label, nm arguments...
  local label=$1; shift
  local syms others
  if ! syms=$(nm "$@" 2>&1); then
    echo "# nm $*: $syms"
    tap 1 "$label: nm"
    return
  fi
  # "ADDR TYPE NAME", or a file header "name.o:" and blank lines in an archive
  others=$(printf '%s\n' "$syms" | awk 'NF == 3 { print $3 } NF == 2 && $1 ~ /^[A-Za-z]$/ { print $2 }' |
    grep -v '^veto_' || true)
  [ -z "$others" ] || echo "# $label: not veto_: $(echo $others)"
  tap "$([ -z "$others" ] && echo 0 || echo 1)" "$label: every defined global symbol starts with veto_"
}
check_prefix "archive $(basename "$archive")" -g --defined-only "$archive"
if [ -n "$shared" ]; then
  check_prefix "shared object $(basename "$shared")" -D --defined-only "$shared"
  exported=$(nm -D --defined-only "$shared" | awk 'NF == 3 { print $3 }' | sort)
  missing=$(comm -23 <(tr ' ' '\n' <<<"$api" | tr -s '\n' | sort) <(printf '%s\n' "$exported"))
  [ -z "$missing" ] || echo "# missing: $(echo $missing)"
  tap "$([ -z "$missing" ] && echo 0 || echo 1)" "the shared object exports the whole API"
  internal=$(printf '%s\n' "$exported" | grep '^veto__' || true)
  [ -z "$internal" ] || echo "# exported internals: $(echo $internal)"
  tap "$([ -z "$internal" ] && echo 0 || echo 1)" "the shared object hides the internal veto__ functions"
fi
echo "1..$n"
exit $bad
