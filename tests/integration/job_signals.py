#!/usr/bin/env python3
"""usage: job_signals.py SENTRY PLATFORM

SIGINT, SIGQUIT, SIGTERM and SIGHUP sent to sentry (as a supervisor's
Popen.send_signal does) reach the workload's process group, as a shell's
foreground job gets them; when the workload dies of one, sentry dies of the
same signal (a shell loop of sentry runs stops at one Ctrl-C); a workload
that handles the signal goes on and its exit status is sentry's."""
import os
import signal
import subprocess
import sys
import time

SENTRY, PLATFORM = sys.argv[1], sys.argv[2]
PYTHON = "/usr/bin/python3"
# the system's programs, whatever the caller's PATH puts first
os.environ["PATH"] = "/usr/bin:/bin"
failed = False


def check(ok, what):
    global failed
    print(("ok: " if ok else "FAIL: ") + what)
    failed |= not ok


def foreground():
    """As a shell starts a foreground job: a background script's ignored
    SIGINT and SIGQUIT (which sentry would keep ignoring) set back."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def run(command, sig, ready=None):
    """sentry running command; sig sent once `ready` is on stdout (or after
    a second). Returns (returncode, stdout, stderr, seconds after the signal)."""
    p = subprocess.Popen([SENTRY, "--platform=" + PLATFORM, "--no-workspace", "--"] + command,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=foreground)
    if ready:
        line = p.stdout.readline()
        check(line.strip() == ready, "workload started (%r)" % line)
    else:
        time.sleep(1.0)
    sent = time.monotonic()
    p.send_signal(sig)
    try:
        out, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        return "timeout", out, err, time.monotonic() - sent
    return p.returncode, out, err, time.monotonic() - sent


for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
    rc, out, err, took = run(["sleep", "30"], sig)
    check(rc == -sig, "sleep 30, %s: sentry died of it (returncode %s, %.1fs)" % (sig.name, rc, took))
    check(took < 10, "%s: ended at once, not when sleep would" % sig.name)
    check(err == "", "%s: nothing on stderr (%r)" % (sig.name, err[:200]))

# 'ready' inside the try: the signal may come as print returns.
catcher = ("import time\n"
           "try:\n"
           "    print('ready', flush=True)\n"
           "    time.sleep(30)\n"
           "except KeyboardInterrupt:\n"
           "    print('caught KeyboardInterrupt')\n")
rc, out, err, took = run([PYTHON, "-c", catcher], signal.SIGINT, ready="ready")
check(rc == 0 and out == "caught KeyboardInterrupt\n",
      "python catching KeyboardInterrupt: returncode %s, stdout %r" % (rc, out))

trap = "trap 'echo trapped INT; exit 3' INT; echo ready; sleep 30 & wait"
rc, out, err, took = run(["/bin/bash", "-c", trap], signal.SIGINT, ready="ready")
check(rc == 3 and out == "trapped INT\n", "bash trap on INT: returncode %s, stdout %r" % (rc, out))

# The whole group gets it: a child the workload started, in its group.
# The child says when it runs its own code (past its exec), so the signal
# cannot come while it is still the parent's fork.
group = ("import subprocess, sys\n"
         "child = 'import time; print(1, flush=True); time.sleep(30)'\n"
         "c = subprocess.Popen([sys.executable, '-c', child], stdout=subprocess.PIPE)\n"
         "c.stdout.readline()\n"
         "try:\n"
         "    print('ready', flush=True)\n"
         "    c.wait()\n"
         "except KeyboardInterrupt:\n"
         "    pass\n"
         "print('child', c.wait(), flush=True)\n")
rc, out, err, took = run([PYTHON, "-c", group], signal.SIGINT, ready="ready")
check(rc == 0 and out == "child -2\n", "the workload's child got SIGINT too: returncode %s, stdout %r" % (rc, out))

# A shell loop of sentry runs stops at the first interrupt, as it would
# natively: bash sees its job die of SIGINT.
loop = ("for i in 1 2 3; do %s --platform=%s --no-workspace -- sleep 30; echo after $i; done; echo loop ended"
        % (SENTRY, PLATFORM))
p = subprocess.Popen(["/bin/bash", "-c", loop], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=foreground)
time.sleep(1.5)
os.killpg(p.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole foreground group
try:
    out, err = p.communicate(timeout=20)
except subprocess.TimeoutExpired:
    os.killpg(p.pid, signal.SIGKILL)
    out, err = p.communicate()
check("after 2" not in out, "a bash loop stops at one Ctrl-C (stdout %r)" % out)

print("FAILED" if failed else "PASSED")
sys.exit(1 if failed else 0)
