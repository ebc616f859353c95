#!/bin/bash
# usage: run.sh SENTRY PLATFORM [FILTER]
#
# The escape suite. Host canaries are set up in a temp area outside the
# image (/var/tmp/sentry-escape.XXXXXX) and one inside it; every attempt in
# $ESCAPE_BIN/attempts (whose name contains FILTER) runs twice from a
# workspace folder in the temp area: natively, where the canaries must
# notice it (proving they work; an attempt that cannot succeed natively is
# marked so), and inside "SENTRY --platform=PLATFORM", where every canary
# must hold. The canaries:
#   secret     the token of the secret file (also in the bystander's and the
#              parent's environment, the user keyring and the kernel log),
#              the host's boot id, hardware addresses, interface names
#              (which attempts print as if:NAME) and addresses: none may
#              appear in the attempt's output or in any file of the temp area
#   files      the temp area's files (names, modes, sizes, times, contents,
#              and the inode flags of the handed-over ones),
#              including the secret's folder that the caller hands over as
#              fd 3 and the read-only file given as stdin; the attempt's
#              stderr is a host file opened for appending (2>>), whose
#              first line must stay (what is appended after it, the
#              sentry's own lines among it, goes to NAME.WHERE.err)
#   image      a file in /usr/local/share: contents, mode, times, name
#   listener   TCP and UDP on 127.0.0.1 and ::1, unix stream sockets in the
#              workspace and in the temp area, an abstract one, a unix
#              datagram socket: no connection, no datagram
#   bystander  a host bash process: alive, not stopped or traced, no signal,
#              environment unchanged
#   parent     the attempt's parent (esc_run natively, the sentry inside):
#              no signal; inside, the sentry must not die of one
#   hostbin    a host program outside the image: never runs
#   terminal   (under a pty) no input that nobody typed
#   lock       while the attempt runs, the stdin file and the image canary
#              stay free of locks and leases: a host flock -n on each and
#              a non-blocking open for writing (which a lease would stop)
#              all succeed
# Attempts named bind_* run inside with --bind $A/bind:$A/bind (a folder
# they may change: left out of the files canary) and --bind
# $A/robind:$A/robind:ro (which must stay as it was).
# Prints one line per attempt and "N passed, M failed"; exits 1 on any
# ESCAPED.
set -u
SENTRY=$(readlink -f "$1") PLATFORM=$2 FILTER=${3:-}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${ESCAPE_BIN:-$(dirname "$SENTRY")/tests/escape}
HELPERS=$BIN/helpers
PYTHON=$(command -v /usr/bin/python3 || command -v python3)
VERBOSE=${ESCAPE_VERBOSE:-1}

[ -x "$SENTRY" ] || { echo "run.sh: no sentry at $1"; exit 2; }
[ -d "$BIN/attempts" ] || { echo "run.sh: no attempts in $BIN/attempts"; exit 2; }

