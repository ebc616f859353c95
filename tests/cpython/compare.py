#!/usr/bin/env python3
"""CPython's own test modules, run natively and inside the sentry.

usage: compare.py --sentry SENTRY --platform unotify|ptrace [--platform ...]
                  --out DIR [--expected FILE] [--timeout SECONDS]
                  MODULE[:PATTERN,PATTERN...] ...

Each MODULE (test_socket, test_asyncio.test_events, ...) runs once natively
and once per platform inside, with the same interpreter (/usr/bin/python3),
the same environment (PATH=/usr/bin:/bin, LANG=C.UTF-8) and as the same
user, each in a fresh empty folder, under `python3 -m test -v --junit-xml`.
A PATTERN (fnmatch on test ids) leaves tests out on both sides, as
`python3 -m test --ignore`; +PATTERN runs only the tests it matches, as
`--match`. Each run becomes {test id: outcome}, outcome one of pass, fail,
skip, missing (the module died or timed out before reaching the test).

Linux is the oracle: a test that passes natively must pass inside. Any
other outcome inside is a difference; the differences listed in the
expected file (one per line: `[PLATFORM:]PATTERN  reason`) are reported and
allowed, the rest fail the run (exit status 1). Tests that pass inside but
not natively, and expected entries that matched nothing, are only reported.
Logs of every run stay in DIR.
"""
import argparse
import fnmatch
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

PYTHON = "/usr/bin/python3"
ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
MARK = "@@cpython-junit@@"


def regrtest_command(module, patterns, junit):
    cmd = [PYTHON, "-m", "test", "-v", "--junit-xml", junit]
    for pattern in patterns:
        if pattern.startswith("+"):
            cmd += ["--match", pattern[1:]]
        else:
            cmd += ["--ignore", pattern.lstrip("-")]
    return cmd + [module]


def shell_line(cmd, junit):
    quoted = " ".join("'" + a.replace("'", "'\\''") + "'" for a in cmd)
    # The report is read back from stdout: inside, files stay in memory.
    return f"{quoted}; echo; echo '{MARK}'; cat '{junit}' 2>/dev/null"


def run_one(label, argv, cwd, log, timeout):
    start = time.monotonic()
    with open(log + ".out", "w") as out, open(log + ".err", "w") as err:
        try:
            proc = subprocess.run(["timeout", "-k", "5", str(timeout)] + argv,
                                  cwd=cwd, env=ENV, stdin=subprocess.DEVNULL,
                                  stdout=out, stderr=err)
            rc = proc.returncode
        except OSError as e:
            err.write(f"{label}: {e}\n")
            rc = 125
    return rc, time.monotonic() - start


VERBOSE_LINE = re.compile(
    r"^(\w+) \(([\w.]+)\)(?:\n(?!\w+ \()[^\n]*)?? \.\.\. "
    r"(ok|FAIL|ERROR|skipped|expected failure|unexpected success)", re.M)


def outcomes_from_log(text):
    """Results from the verbose lines, for a run whose report never came."""
    result = {}
    for name, where, word in VERBOSE_LINE.findall(text):
        test_id = where if where.endswith("." + name) else f"{where}.{name}"
        result[test_id] = {"ok": "pass", "expected failure": "pass",
                           "skipped": "skip"}.get(word, "fail")
    return result


def outcomes_from_junit(xml_text):
    result = {}
    root = ET.fromstring(xml_text)
    for case in root.iter("testcase"):
        name = case.get("name")
        if case.find("failure") is not None or case.find("error") is not None:
            result[name] = "fail"
        elif case.find("skipped") is not None:
            result[name] = "skip"
        else:
            result[name] = "pass"
    return result


def outcomes(log):
    text = open(log + ".out", errors="replace").read()
    head, _, tail = text.rpartition(MARK)
    if head and tail.strip():
        try:
            return outcomes_from_junit(tail.strip()), True
        except ET.ParseError:
            pass
    return outcomes_from_log(text if not head else head), False


def load_expected(path):
    entries = []
    if not path:
        return entries
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, _, reason = line.partition(" ")
        platform = None
        if ":" in pattern.split(".")[0]:
            platform, pattern = pattern.split(":", 1)
        entries.append({"platform": platform, "pattern": pattern,
                        "reason": reason.strip(), "used": False})
    return entries


def expected_reason(entries, platform, test_id):
    for e in entries:
        if e["platform"] in (None, platform) and fnmatch.fnmatchcase(test_id, e["pattern"]):
            e["used"] = True
            return e["reason"]
    return None


def counts(result):
    return "/".join(str(sum(1 for v in result.values() if v == k))
                    for k in ("pass", "fail", "skip"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentry", required=True)
    ap.add_argument("--platform", action="append", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--expected")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("modules", nargs="+")
    args = ap.parse_args()
    sentry = os.path.realpath(args.sentry)
    os.makedirs(args.out, exist_ok=True)
    expected = load_expected(args.expected)

    table = []
    unexpected = 0
    for spec in args.modules:
        module, _, pattern_list = spec.partition(":")
        ignores = [p for p in pattern_list.split(",") if p]
        runs = {}
        for side in ["native"] + args.platform:
            work = tempfile.mkdtemp(prefix=f"cpython-{side}.", dir="/dev/shm")
            log = os.path.join(args.out, f"{module}.{side}")
            if side == "native":
                junit = os.path.join(work, ".junit.xml")
                argv = ["/bin/sh", "-c", shell_line(regrtest_command(module, ignores, junit), junit)]
                argv = ["env", f"HOME={work}"] + argv
            else:
                junit = "/tmp/.cpython-junit.xml"
                argv = [sentry, f"--platform={side}", f"--workspace={work}", "--",
                        "/bin/sh", "-c", shell_line(regrtest_command(module, ignores, junit), junit)]
            rc, secs = run_one(side, argv, work, log, args.timeout)
            subprocess.run(["rm", "-rf", work])
            result, complete = outcomes(log)
            runs[side] = result
            note = "" if complete else " (no report: results from the log)"
            print(f"{module} {side}: exit {rc}, {secs:.0f} s, pass/fail/skip {counts(result)}{note}",
                  flush=True)
            table.append((module, side, counts(result), rc, secs))

        native = runs["native"]
        for platform in args.platform:
            inside = runs[platform]
            if not inside and native:
                # one line, not one per test, when the module died at once
                passed = sum(1 for v in native.values() if v == "pass")
                print(f"  DIFF {platform}: {module}: no result inside ({passed} pass natively)")
                unexpected += passed
                continue
            for test_id in sorted(set(native) | set(inside)):
                n = native.get(test_id, "missing")
                i = inside.get(test_id, "missing")
                if n == i:
                    continue
                if n != "pass":
                    print(f"  note {platform}: {test_id}: native {n}, inside {i}")
                    continue
                reason = expected_reason(expected, platform, test_id)
                if reason is not None:
                    print(f"  expected {platform}: {test_id}: inside {i} ({reason})")
                else:
                    print(f"  DIFF {platform}: {test_id}: native pass, inside {i}")
                    unexpected += 1

    print("\nmodule                               side      pass/fail/skip  exit  seconds")
    for module, side, c, rc, secs in table:
        print(f"{module:36} {side:9} {c:15} {rc:5} {secs:7.0f}")
    for e in expected:
        if not e["used"]:
            print(f"note: expected difference matched nothing here: {e['pattern']}")
    print(f"\n{unexpected} unexpected difference(s)")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
