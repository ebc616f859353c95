#!/usr/bin/python3
"""Loopback listeners for the escape suite.

usage: listen.py LOG PORTS WORK_SOCK AREA_SOCK DGRAM_SOCK ABSTRACT_NAME

Listens on TCP and UDP on 127.0.0.1 and ::1 (ports chosen by the kernel,
written to PORTS as KEY=VALUE lines), on unix stream sockets at WORK_SOCK
and AREA_SOCK, on a unix datagram socket at DGRAM_SOCK and on the abstract
name ABSTRACT_NAME. Every connection or datagram is appended to LOG. A
control TCP port on 127.0.0.1 (key ctl) answers "sync" with "ok" once every
pending connection and datagram has been logged."""
import os
import select
import socket
import sys

log_path, ports_path, work_sock, area_sock, dgram_sock, abstract = sys.argv[1:7]


def record(what):
    with open(log_path, "a") as f:
        f.write(what + "\n")


def make(family, kind, addr):
    s = socket.socket(family, kind)
    if family != socket.AF_UNIX:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr)
    if kind == socket.SOCK_STREAM:
        s.listen(64)
    s.setblocking(False)
    return s


listeners = {
    "tcp4": make(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 0)),
    "udp4": make(socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 0)),
    "tcp6": make(socket.AF_INET6, socket.SOCK_STREAM, ("::1", 0)),
    "udp6": make(socket.AF_INET6, socket.SOCK_DGRAM, ("::1", 0)),
    "unix-work": make(socket.AF_UNIX, socket.SOCK_STREAM, work_sock),
    "unix-area": make(socket.AF_UNIX, socket.SOCK_STREAM, area_sock),
    "unix-dgram": make(socket.AF_UNIX, socket.SOCK_DGRAM, dgram_sock),
    "unix-abstract": make(socket.AF_UNIX, socket.SOCK_STREAM, "\0" + abstract),
}
# Seqpacket clients reach a stream listener's path with ECONNREFUSED only;
# a seqpacket listener on the same kind of path is not needed to see them.
ctl = make(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 0))

with open(ports_path + ".tmp", "w") as f:
    for key in ("tcp4", "udp4", "tcp6", "udp6"):
        f.write("%s=%d\n" % (key, listeners[key].getsockname()[1]))
    f.write("ctl=%d\n" % ctl.getsockname()[1])
os.rename(ports_path + ".tmp", ports_path)


def drain(name, s):
    while True:
        try:
            if s.type == socket.SOCK_STREAM:
                conn, peer = s.accept()
                conn.settimeout(0.05)
                try:
                    data = conn.recv(256)
                except OSError:
                    data = b""
                conn.close()
                record("%s: connection from %r, data %r" % (name, peer, data))
            else:
                data, peer = s.recvfrom(4096)
                record("%s: datagram from %r: %r" % (name, peer, data))
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            record("%s: error %s" % (name, e))
            return


by_fd = {s.fileno(): (n, s) for n, s in listeners.items()}
while True:
    ready, _, _ = select.select(list(by_fd) + [ctl.fileno()], [], [], 60)
    for fd in ready:
        if fd in by_fd:
            drain(*by_fd[fd])
    if ctl.fileno() in ready:
        try:
            c, _ = ctl.accept()
        except BlockingIOError:
            continue
        c.setblocking(True)
        c.settimeout(2)
        try:
            if c.recv(16).startswith(b"sync"):
                for n, s in listeners.items():
                    drain(n, s)
                c.sendall(b"ok\n")
        except OSError:
            pass
        c.close()
