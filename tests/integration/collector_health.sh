#!/bin/sh
# collector_health.sh — source health and reload.
#  - a line stamped an hour in the past raises GL-LOG-03 (clock skew over
#    60 s, S2) with the line as evidence, naming its source (source_id);
#    a line from our sensor (APP-NAME seccloud-sensor, stamped with packet
#    time) sent just before it from the same source raises none and leaves
#    the source's skew alone;
#  - the source then falls silent past its 2 s expected interval: GL-LOG-01
#    (S2), and the source row is marked silent until it speaks again;
#  - over the unix socket, lines arrive too;
#  - SIGHUP with a changed policy retags new lines (another 団体) while a
#    sender keeps sending: nothing is lost across the reload.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

sed -i 's/interval 15m/interval 2s/' "$T/policy.conf"
start_collector --listen tcp:127.0.0.1:0 --listen "unix:$T/log.sock"
ok $? "collector ready: $READY"
sql() { sqlite3 "$T/data/seccloud.db" "$1"; }
old=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
older=$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%SZ)
printf '<13>1 %s h seccloud-sensor - - - PCAP-TIME\n<13>1 %s h app - - - SKEWED-LINE\n' "$older" "$old" |
    python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read()); s.close()' "$TCP_PORT"
has_alert() { [ "$(sql "SELECT count(*) FROM alerts WHERE sid = $1")" -ge 1 ]; }
wait_for 10 has_alert 9900004
ok $? "GL-LOG-03 critical skew alert raised"
is "$(sql "SELECT severity || ' ' || muni || ' ' || (CAST(evidence AS TEXT) LIKE '%SKEWED-LINE%') FROM alerts WHERE sid = 9900004")" \
    "2 242501 1" "S2, for 団体 242501, the skewed line as evidence"
is "$(sql "SELECT usecase FROM alert_groups WHERE sid = 9900004")" \
    "GL-LOG-03" "grouped under GL-LOG-03"
is "$(sql "SELECT count(*) FROM alerts WHERE sid IN (9900003, 9900004)")" 1 \
    "the sensor's packet-time line raised no skew alert"
archive_has PCAP-TIME
ok $? "the sensor's line is archived all the same"
is "$(sql "SELECT skew_max_ms > -7200000 FROM sources WHERE addr = '127.0.0.1'")" \
    1 "and its three-day skew is not the source's"
is "$(sql "SELECT count(*) FROM alerts a JOIN sources s ON s.id = a.source_id WHERE a.sid = 9900004 AND s.addr = '127.0.0.1'")" \
    1 "the skew alert names its source (source_id)"
silent() { [ "$(sql "SELECT silent_since IS NOT NULL FROM sources WHERE addr = '127.0.0.1' AND last_seen IS NOT NULL")" = 1 ]; }
wait_for 15 silent
ok $? "source marked silent after its 2 s interval"
is "$(sql "SELECT count(*) > 0 FROM alerts a, sources s WHERE a.sid = 9900001 AND s.addr = '127.0.0.1' AND a.ts > s.last_seen AND a.severity = 2")" \
    1 "with a GL-LOG-01 (S2) alert raised after its last line"
is "$(sql "SELECT count(*) > 0 FROM alerts a JOIN sources s ON s.id = a.source_id WHERE a.sid = 9900001 AND s.addr = '127.0.0.1'")" \
    1 "the silence alert names its source (source_id)"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"<13>Nov 22 17:53:26 h t: VIA-UNIX\n"); s.close()' "$T/log.sock"
wait_for 10 archive_has VIA-UNIX
ok $? "unix socket line archived"
logger -n 127.0.0.1 -P "$TCP_PORT" -T -t t "SPEAKS-AGAIN"
cleared() { [ "$(sql "SELECT silent_since IS NULL FROM sources WHERE addr = '127.0.0.1'")" = 1 ]; }
wait_for 10 cleared
ok $? "silence cleared when the source speaks again"

# reload: move loopback to another 団体 while lines keep coming
python3 - "$TCP_PORT" >"$T/sent" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
n = 0
for i in range(3000):
    s.sendall(b"<13>Nov 22 17:53:26 h t: reload-%d\n" % i)
    n += 1
    if i % 100 == 0:
        time.sleep(0.01)
s.close()
print(n)
PY
SENDER=$!
sed -i 's/code 242501/code 242012/' "$T/policy.conf"
sleep_until_some() { archive_has 'reload-1[0-9][0-9]$'; }
wait_for 10 sleep_until_some
kill -HUP "$CPID"
wait "$SENDER"
wait_for 10 grep -q 'reload: policy' "$T/err"
ok $? "SIGHUP reloaded the policy"
wait_for 10 archive_has 'reload-2999$'
n=$("$SECCLOUD" archive -d "$T/data" search 'reload-[0-9]+$' | wc -l)
is "$n" 3000 "no line lost across the reload"
logger -n 127.0.0.1 -P "$TCP_PORT" -T -t t "AFTER-RELOAD"
wait_for 10 archive_has AFTER-RELOAD --municipality 242012
ok $? "after the reload, lines are tagged with the new 団体"
kill -0 "$CPID"
ok $? "still running"
stop_collector
ok $? "clean stop"
done_testing
