#!/usr/bin/python3
"""usage: ask_test.py SENTRY PLATFORM [CASE...]

--ask as a person at a terminal meets it: each case runs sentry on a fresh
pty (its controlling terminal, ptyrun.py), waits for the question and
types the answer.  Destinations are listeners on test hosts in network
namespaces the test makes (a veth pair each, 10.201.N.0/30 for the cases,
10.200.N.0/30 for netns_host; the sandbox's 127.0.0.1 is its own
loopback, never asked about); each counts the connections it accepts: the
oracle for whether a connect got through.  HOME and XDG_CONFIG_HOME point into a fresh
folder, so the person's own approvals are never read or written."""
import atexit
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptyrun import Pty  # noqa: E402

# ctest's timeout: the finally blocks still remove the network namespace
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
SENTRY, PLATFORM = os.path.abspath(sys.argv[1]), sys.argv[2]
ONLY = set(sys.argv[3:])
PY = "/usr/bin/python3"


class TestNet:
    """A network namespace of this test's own, reached from here through a
    veth pair: this end 10.N.M.1/30, the namespace's end ADDR = 10.N.M.2."""

    def __init__(self, tag, net):
        n = os.getpid() % 250 + 1
        pid = os.getpid()
        self.ns, self.here, self.there = "sentry-ask%s-%d" % (tag, pid), "sa%s%d" % (tag, pid), "sb%s%d" % (tag, pid)
        self.addr = "10.%d.%d.2" % (net, n)
        self.made = False
        ip = ["ip", "netns", "exec", self.ns, "ip"]
        steps = [["ip", "netns", "add", self.ns],
                 ["ip", "link", "add", self.here, "type", "veth", "peer", "name", self.there],
                 ["ip", "link", "set", self.there, "netns", self.ns],
                 ["ip", "addr", "add", "10.%d.%d.1/30" % (net, n), "dev", self.here],
                 ["ip", "link", "set", self.here, "up"],
                 ip + ["addr", "add", self.addr + "/30", "dev", self.there],
                 ip + ["link", "set", self.there, "up"],
                 ip + ["link", "set", "lo", "up"]]
        try:
            for step in steps:
                self.made = True
                subprocess.run(step, check=True, capture_output=True)
        except subprocess.CalledProcessError:
            self.close()
            raise

    def close(self):
        if self.made:
            subprocess.run(["ip", "link", "del", self.here], capture_output=True)
            subprocess.run(["ip", "netns", "del", self.ns], capture_output=True)
            self.made = False


if os.geteuid() != 0 or not shutil.which("ip"):
    sys.exit("the destinations are test hosts in network namespaces: root and ip (iproute2) are needed")
NET = TestNet("", 201)
HOST = NET.addr
listeners = []


@atexit.register
def remove_test_hosts():
    for srv in listeners:
        srv.close()
    NET.close()
QUESTION = r"Allow\? \[y/a/N"
failed = []


def check(what, ok, detail=""):
    print(("ok: " if ok else "FAIL: ") + what + ("" if ok else "\n" + detail))
    if not ok:
        failed.append(what)


class Listener:
    """Accepts and counts TCP connections on a test host (NET's by default)."""

    def __init__(self, net=None):
        net = net or NET
        server = ("import socket\n"
                  "s = socket.socket(); s.bind(('%s', 0)); s.listen(16)\n"
                  "print(s.getsockname()[1], flush=True)\n"
                  "while True:\n"
                  "    c, _ = s.accept(); print('ACCEPT', flush=True); c.close()\n" % net.addr)
        self.proc = subprocess.Popen(["ip", "netns", "exec", net.ns, sys.executable, "-c", server],
                                     stdout=subprocess.PIPE, text=True)
        listeners.append(self)
        self.port = int(self.proc.stdout.readline())
        self.addr = net.addr
        self.dest = "%s:%d" % (net.addr, self.port)
        self.accepted = 0
        threading.Thread(target=self._count, daemon=True).start()

    def _count(self):
        for line in self.proc.stdout:
            self.accepted += line.startswith("ACCEPT")

    def settle(self):
        time.sleep(0.3)
        return self.accepted

    def close(self):
        self.proc.kill()
        self.proc.wait()


