#!/bin/bash
# Turns the benchmarks' results into a report and plots, from what is in
# ${BENCH_OUT:-bench/out}; it runs nothing but the formatting, so it can be
# re-run on old results.
#   macro.tsv + macro-meta.json (bench/macro/run.py) -> macro.md, macro.png, macro.svg
#   micro.md (bench/run.sh's micro stage)              -> micro.png, micro.svg
# Needs /usr/bin/python3 and gnuplot (bench/macro/install-peers.sh installs it).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
PY=/usr/bin/python3
made=()

have_gnuplot=1
if ! command -v gnuplot >/dev/null; then
	echo "report: gnuplot is missing (bench/macro/install-peers.sh installs it); no plots" >&2
	have_gnuplot=0
fi

if [ -f "$OUT/macro.tsv" ] && [ -f "$OUT/macro-meta.json" ]; then
	"$PY" bench/macro/summarize.py "$OUT" >/dev/null
	made+=("$OUT/macro.md")
	if [ "$have_gnuplot" = 1 ]; then
		for fmt in png svg; do
			gnuplot -e "out='$OUT'; fmt='$fmt'; load '$OUT/macro-params.gp'" bench/plot/macro.gp \
				2> >(grep -v 'no valid points' >&2)
			made+=("$OUT/macro.$fmt")
		done
	fi
fi

if [ -f "$OUT/micro.md" ] && [ "$have_gnuplot" = 1 ]; then
	awk -v out="$OUT" -f bench/plot/micro-data.awk "$OUT/micro.md"
	read -r ymin ymax < <(awk '
		{ for (i = 2; i <= NF; i++) if ($i != "?" && $i ~ /^[0-9.]+$/) {
			v = $i + 0; if (min == "" || v < min) min = v; if (v > max) max = v } }
		END { print (min == "" ? 100 : min / 3), (max == "" ? 100000 : max * 4) }' \
		"$OUT/micro-floors.dat" "$OUT/micro-calls.dat" "$OUT/micro-inproc.dat")
	sub=$(grep -m1 '^Linux ' "$OUT/micro.md" | cut -d';' -f1 | tr -d "'" || true)
	for fmt in png svg; do
		gnuplot -e "out='$OUT'; fmt='$fmt'; ymin=$ymin; ymax=$ymax; subtitle='$sub'" bench/plot/micro.gp
		made+=("$OUT/micro.$fmt")
	done
fi

if [ ${#made[@]} -eq 0 ]; then
	echo "report: nothing to report in $OUT (run bench/run.sh or bench/macro/run.py first)" >&2
	exit 1
fi
echo "report: wrote ${made[*]}" >&2
