#!/bin/sh
# collector_policy.sh — firewall lines judged against the three-tier flow
# matrix.  The test policy's 団体 242501 (αモデル) has its LGWAN tier in
# 10.11.16.0/20; loopback is its FortiGate.  A FortiGate line showing an
# LGWAN host reaching the internet directly is a violation.
# Expect: a policy alert (gid 3, origin policy) for 団体 242501 whose
# archive ref gives back the FortiGate line (GL-SEP-02, S1); an allowed
# flow inside the I tier raises nothing.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

cat >"$T/policy.conf" <<'X'
prefecture "テスト県" {
	code 240001
	model alpha
}
municipality "テスト市" {
	code 242501
	type city
	model alpha
	tier L 10.11.16.0/20
	tier I 127.0.0.0/8
	source lo-fw 127.0.0.1 type fortigate interval 15m
}
X
start_collector --listen tcp:127.0.0.1:0
ok $? "collector ready"
logger -n 127.0.0.1 -P "$TCP_PORT" -T --rfc3164 -p local7.notice \
    'date=2026-11-22 time=17:53:26 devname="lo-fw" type="traffic" srcip=10.11.16.5 srcport=51000 dstip=198.51.100.7 dstport=443 proto=6 action="accept" POLICY-BAD'
logger -n 127.0.0.1 -P "$TCP_PORT" -T --rfc3164 -p local7.notice \
    'date=2026-11-22 time=17:53:27 devname="lo-fw" type="traffic" srcip=127.0.0.9 srcport=51001 dstip=127.0.0.20 dstport=443 proto=6 action="accept" POLICY-OK'
wait_for 10 archive_has POLICY-OK
ok $? "both lines archived"
wait_for 10 counter_at_least stored/events 2
sql() { sqlite3 "$T/data/seccloud.db" "$1"; }
has_policy_alert() { [ "$(sql "SELECT count(*) FROM alerts WHERE gid = 3")" -ge 1 ]; }
wait_for 10 has_policy_alert
ok $? "a policy alert is raised"
is "$(sql "SELECT count(*) FROM alerts WHERE gid = 3")" 1 "exactly one (the allowed flow raised none)"
row=$(sql "SELECT origin, muni, archive_segment, archive_record FROM alerts WHERE gid = 3" | tr '|' ' ')
set -- $row
is "$1 $2" "policy 242501" "origin policy, 団体 242501"
like "$("$SECCLOUD" archive -d "$T/data" show "$3" "$4")" 'srcip=10\.11\.16\.5 .*POLICY-BAD$' \
    "its archive ref gives back the firewall line"
is "$(sql "SELECT usecase || ' ' || severity FROM alert_groups WHERE gid = 3")" "GL-SEP-02 1" \
    "grouped under GL-SEP-02, S1"
stop_collector
ok $? "clean stop"
done_testing
