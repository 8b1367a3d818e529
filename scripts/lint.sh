#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Static analysis of lib/, tool/ and examples/, from a fresh Debian machine:
# installs what is missing (scripts/deps.sh lint), then runs
#   cppcheck     warning, style, performance and portability checks
#   clang-tidy   the checks of .clang-tidy, over compile_commands.json of a
#                clang build in build-lint/
#   scan-build   clang's static analyzer over a fresh build in
#                build-lint-scan/
# and prints each finding, then one summary line per tool.
#
#   scripts/lint.sh [cppcheck|clang-tidy|scan-build]...   (default: all three)
#
# Exit status: 0 no finding, 1 findings, 2 a tool could not run.  A finding
# that is a false positive is suppressed where it is, with the reason:
#   cppcheck     // cppcheck-suppress ID ; why
#   clang-tidy   // NOLINT(check): why      (or NOLINTNEXTLINE)
#   scan-build   an assertion or a check the analyzer can follow
# Full outputs stay in build-lint/lint-*.txt and build-lint-scan/report/.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
scripts/deps.sh lint || exit 2

TIDY_DIR=build-lint
SCAN_DIR=build-lint-scan
SOURCES=(lib tool examples)
MESON_OPTS=(-Dtests=false -Dbench=false -Dfuzz=false) # what lint reads, nothing more

tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(cppcheck clang-tidy scan-build)
for t in "${tools[@]}"; do
	case $t in cppcheck | clang-tidy | scan-build) ;;
	*) echo "usage: scripts/lint.sh [cppcheck|clang-tidy|scan-build]..." >&2; exit 2 ;;
	esac
done

pick() { # the first of the named programs found
	local p
	for p in "$@"; do command -v "$p" >/dev/null 2>&1 && { echo "$p"; return 0; }; done
	return 1
}
jobs=$(nproc 2>/dev/null || echo 2)

summary=()
status=0
note() { summary+=("$1"); }
worse() { [ "$1" -gt "$status" ] && status=$1; return 0; }

# The clang build whose compile_commands.json clang-tidy reads: brought up to
# date, or made again when it is missing or was made with another compiler.
tidy_build() {
	if [ -f "$TIDY_DIR/build.ninja" ] &&
		meson introspect --compilers "$TIDY_DIR" 2>/dev/null | grep -q '"id": "clang"'; then
		meson setup --reconfigure "$TIDY_DIR" "${MESON_OPTS[@]}" >"$TIDY_DIR/lint-setup.txt" 2>&1 ||
			{ cat "$TIDY_DIR/lint-setup.txt" >&2; return 1; }
		return 0
	fi
	rm -rf "$TIDY_DIR"
	CC=$(pick clang-14 clang) meson setup "$TIDY_DIR" "${MESON_OPTS[@]}" \
		>"$TIDY_DIR.setup.log" 2>&1 || { cat "$TIDY_DIR.setup.log" >&2; return 1; }
	mv "$TIDY_DIR.setup.log" "$TIDY_DIR/lint-setup.txt"
}

run_cppcheck() {
	local out=$TIDY_DIR/lint-cppcheck.txt n ver
	mkdir -p "$TIDY_DIR"
	ver=$(cppcheck --version)
	# readdirCalled: cppcheck asks for readdir_r, which POSIX.1-2008 TC2
	# and glibc deprecate; readdir on a DIR that one thread owns is safe.
	cppcheck --enable=warning,style,performance,portability --inline-suppr \
		--error-exitcode=1 --std=c11 --library=posix -D_POSIX_C_SOURCE=200809L \
		-I include -I lib -I tool -j "$jobs" --quiet \
		--suppress=readdirCalled \
		--template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
		"${SOURCES[@]}" >"$out" 2>&1
	local rc=$?
	n=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: [a-z]+: ' "$out")
	grep -E '^[^ ]+:[0-9]+:[0-9]+: [a-z]+: ' "$out"
	if [ "$n" -eq 0 ] && [ "$rc" -ne 0 ]; then
		cat "$out" >&2
		note "cppcheck: FAILED to run ($ver, exit $rc)"
		worse 2
		return
	fi
	note "cppcheck: $n finding(s) ($ver)"
	[ "$n" -eq 0 ] || worse 1
}

