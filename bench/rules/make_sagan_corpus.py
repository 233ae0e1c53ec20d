#!/usr/bin/env python3
"""make_sagan_corpus.py — a log corpus for comparing seccloud with Sagan 1.2.

Writes lines in Sagan's FIFO format (the rsyslog template of
/usr/share/doc/sagan/examples/rsyslog.d: host|facility|priority|level|tag|
date|time|program|msg, message with rsyslog's leading space) to stdout.

Two parts:
  1. Lines derived from the enabled rules of a sagan.yaml: for each rule,
     its program (first alternative, globs filled in) and its positive
     contents in order, with the addresses parse_src_ip/parse_dst_ip look
     for; repeated (count + 1) times for after/threshold rules; rules with
     xbits isset come after the ones that set bits.  Variants drop the
     first content or break the program, as negatives.
  2. Realistic lines from tests/rules/*.log (the guideline test data),
     converted from syslog to the FIFO format.
Deterministic: the same input gives the same corpus.
"""
import re
import sys

OPT = re.compile(r'(\w[\w.-]*)\s*(?::\s*((?:[^;"\\]|\\.|"(?:[^"\\]|\\.)*")*))?;')


def options(rule):
    i = rule.find("(")
    j = rule.rfind(")")
    if i < 0 or j < 0:
        return []
    return [(m.group(1), (m.group(2) or "").strip()) for m in OPT.finditer(rule[i + 1:j] + ";")]


def unescape_content(v):
    neg = v.startswith("!")
    if neg:
        v = v[1:].strip()
    if len(v) < 2 or v[0] != '"' or v[-1] != '"':
        return None, neg
    v = v[1:-1]
    out, i, hexmode = [], 0, False
    while i < len(v):
        c = v[i]
        if c == "|":
            hexmode = not hexmode
            i += 1
            continue
        if hexmode:
            h = v[i:].split("|")[0]
            for b in h.split():
                try:
                    out.append(chr(int(b, 16)))
                except ValueError:
                    return None, neg
            i += len(h)
            continue
        if c == "\\" and i + 1 < len(v):
            i += 1
            c = v[i]
        out.append(c)
        i += 1
    s = "".join(out)
    if any(ord(ch) < 32 and ch not in "\t" for ch in s):
        return None, neg
    return s, neg


def rule_lines(path):
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.strip()
        if line.startswith(("alert", "drop")) and "sid" in line:
            yield line


def enabled_files(yaml):
    out = []
    rule_path = "/etc/sagan-rules"
    for line in open(yaml):
        m = re.match(r'\s*RULE_PATH:\s*"([^"]+)"', line)
        if m:
            rule_path = m.group(1)
        m = re.match(r"\s*-\s*\$RULE_PATH/(\S+\.rules)\s*$", line)
        if m:
            out.append(rule_path + "/" + m.group(1))
    return out


def fifo_line(host, fac, level, prog, msg, t="10:00:00"):
    return "%s|%s|%s|%s|%s|2026-11-22|%s|%s| %s" % (host, fac, level, level, prog, t, prog, msg)


def from_rules(files):
    early, late = [], []
    for f in files:
        for rule in rule_lines(f):
            opts = options(rule)
            kw = [k for k, _ in opts]
            contents = []
            prog = None
            fac = "auth"
            after = 0
            isset = False
            for k, v in opts:
                if k == "content":
                    s, neg = unescape_content(v)
                    if s is None:
                        contents = None
                        break
                    if not neg:
                        contents.append(s)
                elif k == "program" and prog is None:
                    prog = v.strip('"').split("|")[0].strip().replace("*", "")
                elif k == "facility":
                    fac = v.strip()
                elif k in ("after", "threshold"):
                    m = re.search(r"count\s+(\d+)", v)
                    if m:
                        after = max(after, int(m.group(1)))
                elif k == "xbits" and v.replace(" ", "").startswith("isset"):
                    isset = True
            if not contents or prog == "":
                continue
            prog = prog or "syslog"
            msg = " ".join(contents)
            if "parse_src_ip" in kw or "parse_dst_ip" in kw:
                msg += " from 203.0.113.5 to 198.51.100.7 port 4444"
            reps = min(after, 20) + 1 if after else 1
            dest = late if isset else early
            for _ in range(reps):
                dest.append(fifo_line("192.168.1.10", fac, "info", prog, msg))
            # negatives: wrong program; first content removed
            dest.append(fifo_line("192.168.1.10", fac, "info", prog + "-other", msg))
            if len(contents) > 1:
                dest.append(fifo_line("192.168.1.10", fac, "info", prog,
                                      " ".join(contents[1:]) + " from 203.0.113.5"))
    return early + late


SYSLOG = re.compile(r"^\w{3} +\d+ (\d\d:\d\d:\d\d) (\S+) ([^:\[ ]+)(?:\[\d+\])?: (.*)$")


def from_tests(paths):
    hosts = {}
    out = []
    for p in paths:
        for line in open(p, encoding="utf-8"):
            line = line.rstrip("\n")
            m = SYSLOG.match(line)
            if line.startswith("#") or not m:
                continue
            t, host, prog, msg = m.groups()
            ip = hosts.setdefault(host, "192.168.1.%d" % (20 + len(hosts)))
            out.append(fifo_line(ip, "auth", "info", prog, msg, t))
    return out


def main():
    yaml = sys.argv[1]
    tests = sys.argv[2:]
    lines = from_rules(enabled_files(yaml)) + from_tests(tests)
    sys.stdout.write("\n".join(lines) + "\n")


main()
