#!/bin/sh
# web_slow.sh — slow and greedy clients (web { limits { deadline; per-address } }).
# Expect: a client that trickles its request one byte a second (which
# evhttp's idle timeout never ends: every byte restarts it) is cut off by
# the request deadline (2 s here), long before its 40 bytes are sent,
# and the server says so on stderr; a normal client is served while the
# slow one is still connected; with per-address 4, a fifth connection
# from the same address is closed without a reply while four are held,
# and served again once they are gone.
. "$top_srcdir/tests/integration/web_lib.sh"
if ! command -v bash >/dev/null 2>&1; then
	echo "1..0 # SKIP bash (for /dev/tcp) not installed"; exit 0
fi
WEB_TIMEOUT=30
WEB_CONF_EXTRA='web { limits { deadline 2s; per-address 4 } }'
web_start || { ok 1 "web starts"; done_testing; }
ok 0 "web starts"

# the slow client: one byte a second, 40 bytes; it stops at the first
# write that fails (the server closed the connection)
REQ='GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: abcdef\r\n\r\n'
t0=$(date +%s)
timeout 60 bash -c "
	trap 'exit 0' PIPE
	exec 3<>/dev/tcp/127.0.0.1/$PORT || exit 2
	req=\$(printf '$REQ')
	i=0
	while [ \$i -lt \${#req} ]; do
		printf '%s' \"\${req:\$i:1}\" >&3 2>/dev/null || exit 0
		i=\$((i + 1))
		sleep 1
	done
	exit 1" &
SLOW=$!

# meanwhile a normal client is served, while the slow one is connected
c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE/login")
kill -0 "$SLOW" 2>/dev/null; still=$?
is "$c" 200 "a normal client is served during the trickle"
is "$still" 0 "... while the slow client is still connected"

wait "$SLOW"; rc=$?
t1=$(date +%s)
is "$rc" 0 "the slow client's connection was closed before it finished"
ok $([ $((t1 - t0)) -lt 20 ] && echo 0 || echo 1) \
    "cut off after $((t1 - t0)) s (deadline 2 s; the trickle takes 40 s)"
i=0
until grep -q 'request not read within 2 s' "$WDIR/stderr"; do
	i=$((i + 1)); [ $i -gt 200 ] && break; sleep 0.05
done
like "$(cat "$WDIR/stderr")" '127.0.0.1: request not read within 2 s, connection closed' \
    "the server names the slow client"

# per-address cap: hold 4 idle connections (under the deadline: they are
# dropped after 2 s, so each round holds them afresh), the fifth is shut
refused=1
n=0
while [ $n -lt 20 ] && [ $refused -ne 0 ]; do
	n=$((n + 1))
	bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT 4<>/dev/tcp/127.0.0.1/$PORT \
	    5<>/dev/tcp/127.0.0.1/$PORT 6<>/dev/tcp/127.0.0.1/$PORT; \
	    sleep 1.5" 2>/dev/null &
	HOLD=$!
	i=0
	while kill -0 "$HOLD" 2>/dev/null; do
		c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/login")
		if [ "$c" = 000 ]; then refused=0; break; fi
		i=$((i + 1)); sleep 0.05
	done
	wait "$HOLD" 2>/dev/null
done
is "$refused" 0 "a fifth connection from one address is closed"
like "$(cat "$WDIR/stderr")" 'over 4 connections from one address' "and logged"
i=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/login")" = 200 ]; do
	i=$((i + 1)); [ $i -gt 200 ] && break; sleep 0.05
done
is "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/login")" 200 \
    "served again once the held connections are gone"
web_done
