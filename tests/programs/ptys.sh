# Programs that run others on a pty of their own: python's pty module
# (os.openpty, pty.spawn) and script(1). The pty is one of the sandbox's.
set -euo pipefail
. ./assert.sh

out=$(python3 - <<'PY'
import os, termios
master, slave = os.openpty()
attrs = termios.tcgetattr(slave)
attrs[3] &= ~termios.ECHO
termios.tcsetattr(slave, termios.TCSANOW, attrs)
name = os.ttyname(slave)
print("openpty", name.startswith("/dev/pts/"), os.isatty(slave))
os.write(master, b"ping\n")
print("slave reads", os.read(slave, 100))
os.write(slave, b"pong\n")
got = b""
while not got.endswith(b"\n"):
    got += os.read(master, 100)
print("master reads", got)
os.close(slave)
try:
    os.read(master, 1)
except OSError as e:
    print("after close", e.errno == 5)
PY
)
eq "$out" "openpty True True
slave reads b'ping\n'
master reads b'pong\r\n'
after close True" "os.openpty"

# pty.spawn: the child runs with the pty as its controlling terminal
python3 - >spawn.txt <<'PY'
import pty, sys
status = pty.spawn([sys.executable, "-c",
    "import os, sys; print('child tty', os.ttyname(0).startswith('/dev/pts/'), "
    "os.tcgetpgrp(0) == os.getpgrp(), os.getsid(0) == os.getpid()); "
    "fd = os.open('/dev/tty', os.O_RDWR); os.write(fd, b'via dev tty\\n')"])
print("status", status)
PY
contains "$(cat spawn.txt)" "child tty True True True" "pty.spawn: the child's terminal"
contains "$(cat spawn.txt)" "via dev tty" "pty.spawn: /dev/tty of the child"
contains "$(cat spawn.txt)" "status 0" "pty.spawn: exit status"

# script(1): the command's output comes through the pty
out=$(script -qc 'tty; stty size' /dev/null </dev/null | tr -d '\r')
contains "$out" "/dev/pts/" "script -qc: tty"
echo "ptys: ok"
