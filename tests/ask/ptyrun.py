"""A person at a terminal, for tests: runs a command on a fresh pty that is
its controlling terminal (a session of its own), waits for text to appear
on the screen and types answers."""
import fcntl
import os
import re
import select
import signal
import termios
import time


class Pty:
    def __init__(self, argv, env=None, cwd=None, stdin=None):
        """stdin: None (the pty), or a path opened as stdin instead."""
        self.master, slave = os.openpty()
        self.screen = b""
        self.pid = os.fork()
        if self.pid == 0:
            try:
                os.close(self.master)
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                os.dup2(slave, 0)
                os.dup2(slave, 1)
                os.dup2(slave, 2)
                if stdin:
                    fd = os.open(stdin, os.O_RDONLY)
                    os.dup2(fd, 0)
                if slave > 2:
                    os.close(slave)
                if cwd:
                    os.chdir(cwd)
                os.execvpe(argv[0], argv, env if env is not None else os.environ)
            finally:
                os._exit(127)
        self.slave = slave
        self.status = None

    def _pump(self, timeout):
        r, _, _ = select.select([self.master], [], [], timeout)
        if r:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                data = b""
            self.screen += data
            return bool(data)
        return False

    def expect(self, pattern, seconds=20, start=0):
        """Waits until pattern (a regex over the screen from `start`) shows;
        the match end, or raises."""
        deadline = time.monotonic() + seconds
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        while True:
            m = rx.search(self.screen, start)
            if m:
                return m.end()
            if time.monotonic() > deadline:
                raise TimeoutError("no %r on the screen:\n%s" % (pattern, self.text()))
            self._pump(0.05)

    def type(self, text):
        os.write(self.master, text.encode())

    def wait(self, seconds=30):
        """Waits for the command to end, reading the screen; its exit code."""
        deadline = time.monotonic() + seconds
        while self.status is None:
            self._pump(0.05)
            done, st = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.status = st
            elif time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
        while self._pump(0.05):
            pass
        os.close(self.slave)
        os.close(self.master)
        return os.waitstatus_to_exitcode(self.status)

    def text(self):
        return self.screen.decode(errors="replace")