run_clang_tidy() {
	local tidy out=$TIDY_DIR/lint-clang-tidy.txt n ver
	tidy=$(pick clang-tidy-14 clang-tidy) || { note "clang-tidy: not found"; worse 2; return; }
	ver=$("$tidy" --version | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -1)
	# The project's own C files in the compilation database.
	local files=()
	mapfile -t files < <(sed -n 's/^ *"file": "\(.*\)",*$/\1/p' "$TIDY_DIR/compile_commands.json" |
		grep -E "(^|/)($(IFS='|'; echo "${SOURCES[*]}"))/[^/]+\.c$" | sort -u)
	if [ ${#files[@]} -eq 0 ]; then
		note "clang-tidy: FAILED: no source files in $TIDY_DIR/compile_commands.json"
		worse 2
		return
	fi
	# One process per file, in parallel; the database's paths are
	# relative to the build directory.
	(cd "$TIDY_DIR" && printf '%s\0' "${files[@]}" |
		xargs -0 -P "$jobs" -n 1 "$tidy" -p . --quiet 2>/dev/null) >"$out.raw"
	# A header's finding comes once per file that includes it: keep one.
	grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$out.raw" |
		sed -e "s|^$PWD/$TIDY_DIR/\.\./||" -e "s|^$PWD/||" -e "s|^\.\./||" | sort -u -t: -k1,1 -k2,2n -k3,3n -k4 >"$out"
	n=$(wc -l <"$out" | tr -d ' ')
	cat "$out"
	note "clang-tidy: $n finding(s) (clang-tidy $ver, $((${#files[@]})) files, checks of .clang-tidy)"
	[ "$n" -eq 0 ] || worse 1
}

run_scan_build() {
	local sb out n ver
	sb=$(pick scan-build-14 scan-build) || { note "scan-build: not found"; worse 2; return; }
	ver=$(pick clang-14 clang) && ver=$("$ver" --version | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -1)
	rm -rf "$SCAN_DIR"
	if ! "$sb" meson setup "$SCAN_DIR" "${MESON_OPTS[@]}" >/dev/null 2>"$SCAN_DIR.err"; then
		cat "$SCAN_DIR.err" >&2
		note "scan-build: FAILED to configure $SCAN_DIR"
		worse 2
		return
	fi
	rm -f "$SCAN_DIR.err"
	out=$SCAN_DIR/lint-scan-build.txt
	# Default checkers, plus three that suit this code.
	"$sb" --status-bugs -o "$SCAN_DIR/report" \
		-enable-checker valist \
		-enable-checker optin.portability.UnixAPI \
		-enable-checker security.FloatLoopCounter \
		meson compile -C "$SCAN_DIR" >"$out" 2>&1
	local rc=$?
	grep -E ': warning: .*\[(core|unix|deadcode|nullability|security|valist|optin|apiModeling|alpha)\.' "$out" |
		sed -e "s|^\.\./||" | sort -u
	n=$(sed -n 's/^scan-build: \([0-9][0-9]*\) bugs\{0,1\} found\./\1/p' "$out" | tail -1)
	grep -q '^scan-build: No bugs found' "$out" && n=0
	if [ -z "$n" ] || { [ "$n" -eq 0 ] && [ "$rc" -ne 0 ]; }; then
		tail -20 "$out" >&2
		note "scan-build: FAILED (exit $rc; see $out)"
		worse 2
		return
	fi
	note "scan-build: $n bug(s) (clang $ver static analyzer; report in $SCAN_DIR/report)"
	[ "$n" -eq 0 ] || worse 1
}

# Before any tool writes its output into $TIDY_DIR, which this may remake.
tidy_ok=1
for t in "${tools[@]}"; do
	[ "$t" = clang-tidy ] && { tidy_build || tidy_ok=0; break; }
done

for t in "${tools[@]}"; do
	echo "== $t" >&2
	case $t in
		cppcheck) run_cppcheck ;;
		clang-tidy)
			if [ "$tidy_ok" -eq 1 ]; then run_clang_tidy; else
				note "clang-tidy: FAILED to configure $TIDY_DIR"; worse 2
			fi ;;
		scan-build) run_scan_build ;;
	esac
done
echo
printf '%s\n' "${summary[@]}"
exit "$status"
