#!/usr/bin/env python3
"""usage: check.py AUDIT_FILE plain|backtrace|bare SITE_MNEMONIC
Checks the --audit records of tests/audit/programs/denials.c; prints one
"ok:" or "FAIL:" line per check and exits 1 on any failure."""
import json
import re
import sys

path, mode, site_mnemonic = sys.argv[1:4]
failed = False


def check(cond, what):
    global failed
    print(("ok: " if cond else "FAIL: ") + what)
    failed |= not cond


lines = open(path, encoding="utf-8").read().splitlines()
records = []
for n, line in enumerate(lines, 1):
    try:
        records.append(json.loads(line))
    except ValueError as e:
        check(False, f"line {n} is not JSON ({e}): {line[:120]}")
check(len(records) == len(lines) and records, f"{len(lines)} lines, each one JSON object")

# syscall => (verdict, errno, a decoded string argument or None)
expected = {
    "ptrace": ("errno", "EPERM", None),
    "mount": ("errno", "EPERM", ("arg1", "/mnt")),
    "socket": ("denied", "EACCES", None),
    "kill": ("denied", "ESRCH", None),
}
time_format = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
for name, (verdict, errno, string) in expected.items():
    found = [r for r in records if r.get("syscall") == name]
    check(len(found) == 1, f"{name}: one record (got {len(found)})")
    if not found:
        continue
    r = found[0]
    check(r["verdict"] == verdict and r["errno"] == errno,
          f"{name}: verdict {r['verdict']}, errno {r['errno']} (want {verdict}, {errno})")
    check(time_format.match(r["time"]) is not None, f"{name}: time {r['time']} is RFC 3339 with microseconds")
    check(isinstance(r["pid"], int) and isinstance(r["tid"], int) and isinstance(r["nr"], int),
          f"{name}: pid, tid and nr are numbers")
    check(len(r["args"]) == 6 and all(re.match(r"^0x[0-9a-f]+$", a) for a in r["args"]),
          f"{name}: six hex arguments {r['args']}")
    allowed_by = None
    check(r["reason"] and "allowed_by" in r and r["allowed_by"] == allowed_by,
          f"{name}: reason '{r['reason']}', allowed by {r.get('allowed_by')} (want {allowed_by})")
    if string:
        check(r["strings"].get(string[0]) == string[1], f"{name}: {string[0]} decoded as {r['strings']}")
    if mode == "plain":
        check("backtrace" not in r and "disassembly" not in r, f"{name}: no backtrace without --backtrace")
        continue
    frames = r["backtrace"]["frames"]
    functions = [f["function"] or "?" for f in frames]
    check(frames, f"{name}: a stack: {' <- '.join(functions)}")
    insns = r["disassembly"]["instructions"]
    site = [i["text"] for i in insns if i["site"]]
    check(site and site[0].split()[0] == site_mnemonic, f"{name}: the syscall site is {site} (want {site_mnemonic})")
    if name != "mount":
        continue
    if mode == "backtrace":
        check(any(f.startswith("deny_here") for f in functions), "mount: deny_here is on the stack")
        check(r["backtrace"]["error"] is None, f"mount: the stack is whole ({r['backtrace']['error']})")
    else:
        error = r["backtrace"]["error"] or ""
        check("eh_frame_hdr" in error, f"mount: without .eh_frame_hdr the record says why: '{error}'")
sys.exit(1 if failed else 0)
