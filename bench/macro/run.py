#!/usr/bin/python3
"""Macro benchmarks: real workloads natively, under sentry (both platforms)
and under peer sandboxes, run round-robin so that every tool sees the same
machine noise.

Each workload is a file in bench/macro/workloads/ whose header comments say
how to run it (name, what, quick, build, run). Every run starts in a fresh
work folder holding a copy of the workload file (and its binary, for the
static C workloads) and is timed from spawn to exit, wall clock.

Writes ${BENCH_OUT:-bench/out}/macro.tsv (one line per run) and
macro-meta.json (machine, tools, workloads); bench/report.sh turns them into
macro.md and macro.png (and .svg).

Environment:
  BENCH_OUT=dir              output folder (default bench/out)
  BENCH_QUICK=1              3 repetitions, the workloads marked quick
  SENTRY_BIN=path            the sentry to measure (default $BUILD/sentry)
  BUILD=dir                  build folder (default build)
  BENCH_MACRO_REPS=N         repetitions (default 7, quick 3)
  BENCH_MACRO_TOOLS=a,b      only these tools (native is always run)
  BENCH_MACRO_WORKLOADS=a,b  only these workloads (file names without suffix)
  BENCH_MACRO_TIMEOUT=s      per-run limit in seconds (default 60)
  BENCH_TMP=dir              where work folders live (default /dev/shm, a tmpfs)
Numbers are reported, never asserted.
"""
import json
import os
import platform
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKLOADS_DIR = os.path.join(HERE, "workloads")

# The same environment for every tool: nothing of the caller's leaks in.
BASE_ENV = {
    "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}


def log(msg):
    print("macro: " + msg, file=sys.stderr, flush=True)


class Workload:
    def __init__(self, path):
        self.path = path
        self.file = os.path.basename(path)
        self.id = os.path.splitext(self.file)[0]
        self.meta = {}
        with open(path) as f:
            for line in f:
                s = line.strip()
                if s.startswith("#!"):
                    continue
                if s.startswith("//"):
                    s = s[2:]
                elif s.startswith("#"):
                    s = s[1:]
                else:
                    break
                key, sep, value = s.strip().partition(":")
                if sep and key.strip().isidentifier():
                    self.meta[key.strip()] = value.strip()
        if "run" not in self.meta:
            raise ValueError(f"{path}: no '# run:' header")
        self.name = self.meta.get("name", self.id)
        self.what = self.meta.get("what", "")
        self.quick = self.meta.get("quick", "no") == "yes"
        self.static = self.meta.get("build", "") == "static"
        self.argv = self.meta["run"].split()
        self.binary = None  # for static C workloads, set by build()

    def build(self, bindir):
        out = os.path.join(bindir, self.id)
        cmd = ["cc", "-O2", "-static", "-Wall", "-Wextra", "-o", out, self.path]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"building {self.file} failed:\n{r.stdout}")
        self.binary = out

    def populate(self, workdir):
        shutil.copy(self.path, workdir)
        if self.binary:
            shutil.copy2(self.binary, workdir)


class Tool:
    """A way to run a command: prefix(workdir) + the workload's argv."""

    def __init__(self, name, prefix, base=None, note=""):
        self.name = name
        self._prefix = prefix
        self.base = base  # folder for this tool's work folders, if not BENCH_TMP
        self.note = note

    def prefix(self, workdir):
        return self._prefix(workdir) if callable(self._prefix) else list(self._prefix)

    def shown(self):
        return " ".join(self.prefix("$WORK")) or "(none)"


def make_tools(sentry):
    return [
        Tool("native", []),
        Tool("sentry-unotify", [sentry, "--platform=unotify", "--"]),
        Tool("sentry-ptrace", [sentry, "--platform=ptrace", "--"]),
        Tool("bwrap", lambda w: [
            "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
            "--tmpfs", "/tmp", "--bind", w, w, "--chdir", w,
            "--unshare-pid", "--die-with-parent", "--"],
            note="read-only / with the work folder bound writable, new /dev, /proc, /tmp"),
        Tool("proot", ["proot"], note="proot has no '--'; guest root is /"),
        Tool("gvisor", ["runsc", "--network=none", "--platform=ptrace", "do", "-quiet", "--"],
             base="/tmp",
             note="runsc do replaces /dev, so its work folder is under /tmp; "
                  "its writes land in runsc do's in-memory overlay"),
        Tool("strace", ["strace", "-f", "-o", "/dev/null", "--"]),
    ] + baseline_tools()


