#!/usr/bin/env python3
"""gen.py — a mixed-traffic capture and a ~2,000-rule set for the sensor
benchmark.

    gen.py OUT.pcap OUT.rules [SIZE_MB]      (default 1100 MB)

Traffic (Ethernet/IPv4, valid handshakes, tens of thousands of flows):
HTTP GETs with 4-64 KiB responses, DNS queries over UDP, TLS ClientHello
plus bulk records, SMTP sessions, and bulk TCP transfers.  Rules: 2,000
content rules on random 8-byte literals (a few of them present in the
traffic so that alerts happen), plus http.uri/dns.query/tls.sni rules.
Deterministic (seeded).  Uses tests/pcapgen/pcapgen.py for the packet
builders.
"""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tests", "pcapgen"))
import pcapgen as g  # noqa: E402

MSS = 1448


class Writer:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535,
                                 1))
        self.t = 1700000000.0
        self.bytes = 24
        self.pkts = 0

    def add(self, frame):
        self.t += 0.00001
        sec = int(self.t)
        usec = int((self.t - sec) * 1e6)
        self.f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
        self.f.write(frame)
        self.bytes += 16 + len(frame)
        self.pkts += 1


class Conv(g.Conv):
    """A conversation that writes straight into a Writer."""

    def __init__(self, w, cli, srv):
        self.w = w
        super().__init__(None, cli=cli, srv=srv)

    def send(self, to_server, flags, data=b"", seq=None):
        if to_server:
            sq = self.cseq if seq is None else seq
            seg = g.tcp(self.cli[1], self.srv[1], sq, self.sseq, flags, data)
        else:
            sq = self.sseq if seq is None else seq
            seg = g.tcp(self.srv[1], self.cli[1], sq, self.cseq, flags, data)
        self.w.add(self.frame(to_server, seg))

    def bulk(self, to_server, data):
        for i in range(0, len(data), MSS):
            self.data(to_server, data[i:i + MSS], flags=g.ACK)


def addr(r):
    return "10.%d.%d.%d" % (r.randrange(1, 250), r.randrange(256),
                            r.randrange(1, 255))


def main(argv):
    out, rules = argv[1], argv[2]
    target = int(argv[3] if len(argv) > 3 else 1100) * 1024 * 1024
    r = random.Random(42)
    words = [bytes(r.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(8))
             for _ in range(2000)]
    blob = bytes(r.randrange(256) for _ in range(1 << 20))
    # the traffic's text uses other words; five rule words are planted
    tw = [bytes(r.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(6))
          for _ in range(5000)]
    tl = [r.choice(tw) for _ in range(1 << 17)]
    for i in range(5):
        tl[r.randrange(len(tl))] = words[i] + b"+" + words[i][:4]
    text = b" ".join(tl)
    w = Writer(out)
    port = 1024
    kinds = ["http", "http", "dns", "dns", "tls", "smtp", "bulk"]
    flows = 0
    while w.bytes < target:
        port = port + 1 if port < 65000 else 1024
        cli = (addr(r), port)
        k = r.choice(kinds)
        flows += 1
        if k == "dns":
            q = g.dns_query("host%d.example%d.jp" % (flows, flows % 50))
            w.add(g.eth(g.ipv4(cli[0], "192.0.2.53", 17,
                               g.udp(port, 53, q)), 0x0800))
            w.add(g.eth(g.ipv4("192.0.2.53", cli[0], 17,
                               g.udp(53, port, q[:2] + b"\x81\x80" + q[4:])),
                        0x0800))
            continue
        dport = {"http": 80, "tls": 443, "smtp": 25, "bulk": 5001}[k]
        c = Conv(w, cli, ("198.51.100.%d" % r.randrange(1, 255), dport))
        c.handshake()
        if k == "http":
            c.data(True, b"GET /page/%d/index.html HTTP/1.1\r\nHost: "
                   b"www.example.jp\r\nUser-Agent: bench\r\n\r\n" % flows)
            n = r.randrange(1, 24) * 1024
            off = r.randrange(len(text) - n)
            c.bulk(False, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n"
                   % n + text[off:off + n])
        elif k == "tls":
            c.data(True, g.tls_records(g.client_hello(
                "svc%d.example.jp" % (flows % 1000))))
            n = r.randrange(1, 16) * 1024
            off = r.randrange(len(blob) - n)
            c.bulk(False, b"\x17\x03\x03" + struct.pack("!H", 16000) +
                   blob[off:off + n])
        elif k == "smtp":
            c.data(False, b"220 mx.example.jp ESMTP\r\n")
            c.data(True, b"EHLO client.example.jp\r\n")
            c.data(False, b"250 ok\r\n")
            n = r.randrange(1, 16) * 1024
            off = r.randrange(len(text) - n)
            c.bulk(True, b"DATA\r\n" + text[off:off + n] + b"\r\n.\r\n")
        else:
            n = r.randrange(16, 192) * 1024
            off = r.randrange(len(blob) - n)
            c.bulk(True, blob[off:off + n])
        c.close()
    w.f.close()
    with open(rules, "w") as f:
        for i, wd in enumerate(words):
            f.write('alert tcp any any -> any any (msg:"bench %d"; '
                    'content:"%s"; content:"%s"; distance:0; sid:%d;)\n'
                    % (i, wd.decode(), wd[:4].decode(), 1000000 + i))
        f.write('alert http any any -> any any (msg:"uri"; http.uri; '
                'content:"/page/1234/"; sid:2000001;)\n')
        f.write('alert dns any any -> any any (msg:"q"; dns.query; '
                'content:"example7.jp"; sid:2000002;)\n')
        f.write('alert tls any any -> any any (msg:"sni"; tls.sni; '
                'content:"svc99.example.jp"; sid:2000003;)\n')
    print("%s: %d packets, %d bytes, %d flows" % (out, w.pkts, w.bytes,
                                                  flows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
