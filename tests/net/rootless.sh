#!/bin/bash
# usage: rootless.sh SENTRY PLATFORM LOOPBACK_PY
# sentry run by an ordinary user (uid 65534 when started as root): the
# sandbox's own loopback, ptys and image files opened in place, made in a
# user namespace of the sandbox's own; files of the host the user cannot
# read stay unreadable inside; where user namespaces are disabled, the
# three fall back with their --verbose lines.
. "$(dirname "$0")/../integration/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$T" || exit 1
chmod 755 "$T"
[ "$(id -u)" = 0 ] && chown 65534:65534 "$T" # the folder imported inside is the user's
cp "$PROG" loopback.py
cp "$SENTRY" sentry # reachable by the user, wherever the build is
PY=/usr/bin/python3
AS_USER=()
[ "$(id -u)" = 0 ] && AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
user() {
	timeout -k 2 60 "${AS_USER[@]}" ./sentry --platform="$PLATFORM" "$@"
}

"$PY" loopback.py pairs >native.out 2>&1
user -- "$PY" loopback.py pairs >inside.out 2>inside.err
if [ -s native.out ] && diff native.out inside.out >diff.out; then
	pass "as uid $("${AS_USER[@]}" id -u): TCP and UDP on 127.0.0.1 and ::1 as natively"
else
	fail "loopback pairs differ from the native run"; show diff diff.out; show stderr inside.err
fi
user -- "$PY" loopback.py http >http.out 2>&1
grep -q '^http: served inside$' http.out && pass "http.server and urllib inside" || { fail "http.server inside"; show out http.out; }

read -r P < <("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" -c 'import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); print("ready", flush=True)
s.settimeout(20)
try:
    s.accept(); print("reached")
except OSError: pass' "$P" >host.out &
HOST=$!
for _ in $(seq 50); do [ -s host.out ] && break; sleep 0.1; done
user -- "$PY" loopback.py own "$P" first >a.out 2>a.err &
A=$!
user -- "$PY" loopback.py own "$P" second >b.out 2>b.err
wait $A
kill $HOST 2>/dev/null; wait $HOST 2>/dev/null
grep -q '^got first$' a.out && grep -q '^got second$' b.out && pass "two sandboxes on port $P, each its own" ||
	{ fail "two sandboxes on one port"; show a a.out; show a-err a.err; show b b.out; show b-err b.err; }
grep -q reached host.out && fail "the host's listener on $P was reached" || pass "the host's listener on $P untouched"

# --publish: curl on the host reaches http.server inside
read -r HP < <("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "published page" >page.txt
chmod 644 page.txt
timeout -k 2 30 "${AS_USER[@]}" ./sentry --platform="$PLATFORM" --publish "$HP:8080" -- \
	"$PY" -m http.server 8080 --bind 127.0.0.1 >pub.out 2>pub.err &
S=$! # timeout's pid: it passes a TERM on to the sentry
got=
for _ in $(seq 100); do
	got=$(curl -s --max-time 5 "http://127.0.0.1:$HP/page.txt") && [ -n "$got" ] && break
	sleep 0.1
done
kill $S 2>/dev/null; wait $S 2>/dev/null
[ "$got" = "published page" ] && pass "--publish $HP:8080: curl from the host" ||
	{ fail "--publish: curl got '$got'"; show stderr pub.err; show stdout pub.out; }

cat >ptyfork.py <<'EOF'
import os, pty
pid, fd = pty.fork()
if pid == 0:
    print("child on", os.ttyname(0), os.isatty(1), flush=True)
    os._exit(0)
out = b""
while True:
    try:
        b = os.read(fd, 1024)
    except OSError:
        break
    if not b:
        break
    out += b
os.waitpid(pid, 0)
print(out.decode().strip())
EOF
user -- "$PY" ptyfork.py >pty.out 2>&1
grep -q '^child on /dev/pts/0 True$' pty.out && pass "pty.fork: the child on /dev/pts/0" || { fail "pty.fork"; show out pty.out; }
user -- script -qc tty /dev/null </dev/null >script.out 2>&1
grep -q '^/dev/pts/0' script.out && pass "script -qc tty: /dev/pts/0" || { fail "script -qc tty"; show out script.out; }

# image files in place, and nothing said about falling back
user -v --stats=json -- "$PY" -c 'import json, email.parser' >/dev/null 2>stats.err
"$PY" - stats.err <<'EOF' >stats.out 2>&1
import json, sys
lines = open(sys.argv[1]).read().splitlines()
s = json.loads([l for l in lines if l.startswith("{")][-1])["store"]
print("in place", s["image_files_in_place"] > 0, "copied", s["image_files_copied"], "bytes", s["image_copy_bytes"])
EOF
grep -q '^in place True copied 0 bytes 0$' stats.out && pass "image files opened in place, none copied" ||
	{ fail "image files in place"; show stats stats.out; show stderr stats.err; }
grep -E 'no loopback|no ptys|copied into the store|no user namespace' stats.err >said.out
[ -s said.out ] && { fail "a fall-back line without need"; show said said.out; } || pass "no fall-back line under -v"

# through the view the user sees what it may read on the host, no more
mkdir img && echo shown >img/public && echo hidden >img/secret && chmod 644 img/public && chmod 600 img/secret
chmod 755 img
cat >img/probe.py <<'EOF'
import os, sys
for p in sys.argv[1:]:
    try:
        open(p).read(); print(os.path.basename(p), "read")
    except OSError as e:
        print(os.path.basename(p), e.strerror)
for p in ("/usr/bin/python3", sys.argv[1]):
    try:
        open(p, "ab"); print("append opened")
    except OSError as e:
        print("append", e.strerror)
EOF
(cd / && "${AS_USER[@]}" "$PY" "$T/img/probe.py" "$T/img/public" "$T/img/secret") >probe.native 2>&1
(cd / && timeout -k 2 60 "${AS_USER[@]}" "$T/sentry" --platform="$PLATFORM" --image="$T/img" -- "$PY" "$T/img/probe.py" \
	"$T/img/public" "$T/img/secret") >probe.inside 2>&1
# the image is read-only inside: a write to a file of it is EROFS first, as on
# a read-only mount
sed '$s/^append Permission denied$/append Read-only file system/' probe.native >probe.expected
grep -q '^secret Permission denied$' probe.native && diff probe.expected probe.inside >probe.diff &&
	pass "a host file the user cannot read stays unreadable inside, the image read-only" ||
	{ fail "the view shows other than the host"; show native probe.native; show inside probe.inside; }

# user namespaces disabled: the three fall back, each with its line
if [ "$(id -u)" = 0 ]; then
	"$PY" "$HERE/nouserns.py" "${AS_USER[@]}" ./sentry --platform="$PLATFORM" -v -- \
		"$PY" -c 'import pty, socket
try:
    pty.openpty(); print("pty opened")
except OSError as e: print("pty:", e)
try:
    socket.socket().bind(("127.0.0.1", 0)); print("bound")
except OSError as e: print("bind:", e.strerror)' >off.out 2>&1
	missing=
	for said in "no user namespace of the sandbox's own" "no ptys inside" "image files are copied into the store" \
		"no loopback inside" "pty: out of pty devices" "bind: Permission denied"; do
		grep -q "$said" off.out || missing="$missing '$said'"
	done
	[ -z "$missing" ] && pass "without user namespaces: ptys, loopback and the view fall back with their lines" ||
		{ fail "without user namespaces, not said:$missing"; show out off.out; }
else
	echo "skipped: disabling user namespaces needs root"
fi
finish
