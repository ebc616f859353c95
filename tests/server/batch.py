"""A mixed batch against sentry serve: usage: batch.py URL MARK COUNT.
Each request has the one answer it must get; prints a line per kind and
exits 1 on any wrong answer, server error or failed connection."""
import json
import sys
import urllib.request
import urllib.error
from concurrent.futures import ThreadPoolExecutor

URL, MARK, COUNT = sys.argv[1], sys.argv[2], int(sys.argv[3])


def job(i):
    """(kind, body bytes, check(status, reply) -> bool) for request i."""
    kind = ["bash", "python", "bash", "python", "c", "bad", "timeout", "flood", "exit", "unknown"][i % 10]
    name = f"{kind}_{MARK}_{i}"
    if kind == "bash":
        body = {"language": "bash", "version": "*", "files": [{"name": name + ".sh", "content": f"echo $(({i} * {i}))"}]}
        return kind, body, lambda s, r: s == 200 and r["run"]["stdout"] == f"{i * i}\n" and r["run"]["code"] == 0
    if kind == "python":
        body = {"language": "python", "version": "*", "files": [{"name": name + ".py", "content": "import sys\nprint(sys.stdin.read()[::-1])"}],
                "stdin": f"request {i}"}
        return kind, body, lambda s, r: s == 200 and r["run"]["stdout"] == f"request {i}"[::-1] + "\n"
    if kind == "c":
        body = {"language": "c", "version": "*", "files": [{"name": name + ".c", "content": f'#include <stdio.h>\nint main(void) {{ printf("%d\\n", {i} + 1); return 0; }}'}]}
        return kind, body, lambda s, r: s == 200 and r["compile"]["code"] == 0 and r["run"]["stdout"] == f"{i + 1}\n"
    if kind == "bad":
        return kind, b'{"language": "python", "files": [' + str(i).encode(), lambda s, r: s == 400 and "message" in r
    if kind == "timeout":
        body = {"language": "bash", "version": "*", "files": [{"name": name + ".sh", "content": "while :; do :; done"}], "run_timeout": 300}
        return kind, body, lambda s, r: s == 200 and r["run"]["status"] == "TO"
    if kind == "flood":
        body = {"language": "bash", "version": "*", "files": [{"name": name + ".sh", "content": "yes flood"}]}
        return kind, body, lambda s, r: s == 200 and r["run"]["status"] == "OL" and r["run"]["stdout"].startswith("flood\n")
    if kind == "exit":
        body = {"language": "bash", "version": "*", "files": [{"name": name + ".sh", "content": f"exit {i % 100 + 1}"}]}
        return kind, body, lambda s, r: s == 200 and r["run"]["code"] == i % 100 + 1 and r["run"]["status"] == "RE"
    body = {"language": f"nolang{i}", "version": "*", "files": [{"content": "x"}]}
    return kind, body, lambda s, r: s == 400 and "unknown" in r["message"]


def run(i):
    kind, body, check = job(i)
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(URL + "/api/v2/execute", data=data, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            status, text = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    except Exception as e:  # a refused or dropped connection
        return kind, False, f"request {i}: {e!r}"
    try:
        reply = json.loads(text)
        ok = check(status, reply)
    except Exception as e:
        ok, reply = False, f"{e!r}: {text[:300]!r}"
    return kind, ok, "" if ok else f"request {i} ({kind}): HTTP {status}: {str(reply)[:300]}"


with ThreadPoolExecutor(max_workers=12) as pool:
    results = list(pool.map(run, range(COUNT)))
kinds = {}
for kind, ok, why in results:
    good, total = kinds.get(kind, (0, 0))
    kinds[kind] = (good + ok, total + 1)
    if why:
        print("wrong:", why)
for kind, (good, total) in sorted(kinds.items()):
    print(f"{kind}: {good}/{total} as expected")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
