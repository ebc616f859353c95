# The same sequence as stat_seq.c, through python3's os.stat.
import os, sys

d = "/tmp/fastpath-seq-py.%d" % os.getpid()

def show(label, path, nofollow=False):
    lines = []
    for _ in range(3):
        try:
            st = os.stat(path, follow_symlinks=not nofollow)
        except OSError as e:
            lines.append(os.strerror(e.errno))
            continue
        import stat as S
        mode = "%04o" % S.S_IMODE(st.st_mode)
        if S.S_ISDIR(st.st_mode):
            lines.append("dir " + mode)
        else:
            kind = "link" if S.S_ISLNK(st.st_mode) else "file" if S.S_ISREG(st.st_mode) else "other"
            lines.append("%s %s size %d links %d" % (kind, mode, st.st_size, st.st_nlink))
    if len(set(lines)) != 1:
        print("%-24s UNSTABLE: %s" % (label, " / ".join(lines)))
    else:
        print("%-24s %s" % (label, lines[0]))

show("image file", "/etc/passwd")
show("symlink", "/bin", True)
show("symlink followed", "/bin")
show("missing", "/usr/no-such-file")
os.umask(0o022)
os.mkdir(d, 0o755)
a, b = d + "/a", d + "/b"
show("before create", a)
with open(a, "w") as f:
    f.write("hello")
    f.flush()
    show("created", a)
os.chmod(a, 0o600)
show("chmod", a)
os.rename(a, b)
show("renamed from", a)
show("renamed to", b)
os.unlink(b)
show("unlinked", b)
os.rmdir(d)
show("removed folder", d)
