# Turns arch/<arch>/syscalls.tbl into C: one syscall_entry per row.
#
# Row: NUMBER NAME DISPOSITION [HANDLER]
#   DISPOSITION: pass | emulate | trace | kill | errno(ENAME)
#   HANDLER:     a C function for emulate/trace rows ("-" when not built yet);
#                "audit" on an errno row routes it through the sentry so the
#                denial is logged.
# Blank lines and text after '#' are ignored.
BEGIN { n = 0; failed = 0 }
{ sub(/#.*/, "") }
NF == 0 { next }
{
	if (NF < 3 || NF > 4 || $1 !~ /^[0-9]+$/) {
		printf "%s:%d: malformed row\n", FILENAME, FNR > "/dev/stderr"; failed = 1; next
	}
	nr = $1 + 0; name = $2; disp = $3; handler = (NF == 4) ? $4 : "-"
	if (nr in seen) {
		printf "%s:%d: number %d listed twice\n", FILENAME, FNR, nr > "/dev/stderr"; failed = 1; next
	}
	seen[nr] = 1
	if (name in named) {
		printf "%s:%d: name %s listed twice\n", FILENAME, FNR, name > "/dev/stderr"; failed = 1; next
	}
	named[name] = 1
	if (name !~ /^[a-z_][a-z0-9_]*$/) {
		printf "%s:%d: bad syscall name '%s'\n", FILENAME, FNR, name > "/dev/stderr"; failed = 1; next
	}
	err = "0"; audited = 0
	if (disp == "pass") d = "DISP_PASS"
	else if (disp == "emulate") d = "DISP_EMULATE"
	else if (disp == "trace") d = "DISP_TRACE"
	else if (disp == "kill") d = "DISP_KILL"
	else if (disp ~ /^errno\(E[A-Z0-9]+\)$/) {
		d = "DISP_ERRNO"; err = substr(disp, 7, length(disp) - 7)
		if (handler == "audit") audited = 1
		else if (handler != "-") { printf "%s:%d: errno rows take no handler but 'audit'\n", FILENAME, FNR > "/dev/stderr"; failed = 1; next }
		handler = "-"
	} else {
		printf "%s:%d: unknown disposition '%s'\n", FILENAME, FNR, disp > "/dev/stderr"; failed = 1; next
	}
	if (handler != "-" && handler !~ /^[A-Za-z_][A-Za-z0-9_]*$/ || handler == "audit") {
		printf "%s:%d: bad handler name '%s'\n", FILENAME, FNR, handler > "/dev/stderr"; failed = 1; next
	}
	if ((d == "DISP_PASS" || d == "DISP_KILL") && handler != "-") {
		printf "%s:%d: %s rows take no handler\n", FILENAME, FNR, disp > "/dev/stderr"; failed = 1; next
	}
	rows[n] = nr; names[nr] = name; disps[nr] = d; errs[nr] = err; auds[nr] = audited
	handlers[nr] = (handler == "-") ? "NULL" : handler
	if (handler != "-") used[handler] = 1
	n++
}
END {
	if (failed) exit 1
	# sort rows by number (insertion sort; a few hundred rows)
	for (i = 1; i < n; i++) { v = rows[i]; j = i - 1; while (j >= 0 && rows[j] > v) { rows[j + 1] = rows[j]; j-- } rows[j + 1] = v }
	print "/* Generated from syscalls.tbl by arch/gen_table.awk. Do not edit. */"
	print "#include <errno.h>"
	print "#include \"syscall.h\""
	print ""
	for (h in used) printf "long %s(struct task *, struct syscall_call *);\n", h
	print ""
	printf "const char syscall_table_arch[] = \"%s\";\n\n", arch
	print "const struct syscall_entry syscall_table[] = {"
	for (i = 0; i < n; i++) {
		nr = rows[i]
		printf "\t{ %d, \"%s\", %s, %s, %d, %s },\n", nr, names[nr], disps[nr], errs[nr], auds[nr], handlers[nr]
	}
	print "};"
	printf "const size_t syscall_table_len = %d;\n", n
}
