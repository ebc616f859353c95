#!/usr/bin/python3
"""Stands in for the sentry binary in tests/escape/run.sh, so that each
escape attempt runs through sentry serve's API instead:

    escape_client.py [--platform=P] [--bind X:Y[:ro]]... -- ATTEMPT [ARGS...]

ATTEMPT (a static binary) is uploaded base64 beside a bash file that runs it
(chmod +x; ./ATTEMPT ARGS), stdin too when it is a regular file; the run's
stdout and stderr are written out, and the exit status is the run's code,
128+N for signal N, or 125 when the server or the sandbox failed. Options
before -- are the sentry's and mean nothing to the server (it has no binds
and chooses its platform). SENTRY_SERVE_URL names the server; one JSON line
per attempt is appended to SENTRY_SERVE_LOG."""
import base64
import json
import os
import signal
import stat
import sys
import urllib.error
import urllib.request

args = sys.argv[1:]
attempt = args[args.index("--") + 1:]
name = os.path.basename(attempt[0])
with open(attempt[0], "rb") as f:
    program = base64.b64encode(f.read()).decode()
stdin = ""
if stat.S_ISREG(os.fstat(0).st_mode):
    stdin = sys.stdin.buffer.read().decode(errors="replace")
body = {"language": "bash", "version": "*", "stdin": stdin, "args": attempt[1:],
        "files": [{"name": "run.sh", "content": f'chmod +x ./{name} && exec ./{name} "$@"\n'},
                  {"name": name, "content": program, "encoding": "base64"}]}
req = urllib.request.Request(os.environ["SENTRY_SERVE_URL"] + "/api/v2/execute", data=json.dumps(body).encode(), method="POST")
try:
    with urllib.request.urlopen(req, timeout=60) as resp:
        http, text = resp.status, resp.read()
except urllib.error.HTTPError as e:
    http, text = e.code, e.read()
try:
    run = json.loads(text).get("run") or {}
except ValueError:
    run = {}
with open(os.environ["SENTRY_SERVE_LOG"], "a") as log:
    log.write(json.dumps({"attempt": name, "http": http, "status": run.get("status"), "code": run.get("code"),
                          "signal": run.get("signal"), "message": run.get("message") or (None if run else text[:300].decode(errors="replace"))}) + "\n")
sys.stdout.buffer.write(run.get("stdout", "").encode())
sys.stdout.flush()
sys.stderr.buffer.write(run.get("stderr", "").encode())
if http != 200 or run.get("status") == "XX":
    sys.stderr.write(f"escape_client: HTTP {http}, status {run.get('status')}: {run.get('message') or text[:300]!r}\n")
    sys.exit(125)
if run.get("signal"):
    sys.exit(128 + signal.Signals[run["signal"]].value)
sys.exit(run.get("code") or 0)
