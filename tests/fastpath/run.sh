#!/bin/bash
# usage: run.sh SENTRY PLATFORM CASE [PROGRAM...]
#
# The stat fast path (--fastpath, x86_64), on --platform=PLATFORM:
#   semantics PROG   PROG natively, inside without and inside with
#                    --fastpath: the same output (Linux is the oracle)
#   python SCRIPT    the same with /usr/bin/python3 SCRIPT
#   count PROG       PROG stats one path 20,000 times: with --fastpath the
#                    sentry catches a handful, without it every one
#   tamper PROG      PROG attacks the snapshot and the stub (tamper.c); a
#                    host canary outside the sandbox stays as it was
set -u
SENTRY=$(readlink -f "$1") PLATFORM=$2 CASE=$3
shift 3
sentry() { "$SENTRY" --platform="$PLATFORM" "$@"; }
T=$(mktemp -d /tmp/fastpath-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

case $CASE in
semantics | python)
	cp "$1" "$T/" || exit 1
	prog=$T/$(basename "$1")
	cmd=("$prog")
	[ "$CASE" = python ] && cmd=(/usr/bin/python3 "$prog")
	"${cmd[@]}" >native.out 2>&1 || fail "native run: $(cat native.out)"
	sentry -q -- "${cmd[@]}" >plain.out 2>&1 || fail "inside: $(cat plain.out)"
	sentry -q --fastpath -- "${cmd[@]}" >fast.out 2>&1 || fail "inside --fastpath: $(cat fast.out)"
	diff -u native.out plain.out || fail "inside differs from native"
	diff -u native.out fast.out || fail "inside with --fastpath differs from native"
	grep -q UNSTABLE native.out && fail "native answers unstable"
	echo "ok: $(wc -l <native.out) answers the same natively, inside, and inside with --fastpath"
	;;
count)
	caught() { sed -n 's/^sentry: newfstatat *emulate *\([0-9]*\).*/\1/p' "$1"; }
	sentry --stats --fastpath -- "$1" /etc/passwd 20000 >fast.out 2>fast.err || fail "$(cat fast.err)"
	sentry --stats -- "$1" /etc/passwd 20000 >plain.out 2>plain.err || fail "$(cat plain.err)"
	cmp -s fast.out plain.out || fail "different sums: $(cat fast.out) $(cat plain.out)"
	fast=$(caught fast.err) plain=$(caught plain.err)
	echo "newfstatat caught: $plain without --fastpath, $fast with it"
	[ -n "$plain" ] && [ "$plain" -ge 20000 ] || fail "without --fastpath every stat is caught"
	[ -n "$fast" ] && [ "$fast" -lt 100 ] || fail "with --fastpath the stub answers them"
	;;
tamper)
	canary=$(mktemp /var/tmp/fastpath-canary.XXXXXX)
	echo "host canary" >"$canary"
	before=$(stat -c '%s %a %Y' "$canary")
	cp "$1" "$T/" || exit 1
	"$T/$(basename "$1")" /etc/passwd "$canary" || fail "native run"
	sentry -q --fastpath -- "$T/$(basename "$1")" /etc/passwd "$canary" >out 2>&1
	rc=$?
	cat out
	after=$(stat -c '%s %a %Y' "$canary")
	[ "$(cat "$canary")" = "host canary" ] && [ "$before" = "$after" ] || fail "the host canary changed"
	rm -f "$canary"
	[ $rc = 0 ] || fail "an attack was allowed (exit $rc)"
	grep -q "mprotect snapshot writable: refused" out || fail "no snapshot was mapped inside"
	;;
*)
	fail "unknown case $CASE"
	;;
esac
