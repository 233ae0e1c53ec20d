#!/bin/sh
# collector_relay.sh — tagging by HOSTNAME through a trusted relay.
# 127.0.0.1 is declared `relay yes` (an SC-owned rsyslog relay); 団体 A
# (242501) has a-fw 10.11.32.1 and a-dns 127.0.0.2 (a plain source),
# 団体 B (242012) has b-proxy 10.12.32.2 and the range 10.12.32.0/20.
# A real rsyslogd relays lines whose HOSTNAME is a-fw and b-proxy; python
# sends RFC 5424 frames straight from the relay address (an address in
# B's range, an unknown name) and from 127.0.0.2 (claiming b-proxy).
# Expect: relayed lines land tagged A and B, their sources' health rows
# are credited (not the relay's); the CIDR-only line gets B and a row of
# its own; the unknown name keeps the relay's tags and is counted
# tagged/relay-unmatched; a-dns claiming b-proxy stays A and b-proxy is
# not credited.
# Relay scope: 127.0.0.3 is 団体 A's own relay (`relay yes` in A's block):
# it may tag as a-fw but its line claiming b-proxy stays A's (tagged
# 242501, counted tagged/relay-denied, b-proxy not credited, the relay
# credited), while the SC relay 127.0.0.1 may tag as b-proxy by name.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

cat >"$T/policy.conf" <<'X'
prefecture "テスト県" {
	code 240001
	model alpha
}
cloud {
	tier SC 127.0.0.1/32
	source relay-lo 127.0.0.1 type relay relay yes interval 1d
}
municipality "テスト市" {
	code 242501
	type city
	model alpha
	tier I 10.11.32.0/20 127.0.0.2/32 127.0.0.3/32
	source a-fw 10.11.32.1 type fortigate interval 1d
	source a-dns 127.0.0.2 type syslog interval 1d
	source a-relay 127.0.0.3 type relay relay yes interval 1d
}
municipality "テスト町" {
	code 242012
	type town
	model alpha
	tier I 10.12.32.0/20
	source b-proxy 10.12.32.2 type squid interval 1d
}
X
"$SECCLOUD" policy check "$T/policy.conf" >"$T/check" 2>&1
ok $? "policy check passes"
grep -q '^relay  *relay-lo 127.0.0.1: every 団体' "$T/check" &&
    grep -q '^relay  *a-relay 127.0.0.3: 団体 242501 only' "$T/check"
ok $? "policy check shows each relay's scope"
start_collector --listen tcp:127.0.0.1:0
ok $? "collector ready"
sql() { sqlite3 "$T/data/seccloud.db" "$1"; }
# in_muni WORD CODE : the archived line holding WORD is tagged CODE
in_muni() { archive_has "$1" --municipality "$2"; }
not_in() { ! archive_has "$1" --municipality "$2"; }

# send SRCADDR LINE... : one TCP connection from SRCADDR, LF framing
send() {
	python3 - "$TCP_PORT" "$@" <<'PY'
import socket, sys
port, src, lines = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind((src, 0))
s.connect(("127.0.0.1", port))
s.sendall(b"".join(l.encode() + b"\n" for l in lines))
s.close()
PY
}

send 127.0.0.1 \
    '<134>1 2026-11-22T08:00:00.000Z 10.12.40.7 app 1 - - CIDR-ONLY-B' \
    '<134>1 2026-11-22T08:00:00.000Z stranger app 1 - - UNMATCHED-NAME'
ok $? "frames sent from the relay address"
send 127.0.0.2 '<134>1 2026-11-22T08:00:00.000Z b-proxy squid 1 - - SPOOF-B'
ok $? "a frame sent from a-dns (127.0.0.2) claiming b-proxy"
wait_for 10 in_muni CIDR-ONLY-B 242012
ok $? "relayed, HOSTNAME in B's range: tagged 242012"
wait_for 10 archive_has UNMATCHED-NAME
ok $? "relayed, unknown HOSTNAME: archived"
not_in UNMATCHED-NAME 242501 && not_in UNMATCHED-NAME 242012
ok $? "... with the relay's tags (no 団体)"
wait_for 10 counter_at_least tagged/relay-unmatched 1
ok $? "... and counted tagged/relay-unmatched"
wait_for 10 in_muni SPOOF-B 242501
ok $? "non-relay sender claiming B: tagged as its sender, 242501"
not_in SPOOF-B 242012
ok $? "... and not 242012"

# relay scope
send 127.0.0.3 \
    '<134>1 2026-11-22T08:00:00.000Z a-fw app 1 - - A-RELAY-OWN' \
    '<134>1 2026-11-22T08:00:00.000Z b-proxy squid 1 - - A-RELAY-CLAIMS-B'
