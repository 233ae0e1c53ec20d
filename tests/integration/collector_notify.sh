#!/bin/sh
# collector_notify.sh — notifications from the collector to a REAL local
# webhook receiver (tests/integration/webhook_receiver.py, python3's
# http.server), along the policy's route for the 団体.
# Expect:
# - 10000 FortiGate lines of one forbidden flow (GL-SEP-02, S1) in one
#   group
#   give exactly ONE webhook POST with the rule, 団体, severity and group
#   id; the receiver's first answer is 500, so it is retried, and the
#   notification log says ok after 2 attempts;
# - the group closed and fired again is notified again ("reopened");
# - with the receiver gone, ingestion goes on (lines archived, alerts
#   stored) and the failure is recorded in the notification log and the
#   counters; the monthly report shows the notification time;
# - SIGHUP with a new route and notify-options: what was queued before
#   is delivered or failed once (not lost), new groups use the new route.
# The route takes S1 only: the S2 clock-skew alert the fixed FortiGate
# date raises is not notified, so every POST here is of the flow.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

RECV="${top_srcdir:-.}/tests/integration/webhook_receiver.py"
python3 "$RECV" "$T/port" "$T/hook.log" 1 &
RPID=$!
EXTRA_PIDS=$RPID
wait_for 10 test -s "$T/port"
ok $? "webhook receiver listening"
HPORT=$(cat "$T/port")

cat >"$T/policy.conf" <<X
prefecture "テスト県" {
	code 240001
	model alpha
}
notify-options {
	attempts 3
	backoff 1s
	max-backoff 1s
	timeout 5s
}
municipality "テスト市" {
	code 242501
	type city
	model alpha
	tier L 10.11.16.0/20
	tier I 127.0.0.0/8
	source lo-fw 127.0.0.1 type fortigate interval 15m
	notify S1 webhook "http://127.0.0.1:$HPORT/242501"
}
X
start_collector --listen tcp:127.0.0.1:0
ok $? "collector ready"

sql() { sqlite3 -cmd ".timeout 5000" "$T/data/seccloud.db" "$1"; }
# flow SRC N TAG : N FortiGate lines of one forbidden flow (L -> internet)
flow() {
	awk -v src="$1" -v n="$2" -v tag="$3" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "date=2026-11-22 time=17:53:26 devname=\"lo-fw\" type=\"traffic\" srcip=%s srcport=51000 dstip=198.51.100.7 dstport=443 proto=6 action=\"accept\" %s-%d\n", src, tag, i
	}' >"$T/lines"
	logger -n 127.0.0.1 -P "$TCP_PORT" -T --rfc3164 -p local7.notice \
	    -f "$T/lines"
}
alerts_of() { sql "SELECT count(*) FROM alerts WHERE gid = 3 AND src = '$1'"; }
alerts_at_least() { [ "$(alerts_of "$1")" -ge "$2" ]; }
posts() { grep -c "^$1 " "$T/hook.log" 2>/dev/null || echo 0; }
nrows() { [ "$(sql "SELECT count(*) FROM notifications WHERE $1")" -ge "$2" ]; }

# 1. a burst in one group: one notification, retried once
flow 10.11.16.5 10000 BURST
wait_for 60 alerts_at_least 10.11.16.5 10000
ok $? "10000 policy alerts stored"
is "$(sql "SELECT count(*) FROM alert_groups WHERE gid = 3")" 1 "in one group"
GID=$(sql "SELECT id FROM alert_groups WHERE gid = 3")
wait_for 60 nrows "result = 'ok'" 1
ok $? "the notification log says delivered"
is "$(sql "SELECT count(*) FROM notifications")" 1 "one notification for the burst"
is "$(sql "SELECT group_id, muni, severity, channel, attempts, result FROM notifications")" \
    "$GID|242501|1|webhook|2|ok" "logged: group, 団体, S1, webhook, 2 attempts, ok"
is "$(posts 500)" 1 "the receiver refused the first attempt"
is "$(posts 200)" 1 "exactly one POST accepted"
body=$(grep '^200 ' "$T/hook.log" | head -1 | cut -d' ' -f3-)
is "$(grep '^200 ' "$T/hook.log" | head -1 | cut -d' ' -f2)" "/242501" \
    "posted to the 団体's route"
