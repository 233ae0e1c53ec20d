#!/usr/bin/env python3
"""pcapgen.py — hand-made capture files for the sensor's tests.

Writes classic libpcap files (microsecond, little-endian) built from
scratch with the standard library only.  Each scenario is a small TCP/UDP
conversation exercising one decoder or reassembly edge case; with
--cases, each also gets test.rules and expected.tsv in the layout of
../shared/conformance/suricata-verify (see its README), so the same
conformance runner checks the exact alerts.

usage: pcapgen.py OUTDIR [SCENARIO...]     (default: all scenarios)
       pcapgen.py --list
"""
import os
import struct
import sys

LINK_ETH, LINK_NULL, LINK_RAW, LINK_SLL, LINK_SLL2 = 1, 0, 101, 113, 276


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ip6(a):
    import ipaddress
    return ipaddress.IPv6Address(a).packed


class Pcap:
    def __init__(self, link=LINK_ETH):
        self.link = link
        self.recs = []
        self.t = 1700000000.0

    def add(self, frame, dt=0.001):
        self.t += dt
        self.recs.append((self.t, frame))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0,
                                65535, self.link))
            for t, fr in self.recs:
                sec = int(t)
                usec = int(round((t - sec) * 1e6))
                f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)))
                f.write(fr)


def eth(payload, etype, vlans=()):
    hdr = b"\x00\x11\x22\x33\x44\x55" + b"\x66\x77\x88\x99\xaa\xbb"
    tags = b""
    types = [0x88A8 if (len(vlans) > 1 and i == 0) else 0x8100
             for i in range(len(vlans))]
    for i, v in enumerate(vlans):
        tags += struct.pack("!H", types[i]) if i == 0 else b""
        nxt = types[i + 1] if i + 1 < len(vlans) else etype
        tags += struct.pack("!HH", v, nxt)
    if vlans:
        return hdr + tags + payload
    return hdr + struct.pack("!H", etype) + payload


def ipv4(src, dst, proto, payload, ident=1, frag=0, opts=b""):
    hl = 20 + len(opts)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | (hl // 4), 0, hl + len(payload),
                    ident, frag, 64, proto, 0, ip4(src), ip4(dst)) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, ext=b""):
    return struct.pack("!IHBB16s16s", 0x60000000, len(ext) + len(payload),
                       nh, 64, ip6(src), ip6(dst)) + ext + payload


def tcp(sp, dp, seq, ack, flags, data=b""):
    return struct.pack("!HHIIBBHHH", sp, dp, seq & 0xFFFFFFFF,
                       ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0) + data


def udp(sp, dp, data):
    return struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data


FIN, SYN, RST, PSH, ACK = 1, 2, 4, 8, 16


class Conv:
    """A TCP conversation; frames go to a Pcap through `wrap`."""

    def __init__(self, pc, cli=("10.0.0.1", 40000), srv=("192.0.2.80", 80),
                 v6=False, vlans=(), link=LINK_ETH):
        self.pc, self.cli, self.srv = pc, cli, srv
        self.v6, self.vlans, self.link = v6, vlans, link
        self.cseq, self.sseq = 1000, 5000

    def frame(self, to_server, seg):
        s, d = (self.cli, self.srv) if to_server else (self.srv, self.cli)
        if self.v6:
            ip = ipv6(s[0], d[0], 6, seg)
            et = 0x86DD
        else:
            ip = ipv4(s[0], d[0], 6, seg)
            et = 0x0800
        return wrap(self.link, ip, et, self.vlans)

    def send(self, to_server, flags, data=b"", seq=None):
        if to_server:
            sq = self.cseq if seq is None else seq
            seg = tcp(self.cli[1], self.srv[1], sq, self.sseq, flags, data)
        else:
            sq = self.sseq if seq is None else seq
            seg = tcp(self.srv[1], self.cli[1], sq, self.cseq, flags, data)
        self.pc.add(self.frame(to_server, seg))

    def handshake(self):
        self.send(True, SYN)
        self.cseq += 1
        self.send(False, SYN | ACK)
        self.sseq += 1
        self.send(True, ACK)

    def data(self, to_server, data, flags=PSH | ACK):
        self.send(to_server, flags, data)
        if to_server:
            self.cseq += len(data)
        else:
            self.sseq += len(data)

    def close(self):
        self.send(True, FIN | ACK)
        self.cseq += 1
        self.send(False, FIN | ACK)
        self.sseq += 1
        self.send(True, ACK)


