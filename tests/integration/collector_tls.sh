#!/bin/sh
# collector_tls.sh — syslog over TLS (RFC 5425) and rsyslog as a relay.
#  - openssl s_client sends octet-counted frames over TLS;
#  - with --tls-verify, a client without a certificate is refused and
#    counted, one with a certificate from our CA gets through;
#  - a private rsyslogd (own config, pid file and work dir in the temp
#    dir, high ports) receives lines over UDP and forwards them to the
#    collector over TCP and over TLS (its ossl driver) when installed.
# Expect: each line arrives in the archive exactly once, tagged 242501.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

# a CA, a server certificate and a client certificate
(
	cd "$T" &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
	    -days 2 -subj /CN=sc-test-ca &&
	openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr \
	    -subj /CN=localhost &&
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >ext &&
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key \
	    -CAcreateserial -out srv.pem -days 2 -extfile ext &&
	openssl req -newkey rsa:2048 -nodes -keyout cli.key -out cli.csr \
	    -subj /CN=sc-client &&
	openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key \
	    -CAcreateserial -out cli.pem -days 2
) >/dev/null 2>&1
ok $? "test CA and certificates"

start_collector --listen tls:127.0.0.1:0 \
    --listen tcp:127.0.0.1:0 --tls-cert "$T/srv.pem" --tls-key "$T/srv.key" \
    --tls-ca "$T/ca.pem" --tls-verify
ok $? "collector ready: $READY"

sclient() {	# sclient MESSAGE [cert args...]
	m=$1
	shift
	printf '%d %s' "${#m}" "$m" |
	    timeout 10 openssl s_client -quiet -connect "127.0.0.1:$TLS_PORT" \
	    -CAfile "$T/ca.pem" "$@" >/dev/null 2>&1
}
sclient "<13>Nov 22 17:53:26 h s: TLS-CLIENT-OK" -cert "$T/cli.pem" -key "$T/cli.key"
wait_for 10 archive_has TLS-CLIENT-OK --municipality 242501
ok $? "s_client with a client certificate: line archived, tagged 242501"
sclient "<13>Nov 22 17:53:26 h s: TLS-NO-CERT"
wait_for 10 counter_at_least dropped/tls-handshake 1
ok $? "a client without a certificate is refused and counted"
archive_has TLS-NO-CERT
ok $([ $? -ne 0 ] && echo 0 || echo 1) "and its line is not archived"

if ! [ -x /usr/sbin/rsyslogd ]; then
	diag "rsyslogd not installed: relay cases skipped"
	stop_collector
	done_testing
fi
RPORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$T/rs"
have_ossl=0
[ -e /usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_ossl.so ] && have_ossl=1
{
	echo "global(workDirectory=\"$T/rs\" defaultNetstreamDriverCAFile=\"$T/ca.pem\""
	echo "       defaultNetstreamDriverCertFile=\"$T/cli.pem\" defaultNetstreamDriverKeyFile=\"$T/cli.key\")"
	echo "module(load=\"imudp\")"
	echo "input(type=\"imudp\" address=\"127.0.0.1\" port=\"$RPORT\" ruleset=\"fwd\")"
	echo "ruleset(name=\"fwd\") {"
	echo "  if \$msg contains \"RELAY-TCP\" then action(type=\"omfwd\" target=\"127.0.0.1\" port=\"$TCP_PORT\" protocol=\"tcp\" TCP_Framing=\"octet-counted\")"
	[ $have_ossl = 1 ] &&
	echo "  if \$msg contains \"RELAY-TLS\" then action(type=\"omfwd\" target=\"127.0.0.1\" port=\"$TLS_PORT\" protocol=\"tcp\" StreamDriver=\"ossl\" StreamDriverMode=\"1\" StreamDriverAuthMode=\"x509/name\" StreamDriverPermittedPeers=\"localhost\")"
	echo "}"
} >"$T/rs/rsyslog.conf"
/usr/sbin/rsyslogd -n -f "$T/rs/rsyslog.conf" -i "$T/rs/pid" >"$T/rs/out" 2>&1 &
EXTRA_PIDS=$!
sleep_until_rs() { ss -lun 2>/dev/null | grep -q ":$RPORT "; }
wait_for 10 sleep_until_rs
ok $? "private rsyslogd listening on udp $RPORT"
logger -n 127.0.0.1 -P "$RPORT" -d -t relayed "RELAY-TCP-line"
wait_for 15 archive_has RELAY-TCP-line --municipality 242501
ok $? "rsyslog relay over TCP: line archived, tagged 242501"
if [ $have_ossl = 1 ]; then
	logger -n 127.0.0.1 -P "$RPORT" -d -t relayed "RELAY-TLS-line"
	wait_for 15 archive_has RELAY-TLS-line --municipality 242501
	ok $? "rsyslog relay over TLS (ossl, client cert): line archived"
else
	diag "rsyslog-openssl not installed: TLS relay skipped"
fi
is "$("$SECCLOUD" archive -d "$T/data" search 'RELAY-' | wc -l)" \
    "$((1 + have_ossl))" "each relayed line exactly once"
kill "$EXTRA_PIDS"
EXTRA_PIDS=
stop_collector
ok $? "clean stop"
done_testing
