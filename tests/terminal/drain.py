#!/usr/bin/env python3
"""The terminal commands that wait for output to drain (tcdrain, and
tcsetattr with TCSADRAIN or TCSAFLUSH: TCSBRK, TCSETSW, TCSETSF, TCSETAW,
TCSETAF, TCSETSW2, TCSETSF2) run on a worker of the sentry: under a pty
they must answer as natively, with the modes set, in both platforms.
usage: drain.py SENTRY PLATFORM

A pty never holds output back (the writer blocks instead), so the wait
itself cannot be made to last here; what the user relies on is that the
commands still work and change the modes."""
import os
import pty
import select
import signal
import sys
import time

SENTRY, PLATFORM = sys.argv[1], sys.argv[2]

PROGRAM = r"""
import array, fcntl, termios, sys
TCSETAW, TCSETAF, TCGETA = 0x5407, 0x5408, 0x5405
TCSETSW2, TCSETSF2, TCGETS2 = 0x402c542c, 0x402c542d, 0x802c542a
def echo():
    return "on" if termios.tcgetattr(0)[3] & termios.ECHO else "off"
def lflag_off(cmd_get, cmd_set, size, lflag_at, width):
    buf = bytearray(size)
    fcntl.ioctl(0, cmd_get, buf)
    lflag = int.from_bytes(buf[lflag_at:lflag_at + width], "little") & ~termios.ECHO
    buf[lflag_at:lflag_at + width] = lflag.to_bytes(width, "little")
    return fcntl.ioctl(0, cmd_set, bytes(buf))
out = []
a = termios.tcgetattr(0)
a[3] &= ~termios.ECHO
termios.tcsetattr(0, termios.TCSADRAIN, a)
out.append("TCSETSW echo " + echo())
a[3] |= termios.ECHO
termios.tcsetattr(0, termios.TCSAFLUSH, a)
out.append("TCSETSF echo " + echo())
sys.stdout.write("some output\n"); sys.stdout.flush()
termios.tcdrain(1)
out.append("TCSBRK drained")
def echo_on():
    b = termios.tcgetattr(0)
    b[3] |= termios.ECHO
    termios.tcsetattr(0, termios.TCSANOW, b)
# struct termio: four unsigned shorts of flags, c_lflag the fourth;
# struct termios2: four unsigned ints of flags, c_lflag the fourth
for name, get, set_, size, at, width in [("TCSETAW", TCGETA, TCSETAW, 18, 6, 2), ("TCSETAF", TCGETA, TCSETAF, 18, 6, 2),
                                         ("TCSETSW2", TCGETS2, TCSETSW2, 44, 12, 4), ("TCSETSF2", TCGETS2, TCSETSF2, 44, 12, 4)]:
    echo_on()
    lflag_off(get, set_, size, at, width)
    out.append(name + " echo " + echo())
print("RESULT " + ", ".join(out))
"""


def run(argv):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(argv[0], argv)
    out = bytearray()
    end = time.time() + 20
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out.extend(chunk)
        elif os.waitpid(pid, os.WNOHANG)[0] == pid:
            pid = 0
            break
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    text = out.decode(errors="replace")
    lines = [line for line in text.splitlines() if line.startswith("RESULT ")]
    return lines[-1] if lines else "no result; the terminal showed:\n" + text[-800:]


native = run(["/usr/bin/python3", "-c", PROGRAM])
inside = run([SENTRY, f"--platform={PLATFORM}", "--", "/usr/bin/python3", "-c", PROGRAM])
print(f"native: {native}")
print(f"inside: {inside}")
if not native.startswith("RESULT ") or native != inside:
    print("FAIL: the drain commands differ inside")
    sys.exit(1)
print("ok: the drain commands answer and set the modes as natively")
sys.exit(0)
