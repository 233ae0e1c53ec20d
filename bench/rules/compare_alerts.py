#!/usr/bin/env python3
"""compare_alerts.py SAGAN_ALERT_LOG CORPUS SECCLOUD_OUTPUT

Compares Sagan's alert.log with `seccloud rules test` output over the same
corpus (Sagan FIFO format).  An alert is the pair (sid, message text);
both sides are multisets.  Prints agreement figures and the differences
grouped by sid (most frequent first).
"""
import collections
import re
import sys


def sagan_alerts(path):
    out = collections.Counter()
    sid = None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"\[\*\*\] \[\d+:(\d+)\]", line)
        if m:
            sid = int(m.group(1))
            continue
        if line.startswith("Message: ") and sid is not None:
            out[(sid, line[len("Message: "):].rstrip("\n"))] += 1
            sid = None
    return out


def corpus_messages(path):
    msgs = {}
    for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
        parts = line.rstrip("\n").split("|", 8)
        if len(parts) == 9:
            msgs[n] = parts[8]
    return msgs


def ours(path, msgs):
    out = collections.Counter()
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"(\d+): sid (\d+) ", line)
        if m:
            out[(int(m.group(2)), msgs.get(int(m.group(1)), "?"))] += 1
    return out


def main():
    s = sagan_alerts(sys.argv[1])
    o = ours(sys.argv[3], corpus_messages(sys.argv[2]))
    common = s & o
    missing = s - o
    extra = o - s
    ns, no, nc = sum(s.values()), sum(o.values()), sum(common.values())
    print("sagan alerts: %d, seccloud alerts: %d" % (ns, no))
    print("reproduced: %d of %d (%.1f%%)" % (nc, ns, 100.0 * nc / ns if ns else 0))
    print("extra (seccloud only): %d" % sum(extra.values()))
    for name, diff in (("missing", missing), ("extra", extra)):
        by = collections.Counter()
        ex = {}
        for (sid, msg), c in diff.items():
            by[sid] += c
            ex.setdefault(sid, msg)
        for sid, c in by.most_common(40):
            print("%s sid %d: %d  e.g. %s" % (name, sid, c, ex[sid][:110]))


main()
