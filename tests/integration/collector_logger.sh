#!/bin/sh
# collector_logger.sh — util-linux logger over UDP, TCP (LF framing),
# TCP --octet-count and --rfc3164, each line a unique token.
# Expect: every line is in the archive exactly once, tagged 団体 242501
# (the test policy maps 127.0.0.1 to it), the store's sources row counts
# all of them, the stats count them, and `archive verify` passes after a
# clean stop.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

cat >"$T/test.rules" <<'X'
alert syslog any any -> any any (msg:"[TEST] sshd failed password"; program:sctest; content:"Failed password"; classtype:attempted-user; sid:9000901; rev:1; metadata: guideline 2-6-2, usecase GL-ACCESS-01;)
X
start_collector --rules "$T/test.rules" \
    --listen udp:127.0.0.1:0 --listen tcp:127.0.0.1:0
ok $? "collector ready: $READY"
tok=$$-$(date +%s)
logger -n 127.0.0.1 -P "$UDP_PORT" -d -t sctest "udp-$tok"
logger -n 127.0.0.1 -P "$TCP_PORT" -T -t sctest "tcp-$tok"
logger -n 127.0.0.1 -P "$TCP_PORT" -T --octet-count -t sctest "octet-$tok"
logger -n 127.0.0.1 -P "$TCP_PORT" -T --rfc3164 -t sctest "bsd-$tok"
logger -n 127.0.0.1 -P "$UDP_PORT" -d --rfc5424 -t sctest "r5424-$tok"
logger -n 127.0.0.1 -P "$TCP_PORT" -T -t sctest \
    "Failed password for root from 203.0.113.7 port 4711 ssh2 $tok"

wait_for 10 counter_at_least stored/events 6
ok $? "six events stored"
wait_for 10 counter_at_least alerts/rules 1
ok $? "the test rule fired"
row=$(sqlite3 -separator ' ' "$T/data/seccloud.db" \
    "SELECT sid, muni, archive_segment, archive_record FROM alerts WHERE sid = 9000901")
set -- $row
is "$1 $2" "9000901 242501" "alert stored with the 団体 of the sender"
is "$(sqlite3 "$T/data/seccloud.db" "SELECT count(*) FROM alerts a JOIN sources s ON s.id = a.source_id WHERE a.sid = 9000901 AND s.addr = '127.0.0.1'")" \
    1 "and its log source (source_id)"
ev=$("$SECCLOUD" archive -d "$T/data" show "$3" "$4")
like "$ev" "Failed password for root .* $tok\$" \
    "the alert's archive ref gives back its evidence line"
for k in udp tcp octet bsd r5424; do
	out=$("$SECCLOUD" archive -d "$T/data" search "$k-$tok" \
	    --municipality 242501)
	is "$(printf '%s\n' "$out" | grep -c "sctest.* $k-$tok\$")" 1 \
	    "$k line archived once, tagged 242501"
done
out=$("$SECCLOUD" archive -d "$T/data" search "bsd-$tok")
like "$out" '<13>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]{8} [^ ]+ sctest: bsd-' \
    "the RFC 3164 line is archived byte for byte"
out=$("$SECCLOUD" archive -d "$T/data" search "udp-$tok" --municipality 999999)
is "$out" "" "no match under another 団体"
stop_collector
ok $? "SIGTERM: clean stop"
"$SECCLOUD" archive -d "$T/data" verify >"$T/verify" 2>&1
ok $? "archive verify passes: $(cat "$T/verify")"
is "$(counter received/udp)" 2 "stats: 2 over UDP"
is "$(counter received/tcp)" 4 "stats: 4 over TCP"
is "$(counter archived/records)" 6 "stats: 6 archived"
is "$(counter tagged/unknown)" 0 "stats: no unknown source"
is "$(sqlite3 "$T/data/seccloud.db" \
    "SELECT muni || ' ' || name || ' ' || messages FROM sources WHERE addr = '127.0.0.1'")" \
    "242501 lo-fw 6" "store: the source row, tagged, counts 6"
done_testing
