"""sendmmsg under --allow-net: sendmmsg_policy.py HOST_A PORT_A HOST_B PORT_B
sends two UDP datagrams with one sendmmsg, to A then B, then one to B then
A, and prints each call's result and msg_len."""
import ctypes
import errno
import socket
import sys


class iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class msghdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32), ("iov", ctypes.POINTER(iovec)),
                ("iovlen", ctypes.c_size_t), ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class mmsghdr(ctypes.Structure):
    _fields_ = [("hdr", msghdr), ("len", ctypes.c_uint)]


class sockaddr_in(ctypes.Structure):
    _fields_ = [("family", ctypes.c_uint16), ("port", ctypes.c_uint16), ("addr", ctypes.c_ubyte * 4),
                ("zero", ctypes.c_ubyte * 8)]


libc = ctypes.CDLL(None, use_errno=True)
keep = []


def entry(host, port, payload):
    to = sockaddr_in(socket.AF_INET, socket.htons(port), (ctypes.c_ubyte * 4)(*socket.inet_aton(host)))
    data = ctypes.create_string_buffer(payload)
    iov = iovec(ctypes.cast(data, ctypes.c_void_p), len(payload))
    keep.extend([to, data, iov])
    m = mmsghdr()
    m.hdr.name = ctypes.cast(ctypes.pointer(to), ctypes.c_void_p)
    m.hdr.namelen = ctypes.sizeof(to)
    m.hdr.iov = ctypes.pointer(iov)
    m.hdr.iovlen = 1
    m.len = 77
    return m


def send(label, first, second):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    vec = (mmsghdr * 2)(entry(*first, b"first"), entry(*second, b"second"))
    n = libc.sendmmsg(s.fileno(), vec, 2, 0)
    result = n if n >= 0 else errno.errorcode[ctypes.get_errno()]
    print(f"{label}: {result} msg_len {vec[0].len} {vec[1].len}", flush=True)
    s.close()


a = (sys.argv[1], int(sys.argv[2]))
b = (sys.argv[3], int(sys.argv[4]))
send("allowed then refused", a, b)
send("refused then allowed", b, a)
