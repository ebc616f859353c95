# Shared by the cli tests: sourced with the sentry binary as $1.
set -u
SENTRY=$1
T=$(mktemp -d /tmp/sentry-cli.XXXXXX) || exit 1
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }
# expect WHAT COMMAND...: a check that passes when COMMAND succeeds.
expect() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# A small folder to change: two files kept, one to change, one to remove,
# a subfolder to remove and a symlink.
fixture() {
	mkdir -p "$1/sub"
	echo keep >"$1/keep.txt"
	echo old >"$1/change.txt"
	echo gone >"$1/gone.txt"
	echo x >"$1/sub/x"
	ln -s keep.txt "$1/link"
	chmod -R go-w "$1"
}

# run DIR ARGS...: sentry ARGS in DIR; its status in $RC, its output in
# $T/out and $T/err.  The system's programs: a python3 of pyenv or conda
# earlier on the caller's PATH is one the sandbox does not show.
run() {
	local dir=$1
	shift
	(cd "$dir" && PATH=/usr/local/bin:/usr/bin:/bin timeout -k 2 60 "$SENTRY" "$@" </dev/null >"$T/out" 2>"$T/err")
	RC=$?
}

# Every entry of a folder with type, mode, size, mtime and link target, and
# the SHA-256 of every file.
listing() {
	(
		cd "$1" || exit 1
		find . -printf '%p\t%y %m %s %T@ %l\n' | LC_ALL=C sort
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
	)
}

stderr_lines() { wc -l <"$T/err"; }
summary() { grep '^sentry: the workspace changed:' "$T/err"; }

finish() {
	if [ "$FAILED" -ne 0 ]; then
		echo "--- last stderr ---"
		cat "$T/err"
		echo "FAILED"
		exit 1
	fi
	echo "PASSED"
	exit 0
}
