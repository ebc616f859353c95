"""Many mixed requests against sentry serve, and the comparison of two runs.

usage: thousand.py run URL MARK COUNT CLIENTS OUT.json [slow]
       thousand.py compare A.json B.json
       thousand.py strays SERVER_PID [SCRATCH]

run: COUNT requests (python, bash, c, fork bombs, timeouts, memory hogs,
floods of output, malformed JSON, refusals) from CLIENTS threads at once;
each reply is checked against the one answer it must get, and what of it is
deterministic is written to OUT.json (by request number) for compare. With
"slow", slow clients go beside the batch: one sends its body a few bytes at
a time, one reads a large reply a little at a time, one connects and never
sends, one stops in the middle of its body, one hangs up while its runs go
on. The first two must be answered in full, the next two closed by the
server's connection timeout, and the batch answered meanwhile.

compare: every request's deterministic answer (HTTP status, stdout,
stderr, code, signal, status; for runs ended by time or memory only
status and signal) must be the same in both files."""
import base64
import hashlib
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

FULL = ("stdout", "stderr", "code", "signal", "status")
ENDED = ("signal", "status")  # wall time, CPU time or memory: output varies


def src(name, content, **extra):
    return dict({"name": name, "content": content}, **extra)


def job(i, mark):
    """(kind, body, check(http, reply) -> bool, {step: fields to compare})."""
    kinds = ["square", "bad_json", "reverse", "bytes", "unknown", "exit", "square", "c", "bad_type", "busy",
             "modules", "flood", "square", "sleep", "not_object", "bomb", "raise", "segv", "err_flood",
             "hog_or_hash", "stdin", "bad_field", "lines", "square", "py_exit"]
    kind = kinds[i % len(kinds)]
    name = f"{kind}_{mark}_{i}"
    bash = lambda content, **kw: dict({"language": "bash", "version": "*", "files": [src(name + ".sh", content)]}, **kw)
    python = lambda content, **kw: dict({"language": "python", "version": "*", "files": [src(name + ".py", content)]}, **kw)
    ok_run = lambda check: lambda h, r: h == 200 and "compile" not in r and check(r["run"])
    if kind == "square":
        return kind, bash(f"echo $(({i} * {i}))"), ok_run(lambda r: r["stdout"] == f"{i * i}\n" and r["status"] is None), {"run": FULL}
    if kind == "bad_json":
        return kind, b'{"language": "python", "files": [' + str(i).encode(), lambda h, r: h == 400 and r["message"] == "the body is not JSON", {"": ("message",)}
    if kind == "reverse":
        body = python("import sys\nprint(sys.stdin.read()[::-1])", stdin=f"request {i} \u00e9\u4e2d")
        return kind, body, ok_run(lambda r: r["stdout"] == f"request {i} \u00e9\u4e2d"[::-1] + "\n"), {"run": FULL}
    if kind == "bytes":
        # a NUL, UTF-8, and a byte that is not UTF-8 (U+FFFD in the JSON)
        body = bash(f"printf 'a\\0b\\303\\251 \\377 %d\\n' {i}; printf 'warn %d\\n' {i} >&2")
        return kind, body, ok_run(lambda r: r["stdout"] == f"a\0b\u00e9 \ufffd {i}\n" and r["stderr"] == f"warn {i}\n"), {"run": FULL}
    if kind == "unknown":
        body = {"language": f"nolang{i}", "version": "*", "files": [{"content": "x"}]}
        return kind, body, lambda h, r: h == 400 and "unknown" in r["message"], {"": ("message",)}
    if kind == "exit":
        return kind, bash(f"echo before; exit {i % 100 + 1}"), ok_run(lambda r: r["code"] == i % 100 + 1 and r["status"] == "RE" and r["stdout"] == "before\n"), {"run": FULL}
    if kind == "c":
        if i % 2:
            body = {"language": "c", "version": "*", "files": [src(name + ".c", f'#include <stdio.h>\nint main(void) {{ printf("%d\\n", {i} + 1); return 0; }}')]}
            check = lambda h, r: h == 200 and r["compile"]["code"] == 0 and r["run"]["stdout"] == f"{i + 1}\n"
            return kind, body, check, {"compile": FULL, "run": FULL}
        body = {"language": "c", "version": "*", "files": [src(name + ".c", f"int main(void) {{ return {i} }}\n")]}
        check = lambda h, r: h == 200 and r["compile"]["code"] == 1 and r["compile"]["status"] == "RE" and "error" in r["compile"]["stderr"] and "run" not in r
        return kind, body, check, {"compile": FULL}
    if kind == "bad_type":
        body = {"language": "bash", "version": "*", "files": {"content": "echo"}} if i % 2 else {"language": 5, "version": "*", "files": []}
        return kind, body, lambda h, r: h == 400 and "message" in r, {"": ("message",)}
    if kind == "busy":
        return kind, bash("echo start; while :; do :; done", run_timeout=300), ok_run(lambda r: r["status"] == "TO" and r["signal"] == "SIGKILL"), {"run": ENDED}
    if kind == "modules":
        body = {"language": "python", "version": "*", "args": [str(i), "two words", ""],
                "files": [src(name + ".py", "import sys\nfrom lib.helper import twice\nprint(twice(sys.argv[1:]))"),
                          src("lib/helper.py", "def twice(a):\n    return list(reversed(a)) * 2"),
                          src("lib/__init__.py", "")]}
        want = repr(["", "two words", str(i)] * 2) + "\n"
        return kind, body, ok_run(lambda r: r["stdout"] == want), {"run": FULL}
    if kind == "flood":
        if i % 2:
            return kind, bash("yes flood"), ok_run(lambda r: r["status"] == "OL" and r["stdout"] == "flood\n" * 2730 + "floo"), {"run": FULL}
        # 16K ends inside a character: U+FFFD for its first byte
        return kind, bash("yes \u00e9"), ok_run(lambda r: r["status"] == "OL" and r["stdout"] == "\u00e9\n" * 5461 + "\ufffd"), {"run": FULL}
    if kind == "sleep":
        return kind, bash("echo slept; sleep 5; echo never", run_timeout=250), ok_run(lambda r: r["status"] == "TO" and "never" not in r["stdout"]), {"run": ENDED}
    if kind == "not_object":
        return kind, b"[1, 2]" if i % 2 else b'{"language": "bash"} trailing', lambda h, r: h == 400 and "message" in r, {"": ("message",)}
    if kind == "bomb":
        return kind, bash("b() { b | b & }; b; sleep 10", run_timeout=600), ok_run(lambda r: r["status"] == "TO" and r["signal"] == "SIGKILL"), {"run": ENDED}
    if kind == "raise":
        body = python(f"print('line {i}')\nraise ValueError('bad {i}')")
        return kind, body, ok_run(lambda r: r["code"] == 1 and r["status"] == "RE" and r["stderr"].endswith(f"ValueError: bad {i}\n")), {"run": FULL}
    if kind == "segv":
        return kind, bash("echo going; kill -SEGV $$"), ok_run(lambda r: r["signal"] == "SIGSEGV" and r["status"] == "SG" and r["code"] is None), {"run": FULL}
    if kind == "err_flood":
        return kind, bash("echo out; yes err >&2"), ok_run(lambda r: r["status"] == "EL" and r["stdout"] == "out\n" and len(r["stderr"]) == 16384), {"run": FULL}
    if kind == "hog_or_hash":
        if i % 2:
            body = python("a = []\nwhile True: a.append(bytearray(1 << 20))", run_memory_limit=40_000_000, run_timeout=8000)
            return "hog", body, ok_run(lambda r: r["status"] == "SG" and r["signal"] == "SIGKILL"), {"run": ENDED}
        data = "".join(f"{n:08d}\n" for n in range(i, i + 10000))
        body = python("import hashlib, sys\nprint(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())", stdin=data)
        want = hashlib.sha256(data.encode()).hexdigest() + "\n"
        return "hash", body, ok_run(lambda r: r["stdout"] == want), {"run": FULL}
    if kind == "stdin":
        data = "x" * (50000 + i)
        return kind, bash("wc -c", stdin=data), ok_run(lambda r: r["stdout"].strip() == str(50000 + i)), {"run": FULL}
    if kind == "bad_field":
        variants = [{"language": "bash", "version": "*", "files": [{"name": "../x.sh", "content": "echo"}]},
                    {"language": "bash", "version": "*", "files": [{"content": "!!!", "encoding": "base64"}]},
                    {"language": "bash", "version": "*", "files": [{"content": "echo"}], "run_timeout": 10 ** 9},
                    {"language": "bash", "version": "*", "files": [{"content": "echo"}], "stdin": 7}]
        return kind, variants[i % 4], lambda h, r: h == 400 and "message" in r, {"": ("message",)}
    if kind == "lines":
        body = python(f"for n in range(1000): print('{i}', n, '\u00e9')")
        want = "".join(f"{i} {n} \u00e9\n" for n in range(1000))
        return kind, body, ok_run(lambda r: r["stdout"] == want), {"run": FULL}
    body = python(f"import sys\nsys.stdout.write('bye')\nsys.exit({i % 50})")
    return kind, body, ok_run(lambda r: r["stdout"] == "bye" and r["code"] == i % 50), {"run": FULL}


