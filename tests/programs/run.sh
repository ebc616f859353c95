#!/bin/bash
# usage: run.sh SENTRY PLATFORM SCRIPT
#
# Runs one real-program script (tests/programs/*.sh) in a fresh work folder:
#   cd WORK && SENTRY --platform=PLATFORM -- bash ./SCRIPT
# WORK holds a copy of the script, assert.sh, fixtures/<name>/ (if any) and
# the source-tree files that <name>.files lists (if any).
# Passes when
#   - the script exits 0 within the time limit,
#   - its stdout equals <name>.expected, where that file exists,
#   - the host work folder is byte-for-byte unchanged afterwards (names,
#     types, modes, owners, sizes, mtimes, link targets and SHA-256 of every
#     file, the folder itself included): writes inside the sentry stay inside.
# SENTRY "native" runs the script without the sandbox, to validate it; the
# unchanged-folder check is skipped then, since a native run does write.
#
# Environment: SENTRY_PROGRAMS_TIMEOUT (seconds, default 120),
# SENTRY_PROGRAMS_TMP (parent of the work folder, default /tmp),
# SENTRY_PROGRAMS_KEEP=1 keeps the work folder for inspection.
set -uo pipefail

if [ $# -ne 3 ]; then
	echo "usage: $0 SENTRY|native PLATFORM SCRIPT" >&2
	exit 2
fi
SENTRY=$1 PLATFORM=$2 SCRIPT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
NAME=$(basename "$SCRIPT" .sh)
LIMIT=${SENTRY_PROGRAMS_TIMEOUT:-120}

if [ ! -f "$SCRIPT" ]; then
	echo "FAIL: no script $SCRIPT"
	exit 1
fi
if [ "$SENTRY" != native ] && [ ! -x "$SENTRY" ]; then
	echo "FAIL: sentry binary $SENTRY is missing or not executable"
	exit 1
fi

T=$(mktemp -d "${SENTRY_PROGRAMS_TMP:-/tmp}/sentry-programs.XXXXXX") || exit 1
WORK=$T/work
cleanup() {
	if [ "${SENTRY_PROGRAMS_KEEP:-0}" = 1 ]; then
		echo "kept: $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
mkdir "$WORK" "$T/home"

cp "$SCRIPT" "$WORK/$NAME.sh"
cp "$HERE/assert.sh" "$WORK/assert.sh"
if [ -d "$HERE/fixtures/$NAME" ]; then
	cp -a "$HERE/fixtures/$NAME/." "$WORK/"
fi
# NAME.files: more files from the source tree, one path (from its root) a line.
if [ -f "$HERE/$NAME.files" ]; then
	while read -r path; do
		[ -z "$path" ] && continue
		cp "$HERE/../../$path" "$WORK/" || { echo "FAIL: cannot copy $path"; exit 1; }
	done <"$HERE/$NAME.files"
fi
# Modes as the scripts expect them, whatever the checkout's umask was.
chmod -R go-w "$WORK"

# One line per entry, sorted by path, then the SHA-256 of every regular file.
listing() {
	(
		cd "$1" || exit 1
		find . -printf '%p\t%y %m %U:%G %s %T@ %l\n' | LC_ALL=C sort
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
	)
}

listing "$WORK" >"$T/before" || { echo "FAIL: could not list $WORK"; exit 1; }

# A fixed, small environment: Debian's programs first on PATH, a C locale.
ENVIRONMENT=(PATH=/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb)
if [ "$SENTRY" = native ]; then
	# A scratch HOME outside the work folder: the caller's dotfiles stay out.
	RUN=(env -i "${ENVIRONMENT[@]}" HOME="$T/home" bash "./$NAME.sh")
	WHERE=natively
else
	RUN=(env -i "${ENVIRONMENT[@]}" "$SENTRY" --platform="$PLATFORM" -- bash "./$NAME.sh")
	WHERE="inside the sentry ($PLATFORM)"
fi

start=${EPOCHREALTIME/./}
(cd "$WORK" && timeout -k 5 "$LIMIT" "${RUN[@]}" </dev/null >"$T/stdout" 2>"$T/stderr")
rc=$?
end=${EPOCHREALTIME/./}
took=$(((end - start) / 1000))

FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }
show() {
	local label=$1 file=$2 n
	n=$(wc -l <"$file")
	[ "$n" -eq 0 ] && return
	echo "--- $label ($n lines, last 40) ---"
	tail -40 "$file"
	echo "---"
}

echo "ran: $NAME $WHERE in ${took} ms"
case $rc in
0) pass "exit status 0" ;;
124 | 137) fail "timed out after ${LIMIT}s (status $rc)" ;;
*) fail "exit status $rc" ;;
esac

if [ -f "$HERE/$NAME.expected" ]; then
	if diff -u --label expected --label actual "$HERE/$NAME.expected" "$T/stdout"; then
		pass "stdout matches $NAME.expected ($(wc -l <"$T/stdout") lines)"
	else
		fail "stdout differs from $NAME.expected (diff above)"
	fi
fi

if [ "$SENTRY" = native ]; then
	echo "note: native run, host folder check not applicable"
else
	listing "$WORK" >"$T/after" || fail "could not list $WORK after the run"
	if diff -u --label before --label after "$T/before" "$T/after"; then
		pass "host folder unchanged ($(grep -c $'\t' "$T/before") entries)"
	else
		fail "host folder changed by the run (diff above)"
	fi
fi

if [ "$FAILED" -ne 0 ]; then
	show "stdout" "$T/stdout"
	show "stderr" "$T/stderr"
	echo "FAILED: $NAME $WHERE"
	exit 1
fi
show "stderr" "$T/stderr"
echo "PASSED: $NAME $WHERE"
exit 0
