#!/bin/bash
# usage: save.sh SENTRY
# --save DIR: the changed and added entries land in DIR with their modes,
# symlinks as symlinks, the removed paths in DIR/.sentry-removed; the host
# folder stays as it was.  A DIR inside the workspace, or --save with
# --write-back, is refused before the command runs (125, one line).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

W=$T/ws
S=$T/saved/here
fixture "$W"
listing "$W" >"$T/before"

echo "checked: what --save writes"
run "$W" --save "$S" -- /bin/sh -c '
	echo new >new.txt; mkdir -p d/e; echo y >d/e/y; chmod 750 d
	printf "#!/bin/sh\n" >tool; chmod 751 tool
	echo more >>change.txt
	ln -s ../../etc/passwd up; ln -s keep.txt link2
	rm gone.txt; rm -r sub'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "one line on stderr ($(stderr_lines))" [ "$(stderr_lines)" -eq 1 ]
want="sentry: the workspace changed: 7 added, 1 changed, 3 removed; saved in $S (removals listed in $S/.sentry-removed)"
expect "summary: $(summary)" [ "$(summary)" = "$want" ]
expect "new.txt saved" [ "$(cat "$S/new.txt")" = new ]
expect "change.txt saved with its new contents" [ "$(cat "$S/change.txt")" = "$(printf 'old\nmore')" ]
expect "d/e/y saved" [ "$(cat "$S/d/e/y")" = y ]
expect "d keeps mode 750 ($(stat -c %a "$S/d"))" [ "$(stat -c %a "$S/d")" = 750 ]
expect "tool keeps mode 751 ($(stat -c %a "$S/tool"))" [ "$(stat -c %a "$S/tool")" = 751 ]
expect "up is a symlink" [ -L "$S/up" ]
expect "up points to ../../etc/passwd" [ "$(readlink "$S/up")" = ../../etc/passwd ]
expect "link2 is a symlink to keep.txt" [ "$(readlink "$S/link2")" = keep.txt ]
expect "unchanged keep.txt not saved" [ ! -e "$S/keep.txt" ]
expect "unchanged link not saved" [ ! -L "$S/link" ]
printf 'gone.txt\nsub\nsub/x\n' >"$T/want-removed"
# one path per NUL byte: a name may hold a newline
tr '\0' '\n' <"$S/.sentry-removed" >"$T/removed"
expect "removal list ends with a NUL" [ "$(tail -c1 "$S/.sentry-removed" | od -An -c | tr -d ' ')" = '\0' ]
if LC_ALL=C sort "$T/removed" | diff -u "$T/want-removed" -; then
	pass "removal list: $(tr '\n' ' ' <"$T/removed")"
else
	fail "removal list differs"
fi
expect "removal list order: sub/x before sub" \
	[ "$(grep -n '^sub/x$' "$T/removed" | cut -d: -f1)" -lt "$(grep -n '^sub$' "$T/removed" | cut -d: -f1)" ]
listing "$W" >"$T/after"
if diff -u "$T/before" "$T/after"; then pass "host folder unchanged"; else fail "host folder changed"; fi

echo "checked: --save=DIR with nothing changed makes DIR and an empty list"
run "$W" --save="$T/empty" -- /bin/sh -c 'cat keep.txt >/dev/null'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "nothing on stderr ($(stderr_lines) lines)" [ ! -s "$T/err" ]
expect "DIR holds only .sentry-removed" [ "$(ls -A "$T/empty")" = .sentry-removed ]
expect ".sentry-removed is empty" [ ! -s "$T/empty/.sentry-removed" ]

echo "checked: refusals"
for dir in "$W/out" "./out" "sub/../out" "$W" "."; do
	run "$W" --save "$dir" -- /bin/sh -c 'echo ran >ran'
	expect "--save $dir: exit 125 (was $RC)" [ "$RC" -eq 125 ]
	expect "--save $dir: one line ($(head -1 "$T/err"))" [ "$(stderr_lines)" -eq 1 ]
done
run "$W" --save "$T/both" --write-back -- /bin/sh -c 'echo ran >ran'
expect "--save with --write-back: exit 125 (was $RC)" [ "$RC" -eq 125 ]
expect "--save with --write-back: one line ($(head -1 "$T/err"))" [ "$(stderr_lines)" -eq 1 ]
expect "--save with --write-back: no DIR made" [ ! -e "$T/both" ]
run "$W" --write-back --save "$T/both" -- /bin/sh -c 'echo ran >ran'
expect "--write-back with --save: exit 125 (was $RC)" [ "$RC" -eq 125 ]

echo "checked: a second run never merges into a saved folder"
listing "$T/empty" >"$T/empty-before"
run "$W" --save "$T/empty" -- /bin/sh -c 'echo ran >ran'
expect "--save into a folder not empty: exit 125 (was $RC)" [ "$RC" -eq 125 ]
expect "--save into a folder not empty: one line ($(head -1 "$T/err"))" [ "$(stderr_lines)" -eq 1 ]
expect "--save into a folder not empty: the line names it" grep -qF "$T/empty" "$T/err"
listing "$T/empty" >"$T/empty-after"
expect "the saved folder is as it was" diff -q "$T/empty-before" "$T/empty-after"
mkdir "$T/made-empty"
run "$W" --save "$T/made-empty" -- /bin/sh -c 'echo ran >ran'
expect "--save into an empty folder: exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "--save into an empty folder: ran saved" [ "$(cat "$T/made-empty/ran" 2>/dev/null)" = ran ]

echo "checked: --save with no value before -- is refused"
run "$W" --save -- /bin/sh -c 'echo ran >ran'
expect "--save --: exit 125 (was $RC)" [ "$RC" -eq 125 ]
expect "--save --: one line ($(head -1 "$T/err"))" [ "$(stderr_lines)" -eq 1 ]
expect "--save --: no folder named -- made" [ ! -e "$W/--" ]
listing "$W" >"$T/after"
if diff -u "$T/before" "$T/after"; then pass "host folder unchanged"; else fail "host folder changed"; fi

finish