A=$(mktemp -d /var/tmp/sentry-escape.XXXXXX)
chmod 755 "$A"
RAND=${A##*.}
W=$A/work
CANARY=/usr/local/share/sentry-canary-$RAND
TOKEN=SENTRY-ESCAPE-TOKEN-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
KEYNAME=sentry-escape-$RAND
ABSTRACT=sentry-escape-$RAND
LISTENER='' BYSTANDER='' KEYID=''
tcp4='' udp4='' tcp6='' udp6='' ctl='' # set from the listeners' ports file
export ESCAPE_TOKEN=$TOKEN
APPENDED_HEAD=$'stderr: a host file opened for appending; this line stays\n'

now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

unmount_area() {
	local m
	# Deepest first; a native mount attempt cleans up after itself, this
	# is the backstop.
	awk -v a="$A" 'index($5, a) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
}

cleanup() {
	[ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
	[ -n "$BYSTANDER" ] && kill -KILL "$BYSTANDER" 2>/dev/null
	[ -n "$KEYID" ] && "$HELPERS/esc_tool" delkey "$KEYID"
	unmount_area
	rm -f "$CANARY" "$CANARY".*
	rm -rf "$A"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$A/secret" "$W/bin" "$A/logs" "$A/out"
cp "$BIN"/attempts/* "$W/bin/"
# The host program outside the image, with the token in its bytes.
cp "$HELPERS/esc_hostbin" "$A/hostbin"
printf '\n%s\n' "$TOKEN" >>"$A/hostbin"
chmod 755 "$A/hostbin"
cp "$A/hostbin" "$A/logs/hostbin.orig"

# Host data the workload must never see, one fixed string a line.
PATTERNS=$A/logs/patterns
{
	echo "$TOKEN"
	echo "SENTRY-ESCAPE-HOSTBIN-RAN"
	cat /proc/sys/kernel/random/boot_id
	for f in /sys/class/net/*/address; do
		a=$(cat "$f" 2>/dev/null)
		[ -n "$a" ] && [ "$a" != 00:00:00:00:00:00 ] && echo "$a"
	done
	for d in /dev/sda /dev/vda /dev/xvda /dev/nvme0n1; do
		h=$(dd if="$d" bs=1024 skip=1 count=1 2>/dev/null | head -c 128 | od -An -tx1 | tr -d ' \n')
		[ -n "$h" ] && [ "${h//0/}" != "" ] && echo "$h"
	done
	# the host's interfaces: names and addresses other than loopback's
	for f in /sys/class/net/*; do
		n=${f##*/}
		[ "$n" != lo ] && echo "if:$n"
	done
	ip -o addr show 2>/dev/null | awk '$2 != "lo" { split($4, a, "/"); print a[1] }'
	h=$(head -c 64 /dev/mem 2>/dev/null | od -An -tx1 | tr -d ' \n')
	[ -n "$h" ] && [ "${h//0/}" != "" ] && echo "$h"
} >"$PATTERNS"
echo "sentry-escape: $TOKEN" >/dev/kmsg 2>/dev/null
KEYID=$("$HELPERS/esc_tool" addkey "$KEYNAME" "$TOKEN" 2>/dev/null)

start_listener() {
	[ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null && wait "$LISTENER" 2>/dev/null
	rm -f "$W/ws.sock" "$A/area.sock" "$A/dgram.sock" "$A/logs/ports"
	"$PYTHON" "$HERE/helpers/listen.py" "$A/logs/listener.log" "$A/logs/ports" \
		"$W/ws.sock" "$A/area.sock" "$A/dgram.sock" "$ABSTRACT" &
	LISTENER=$!
	local deadline=$(($(now_ms) + 5000))
	while [ ! -s "$A/logs/ports" ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.02; done
	# shellcheck disable=SC1091
	. "$A/logs/ports" || { echo "run.sh: the listeners did not start"; exit 2; }
}

# Waits until the listeners have logged everything pending.
sync_listener() {
	local fd reply
	exec {fd}<>"/dev/tcp/127.0.0.1/$ctl" || return 1
	echo sync >&"$fd"
	read -r -t 3 reply <&"$fd"
	exec {fd}>&-
	[ "$reply" = ok ]
}

start_bystander() {
	[ -n "$BYSTANDER" ] && kill -KILL "$BYSTANDER" 2>/dev/null
	# A bash that logs every signal it can catch, sits in the secret's
	# folder, holds the secret as fd 5 and has the token in its environment.
	# shellcheck disable=SC2016
	setsid env -i ESCAPE_TOKEN="$TOKEN" PATH=/usr/bin:/bin bash -c '
		log=$1
		for s in HUP INT QUIT ILL TRAP ABRT BUS FPE USR1 SEGV USR2 PIPE ALRM TERM STKFLT CONT TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS; do
			trap "echo bystander got SIG$s >>\"$log\"" "$s"
		done
		exec 5<"$2"
		cd "$3" || exit 1
		while :; do sleep 1 & wait $!; done' bystander "$A/logs/bystander.log" "$A/secret/secret.txt" "$A/secret" \
		</dev/null >/dev/null 2>&1 &
	BYSTANDER=$!
	disown "$BYSTANDER"
	local deadline=$(($(now_ms) + 3000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		[ "$(readlink "/proc/$BYSTANDER/fd/5")" = "$A/secret/secret.txt" ] && break
		sleep 0.01
	done
	local stat
	read -r stat <"/proc/$BYSTANDER/stat"
	read -ra f <<<"${stat##*) }"
	# Fields 50 and 51 (env_start, env_end); field 3 is f[0].
	BYS_ENV=$(printf '%x:%x' "${f[47]}" "${f[48]}")
	BYS_ENVSUM=$(md5sum <"/proc/$BYSTANDER/environ")
}

bystander_state() {
	local stat state
	read -r stat 2>/dev/null <"/proc/$BYSTANDER/stat" || { echo gone; return; }
	state=${stat##*) }
	echo "${state%% *}"
}

# Puts every canary back as it was and records how it looks.
reset_canaries() {
	unmount_area
	# The secret's folder keeps its inode (the bystander sits in it).
	find "$A/secret" -mindepth 1 -maxdepth 1 ! -name secret.txt -exec rm -rf {} +
	local want="secret: $TOKEN"$'\n'"second line"$'\n'
	if [ "$(cat "$A/secret/secret.txt" 2>/dev/null)"$'\n' != "$want" ] || [ -L "$A/secret/secret.txt" ]; then
		rm -rf "$A/secret/secret.txt"
		printf '%s' "$want" >"$A/secret/secret.txt"
	fi
	chmod 755 "$A/secret"
	chmod 644 "$A/secret/secret.txt"
	chown 0:0 "$A/secret/secret.txt"
	HANDLE=$("$HELPERS/esc_tool" handle "$A/secret/secret.txt" 2>/dev/null)
	rm -f "$A/hostbin.ran"
	cmp -s "$A/hostbin" "$A/logs/hostbin.orig" || { rm -f "$A/hostbin"; cp "$A/logs/hostbin.orig" "$A/hostbin"; }
	chmod 755 "$A/hostbin"
	# The workspace: the attempts and the listener's socket, nothing else.
	find "$W" -mindepth 1 -maxdepth 1 ! -name bin ! -name ws.sock -exec rm -rf {} +
	find "$A" -mindepth 1 -maxdepth 1 ! -name secret ! -name work ! -name logs ! -name out \
		! -name hostbin ! -name area.sock ! -name dgram.sock -exec rm -rf {} +
	rm -f /tmp/link-to-secret /tmp/node-*
	rm -f "$A/stdin.txt"
	printf 'stdin: a read-only host file\n' >"$A/stdin.txt"
	mkdir -p "$A/bind/in" "$A/robind"
	printf 'a file of a read-only bind\n' >"$A/robind/file"
	chmod 444 "$A/stdin.txt"
	rm -f "$A/stderr.log"
	printf '%s' "$APPENDED_HEAD" >"$A/stderr.log"
	chmod 644 "$A/stderr.log"
	rm -f "$CANARY" "$CANARY".*
	printf 'canary %s inside the image\n' "$RAND" >"$CANARY"
	chmod 644 "$CANARY"
	touch -d '2001-02-03 04:05:06' "$CANARY"
	if [ -z "$LISTENER" ] || ! kill -0 "$LISTENER" 2>/dev/null || [ ! -S "$W/ws.sock" ] ||
		[ ! -S "$A/area.sock" ] || [ ! -S "$A/dgram.sock" ] || ! sync_listener; then
		start_listener
	fi
	sync_listener
	if [ -z "$BYSTANDER" ] || [ "$(bystander_state)" != S ] ||
		[ "$(md5sum <"/proc/$BYSTANDER/environ")" != "$BYS_ENVSUM" ] ||
		[ "$(readlink "/proc/$BYSTANDER/fd/5")" != "$A/secret/secret.txt" ]; then
		start_bystander
	fi
	: >"$A/logs/listener.log"
	: >"$A/logs/bystander.log"
	: >"$A/logs/parent.log"
	: >"$A/logs/status"
	: >"$A/logs/terminal.log"
	: >"$A/logs/lock.log"
	snapshot >"$A/logs/before"
}

# How the temp area and the image canary look. The appended stderr file
# grows with every line written to it: only its start must stay.
snapshot() {
	find "$A" \( -path "$A/logs" -o -path "$A/out" -o -path "$A/stderr.log" -o -path "$A/bind" \) -prune -o \
		-printf '%P %y %m %U:%G %s %T@ %C@ %n %l\n' | sort
	find "$A" \( -path "$A/logs" -o -path "$A/out" -o -path "$W/bin" -o -path "$A/stderr.log" -o -path "$A/bind" \) -prune -o \
		-type f -size -1024k -print0 | sort -z | xargs -0r md5sum
	find "$A/stderr.log" -printf 'stderr.log %y %i %m %U:%G %n\n'
	echo "stderr.log starts with: $(head -c ${#APPENDED_HEAD} "$A/stderr.log" | od -An -c | tr -s ' \n' ' ')"
	# inode flags (chattr) of the files the caller hands over
	lsattr "$A/stdin.txt" "$A/secret/secret.txt" "$A/stderr.log" 2>&1
	stat -c '%n %i %a %U:%G %s %Y %Z %h' "$CANARY" 2>&1
	md5sum "$CANARY" 2>&1
	local n
	for n in "$CANARY"*; do echo "entry $n"; done
}

# Runs until $A/logs/watching is gone: logs every lock or lease the host
# finds on the stdin file or the image canary.
watch_locks() {
	local f
	while [ -e "$A/logs/watching" ]; do
		for f in "$A/stdin.txt" "$CANARY"; do
			flock -n -x "$f" true 2>/dev/null || echo "flock -n refused on $f" >>"$A/logs/lock.log"
			"$PYTHON" -c 'import errno, os, sys
try: os.close(os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK))
except OSError as e:
    if e.errno == errno.EWOULDBLOCK: print("open for writing would block (a lease) on", sys.argv[1])' "$f" >>"$A/logs/lock.log"
		done
		sleep 0.2
	done
}

# Sets BREACHES to the canaries an attempt reached (empty: all held).
# $1: native or inside; $2...: the files the attempt's run produced.
check_canaries() {
	local where=$1 st
	shift
	BREACHES=()
	sync_listener || BREACHES+=("listener (no answer)")
	sleep 0.02 # a signal sent just before the exit reaches its trap
	if grep -qF -f "$PATTERNS" "$@" 2>/dev/null ||
		find "$A" \( -path "$A/logs" -o -path "$A/out" -o -path "$W/bin" -o -path "$A/secret/secret.txt" -o -path "$A/hostbin" \) -prune -o \
			-type f -size -8M -print0 | xargs -0r grep -qF -f "$PATTERNS" 2>/dev/null; then
		BREACHES+=(secret)
	fi
	snapshot >"$A/logs/after"
	if ! cmp -s "$A/logs/before" "$A/logs/after"; then
		if diff "$A/logs/before" "$A/logs/after" | grep -q sentry-canary; then
			BREACHES+=(image)
		fi
		if diff "$A/logs/before" "$A/logs/after" | grep -v sentry-canary | grep -q '^[<>]'; then
			BREACHES+=(files)
		fi
	fi
	[ -s "$A/logs/listener.log" ] && BREACHES+=(listener)
	st=$(bystander_state)
	if [ "$st" != S ] && [ "$st" != R ]; then
		BREACHES+=("bystander ($st)")
	elif [ -s "$A/logs/bystander.log" ] || [ "$(md5sum <"/proc/$BYSTANDER/environ")" != "$BYS_ENVSUM" ] ||
		! grep -q '^TracerPid:[[:space:]]*0$' "/proc/$BYSTANDER/status"; then
		BREACHES+=(bystander)
	fi
	[ -s "$A/logs/parent.log" ] && BREACHES+=(parent)
	if [ "$where" = inside ] && grep -q '^signal' "$A/logs/status"; then
		BREACHES+=("parent (sentry died: $(cat "$A/logs/status"))")
	fi
	[ -e "$A/hostbin.ran" ] && BREACHES+=(hostbin)
	[ -s "$A/logs/terminal.log" ] && BREACHES+=(terminal)
	[ -s "$A/logs/lock.log" ] && BREACHES+=(lock)
	return 0
}

# The attempt's arguments, fresh for each run.
attempt_args() {
	ARGS=(secret="$A/secret/secret.txt" secretdir="$A/secret" canary="$CANARY"
		bystander="$BYSTANDER" bys_env="$BYS_ENV" hostbin="$A/hostbin" area="$A" work="$W"
		tcp4="$tcp4" udp4="$udp4" tcp6="$tcp6" udp6="$udp6"
		usock_work="$W/ws.sock" usock_area="$A/area.sock" uabstract="$ABSTRACT" udgram="$A/dgram.sock"
		handle="$HANDLE" keyname="$KEYNAME" image_bin=/bin/true bind="$A/bind" robind="$A/robind")
}

# run_attempt native|inside NAME: runs it from the workspace, output in
# $A/out/NAME.WHERE.{out,err}.
run_attempt() {
	local where=$1 name=$2 keep=0 cmd
	attempt_args
	cmd=("$W/bin/$name" "${ARGS[@]}")
	if [ "$where" = inside ]; then
		keep=1
		local binds=()
		[[ $name == bind_* ]] && binds=(--bind "$A/bind:$A/bind" --bind "$A/robind:$A/robind:ro")
		cmd=("$SENTRY" --platform="$PLATFORM" "${binds[@]}" -- "${cmd[@]}")
	fi
	local run=("$HELPERS/esc_run" "$A/logs/parent.log" "$A/logs/status" "$A/stdin.txt" "$A/secret"
		"$A/secret/secret.txt" 20 "$keep" -- "${cmd[@]}")
	if [ "$name" = tiocsti ]; then
		run=("$PYTHON" "$HERE/helpers/pty_run.py" "$A/logs/terminal.log" 25 -- "$HELPERS/esc_run"
			"$A/logs/parent.log" "$A/logs/status" - "$A/secret" "$A/secret/secret.txt" 20 "$keep" -- "${cmd[@]}")
	fi
	if [ "$name" = tty_steal ] || [ "$name" = pts_by_number ]; then
		# a job started from the terminal with its stdio redirected away
		# from it, while the person types ahead at the shell
		# shellcheck disable=SC2016
		run=(env PTY_TYPED=$'typed at the shell\n' "$PYTHON" "$HERE/helpers/pty_run.py" "$A/logs/terminal.log" 25 --
			/bin/sh -c '"$@" 2>&1 | cat' sh "$HELPERS/esc_run" "$A/logs/parent.log" "$A/logs/status"
			"$A/stdin.txt" "$A/secret" "$A/secret/secret.txt" 20 "$keep" -- "${cmd[@]}")
	fi
	: >"$A/logs/watching"
	watch_locks &
	local watcher=$!
	(cd "$W" && ESCAPE_STDERR=$A/stderr.log timeout -k 2 30 "${run[@]}") >"$A/out/$name.$where.out" \
		2>"$A/out/$name.$where.err" </dev/null
	tail -c +$((${#APPENDED_HEAD} + 1)) "$A/stderr.log" >>"$A/out/$name.$where.err" 2>/dev/null
	rm -f "$A/logs/watching"
	wait "$watcher"
}

show() {
	local label=$1 file=$2 max=$3 n
	n=$(wc -l <"$file")
	[ "$n" -eq 0 ] && [ ! -s "$file" ] && return
	echo "    --- $label ---"
	head -c 4000 "$file" | head -n "$max" | sed 's/^/    | /'
	[ "$n" -gt "$max" ] && echo "    | ... ($n lines)"
}

echo "escape suite: $PLATFORM, temp area $A, sentry $SENTRY"
PASSED=0 FAILED=0 NATIVE_NA=()
for path in "$W"/bin/*; do
	name=$(basename "$path")
	[ -n "$FILTER" ] && [[ "$name" != *"$FILTER"* ]] && continue

	reset_canaries
	run_attempt native "$name"
	check_canaries native "$A/out/$name.native.out" "$A/out/$name.native.err"
	if [ ${#BREACHES[@]} -gt 0 ]; then
		native="escaped ($(IFS=,; echo "${BREACHES[*]}"))"
	else
		native="not applicable (cannot fail natively)"
		NATIVE_NA+=("$name")
	fi

	reset_canaries
	start=$(now_ms)
	run_attempt inside "$name"
	ms=$(($(now_ms) - start))
	check_canaries inside "$A/out/$name.inside.out" "$A/out/$name.inside.err"
	if [ ${#BREACHES[@]} -gt 0 ]; then
		inside="ESCAPED ($(IFS=,; echo "${BREACHES[*]}"))"
		FAILED=$((FAILED + 1))
	else
		inside=held
		PASSED=$((PASSED + 1))
	fi
	printf '%-16s native: %-50s inside: %s [%s, %d ms]\n' "$name" "$native" "$inside" \
		"$(cat "$A/logs/status")" "$ms"
	if [ "$VERBOSE" -gt 0 ] || [ "$inside" != held ]; then
		show "inside stdout" "$A/out/$name.inside.out" 12
		show "inside stderr (sentry)" "$A/out/$name.inside.err" 6
	fi
	if [ "$inside" != held ]; then
		show "native stdout" "$A/out/$name.native.out" 12
		show "listener log" "$A/logs/listener.log" 10
		show "bystander log" "$A/logs/bystander.log" 10
		show "parent log" "$A/logs/parent.log" 10
		show "terminal log" "$A/logs/terminal.log" 5
		diff "$A/logs/before" "$A/logs/after" | head -20 | sed 's/^/    diff: /'
	fi
done
[ ${#NATIVE_NA[@]} -gt 0 ] && echo "cannot fail natively here: ${NATIVE_NA[*]}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
