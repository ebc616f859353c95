"""Host side of the --allow-net tests: a TCP and a UDP echo on one port of
127.0.0.1 (and of ::1 when the host has it); every connection and datagram
is logged, so a test can tell whether anything reached it."""
import socket
import sys
import threading

port, log_path = int(sys.argv[1]), sys.argv[2]
log = open(log_path, "a", buffering=1)
lock = threading.Lock()


def note(what):
    with lock:
        log.write(what + "\n")


def tcp(s, host):
    while True:
        c, _ = s.accept()
        note("tcp " + host)
        try:
            c.settimeout(2)
            data = c.recv(64)
            c.sendall(b"pong:" + data)
        except OSError:
            pass
        c.close()


def udp(s, host):
    while True:
        data, peer = s.recvfrom(64)
        note("udp " + host)
        s.sendto(b"pong:" + data, peer)


families = [(socket.AF_INET, "127.0.0.1")]
try:
    socket.socket(socket.AF_INET6).bind(("::1", 0))
    families.append((socket.AF_INET6, "::1"))
except OSError:
    pass
for family, host in families:
    t = socket.socket(family, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((host, port))
    t.listen(128)
    u = socket.socket(family, socket.SOCK_DGRAM)
    u.bind((host, port))
    threading.Thread(target=tcp, args=(t, host), daemon=True).start()
    threading.Thread(target=udp, args=(u, host), daemon=True).start()
print(" ".join(h for _, h in families), flush=True)
threading.Event().wait()
