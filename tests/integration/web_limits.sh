#!/bin/sh
# web_limits.sh — limits and malformed requests.
# Expect: headers over SC_HTTP_HEADERS_MAX (16 KiB) -> 4xx; a body over
# SC_HTTP_BODY_MAX (64 KiB) -> 413; a client that stops mid-headers is cut
# off after the timeout (2 s in its own run) without a reply; garbage request lines,
# unknown methods, bad ids, traversal paths and bad filter values get
# 4xx/501, never a crash: the server answers normally afterwards.
. "$top_srcdir/tests/integration/web_lib.sh"
web_start || { ok 1 "web starts"; done_testing; }
ok 0 "web starts"
login alice; ok $? "alice logs in"

big=$(head -c 20000 /dev/zero | tr '\0' a)
c=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$BASE/login")
like "$c" '^4[0-9][0-9]$' "oversize header -> 4xx ($c)"
head -c 70000 /dev/zero | tr '\0' a >"$WDIR/big"
c=$(code alice /alerts/1/comment --data-binary @"$WDIR/big")
is "$c" 413 "oversize body -> 413"

raw() { # raw BYTES — send BYTES, print the status line
	timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; printf '$1' >&3; head -1 <&3" | tr -d '\r'
}
like "$(raw 'GARBAGE\r\n\r\n')" '^HTTP/1\.[01] 4[0-9][0-9]' "garbage request line -> 4xx"
like "$(raw 'GET /login HTTP/9.9\r\n\r\n')" '^HTTP/1\.[01] [45][0-9][0-9]|^$' "bad version refused"
like "$(raw 'GET /login HTTP/1.1\r\nHost x\r\n\r\n')" '^HTTP/1\.[01] 4[0-9][0-9]' "header without colon -> 4xx"
c=$(code alice /login -X PUT); like "$c" '^(405|501)$' "PUT -> $c"
c=$(code alice /inbox -X POST -d x=1); is "$c" 405 "POST to a GET route -> 405"
is "$(code alice /alerts/99999999999999999999)" 404 "overlong id -> 404"
is "$(code alice /alerts/abc)" 404 "non-numeric id -> 404"
is "$(code alice '/alerts/-1')" 404 "negative id -> 404"
is "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$BASE/static/../seccloud.db")" 404 "traversal in static -> 404"
is "$(code alice '/static/.hidden')" 404 "dot file in static -> 404"
is "$(code alice '/inbox?sev=9')" 400 "bad severity filter -> 400"
is "$(code alice '/inbox?after=1.x')" 400 "bad cursor -> 400"
is "$(code alice '/inbox?from=notadate')" 400 "bad date -> 400"
is "$(code alice '/inbox?status=%27%20OR%201=1')" 400 "SQL-ish status -> 400"
is "$(code alice '/inbox?q=%27%22%3B--%25_')" 200 "hostile free text is just text"
c=$(code alice /api/v1/groups/1/triage -X POST -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: application/json' --data-binary '{"action":')
is "$c" 400 "truncated JSON body -> 400"
printf 'csrf=%s&body=a\000b' "$CSRF" >"$WDIR/nul"
c=$(code alice /alerts/1/comment -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$WDIR/nul")
is "$c" 400 "NUL in a form body -> 400"
is "$(get alice "/api/v1/groups?sev=1" | grep -o "\"sid\":9200001" | wc -l)" 2 "two S1 groups (a filter does not shrink the page)"
is "$(code alice /inbox)" 200 "still serving after all that"
kill -0 "$WEB_PID"; ok $? "web process alive"

# a server with a 2 s timeout for the slow-client case
web_stop
WEB_TIMEOUT=2
web_serve; ok $? "web restarts with a 2 s timeout"
# slowloris: half a request, then silence; the server must hang up
start=$(date +%s)
out=$(timeout 15 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT
	printf 'GET /login HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n' >&3; cat <&3")
rc=$?
el=$(( $(date +%s) - start ))
is "$rc" 0 "slow client: server closed the connection (not our 15 s timeout)"
ok $([ $el -le 6 ] && echo 0 || echo 1) "slow client cut off after the timeout (${el}s)"
( printf '%s' "$out" | grep -q '200 OK' ); is $? 1 "slow client got no page"

web_done
