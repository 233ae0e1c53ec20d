#!/usr/bin/env python3
"""make_bench_corpus.py N [ATTACK_LOG...] — a benchmark corpus of N log lines
in Sagan's FIFO format: everyday traffic of a municipal segment (sshd,
postfix, dovecot, squid, nginx, BIND, sudo, Cisco ASA, FortiGate, kernel
firewall) with about 2% of lines taken from the attack test data given
(tests/rules/gl-*.log).  Deterministic (fixed seed)."""
import random
import re
import sys

R = random.Random(20261122)


def ip_in():
    return "10.20.%d.%d" % (R.randint(1, 40), R.randint(2, 250))


def ip_out():
    return "198.51.100.%d" % R.randint(1, 254) if R.random() < .5 else "203.0.113.%d" % R.randint(1, 254)


USERS = ["tanaka", "suzuki", "sato", "takahashi", "watanabe", "ito", "yamamoto", "nakamura", "kobayashi", "kato"]
SITES = ["www.example.org", "news.example.com", "docs.example.net", "cdn.example.com", "api.example.org"]


def line(host, prog, msg, fac="daemon"):
    return "%s|%s|info|info|%s|2026-11-22|10:00:00|%s| %s" % (host, fac, prog, prog, msg)


def everyday():
    k = R.randint(0, 13)
    u = R.choice(USERS)
    if k == 0:
        return line("10.0.0.21", "sshd", "Accepted publickey for %s from %s port %d ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4" % (u, ip_in(), R.randint(30000, 60000)), "auth")
    if k == 1:
        return line("10.0.0.21", "sshd", "pam_unix(sshd:session): session opened for user %s(uid=1001) by (uid=0)" % u, "authpriv")
    if k == 2:
        return line("10.0.0.25", "postfix/smtpd", "connect from unknown[%s]" % ip_out(), "mail")
    if k == 3:
        return line("10.0.0.25", "postfix/qmgr", "%X: from=<%s@city.example.lg.jp>, size=%d, nrcpt=%d (queue active)" % (R.getrandbits(40), u, R.randint(900, 90000), R.randint(1, 5)), "mail")
    if k == 4:
        return line("10.0.0.25", "postfix/smtp", "%X: to=<info@example.co.jp>, relay=mx.example.co.jp[198.51.100.60]:25, delay=0.8, delays=0.1/0/0.3/0.4, dsn=2.0.0, status=sent (250 ok)" % R.getrandbits(40), "mail")
    if k == 5:
        return line("10.0.0.25", "dovecot", "imap-login: Login: user=<%s>, method=PLAIN, rip=%s, lip=10.0.0.25, mpid=%d, TLS" % (u, ip_in(), R.randint(1000, 9999)), "mail")
    if k == 6:
        return line("10.0.0.30", "squid", "1763775000.%03d %6d %s TCP_MISS/200 %d GET http://%s/index.html - HIER_DIRECT/%s text/html" % (R.randint(0, 999), R.randint(5, 900), ip_in(), R.randint(500, 90000), R.choice(SITES), ip_out()))
    if k == 7:
        return line("10.0.0.30", "squid", "1763775000.%03d %6d %s TCP_TUNNEL/200 %d CONNECT %s:443 - HIER_DIRECT/%s -" % (R.randint(0, 999), R.randint(50, 90000), ip_in(), R.randint(500, 900000), R.choice(SITES), ip_out()))
    if k == 8:
        return line("10.0.0.80", "nginx", "%s - - [22/Nov/2026:10:00:00 +0900] \"GET /kurashi/page%d.html HTTP/1.1\" 200 %d \"https://www.city.example.lg.jp/\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\"" % (ip_out(), R.randint(1, 999), R.randint(900, 90000)), "local7")
    if k == 9:
        q = "%s.example.%s" % (R.choice(["www", "mail", "api", "cdn"]), R.choice(["org", "com", "net"]))
        return line("10.0.0.53", "named", "client @0x7f3a1c0e2b68 %s#%d (%s): query: %s IN %s + (10.0.0.53)" % (ip_in(), R.randint(1024, 65535), q, q, R.choice(["A", "AAAA", "MX"])))
    if k == 10:
        return line("10.0.0.21", "sudo", "%s : TTY=pts/0 ; PWD=/home/%s ; USER=root ; COMMAND=/usr/bin/systemctl status nginx" % (u, u), "authpriv")
    if k == 11:
        return line("10.0.0.1", "%ASA-6-302013", "Built outbound TCP connection %d for outside:%s/443 (%s/443) to inside:%s/%d (%s/%d)" % (R.randint(1, 1 << 30), ip_out(), ip_out(), ip_in(), R.randint(30000, 60000), ip_in(), R.randint(30000, 60000)), "local4")
    if k == 12:
        return line("10.0.0.2", "FGT-SC01", 'date=2026-11-22 time=10:00:00 devname="FGT-SC01" devid="FG100FTK00000001" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=%s srcport=%d srcintf="lan" dstip=%s dstport=443 dstintf="wan1" policyid=20 policyname="LAN-to-Internet" proto=6 action="close" service="HTTPS" duration=%d sentbyte=%d rcvdbyte=%d' % (ip_in(), R.randint(30000, 60000), ip_out(), R.randint(1, 900), R.randint(500, 900000), R.randint(500, 9000000)), "local7")
    return line("10.0.0.21", "kernel", "[UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55 SRC=%s DST=10.0.0.21 LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=0 DF PROTO=TCP SPT=%d DPT=23 WINDOW=64240 RES=0x00 SYN URGP=0" % (ip_out(), R.randint(1024, 65535)), "kern")


SYSLOG = re.compile(r"^\w{3} +\d+ \d\d:\d\d:\d\d \S+ ([^:\[ ]+)(?:\[\d+\])?: (.*)$")


def attacks(paths):
    out = []
    for p in paths:
        for l in open(p, encoding="utf-8"):
            m = SYSLOG.match(l.rstrip("\n"))
            if m and not l.startswith("#"):
                out.append(line("10.0.0.99", m.group(1), m.group(2), "auth"))
    return out


def main():
    n = int(sys.argv[1])
    att = attacks(sys.argv[2:])
    out = []
    for _ in range(n):
        out.append(R.choice(att) if att and R.random() < 0.02 else everyday())
    sys.stdout.write("\n".join(out) + "\n")


main()
