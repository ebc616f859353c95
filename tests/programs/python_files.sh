# python3 x.py reading and writing files in the cwd: the fixture files are
# visible, new files can be written, read back, renamed and removed, and the
# fixture files themselves can be rewritten and deleted.
set -euo pipefail
. ./assert.sh

cat >x.py <<'PY'
import os, stat, sys

def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")

# The cwd is the folder the script was started in.
check(os.getcwd() == sys.argv[1], f"cwd {os.getcwd()!r} is not {sys.argv[1]!r}")

# Imported files.
with open("input.txt") as f:
    lines = f.read().splitlines()
check(lines == ["alpha", "beta", "gamma"], f"input.txt read as {lines!r}")
found = sorted(os.path.join(d, n) for d, _, names in os.walk("data") for n in names)
check(found == ["data/nested/deep.txt", "data/top.txt"], f"os.walk gave {found!r}")
with open("data/nested/deep.txt") as f:
    check(f.read() == "deep\n", "data/nested/deep.txt contents")
check(os.access("tool.sh", os.X_OK), "tool.sh is not executable")
check(stat.S_IMODE(os.stat("input.txt").st_mode) == 0o644, "input.txt mode")
print("read", len(lines), "lines and", len(found), "nested files")

# A new text file: write, append, read back.
with open("out.txt", "w") as f:
    f.writelines(line.upper() + "\n" for line in lines)
with open("out.txt", "a") as f:
    f.write("DELTA\n")
with open("out.txt") as f:
    text = f.read()
check(text == "ALPHA\nBETA\nGAMMA\nDELTA\n", f"out.txt read back as {text!r}")
print("wrote out.txt:", text.count("\n"), "lines")

# A binary file: seek, read, overwrite in place, truncate.
blob = bytes(range(256)) * 16
with open("blob.bin", "w+b") as f:
    f.write(blob)
    f.seek(1000)
    check(f.read(4) == blob[1000:1004], "read after seek")
    f.seek(0)
    f.write(b"HEAD")
    f.truncate(100)
check(os.path.getsize("blob.bin") == 100, "size after truncate")
with open("blob.bin", "rb") as f:
    check(f.read() == b"HEAD" + blob[4:100], "blob.bin contents after truncate")
print("blob.bin: 100 bytes")

# Rewrite and delete imported files.
with open("input.txt", "w") as f:
    f.write("changed\n")
os.remove("remove-me.txt")
check(not os.path.exists("remove-me.txt"), "remove-me.txt still exists")

# Directories, rename, mode, symlink, hard link.
os.makedirs("sub/deeper")
os.rename("out.txt", "sub/out.txt")
os.chmod("sub/out.txt", 0o600)
check(stat.S_IMODE(os.stat("sub/out.txt").st_mode) == 0o600, "mode after chmod")
os.symlink("sub/out.txt", "link")
check(os.readlink("link") == "sub/out.txt", "readlink")
os.link("blob.bin", "sub/blob.hard")
check(os.stat("blob.bin").st_nlink == 2, "nlink after link")
check(os.path.samefile("blob.bin", "sub/blob.hard"), "hard link is the same file")
os.rmdir("sub/deeper")

names = sorted(os.listdir("."))
expected = sorted(["assert.sh", "blob.bin", "data", "input.txt", "link",
                   "python_files.sh", "sub", "tool.sh", "x.py"])
check(names == expected, f"listdir gave {names!r}")
print("cwd:", " ".join(names))
PY

python3 x.py "$(pwd -P)"

# What python3 left behind, seen from bash.
eq "$(cat input.txt)" changed "input.txt rewritten by python3"
absent remove-me.txt "file removed by python3"
eq "$(wc -l <sub/out.txt)" 4 "line count of sub/out.txt"
eq "$(cat link)" "$(printf 'ALPHA\nBETA\nGAMMA\nDELTA')" "contents through the symlink"
eq "$(stat -c %s blob.bin)" 100 "size of blob.bin"
eq "$(stat -c %a sub/out.txt)" 600 "mode of sub/out.txt"
eq "$(stat -c %h sub/blob.hard)" 2 "link count of sub/blob.hard"
absent sub/deeper "directory removed by python3"
echo "checked from bash"
