#!/bin/sh
# packet_rules.sh — the bundled packet rule set (rules/sets/packet/) against
# the demo capture (samples/make-demo-pcap.py writes it with a positive and
# a negative case per rule, and the expected count per sid).
# Expect: `seccloud rules check -p` loads every rule; `seccloud rules test`
# over the capture raises exactly the expected alerts, sid by sid, and no
# other sid.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/itest.sh"
itest_setup
rules="$top_srcdir/rules/sets/packet/gl-packet.rules"

out=$("$SECCLOUD" rules check -p "$rules" 2>&1)
ok $? "the packet set loads"
like "$out" "rules: ([0-9]+) read, \1 loaded, 0 rejected" "no rule rejected"

python3 "$top_srcdir/samples/make-demo-pcap.py" "$T/demo.pcap"
ok $? "demo capture generated"
"$SECCLOUD" rules test "$rules" "$T/demo.pcap" >"$T/eve.json" 2>"$T/err"
ok $? "rules test over the capture"
python3 - "$T/eve.json" "$T/demo.pcap.expected" >"$T/cmp" <<'PY'
import collections, json, sys
got = collections.Counter(json.loads(l)["alert"]["signature_id"]
                          for l in open(sys.argv[1]) if l.startswith("{"))
want = {int(a): int(b) for a, b in (l.split() for l in open(sys.argv[2]))}
for sid in sorted(set(got) | set(want)):
    print(sid, want.get(sid, 0), got.get(sid, 0))
PY
while read -r sid want got; do
	is "$got" "$want" "sid $sid: $want alert(s)"
done <"$T/cmp"
[ -s "$T/cmp" ]
ok $? "the comparison ran"
cmp -s "$T/demo.pcap" "$top_srcdir/samples/demo.pcap"
ok $? "samples/demo.pcap is what make-demo-pcap.py writes"
done_testing
