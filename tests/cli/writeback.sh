#!/bin/bash
# usage: writeback.sh SENTRY
# --write-back applies the workspace's changes to the host folder.  Symlinks
# the workload made, even ones pointing out of the folder, are written as
# symlinks and never followed: canaries beside the folder stay as they were.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

# The folder and its surroundings live in $H; the test's own files in $T.
H=$T/host
W=$H/ws
fixture "$W"
echo canary >"$H/canary"
mkdir "$H/outside"
echo inside-outside >"$H/outside/file"
ln -s ../outside "$W/hostlink"  # the user's own symlink out of the folder
chmod -h go-w "$W/hostlink" 2>/dev/null
listing "$H/outside" >"$T/outside-before"
outside_files() { find "$H" -path "$W" -prune -o -printf '%p %y %m %s %T@ %l\n' | LC_ALL=C sort; }
outside_files >"$T/around-before"

run "$W" --write-back -- /bin/sh -c '
	echo new >new.txt; mkdir -p d/e; echo z >d/e/z; chmod 700 d
	echo more >>change.txt; chmod 640 keep.txt
	rm gone.txt
	rm -r sub; ln -s ../outside sub
	ln -s ../canary evil; echo pwned >evil
	ln -s /etc/passwd abs
	rm hostlink; mkdir hostlink; echo f >hostlink/file
	echo ok >ran'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "one line on stderr ($(stderr_lines))" [ "$(stderr_lines)" -eq 1 ]
want="sentry: the workspace changed: 8 added, 4 changed, 2 removed; written back to $W"
expect "summary: $(summary)" [ "$(summary)" = "$want" ]

echo "checked: the changes reached the folder"
expect "new.txt" [ "$(cat "$W/new.txt")" = new ]
expect "d/e/z" [ "$(cat "$W/d/e/z")" = z ]
expect "d has mode 700 ($(stat -c %a "$W/d"))" [ "$(stat -c %a "$W/d")" = 700 ]
expect "change.txt has its new contents" [ "$(cat "$W/change.txt")" = "$(printf 'old\nmore')" ]
expect "keep.txt has mode 640 ($(stat -c %a "$W/keep.txt"))" [ "$(stat -c %a "$W/keep.txt")" = 640 ]
expect "gone.txt removed" [ ! -e "$W/gone.txt" ]
expect "sub is now a symlink" [ -L "$W/sub" ]
expect "sub points to ../outside" [ "$(readlink "$W/sub")" = ../outside ]
expect "evil is a symlink" [ -L "$W/evil" ]
expect "evil points to ../canary" [ "$(readlink "$W/evil")" = ../canary ]
expect "abs points to /etc/passwd" [ "$(readlink "$W/abs")" = /etc/passwd ]
expect "hostlink is now a directory, not a symlink" [ -d "$W/hostlink" ] 
expect "hostlink is no symlink" [ ! -L "$W/hostlink" ]
expect "hostlink/file" [ "$(cat "$W/hostlink/file")" = f ]
expect "keep.txt untouched" [ "$(cat "$W/keep.txt")" = keep ]
expect "link untouched" [ "$(readlink "$W/link")" = keep.txt ]

echo "checked: nothing outside the folder was touched"
expect "canary still says canary" [ "$(cat "$H/canary")" = canary ]
listing "$H/outside" >"$T/outside-after"
if diff -u "$T/outside-before" "$T/outside-after"; then pass "../outside unchanged"; else fail "../outside changed"; fi
outside_files >"$T/around-after"
if diff -u "$T/around-before" "$T/around-after"; then pass "nothing beside the folder changed"; else fail "beside the folder changed"; fi
expect "no temporary files left" [ -z "$(find "$W" -name '.sentry-*')" ]

echo "checked: a second run sees the written-back folder as its own"
run "$W" --write-back -- /bin/sh -c 'cat new.txt d/e/z hostlink/file >/dev/null; test -L evil'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "nothing on stderr ($(stderr_lines) lines)" [ ! -s "$T/err" ]

echo "checked: python3 renaming and removing, written back"
run "$W" --write-back -- python3 -c '
import os, shutil
os.rename("new.txt", "renamed.txt")
shutil.rmtree("d")
os.rename("hostlink", "moved")'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "summary: $(summary)" [ "$(summary)" = "sentry: the workspace changed: 3 added, 0 changed, 6 removed; written back to $W" ]
expect "renamed.txt" [ "$(cat "$W/renamed.txt")" = new ]
expect "new.txt gone" [ ! -e "$W/new.txt" ]
expect "d gone" [ ! -e "$W/d" ]
expect "moved/file" [ "$(cat "$W/moved/file")" = f ]
expect "hostlink gone" [ ! -e "$W/hostlink" ]

echo "checked: a change of modification time alone is written back (make would rebuild forever)"
M=$T/make
mkdir "$M"
echo same >"$M/obj"
echo same >"$M/rebuilt"
touch -d '2001-02-03 04:05:06' "$M/obj" "$M/rebuilt"
run "$M" --write-back -- /bin/sh -c 'touch -d "2011-01-01 00:00:00 UTC" obj; echo same >rebuilt'
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "summary: $(summary)" [ "$(summary)" = "sentry: the workspace changed: 0 added, 2 changed, 0 removed; written back to $M" ]
expect "obj has the time set inside ($(stat -c %Y "$M/obj"))" [ "$(stat -c %Y "$M/obj")" = "$(date -d '2011-01-01 00:00:00 UTC' +%s)" ]
expect "rebuilt is newer than 2001 ($(stat -c %Y "$M/rebuilt"))" [ "$(stat -c %Y "$M/rebuilt")" -gt "$(date -d '2002-01-01' +%s)" ]
expect "their bytes are the same" [ "$(cat "$M/obj" "$M/rebuilt")" = "$(printf 'same\nsame')" ]

finish
