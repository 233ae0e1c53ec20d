#!/bin/sh
# collector_limits.sh — connection limits, idle timeout, close reasons, a
# limit changed by SIGHUP, configurable skew thresholds, and TLS
# verify-client without a ca.
# Expect:
#  - connections-per-address 2: a third connection from 127.0.0.1 is
#    closed at once and counted (dropped/conn-limit-address) while other
#    addresses (127.0.0.2, .3) still connect; connections 5: the sixth
#    connection, from yet another address, is closed and counted
#    (dropped/conn-limit); once one closes (closed/peer) a new one from
#    127.0.0.1 is served;
#  - after SIGHUP with connections-per-address 3 and idle-timeout 1s in
#    the file, a third connection from 127.0.0.1 is served, and it (not
#    the older ones, accepted under 1m) is closed when idle, counted
#    closed/idle; the connections still open at stop count closed/stop;
#  - skew-warn 20m / skew-critical 2h: a line an hour old raises the S3
#    alert "source clock skew over 1200 s", not the S2 one;
#  - `verify-client yes` without a ca is refused at load, with file:line.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

conf() {	# conf PER_ADDR IDLE
	cat >"$T/seccloud.conf" <<X
datadir "$T/data"
policy "$T/policy.conf"
collector {
	listen tcp 127.0.0.1:0
	stats-interval 1h
	skew-warn 20m
	skew-critical 2h
	limits {
		connections 5
		connections-per-address $1
		idle-timeout $2
		batch-age 100ms
	}
}
X
}
conf 2 1m
: >"$T/err"
# no stdout to the test harness: a collector left behind must not hold it
"$SECCLOUD" collector -f "$T/seccloud.conf" $USERARG >/dev/null 2>"$T/err" &
CPID=$!
wait_for 10 grep -q '^collector ready' "$T/err"
ok $? "ready"
TCP_PORT=$(sed -n 's/^collector ready.* tcp=[^ ]*:\([0-9]*\).*/\1/p' "$T/err")

# The connections, held by one python process driven over a fifo: each
# command's outcome is a line on its stdout.  Lines carry no timestamp
# (RFC 5424 NILVALUE): only the skewed line below is judged for skew.
mkfifo "$T/cmd"
cat >"$T/drv.py" <<'PY'
import select, socket, sys
port = int(sys.argv[1])
conns = {}
def run(w):
    if w[0] == "open":		# open NAME SRC: connect from SRC
        s = socket.socket()
        s.bind((w[2], 0))
        s.connect(("127.0.0.1", port))
        conns[w[1]] = s
        print("opened", w[1])
    elif w[0] == "send":	# send NAME TEXT
        conns[w[1]].sendall(b"<13>1 - h t - - - " + w[2].encode() + b"\n")
        print("sent", w[1])
    elif w[0] == "eof":		# eof NAME: wait (10 s) for the server to close
        s = conns[w[1]]
        r, _, _ = select.select([s], [], [], 10)
        try:
            d = s.recv(1) if r else b"x"
        except OSError:
            d = b""
        print("eof" if d == b"" else "open", w[1])
    elif w[0] == "close":
        conns.pop(w[1]).close()
        print("closed", w[1])
for line in sys.stdin:
    w = line.split()
    if w:
        try:
            run(w)
        except Exception as e:	# report, keep serving the next command
            print("error", w[0], w[1], e)
PY
python3 -u "$T/drv.py" "$TCP_PORT" <"$T/cmd" >"$T/out" 2>&1 &
EXTRA_PIDS=$!
trap '' PIPE # a driver gone makes writes fail, not the test vanish
exec 3>"$T/cmd"
cmd() { echo "$*" >&3; }
# outcome LINE: wait for it in the driver's output
outcome() { wait_for 15 grep -qx "$1" "$T/out"; }
open_is() { [ "$(counter connections/open)" = "$1" ]; }

