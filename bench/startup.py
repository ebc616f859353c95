#!/usr/bin/python3
"""Start-up and file-tree costs side by side: each case natively, under
sentry on both platforms and, given BENCH_SENTRY_BASELINE, under an earlier
sentry build too, taking turns so that every tool sees the same machine.
Reports the median over the runs of the CPU time (user + system of the
process and everything it waited for, from wait4) and of the wall time,
with each median's ratio to native.  CPU time is the headline: on a shared
machine the wall clock mostly measures the neighbours.

Cases:
  empty         a static program that returns at once: the sandbox's own
                start and end, which every run pays
  python-pass   /usr/bin/python3 -c pass
  find-50k      find over 50 000 empty files in 50 folders of the workspace
  smallfiles    bench/macro/workloads/smallfiles.c (10 000 files of 100 bytes
                made, stat'ed, read and unlinked), built static
  stat-20k      a static program: 20 000 stats of one file 6 folders deep

Environment:
  SENTRY_BIN=path             the sentry to measure (default build/sentry)
  BENCH_SENTRY_BASELINE=path  an earlier sentry, shown beside it
  BENCH_STARTUP_RUNS=N        runs per tool and case (default 9, at least 7)
  BENCH_STARTUP_CASES=a,b     only these cases
  BENCH_TMP=dir               where the trees live (default /dev/shm)
Prints a markdown table; numbers are reported, never asserted.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

STAT_C = r"""
#include <stdio.h>
#include <sys/stat.h>
int main(int argc, char **argv)
{
	struct stat st;
	for (int i = 0; i < 20000; i++)
		if (stat(argv[1], &st) != 0) {
			perror(argv[1]);
			return 1;
		}
	return 0;
}
"""

STAT_PATH = "/usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES"


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def run(argv, cwd):
    start = time.monotonic()
    with open(os.devnull, "w") as null:
        p = subprocess.Popen(argv, cwd=cwd, stdout=null, stderr=subprocess.PIPE,
                             env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
    wall = time.monotonic() - start
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: exit {p.returncode}: {err.strip()[:200]}")
    return ru.ru_utime + ru.ru_stime, wall


def build_static(src_text, name, tmp):
    src = os.path.join(tmp, name + ".c")
    with open(src, "w") as f:
        f.write(src_text)
    out = os.path.join(tmp, name)
    subprocess.run(["cc", "-O2", "-static", "-o", out, src], check=True)
    return out


def make_tree(root):
    for d in range(50):
        folder = os.path.join(root, f"d{d}")
        os.mkdir(folder)
        for i in range(1000):
            open(os.path.join(folder, f"f{i}"), "w").close()


def main():
    sentry = os.path.realpath(os.environ.get("SENTRY_BIN", os.path.join(ROOT, "build", "sentry")))
    baseline = os.environ.get("BENCH_SENTRY_BASELINE")
    runs = max(7, int(os.environ.get("BENCH_STARTUP_RUNS", "9")))
    tmp = tempfile.mkdtemp(prefix="sentry-startup-", dir=os.environ.get("BENCH_TMP", "/dev/shm"))
    try:
        tree = os.path.join(tmp, "tree")
        os.mkdir(tree)
        make_tree(tree)
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        with open(os.path.join(ROOT, "bench", "macro", "workloads", "smallfiles.c")) as f:
            smallfiles = build_static(f.read(), "smallfiles", tmp)
        stat20k = build_static(STAT_C, "stat20k", tmp)
        empty = build_static("int main(void) { return 0; }\n", "empty", tmp)
        cases = {
            "empty": (work, [empty]),
            "python-pass": (work, ["/usr/bin/python3", "-c", "pass"]),
            "find-50k": (tree, ["find", tree]),
            "smallfiles": (work, [smallfiles]),
            "stat-20k": (work, [stat20k, STAT_PATH]),
        }
        wanted = os.environ.get("BENCH_STARTUP_CASES")
        if wanted:
            cases = {k: v for k, v in cases.items() if k in wanted.split(",")}
        tools = [("native", None, None), ("unotify", sentry, "unotify"), ("ptrace", sentry, "ptrace")]
        if baseline:
            tools[1:1] = [("baseline-unotify", baseline, "unotify"), ("baseline-ptrace", baseline, "ptrace")]
        print(f"Linux {os.uname().release}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
              f"median of {runs} runs; CPU = user + system of everything the run waited for.\n")
        print("| case | tool | CPU ms | x native | wall ms | x native |")
        print("|---|---|---:|---:|---:|---:|")
        for name, (cwd, argv) in cases.items():
            results = {t[0]: ([], []) for t in tools}
            for r in range(runs):
                for i in range(len(tools)):
                    label, binary, platform = tools[(i + r) % len(tools)]
                    cmd = argv if not binary else [binary, f"--platform={platform}",
                                                   f"--workspace={cwd}", "--"] + argv
                    cpu, wall = run(cmd, cwd)
                    results[label][0].append(cpu)
                    results[label][1].append(wall)
            ncpu, nwall = (median(v) for v in results["native"])
            for label, _, _ in tools:
                cpu, wall = (median(v) for v in results[label])
                print(f"| {name} | {label} | {cpu * 1000:.1f} | {cpu / ncpu:.2f}x | "
                      f"{wall * 1000:.1f} | {wall / nwall:.2f}x |", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
