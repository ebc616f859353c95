#!/usr/bin/python3
"""Runs a command on a fresh pseudo-terminal as its controlling terminal.

usage: pty_run.py INJECTED_LOG SECONDS -- COMMAND [ARGS...]

The command's terminal output is copied to stdout. Once it has ended, any
input waiting in the terminal (nobody typed anything, so it was injected,
e.g. with TIOCSTI) is written to INJECTED_LOG. With PTY_TYPED set, its
text is typed at the start, as a person typing ahead at the shell, and
must still be waiting at the end: if it is gone, that goes to the log."""
import fcntl
import os
import select
import sys
import termios
import time

log_path, seconds = sys.argv[1], float(sys.argv[2])
cmd = sys.argv[4:]
master, slave = os.openpty()
pid = os.fork()
if pid == 0:
    os.close(master)
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    if slave > 2:
        os.close(slave)
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)

typed = os.environ.get("PTY_TYPED", "").encode()
if typed:
    os.write(master, typed)
deadline = time.monotonic() + seconds
status = None
while True:
    r, _, _ = select.select([master], [], [], 0.05)
    if r:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if data:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
    if status is None:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
        elif time.monotonic() > deadline:
            os.kill(pid, 9)
    if status is not None and not r:
        break

# Whatever sits in the terminal's input queue: switch off canonical mode so
# a partial line is readable too, and read without blocking.
attrs = termios.tcgetattr(slave)
attrs[3] &= ~(termios.ICANON | termios.ECHO)
attrs[6][termios.VMIN] = 0
attrs[6][termios.VTIME] = 0
termios.tcsetattr(slave, termios.TCSANOW, attrs)
os.set_blocking(slave, False)
try:
    pending = os.read(slave, 65536)
except OSError:
    pending = b""
if typed:
    if pending.startswith(typed):
        pending = pending[len(typed):]
    else:
        with open(log_path, "a") as f:
            f.write("typed input was taken: %r left of %r\n" % (pending, typed))
if pending:
    with open(log_path, "a") as f:
        f.write("terminal input nobody typed: %r\n" % pending)
code = os.waitstatus_to_exitcode(status) if status is not None else 1
sys.exit(code if code >= 0 else 128 - code)
