"""Loopback servers and clients, run natively and inside the sentry.
  pairs            TCP and UDP over 127.0.0.1 and ::1, server and client in
                   two processes; prints lines that must match the native run
  own PORT TOKEN   binds 127.0.0.1:PORT, serves TOKEN to a client of its own
  http             python -m http.server in one process, urllib in another
"""
import os, socket, subprocess, sys, time, urllib.request

def tcp_pair(family, bind_host, connect_host, v6only=None):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    s.bind((bind_host, 0))
    s.listen()
    port = s.getsockname()[1]
    pid = os.fork()
    if pid == 0:  # the client, a process of its own
        ok = False
        try:
            c = socket.create_connection((connect_host, port))
            c.sendall(b"ping")
            ok = c.recv(64) == b"pong:ping" and c.getpeername()[1] == port
        finally:
            os._exit(0 if ok else 1)
    a, peer = s.accept()
    a.sendall(b"pong:" + a.recv(64))
    _, status = os.waitpid(pid, 0)
    mine = a.getsockname()
    print(f"tcp {bind_host} -> {connect_host}: client {'ok' if status == 0 else 'failed'}, "
          f"peer {peer[0]}, local {mine[0]}")

def udp_pair(family, host):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((host, 0))
    pid = os.fork()
    if pid == 0:
        c = socket.socket(family, socket.SOCK_DGRAM)
        c.sendto(b"ping", s.getsockname())
        c.settimeout(5)
        ok = False
        try:
            ok = c.recv(64) == b"pong:ping"
        finally:
            os._exit(0 if ok else 1)
    data, peer = s.recvfrom(64)
    s.sendto(b"pong:" + data, peer)
    _, status = os.waitpid(pid, 0)
    print(f"udp {host}: client {'ok' if status == 0 else 'failed'}, peer {peer[0]}")

def pairs():
    tcp_pair(socket.AF_INET, "127.0.0.1", "127.0.0.1")
    tcp_pair(socket.AF_INET, "0.0.0.0", "127.0.0.1")
    tcp_pair(socket.AF_INET6, "::1", "::1")
    tcp_pair(socket.AF_INET6, "::", "127.0.0.1", v6only=0)
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind(("::", 0))
    s.listen()
    try:
        socket.create_connection(("127.0.0.1", s.getsockname()[1]))
    except OSError as e:
        print(f"tcp v6only, IPv4 client: {type(e).__name__}")
    udp_pair(socket.AF_INET, "127.0.0.1")
    udp_pair(socket.AF_INET6, "::1")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    t = socket.socket()
    try:
        t.bind(s.getsockname())
    except OSError as e:
        print(f"second bind: errno {e.errno}")

def own(port, token):
    s = socket.socket()
    s.bind(("127.0.0.1", port))
    s.listen()
    print("bound", flush=True)
    time.sleep(1.5)  # the other sandbox binds the same port meanwhile
    if os.fork() == 0:
        try:
            c = socket.create_connection(("127.0.0.1", port))
            print("got", c.recv(64).decode(), flush=True)
        finally:
            os._exit(0)
    a, _ = s.accept()
    a.sendall(token.encode())
    os.wait()

def http():
    with open("page.txt", "w") as f:
        f.write("served inside\n")
    server = subprocess.Popen([sys.executable, "-m", "http.server", "8000", "--bind", "127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                body = urllib.request.urlopen("http://127.0.0.1:8000/page.txt", timeout=5).read()
                print("http:", body.decode().strip())
                return
            except OSError:
                time.sleep(0.1)
        print("http: no answer")
    finally:
        server.terminate()
        server.wait()

if __name__ == "__main__":
    {"pairs": pairs, "own": lambda: own(int(sys.argv[2]), sys.argv[3]), "http": http}[sys.argv[1]]()
