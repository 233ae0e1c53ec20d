#!/bin/sh
# collector_logger.sh — util-linux logger over UDP, TCP (LF framing),
# TCP --octet-count and --rfc3164, each line a unique token.
# Expect: every line is in the archive exactly once, tagged 団体 281000
# (the source list maps 127.0.0.1 to it), the store's sources row counts
# all of them, the stats count them, and `archive verify` passes after a
# clean stop.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

cat >"$T/sources.conf" <<'X'
source 127.0.0.1 { muni 281000; tier I; name lo-fw; type firewall; interval 15m }
X
start_collector --sources "$T/sources.conf" \
    --listen udp:127.0.0.1:0 --listen tcp:127.0.0.1:0
ok $? "collector ready: $READY"
tok=$$-$(date +%s)
logger -n 127.0.0.1 -P "$UDP_PORT" -d -t sctest "udp-$tok"
logger -n 127.0.0.1 -P "$TCP_PORT" -T -t sctest "tcp-$tok"
logger -n 127.0.0.1 -P "$TCP_PORT" -T --octet-count -t sctest "octet-$tok"
logger -n 127.0.0.1 -P "$TCP_PORT" -T --rfc3164 -t sctest "bsd-$tok"
logger -n 127.0.0.1 -P "$UDP_PORT" -d --rfc5424 -t sctest "r5424-$tok"

wait_for 10 counter_at_least stored/events 5
ok $? "five events stored"
for k in udp tcp octet bsd r5424; do
	out=$("$SECCLOUD" archive -d "$T/data" search "$k-$tok" \
	    --municipality 281000)
	is "$(printf '%s\n' "$out" | grep -c "sctest.* $k-$tok\$")" 1 \
	    "$k line archived once, tagged 281000"
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
is "$(counter received/tcp)" 3 "stats: 3 over TCP"
is "$(counter archived/records)" 5 "stats: 5 archived"
is "$(counter tagged/unknown)" 0 "stats: no unknown source"
is "$(sqlite3 "$T/data/seccloud.db" \
    "SELECT muni || ' ' || name || ' ' || messages FROM sources WHERE addr = '127.0.0.1'")" \
    "281000 lo-fw 5" "store: the source row, tagged, counts 5"
done_testing