ok $? "frames sent from A's relay (127.0.0.3)"
send 127.0.0.1 '<134>1 2026-11-22T08:00:00.000Z b-proxy squid 1 - - SC-RELAY-B'
ok $? "a frame sent from the SC relay naming b-proxy"
wait_for 10 in_muni A-RELAY-OWN 242501
ok $? "A's relay, HOSTNAME a-fw: tagged 242501"
wait_for 10 in_muni A-RELAY-CLAIMS-B 242501
ok $? "A's relay claiming b-proxy: kept as A's relay's line, 242501"
not_in A-RELAY-CLAIMS-B 242012
ok $? "... never tagged 242012"
wait_for 10 counter_at_least tagged/relay-denied 1
ok $? "... counted tagged/relay-denied"
wait_for 10 in_muni SC-RELAY-B 242012
ok $? "the SC relay naming b-proxy: tagged 242012"
like "$("$SECCLOUD" archive -d "$T/data" search A-RELAY-CLAIMS-B)" \
    '^[0-9]+:[0-9]+ [^ ]+ 127\.0\.0\.3 242501 claimed=10\.12\.32\.2 relay-denied <134>1 .* A-RELAY-CLAIMS-B$' \
    "archive search shows the relay, its 団体 and the denied claim"
like "$("$SECCLOUD" archive -d "$T/data" search SC-RELAY-B)" \
    '^[0-9]+:[0-9]+ [^ ]+ 127\.0\.0\.1 242012 origin=10\.12\.32\.2 relayed <134>1 .* SC-RELAY-B$' \
    "archive search shows the relayed line's origin behind the relay"
like "$("$SECCLOUD" archive -d "$T/data" search SPOOF-B)" \
    '^[0-9]+:[0-9]+ [^ ]+ 127\.0\.0\.2 242501 <134>1 .* SPOOF-B$' \
    "a line straight from its sender shows no relay fields"
grep -q "relay a-relay (127.0.0.3, 団体 242501) claimed origin 10.12.32.2" \
    "$T/err"
ok $? "the denied claim is logged"

if [ -x /usr/sbin/rsyslogd ]; then
	RPORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	mkdir -p "$T/rs"
	{
		echo "global(workDirectory=\"$T/rs\")"
		echo "module(load=\"imudp\")"
		echo "input(type=\"imudp\" address=\"127.0.0.1\" port=\"$RPORT\" ruleset=\"fwd\")"
		echo "ruleset(name=\"fwd\") {"
		echo "  action(type=\"omfwd\" target=\"127.0.0.1\" port=\"$TCP_PORT\" protocol=\"tcp\" TCP_Framing=\"octet-counted\")"
		echo "}"
	} >"$T/rs/rsyslog.conf"
	/usr/sbin/rsyslogd -n -f "$T/rs/rsyslog.conf" -i "$T/rs/pid" \
	    >"$T/rs/out" 2>&1 &
	EXTRA_PIDS=$!
	rs_ready() { ss -lun 2>/dev/null | grep -q "127.0.0.1:$RPORT "; }
	wait_for 10 rs_ready
	ok $? "private rsyslogd listening on udp $RPORT"
	udp() {
		python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(sys.argv[2].encode(), ("127.0.0.1", int(sys.argv[1])))' "$RPORT" "$1"
	}
	udp '<13>Nov 22 17:53:26 a-fw app: RELAY-A-line'
	udp '<13>Nov 22 17:53:27 b-proxy squid: RELAY-B-line'
	wait_for 15 in_muni RELAY-A-line 242501
	ok $? "rsyslog relay, HOSTNAME a-fw: tagged 242501"
	wait_for 15 in_muni RELAY-B-line 242012
	ok $? "rsyslog relay, HOSTNAME b-proxy: tagged 242012"
	not_in RELAY-B-line 242501
	ok $? "... not the relay's or A's"
	kill "$EXTRA_PIDS"
	wait "$EXTRA_PIDS" 2>/dev/null
	EXTRA_PIDS=
	A_FW=1
	B_PROXY=1
else
	diag "rsyslogd not installed: the rsyslog relay cases skipped"
	A_FW=0
	B_PROXY=0
fi

# source health: credited to the originating source
stop_collector
ok $? "clean stop (everything flushed)"
msgs() { sql "SELECT coalesce(sum(messages), 0) FROM sources WHERE addr = '$1'"; }
is "$(msgs 10.11.32.1)" "$((A_FW + 1))" \
    "a-fw's health row counts its relayed lines (also via A's relay)"
is "$(msgs 10.12.32.2)" "$((B_PROXY + 1))" \
    "b-proxy's row counts the SC relay's lines, not the spoofed nor the denied"
is "$(msgs 127.0.0.3)" 1 "A's relay is credited with its denied line"
is "$(msgs 127.0.0.2)" 1 "a-dns is credited with its own (spoofing) line"
is "$(msgs 10.12.40.7)" 1 "the CIDR-only host has a row of its own"
is "$(sql "SELECT muni || ' ' || known FROM sources WHERE addr = '10.12.40.7'")" \
    "242012 0" "... of 団体 B, not a declared source"
is "$(msgs 127.0.0.1)" 1 "the relay is credited only with the unmatched line"
is "$(sql "SELECT sum(m.messages) FROM source_minutes m JOIN sources s ON s.id = m.source_id WHERE s.addr = '10.12.32.2'")" \
    "$((B_PROXY + 1))" "per-minute counts follow the source"
done_testing
