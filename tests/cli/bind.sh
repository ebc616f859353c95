#!/bin/bash
# usage: bind.sh SENTRY
# --bind HOST:GUEST[:ro] shows a host folder or file at GUEST, served by
# the sentry: without :ro what the workload changes there is on the host
# at once; with :ro every change fails with EROFS and the host stays as it
# was.  The results summary and --write-back leave binds alone.  On both
# platforms.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

for P in ${BIND_PLATFORMS:-unotify ptrace}; do
	rm -rf "$T/ws" "$T/host" "$T/ro" "$T/files"
	mkdir -p "$T/ws" "$T/host" "$T/ro" "$T/files"
	fixture "$T/host"
	fixture "$T/ro"
	echo '127.0.0.1 localhost' >"$T/files/hosts"
	echo 'nameserver 192.0.2.1' >"$T/files/resolv.conf"
	chmod u+w -R "$T/host"

	# read, write, append, truncate, mkdir, rename, unlink, rmdir, symlink,
	# chmod, utimens and a user xattr: each reaches the host folder
	run "$T/ws" --platform=$P --bind "$T/host:/data" -- sh -c '
		cat /data/keep.txt /data/sub/x && readlink /data/link &&
		echo new >/data/new.txt && echo more >>/data/change.txt &&
		mkdir /data/made && echo deep >/data/made/f &&
		mv /data/gone.txt /data/made/moved.txt && rm /data/keep.txt &&
		rm /data/sub/x && rmdir /data/sub && ln -s made/f /data/ln &&
		cat /data/ln && chmod 640 /data/new.txt &&
		touch -d "2001-02-03 04:05:06" /data/new.txt &&
		truncate -s 2 /data/made/f && ls /data'
	expect "$P: rw bind: exit 0 (was $RC)" [ "$RC" -eq 0 ]
	expect "$P: rw bind: reads the host files and links" \
		[ "$(head -3 "$T/out")" = "$(printf 'keep\nx\nkeep.txt')" ]
	expect "$P: rw bind: a symlink made inside is followed inside" grep -qx deep "$T/out"
	expect "$P: rw bind: a new file lands on the host" [ "$(cat "$T/host/new.txt")" = new ]
	expect "$P: rw bind: an append lands on the host" [ "$(cat "$T/host/change.txt")" = "$(printf 'old\nmore')" ]
	expect "$P: rw bind: mkdir and truncate" [ "$(cat "$T/host/made/f")" = de ]
	expect "$P: rw bind: rename into a subfolder" [ "$(cat "$T/host/made/moved.txt")" = gone ] 
	expect "$P: rw bind: rename removed the old name" [ ! -e "$T/host/gone.txt" ]
	expect "$P: rw bind: unlink" [ ! -e "$T/host/keep.txt" ]
	expect "$P: rw bind: rmdir" [ ! -e "$T/host/sub" ]
	expect "$P: rw bind: symlink" [ "$(readlink "$T/host/ln")" = made/f ]
	expect "$P: rw bind: chmod" [ "$(stat -c %a "$T/host/new.txt")" = 640 ]
	expect "$P: rw bind: utimens" [ "$(date -u -d @"$(stat -c %Y "$T/host/new.txt")" +%Y)" = 2001 ] 
	expect "$P: rw bind: files are the sentry's on the host" [ "$(stat -c %u:%g "$T/host/new.txt")" = "$(id -u):$(id -g)" ]
	expect "$P: rw bind: no summary of workspace changes" [ -z "$(summary)" ]

	# user.* xattrs: one the host file had is read inside, one set inside
	# and one removed inside are so on the host
	if python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.old", b"host"); os.setxattr(sys.argv[1], "user.gone", b"x")' "$T/host/change.txt" 2>/dev/null; then
		run "$T/ws" --platform=$P --bind "$T/host:/data" -- python3 -c '
import os
f = "/data/change.txt"
print(os.getxattr(f, "user.old").decode(), sorted(os.listxattr(f)))
os.setxattr(f, "user.color", b"blue")
os.removexattr(f, "user.gone")
try:
    os.setxattr(f, "trusted.x", b"1")
    print("trusted set")
