# Sourced by the --allow-net tests, after integration/lib.sh and with HERE
# set: the host's logging listeners (listener.py, TCP and UDP on one port)
# on two free ports of 127.0.0.1, A (allowed) and B (the canary).
# start_listeners tcp|udp: picks the ports with sockets of that kind, sets
# PA, PB, LA and LB, waits until both listen, removes them and $T at exit.
start_listeners() {
	local kind=SOCK_STREAM
	[ "$1" = udp ] && kind=SOCK_DGRAM
	read -r PA PB < <(/usr/bin/python3 -c "import socket
s = [socket.socket(socket.AF_INET, socket.$kind) for _ in range(2)]
for x in s: x.bind(('127.0.0.1', 0))
print(*[x.getsockname()[1] for x in s])")
	/usr/bin/python3 "$HERE/listener.py" "$PA" "$T/a.log" >"$T/a.ready" &
	LA=$!
	/usr/bin/python3 "$HERE/listener.py" "$PB" "$T/b.log" >"$T/b.ready" &
	LB=$!
	trap 'kill $LA $LB 2>/dev/null; rm -rf "$T"' EXIT
	for _ in $(seq 50); do
		[ -s "$T/a.ready" ] && [ -s "$T/b.ready" ] && break
		sleep 0.1
	done
	[ -s "$T/a.ready" ] && [ -s "$T/b.ready" ] || { echo "FAIL: listeners did not start"; exit 1; }
	touch "$T/a.log" "$T/b.log"
}