def wrap(link, ip, etype, vlans=()):
    if link == LINK_ETH:
        return eth(ip, etype, vlans)
    if link == LINK_NULL:
        return struct.pack("<I", 2 if etype == 0x0800 else 30) + ip
    if link == LINK_RAW:
        return ip
    if link == LINK_SLL:
        return struct.pack("!HHH8sH", 0, 1, 6, b"\x00" * 8, etype) + ip
    if link == LINK_SLL2:
        return struct.pack("!HHIHBB8s", etype, 0, 2, 1, 0, 6,
                           b"\x00" * 8) + ip
    raise ValueError(link)


def dns_query(name, qid=0x1234):
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + \
        b"\x00\x00\x01\x00\x01"


def client_hello(sni):
    name = sni.encode()
    sn = struct.pack("!HBH", len(name) + 3, 0, len(name)) + name
    ext = struct.pack("!HH", 0, len(sn)) + sn
    ext += struct.pack("!HH", 10, 4) + b"\x00\x02\x00\x17"
    body = b"\x03\x03" + b"\x11" * 32 + b"\x00" + b"\x00\x04\x13\x01\x13\x02"
    body += b"\x01\x00" + struct.pack("!H", len(ext)) + ext
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


def tls_records(hs, split=None):
    """Handshake bytes as TLS records, optionally split at `split`."""
    parts = [hs] if split is None else [hs[:split], hs[split:]]
    return b"".join(b"\x16\x03\x01" + struct.pack("!H", len(p)) + p
                    for p in parts)


GET = (b"GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n"
       b"User-Agent: pcapgen\r\n\r\n")

SCENARIOS = {}


def scenario(rules, expected, midstream=False):
    def deco(fn):
        SCENARIOS[fn.__name__] = (fn, rules, expected, midstream)
        return fn
    return deco


@scenario('alert tcp any any -> any 80 (msg:"evil"; content:"EVILTHING"; '
          'sid:1;)\nalert http any any -> any any (msg:"uri"; http.uri; '
          'content:"/index.html"; sid:2;)\n',
          "1\t1\tpcap_cnt=6\n2\t1\n")