except OSError as e:
    print("trusted", e.errno)'
		expect "$P: rw bind: the host file's xattrs inside (was $RC)" \
			grep -qx "host \['user.gone', 'user.old'\]" "$T/out"
		expect "$P: rw bind: xattrs set and removed inside are so on the host" \
			[ "$(python3 -c 'import os, sys; print(sorted(os.listxattr(sys.argv[1])), os.getxattr(sys.argv[1], "user.color").decode())' "$T/host/change.txt")" = "['user.color', 'user.old'] blue" ]
		expect "$P: rw bind: no trusted.* xattr reaches the host" grep -qx "trusted 95" "$T/out"
	fi

	# the workload's fd is its own open of the host file: writes through
	# it and mmap land at once; a direct write is seen on the host while
	# the workload still runs
	run "$T/ws" --platform=$P --bind "$T/host:/data" -- python3 -c '
import mmap, os
fd = os.open("/data/new.txt", os.O_RDWR | os.O_TRUNC)
os.write(fd, b"0123456789")
m = mmap.mmap(fd, 10)
m[0:2] = b"AB"
m.flush()
print(open("'"$T/host/new.txt"'".replace("'"$T/host"'", "/data")).read())'
	expect "$P: rw bind: write and mmap through the fd (was $RC)" grep -qx AB23456789 "$T/out"
	expect "$P: rw bind: the host file has them" [ "$(cat "$T/host/new.txt")" = AB23456789 ]

	# inotify on a bind folder hears names made, moved and removed inside
	run "$T/ws" --platform=$P --bind "$T/host:/data" -- python3 -c '
import ctypes, os, struct
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(os.O_NONBLOCK)
libc.inotify_add_watch(fd, b"/data", 0x100 | 0x200 | 0x40 | 0x80)  # CREATE DELETE MOVED_FROM MOVED_TO
open("/data/watched", "w").write("x")
os.rename("/data/watched", "/data/moved")
os.unlink("/data/moved")
buf = os.read(fd, 4096)
names = []
while buf:
    wd, mask, cookie, n = struct.unpack("iIII", buf[:16])
    names.append("%x:%s" % (mask, buf[16:16 + n].rstrip(b"\0").decode()))
    buf = buf[16 + n:]
print(" ".join(names))'
	expect "$P: inotify on a bind folder (was $RC)" grep -qx '100:watched 40:watched 80:moved 200:moved' "$T/out"

	# :ro: every change fails with EROFS, reads work, the host is unchanged
	listing "$T/ro" >"$T/before"
	run "$T/ws" --platform=$P --bind "$T/ro:/data:ro" -- python3 -c '
import errno, os
print(open("/data/keep.txt").read().strip())
tries = [
    lambda: open("/data/keep.txt", "a"),
    lambda: open("/data/new", "w"),
    lambda: os.truncate("/data/keep.txt", 0),
    lambda: os.mkdir("/data/d"),
    lambda: os.unlink("/data/keep.txt"),
    lambda: os.rmdir("/data/sub"),
    lambda: os.rename("/data/keep.txt", "/data/k2"),
    lambda: os.symlink("x", "/data/s"),
    lambda: os.chmod("/data/keep.txt", 0o777),
    lambda: os.utime("/data/keep.txt", (1, 1)),
    lambda: os.setxattr("/data/keep.txt", "user.a", b"1"),
    lambda: os.open("/proc/self/fd/%d" % os.open("/data/keep.txt", os.O_RDONLY), os.O_RDWR),
]
for i, t in enumerate(tries):
    try:
        t()
        print(i, "succeeded")
    except OSError as e:
        print(i, errno.errorcode[e.errno])
