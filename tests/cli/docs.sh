#!/bin/bash
# usage: docs.sh SENTRY SOURCE_DIR BUILD_DIR
# Every option sentry accepts (its getopt_long table in sentry/main.c) is
# listed by --help, every long option --help lists has an entry in the man
# page doc/sentry.1, the man page renders without warnings, cmake --install
# puts bin/sentry and share/man/man1/sentry.1 in place, and cpack makes a
# Debian package of them.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
SRC=$2 BUILD=$3
MAN=$SRC/doc/sentry.1

"$SENTRY" --help >"$T/help" 2>"$T/err"
RC=$?
expect "--help: exit 0 (was $RC)" [ "$RC" -eq 0 ]
expect "--help: nothing on stderr" [ ! -s "$T/err" ]

# The names in `static const struct option long_options[] = { ... };`.
sed -n '/struct option long_options\[\] *= *{/,/^};/p' "$SRC/sentry/main.c" |
	grep -oE '\{ *"[a-z0-9-]+"' | grep -oE '[a-z0-9-]+' >"$T/table"
expect "main.c's option table read ($(wc -l <"$T/table") options)" [ "$(wc -l <"$T/table")" -ge 10 ]
while read -r name; do
	expect "--help lists --$name" grep -qE -- "(^|[ ,])--$name([=[ ]|$)" "$T/help"
done <"$T/table"

# Long options as --help shows them, and the man page with \- as -.
grep -oE -- '(^|[ ,])--[a-z][a-z0-9-]*' "$T/help" | grep -oE -- '--[a-z0-9-]+' | sort -u >"$T/help-options"
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$MAN" >"$T/man"
# Option entries: the line after each .TP.
awk 'prev == ".TP" { print } { prev = $1 }' "$T/man" >"$T/man-items"
while read -r opt; do
	expect "man page has an entry for $opt" grep -qE -- "(^|[ \"])$opt([=\" ]|$)" "$T/man-items"
done <"$T/help-options"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
	expect "man page section $section" grep -qx "\.SH \"\?$section\"\?" "$T/man"
done
for status in 124 125 126 127; do
	expect "man page gives exit status $status" grep -qx "$status" "$T/man"
done
if command -v groff >/dev/null; then
	groff -man -Tutf8 -ww -z "$MAN" 2>"$T/groff"
	expect "groff renders it without warnings" [ ! -s "$T/groff" ]
	cat "$T/groff"
fi

if [ -f "$BUILD/cmake_install.cmake" ]; then
	cmake --install "$BUILD" --prefix "$T/prefix" >"$T/install.log" 2>&1
	expect "cmake --install: exit 0" [ $? -eq 0 ]
	expect "installs bin/sentry" [ -x "$T/prefix/bin/sentry" ]
	expect "installs share/man/man1/sentry.1" cmp -s "$MAN" "$T/prefix/share/man/man1/sentry.1"
fi
# The Debian package of the tree just installed: cpack's own install step
# would first build the whole tree, in the middle of the other tests.
if [ -f "$BUILD/CPackConfig.cmake" ] && [ -x "$T/prefix/bin/sentry" ] && command -v dpkg-deb >/dev/null; then
	cat >"$T/cpack.cmake" <<-EOF
		include("$BUILD/CPackConfig.cmake")
		set(CPACK_INSTALL_CMAKE_PROJECTS "")
		set(CPACK_INSTALLED_DIRECTORIES "$T/prefix;usr")
	EOF
	(cd "$T" && cpack -G DEB -B "$T/pkg" --config "$T/cpack.cmake" >"$T/cpack.log" 2>&1)
	expect "cpack -G DEB: exit 0" [ $? -eq 0 ]
	deb=$(ls "$T"/pkg/sentry_*.deb 2>/dev/null | head -1)
	expect "cpack made a .deb" [ -n "$deb" ]
	if [ -n "$deb" ]; then
		depends=$(dpkg-deb -f "$deb" Depends)
		echo "Depends: $depends"
		expect "the package depends on libc6" grep -q libc6 <<<"$depends"
		# and on every other shared library sentry loads (libseccomp and
		# xxhash only when not linked from their archives)
		for pair in libseccomp.so.2:libseccomp2 libxxhash.so.0:libxxhash0; do
			if ldd "$T/prefix/bin/sentry" | grep -q "${pair%%:*}"; then
				expect "the package depends on ${pair#*:}" grep -q "${pair#*:}" <<<"$depends"
			fi
		done
		expect "the package has a maintainer" [ -n "$(dpkg-deb -f "$deb" Maintainer)" ]
		dpkg-deb -c "$deb" >"$T/contents"
		expect "the package holds usr/bin/sentry" grep -q ' ./usr/bin/sentry$' "$T/contents"
		expect "the package holds the man page" grep -q ' ./usr/share/man/man1/sentry.1$' "$T/contents"
	else
		tail -5 "$T/cpack.log"
	fi
fi

finish
