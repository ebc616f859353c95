# The micro benchmarks' per-call results as bars, from bench/run.sh's
# micro.md (parsed by micro-data.awk). bench/report.sh runs it:
#   gnuplot -e "out='bench/out'; ymin=100; ymax=200000; subtitle='...'" micro.gp
# Reads out/micro-floors.dat, out/micro-calls.dat and out/micro-inproc.dat;
# writes out/micro.png, or out/micro.svg with fmt='svg'.
if (!exists("out")) out = 'bench/out'
if (!exists("fmt")) fmt = 'png'
if (!exists("subtitle")) subtitle = ''
if (!exists("ymin")) ymin = 100
if (!exists("ymax")) ymax = 200000
label(v) = (v >= 1000) ? sprintf("%.1f us", v / 1000) : sprintf("%.0f ns", v)

if (fmt eq 'svg') {
	set terminal svg size 1800,680 dynamic font "DejaVu Sans,11" background rgb "white"
} else {
	set terminal pngcairo size 1800,680 font "DejaVu Sans,11"
}
set output out.'/micro.'.fmt
set datafile missing "?"
set style data histograms
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.85
set logscale y 10
set yrange [ymin:ymax]
set ytics ("10 ns" 10, "30 ns" 30, "100 ns" 100, "300 ns" 300, "1 us" 1000, "3 us" 3000, "10 us" 10000, "30 us" 30000, "100 us" 100000, "300 us" 300000, "1 ms" 1000000) nomirror
set grid ytics lc rgb "#dddddd"
set xtics noenhanced nomirror rotate by 30 right
set border 3
set key top left noenhanced
set bmargin 9

# Three panels side by side, widths 0.22, 0.53, 0.25, under the title.
set multiplot title "Micro benchmarks: time per call (lower is better)\n{/*0.8 ".subtitle."}"
top = 0.9

set size 0.22, top
set origin 0, 0
set title "Bare round trips (getppid, no sentry)"
set style histogram clustered gap 1
set ylabel "time per call (log scale)"
plot out.'/micro-floors.dat' using 2:xtic(1) notitle lc rgb "#1f4e9c", \
     '' using ($0):2:(label($2)) \
        with labels rotate by 90 left offset 0,0.4 font ",8" notitle

set size 0.53, top
set origin 0.22, 0
set title "One call of each class"
set style histogram clustered gap 1.5
set ylabel ""
set key autotitle columnhead
plot out.'/micro-calls.dat' using 2:xtic(1) lc rgb "#888888", \
     '' using 3 lc rgb "#1f4e9c", \
     '' using 4 lc rgb "#6fa8dc", \
     for [i=2:4] '' using ($0 + (i-3)/4.5):i:(label(column(i))) \
        with labels rotate by 90 left offset 0,0.4 font ",8" notitle

set size 0.25, top
set origin 0.75, 0
set title "The sentry's own share, in process (no round trip)"
set style histogram clustered gap 1
set key noautotitle
unset key
plot out.'/micro-inproc.dat' using 2:xtic(1) notitle lc rgb "#38a169", \
     '' using ($0):2:(label($2)) \
        with labels rotate by 90 left offset 0,0.4 font ",8" notitle

unset multiplot