fd = os.open("/data/keep.txt", os.O_RDONLY)
for name, call in (("ftruncate", lambda: os.ftruncate(fd, 0)), ("fchmod", lambda: os.fchmod(fd, 0o777)),
                   ("write", lambda: os.write(fd, b"x"))):
    try:
        call()
        print(name, "succeeded")
    except OSError as e:
        print(name, errno.errorcode[e.errno])'
	expect "$P: ro bind: reads work (was $RC)" grep -qx keep "$T/out"
	expect "$P: ro bind: every change by path gives EROFS" \
		[ "$(grep -c '^[0-9]* EROFS$' "$T/out")" -eq 12 ]
	expect "$P: ro bind: fd changes fail" [ -z "$(grep succeeded "$T/out")" ]
	listing "$T/ro" >"$T/after"
	expect "$P: ro bind: the host folder is unchanged" cmp -s "$T/before" "$T/after"

	# single files at /etc paths: rw reaches the host, ro gives EROFS
	sum_before=$(sha256sum "$T/files/resolv.conf")
	run "$T/ws" --platform=$P --bind "$T/files/hosts:/etc/hosts" --bind "$T/files/resolv.conf:/etc/resolv.conf:ro" \
		-- sh -c 'cat /etc/hosts /etc/resolv.conf; echo "10.0.0.1 db" >>/etc/hosts;
			  echo x >>/etc/resolv.conf || echo ro-refused; mv /etc/hosts /etc/h2 || echo busy'
	expect "$P: file binds: exit 0 (was $RC)" [ "$RC" -eq 0 ]
	expect "$P: file binds: the host files inside" grep -qx 'nameserver 192.0.2.1' "$T/out"
	expect "$P: rw file bind: an append reaches the host" [ "$(tail -1 "$T/files/hosts")" = "10.0.0.1 db" ]
	expect "$P: ro file bind: a write is refused" grep -qx ro-refused "$T/out"
	expect "$P: ro file bind: EROFS" grep -q 'Read-only file system' "$T/err"
	expect "$P: file bind: a rename of the mount point is refused" grep -qx busy "$T/out"
	expect "$P: ro file bind: the host file is unchanged" [ "$(sha256sum "$T/files/resolv.conf")" = "$sum_before" ]

	# the host swaps a folder the sandbox already looked at for a symlink to
	# a folder outside the bind: the sentry's lookups stay beneath HOST
	rm -rf "$T/outside" "$T/host/d" "$T/host/d.old" "$T/host/ready" "$T/host/swapped"
	mkdir -p "$T/outside" "$T/host/d"
	echo outside-secret >"$T/outside/secret.txt"
	(
		for _ in $(seq 200); do [ -e "$T/host/ready" ] && break; sleep 0.05; done
		mv "$T/host/d" "$T/host/d.old" && ln -s "$T/outside" "$T/host/d" && touch "$T/host/swapped"
	) &
	swapper=$!
	run "$T/ws" --platform=$P --bind "$T/host:/data" -- sh -c '
		ls -a /data/d >/dev/null && : >/data/ready &&
		for i in $(seq 200); do [ -e /data/swapped ] && break; sleep 0.05; done
		[ -e /data/swapped ] || echo "no swap seen"
		cat /data/d/secret.txt; echo "listing: $(ls -F /data | tr "\n" " ")"; cat /data/d/secret.txt'
	wait $swapper
	expect "$P: host-side swap: the swap happened while the sandbox ran" [ -L "$T/host/d" ] && ! grep -q "no swap seen" "$T/out"
	expect "$P: host-side swap: nothing outside the bind is read" [ "$(grep -c outside-secret "$T/out")" -eq 0 ]
	expect "$P: host-side swap: a listing shows the host's names as they are now" grep -q "d@ d.old/" "$T/out"

	# --write-back applies the workspace's changes and leaves binds alone
	mkdir -p "$T/ws/out"
	run "$T/ws" --platform=$P --write-back --bind "$T/host:$T/ws/out" -- sh -c "echo w >$T/ws/out/w.txt; echo s >$T/ws/s.txt"
	expect "$P: --write-back with a bind: exit 0 (was $RC)" [ "$RC" -eq 0 ]
	expect "$P: --write-back: the bind's file is on the host once" [ "$(cat "$T/host/w.txt")" = w ]
	expect "$P: --write-back: never copied into the folder under the bind" [ ! -e "$T/ws/out/w.txt" ]
	expect "$P: --write-back: the workspace's own change applied" [ "$(cat "$T/ws/s.txt" 2>/dev/null)" = s ]
done

# bad specs: one line, exit 125
run "$T/ws" --bind "$T/missing:/data" -- true
expect "--bind of a missing HOST: exit 125 (was $RC)" [ "$RC" -eq 125 ]
expect "--bind of a missing HOST: one line naming it" [ "$(stderr_lines)" -eq 1 ] && grep -q "$T/missing" "$T/err"
run "$T/ws" --bind "$T/host:data" -- true
expect "--bind with a relative GUEST: exit 125 (was $RC)" [ "$RC" -eq 125 ]

finish
