#!/bin/bash
# usage: image_inplace.sh SENTRY PLATFORM PYTHON
# Image files opened read-only are the host's files, opened in place
# through a read-only host view, never copied into the store:
#  - --stats counts them as opened in place, and no bytes of image copies;
#  - an open for writing of the same path copies the file up, as an
#    overlay does: the read-only fd opened before keeps the old contents,
#    a new open sees the new ones, fstat on the old fd shows the file's
#    attributes of now (the overlay's), and the host file is unchanged;
#  - not root, the view is made in a user namespace of the sandbox's own:
#    files are opened in place all the same, nothing said with -v (where
#    user namespaces are disabled they are copied: tests/net/rootless.sh).
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the host view needs root (CAP_SYS_ADMIN for open_tree)"
	exit 77
fi
# an --image folder outside /tmp, which is the sandbox's own
IMG=$(mktemp -d /var/tmp/sentry-image.XXXXXX)
chmod 755 "$IMG"
trap 'rm -rf "$T" "$IMG"' EXIT
printf 'old contents\n' >"$IMG/data.txt"
chmod 644 "$IMG/data.txt"
before=$(stat -c '%i %a %s %Y %Z' "$IMG/data.txt")

cat >"$T/copyup.py" <<'PY'
import os, sys
p = sys.argv[1]
ro = os.open(p, os.O_RDONLY)
print("first read:", os.pread(ro, 64, 0))
rw = os.open(p, os.O_WRONLY | os.O_TRUNC)
os.write(rw, b"new contents, longer\n")
os.close(rw)
print("old fd after the copy-up:", os.pread(ro, 64, 0))
print("new open:", open(p, "rb").read())
print("old fd fstat size == stat size:", os.fstat(ro).st_size == os.stat(p).st_size)
print("link:", os.readlink("/proc/self/fd/%d" % ro) == p)
PY
expected="first read: b'old contents\\n'
old fd after the copy-up: b'old contents\\n'
new open: b'new contents, longer\\n'
old fd fstat size == stat size: True
link: True"

# (the script goes as -c: the sandbox's /tmp is its own)
IT_SENTRY_ARGS="--image=$IMG --stats" inside "$PROG" -c "$(cat "$T/copyup.py")" "$IMG/data.txt" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(cat "$T/out")" = "$expected" ]; then
	pass "copy-up: the read-only fd keeps the old contents, a new open sees the new"
else
	fail "copy-up (exit $rc)"
	show stdout "$T/out"
	show stderr "$T/err"
fi
store=$(grep 'sentry: store:' "$T/err")
if [[ $store =~ ^sentry:\ store:\ 0\ bytes\ of\ image\ copies.*\ ([0-9]+)\ image\ files\ opened\ in\ place ]] &&
	[ "${BASH_REMATCH[1]}" -gt 0 ]; then
	pass "$store"
else
	fail "expected no image copies and files opened in place: ${store:-no store line}"
fi
[ "$(stat -c '%i %a %s %Y %Z' "$IMG/data.txt")" = "$before" ] && [ "$(cat "$IMG/data.txt")" = "old contents" ] &&
	pass "the host file is unchanged" || fail "the host file changed: $(stat -c '%i %a %s %Y %Z' "$IMG/data.txt")"

# Without root: the view of the sandbox's user namespace, the same answers.
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	(cd / && timeout -k 2 30 setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$SENTRY" --platform="$PLATFORM" -v --image="$IMG" --stats -- "$PROG" -c \
		'import sys; print(open(sys.argv[1]).read(), end="")' "$IMG/data.txt") >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ "$(cat "$T/out")" = "old contents" ] &&
		! grep -q 'copied into the store at first open' "$T/err" &&
		grep -q 'sentry: store: 0 bytes of image copies (0 files, 0 shared), [1-9][0-9]* image files opened in place' "$T/err"; then
		pass "not root: image files opened in place, no fall-back line with -v"
	else
		fail "not root (exit $rc)"
		show stdout "$T/out"
		show stderr "$T/err"
	fi
fi
exit $FAILED
