#!/bin/sh
# collector_conf.sh — the collector { } block of seccloud.conf.
# Expect: listeners, limits (frame-max, oversize drop) and the policy come
# from the file; a 2 KiB line over a 1 KiB frame-max is dropped and
# counted; the line after it still arrives; a bad block is refused with
# file:line errors for every mistake, before anything is opened.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

cat >"$T/seccloud.conf" <<X
datadir "$T/data"
policy "$T/policy.conf"
rules "$T/none.rules"
collector {
	listen tcp 127.0.0.1:0
	listen udp 127.0.0.1:0
	udp-workers 1
	oversize drop
	stats-interval 1h
	limits {
		frame-max 1k
		connections 16
		idle-timeout 30s
		conn-buffer 64k
		batch-age 100ms
	}
}
X
: >"$T/none.rules"
: >"$T/err"
"$SECCLOUD" collector -f "$T/seccloud.conf" $USERARG 2>"$T/err" &
CPID=$!
wait_for 10 grep -q '^collector ready' "$T/err"
ok $? "ready from the config file"
READY=$(grep '^collector ready' "$T/err")
like "$READY" '^collector ready tcp=127\.0\.0\.1:[0-9]+ udp=127\.0\.0\.1:[0-9]+$' \
    "one key per listener, in config order"
TCP_PORT=$(printf '%s' "$READY" | sed -n 's/.* tcp=[^ ]*:\([0-9]*\).*/\1/p')
python3 - "$TCP_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"<13>Nov 22 17:53:26 h t: TOO-LONG " + b"y" * 2048 + b"\n")
s.sendall(b"<13>Nov 22 17:53:26 h t: FITS\n")
s.close()
PY
wait_for 10 archive_has FITS --municipality 242501
ok $? "the line after the oversize one arrives, tagged from the policy"
wait_for 5 counter_at_least dropped/oversize 1
ok $? "the 2 KiB line over frame-max 1k is dropped and counted"
archive_has TOO-LONG
ok $([ $? -ne 0 ] && echo 0 || echo 1) "and is not archived"
stop_collector
ok $? "clean stop"

cat >"$T/bad.conf" <<X
datadir "$T/data2"
collector {
	listen sctp 127.0.0.1:1
	limits { frame-max 10 ; queue 1 }
	oversize maybe
	nonsense yes
}
X
"$SECCLOUD" collector -f "$T/bad.conf" >"$T/out" 2>&1
is "$?" 2 "a bad collector block is refused (exit 2: run leaves it out)"
out=$(cat "$T/out")
like "$out" 'bad.conf:3: .*listen' "listen error with file:line"
like "$out" 'bad.conf:4: .*frame-max' "frame-max range error"
like "$out" 'bad.conf:4: .*queue' "queue range error"
like "$out" 'bad.conf:5: .*oversize' "oversize value error"
like "$out" 'bad.conf:6: .*nonsense' "unknown keyword"
ok $([ ! -e "$T/data2" ] && echo 0 || echo 1) "nothing was created"
done_testing
