#!/bin/sh
# collector_tls_stop.sh — SIGTERM flushes what TLS clients already sent.
# An openssl s_client connection stays open; once its first line is in,
# the collector is stopped (SIGSTOP), the client sends 500 more
# octet-counted frames (the kernel takes them: the client's send queue
# drains), and the collector gets SIGTERM and SIGCONT.  Whatever it had not
# read yet sits in its socket and in OpenSSL's buffers.
# Expect: a clean stop with all 501 lines archived once, and
# `archive verify` passing.  (Which thread reads the pending frames is up
# to the scheduler: the stream thread may still take them before the stop
# lands; either way none may be lost.  With a client still sending, the
# stop path reads tens of KiB over TLS: "bytes read over tls at stop" at
# -v.)
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

(
	cd "$T" &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout srv.key \
	    -out srv.pem -days 2 -subj /CN=localhost
) >/dev/null 2>&1
ok $? "test certificate"
start_collector --listen tls:127.0.0.1:0 --tls-cert "$T/srv.pem" \
    --tls-key "$T/srv.key"
ok $? "collector ready: $READY"

frame() { m="<13>Nov 22 17:53:26 h s: $1"; printf '%d %s' "${#m}" "$m"; }
mkfifo "$T/in"
timeout 60 openssl s_client -quiet -connect "127.0.0.1:$TLS_PORT" \
    -CAfile "$T/srv.pem" <"$T/in" >/dev/null 2>&1 &
EXTRA_PIDS=$!
exec 3>"$T/in"
frame TLS-FIRST >&3
wait_for 10 archive_has TLS-FIRST
ok $? "first line over the open connection archived"
kill -STOP "$CPID"
i=0
while [ $i -lt 500 ]; do
	frame "TLS-PENDING-$i" >&3
	i=$((i + 1))
done
# the client has handed everything to the kernel, which has taken it
sent() {
	ss -tnH state established "( dport = :$TLS_PORT )" |
	    awk '{ q += $2 } END { exit !(NR > 0 && q == 0) }'
}
wait_for 10 sent
ok $? "the client's frames are in the collector's socket"
kill -TERM "$CPID"
kill -CONT "$CPID"
wait "$CPID"
ok $? "clean stop"
CPID=
exec 3>&-
n=$("$SECCLOUD" archive -d "$T/data" search 'TLS-PENDING-[0-9]+$' | wc -l)
is "$n" 500 "every frame sent before SIGTERM is archived"
is "$("$SECCLOUD" archive -d "$T/data" search 'TLS-PENDING-499$' | wc -l)" 1 \
    "the last one too, once"
"$SECCLOUD" archive -d "$T/data" verify >/dev/null
ok $? "archive verify passes"
done_testing
