#!/usr/bin/env python3
"""compare_alerts.py SAGAN_ALERT_LOG CORPUS SECCLOUD_OUTPUT [CHECK_OUTPUT RULES...]

Compares Sagan's alert.log with `seccloud rules test` output over the same
corpus (Sagan FIFO format).  An alert is the pair (sid, message text);
both sides are multisets.  Prints agreement figures and the differences
grouped by sid (most frequent first).  With the output of `seccloud rules
check` and the rule files, each difference is explained where a known
cause applies: the rule was rejected by seccloud (and why), or it uses
xbits isset / after+threshold, where Sagan 1.2 is known to differ, or
Sagan raised more alerts for a `threshold: type limit` rule and tracked
address than the limit allows (the corpus is replayed well inside every
rule's window; Sagan's threshold table is shared by its threads without a
lock around check-and-count, so it over-fires under load).
"""
import collections
import re
import sys


def sagan_alerts(path):
    """(sid, message) multiset, and (sid, src, dst) counts."""
    out = collections.Counter()
    pairs = collections.Counter()
    sid = None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"\[\*\*\] \[\d+:(\d+)\]", line)
        if m:
            sid = int(m.group(1))
            continue
        m = re.match(r"\S+ \S+ (\S+?):\d+ -> (\S+?):\d+ ", line)
        if m and sid is not None:
            pairs[(sid, m.group(1), m.group(2))] += 1
            continue
        if line.startswith("Message: ") and sid is not None:
            out[(sid, line[len("Message: "):].rstrip("\n"))] += 1
            sid = None
    return out, pairs


def limits(files):
    """sid -> (count, track) of each `threshold: type limit` rule."""
    out = {}
    for f in files:
        for line in open(f, encoding="utf-8", errors="replace"):
            m = re.search(r"sid: *(\d+) *;", line)
            t = re.search(r"threshold: *([^;]*);", line)
            if not m or not t or line.lstrip().startswith("#"):
                continue
            opts = t.group(1)
            c = re.search(r"count +(\d+)", opts)
            if "type limit" in opts and c:
                track = "by_dst" if "by_dst" in opts else "by_src"
                out[int(m.group(1))] = (int(c.group(1)), track)
    return out


def over_limit(pairs, lims):
    """sids for which Sagan raised more than the limit for one address."""
    per = collections.Counter()
    for (sid, src, dst), c in pairs.items():
        if sid in lims:
            per[(sid, dst if lims[sid][1] == "by_dst" else src)] += c
    return {sid for (sid, _), c in per.items() if c > lims[sid][0]}


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


def rule_causes(check_out, files):
    why = {}
    for line in open(check_out, encoding="utf-8", errors="replace"):
        m = re.match(r"\S+:\d+: sid (\d+): (.*)$", line)
        if m:
            why[int(m.group(1))] = "rejected: " + m.group(2)
    for f in files:
        for line in open(f, encoding="utf-8", errors="replace"):
            m = re.search(r"sid: *(\d+) *;", line)
            if not m or line.lstrip().startswith("#"):
                continue
            sid = int(m.group(1))
            if sid in why:
                continue
            if re.search(r"xbits: *isset", line):
                why[sid] = "xbits isset (Sagan 1.2 does not fire isset by_src after set,NAME,EXPIRE)"
            elif re.search(r"facility:", line) and re.search(r"program:", line):
                why[sid] = "facility with program (Sagan 1.2 ignores the program then)"
            elif "after:" in line and "threshold:" in line:
                why[sid] = "after + threshold (Sagan 1.2 ignores the threshold)"
    return why


def main():
    why = rule_causes(sys.argv[4], sys.argv[5:]) if len(sys.argv) > 4 else {}
    s, pairs = sagan_alerts(sys.argv[1])
    if len(sys.argv) > 5:
        for sid in over_limit(pairs, limits(sys.argv[5:])):
            why.setdefault(sid, "Sagan over its own threshold limit (unlocked threshold table, races between its threads)")
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
        causes = collections.Counter()
        for (sid, msg), c in diff.items():
            by[sid] += c
            ex.setdefault(sid, msg)
            causes[why.get(sid, "unexplained").split(":")[0]] += c
        print("%s by cause: %s" % (name, ", ".join("%s %d" % kv for kv in causes.most_common())))
        for sid, c in by.most_common(60):
            print("  %s sid %d: %d [%s] e.g. %s" % (name, sid, c, why.get(sid, "unexplained"), ex[sid][:80]))


main()
