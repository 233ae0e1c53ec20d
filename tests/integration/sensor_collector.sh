#!/bin/sh
# sensor_collector.sh — a sensor's alerts reach the collector and are stored
# as packet alerts with packet evidence.
# Expect: `seccloud sensor -r samples/demo.pcap -S` sends every alert of the
# bundled packet set to a running collector; the store then holds exactly
# as many packet alerts, per sid, as samples/demo.pcap.expected says, each
# with the 団体 the example policy gives, a payload excerpt as evidence, and
# an archive reference; the archive verifies.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/itest.sh"
itest_setup
chmod 0755 "$T"
mkdir -p "$T/data"
user=
[ "$(id -u)" -eq 0 ] && user="--user nobody"

# shellcheck disable=SC2086
itest_start col "$SECCLOUD" collector -d "$T/data" $user \
    --listen tcp:127.0.0.1:0
line=$(itest_wait col 'collector ready')
ok $? "collector ready"
port=$(itest_field "$line" tcp)

"$SECCLOUD" sensor -r "$top_srcdir/samples/demo.pcap" -S "127.0.0.1:$port" \
    --policy "$top_srcdir/policies/example/policy.conf" -u nobody >"$T/sensor.out" 2>&1
ok $? "the sensor read the demo capture and delivered its alerts"

want=$(awk '{n += $2} END {print n}' "$top_srcdir/samples/demo.pcap.expected")
count() {
	sqlite3 "$T/data/seccloud.db" \
	    "SELECT count(*) FROM alerts WHERE origin = 'packet'" 2>/dev/null
}
# The capture's municipal client talks to the internet directly, so the
# sensor's policy also reports flow-matrix verdicts (origin policy).
itest_poll 20 sh -c "[ \"\$(sqlite3 '$T/data/seccloud.db' \"SELECT count(*) FROM alerts WHERE origin='packet'\" 2>/dev/null)\" -ge $want ]"
is "$(count)" "$want" "$want packet alerts stored"
while read -r sid n; do
	got=$(sqlite3 "$T/data/seccloud.db" \
	    "SELECT count(*) FROM alerts WHERE origin='packet' AND sid=$sid")
	is "$got" "$n" "sid $sid: $n"
done <"$top_srcdir/samples/demo.pcap.expected"
is "$(sqlite3 "$T/data/seccloud.db" "SELECT count(*) FROM alerts WHERE \
    origin='packet' AND (evidence IS NULL OR length(evidence) = 0)")" 0 \
    "every packet alert carries a payload excerpt"
is "$(sqlite3 "$T/data/seccloud.db" "SELECT count(*) FROM alerts WHERE \
    origin='packet' AND archive_segment IS NULL")" 0 \
    "every packet alert points into the archive"
n=$(sqlite3 "$T/data/seccloud.db" "SELECT count(*) FROM alerts a JOIN \
    alert_groups g ON g.id = a.group_id WHERE a.origin = 'policy' AND \
    g.usecase LIKE 'GL-SEP-%' AND a.muni = '242501'")
[ "$n" -gt 0 ]
ok $? "the sensor's flow-matrix verdicts are policy alerts of 架空中央市 ($n)"
is "$(sqlite3 "$T/data/seccloud.db" "SELECT DISTINCT muni FROM alerts WHERE \
    sid = 9100001")" 242501 "the HTTP Basic alert belongs to 架空中央市"
is "$(sqlite3 "$T/data/seccloud.db" "SELECT hex(evidence) FROM alerts \
    WHERE sid = 9100002")" 504153532068756E746572320D0A \
    "the FTP alert's evidence is the packet payload (PASS hunter2 CRLF)"

itest_poll 10 sh -c "sqlite3 '$T/data/seccloud.db' \"SELECT name FROM municipalities WHERE code='242501'\" | grep -q ."
is "$(sqlite3 "$T/data/seccloud.db" "SELECT name FROM municipalities WHERE \
    code = '242501'")" "架空中央市" "the policy's 団体 names are in the store"

itest_stop col TERM
is "$?" 0 "collector stops cleanly"
"$SECCLOUD" archive verify -d "$T/data" >"$T/verify.out" 2>&1
ok $? "the archive verifies"
done_testing
