#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench-smoke: runs every benchmark program given in --smoke mode (tiny
# sizes, a few seconds in all) and checks that each exits 0 and prints at
# least one RESULT line whose own figure is a positive number (and the
# peer's, when there is one: 0 means none).  The
# programs assert their own sanity (decisions accepted, figures finite);
# how fast they are is not tested here.
set -u
status=0
for prog in "$@"; do
	name=$(basename "$prog")
	if ! out=$("$prog" --smoke 2>&1); then
		printf '%s\n' "$out"
		echo "bench-smoke: $name --smoke failed" >&2
		status=1
		continue
	fi
	printf '%s\n' "$out"
	bad=$(printf '%s\n' "$out" | awk -F '\t' '
		$1 == "RESULT" { n++; if (!($6 + 0 > 0) || !($5 + 0 >= 0)) bad++ }
		END { if (n == 0 || bad) print "bad" }')
	if [ -n "$bad" ]; then
		echo "bench-smoke: $name printed no sane RESULT line" >&2
		status=1
	fi
done
exit $status
