#!/bin/bash
# Micro benchmarks: the bare round trips (floors), the cost of one call of
# each class natively and under both sentry platforms, alternating, and the
# sentry's own share of an emulated call measured in process (no round
# trip). Prints markdown tables and writes them to
# ${BENCH_OUT:-bench/out}/micro.md.
#   BUILD=dir        build directory (default: build)
#   SENTRY_BIN=path  the sentry to measure (default: $BUILD/sentry)
#   BENCH_QUICK=1    a few short rounds, one repetition
#   BENCH_STAT_PATH  the path the stat cases stat (default: a file six
#                    components deep under /usr/lib/locale)
#   BENCH_NO_INSTALL=1  never install what is missing, only say so
# Numbers are reported, never asserted.
#
# The macro stage compares sentry with peers and draws plots: what it needs
# (proot, bwrap, runsc, strace, gnuplot, gcc, /usr/bin/python3) is installed
# first with bench/macro/install-peers.sh (Debian packages, apt-get) when
# run as root; otherwise the first line says what is missing and how to get
# it, and the report lists those peers as failed ("not installed").
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

missing=()
for tool in proot bwrap runsc strace gnuplot gcc; do
	command -v "$tool" >/dev/null || missing+=("$tool")
done
[ -x /usr/bin/python3 ] || missing+=(/usr/bin/python3)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ "${BENCH_NO_INSTALL:-0}" != 1 ]; then
		echo "bench: installing what the comparison needs (${missing[*]}) with bench/macro/install-peers.sh" >&2
		bash bench/macro/install-peers.sh >&2 ||
			echo "bench: the install failed; the report marks what is missing" >&2
	else
		echo "bench: missing ${missing[*]}: the report lists those peers as failed (\"not installed\") and, without gnuplot, draws no plot; install them (Debian packages) with: sudo bash bench/macro/install-peers.sh" >&2
	fi
fi
BUILD=${BUILD:-build}
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"

targets=(bench_callcost bench_floors bench_dispatch)
[ -z "${SENTRY_BIN:-}" ] && targets+=(sentry)
cmake -B "$BUILD" -S "$ROOT" >/dev/null
if ! cmake --build "$BUILD" -j"$(nproc)" --target "${targets[@]}" >"$OUT/build.log" 2>&1; then
	echo "bench: the build failed, see $OUT/build.log" >&2
	exit 1
fi
# Absolute: the micro programs run in $OUT, which the sandbox imports as its
# working folder (callcost's scratch file lands there, and is removed).
BUILD=$(cd "$BUILD" && pwd)
OUT_ABS=$(cd "$OUT" && pwd)
SENTRY=$(realpath "${SENTRY_BIN:-$BUILD/sentry}")
CALLCOST=$BUILD/bench/micro/bench_callcost
FLOORS=$BUILD/bench/micro/bench_floors
DISPATCH=$BUILD/bench/micro/bench_dispatch

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	export BENCH_ROUNDS=3 BENCH_ROUND_MS=20
	REPS=1
else
	export BENCH_ROUNDS=${BENCH_ROUNDS:-7} BENCH_ROUND_MS=${BENCH_ROUND_MS:-100}
	REPS=${BENCH_REPS:-3}
fi

RAW=$OUT_ABS/micro.raw
: >"$RAW"
# Each line of the raw file: "ENV key=value ...".
# The workload's environment is cut down inside: hand the knobs over.
envs=(--env=BENCH_ROUNDS --env=BENCH_ROUND_MS)
[ -n "${BENCH_STAT_PATH:-}" ] && envs+=(--env=BENCH_STAT_PATH)
(
	cd "$OUT_ABS"
	for rep in $(seq "$REPS"); do
		echo "repetition $rep/$REPS" >&2
		"$FLOORS" | sed 's/^/floors /' >>"$RAW"
		"$CALLCOST" | sed 's/^/native /' >>"$RAW"
		"$DISPATCH" | sed 's/^/inproc /' >>"$RAW"
		for platform in unotify ptrace; do
			"$SENTRY" --platform="$platform" "${envs[@]}" -- "$CALLCOST" 2>"sentry-$platform.err" |
				sed "s/^/$platform /" >>"$RAW"
		done
	done
)

