#!/bin/sh
# sensor_tls.sh — alerts to the collector over TLS.
# Expect:
#   - with -S localhost:PORT --tls --ca CERT, the sensor verifies the
#     collector's certificate (CN/SAN localhost, from CERT) and delivers the
#     RFC 5424 alert for sid 5 raised while reading a generated capture;
#   - against a collector whose certificate the CA file does not vouch
#     for, nothing is delivered and the sensor says so (and still exits 0:
#     the alerts are in the EVE file).
# The collector stand-in is a small Python TLS server that echoes what it
# receives.  Skipped without openssl(1) or python3.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/itest.sh"

if ! command -v openssl >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP needs openssl and python3"
	exit 0
fi
itest_setup
python3 "$top_srcdir/tests/pcapgen/pcapgen.py" "$T/cases" vlan >/dev/null
cat >"$T/r.rules" <<'R'
alert http any any -> any any (msg:"tls out"; http.host; content:"www.example.com"; sid:5;)
R
for n in good other; do
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
		-addext "subjectAltName=DNS:localhost" \
		-keyout "$T/$n.key" -out "$T/$n.crt" >/dev/null 2>&1
done
itest_start srv python3 -c '
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print("tls port=%d" % s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    try:
        t = ctx.wrap_socket(c, server_side=True)
        while True:
            b = t.recv(65536)
            if not b:
                break
            sys.stdout.buffer.write(b); sys.stdout.flush()
    except (ssl.SSLError, OSError) as e:
        print("tls error: %s" % e, flush=True)
' "$T/good.crt" "$T/good.key"
port=$(itest_field "$(itest_wait srv 'tls port=')" port)
ok $? "TLS collector stand-in listening on $port"

"$SECCLOUD" sensor -r "$T/cases/vlan/input.pcap" --rules "$T/r.rules" \
	--eve "$T/eve.json" -S "localhost:$port" --tls --ca "$T/good.crt" \
	>"$T/sen.log" 2>&1
ok $? "sensor exits 0"
got() { grep -q 'alert@32473 sensor="sensor" sid="5"' "$T/srv.log"; }
itest_poll 20 got
ok $? "alert delivered over verified TLS"
itest_stop srv >/dev/null 2>&1

itest_start srv2 python3 -c '
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print("tls port=%d" % s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    try:
        t = ctx.wrap_socket(c, server_side=True)
        while True:
            b = t.recv(65536)
            if not b:
                break
            sys.stdout.buffer.write(b); sys.stdout.flush()
    except (ssl.SSLError, OSError) as e:
        print("tls error: %s" % e, flush=True)
' "$T/good.crt" "$T/good.key"
port=$(itest_field "$(itest_wait srv2 'tls port=')" port)
"$SECCLOUD" sensor -r "$T/cases/vlan/input.pcap" --rules "$T/r.rules" \
	--eve "$T/eve2.json" -S "localhost:$port" --tls --ca "$T/other.crt" \
	>"$T/sen2.log" 2>&1
ok $? "sensor exits 0 with an untrusted collector"
refused() { grep -q 'tls error' "$T/srv2.log"; }
itest_poll 20 refused
ok $? "the untrusted collector saw the handshake refused"
grep -q 'sid="5"' "$T/srv2.log"
ok $(( ! $? )) "nothing delivered to an untrusted collector"
grep -q 'not delivered' "$T/sen2.log"
ok $? "undelivered alerts reported"
grep -q '"signature_id":5' "$T/eve2.json"
ok $? "the alert is still in the EVE file"
itest_stop srv2 >/dev/null 2>&1
done_testing
