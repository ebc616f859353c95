# Clustered bars: median time under each tool / native median time, one
# cluster per workload. bench/report.sh runs it:
#   gnuplot -e "out='bench/out'; load 'bench/out/macro-params.gp'" macro.gp
# Reads (written by bench/macro/summarize.py):
#   out/macro.dat         header row, then "workload" ratio ratio ... ("?": none)
#   out/macro-labels.dat  header row, then x y "text": the value over each bar,
#                         "failed" where there is none
#   out/macro-keys.txt    one key title per tool column
# Writes out/macro.png, or out/macro.svg with fmt='svg'.
if (!exists("out")) out = 'bench/out'
if (!exists("fmt")) fmt = 'png'
if (!exists("ncols")) ncols = 7
if (!exists("ymin")) ymin = 0.5
if (!exists("ymax")) ymax = 20
if (!exists("nrows")) nrows = 6
if (!exists("subtitle")) subtitle = ''
datafile = out.'/macro.dat'
keyfile = out.'/macro-keys.txt'
keytitle(i) = system(sprintf("sed -n '%dp' '%s'", i - 1, keyfile))

if (fmt eq 'svg') {
	set terminal svg size 1400,720 dynamic font "DejaVu Sans,11" background rgb "white"
} else {
	set terminal pngcairo size 1400,720 font "DejaVu Sans,11"
}
set output out.'/macro.'.fmt
set title "Macro benchmarks: median wall time relative to native (lower is better)\n{/*0.8 ".subtitle."}"
set datafile missing "?"
set key autotitle columnhead
set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.9
set logscale y 2
set yrange [ymin:ymax]
set xrange [-0.6:nrows - 0.4]
set ytics ("0.125x" 0.125, "0.25x" 0.25, "0.5x" 0.5, "1x" 1, "1.5x" 1.5, "2x" 2, "3x" 3, "5x" 5, "10x" 10, "20x" 20, "50x" 50, "100x" 100, "200x" 200) nomirror
set grid ytics lc rgb "#dddddd"
set ylabel "time / native time (log scale)"
set key outside right top vertical Left reverse noenhanced
set xtics noenhanced nomirror
set border 3
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead back lc rgb "black" lw 1.5 dt 2
# One colour per tool, in the column order of macro.dat (every tool but native).
array colors[6] = ["#1f4e9c", "#6fa8dc", "#38a169", "#dd8a1c", "#c53030", "#888888"]
plot for [i=2:ncols] datafile using i:xtic(1) notitle lc rgb colors[(i-2)%6+1], \
     for [i=2:ncols] keyentry with boxes fc rgb colors[(i-2)%6+1] title keytitle(i), \
     out.'/macro-labels.dat' using 1:2:3 with labels rotate by 90 left offset 0,0.3 font ",8" notitle