def baseline_tools():
    """BENCH_SENTRY_BASELINE=path: another sentry (an earlier build) measured
    in the same run, to show what a change does under the same load."""
    base = os.environ.get("BENCH_SENTRY_BASELINE")
    if not base:
        return []
    base = os.path.abspath(base)
    return [Tool("baseline-unotify", [base, "--platform=unotify", "--"], note=base),
            Tool("baseline-ptrace", [base, "--platform=ptrace", "--"], note=base)]


def first_line(data):
    for line in data.decode(errors="replace").splitlines():
        line = line.strip()
        if line:
            return line[:200]
    return ""


def run_once(tool, wl, tmp_base, timeout):
    """Returns (ms, None) or (ms, reason)."""
    base = tool.base or tmp_base
    workdir = tempfile.mkdtemp(prefix="sentry-bench.", dir=base)
    try:
        wl.populate(workdir)
        argv = tool.prefix(workdir) + wl.argv
        env = dict(BASE_ENV, HOME=workdir, TMPDIR=workdir)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            t0 = time.perf_counter_ns()
            try:
                p = subprocess.Popen(argv, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                     stdout=out, stderr=err, start_new_session=True)
            except FileNotFoundError:
                return None, f"{argv[0]} is not installed (bench/macro/install-peers.sh installs it)"
            except OSError as e:
                return None, f"cannot start {argv[0]}: {e.strerror}"
            # Popen.wait(timeout) polls with sleeps of up to 50 ms, which
            # would quantise the times: block on a pidfd instead.
            pidfd = os.pidfd_open(p.pid)
            try:
                poller = select.poll()
                poller.register(pidfd, select.POLLIN)
                exited = poller.poll(timeout * 1000)
                t1 = time.perf_counter_ns()
            finally:
                os.close(pidfd)
            if not exited:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()
                return None, f"timed out after {timeout} s"
            rc = p.wait()
            ms = (t1 - t0) / 1e6
            if rc != 0:
                err.seek(0)
                line = first_line(err.read())
                what = f"exit {rc}" if rc > 0 else f"signal {-rc}"
                return ms, f"{what}: {line}" if line else what
            return ms, None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def machine_info():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    def fstype(path):
        r = subprocess.run(["stat", "-f", "-c", "%T", path], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
        return r.stdout.strip() or "?"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "kernel": platform.release(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "loadavg_start": loadavg(),
    }, fstype


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def tool_version(tool, sentry):
    """The tool's name and version, e.g. 'proot 5.1.0', or ''."""
    cmds = {
        "sentry-unotify": [sentry, "--version"],
        "sentry-ptrace": [sentry, "--version"],
        "bwrap": ["bwrap", "--version"],
        "proot": ["proot", "--version"],
        "gvisor": ["runsc", "--version"],
        "strace": ["strace", "--version"],
    }
    if tool.name not in cmds:
        return ""
    try:
        r = subprocess.run(cmds[tool.name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=10)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unavailable: {e}"
    m = re.search(r"\b\d+\.\d+(\.\d+)?(~[\w.+-]+)?", r.stdout.decode(errors="replace"))
    return f"{os.path.basename(cmds[tool.name][0])} {m.group(0)}" if m else ""


def main():
    os.chdir(ROOT)
    quick = os.environ.get("BENCH_QUICK", "0") == "1"
    out_dir = os.environ.get("BENCH_OUT", "bench/out")
    build = os.environ.get("BUILD", "build")
    sentry = os.path.abspath(os.environ.get("SENTRY_BIN") or os.path.join(build, "sentry"))
    reps = int(os.environ.get("BENCH_MACRO_REPS", "3" if quick else "7"))
    timeout = int(os.environ.get("BENCH_MACRO_TIMEOUT", "60"))
    tmp_base = os.environ.get("BENCH_TMP", "/dev/shm")
    os.makedirs(out_dir, exist_ok=True)

    workloads = [Workload(os.path.join(WORKLOADS_DIR, f))
                 for f in sorted(os.listdir(WORKLOADS_DIR))
                 if not f.startswith(".")]
    order = ["python-pass", "python-imports", "forkexec", "smallfiles", "cc-hello", "seqio"]
    workloads.sort(key=lambda w: (order.index(w.id) if w.id in order else len(order), w.id))
    only = os.environ.get("BENCH_MACRO_WORKLOADS")
    if only:
        workloads = [w for w in workloads if w.id in only.split(",")]
    elif quick:
        workloads = [w for w in workloads if w.quick]

    tools = make_tools(sentry)
    only = os.environ.get("BENCH_MACRO_TOOLS")
    if only:
        tools = [t for t in tools if t.name == "native" or t.name in only.split(",")]

    bindir = tempfile.mkdtemp(prefix="sentry-bench-bin.")
    try:
        for w in workloads:
            if w.static:
                w.build(bindir)

        info, fstype = machine_info()
        meta = {
            "machine": info,
            "quick": quick,
            "reps": reps,
            "timeout_s": timeout,
            "sentry": sentry,
            "work_folder": {t.name: f"{t.base or tmp_base} ({fstype(t.base or tmp_base)})"
                            for t in tools},
            "tools": [{"name": t.name, "invocation": t.shown(), "note": t.note,
                       "version": tool_version(t, sentry)} for t in tools],
            "workloads": [{"id": w.id, "name": w.name, "what": w.what, "file": w.file,
                           "run": " ".join(w.argv), "static": w.static} for w in workloads],
        }
        with open(os.path.join(out_dir, "macro-meta.json"), "w") as f:
            json.dump(meta, f, indent=1)

        raw_path = os.path.join(out_dir, "macro.tsv")
        with open(raw_path, "w") as raw:
            raw.write("workload\ttool\trep\tms\tstatus\tnote\n")

            def record(w, t, rep, ms, reason):
                ms_s = f"{ms:.3f}" if ms is not None else ""
                status = "ok" if reason is None else "failed"
                note = (reason or "").replace("\t", " ")
                raw.write(f"{w.id}\t{t.name}\t{rep}\t{ms_s}\t{status}\t{note}\n")
                raw.flush()

            for w in workloads:
                log(f"{w.name}: {' '.join(w.argv)}")
                active, failed = [], set()
                # Warm-up (untimed): page cache, compiled bytecode, the tools'
                # own binaries. In quick mode only natively.
                for t in tools:
                    if quick and t.name != "native":
                        active.append(t)
                        continue
                    ms, reason = run_once(t, w, tmp_base, timeout)
                    if reason:
                        record(w, t, 0, ms, reason)
                        log(f"  {t.name}: failed: {reason}")
                        failed.add(t.name)
                    else:
                        active.append(t)
                for rep in range(1, reps + 1):
                    # Round-robin, starting one tool further each repetition.
                    k = (rep - 1) % len(active) if active else 0
                    for t in active[k:] + active[:k]:
                        ms, reason = run_once(t, w, tmp_base, timeout)
                        record(w, t, rep, ms, reason)
                        if reason:
                            log(f"  {t.name}: failed: {reason}")
                            failed.add(t.name)
                    # A tool that failed a workload is not run on it again.
                    active = [t for t in active if t.name not in failed]
                    log(f"  repetition {rep}/{reps} done")
    finally:
        shutil.rmtree(bindir, ignore_errors=True)
    # The load the bench saw (other work on the machine makes runs noisy).
    meta["machine"]["loadavg_end"] = loadavg()
    with open(os.path.join(out_dir, "macro-meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    log(f"raw results in {raw_path}")


if __name__ == "__main__":
    main()
