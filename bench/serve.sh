#!/bin/bash
# sentry serve against a native spawn: print(1) in python3.
#  1. Latency, one request at a time, by one client (python3, one
#     keep-alive connection per server) taking turns in one run: a native
#     `python3 -c 'print(1)'` spawn (subprocess), the API end to end with
#     sandboxes started per request (--warm=0, "cold") and with sandboxes
#     started ahead (--warm=N, "warm"); medians in ms and the ratio to native,
#     and the CPU time each run cost: the native child's, or the server's
#     with all it started and reaped (sentries, workloads; a warm run pays
#     for the sandbox started to replace it), from /proc/PID/stat.
#  2. Throughput and latency at 1, 4 and 16 concurrent clients: native
#     spawns from that many threads of one python3 client, and the API
#     (cold and warm) under hey (Debian `hey`) with as many workers; runs
#     per second, p50 and p99 in ms, and the API's throughput against native.
# Reported, never asserted. Prints a markdown table and writes it to
# ${BENCH_OUT:-bench/out}/serve.md.
#   SENTRY=path (default: ${BUILD:-build}/sentry)  ROUNDS=N (default 30)
#   REQUESTS=N per throughput cell (default 200)   WARM=N (default: the CPUs)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=$(readlink -f "${BENCH_OUT:-bench/out}")
SENTRY=$(readlink -f "${SENTRY:-${BUILD:-build}/sentry}")
ROUNDS=${ROUNDS:-30}
REQUESTS=${REQUESTS:-200}
WARM=${WARM:-$(nproc)}
PY=/usr/bin/python3
command -v hey >/dev/null || { echo "bench/serve.sh needs hey (apt-get install hey)"; exit 1; }
mkdir -p "$OUT"
W=$(mktemp -d /tmp/sentry-bench-serve.XXXXXX)
export TMPDIR=$W
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$W"' EXIT

# start NAME OPTIONS...: a server on a free port; its URL in $W/NAME.url
start() {
	local name=$1
	shift
	"$SENTRY" serve --listen=127.0.0.1:0 --max-concurrent=16 "$@" 2>"$W/$name.log" &
	PIDS+=($!)
	echo $! >"$W/$name.pid"
	local port=
	for _ in $(seq 1 200); do
		port=$(grep -o '"event":"listening","address":"127.0.0.1:[0-9]*' "$W/$name.log" | grep -o '[0-9]*$' || true)
		[ -n "$port" ] && break
		sleep 0.05
	done
	[ -n "$port" ] || { echo "the $name server did not start"; cat "$W/$name.log"; exit 1; }
	echo "http://127.0.0.1:$port" >"$W/$name.url"
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
start cold --warm=0
start warm --warm="$WARM"
BODY='{"language":"python","version":"*","files":[{"name":"main.py","content":"print(1)"}]}'
printf '%s' "$BODY" >"$W/body.json"
sleep 2 # the warm pool fills

export PY BODY ROUNDS REQUESTS W
"$PY" - <<'EOF' >"$W/table.md"
import http.client, json, os, resource, statistics, subprocess, threading, time, urllib.parse

PY, BODY, W = os.environ["PY"], os.environ["BODY"], os.environ["W"]
ROUNDS, REQUESTS = int(os.environ["ROUNDS"]), int(os.environ["REQUESTS"])
url = {n: open(f"{W}/{n}.url").read().strip() for n in ("cold", "warm")}
pid = {n: int(open(f"{W}/{n}.pid").read()) for n in ("cold", "warm")}

def cpu_ms(name):
    """CPU time so far: the native children's, or a server's and its reaped children's."""
    if name == "native":
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (r.ru_utime + r.ru_stime) * 1e3
    f = open(f"/proc/{pid[name]}/stat").read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in f[11:15]) * 1e3 / os.sysconf("SC_CLK_TCK")

def native():
    out = subprocess.run([PY, "-c", "print(1)"], capture_output=True).stdout
    assert out == b"1\n", out

conns = {}
def api(name):
    if name not in conns:
        u = urllib.parse.urlparse(url[name])
        conns[name] = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c = conns[name]
    c.request("POST", "/api/v2/execute", BODY, {"Content-Type": "application/json"})
    reply = json.loads(c.getresponse().read())
    assert reply["run"]["stdout"] == "1\n", reply

def ms(f, *a):
    t = time.perf_counter()
    f(*a)
    return (time.perf_counter() - t) * 1e3

for f, a in ((native, ()), (api, ("cold",)), (api, ("warm",))):
    f(*a)  # warm the page cache and the connection
times = {"native": [], "cold": [], "warm": []}
cpu0 = {k: cpu_ms(k) for k in times}
for _ in range(ROUNDS):
    times["native"].append(ms(native))
    times["cold"].append(ms(api, "cold"))
    time.sleep(0.05)  # as requests spaced in time: the pool refills
    times["warm"].append(ms(api, "warm"))
    time.sleep(0.05)
time.sleep(1)  # the last runs' sandboxes end and are reaped
cpu = {k: (cpu_ms(k) - cpu0[k]) / ROUNDS for k in times}
med = {k: statistics.median(v) for k, v in times.items()}
print(f"### print(1) in python3, one at a time ({ROUNDS} turns, medians)\n")
print("| | ms | against native | CPU ms per run |\n| --- | --- | --- | --- |")
for k, label in (("native", "native spawn"), ("cold", "API, --warm=0"), ("warm", "API, warm")):
    print(f"| {label} | {med[k]:.1f} | {med[k] / med['native']:.2f}x | {cpu[k]:.1f} |")

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]

def native_load(clients):
    lat, lock, left = [], threading.Lock(), [REQUESTS]
    def worker():
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            t = ms(native)
            with lock:
                lat.append(t)
    t0 = time.perf_counter()
    ts = [threading.Thread(target=worker) for _ in range(clients)]
    for t in ts: t.start()
    for t in ts: t.join()
    return REQUESTS / (time.perf_counter() - t0), pct(lat, 50), pct(lat, 99)

def hey(name, clients):
    out = subprocess.run(["hey", "-n", str(REQUESTS), "-c", str(clients), "-m", "POST", "-T", "application/json",
                          "-D", f"{W}/body.json", "-o", "csv", url[name] + "/api/v2/execute"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    rows = [r.split(",") for r in out[1:] if r]
    lat = [float(r[0]) * 1e3 for r in rows]
    codes = {r[6] for r in rows}
    assert codes == {"200"}, codes
    span = max(float(r[7]) + float(r[0]) for r in rows)  # offset + response time: the whole run
    return len(rows) / span, pct(lat, 50), pct(lat, 99)

print(f"\n### {REQUESTS} runs at 1, 4 and 16 concurrent clients ({os.cpu_count()} CPUs)\n")
print("| clients | | runs/s | p50 ms | p99 ms | runs/s against native |\n| --- | --- | --- | --- | --- | --- |")
for clients in (1, 4, 16):
    base = native_load(clients)
    cells = [("native spawn", base), ("API, --warm=0", hey("cold", clients)), ("API, warm", hey("warm", clients))]
    for label, (rate, p50, p99) in cells:
        print(f"| {clients} | {label} | {rate:.1f} | {p50:.1f} | {p99:.1f} | {rate / base[0]:.2f}x |")
EOF
{
	echo "## sentry serve against a native spawn ($(date -u +%F), $(nproc) CPUs, $(uname -r))"
	echo
	echo "Load average at the start: $LOAD_BEFORE; at the end: $(cut -d' ' -f1-3 /proc/loadavg) (anything else running shows here)."
	echo
	cat "$W/table.md"
} | tee "$OUT/serve.md"
