#!/bin/bash
# usage: check_native.sh PROGRAM...
#
# Each syscall program must be a usable oracle: run natively twice, in two
# fresh folders, it must print the same and exit 0.
set -u
# shellcheck source=cap.sh
. "$(dirname "${BASH_SOURCE[0]}")/cap.sh"
FAILED=0
for prog in "$@"; do
	prog=$(readlink -f "$prog")
	name=$(basename "$prog")
	a=$(mktemp -d /dev/shm/sc.XXXXXX) || exit 1
	b=$(mktemp -d /dev/shm/sc.XXXXXX) || exit 1
	cap_make
	out1=$( (cap_enter && cd "$a" && exec timeout 30 "$prog") </dev/null 2>/dev/null)
	rc1=$?
	out2=$( (cap_enter && cd "$b" && exec timeout 30 "$prog") </dev/null 2>/dev/null)
	rc2=$?
	cap_release
	rm -rf "$a" "$b"
	if [ "$rc1" -ne 0 ] || [ "$rc2" -ne 0 ]; then
		echo "FAIL: $name exits $rc1 and $rc2"
		FAILED=1
	elif [ "$out1" != "$out2" ]; then
		echo "FAIL: $name prints differently in two native runs:"
		diff <(echo "$out1") <(echo "$out2") | head -20
		FAILED=1
	else
		echo "ok: $name ($(echo "$out1" | wc -l) lines)"
	fi
done
[ "$FAILED" -eq 0 ] && echo "PASSED: $# programs are deterministic natively"
exit "$FAILED"