def post(url, body, timeout=120):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url + "/api/v2/execute", data=data, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def answer(http, reply, fields):
    """What of a reply is deterministic: {"http", "STEP.FIELD": value}; the
    job's folder (a Python traceback names it) is the one random part."""
    out = {"http": http}
    for step, names in fields.items():
        part = reply.get(step) if step else reply
        for n in names:
            v = part.get(n) if isinstance(part, dict) else "<missing>"
            out[f"{step}.{n}"] = re.sub(r"/\S*?/job\.\w{6}/", "JOB/", v) if isinstance(v, str) else v
    return out


def run_batch(url, mark, count, clients, done_at):
    def one(i):
        kind, body, check, fields = job(i, mark)
        try:
            http, text = post(url, body)
        except Exception as e:  # a refused or dropped connection
            return kind, None, f"request {i} ({kind}): {e!r}"
        try:
            reply = json.loads(text)
            ok = check(http, reply)
            got = answer(http, reply, fields)
        except Exception as e:
            return kind, None, f"request {i} ({kind}): {e!r}: {text[:300]!r}"
        done_at.append(time.monotonic())
        return kind, got, "" if ok else f"request {i} ({kind}): HTTP {http}: {str(reply)[:400]}"

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(one, range(count)))


# --- slow clients: raw sockets, so that every byte's timing is ours ---

