# The micro benchmarks' per-call results as bars, from bench/run.sh's
# micro.md (parsed by micro-data.awk). bench/report.sh runs it:
#   gnuplot -e "out='bench/out'; ymin=100; ymax=200000; subtitle='...'" micro.gp
# Reads out/micro-floors.dat and out/micro-calls.dat; writes out/micro.png.
if (!exists("out")) out = 'bench/out'
if (!exists("subtitle")) subtitle = ''
if (!exists("ymin")) ymin = 100
if (!exists("ymax")) ymax = 200000
label(v) = (v >= 1000) ? sprintf("%.1f us", v / 1000) : sprintf("%.0f ns", v)

set terminal pngcairo size 1400,620 font "DejaVu Sans,11"
set output out.'/micro.png'
set datafile missing "?"
set style data histograms
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.85
set logscale y 10
set yrange [ymin:ymax]
set ytics ("10 ns" 10, "30 ns" 30, "100 ns" 100, "300 ns" 300, "1 us" 1000, "3 us" 3000, "10 us" 10000, "30 us" 30000, "100 us" 100000, "300 us" 300000, "1 ms" 1000000) nomirror
set grid ytics lc rgb "#dddddd"
set xtics noenhanced nomirror rotate by 25 right
set border 3
set key top left noenhanced

set multiplot layout 1,2 title "Micro benchmarks: time per call (lower is better)\n{/*0.8 ".subtitle."}"

set title "Bare round trips (getppid, no sentry)"
set style histogram clustered gap 1
set ylabel "time per call (log scale)"
plot out.'/micro-floors.dat' using 2:xtic(1) notitle lc rgb "#1f4e9c", \
     '' using ($0):2:(label($2)) \
        with labels offset 0,0.7 font ",9" notitle

set title "One call of each class"
set style histogram clustered gap 1.5
set ylabel ""
set key autotitle columnhead
plot out.'/micro-calls.dat' using 2:xtic(1) lc rgb "#888888", \
     '' using 3 lc rgb "#1f4e9c", \
     '' using 4 lc rgb "#6fa8dc", \
     for [i=2:4] '' using ($0 + (i-3)/4.5):i:(label(column(i))) \
        with labels rotate by 90 left offset 0,0.4 font ",8" notitle

unset multiplot
