#!/bin/bash
# usage: unprivileged.sh SENTRY PLATFORM
# A person without root runs sentry: the sandbox is built all the same, the
# workload is that person (its ids), its home is its own to write, and
# nothing is said on stderr but the workspace's summary. sentry is copied to a folder the user can
# reach, whatever folder the build lives in.
set -u
SENTRY=$1 PLATFORM=$2
T=$(mktemp -d /tmp/sentry-unpriv.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
cp "$SENTRY" "$T/sentry"
chmod 755 "$T/sentry"
mkdir "$T/work"
chown 65534:65534 "$T/work"
out=$(cd "$T/work" && setpriv --reuid 65534 --regid 65534 --clear-groups \
	env -i PATH=/usr/bin:/bin HOME="$T/work" "$T/sentry" --platform="$PLATFORM" -- \
	/bin/sh -c 'id -u; id -g; echo note >"$HOME/note" && cat "$HOME/note"; echo made >here; cat here' 2>"$T/err")
status=$?
fail=0
want=$'65534\n65534\nnote\nmade'
[ "$status" -eq 0 ] || { echo "FAIL: exit status $status"; fail=1; }
[ "$out" = "$want" ] || { echo "FAIL: stdout"; printf '%s\n' "$out" | sed 's/^/  | /'; fail=1; }
grep -v '^sentry: the workspace changed: 1 added' "$T/err" >"$T/other"
[ ! -s "$T/other" ] || { echo "FAIL: stderr"; sed 's/^/  | /' "$T/other"; fail=1; }
[ ! -e "$T/work/here" ] || { echo "FAIL: the workspace folder on the host was written"; fail=1; }
[ "$fail" -eq 0 ] && echo "PASSED: unprivileged on $PLATFORM"
exit "$fail"
