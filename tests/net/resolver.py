"""A DNS server for one name, and the clients glibc's resolver serves.

resolver.py serve PORT NAME ADDRESS: answers A queries for NAME with
ADDRESS over UDP on 127.0.0.1:PORT (AAAA: no answer; any other name:
NXDOMAIN), printing each question it gets; "ready" once bound.
resolver.py lookup NAME: socket.getaddrinfo, which sends the A and AAAA
queries together (sendmmsg), and socket.gethostbyname.
"""
import socket
import struct
import sys


def question(packet):
    at, labels = 12, []
    while packet[at]:
        labels.append(packet[at + 1:at + 1 + packet[at]].decode())
        at += 1 + packet[at]
    qtype, = struct.unpack("!H", packet[at + 1:at + 3])
    return ".".join(labels).lower(), qtype, at + 5


def serve(port, name, address):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    print("ready", flush=True)
    s.settimeout(20)
    while True:
        try:
            packet, peer = s.recvfrom(512)
        except socket.timeout:
            return
        qname, qtype, end = question(packet)
        print("question", qname, {1: "A", 28: "AAAA"}.get(qtype, qtype), flush=True)
        known = qname == name.lower()
        answers = 1 if known and qtype == 1 else 0
        flags = 0x8180 if known else 0x8183  # a response, recursion; NXDOMAIN when unknown
        reply = packet[:2] + struct.pack("!HHHHH", flags, 1, answers, 0, 0) + packet[12:end]
        if answers:
            reply += struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(address)
        s.sendto(reply, peer)


def lookup(name):
    found = sorted({a[4][0] for a in socket.getaddrinfo(name, 80, proto=socket.IPPROTO_UDP)})
    print("getaddrinfo", " ".join(found))
    print("gethostbyname", socket.gethostbyname(name))


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        lookup(sys.argv[2])
