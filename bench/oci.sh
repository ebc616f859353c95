#!/bin/bash
# Container start with podman: `podman run --rm IMAGE true` and a python3
# start (python3 -c pass) under runc, crun, runsc (when installed) and
# sentry-runc, taking turns in one run; medians in ms and the ratio to
# runc. Then the sentry's RSS for an idle container (sleep). The image is
# busybox-static and the host's python3, imported locally; podman's storage
# is a temporary folder. Root. Prints a markdown table and writes it to
# ${BENCH_OUT:-bench/out}/oci.md. Reported, never asserted.
#   SENTRY_RUNC=path  (default: ${BUILD:-build}/sentry-runc)   ROUNDS=N (default 7)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=$(readlink -f "${BENCH_OUT:-bench/out}")
RUNC_SENTRY=$(readlink -f "${SENTRY_RUNC:-${BUILD:-build}/sentry-runc}")
ROUNDS=${ROUNDS:-7}
mkdir -p "$OUT"
W=$(mktemp -d /tmp/sentry-bench-oci.XXXXXX)
# overlay: a container's layer is not a copy of the image (vfs would time
# the copy); /tmp must not be an overlay itself
P() { podman --root "$W/store" --runroot "$W/run" --tmpdir "$W/tmp" --storage-driver overlay \
	--cgroup-manager cgroupfs --events-backend file "$@"; }
trap 'P rm -af -t 0 >/dev/null 2>&1; grep -o " $W[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done; rm -rf "$W"' EXIT
mkdir -p "$W/tmp" "$W/rootfs/bin" "$W/rootfs/etc" "$W/rootfs/tmp" "$W/rootfs/usr/bin" "$W/rootfs/usr/lib"
cp /bin/busybox "$W/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$W/rootfs/bin/$a"; done
py=$(readlink -f /usr/bin/python3)
ver=$(basename "$py")
for lib in $(ldd "$py" | grep -o '/[^ ]*'); do mkdir -p "$W/rootfs$(dirname "$lib")"; cp -L "$lib" "$W/rootfs$lib"; done
cp "$py" "$W/rootfs/usr/bin/python3"
# the modules python3 -c pass loads, and their compiled forms
/usr/bin/python3 -c 'import sys
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if f: print(f); c = getattr(m, "__cached__", None); c and print(c)' | while read -r f; do
	mkdir -p "$W/rootfs$(dirname "$f")"
	cp "$f" "$W/rootfs$f"
done
cp -r "/usr/lib/$ver/encodings" "$W/rootfs/usr/lib/$ver/"
tar -C "$W/rootfs" -c . | P import - localhost/bench-oci >/dev/null 2>&1

runtimes=(runc crun)
command -v runsc >/dev/null && runtimes+=(runsc)
runtimes+=("$RUNC_SENTRY")
nproc=$(ulimit -Hu)
[ "$nproc" = unlimited ] || [ "$nproc" -gt 2048 ] && nproc=2048
RUN=(run --rm --network none --ulimit nofile=1024:1024 --ulimit "nproc=$nproc:$nproc")
declare -A times
for ((round = 0; round < ROUNDS; round++)); do
	for rt in "${runtimes[@]}"; do
		for what in true python; do
			cmd=(true)
			[ "$what" = python ] && cmd=(/usr/bin/python3 -c pass)
			start=${EPOCHREALTIME/./}
			flags=()
			# gVisor sets up its own network unless told; this machine's
			# cgroup layout is not one it manages
			[ "$(basename "$rt")" = runsc ] && flags=(--runtime-flag network=none --runtime-flag ignore-cgroups)
			P "${flags[@]}" "${RUN[@]}" --runtime "$(command -v "$rt" || echo "$rt")" localhost/bench-oci "${cmd[@]}" >/dev/null 2>&1 ||
				{ echo "$rt $what failed: $(P "${flags[@]}" "${RUN[@]}" --runtime "$(command -v "$rt" || echo "$rt")" localhost/bench-oci "${cmd[@]}" 2>&1 | tail -1)" >&2; continue; }
			end=${EPOCHREALTIME/./}
			times[$rt/$what]+="$(((end - start) / 1000)) "
		done
	done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print NR ? a[int((NR + 1) / 2)] : "failed"}'; }
{
	echo "| runtime | podman run --rm true (ms) | ratio | python3 -c pass (ms) | ratio |"
	echo "|---|---|---|---|---|"
	base_true=$(echo "${times[runc/true]:-}" | median)
	base_py=$(echo "${times[runc/python]:-}" | median)
	for rt in "${runtimes[@]}"; do
		t=$(echo "${times[$rt/true]:-}" | median)
		p=$(echo "${times[$rt/python]:-}" | median)
		printf '| %s | %s | %s | %s | %s |\n' "$(basename "$rt")" "$t" \
			"$(awk -v a="$t" -v b="$base_true" 'BEGIN {if (a + 0 && b + 0) printf "%.2f", a / b; else printf "-"}')" "$p" \
			"$(awk -v a="$p" -v b="$base_py" 'BEGIN {if (a + 0 && b + 0) printf "%.2f", a / b; else printf "-"}')"
	done
	# an idle container: the sentry's own resident memory
	id=$(P "${RUN[@]/--rm/-d}" --runtime "$RUNC_SENTRY" localhost/bench-oci sleep 60)
	sleep 1
	pid=$(P inspect "$id" --format '{{.State.Pid}}')
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
	P rm -f -t 0 "$id" >/dev/null
	echo
	echo "Idle container (sleep): the sentry's RSS ${rss} kB (median of $ROUNDS rounds above, runtimes in turns)."
} | tee "$OUT/oci.md"
