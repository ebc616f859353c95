#!/bin/sh
# run.sh CASE LOADER BINDIR: one loader test case; exits non-zero on failure.
set -u
case=$1 loader=$2 bindir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL [$case]: $*" >&2
	exit 1
}

# compare NAME NATIVE-COMMAND... -- LOADED-COMMAND...: same stdout and status.
compare() {
	name=$1
	shift
	native=""
	while [ "$1" != "--" ]; do
		native="$native '$1'"
		shift
	done
	shift
	eval "$native" >"$tmp/native" 2>"$tmp/native.err"
	n=$?
	"$@" >"$tmp/loaded" 2>"$tmp/loaded.err"
	l=$?
	[ "$n" = "$l" ] ||
		fail "$name: exit $n natively, $l under the loader: $(cat "$tmp/loaded.err")"
	cmp -s "$tmp/native" "$tmp/loaded" ||
		fail "$name: output differs (< native, > loader):
$(diff "$tmp/native" "$tmp/loaded")"
	echo "ok: $name"
}

# same COMMAND...: COMMAND natively and as "loader COMMAND".
same() {
	compare "$*" "$@" -- "$loader" "$@"
}

# expect LINE: the last loaded run printed exactly this line.
expect() {
	grep -qxF -- "$1" "$tmp/loaded" || fail "expected the line '$1' in:
$(cat "$tmp/loaded")"
}

# fails STDERR-LINE COMMAND...: exit 127 and exactly this one line on stderr.
fails() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = 127 ] || fail "$*: exit $rc, want 127"
	[ "$(cat "$tmp/err")" = "$want" ] || fail "$*: stderr '$(cat "$tmp/err")', want '$want'"
	echo "ok: $* fails with: $want"
}

interp_of() {
	realpath "$(readelf -l "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')"
}

probe_checks() {
	probe=$1 argv0=$2
	expect "argc=3"
	expect "argv[0]=$argv0"
	expect "argv[1]=one"
	expect "argv[2]=two words"
	expect "argv[argc]=null"
	expect "env=probe value"
	expect "execfn=$probe"
	expect "entry_map=$probe"
	expect "entry_is_start=yes"
	expect "phdr_map=$probe"
	expect "phdr_consistent=yes"
	expect "phdr_is_dl_phdr=yes"
	expect "random=set"
	expect "vdso_map=[vdso]"
	expect "clock=ok"
	expect "malloc=ok"
	case $probe in
	*static*)
		expect "base_map=none" ;;
	*)
		expect "base_map=$(interp_of "$probe")"
		expect "base_offset=0" ;;
	esac
}

export SENTRY_PROBE="probe value"
case $case in
system)
	same /bin/true
	same /bin/false
	same /bin/echo hello "two  words" ''
	same /bin/sh -c 'echo "$0 $# $*"; exit 3' zero a b
	compare "env -i /usr/bin/env" env -i A=1 B="two words" /usr/bin/env -- \
		env -i A=1 B="two words" "$loader" /usr/bin/env
	same /bin/ls -d /
	;;
python)
	[ -x /usr/bin/python3 ] || { echo "skip: no /usr/bin/python3"; exit 77; }
	same /usr/bin/python3 -c 'import sys, json, ctypes, hashlib
print(sys.argv, sys.executable, json.dumps({"n": 2 ** 70}))
print(hashlib.sha256(b"sentry").hexdigest(), ctypes.sizeof(ctypes.c_long))' x y
	;;
errors)
	fails "sentry-loader: usage: sentry-loader PROGRAM [ARG]..." "$loader"
	fails "sentry-loader: open /nonexistent/program: ENOENT" "$loader" /nonexistent/program
	fails "sentry-loader: read /: EISDIR" "$loader" /
	echo "#!/bin/sh" >"$tmp/script"
	fails "sentry-loader: $tmp/script: not an executable for this machine" "$loader" "$tmp/script"
	# A 64-bit little-endian ELF header for machine 0x4242.
	printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\102\102' >"$tmp/foreign"
	head -c 200 /dev/zero >>"$tmp/foreign"
	fails "sentry-loader: $tmp/foreign: not an executable for this machine" "$loader" "$tmp/foreign"
	;;
probe-*)
	probe=$bindir/$case
	[ -x "$probe" ] || fail "$probe not built"
	same "$probe" one "two words"
	probe_checks "$probe" "$probe"
	;;
sandbox)
	# As the sentry runs it: argv[0] stays the caller's, the path comes from
	# /proc/self/exe.
	run=$bindir/sandbox_exec
	for kind in pie nopie static staticpie; do
		probe=$bindir/probe-$kind
		[ -x "$probe" ] || fail "$probe not built"
		compare "sandbox $kind" "$run" --native "$probe" argv-zero one "two words" -- \
			"$run" "$probe" argv-zero one "two words"
		probe_checks "$probe" argv-zero
	done
	compare "sandbox echo" "$run" --native /bin/echo echo hi -- "$run" /bin/echo echo hi
	compare "sandbox false" "$run" --native /bin/false false -- "$run" /bin/false false
	if [ -x /usr/bin/python3 ]; then
		compare "sandbox python3" "$run" --native /usr/bin/python3 python3 -c 'import sys, ssl; print(sys.argv, sys.executable)' -- \
			"$run" /usr/bin/python3 python3 -c 'import sys, ssl; print(sys.argv, sys.executable)'
	fi
	;;
*)
	fail "unknown case"
	;;
esac
