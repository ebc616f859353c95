#!/bin/bash
# usage: summary.sh SENTRY
# The summary line at exit: counts of added, changed and removed entries,
# nothing when nothing changed, and the host folder left as it was.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

W=$T/ws
fixture "$W"
listing "$W" >"$T/before"

echo "checked: a run that only reads prints nothing"
run "$W" -- /bin/sh -c 'cat keep.txt sub/x >/dev/null; ls -la >/dev/null; readlink link'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "nothing on stderr ($(stderr_lines) lines)" [ ! -s "$T/err" ]

echo "checked: files opened for writing and left as they were are no change"
run "$W" -- python3 -c 'open("keep.txt", "r+").close(); open("sub/x", "a").close()'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "nothing on stderr ($(stderr_lines) lines)" [ ! -s "$T/err" ]

echo "checked: a file rewritten with the same bytes is newer: a change (make compares times)"
run "$W" -- python3 -c 'open("keep.txt", "w").write("keep\n")'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "summary: $(summary)" [ "$(summary)" = "sentry: the workspace changed: 0 added, 1 changed, 0 removed; discarded (keep them with --save DIR or --write-back)" ]

for platform in unotify ptrace; do
	echo "checked: counts on $platform"
	run "$W" --platform=$platform -- /bin/sh -c '
		echo new >new.txt; mkdir d; echo y >d/y
		echo more >>change.txt; chmod 600 keep.txt
		rm gone.txt; rm -r sub
		exit 3'
	expect "the command's status 3 (was $RC)" [ "$RC" -eq 3 ]
	expect "one line on stderr ($(stderr_lines))" [ "$(stderr_lines)" -eq 1 ]
	want="sentry: the workspace changed: 3 added, 2 changed, 3 removed; discarded (keep them with --save DIR or --write-back)"
	expect "summary: $(summary)" [ "$(summary)" = "$want" ]
done

echo "checked: python3 making and removing files"
run "$W" -- python3 -c '
import os, shutil
os.makedirs("pkg/mod")
for n in ("a", "b"):
    open("pkg/mod/" + n, "w").write(n)
os.unlink("change.txt")
os.symlink("keep.txt", "link2")'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "summary: $(summary)" [ "$(summary)" = "sentry: the workspace changed: 5 added, 0 changed, 1 removed; discarded (keep them with --save DIR or --write-back)" ]

echo "checked: without --save or --write-back the host folder is unchanged"
listing "$W" >"$T/after"
if diff -u "$T/before" "$T/after"; then pass "host folder unchanged"; else fail "host folder changed"; fi

echo "checked: --no-workspace has no summary"
run "$W" --no-workspace -- /bin/sh -c 'cd /tmp && echo x >f'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "nothing on stderr ($(stderr_lines) lines)" [ ! -s "$T/err" ]

finish
