"""Inside a sandbox under --allow-net: a server on the sandbox's own
127.0.0.1:PORT serves a client inside, and the allowed host destination is
reached too (kept non-blocking when it was), and the host's listener on
127.0.0.1:CANARY_PORT is not; the listener is held HOLD seconds for another
sandbox to try."""
import errno
import fcntl
import os
import select
import socket
import sys
import threading
import time

port, host_port, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
canary_port = int(sys.argv[4])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen()
print("listening", flush=True)


def serve():
    c, _ = srv.accept()
    c.sendall(b"inside:" + c.recv(64))
    c.close()


threading.Thread(target=serve).start()
with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
    c.sendall(b"hello")
    print("own server:", c.recv(64).decode(), flush=True)
with socket.create_connection(("127.0.0.1", host_port), timeout=5) as h:
    h.sendall(b"ping")
    print("allowed host:", h.recv(64).decode(), flush=True)
# a non-blocking socket stays so once it is the host's
with socket.socket() as h:
    h.setblocking(False)
    try:
        h.connect(("127.0.0.1", host_port))
    except BlockingIOError:
        pass
    nonblocking = fcntl.fcntl(h.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK
    select.select([], [h], [], 5)
    h.setblocking(True)
    h.settimeout(5)
    h.sendall(b"ping")
    print("allowed host, non-blocking:", bool(nonblocking), h.recv(64).decode(), flush=True)
# the host's other listener on 127.0.0.1 is not the sandbox's
try:
    socket.create_connection(("127.0.0.1", canary_port), timeout=5)
    print("canary: connected", flush=True)
except OSError as e:
    print("canary:", errno.errorcode.get(e.errno, e.errno), flush=True)
time.sleep(hold)
