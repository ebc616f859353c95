# From `cc -dM -E unistd_macros.c`: one X(name) line per syscall number the
# headers define. The values are left to the C preprocessor, because some
# are defined through other macros (__NR3264_* in the asm-generic numbering).
$1 == "#define" && $2 ~ /^__NR_[a-z0-9_]+$/ {
	name = substr($2, 6)
	# not syscalls: the count, and the start of arch-specific numbers
	if (name == "syscalls" || name == "arch_specific_syscall")
		next
	print "X(" name ")"
}
