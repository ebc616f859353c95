#!/bin/bash
# usage: stats.sh SENTRY PLATFORM PROGRAM
# --stats=json: one JSON object on stderr at exit, whose rows give each
# caught call's count, disposition, handler time and round trip (which
# encloses the handler); plain --stats still prints the table.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

IT_SENTRY_ARGS=--stats=json inside "$PROG" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && pass "--stats=json $NAME: exit 0" || fail "--stats=json $NAME: exit $rc"
if python3 - "$T/err" "$PLATFORM" >"$T/check" 2>&1 <<'PY'; then
import json, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("{")]
assert len(lines) == 1, "expected one JSON line on stderr, got %d" % len(lines)
doc = json.loads(lines[0])
assert doc["platform"] == sys.argv[2], doc["platform"]
rows = {r["name"]: r for r in doc["syscalls"]}
o = rows.get("openat")
assert o, "no openat row: %s" % sorted(rows)
assert o["calls"] > 0 and o["nr"] > 0, o
assert o["disposition"] == "emulate", o
for r in doc["syscalls"]:
    for k in ("name", "nr", "disposition", "calls", "handler_ns", "round_trip_ns"):
        assert k in r, (k, r)
    assert r["round_trip_ns"] >= r["handler_ns"], r
t = doc["total"]
assert t["calls"] == sum(r["calls"] for r in doc["syscalls"]), t
assert t["round_trip_ns"] >= t["handler_ns"], t
print("openat: %d calls, handler %d ns, round trip %d ns" % (o["calls"], o["handler_ns"], o["round_trip_ns"]))
PY
	pass "--stats=json: $(cat "$T/check")"
else
	fail "--stats=json: $(cat "$T/check")"
	show stderr "$T/err"
fi

IT_SENTRY_ARGS=--stats inside "$PROG" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && pass "--stats $NAME: exit 0" || fail "--stats $NAME: exit $rc"
if grep -qE '^sentry: syscall +handled +calls +total us +mean ns +round trip us$' "$T/err" &&
	grep -qE '^sentry: openat +emulate +[1-9][0-9]* ' "$T/err" && grep -qE '^sentry: total ' "$T/err"; then
	pass "--stats: a table with an openat row and a total"
else
	fail "--stats: no table"
	show stderr "$T/err"
fi

IT_SENTRY_ARGS=--stats=table inside "$PROG" >"$T/out" 2>"$T/err2"
# the same rows: names and dispositions (times differ from run to run)
[ "$(awk '{ print $2, $3 }' "$T/err")" = "$(awk '{ print $2, $3 }' "$T/err2")" ] &&
	pass "--stats=table: the same table" || { fail "--stats=table differs from --stats"; show stderr "$T/err2"; }

IT_SENTRY_ARGS=--stats=yaml inside "$PROG" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 125 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && pass "--stats=yaml: exit 125, one line" ||
	{ fail "--stats=yaml: exit $rc"; show stderr "$T/err"; }

exit $FAILED