def overlap(pc):
    """Overlapping segments: the first data wins (EVILTHING is sent first,
    then overwritten by a retransmission with other bytes)."""
    c = Conv(pc)
    c.handshake()
    c.data(True, GET)
    c.data(False, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    base = c.cseq
    c.send(True, PSH | ACK, b"xxEVILTHINGyy", seq=base)       # pkt 6
    c.send(True, PSH | ACK, b"xxGOODTHINGyy", seq=base)       # retrans
    c.send(True, PSH | ACK, b"yyGOODTHINGzz", seq=base + 2)   # overlap
    c.cseq = base + 13
    c.close()


@scenario('alert tcp any any -> any 80 (msg:"split"; content:"SPLITWORD"; '
          'sid:1;)\n', "1\t1\tpcap_cnt=6\n")
def out_of_order(pc):
    """SPLITWORD arrives in three segments, the last one first; the alert
    is raised on the packet that completes it in order."""
    c = Conv(pc)
    c.handshake()
    b = c.cseq
    c.send(True, PSH | ACK, b"WORD!", seq=b + 7)        # 4: ahead
    c.send(True, PSH | ACK, b"..SPL", seq=b)            # 5: in order
    c.send(True, PSH | ACK, b"IT", seq=b + 5)           # 6: fills hole
    c.cseq = b + 12
    c.close()


@scenario('alert tcp any any -> any 80 (msg:"dup"; content:"ONCEONLY"; '
          'sid:1;)\n', "1\t1\n")
def retransmit(pc):
    """A retransmitted segment must not raise a second stream alert...
    but it is still a packet carrying the bytes: Suricata alerts once per
    packet; the retransmission is dropped before packet inspection here
    and in Suricata alike."""
    c = Conv(pc)
    c.handshake()
    b = c.cseq
    c.send(True, PSH | ACK, b"--ONCEONLY--", seq=b)
    c.send(True, PSH | ACK, b"--ONCEONLY--", seq=b)
    c.cseq = b + 12
    c.close()


@scenario('alert tls any any -> any any (msg:"sni"; tls.sni; '
          'content:"split.example.org"; sid:1;)\n', "1\t1\n")
def sni_split(pc):
    """A ClientHello over two records and three TCP segments."""
    c = Conv(pc, srv=("192.0.2.44", 443))
    c.handshake()
    recs = tls_records(client_hello("split.example.org"), split=40)
    c.data(True, recs[:10])
    c.data(True, recs[10:60])
    c.data(True, recs[60:])
    c.close()


@scenario('alert http any any -> any any (msg:"host"; http.host; '
          'content:"www.example.com"; sid:1;)\n', "1\t1\n")
def vlan(pc):
    c = Conv(pc, vlans=(100,))
    c.handshake()
    c.data(True, GET)
    c.close()


@scenario('alert http any any -> any any (msg:"ua"; http.user_agent; '
          'content:"pcapgen"; sid:1;)\n', "1\t1\n")
def qinq(pc):
    c = Conv(pc, vlans=(10, 20))
    c.handshake()
    c.data(True, GET)
    c.close()


@scenario('alert http any any -> any any (msg:"v6"; http.uri; '
          'content:"/index.html"; sid:1;)\n', "1\t1\n")
def ipv6_http(pc):
    c = Conv(pc, cli=("2001:db8::1", 40000), srv=("2001:db8::80", 80),
             v6=True)
    c.handshake()
    c.data(True, GET)
    c.close()


@scenario('alert dns any any -> any any (msg:"q"; dns.query; '
          'content:"fragmented.example"; sid:1;)\n', "1\t1\tpcap_cnt=2\n")
def frag4(pc):
    """A DNS query in two IPv4 fragments, the second sent first."""
    msg = dns_query("a-long-label-to-need-space.fragmented.example")
    seg = udp(5353, 53, msg)
    seg = seg[:6] + b"\0\0" + seg[8:]
    first, second = seg[:24], seg[24:]
    pc.add(eth(ipv4("10.0.0.1", "10.0.0.53", 17, second, ident=7,
                    frag=3), 0x0800))
    pc.add(eth(ipv4("10.0.0.1", "10.0.0.53", 17, first, ident=7,
                    frag=0x2000), 0x0800))


@scenario('alert dns any any -> any any (msg:"q6"; dns.query; '
          'content:"six.example"; sid:1;)\n', "1\t1\tpcap_cnt=2\n")
def frag6(pc):
    msg = dns_query("v6-fragmented-query.six.example")
    seg = udp(5353, 53, msg)
    first, second = seg[:16], seg[16:]

    def fh(off, more):
        return struct.pack("!BBHI", 17, 0, off | more, 0xabcd)
    pc.add(eth(ipv6("2001:db8::1", "2001:db8::53", 44, fh(16, 0) + second),
               0x86DD))
    pc.add(eth(ipv6("2001:db8::1", "2001:db8::53", 44, fh(0, 1) + first),
               0x86DD))


@scenario('alert http any any -> any any (msg:"pipe"; http.uri; '
          'content:"/p"; sid:1;)\n', "1\t3\n")
def pipelined(pc):
    c = Conv(pc)
    c.handshake()
    c.data(True, b"GET /p1 HTTP/1.1\r\nHost: a\r\n\r\n"
           b"POST /p2 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
           b"GET /p3 HTTP/1.1\r\nHost: a\r\n\r\n")
    c.close()


@scenario('alert dns any any -> any any (msg:"tcpdns"; dns.query; '
          'content:"tcp.example"; sid:1;)\n', "1\t1\n")
def dns_tcp(pc):
    c = Conv(pc, srv=("192.0.2.53", 53))
    c.handshake()
    q = dns_query("over.tcp.example")
    m = struct.pack("!H", len(q)) + q
    c.data(True, m[:7])
    c.data(True, m[7:])
    c.close()


@scenario('alert http any any -> any any (msg:"404"; http.stat_code; '
          'content:"404"; sid:1;)\n'
          'alert http any any -> any any (msg:"exe"; http.content_type; '
          'content:"application/x-msdownload"; sid:2;)\n'
          'alert http any any -> any any (msg:"get"; http.method; '
          'content:"GET"; sid:3;)\n'
          'alert http any any -> any any (msg:"msg"; http.stat_msg; '
          'content:"not found"; nocase; sid:4;)\n'
          'alert http any any -> any any (msg:"200"; content:"200"; '
          'http_stat_code; sid:5;)\n'
          'alert http any any -> any any (msg:"500"; content:"500"; '
          'http_stat_code; sid:6;)\n'
          'alert http any any -> any any (msg:"uri"; http.uri; '
          'content:"404"; sid:7;)\n',
          "1\t1\tpcap_cnt=5;src_port=80\n1\t1\n"
          "2\t1\tpcap_cnt=7;src_port=80\n2\t1\n"
          "3\t2\tsrc_port=40000\n3\t0\tsrc_port=80\n"
          "4\t1\tpcap_cnt=5\n4\t1\n5\t1\tpcap_cnt=7\n5\t1\n"
          "6\t0\n7\t1\tpcap_cnt=4\n7\t1\n")
def http_response(pc):
    """Two requests and their responses: response buffers (status code and
    message, Content-Type) fire once on the response, request buffers only
    on the request, and "404" in a URI is not a status code."""
    c = Conv(pc)
    c.handshake()
    c.data(True, b"GET /404/missing.exe HTTP/1.1\r\nHost: a\r\n\r\n")
    c.data(False, b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n"
           b"Content-Length: 5\r\n\r\nnope!")
    c.data(True, b"GET /setup.exe HTTP/1.1\r\nHost: a\r\n\r\n")
    c.data(False, b"HTTP/1.1 200 OK\r\n"
           b"Content-Type: application/x-msdownload\r\n"
           b"Content-Length: 4\r\n\r\nMZ\x90\x00")
    c.close()


def link_scenario(link):
    def fn(pc):
        pc.link = link
        c = Conv(pc, link=link)
        c.handshake()
        c.data(True, GET)
        c.close()
    return fn


for _name, _link in (("link_null", LINK_NULL), ("link_raw", LINK_RAW),
                     ("link_sll", LINK_SLL), ("link_sll2", LINK_SLL2)):
    SCENARIOS[_name] = (link_scenario(_link),
                        'alert http any any -> any any (msg:"m"; '
                        'http.method; content:"GET"; sid:1;)\n',
                        "1\t1\n", False)


@scenario('alert tcp any any -> any any (msg:"mid"; content:"MIDDLE"; '
          'flow:established; sid:1;)\n', "1\t1\n", midstream=True)
def midstream(pc):
    c = Conv(pc)
    c.data(True, b"in the MIDDLE of things")
    c.data(False, b"ok")


def main(argv):
    if len(argv) > 1 and argv[1] == "--list":
        print("\n".join(SCENARIOS))
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    names = argv[2:] or list(SCENARIOS)
    for n in names:
        fn, rules, expected, mid = SCENARIOS[n]
        d = os.path.join(out, n)
        os.makedirs(d, exist_ok=True)
        pc = Pcap()
        fn(pc)
        pc.write(os.path.join(d, "input.pcap"))
        with open(os.path.join(d, "test.rules"), "w") as f:
            f.write(rules)
        with open(os.path.join(d, "expected.tsv"), "w") as f:
            f.write("#sid\tcount\tmatch\n" + expected)
        with open(os.path.join(d, "meta.tsv"), "w") as f:
            f.write("midstream\t%s\nlinktype\t%d\n" %
                    ("true" if mid else "false", pc.link))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
