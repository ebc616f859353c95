#!/bin/bash
# usage: isolation.sh SENTRY PLATFORM MQTOOL
#
# POSIX message queues inside are the sandbox's own. The oracle is the
# host: a queue the host makes (unique name, removed at the end) is opened
# natively first, proving the lookup works, and must not be found inside;
# a queue made inside must be found neither by the host's mq_open nor in
# the host's mqueue file system (/dev/mqueue, or one mounted for the test
# when root may) while the sandbox holds it, nor after; and a second
# sandbox running at the same time sees none of the first one's queues.
set -u
SENTRY=$(readlink -f "$1") PLATFORM=$2 TOOL=$(readlink -f "$3")
FAILED=0
HOSTQ=/sentry-iso-$$-host INQ=/sentry-iso-$$-inside
T=$(mktemp -d /tmp/sentry-mq.XXXXXX) || exit 1
MQFS=
cleanup() {
	"$TOOL" unlink "$HOSTQ" "$INQ" >/dev/null 2>&1
	[ -n "$MQFS" ] && [ "$MQFS" != /dev/mqueue ] && umount "$MQFS" 2>/dev/null && rmdir "$MQFS"
	rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }
inside_with() { # SENTRY-OPTION COMMAND...
	local opt=$1
	shift
	timeout -k 2 20 "$SENTRY" --platform="$PLATFORM" -q --no-workspace --mount="$(dirname "$TOOL"):/mq" $opt -- "$@"
}
inside() { inside_with "" "$@"; }
expect() { # LABEL WANT GOT
	if [ "$2" = "$3" ]; then pass "$1: $3"; else fail "$1: want \"$2\", got \"$3\""; fi
}

# The host's mqueue file system, to list its queues.
if mountpoint -q /dev/mqueue 2>/dev/null; then
	MQFS=/dev/mqueue
else
	MQFS=$(mktemp -d /tmp/sentry-mqfs.XXXXXX)
	mount -t mqueue none "$MQFS" 2>/dev/null || { rmdir "$MQFS"; MQFS=; }
fi
[ -n "$MQFS" ] || echo "note: no host mqueue file system to list (not root): mq_open alone checks the host"

echo "checked: POSIX message queues on $PLATFORM against the host's"
expect "the host makes $HOSTQ" "create $HOSTQ: ok" "$("$TOOL" create "$HOSTQ")"
expect "natively, $HOSTQ is found" "open $HOSTQ: ok" "$("$TOOL" open "$HOSTQ")"
expect "inside, $HOSTQ is not found" "open $HOSTQ: ENOENT" "$(inside /mq/mqtool open "$HOSTQ")"
expect "inside, $HOSTQ is made anew" "create $HOSTQ: ok" "$(inside /mq/mqtool create "$HOSTQ")"
expect "inside, unlink $HOSTQ finds nothing" "unlink $HOSTQ: ENOENT" "$(inside /mq/mqtool unlink "$HOSTQ")"
expect "the host's $HOSTQ is still there" "open $HOSTQ: ok" "$("$TOOL" open "$HOSTQ")"

# A sandbox holding a queue of its own, and a second one meanwhile.
mkfifo "$T/hold"
inside /mq/mqtool hold "$INQ" <"$T/hold" >"$T/first.out" 2>&1 &
first=$!
exec 3>"$T/hold"
for _ in $(seq 100); do grep -q "hold" "$T/first.out" && break; sleep 0.1; done
expect "the first sandbox holds $INQ" "hold $INQ: ok" "$(cat "$T/first.out")"
expect "the host does not find $INQ" "open $INQ: ENOENT" "$("$TOOL" open "$INQ")"
if [ -n "$MQFS" ]; then
	listed=$(ls -A "$MQFS" | grep -c "sentry-iso-$$-inside")
	expect "entries named $INQ in the host's mqueue file system" 0 "$listed"
fi
expect "a second sandbox does not find $INQ" "open $INQ: ENOENT" "$(inside /mq/mqtool open "$INQ")"
expect "a second sandbox makes $INQ of its own" "create $INQ: ok" "$(inside /mq/mqtool create "$INQ")"
exec 3>&-
wait "$first"
expect "the first sandbox ended" 0 "$?"
expect "afterwards the host does not find $INQ" "open $INQ: ENOENT" "$("$TOOL" open "$INQ")"
if [ -n "$MQFS" ]; then
	expect "afterwards the host's mqueue file system lists only $HOSTQ" "${HOSTQ#/}" "$(ls -A "$MQFS" | grep "sentry-iso-$$-")"
fi

# Queues are held in the sentry's memory: their room counts against the
# sandbox's store however many users a root workload spreads them over
# (each user alone may hold RLIMIT_MSGQUEUE's 800 KiB: ten 80 KiB queues).
names=$(for i in $(seq 24); do printf '/sentry-iso-%s-spread-%s ' $$ "$i"; done)
spread=$(inside_with --memory-limit=1M /mq/mqtool spread $names)
made=$(grep -c ": ok$" <<<"$spread")
expect "queues of 24 users under --memory-limit=1M end with ENOSPC" ENOSPC "$(grep -v ": ok$" <<<"$spread" | head -1 | sed 's/.*: //')"
[ "$made" -ge 8 ] && [ "$made" -le 13 ] && pass "$made of them made, about 1 MiB of room" || fail "$made of 24 made under 1 MiB"
spread=$(inside_with --memory-limit=16M /mq/mqtool spread $names)
expect "the same 24 under --memory-limit=16M" 24 "$(grep -c ": ok$" <<<"$spread")"

[ "$FAILED" -eq 0 ] && echo "PASSED: isolation on $PLATFORM" || echo "FAILED: isolation on $PLATFORM"
exit "$FAILED"
