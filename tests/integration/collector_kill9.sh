#!/bin/sh
# collector_kill9.sh — crash consistency.  Send lines, wait until they are
# stored, keep sending, kill -9 the collector mid-stream, restart it.
# Expect: the restart recovers (the unsealed segment is cut to its last
# whole frame and sealed), `archive verify` passes, every line that was
# counted as stored before the kill is in the archive, every alert or
# source row in the store points at archived data, and the restarted
# collector accepts new lines.
# The loss bound of seccloud.conf(5) (batch-size 1000, conn-buffer 16k,
# tcp-rcvbuf 64k): what the sender's kernel saw acknowledged (TCP_INFO
# bytes_acked) minus what the archive holds after the restart is at most
# 3 x batch-size lines plus conn-buffer + 2 x tcp-rcvbuf bytes (the
# kernel doubles SO_RCVBUF), and what the archive holds is a prefix of
# what was sent (nothing missing before the last archived line).
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

: >"$T/none.rules"
cat >"$T/seccloud.conf" <<X
datadir "$T/data"
policy "$T/policy.conf"
rules "$T/none.rules"
collector {
	listen tcp 127.0.0.1:0
	stats-interval 1h
	limits {
		batch-size 1000
		batch-age 100ms
		frame-max 8k
		conn-buffer 16k
		tcp-rcvbuf 64k
	}
}
X
"$SECCLOUD" collector -f "$T/seccloud.conf" $USERARG >/dev/null 2>"$T/err" &
CPID=$!
wait_for 10 grep -q '^collector ready' "$T/err"
ok $? "collector ready"
TCP_PORT=$(sed -n 's/^collector ready.* tcp=[^ ]*:\([0-9]*\).*/\1/p' "$T/err")
python3 - "$TCP_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"".join(b"<13>Nov 22 17:53:26 h t: before-%d\n" % i for i in range(5000)))
s.close()
PY
wait_for 10 counter_at_least stored/events 5000
ok $? "5000 lines stored"
# fixed-length lines (L bytes), sent in chunks until the collector dies;
# then the bytes the collector's kernel acknowledged
L=38
python3 - "$TCP_PORT" >"$T/acked" <<'PY' &
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
i = 0
try:
    while i < 2000000:
        s.sendall(b"".join(b"<13>1 - h t - - - during-%012d\n" % (i + k)
                           for k in range(100)))
        i += 100
except OSError:
    pass
info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
print(struct.unpack_from("<Q", info, 120)[0] - 1)	# tcpi_bytes_acked - SYN
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
archived=$("$SECCLOUD" archive -d "$T/data" search '(before|during)-[0-9]+$' | wc -l)
ok $([ "$archived" -ge "$stored" ] && echo 0 || echo 1) \
    "the store never counts more than the archive holds ($stored <= $archived)"
acked=$(cat "$T/acked")
"$SECCLOUD" archive -d "$T/data" search 'during-[0-9]+$' |
    sed -n 's/.*during-0*\([0-9][0-9]*\)$/\1/p' | sort -n >"$T/during"
n_during=$(wc -l <"$T/during")
last=$(tail -1 "$T/during")
is "$((${last:--1} + 1))" "$n_during" \
    "the archive holds lines 0..$last, none missing ($n_during)"
bound=$((3 * 1000 + (16384 + 2 * 65536) / L))
lost=$((acked / L - n_during))
ok $([ "$lost" -le "$bound" ] && echo 0 || echo 1) \
    "acknowledged $((acked / L)) lines, archived $n_during: lost $lost <= bound $bound"
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
