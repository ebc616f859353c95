"""Inside a sandbox under --allow-net: a server on the sandbox's own
127.0.0.1:PORT serves a client inside, and the allowed host destination is
reached too; the listener is held HOLD seconds for another sandbox to try."""
import socket
import sys
import threading
import time

port, host_port, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
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
time.sleep(hold)
