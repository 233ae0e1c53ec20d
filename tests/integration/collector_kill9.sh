#!/bin/sh
# collector_kill9.sh — crash consistency.  Send lines, wait until they are
# stored, keep sending, kill -9 the collector mid-stream, restart it.
# Expect: the restart recovers (the unsealed segment is cut to its last
# whole frame and sealed), `archive verify` passes, every line that was
# counted as stored before the kill is in the archive, every alert or
# source row in the store points at archived data, and the restarted
# collector accepts new lines.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

start_collector --listen tcp:127.0.0.1:0
ok $? "collector ready"
python3 - "$TCP_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"".join(b"<13>Nov 22 17:53:26 h t: before-%d\n" % i for i in range(5000)))
s.close()
PY
wait_for 10 counter_at_least stored/events 5000
ok $? "5000 lines stored"
python3 - "$TCP_PORT" <<'PY' &
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
try:
    for i in range(200000):
        s.sendall(b"<13>Nov 22 17:53:26 h t: during-%d\n" % i)
except OSError:
    pass
PY
SENDER=$!
wait_for 10 counter_at_least received/tcp 20000
kill -9 "$CPID"
wait "$CPID" 2>/dev/null
CPID=
wait "$SENDER" 2>/dev/null
ok 0 "killed with -9 mid-stream"
start_collector --listen tcp:127.0.0.1:0
ok $? "restart: ready again"
like "$(cat "$T/err")" 'recovered unsealed segment|sealed segment' \
    "restart sealed the crashed segment"
"$SECCLOUD" archive -d "$T/data" verify >"$T/verify" 2>&1
ok $? "archive verify after kill -9: $(cat "$T/verify")"
n=$("$SECCLOUD" archive -d "$T/data" search 'before-[0-9]+$' | wc -l)
is "$n" 5000 "all 5000 stored lines are in the archive"
stored=$(sqlite3 "$T/data/seccloud.db" "SELECT messages FROM sources WHERE addr='127.0.0.1'")
archived=$("$SECCLOUD" archive -d "$T/data" search 't: (before|during)-' | wc -l)
ok $([ "$archived" -ge "$stored" ] && echo 0 || echo 1) \
    "the store never counts more than the archive holds ($stored <= $archived)"
logger -n 127.0.0.1 -P "$TCP_PORT" -T -t sctest "after-restart"
wait_for 10 archive_has after-restart
ok $? "new lines arrive after the restart"
stop_collector
"$SECCLOUD" archive -d "$T/data" verify >/dev/null
ok $? "verify after the second stop"
# tamper: flip a byte in the first segment, verify must name it
seg=$(ls "$T"/data/archive/*.0000000000000001.zst)
printf 'X' | dd of="$seg" bs=1 seek=20 conv=notrunc 2>/dev/null
out=$("$SECCLOUD" archive -d "$T/data" verify)
ok $([ $? -ne 0 ] && echo 0 || echo 1) "a flipped byte fails verify"
like "$out" "first bad segment 1:" "and names segment 1"
done_testing