def http_request(body):
    return (b"POST /api/v2/execute HTTP/1.1\r\nHost: sentry\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)) + body


def read_reply(sock, pace=None):
    """The whole reply until the server closes; pace = (bytes, seconds)."""
    data = b""
    while True:
        chunk = sock.recv(pace[0] if pace else 65536)
        if not chunk:
            return data
        data += chunk
        if pace:
            time.sleep(pace[1])


def reply_json(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        plain, rest = b"", body
        while rest:
            size, _, rest = rest.partition(b"\r\n")
            n = int(size.split(b";")[0], 16)
            if n == 0:
                break
            plain, rest = plain + rest[:n], rest[n + 2:]
        body = plain
    return status, json.loads(body)


def connect(address):
    host, port = address
    return socket.create_connection((host, int(port)), timeout=150)


class Slow(threading.Thread):
    """One slow client; .problem is None when it behaved as it must."""

    def __init__(self, name, fn, *args):
        super().__init__(daemon=True)
        self.name, self.fn, self.args = name, fn, args
        self.problem, self.note, self.ended = "did not finish", "", None

    def run(self):
        self.started = time.monotonic()
        try:
            self.problem, self.note = self.fn(*self.args)
        except Exception as e:
            self.problem = repr(e)
        self.ended = time.monotonic()


def slow_sender(address, mark):
    body = json.dumps({"language": "bash", "version": "*", "files": [{"name": f"slow_{mark}.sh", "content": "echo slow sender"}]}).encode()
    s = connect(address)
    start = time.monotonic()
    raw = http_request(body)
    for n in range(0, len(raw), 6):
        s.sendall(raw[n:n + 6])
        time.sleep(0.1)
    status, reply = reply_json(read_reply(s))
    s.close()
    good = status == 200 and reply["run"]["stdout"] == "slow sender\n"
    return (None if good else f"HTTP {status}: {str(reply)[:300]}"), f"sent over {time.monotonic() - start:.1f} s"


def slow_reader(address, mark):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(150)
    s.connect((address[0], int(address[1])))
    body = json.dumps({"language": "bash", "version": "*", "files": [{"name": f"reader_{mark}.sh", "content": "yes read slowly"}]}).encode()
    start = time.monotonic()
    s.sendall(http_request(body))
    raw = read_reply(s, (1024, 0.08))
    s.close()
    status, reply = reply_json(raw)
    good = status == 200 and reply["run"]["status"] == "OL" and reply["run"]["stdout"].startswith("read slowly\n") and len(reply["run"]["stdout"]) == 16384
    return (None if good else f"HTTP {status}: {str(reply)[:300]}"), f"{len(raw)} bytes read over {time.monotonic() - start:.1f} s"


def hangs_up(address, mark):
    """Sends a run and closes before its answer: the server runs it, finds
    nobody to answer, and goes on (its check is what is left afterwards)."""
    body = json.dumps({"language": "bash", "version": "*", "files": [{"name": f"hangup_{mark}.sh", "content": "sleep 2; yes"}]}).encode()
    for _ in range(3):
        s = connect(address)
        s.sendall(http_request(body))
        time.sleep(0.5)
        s.close()
    return None, "closed 3 connections 0.5 s into their runs"


def timed_out(address, first):
    """Sends `first` (maybe nothing), then waits for the server to close."""
    s = connect(address)
    start = time.monotonic()
    if first:
        s.sendall(first)
    try:
        left = read_reply(s)
    except ConnectionResetError:
        left = b""
    s.close()
    took = time.monotonic() - start
    return (None if took < 120 else f"closed only after {took:.0f} s"), f"closed by the server after {took:.0f} s ({len(left)} bytes of reply)"


def main_run(url, mark, count, clients, out, slow):
    address = url.split("//")[1].split(":")
    slows = []
    if slow:
        stalled = http_request(b'{"language": "bash", "version": "*", "files": [{"content": "echo"}]}' + b" " * 400)[:-380]
        slows = [Slow("slow sender", slow_sender, address, mark), Slow("slow reader", slow_reader, address, mark),
                 Slow("never sends", timed_out, address, b""), Slow("stops in its body", timed_out, address, stalled),
                 Slow("hangs up", hangs_up, address, mark)]
        for t in slows:
            t.start()
        time.sleep(0.5)
    start = time.monotonic()
    done_at = []
    results = run_batch(url, mark, count, clients, done_at)
    batch_end = time.monotonic()
    print(f"{count} requests from {clients} clients in {batch_end - start:.1f} s")
    failed = False
    kinds = {}
    for kind, got, why in results:
        good, total = kinds.get(kind, (0, 0))
        kinds[kind] = (good + (not why), total + 1)
        if why:
            print("wrong:", why)
            failed = True
    print(", ".join(f"{k} {g}/{t}" for k, (g, t) in sorted(kinds.items())))
    for t in slows:
        t.join(180)
        print(f"{t.name}: {'ok' if t.problem is None else 'FAILED: ' + str(t.problem)}; {t.note}")
        failed |= t.problem is not None
    for t in slows:
        # the others are served while a slow one holds its connection
        beside = sum(1 for d in done_at if t.started < d < (t.ended or batch_end))
        print(f"{t.name}: {beside} requests answered meanwhile")
        if beside < min(count, 10) and t.name != "hangs up":
            print(f"{t.name}: FAILED: it held up the others")
            failed = True
    with open(out, "w") as f:
        json.dump([got for _, got, _ in results], f)
    return 1 if failed else 0


def main_compare(a, b):
    with open(a) as fa, open(b) as fb:
        one, two = json.load(fa), json.load(fb)
    differ = [i for i, (x, y) in enumerate(zip(one, two)) if x != y or x is None]
    for i in differ[:10]:
        print(f"request {i} differs:\n  {json.dumps(one[i])[:500]}\n  {json.dumps(two[i])[:500]}")
    print(f"{len(one) - len(differ)} of {len(one)} answers the same")
    return 0 if not differ and len(one) == len(two) else 1


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(bytes(1), b" ").decode(errors="replace").strip()
    except OSError:
        return "(gone since)"


def parent(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def warm_sandbox(pid, server):
    """An idle warm sandbox of the server's (--warm): its sentry, started with
    --control=SCRATCH/warm.N.sock, that sentry's own processes, and the first
    process that waits for a command (sleep infinity)."""
    line = cmdline(pid)
    if "--control=" in line and "/warm." in line:
        return True
    return line == "/bin/sleep infinity" and warm_sandbox(parent(pid), server)


def main_strays(server, scratch=None):
    """Processes whose parent chain leads to the server, or in its cgroups;
    with SCRATCH (the server still runs), apart from its idle warm sandboxes,
    and what is in its folder apart from theirs."""
    found, warm_workspaces = [], set()
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{p}/cgroup") as f:
                ours = re.search(rf"sentry-serve\.{server}(/|$)", f.read(), re.M) is not None
            pid = int(p)
            while pid > 1 and not ours and pid != server:
                pid = parent(pid)
                ours = pid == server
            if not ours or int(p) == server:
                continue
            if scratch and warm_sandbox(int(p), server):
                warm_workspaces.update(re.findall(r"--workspace=(\S+)", cmdline(p)))
                continue
        except (OSError, ValueError, IndexError):
            continue
        found.append(f"{p}: {cmdline(p)[:200]}")
    if scratch:
        for name in sorted(os.listdir(scratch)):
            if not re.fullmatch(r"warm\.\d+\.\w+", name) and os.path.join(scratch, name) not in warm_workspaces:
                found.append(f"{scratch}/{name}")
    print("\n".join(found))
    return 1 if found else 0


if __name__ == "__main__":
    if sys.argv[1] == "strays":
        sys.exit(main_strays(int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None))
    if sys.argv[1] == "compare":
        sys.exit(main_compare(sys.argv[2], sys.argv[3]))
    sys.exit(main_run(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], len(sys.argv) > 7))
