#!/bin/bash
# usage: policy.sh SENTRY
# --policy FILE: options one per line, as on the command line (with or
# without dashes, NAME=VALUE or NAME VALUE), comments and blank lines
# skipped; later options win; a bad line is FILE:LINE and 125; an
# unreadable FILE is one line and 125; a policy file in the folder sentry
# runs in is never read unless named.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

mkdir -p "$T/ws" "$T/tool"
echo tool >"$T/tool/t.txt"
export SENTRY_TEST_SECRET=s3cret
cat >"$T/policy" <<-POLICY
	# what the workload gets

	env=SENTRY_TEST_SECRET
	--env SENTRY_TEST_SET=two words
	memory-limit 1M
	--image=$T/tool
POLICY
show='echo "secret=$SENTRY_TEST_SECRET set=$SENTRY_TEST_SET"; stat -f -c %b /tmp; cat '"$T"'/tool/t.txt'

run "$T/ws" -- sh -c "$show"
expect "without --policy: fails (no image) (was $RC)" [ "$RC" -ne 0 ]
expect "without --policy: the variable stays outside" grep -qx "secret= set=" "$T/out"
expect "without --policy: no memory limit" [ "$(sed -n 2p "$T/out")" != 256 ]

run "$T/ws" --policy "$T/policy" -- sh -c "$show"
expect "--policy: exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "--policy: env lines reach the workload" grep -qx "secret=s3cret set=two words" "$T/out"
expect "--policy: memory-limit 1M (256 blocks of 4K)" [ "$(sed -n 2p "$T/out")" = 256 ]
expect "--policy: image shows the folder" [ "$(sed -n 3p "$T/out")" = tool ]

run "$T/ws" --policy="$T/policy" --env SENTRY_TEST_SET=cli --memory-limit 2M -- sh -c "$show"
expect "--policy: a later command-line option wins" grep -qx "secret=s3cret set=cli" "$T/out"
expect "--policy: a later --memory-limit wins" [ "$(sed -n 2p "$T/out")" = 512 ]

# A policy file in the workspace is never read unless named.
for name in policy .sentry .sentryrc sentry.policy .sentry.policy sentry.conf; do
	printf 'env=SENTRY_TEST_SECRET\nmemory-limit 1M\n' >"$T/ws/$name"
done
run "$T/ws" -- sh -c "$show"
expect "a policy file in the workspace is not read" grep -qx "secret= set=" "$T/out"
expect "a policy file in the workspace sets no limit" [ "$(sed -n 2p "$T/out")" != 256 ]

bad() { # bad WHAT LINE-NUMBER: $T/bad fails at that line
	run "$T/ws" --policy "$T/bad" -- true
	expect "$1: exit 125 (was $RC)" [ "$RC" -eq 125 ]
	expect "$1: one line on stderr" [ "$(stderr_lines)" -eq 1 ]
	expect "$1: names $T/bad:$2" grep -qF "$T/bad:$2:" "$T/err"
}
printf '# ok\nenv=A\nfrobnicate=1\n' >"$T/bad"
bad "an unknown option" 3
printf 'env\n' >"$T/bad"
bad "an option without its value" 1
printf '\n\nmemory-limit lots\n' >"$T/bad"
bad "a bad value" 3
printf 'trace=yes\n' >"$T/bad"
bad "a value for an option without one" 1
printf 'policy %s\n' "$T/policy" >"$T/bad"
bad "a policy naming another" 1

run "$T/ws" --policy "$T/nowhere" -- true
expect "an unreadable policy: exit 125 (was $RC)" [ "$RC" -eq 125 ]
expect "an unreadable policy: one line on stderr" [ "$(stderr_lines)" -eq 1 ]
finish
