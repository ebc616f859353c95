#!/bin/bash
# What files the workload made and let go of cost the sentry afterwards:
# CYCLES (default 1,000,000) cycles of create, write 4 KiB, close and
# unlink, then HELD (default 10,000) files kept open at once, then closed
# and unlinked. Per platform, the sentry's open fds (/proc/<sentry>/fd) and
# RSS at the start, after the cycles, with the files held and after they
# are released; the ends should be equal within a few percent. Reported,
# never asserted.
#   usage: bench/churn/run.sh [CYCLES [HELD]]
#   BUILD=dir  build directory (default: build)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$ROOT" && cd "${BUILD:-build}" && pwd)
SENTRY=${SENTRY_BIN:-$BUILD/sentry}
BIN=$BUILD/bench/churn/bench_churn
CYCLES=${1:-1000000}
HELD=${2:-10000}
[ -x "$SENTRY" ] && [ -x "$BIN" ] || { echo "build first: $SENTRY, $BIN" >&2; exit 2; }
WS=$(mktemp -d)
trap 'rm -rf "$WS"' EXIT

fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

echo "| platform | stage | sentry fds | sentry RSS (KiB) | note |"
echo "|---|---|---:|---:|---|"
for platform in unotify ptrace; do
	cd "$WS"
	coproc "$SENTRY" --platform="$platform" -- "$BIN" "$CYCLES" "$HELD"
	pid=$COPROC_PID
	in=${COPROC[1]} out=${COPROC[0]}
	while read -r stage n seconds <&"$out"; do
		note=""
		case $stage in
		ready) note="" ;;
		churned) note="$n cycles in $seconds s ($(awk -v n="$n" -v s="$seconds" 'BEGIN { printf "%.1f", s * 1e6 / n }') us each)" ;;
		held | released) note="$n files" ;;
		*) echo "| $platform | $stage $n $seconds | | | workload failed |"; break ;;
		esac
		echo "| $platform | $stage | $(fds "$pid") | $(rss_kb "$pid") | $note |"
		echo go >&"$in"
	done
	wait "$pid" || echo "| $platform | exit $? | | | |"
	cd "$ROOT"
done
