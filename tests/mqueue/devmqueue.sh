#!/bin/bash
# usage: devmqueue.sh SENTRY PLATFORM MQTOOL
#
# /dev/mqueue inside lists the sandbox's queues as Linux's mqueue file
# system does: fsview.sh runs on the host's mqueue file system (mounted
# for the test: root only, else skipped) and inside at /dev/mqueue, and
# prints the same.
set -u
SENTRY=$(readlink -f "$1") PLATFORM=$2 TOOL=$(readlink -f "$3")
HERE=$(dirname "$(readlink -f "$0")")
P=sentry-fs-$$
T=$(mktemp -d /tmp/sentry-mqfs.XXXXXX) || exit 1
MQFS=$T/mqueue
mkdir "$MQFS"
cleanup() {
	"$TOOL" unlink "/$P-a" "/$P-b" >/dev/null 2>&1
	umount "$MQFS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
if ! mount -t mqueue none "$MQFS" 2>/dev/null; then
	echo "skipped: no mqueue file system to compare with (mount needs root)"
	exit 77
fi
"$HERE/fsview.sh" "$MQFS" "$TOOL" "$P" >"$T/native.out" 2>&1
timeout -k 2 20 "$SENTRY" --platform="$PLATFORM" -q --no-workspace --mount="$(dirname "$TOOL"):/mq" \
	--mount="$HERE:/mqtests" -- /bin/sh /mqtests/fsview.sh /dev/mqueue /mq/mqtool "$P" >"$T/inside.out" 2>&1
echo "checked: /dev/mqueue on $PLATFORM against the host's mqueue file system ($(wc -l <"$T/native.out") lines)"
if diff -u --label native --label inside "$T/native.out" "$T/inside.out"; then
	echo "PASSED: devmqueue on $PLATFORM"
	exit 0
fi
echo "FAILED: devmqueue on $PLATFORM"
exit 1