# Median over the repetitions of each (environment, name), then the tables.
awk -v reps="$REPS" -v rounds="$BENCH_ROUNDS" -v round_ms="$BENCH_ROUND_MS" \
	-v stat_path="${BENCH_STAT_PATH:-/usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES}" \
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
	nf = split("native allow unotify unotify-sync unotify-pinned unotify-stat ptrace ptrace-pinned", floors, " ")
	nat = median("floors" SUBSEP "native")
	for (i = 1; i <= nf; i++) {
		f = median("floors" SUBSEP floors[i])
		printf "| %s | %s | %s |\n", floors[i], fmt(f), ratio(f, nat)
	}
	sync = median("floors" SUBSEP "unotify-sync")
	ptr = median("floors" SUBSEP "ptrace")
	printf "\n### One call of each class\n\n"
	printf "stat: newfstatat of %s (cached). openat+close: a 4 KiB file in the working folder, opened read-only and closed (two caught calls: x bare is per round trip). pread/pwrite: 4 KiB at offset 0 of that file (a tmpfs file inside).\n\n", stat_path
	printf "| call | class | native | unotify | x native | x bare unotify-sync | ptrace | x native | x bare ptrace | result (native/unotify/ptrace) |\n"
	printf "|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
	# key|shown as|class|caught calls (round trips) per iteration
	nc = split("getppid|getppid|passed|0;getpgid0|getpgid(0)|emulated|1;" \
		"stat6|stat, 6 deep|emulated, VFS walk|1;openclose|openat+close|emulated, fd installed|2;" \
		"pread4k|pread 4 KiB|passed, data path|0;pwrite4k|pwrite 4 KiB|passed, data path|0;" \
		"ptrace|ptrace|denied+audited|1;clone3|clone3|filter-errno|0", calls, ";")
	for (i = 1; i <= nc; i++) {
		split(calls[i], fld, "|")
		c = fld[1]; trips = fld[4] + 0
		n = median("native" SUBSEP c); u = median("unotify" SUBSEP c); p = median("ptrace" SUBSEP c)
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s/%s/%s |\n", fld[2], fld[3],
			fmt(n), fmt(u), ratio(u, n), trips ? ratio(u, sync * trips) : "-",
			fmt(p), ratio(p, n), trips ? ratio(p, ptr * trips) : "-",
			result["native", c], result["unotify", c], result["ptrace", c]
	}
	printf "\n### In-process dispatch (no kernel round trip)\n\n"
	printf "What the sentry itself spends on an emulated call: the user-notify decode, the table, the handler and the VFS walk, called in a loop by bench/micro/dispatch.c on a file system built as the sandbox builds it (host image, workspace, /tmp, /dev, /proc), with the process itself as the task: arguments are still copied with process_vm_readv/writev, and getpgid still asks the host kernel.\n\n"
	printf "| case | what | ns/call | share of bare unotify-sync | result |\n|---|---|---:|---:|---|\n"
	ni = split("table|decode + table (getppid, a pass row);getpgid0|getpgid(0): decode, table, handler;" \
		"stat6|newfstatat, 6 deep: decode, table, handler, walk;walk6|the VFS walk alone (vfs_fstatat);" \
		"copyin|copy-in of the path (process_vm_readv);copyout|copy-out of struct stat (process_vm_writev)", cases, ";")
	for (i = 1; i <= ni; i++) {
		split(cases[i], fld, "|")
		v = median("inproc" SUBSEP fld[1])
		printf "| %s | %s | %s | %s | %s |\n", fld[1], fld[2], fmt(v),
			(v < 0 || sync <= 0) ? "n/a" : sprintf("%.0f%%", 100 * v / sync), result["inproc", fld[1]]
	}
}' "$RAW" | tee "$OUT/micro.md"

# Macro benchmarks: real workloads natively, under both sentry platforms and
# under the peers (bench/macro/install-peers.sh installs them; a missing peer
# is reported as failed), then macro.md and the plots (macro and micro,
# PNG and SVG).
echo "macro benchmarks" >&2
SENTRY_BIN="$SENTRY" BENCH_OUT="$OUT" /usr/bin/python3 bench/macro/run.py
BENCH_OUT="$OUT" bash bench/report.sh
# What one python3 run puts into the store (store.md).
echo "store bytes" >&2
SENTRY_BIN="$SENTRY" BENCH_OUT="$OUT" bash bench/store.sh
