# Shared by the integration harness scripts; sourced, never run.
# The caller's arguments: SENTRY PLATFORM PROGRAM [ARGS...].
set -u
SENTRY=$1 PLATFORM=$2 PROG=$3
shift 3
NAME=$(basename "$PROG")
FAILED=0
T=$(mktemp -d /tmp/sentry-it.XXXXXX)
trap 'rm -rf "$T"' EXIT

fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }

# Runs a command inside the sentry, bounded in time (124/137: timed out).
inside() {
	# shellcheck disable=SC2086 # IT_SENTRY_ARGS holds whole options
	timeout -k 2 "${IT_TIMEOUT:-30}" "$SENTRY" --platform="$PLATFORM" ${IT_SENTRY_ARGS:-} -- "$@"
}

# Shows up to 30 lines of a file, labelled.
show() {
	local label=$1 file=$2 n
	n=$(wc -l <"$file")
	[ "$n" -eq 0 ] && return
	echo "--- $label ($n lines) ---"
	head -30 "$file"
	[ "$n" -gt 30 ] && echo "..."
	echo "---"
}

# Whether a pid or tid is a live task (not gone, not a zombie).
alive() {
	local stat state
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	state=${stat##*) }
	state=${state%% *}
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Milliseconds since the epoch, without a fork.
now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

finish() {
	if [ "$FAILED" -ne 0 ]; then
		echo "FAILED: $NAME on $PLATFORM"
		exit 1
	fi
	echo "PASSED: $NAME on $PLATFORM"
	exit 0
}
