#!/bin/sh
# collector_udp_burst.sh — a UDP worker under load drains its socket on a
# clock instead of waking per datagram, and goes back to watching the
# socket when a poll finds it empty.
# Expect: a burst of 10,000 datagrams from four senders is archived whole
# (no drop counted); a single datagram sent once the burst is done (the
# workers are back to watching their sockets) still arrives; so do two
# more bursts with quiet gaps between them.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

start_collector --listen udp:127.0.0.1:0
ok $? "collector ready"

burst() {	# burst TAG COUNT
	python3 - "$UDP_PORT" "$1" "$2" <<'PY'
import socket, sys, time
port, tag, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(4)]
for i in range(n):
    socks[i % 4].sendto(b"<13>Nov 22 17:53:26 h burst: %s %d" %
        (tag.encode(), i), ("127.0.0.1", port))
    if i % 50 == 49:
        time.sleep(0.002)  # bursts of 50: within any receive buffer
PY
}

burst B1 10000
wait_for 20 counter_at_least archived/records 10000
ok $? "a burst of 10,000 datagrams is archived"
is "$(counter dropped/udp-queue-full)" 0 "no datagram dropped"
burst ONE 1
wait_for 10 archive_has 'burst: ONE 0'
ok $? "a lone datagram after the burst arrives"
burst B2 3000
burst B3 2
wait_for 20 counter_at_least archived/records 13003
ok $? "later bursts arrive"
is "$(counter archived/records)" 13003 "each datagram archived once"
stop_collector
ok $? "clean stop"
done_testing
