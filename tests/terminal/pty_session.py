#!/usr/bin/env python3
"""Interactive use in a real terminal: the sandbox run under a pty, typed at
as a person would. usage: pty_session.py SENTRY PLATFORM

Checks: the Python REPL evaluates, Ctrl-C reaches the workload (a
KeyboardInterrupt, and the REPL goes on), bash job control (a background
job listed, then killed), and a window-size change seen inside."""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

SENTRY, PLATFORM = sys.argv[1], sys.argv[2]
failures = 0


def session(argv, steps, settle=1.0):
    """Runs argv on a new pty; each step is bytes to type, or a callable
    given the master fd. Returns everything the terminal showed."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(argv[0], argv)
    out = bytearray()

    def drain(seconds):
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    out.extend(os.read(fd, 4096))
                except OSError:
                    return

    drain(settle)
    for step in steps:
        if callable(step):
            step(fd)
        else:
            os.write(fd, step)
        drain(settle)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    return out.decode(errors="replace")


def expect(what, text, needle):
    global failures
    if needle in text:
        print(f"ok: {what}")
    else:
        failures += 1
        print(f"FAIL: {what}: {needle!r} not in the terminal's output:\n{text[-600:]}")


def resize(rows, cols):
    def apply(fd):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return apply


base = [SENTRY, f"--platform={PLATFORM}", "--"]

repl = session(base + ["/usr/bin/python3", "-q"], [
    b"print(6 * 7)\n",
    b"import time; time.sleep(30)\n",
    b"\x03",
    b"print('still' + ' here')\n",
])
expect("the REPL evaluates", repl, "42")
expect("Ctrl-C reaches the workload", repl, "KeyboardInterrupt")
expect("the REPL goes on after Ctrl-C", repl, "still here")

shell = session(base + ["/bin/bash", "--norc", "--noprofile", "-i"], [
    b"echo $((6 * 7))\n",
    b"sleep 30 &\n",
    b"jobs\n",
    b"kill %1; wait; jobs; echo job-gone\n",
])
expect("bash runs commands", shell, "42")
expect("bash lists a background job", shell, "Running")
expect("bash kills it (job control)", shell, "Terminated")

winch = session(base + ["/usr/bin/python3", "-q"], [
    b"import os, signal; seen = []; signal.signal(signal.SIGWINCH, lambda *a: seen.append(1))\n",
    resize(33, 101),
    b"print('size', os.get_terminal_size(), 'winch', len(seen) > 0)\n",
])
expect("a window-size change reaches the workload", winch, "columns=101, lines=33")
expect("with SIGWINCH", winch, "winch True")

print(f"{6 + 2 - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
