# Watching files inside: node's fs.watch, a python program speaking
# inotify through ctypes, and inotifywait (inotify-tools) see the changes
# made in the folder: creations, renames, removals, attributes, truncation.
# A watch on an image folder (/usr/share) is accepted and stays quiet.
set -euo pipefail
. ./assert.sh

mkdir w

cat >watch.js <<'JS'
const fs = require('fs');
const seen = [];
const watcher = fs.watch('w', (event, name) => seen.push(`${event} ${name}`));
fs.closeSync(fs.openSync('w/a', 'w'));
fs.renameSync('w/a', 'w/b');
fs.chmodSync('w/b', 0o600);
fs.unlinkSync('w/b');
fs.mkdirSync('w/sub');
setTimeout(() => {
  watcher.close();
  console.log('node fs.watch: ' + seen.join(', '));
}, 300);
JS
node watch.js

cat >watch.py <<'PY'
import ctypes, ctypes.util, errno, os, select, struct

libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
IN_MODIFY, IN_ATTRIB, IN_MOVED_FROM, IN_MOVED_TO = 0x2, 0x4, 0x40, 0x80
IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_IGNORED, IN_ISDIR = 0x100, 0x200, 0x400, 0x8000, 0x40000000
NAMES = {IN_MODIFY: "MODIFY", IN_ATTRIB: "ATTRIB", IN_MOVED_FROM: "MOVED_FROM", IN_MOVED_TO: "MOVED_TO",
         IN_CREATE: "CREATE", IN_DELETE: "DELETE", IN_DELETE_SELF: "DELETE_SELF", IN_IGNORED: "IGNORED",
         IN_ISDIR: "ISDIR"}

fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
assert fd >= 0, os.strerror(ctypes.get_errno())
mask = IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF
wd = libc.inotify_add_watch(fd, b"w", mask)
usr = libc.inotify_add_watch(fd, b"/usr/share", mask)
assert wd > 0 and usr > 0, os.strerror(ctypes.get_errno())

open("w/p", "w").close()
os.truncate("w/p", 3)
os.rename("w/p", "w/q")
os.utime("w/q")
os.remove("w/q")
os.rmdir("w/sub")

poller = select.poll()
poller.register(fd, select.POLLIN)
assert poller.poll(1000), "no event"
events, cookies = [], {}
data = os.read(fd, 65536)
while data:
    wd_, mask_, cookie, length = struct.unpack_from("iIII", data)
    name = data[16:16 + length].rstrip(b"\0").decode()
    what = "|".join(v for k, v in NAMES.items() if mask_ & k)
    where = "w" if wd_ == wd else "/usr/share" if wd_ == usr else "?"
    if cookie:
        what += " #%d" % cookies.setdefault(cookie, len(cookies) + 1)
    events.append(f"{where}:{what}:{name}")
    data = data[16 + length:]
print("python inotify: " + ", ".join(events))
os.close(fd)
PY
python3 watch.py

inotifywait -m -e create,delete,moved_from,moved_to,attrib --format '%e %f' w >events.log 2>wait.log &
waiter=$!
for _ in $(seq 100); do
	grep -q 'Watches established' wait.log && break
	sleep 0.05
done
contains "$(cat wait.log)" "Watches established" "inotifywait set up its watch"
touch w/t
mv w/t w/u
chmod 600 w/u
rm w/u
mkdir w/dir
sleep 0.3
kill "$waiter"
wait "$waiter" || true
echo "inotifywait: $(tr '\n' ',' <events.log)"
