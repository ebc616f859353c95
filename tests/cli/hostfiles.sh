#!/bin/bash
# usage: hostfiles.sh SENTRY
# The host files sentry writes (--audit, --save) and reads to configure a
# run (--policy) are reached through no symlink, and none the workload may
# have changed is used: a workload that planted a link through
# --write-back cannot make a later run write through it.  What --save
# copies out keeps holes as holes, lists removals one per NUL byte, and
# holds no fd per file or per level.
. "$(dirname "$0")/lib.sh"

W=$T/ws
mkdir -p "$W"
echo secret >"$T/target"
ln -s "$T/target" "$W/audit.log"

echo "checked: a planted audit.log symlink"
run "$W" --audit=./audit.log -- /bin/true
expect "exit 125 (was $RC)" [ "$RC" -eq 125 ]
expect "one line ($(stderr_lines))" [ "$(stderr_lines)" -eq 1 ]
expect "the link's target is untouched" [ "$(cat "$T/target")" = secret ]
mkdir "$T/real"
ln -s "$T/real" "$W/logs"
run "$W" --audit=logs/new.log -- /bin/true
expect "a symlinked folder in the path: exit 125 (was $RC)" [ "$RC" -eq 125 ]
expect "nothing made through it" [ -z "$(ls -A "$T/real")" ]
run "$W" --write-back --audit=./fresh.log -- /bin/true
expect "--audit inside the workspace with --write-back: exit 125 (was $RC), one line" \
	[ "$RC" -eq 125 -a "$(stderr_lines)" -eq 1 ]
expect "and not made" [ ! -e "$W/fresh.log" ]
run "$W" --audit="$T/audit.json" -- /bin/true
expect "an audit log outside: exit 0 (was $RC)" [ "$RC" -eq 0 ]

echo "checked: --policy only from a file the workload could not have changed"
echo 'env=FROM_POLICY=1' >"$W/policy"
chmod 600 "$W/policy"
run "$W" --policy="$W/policy" -- /bin/true
expect "a policy inside the workspace: exit 125 (was $RC), one line" [ "$RC" -eq 125 -a "$(stderr_lines)" -eq 1 ]
cp "$W/policy" "$T/policy"
chmod 666 "$T/policy"
run "$W" --policy="$T/policy" -- /bin/true
expect "a policy writable by others: exit 125 (was $RC)" [ "$RC" -eq 125 ]
chmod 600 "$T/policy"
ln -s "$T/policy" "$T/policy-link"
run "$W" --policy="$T/policy-link" -- /bin/true
expect "a policy through a symlink: exit 125 (was $RC)" [ "$RC" -eq 125 ]
run "$W" --policy="$T/policy" -- /bin/sh -c 'test "$FROM_POLICY" = 1'
expect "a policy outside, owner-only: read (exit $RC)" [ "$RC" -eq 0 ]

echo "checked: --save never follows a symlink on its way"
ln -s "$T/real" "$T/save-link"
run "$W" --save="$T/save-link/out" -- /bin/sh -c 'echo x >x'
expect "a symlink in the --save path: exit 125 (was $RC), one line" [ "$RC" -eq 125 -a "$(stderr_lines)" -eq 1 ]
expect "nothing made through it" [ -z "$(ls -A "$T/real")" ]

echo "checked: holes, names with a newline, many files and a deep tree"
W2=$T/ws2
mkdir "$W2"
printf x >"$W2/$(printf 'z\n..')"
run "$W2" --save="$T/saved" -- /usr/bin/python3 -c '
import os
os.unlink("z\n..")
open("big", "w").truncate(10 << 30)
os.mkdir("many")
for i in range(20000):
    os.mknod("many/f%d" % i)
p = "deep"
for i in range(300):
    os.mkdir(p)
    p += "/d"
open(os.path.dirname(p) + "/leaf", "w").write("leaf")
'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "big has its size ($(stat -c %s "$T/saved/big" 2>/dev/null))" [ "$(stat -c %s "$T/saved/big" 2>/dev/null)" = 10737418240 ]
expect "big takes no room ($(du -k "$T/saved/big" | cut -f1) KiB)" [ "$(du -k "$T/saved/big" | cut -f1)" -lt 1024 ]
expect "the removal is one NUL-ended name holding a newline" \
	[ "$(od -An -c "$T/saved/.sentry-removed" | tr -s ' ')" = " z \\n . . \\0" ]
expect "20000 files saved ($(ls "$T/saved/many" | wc -l))" [ "$(ls "$T/saved/many" | wc -l)" -eq 20000 ]
expect "the leaf 300 levels down saved" [ "$(find "$T/saved/deep" -name leaf -exec cat {} +)" = leaf ]
expect "the workspace kept its file" [ -e "$W2/$(printf 'z\n..')" ]
finish
