#!/bin/bash
# Micro benchmarks: the bare round trips (floors) and the cost of one call
# of each class, natively and under both sentry platforms, alternating.
# Prints a markdown table and writes it to ${BENCH_OUT:-bench/out}/micro.md.
#   BUILD=dir        build directory (default: build)
#   SENTRY_BIN=path  the sentry to measure (default: $BUILD/sentry)
#   BENCH_QUICK=1    a few short rounds, one repetition
# Numbers are reported, never asserted.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"

targets=(bench_callcost bench_floors)
[ -z "${SENTRY_BIN:-}" ] && targets+=(sentry)
cmake -B "$BUILD" -S "$ROOT" >/dev/null
if ! cmake --build "$BUILD" -j"$(nproc)" --target "${targets[@]}" >"$OUT/build.log" 2>&1; then
	echo "bench: the build failed, see $OUT/build.log" >&2
	exit 1
fi
SENTRY=${SENTRY_BIN:-$BUILD/sentry}
CALLCOST=$BUILD/bench/micro/bench_callcost
FLOORS=$BUILD/bench/micro/bench_floors

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	export BENCH_ROUNDS=3 BENCH_ROUND_MS=20
	REPS=1
else
	export BENCH_ROUNDS=${BENCH_ROUNDS:-7} BENCH_ROUND_MS=${BENCH_ROUND_MS:-100}
	REPS=${BENCH_REPS:-3}
fi

RAW=$OUT/micro.raw
: >"$RAW"
# Each line of the raw file: "ENV key=value ...".
for rep in $(seq "$REPS"); do
	echo "repetition $rep/$REPS" >&2
	"$FLOORS" | sed 's/^/floors /' >>"$RAW"
	"$CALLCOST" | sed 's/^/native /' >>"$RAW"
	for platform in unotify ptrace; do
		"$SENTRY" --platform="$platform" -- "$CALLCOST" 2>"$OUT/sentry-$platform.err" |
			sed "s/^/$platform /" >>"$RAW"
	done
done

# Median over the repetitions of each (environment, name), then the tables.
awk -v reps="$REPS" -v rounds="$BENCH_ROUNDS" -v round_ms="$BENCH_ROUND_MS" \
	-v kernel="$(uname -r)" -v cpus="$(nproc)" '
function median(key,   n, i, j, t, v) {
	n = split(vals[key], v, " ")
	if (n == 0) return -1
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function fmt(ns) {
	if (ns < 0) return "n/a"
	return ns >= 10000 ? sprintf("%.1f us", ns / 1000) : sprintf("%.0f ns", ns)
}
function ratio(a, b) { return (a < 0 || b <= 0) ? "n/a" : sprintf("%.1fx", a / b) }
{
	env = $1; name = ""; ns = ""
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "call" || kv[1] == "floor") name = kv[2]
		if (kv[1] == "ns") ns = kv[2]
		if (kv[1] == "result") result[env, name] = kv[2]
	}
	if (name != "" && ns != "") vals[env, name] = vals[env, name] " " ns
}
END {
	printf "## Micro benchmarks\n\n"
	printf "Linux %s, %d CPUs; median of %d repetition(s), each the median of %d rounds of %d ms.\n\n",
		kernel, cpus, reps, rounds, round_ms
	printf "### Bare round trips (getppid, no sentry)\n\n"
	printf "| floor | ns/call | x native |\n|---|---:|---:|\n"
	nf = split("native allow unotify unotify-sync unotify-pinned ptrace ptrace-pinned", floors, " ")
	nat = median("floors" SUBSEP "native")
	for (i = 1; i <= nf; i++) {
		f = median("floors" SUBSEP floors[i])
		printf "| %s | %s | %s |\n", floors[i], fmt(f), ratio(f, nat)
	}
	sync = median("floors" SUBSEP "unotify-sync")
	ptr = median("floors" SUBSEP "ptrace")
	printf "\n### One call of each class\n\n"
	printf "| call | class | native | unotify | x native | x bare unotify-sync | ptrace | x native | x bare ptrace | result (native/unotify/ptrace) |\n"
	printf "|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
	nc = split("getppid getpgid0 ptrace clone3", calls, " ")
	split("passed emulated denied+audited filter-errno", classes, " ")
	for (i = 1; i <= nc; i++) {
		c = calls[i]
		n = median("native" SUBSEP c); u = median("unotify" SUBSEP c); p = median("ptrace" SUBSEP c)
		caught = classes[i] == "emulated" || classes[i] == "denied+audited"
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s/%s/%s |\n", c, classes[i],
			fmt(n), fmt(u), ratio(u, n), caught ? ratio(u, sync) : "-",
			fmt(p), ratio(p, n), caught ? ratio(p, ptr) : "-",
			result["native", c], result["unotify", c], result["ptrace", c]
	}
}' "$RAW" | tee "$OUT/micro.md"

# Macro benchmarks: real workloads natively, under both sentry platforms and
# under the peers (bench/macro/install-peers.sh installs them; a missing peer
# is reported as failed), then macro.md, macro.png and micro.png.
echo "macro benchmarks" >&2
SENTRY_BIN="$SENTRY" BENCH_OUT="$OUT" /usr/bin/python3 bench/macro/run.py
BENCH_OUT="$OUT" bash bench/report.sh
