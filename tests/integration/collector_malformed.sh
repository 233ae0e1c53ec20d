#!/bin/sh
# collector_malformed.sh — hostile input over TCP and UDP: truncated
# frames, bad octet counts, NUL bytes, invalid UTF-8, a 1 MiB line, a
# million tiny frames, a slow client sending a byte at a time.
# Expect: the collector survives all of it and keeps serving; the frames
# after a bad octet count still arrive; the 1 MiB line is cut at
# frame-max and counted as truncated; unparsable lines are kept raw and
# counted, never dropped; every one of the million frames is archived.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

start_collector --listen udp:127.0.0.1:0 --listen tcp:127.0.0.1:0
ok $? "collector ready"

send() {	# send PYTHON-EXPR-FOR-BYTES [slow]
	python3 - "$TCP_PORT" "$1" "${2:-}" <<'PY'
import socket, sys, time
port, expr, slow = int(sys.argv[1]), sys.argv[2], sys.argv[3]
data = eval(expr)
s = socket.create_connection(("127.0.0.1", port))
if slow:
    for i in range(len(data)):
        s.sendall(data[i:i+1]); time.sleep(0.002)
else:
    s.sendall(data)
s.close()
PY
}

send "b'13 <13>bad-cnt-A\n' + b'x7 <13>bad-cnt-B\n' + b'16 <13>after-bad-C'"
send "b'<13>Nov 22 17:53:26 h nul: a\x00b-NUL\n'"
send "b'<13>Nov 22 17:53:26 h utf: \xff\xfe\xc3(-BADUTF8\n'"
send "b'<13>Nov 22 17:53:26 h big: BIG1M' + b'x' * (1024 * 1024) + b'\n<13>after-big\n'"
send "b'not syslog at all UNPARSED-LINE\n'"
send "b'60 <13>Nov 22 17:53:26 h cut: TRUNCATED-FRAME'"
send "b'<13>Nov 22 17:53:26 h slow: SLOW-CLIENT\n'" slow
python3 - "$UDP_PORT" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"\x00\x00\x00UDP-NULS", ("127.0.0.1", int(sys.argv[1])))
s.sendto(b"", ("127.0.0.1", int(sys.argv[1])))
PY
wait_for 10 archive_has SLOW-CLIENT
ok $? "slow client's line arrives"
for k in bad-cnt-A after-bad-C after-big -NUL -BADUTF8 UNPARSED-LINE \
    TRUNCATED-FRAME UDP-NULS; do
	wait_for 5 archive_has -- "$k"
	ok $? "archived: $k"
done
out=$("$SECCLOUD" archive -d "$T/data" search 'BIG1M')
n=$(printf '%s' "$out" | wc -c)
ok $([ "$n" -gt 65536 ] && [ "$n" -lt 70000 ] && echo 0 || echo 1) \
    "the 1 MiB line is kept, cut at frame-max ($n bytes shown)"
like "$out" 'a\\x00b-NUL|BADUTF8|BIG1M' "shown escaped"

# a million tiny frames on one connection
python3 - "$TCP_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
chunk = b"".join(b"<13>t%d\n" % i for i in range(100000))
for _ in range(10):
    s.sendall(chunk)
s.sendall(b"<13>TINY-END\n")
s.close()
PY
wait_for 60 archive_has TINY-END
ok $? "after a million tiny frames the last one arrives"
wait_for 10 counter_at_least archived/records 1000010
ok $? "all of them archived: $(counter archived/records)"
ok $([ "$(counter truncated/total)" -ge 2 ] && echo 0 || echo 1) \
    "truncated frames counted: $(counter truncated/total)"
ok $([ "$(counter unparsed/total)" -ge 1 ] && echo 0 || echo 1) \
    "unparsed lines counted: $(counter unparsed/total)"
ok $([ "$(counter framing/bad-octet-count)" -ge 1 ] && echo 0 || echo 1) \
    "bad octet counts counted"
kill -0 "$CPID"
ok $? "collector still running"
stop_collector
ok $? "clean stop"
"$SECCLOUD" archive -d "$T/data" verify >/dev/null
ok $? "archive verify passes"
done_testing
