# Reads bench/run.sh's micro.md and writes, for bench/plot/micro.gp:
#   OUT/micro-floors.dat  "floor" ns        (the bare round trips)
#   OUT/micro-calls.dat   header "call" "native" "unotify" "ptrace", then
#                         one row per call, ns ("?" where n/a)
#   OUT/micro-inproc.dat  "case" ns         (in-process dispatch)
# awk -v out=DIR -f micro-data.awk micro.md
function ns(cell,   v) {
	gsub(/^ +| +$/, "", cell)
	if (cell ~ / ns$/) { v = cell; sub(/ ns$/, "", v); return v + 0 }
	if (cell ~ / us$/) { v = cell; sub(/ us$/, "", v); return v * 1000 }
	if (cell ~ / ms$/) { v = cell; sub(/ ms$/, "", v); return v * 1000000 }
	return "?"
}
function trim(s) { gsub(/^ +| +$/, "", s); return s }
BEGIN {
	section = ""
	floors = out "/micro-floors.dat"; calls = out "/micro-calls.dat"; inproc = out "/micro-inproc.dat"
	printf "" > inproc
}
/^### / {
	t = tolower($0)
	section = t ~ /in-process/ ? "inproc" : t ~ /bare round trip/ ? "floors" : t ~ /each class/ ? "calls" : ""
	header = 0
	next
}
/^\|/ {
	n = split($0, c, "|")
	# c[1] and c[n] are the empty strings around the outer bars.
	if (c[2] ~ /^-+$/ || trim(c[2]) ~ /^-+$/) next
	if (!header) {
		header = 1
		delete col
		for (i = 2; i < n; i++) { h = trim(c[i]); if (!(h in col)) col[h] = i }
		if (section == "floors") printf "" > floors
		if (section == "calls") print "call native unotify ptrace" > calls
		next
	}
	if (section == "floors" && ("floor" in col) && ("ns/call" in col))
		printf "\"%s\" %s\n", trim(c[col["floor"]]), ns(c[col["ns/call"]]) > floors
	if (section == "calls" && ("call" in col))
		printf "\"%s%s\" %s %s %s\n", trim(c[col["call"]]),
			("class" in col) ? " (" trim(c[col["class"]]) ")" : "",
			("native" in col) ? ns(c[col["native"]]) : "?",
			("unotify" in col) ? ns(c[col["unotify"]]) : "?",
			("ptrace" in col) ? ns(c[col["ptrace"]]) : "?" > calls
	if (section == "inproc" && ("case" in col) && ("ns/call" in col))
		printf "\"%s\" %s\n", trim(c[col["case"]]), ns(c[col["ns/call"]]) > inproc
}