cmd open a1 127.0.0.1; cmd send a1 LINE-A1
cmd open a2 127.0.0.1; cmd send a2 LINE-A2
outcome "sent a2" && wait_for 10 archive_has LINE-A2 && archive_has LINE-A1
ok $? "two connections from 127.0.0.1 are served"
wait_for 10 open_is 2
ok $? "connections/open is 2"
cmd open a3 127.0.0.1; cmd eof a3
outcome "eof a3"
ok $? "a third from 127.0.0.1 is closed at once (connections-per-address 2)"
wait_for 10 counter_at_least dropped/conn-limit-address 1
ok $? "and counted dropped/conn-limit-address"
cmd open b1 127.0.0.2; cmd send b1 LINE-B1
cmd open b2 127.0.0.2; cmd send b2 LINE-B2
cmd open c1 127.0.0.3; cmd send c1 LINE-C1
outcome "sent c1" && wait_for 10 archive_has LINE-C1 &&
    archive_has LINE-B1 && archive_has LINE-B2
ok $? "other addresses are served meanwhile"
wait_for 10 open_is 5
ok $? "connections/open is 5"
cmd open d1 127.0.0.4; cmd eof d1
outcome "eof d1"
ok $? "a sixth connection is closed at once (connections 5)"
wait_for 10 counter_at_least dropped/conn-limit 1
ok $? "and counted dropped/conn-limit"
is "$(counter dropped/conn-limit-address)" 1 \
    "the global refusal is not counted per address"
cmd close a1
wait_for 10 counter_at_least closed/peer 1
ok $? "a connection the peer closed is counted closed/peer"
wait_for 10 open_is 4
cmd open a4 127.0.0.1; cmd send a4 LINE-A4
outcome "sent a4" && wait_for 10 archive_has LINE-A4
ok $? "then 127.0.0.1 is served again"

# SIGHUP: a limit changed in the file applies to new connections
conf 3 1s
n=$(grep -c 'reload: policy' "$T/err")
kill -HUP "$CPID"
wait_for 10 grep -q 'reload: connections-per-address changed' "$T/err"
ok $? "SIGHUP: the new connections-per-address is read"
reloaded() { [ "$(grep -c 'reload: policy' "$T/err")" -gt "$n" ]; }
wait_for 10 reloaded
like "$(cat "$T/err")" 'reload: idle-timeout changed' "and the idle-timeout"
cmd close b2
wait_for 10 open_is 4
cmd open a5 127.0.0.1; cmd send a5 LINE-A5
outcome "sent a5" && wait_for 10 archive_has LINE-A5
ok $? "a third connection from 127.0.0.1 is now served"
cmd eof a5
outcome "eof a5"
ok $? "idle-timeout 1s closes it once idle"
wait_for 10 counter_at_least closed/idle 1
ok $? "counted closed/idle"
wait_for 10 open_is 4
ok $? "the connections accepted before the reload (idle 1m) stay open"

# skew thresholds from the file
old=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
printf '<13>1 %s h app - - - SKEWED-LINE\n' "$old" |
    python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read()); s.close()' "$TCP_PORT"
sql() { sqlite3 "$T/data/seccloud.db" "$1"; }
has_alert() { [ "$(sql "SELECT count(*) FROM alerts WHERE sid = $1")" -ge 1 ]; }
wait_for 10 has_alert 9900003
ok $? "an hour of skew under skew-critical 2h raises the warning (S3)"
is "$(sql "SELECT g.msg FROM alerts a JOIN alert_groups g ON g.id = a.group_id WHERE a.sid = 9900003")" \
    "source clock skew over 1200 s" "naming skew-warn"
is "$(sql "SELECT count(*) FROM alerts WHERE sid = 9900004")" 0 \
    "and not the critical one"

# stop while the driver still holds its connections open
stop_collector
ok $? "clean stop"
ok $([ "$(counter closed/stop)" -ge 1 ] 2>/dev/null && echo 0 || echo 1) \
    "connections open at stop are counted closed/stop ($(counter closed/stop))"
exec 3>&-

cat >"$T/bad.conf" <<X
datadir "$T/data2"
collector {
	listen tls 127.0.0.1:0
	tls {
		cert "$T/c.pem"
		key "$T/k.pem"
		verify-client yes
	}
}
X
"$SECCLOUD" collector -f "$T/bad.conf" >"$T/o2" 2>&1
is "$?" 2 "verify-client yes without a ca is refused (exit 2: run leaves it out)"
like "$(cat "$T/o2")" 'bad.conf:7: .*verify-client.*ca' \
    "with file:line of verify-client"
ok $([ ! -e "$T/data2" ] && echo 0 || echo 1) "before anything is created"
done_testing
