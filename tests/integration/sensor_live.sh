#!/bin/sh
# sensor_live.sh — `seccloud sensor -i lo` end to end on loopback.
# Expect:
#   - the sensor opens lo with a BPF filter, drops privileges to nobody and
#     prints "sensor NAME ready";
#   - a TCP connection on a free port carrying SECCLOUD-LIVE-PROBE raises
#     sid 42 in the EVE file and as an RFC 5424 message (octet-counted,
#     alert@32473 with sid="42") at a stand-in collector;
#   - SIGTERM ends the sensor with status 0.
# Skipped unless root (capture needs CAP_NET_RAW) and python3 exist.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/itest.sh"

if [ "$(id -u)" != 0 ] || ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root and python3"
	exit 0
fi
itest_setup
chmod 755 "$T"

cat >"$T/r.rules" <<'R'
alert tcp any any -> any any (msg:"live probe"; content:"SECCLOUD-LIVE-PROBE"; priority:1; sid:42; rev:1;)
R

# stand-in collector and a TCP sink, each printing its port when ready
itest_start col python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print("collector port=%d" % s.getsockname()[1], flush=True)
c, _ = s.accept()
with open(sys.argv[1], "ab") as f:
    while True:
        b = c.recv(65536)
        if not b:
            break
        f.write(b); f.flush()
' "$T/col.out"
itest_start sink python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print("sink port=%d" % s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    while c.recv(65536):
        pass
    c.close()
'
cport=$(itest_field "$(itest_wait col 'collector port=')" port)
sport=$(itest_field "$(itest_wait sink 'sink port=')" port)
ok $? "collector on $cport, sink on $sport"

itest_start sen "$SECCLOUD" sensor -i lo -F "tcp port $sport" \
	--rules "$T/r.rules" --eve "$T/eve.json" -S "127.0.0.1:$cport" \
	-u nobody
itest_wait sen 'ready: capturing on lo' >/dev/null
ok $? "sensor ready on lo"

python3 -c '
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.sendall(b"hello SECCLOUD-LIVE-PROBE world\r\n"); c.close()
' "$sport"

has_alert() { grep -q '"signature_id":42' "$T/eve.json" 2>/dev/null; }
itest_poll 20 has_alert
ok $? "EVE alert for sid 42"

has_syslog() { grep -q 'alert@32473 sensor="sensor" sid="42"' "$T/col.out" 2>/dev/null; }
itest_poll 20 has_syslog
ok $? "RFC 5424 alert at the collector"
like "$(head -c 40 "$T/col.out" 2>/dev/null)" '^[0-9]+ <162>1 ' "octet-counted, PRI local4.crit"

itest_stop sen
ok $? "SIGTERM: exit 0"
done_testing
