# python3 over unix sockets bound inside the sandbox: a
# multiprocessing.Manager() (a server process listening on a path in a
# temporary folder), the forkserver start method, an http.server over a
# unix stream socket with a client in another process, a datagram server,
# and socket files seen by ls.
set -euo pipefail
. ./assert.sh

cat >unix.py <<'PY'
import multiprocessing as mp
import os
import socket
import socketserver
import stat
import sys
import http.server
import http.client

def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")

def square(x):
    return x * x

def test_manager():
    with mp.Manager() as m:
        d = m.dict()
        lst = m.list([1, 2])
        d["a"] = 1
        lst.append(3)
        p = mp.Process(target=fill, args=(d, lst))
        p.start()
        p.join()
        check(p.exitcode == 0, f"manager client exit {p.exitcode}")
        check(dict(d) == {"a": 1, "b": 2}, f"manager dict {dict(d)}")
        check(list(lst) == [1, 2, 3, 4], f"manager list {list(lst)}")
    print("manager: a dict and a list shared with a child process")

def fill(d, lst):
    d["b"] = 2
    lst.append(4)

def test_forkserver():
    ctx = mp.get_context("forkserver")
    with ctx.Pool(2) as pool:
        got = pool.map(square, range(6))
    check(got == [0, 1, 4, 9, 16, 25], f"forkserver pool gave {got}")
    print("forkserver: a pool of two mapped six squares")

class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"hello from {self.path}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

    # a unix peer has no (host, port)
    def address_string(self):
        return "unix"

class UnixHTTPServer(socketserver.UnixStreamServer):
    pass

class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.unix_path)

def http_client(path, q):
    c = UnixHTTPConnection(path)
    c.request("GET", "/index")
    r = c.getresponse()
    q.put((r.status, r.read().decode()))

def test_http():
    srv = UnixHTTPServer("http.sock", Hello)
    check(stat.S_ISSOCK(os.stat("http.sock").st_mode), "http.sock is not a socket")
    check(srv.socket.getsockname() == "http.sock", f"getsockname {srv.socket.getsockname()!r}")
    q = mp.get_context("fork").Queue()
    p = mp.get_context("fork").Process(target=http_client, args=("http.sock", q))
    p.start()
    srv.handle_request()
    status, body = q.get(timeout=20)
    p.join()
    srv.server_close()
    check(status == 200 and body == "hello from /index\n", f"http gave {status} {body!r}")
    os.unlink("http.sock")
    check(not os.path.exists("http.sock"), "http.sock still there")
    print(f"http: GET /index over http.sock answered {status}: {body.strip()}")

class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data.upper(), self.client_address)

def test_dgram():
    srv = socketserver.UnixDatagramServer("echo.sock", Echo)
    c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    c.bind("client.sock")
    c.sendto(b"ping", "echo.sock")
    srv.handle_request()
    c.settimeout(10)
    data = c.recv(100)
    check(data == b"PING", f"datagram echo gave {data!r}")
    srv.server_close()
    c.close()
    print(f"dgram: echo.sock answered {data.decode()} to client.sock")

def test_abstract():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    name = b"\0sentry-test-" + str(os.getpid()).encode()
    s.bind(name)
    s.listen()
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(name)
    a, _ = s.accept()
    c.sendall(b"abstract")
    got = a.recv(100)
    check(got == b"abstract" and s.getsockname() == name, f"abstract gave {got!r} {s.getsockname()!r}")
    print("abstract: a name with no file, shown as given")

if __name__ == "__main__":
    test_manager()
    test_forkserver()
    test_http()
    test_dgram()
    test_abstract()
PY

python3 unix.py
ls -l echo.sock client.sock | cut -c1 | tr -d '\n'
echo " are sockets to ls"
rm echo.sock client.sock
absent echo.sock "rm of a socket file"
