#!/bin/bash
# usage: messages.sh SENTRY
# What sentry says when the command line cannot be what the user meant:
# a missing --image, --workspace or --mount path; a script whose #!
# interpreter is missing or whose #! line ends in CR; a folder as the
# command; a command the host's PATH finds in a folder the sandbox does
# not show (pyenv shims, ~/.local/bin, conda). One line each, with the
# status a shell gives. Also: --timeout takes fractions, and the command is
# looked up along --env PATH=... when given.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

W=$T/ws
mkdir -p "$W"
printf '#!/nonexistent/interp\necho ran\n' >"$W/nointerp.sh"
printf '#!/bin/sh\r\necho ran\r\n' >"$W/crlf.sh"
mkdir "$W/folder"
chmod +x "$W/nointerp.sh" "$W/crlf.sh"

# one STATUS PATTERN ARGS...: sentry ARGS in $W exits STATUS with exactly
# one line on stderr matching the fixed string PATTERN.
one() {
	local status=$1 pattern=$2
	shift 2
	run "$W" "$@"
	local what="sentry $*"
	expect "$what: exit $status (was $RC)" [ "$RC" -eq "$status" ]
	expect "$what: one line ($(head -1 "$T/err"))" [ "$(stderr_lines)" -eq 1 ]
	expect "$what: the line says: $pattern" grep -qF -- "$pattern" "$T/err"
}

echo "checked: missing host paths, named"
one 125 "--image /nonexistent/tool" --image=/nonexistent/tool -- /bin/true
one 125 "--workspace $T/nowhere" --workspace="$T/nowhere" -- /bin/true
one 125 "$T/nowhere" --mount="$T/nowhere:/opt/x" -- /bin/true
one 125 "--save needs a value" --save -- /bin/true

echo "checked: scripts and folders, as bash says them"
one 127 "./nointerp.sh: /nonexistent/interp: bad interpreter" -- ./nointerp.sh
one 127 "./crlf.sh: /bin/sh^M: bad interpreter" -- ./crlf.sh
one 126 "./folder: is a directory" -- ./folder
one 127 "nosuchcommand: command not found" -- nosuchcommand

echo "checked: --timeout=0.5"
start=$(date +%s%N)
one 124 "ran out of time" --timeout=0.5 -- /bin/sleep 5
took=$((($(date +%s%N) - start) / 1000000))
expect "killed after about half a second (${took} ms)" [ "$took" -ge 400 -a "$took" -lt 4000 ]
one 125 "--timeout" --timeout=0 -- /bin/true
one 125 "--timeout" --timeout=1e3 -- /bin/true

echo "checked: the command is looked up along --env PATH"
mkdir "$W/bin"
printf '#!/bin/sh\necho tool ran\n' >"$W/bin/tool"
chmod +x "$W/bin/tool"
run "$W" --env=PATH="$W/bin:/usr/bin:/bin" -- tool
expect "exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "tool ran ($(cat "$T/out"))" [ "$(cat "$T/out")" = "tool ran" ]

echo "checked: a command the host finds in a folder the sandbox does not show"
# /tmp is the sandbox's own, fresh: $T/hidden is on the host only.
mkdir "$T/hidden"
printf '#!/bin/sh\necho the host one\n' >"$T/hidden/true"
chmod +x "$T/hidden/true"
(cd "$W" && PATH="$T/hidden:/usr/bin:/bin" timeout -k 2 60 "$SENTRY" -- true </dev/null >"$T/out" 2>"$T/err")
RC=$?
expect "exit 127 (was $RC)" [ "$RC" -eq 127 ]
expect "one line ($(head -1 "$T/err"))" [ "$(stderr_lines)" -eq 1 ]
expect "it names the host's file" grep -qF "$T/hidden/true" "$T/err"
expect "it names the --image that shows it" grep -qF -- "--image=$T/hidden" "$T/err"
expect "nothing ran" [ ! -s "$T/out" ]
(cd "$W" && PATH="$T/hidden:/usr/bin:/bin" timeout -k 2 60 "$SENTRY" --image="$T/hidden" -- true </dev/null >"$T/out" 2>"$T/err")
RC=$?
expect "with --image=$T/hidden: the host's one runs (exit $RC, $(cat "$T/out"))" [ "$(cat "$T/out")" = "the host one" ]

finish