check=$(printf '%s' "$body" | python3 -c '
import json, sys
b = json.load(sys.stdin)
print(b["rule"]["gid"], b["municipality"]["code"], b["severity"],
      b["group_id"], b["use_case"], b["group_state"])')
is "$check" "3 242501 1 $GID GL-SEP-02 new" \
    "JSON: rule gid 3, 団体 242501, S1, the group id, GL-SEP-02, new"
like "$body" '"sid": *[0-9]' "JSON carries the rule's sid"

# 2. closed, then fired again: notified again
sql "UPDATE triage SET status = 'closed', closed_at = 1 WHERE group_id = $GID"
flow 10.11.16.5 3 AGAIN
wait_for 60 nrows "result = 'ok'" 2
ok $? "the reopened group is notified"
wait_for 10 sh -c "[ \$(grep -c '^200 ' '$T/hook.log') -ge 2 ]"
body=$(grep '^200 ' "$T/hook.log" | sed -n 2p | cut -d' ' -f3-)
is "$(printf '%s' "$body" | python3 -c '
import json, sys
b = json.load(sys.stdin)
print(b["group_id"], b["group_state"])')" "$GID reopened" \
    "second POST: same group, reopened"
is "$(sql "SELECT status FROM triage WHERE group_id = $GID")" new \
    "the group is new again"

# 3. receiver down: ingestion goes on, the failure is recorded
kill "$RPID" && wait "$RPID" 2>/dev/null
EXTRA_PIDS=
flow 10.11.16.6 50 DOWN
wait_for 20 alerts_at_least 10.11.16.6 50
ok $? "ingestion continues with the receiver down (50 alerts stored)"
wait_for 10 archive_has DOWN-49
ok $? "and archived"
wait_for 30 nrows "result LIKE 'failed:%'" 1
ok $? "the failure is recorded in the notification log"
is "$(sql "SELECT attempts, sent IS NULL FROM notifications WHERE result LIKE 'failed:%'")" \
    "3|1" "after 3 attempts, never sent"
wait_for 10 counter_at_least notify/failed 1
ok $? "counter notify/failed"
is "$(counter notify/sent)" 2 "counter notify/sent"
is "$(counter notify/queued)" 3 "counter notify/queued"
is "$(counter notify/dropped)" 0 "counter notify/dropped"

# the monthly report's incident list shows the notification
month=$(sql "SELECT strftime('%Y-%m', first_seen / 1000000 + 9 * 3600, 'unixepoch') FROM alert_groups WHERE id = $GID")
"$SECCLOUD" report monthly --municipality 242501 --month "$month" \
    --format json -d "$T/data" -p "$T/policy.conf" \
    >"$T/report.json" 2>"$T/report.err"
ok $? "monthly report"
is "$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
inc = [i for i in r["incidents"] if i["id"] == int(sys.argv[2])]
print(len(inc), inc[0]["notified"] != None if inc else "-")' "$T/report.json" "$GID")" \
    "1 True" "the incident shows its notification time"

# 4. SIGHUP with a new route and new notify-options: a notification
# queued before the reload is not lost, a new group goes to the new route
python3 "$RECV" "$T/port2" "$T/hook2.log" 0 &
RPID2=$!
EXTRA_PIDS=$RPID2
wait_for 10 test -s "$T/port2"
ok $? "a second receiver"
HPORT2=$(cat "$T/port2")
flow 10.11.16.7 5 BEFORE
G3=
g3() { G3=$(sql "SELECT group_id FROM alerts WHERE src = '10.11.16.7' LIMIT 1"); [ -n "$G3" ]; }
wait_for 20 g3
ok $? "a group stored before the reload (receiver still down)"
sed -e "s#127.0.0.1:$HPORT/#127.0.0.1:$HPORT2/#" -e 's/attempts 3/attempts 2/' \
    "$T/policy.conf" >"$T/policy.new" && mv "$T/policy.new" "$T/policy.conf"
kill -HUP "$CPID"
wait_for 10 grep -q 'notifier restarted with the new notify-options' "$T/err"
ok $? "reload: a new notifier for the new notify-options"
flow 10.11.16.8 5 AFTER
wait_for 20 sh -c "grep -q '^200 ' '$T/hook2.log'"
ok $? "a new group after the reload reaches the new route"
G4=$(sql "SELECT group_id FROM alerts WHERE src = '10.11.16.8' LIMIT 1")
is "$(grep '^200 ' "$T/hook2.log" | head -1 | cut -d' ' -f3- | python3 -c '
import json, sys
print(json.load(sys.stdin)["group_id"])')" "$G4" "its group id"
g3done() { nrows "group_id = $G3 AND result IS NOT NULL" 1; }
wait_for 20 g3done
ok $? "the notification queued before the reload reached its outcome"
is "$(sql "SELECT count(*) FROM notifications WHERE group_id = $G3")" 1 \
    "once, not lost and not doubled"

stop_collector
ok $? "clean stop"
grep -q 'notify-failed=[12] ' "$T/err" && grep -q 'notify-sent=[34] ' "$T/err"
ok $? "the stop line reports the notifier's counts"
done_testing
