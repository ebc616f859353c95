#!/bin/bash
# What one run puts into the store: sentry --stats=json of python3
# importing json, sqlite3, asyncio, email and http.client, on both
# platforms; the "store" object gives the bytes of image copies, the image
# files opened in place (through the read-only host view, root only) and
# the bytes of the workload's own files. Prints a markdown table and writes
# it to ${BENCH_OUT:-bench/out}/store.md. Reported, never asserted.
#   SENTRY_BIN=path  the sentry to measure (default: ${BUILD:-build}/sentry)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
SENTRY=$(readlink -f "${SENTRY_BIN:-${BUILD:-build}/sentry}")
mkdir -p "$OUT"
W=$(mktemp -d "${BENCH_TMP:-/dev/shm}/sentry-bench-store.XXXXXX")
trap 'rm -rf "$W"' EXIT
cp bench/macro/workloads/python-import5.py "$W/"
{
	echo "| platform | run as | image copies (bytes) | files copied | image files opened in place | workload's files (bytes) | store total (bytes) |"
	echo "|---|---|---|---|---|---|---|"
	as_users=("$(id -un)")
	[ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && as_users+=(nobody)
	for platform in unotify ptrace; do
		for user in "${as_users[@]}"; do
			run=("$SENTRY" --platform="$platform" --stats=json -- /usr/bin/python3 python-import5.py)
			[ "$user" = nobody ] && [ "$(id -un)" != nobody ] && run=(setpriv --reuid=nobody --regid=nogroup --clear-groups -- "${run[@]}")
			chmod 755 "$W"
			(cd "$W" && "${run[@]}") 2>&1 >/dev/null | /usr/bin/python3 -c '
import json, sys
doc = json.loads([l for l in sys.stdin if l.startswith("{")][-1])
s = doc["store"]
print("| %s | %s | %d | %d | %d | %d | %d |" % (sys.argv[1], sys.argv[2], s["image_copy_bytes"],
      s["image_files_copied"], s["image_files_in_place"], s["workload_bytes"],
      s["image_copy_bytes"] + s["workload_bytes"]))' "$platform" "$user"
		done
	done
} | tee "$OUT/store.md"