def connects(port, n=1, pause=0.0):
    """A workload making n connects to the port, printing each outcome."""
    return ("import socket, time\n"
            "for i in range(%d):\n"
            "    s = socket.socket()\n"
            "    try:\n"
            "        s.connect(('%s', %d)); print('CONNECTED', flush=True)\n"
            "    except OSError as e:\n"
            "        print('ERRNO', e.errno, flush=True)\n"
            "    s.close(); time.sleep(%g)\n" % (n, HOST, port, pause))


class Case:
    def __init__(self, name):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="sentry-ask.")
        self.home = os.path.join(self.dir, "home")
        os.mkdir(self.home)
        self.ws = os.path.join(self.dir, "ws")
        os.mkdir(self.ws)
        self.audit = os.path.join(self.dir, "audit.jsonl")
        self.env = dict(os.environ, HOME=self.home, XDG_CONFIG_HOME=os.path.join(self.home, "config"),
                        PATH="/usr/bin:/bin", TERM="xterm")

    def argv(self, *opts, cmd):
        return [SENTRY, "--platform=" + PLATFORM, "--workspace=" + self.ws, "--audit=" + self.audit] + \
            list(opts) + ["--"] + cmd

    def pty(self, *opts, cmd):
        return Pty(self.argv(*opts, cmd=cmd), env=self.env, cwd=self.ws)

    def records(self):
        try:
            return [json.loads(line) for line in open(self.audit)]
        except FileNotFoundError:
            return []

    def verdicts(self):
        return [r["verdict"] for r in self.records() if r["verdict"] in
                ("asked", "approved", "refused", "auto-approved")]

    def done(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def run_case(fn):
    if ONLY and fn.__name__ not in ONLY:
        return
    c = Case(fn.__name__)
    try:
        fn(c)
    except Exception as e:  # a case that hangs or breaks is one failure
        check("%s: %s" % (fn.__name__, type(e).__name__), False, str(e))
    finally:
        c.done()


# --- the workspace's changes at exit ----------------------------------------

def write_back(c, typed):
    with open(os.path.join(c.ws, "a"), "w") as f:
        f.write("old\n")
    p = c.pty("--ask", cmd=["/bin/sh", "-c", "echo new >b; echo more >>a"])
    p.expect(r"the workspace changed: 1 added, 1 changed, 0 removed")
    p.expect(r"apply these changes to %s\? \[y/N\] " % c.ws)
    p.type(typed)
    rc = p.wait()
    return rc, p.text()


def writeback_yes(c):
    rc, text = write_back(c, "y\n")
    check("write-back y: exit 0", rc == 0, text)
    check("write-back y: b written back", open(os.path.join(c.ws, "b")).read() == "new\n", text)
    check("write-back y: a changed", open(os.path.join(c.ws, "a")).read() == "old\nmore\n", text)
    check("write-back y: says so", "written back to " + c.ws in text, text)
    check("write-back y: audit asked, approved", c.verdicts() == ["asked", "approved"], str(c.records()))


def writeback_no(c):
    rc, text = write_back(c, "n\n")
    check("write-back n: nothing written back", not os.path.exists(os.path.join(c.ws, "b")) and
          open(os.path.join(c.ws, "a")).read() == "old\n", text)
    check("write-back n: says discarded", "discarded" in text, text)
    check("write-back n: audit asked, refused", c.verdicts() == ["asked", "refused"], str(c.records()))


def writeback_enter(c):
    rc, text = write_back(c, "\n")
    check("write-back Enter: nothing written back", not os.path.exists(os.path.join(c.ws, "b")), text)
    check("write-back Enter: exit 0", rc == 0, text)


def writeback_save(c):
    save = os.path.join(c.dir, "saved")
    p = c.pty("--ask", "--save=" + save, cmd=["/bin/sh", "-c", "echo new >b"])
    p.expect(r"apply these changes to .*\? \[y/N\] ")
    p.type("n\n")
    p.wait()
    check("--save with n: saved all the same", open(os.path.join(save, "b")).read() == "new\n", p.text())
    check("--save with n: not written back", not os.path.exists(os.path.join(c.ws, "b")), p.text())


def writeback_unchanged(c):
    p = c.pty("--ask", cmd=["/bin/true"])
    rc = p.wait()
    check("no change: no question", rc == 0 and "apply" not in p.text(), p.text())


# --- connections -------------------------------------------------------------

def connect_once(c):
    srv = Listener()
    p = c.pty("--ask", "--stats", cmd=[PY, "-c", connects(srv.port, 2)])
    at = p.expect(QUESTION)
    check("question names the program, pid and destination",
          "python3" in p.text() and "(pid " in p.text() and srv.dest in p.text(), p.text())
    p.type("y\n")
    at = p.expect(QUESTION, start=at)  # yes once: the next connect asks again
    p.type("n\n")
    rc = p.wait()
    text = p.text()
    check("yes once, then no: one connection", srv.settle() == 1, text)
    check("yes once, then no: CONNECTED then EACCES", "CONNECTED" in text and "ERRNO 13" in text, text)
    check("yes once: audit", c.verdicts() == ["asked", "approved", "asked", "refused"], str(c.records()))
    check("--stats counts the questions", "questions asked 2, answered automatically 0" in text, text)


def connect_always(c):
    srv = Listener()
    p = c.pty("--ask", "--stats", cmd=[PY, "-c", connects(srv.port, 3)])
    p.expect(QUESTION)
    p.type("a\n")
    rc = p.wait()
    text = p.text()
    check("always: three connections, one question", srv.settle() == 3 and text.count("Allow?") == 1, text)
    check("always: audit", c.verdicts() == ["asked", "approved", "auto-approved", "auto-approved"], str(c.records()))
    check("always: --stats", "questions asked 1, answered automatically 2" in text, text)
    check("always in a plain --ask run: no approvals file",
          not os.path.exists(os.path.join(c.home, "config", "sentry", "approvals")), text)


def connect_no(c):
    srv = Listener()
    p = c.pty("--ask", cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.type("n\n")
    p.wait()
    text = p.text()
    check("no: EACCES, no connection", "ERRNO 13" in text and srv.settle() == 0, text)
    recs = [r for r in c.records() if r["verdict"] == "refused"]
    check("no: a refused record naming --allow-net",
          len(recs) == 1 and recs[0]["allowed_by"] == "--allow-net " + srv.dest and recs[0]["errno"] == "EACCES",
          str(c.records()))


def connect_timeout(c):
    srv = Listener()
    started = time.monotonic()
    p = c.pty("--ask", "--ask-timeout=1", cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.wait()
    text = p.text()
    check("timeout: no after 1 s", "no answer in 1 s" in text and "ERRNO 13" in text and srv.settle() == 0, text)
    check("timeout: in time", time.monotonic() - started < 15, text)


def other_work_runs_on(c):
    """A connect held for a question blocks only that call."""
    srv = Listener()
    code = ("import threading, time, socket\n"
            "def tick():\n"
            "    for i in range(3):\n"
            "        print('TICK', i, flush=True); time.sleep(0.2)\n"
            "t = threading.Thread(target=tick); s = socket.socket()\n"
            "time.sleep(0.1); t.start()\n"
            "s.connect(('" + HOST + "', %d)); print('CONNECTED', flush=True)\n" % srv.port)
    p = c.pty("--ask", cmd=[PY, "-c", code])
    p.expect(QUESTION)
    p.expect(r"TICK 2")  # while the question is up
    p.type("y\n")
    p.wait()
    check("the rest of the workload runs while a connect waits", "CONNECTED" in p.text(), p.text())


def no_terminal(c):
    srv = Listener()
    with open(os.path.join(c.ws, "a"), "w") as f:
        f.write("old\n")
    code = connects(srv.port) + "open('b', 'w').write('new')\n"
    r = subprocess.run(c.argv("--ask", cmd=[PY, "-c", code]), env=c.env, cwd=c.ws, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, start_new_session=True, timeout=60)
    text = r.stdout + r.stderr
    check("no terminal: the connect is refused", "ERRNO 13" in text and srv.settle() == 0, text)
    check("no terminal: one line for each question",
          text.count("no (no terminal to ask on)") == 2, text)
    check("no terminal: nothing written back", not os.path.exists(os.path.join(c.ws, "b")), text)


def workload_answers(c):
    """The workload writes "y" to the terminal, pushes "y" into its input
    (TIOCSTI), tries to take the foreground back and reads the terminal
    while the question is up: none of it answers."""
    srv = Listener()
    code = ("import fcntl, os, signal, socket, termios, threading, time\n"
            "def cheat():\n"
            "    end = time.monotonic() + 1.5\n"
            "    while time.monotonic() < end:\n"
            "        os.write(1, b'y\\n'); os.write(2, b'y\\n')\n"
            "        try: fcntl.ioctl(0, termios.TIOCSTI, b'y'); fcntl.ioctl(0, termios.TIOCSTI, b'\\n')\n"
            "        except OSError: pass\n"
            "        try: os.tcsetpgrp(0, os.getpgrp())\n"
            "        except OSError: pass\n"
            "        time.sleep(0.1)\n"
            "    print('READ', repr(os.read(0, 100)), flush=True)\n"
            "signal.signal(signal.SIGTTOU, signal.SIG_IGN)\n"
            "t = threading.Thread(target=cheat); t.start(); time.sleep(0.2)\n"
            "s = socket.socket()\n"
            "try:\n"
            "    s.connect(('" + HOST + "', %d)); print('CONNECTED', flush=True)\n"
            "except OSError as e:\n"
            "    print('ERRNO', e.errno, flush=True)\n"
            "t.join()\n" % srv.port)
    p = c.pty("--ask", "-q", cmd=[PY, "-c", code])
    at = p.expect(QUESTION)
    time.sleep(2.5)  # the workload tries all it can, then reads
    p.type("n\n")
    try:
        at = p.expect(r"ERRNO 13", start=at)
    except TimeoutError:
        print(json.dumps(c.records(), indent=1))
        raise
    time.sleep(0.5)
    p.type("after\n")
    p.wait()
    text = p.text()
    check("workload cannot answer: refused, no connection", srv.settle() == 0 and "CONNECTED" not in text, text)
    check("workload reads the terminal after the question", "READ b'after\\n'" in text, text)


# --- settings planted in the workspace, and --ask=auto -----------------------

def plant(c, dest):
    program = "/usr/bin/python3.11"
    os.makedirs(os.path.join(c.ws, ".sentry"))
    for path in (".sentry/approvals", ".config/sentry/approvals", "config/sentry/approvals"):
        full = os.path.join(c.ws, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write("%s %s\n%s %s\n" % (dest, program, dest, PY))
        os.chmod(full, 0o600)
    with open(os.path.join(c.ws, ".sentryrc"), "w") as f:
        f.write("allow-net=%s\nask=auto\nask-timeout=100\n" % dest)


def planted_settings(c):
    srv = Listener()
    plant(c, srv.dest)
    # the workload's own environment points at the planted files too
    p = c.pty("--ask=auto", "--env=XDG_CONFIG_HOME=%s/config" % c.ws, "--env=HOME=" + c.ws,
              cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.type("n\n")
    p.wait()
    check("planted .sentry, .sentryrc, .sentry/approvals: still asked, and refused",
          "ERRNO 13" in p.text() and srv.settle() == 0, p.text())
    check("planted settings: nothing made in the person's config",
          not os.path.exists(os.path.join(c.home, "config", "sentry")), p.text())


def planted_sentry_file(c):
    srv = Listener()
    with open(os.path.join(c.ws, ".sentry"), "w") as f:
        f.write("allow-net=%s\nask=auto\n" % srv.dest)
    p = c.pty("--ask", cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.type("n\n")
    p.wait()
    check("planted .sentry file: still asked, and refused", "ERRNO 13" in p.text() and srv.settle() == 0, p.text())


def auto_remembers(c):
    srv = Listener()
    p = c.pty("--ask=auto", cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.type("a\n")
    p.wait()
    path = os.path.join(c.home, "config", "sentry", "approvals")
    check("auto, always: connected", srv.settle() == 1, p.text())
    ok = os.path.exists(path)
    check("auto: approvals file 0600 in a 0700 folder",
          ok and stat.S_IMODE(os.stat(path).st_mode) == 0o600 and
          stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700, p.text())
    c.records_first = c.verdicts()
    p = c.pty("--ask=auto", "--stats", cmd=[PY, "-c", connects(srv.port)])
    p.wait()
    check("auto, second run: no question, connected",
          "Allow?" not in p.text() and srv.settle() == 2, p.text())
    check("auto, second run: auto-approved record, --stats",
          c.verdicts() == ["auto-approved"] and "answered automatically 1" in p.text(), p.text() + str(c.records()))
    p = c.pty("--ask", cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.type("n\n")
    p.wait()
    check("plain --ask does not use the approvals file", srv.settle() == 2, p.text())

    listing = subprocess.run([SENTRY, "approvals", "list"], env=c.env, capture_output=True, text=True)
    lines = listing.stdout.splitlines()
    check("approvals list: one entry", listing.returncode == 0 and len(lines) == 1 and
          lines[0].endswith(" " + srv.dest), listing.stdout + listing.stderr)
    program = lines[0].rsplit(" ", 1)[0] if lines else "?"
    r = subprocess.run([SENTRY, "approvals", "revoke", program, srv.dest], env=c.env, capture_output=True, text=True)
    check("approvals revoke: exit 0", r.returncode == 0, r.stderr)
    r = subprocess.run([SENTRY, "approvals", "revoke", program, srv.dest], env=c.env, capture_output=True, text=True)
    check("approvals revoke of nothing: exit 1", r.returncode == 1, r.stderr)
    listing = subprocess.run([SENTRY, "approvals", "list"], env=c.env, capture_output=True, text=True)
    check("approvals list after revoke: empty", listing.returncode == 0 and listing.stdout == "", listing.stdout)
    p = c.pty("--ask=auto", cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.type("a\n")
    p.wait()
    r = subprocess.run([SENTRY, "approvals", "revoke", "--all"], env=c.env, capture_output=True, text=True)
    listing = subprocess.run([SENTRY, "approvals", "list"], env=c.env, capture_output=True, text=True)
    check("approvals revoke --all", r.returncode == 0 and listing.stdout == "", r.stderr + listing.stdout)


def auto_replaced_program(c):
    """An approval kept for the system's python3 never goes to a program the
    workload wrote: a copy of it elsewhere, or its own file rewritten."""
    srv = Listener()
    p = c.pty("--ask=auto", cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.type("a\n")
    p.wait()
    check("replaced program: the system's python3 approved always", srv.settle() == 1, p.text())
    script = connects(srv.port).replace("'", "'\\''")
    copied = "cp /usr/bin/python3.11 /tmp/py && exec /tmp/py -c '%s'" % script
    p = c.pty("--ask=auto", cmd=["/bin/sh", "-c", copied])
    p.expect(QUESTION)
    p.type("a\n")
    p.wait()
    check("a copy of an approved program is asked; always is for this run only",
          srv.settle() == 2 and "for this run only" in p.text(), p.text())
    rewritten = ("cp /usr/bin/python3.11 /tmp/py && cat /tmp/py > /usr/bin/python3.11 && "
                 "exec /usr/bin/python3.11 -c '%s'" % script)
    p = c.pty("--ask=auto", cmd=["/bin/sh", "-c", rewritten])
    p.expect(QUESTION)
    p.type("n\n")
    p.wait()
    check("the approved program rewritten inside is asked, and refused", srv.settle() == 2, p.text())
    listing = subprocess.run([SENTRY, "approvals", "list"], env=c.env, capture_output=True, text=True)
    check("replaced program: the approvals file keeps the one entry",
          len(listing.stdout.splitlines()) == 1, listing.stdout + listing.stderr)
    subprocess.run([SENTRY, "approvals", "revoke", "--all"], env=c.env, capture_output=True, text=True)


def auto_malformed(c):
    srv = Listener()
    folder = os.path.join(c.home, "config", "sentry")
    os.makedirs(folder, mode=0o700)
    path = os.path.join(folder, "approvals")
    with open(path, "w") as f:
        f.write("%s /usr/bin/python3.11\nthis is not an entry\n" % srv.dest)
    os.chmod(path, 0o600)
    p = c.pty("--ask=auto", cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.type("n\n")
    p.wait()
    text = p.text()
    check("malformed approvals file: one line, not used, asked",
          text.count("is malformed at line 2; not used") == 1 and srv.settle() == 0, text)
    os.chmod(path, 0o622)
    with open(path, "w") as f:
        f.write("%s /usr/bin/python3.11\n" % srv.dest)
    p = c.pty("--ask=auto", cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.type("n\n")
    p.wait()
    check("approvals file writable by others: not used", "writable by others" in p.text() and srv.settle() == 0,
          p.text())


def policy_file(c):
    """ask and ask-timeout in a --policy file, as on the command line."""
    srv = Listener()
    policy = os.path.join(c.dir, "policy")
    with open(policy, "w") as f:
        f.write("# asked, and a no after a second\nask\nask-timeout 1\n")
    os.chmod(policy, 0o600)
    p = c.pty("--policy=" + policy, cmd=[PY, "-c", connects(srv.port)])
    p.expect(QUESTION)
    p.wait()
    check("ask in a --policy file: asked, no after 1 s",
          "no answer in 1 s" in p.text() and "ERRNO 13" in p.text() and srv.settle() == 0, p.text())


def hostile_name(c):
    """A program whose name holds escape sequences cannot redraw the question."""
    srv = Listener()
    name = "/tmp/x\x1b[2J\x1b[Hfake\rpy"
    code = ("import os, shutil\n"
            "shutil.copy('/usr/bin/python3.11', %r); os.chmod(%r, 0o755)\n"
            "os.execve(%r, ['py', '-c', %r], dict(os.environ, PYTHONHOME='/usr'))\n"
            % (name, name, name, connects(srv.port)))
    p = c.pty("--ask", cmd=[PY, "-c", code])
    p.expect(QUESTION)
    p.type("n\n")
    p.wait()
    text = p.text()
    check("a program named with escape sequences: shown with ?, refused",
          "/tmp/x?[2J?[Hfake?py (pid" in text and "\x1b[2J" not in text and srv.settle() == 0, repr(text))


def netns_host(c):
    net = TestNet("h", 200)
    try:
        host = Listener(net)
        code = ("import socket\n"
                "for i in range(2):\n"
                "    s = socket.socket(); s.settimeout(10)\n"
                "    try:\n"
                "        s.connect(('%s', %d)); print('CONNECTED', flush=True)\n"
                "    except OSError as e:\n"
                "        print('ERRNO', e.errno, flush=True)\n" % (host.addr, host.port))
        p = c.pty("--ask", cmd=[PY, "-c", code])
        at = p.expect(QUESTION)
        check("netns host: the question names " + host.dest, host.dest in p.text(), p.text())
        p.type("y\n")
        p.expect(QUESTION, start=at)
        p.type("n\n")
        p.wait()
        check("netns host: yes reaches it once, no does not",
              host.settle() == 1 and "CONNECTED" in p.text() and "ERRNO 13" in p.text(), p.text())
        p = c.pty(cmd=[PY, "-c", code])
        p.wait()
        check("netns host: without --ask, not reached", host.settle() == 1, p.text())
    finally:
        host.close()
        net.close()


def bad_values(c):
    for opts in (["--ask=maybe"], ["--ask-timeout=soon"], ["--ask-timeout=-1"]):
        r = subprocess.run(c.argv(*opts, cmd=["/bin/true"]), env=c.env, capture_output=True, text=True, timeout=30)
        check("%s: exit 125, one line" % opts[0], r.returncode == 125 and len(r.stderr.splitlines()) == 1, r.stderr)


for case in (writeback_yes, writeback_no, writeback_enter, writeback_save, writeback_unchanged, connect_once,
             connect_always, connect_no, connect_timeout, other_work_runs_on, no_terminal, workload_answers,
             planted_settings, planted_sentry_file, auto_remembers, auto_replaced_program, auto_malformed, policy_file, hostile_name, netns_host,
             bad_values):
    run_case(case)
print("%d failed" % len(failed))
sys.exit(1 if failed else 0)
