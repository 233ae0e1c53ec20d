#!/bin/sh
# web_isolation.sh — a municipal user sees only their own 団体.
# Expect: for EVERY route in web/server.c's table (read from the source, so
# a new route is covered automatically), chiyoda (131016) gets no byte of
# 札幌市 (011002) data: not the name, code, messages, sources, evidence or
# related alerts; another 団体's group id gives 404 (never 403) on every
# page, API and POST route, and the POSTs change nothing; filters naming
# the other 団体 return nothing.  The analyst does see both (control).
. "$top_srcdir/tests/integration/web_lib.sh"
web_start || { ok 1 "web starts"; done_testing; }
ok 0 "web starts"
login chiyoda; ok $? "chiyoda logs in"
login sapporo; ok $? "sapporo logs in"
login alice; ok $? "analyst logs in"
OWN=$(fx chiyoda_ssh)
OTHER=$(fx sapporo_ssh)
OTHER2=$(fx sapporo_wp)
C=$(csrf_of chiyoda)
LEAK='sapporo|札幌|011002|10\.1\.0\.1|10\.1\.1\.5'

# control: the analyst sees 札幌 data, so the checks below can fail
like "$(get alice '/inbox')" 'sapporo' "control: analyst sees sapporo in the inbox"
like "$(get alice "/alerts/$OWN")" "/alerts/$OTHER\"" "control: analyst sees the related sapporo alert"

routes=$(sed -n 's/^[[:space:]]*{ \(GET\|POST\), "\([^"]*\)".*/\1 \2/p' "$top_srcdir/web/server.c")
n=$(printf '%s\n' "$routes" | wc -l)
ok $([ "$n" -ge 30 ] && echo 0 || echo 1) "route table read from server.c ($n routes)"

printf '%s\n' "$routes" | while read -r m p; do
	case "$p" in /login|/logout|/api/v1/logout) continue ;; esac
	for g in "$OWN" "$OTHER"; do
		path=$(printf '%s' "$p" | sed "s/#/$g/; s/\*/app.js/")
		case "$p" in */users/\*/*) path=$(printf '%s' "$p" | sed 's/\*/sapporo/') ;; esac
		if [ "$m" = GET ]; then
			out=$(curl -s -w '\n%{http_code}' -b "$WDIR/chiyoda.jar" "$BASE$path")
			c=$(printf '%s' "$out" | tail -1)
			( printf '%s' "$out" | sed '$d' | grep -Eq "$LEAK" ); leak=$?
			echo "$m $path $c $leak"
		else
			case "$p" in *'#'*) ;; *) continue ;; esac
			[ "$g" = "$OWN" ] && continue
			if printf '%s' "$p" | grep -q '^/api/'; then
				c=$(curl -s -o /dev/null -w '%{http_code}' -b "$WDIR/chiyoda.jar" \
				    -H "X-CSRF-Token: $C" -H 'Content-Type: application/json' \
				    --data-binary '{"action":"acknowledge","body":"x"}' "$BASE$path")
			else
				c=$(curl -s -o /dev/null -w '%{http_code}' -b "$WDIR/chiyoda.jar" \
				    -d "csrf=$C" -d action=acknowledge -d body=x "$BASE$path")
			fi
			echo "$m $path $c 1"
		fi
	done
done >"$WDIR/results"

while read -r m path c leak; do
	is "$leak" 1 "$m $path: no 札幌 data in the reply"
	case "$path" in
	*"/$OTHER"|*"/$OTHER/"*)
		is "$c" 404 "$m $path: another 団体's id -> 404" ;;
	*)
		like "$c" '^(200|303|403|503)$' "$m $path: own data -> $c" ;;
	esac
done <"$WDIR/results"

# the refused POSTs changed nothing
h=$(get alice "/api/v1/groups/$OTHER")
like "$h" '"status":"new"' "sapporo group still new"
like "$h" '"comments":\[\]' "sapporo group has no comments"
is "$(get alice "/api/v1/groups/$OTHER2" | grep -c '"status":"new"')" 1 "second sapporo group untouched"

# filters naming the other 団体
like "$(get chiyoda '/api/v1/groups?muni=011002&status=any')" '"groups":\[\]' "filter muni=011002: nothing"
like "$(get chiyoda '/api/v1/groups?q=sapporo&status=any')" '"groups":\[\]' "free text 'sapporo': nothing"
like "$(get chiyoda '/api/v1/municipalities')" '^\[\{"code":"131016"[^]]*\}\]$' "municipalities: only own"
( get chiyoda /sources | grep -q 'counters' ); is $? 1 "municipal: no appliance counters"
like "$(get chiyoda /api/v1/sources)" '"counters":\[\]' "municipal API: no appliance counters"
# and the other way round
like "$(get sapporo /inbox)" 'sapporo' "sapporo sees its own alerts"
( get sapporo /inbox | grep -Eq 'chiyoda|千代田|131016|xss' ); is $? 1 "sapporo sees nothing of 千代田区"
is "$(code sapporo "/alerts/$OWN")" 404 "sapporo: chiyoda's id -> 404"
is "$(code sapporo "/api/v1/groups/$OWN")" 404 "sapporo: chiyoda's id via API -> 404"
web_done
