#!/bin/sh
# run.sh — the web benchmark.  From a build directory:
#   make bench && sh ../bench/web/run.sh [ALERTS [GROUPS]]
# Seeds a store (bench_web_seed; default 10M alerts in 1M groups), starts
# `seccloud web`, logs in, and reports the median and 90th percentile of
# the time to the first byte over 21 requests for: the first inbox page,
# a page 90% deep in the list with filters, alert detail, the dashboard and
# a municipal user's inbox; then requests per second under wrk (10 s,
# 2 threads, 8 connections) against the inbox.  A report, not a test.
# BENCH_STORE=DIR keeps the seeded store in DIR and reuses it on the next
# run (seeding 10M alerts takes minutes; an older store is upgraded by the
# schema steps when the server opens it, which is itself worth timing).
set -eu
ALERTS=${1:-10000000}
GROUPS=${2:-1000000}
B=${top_builddir:-.}
S=$(cd "$(dirname "$0")/../.." && pwd)
PID=
if [ -n "${BENCH_STORE:-}" ]; then
	D=$BENCH_STORE
	mkdir -p "$D"
	trap 'kill $PID 2>/dev/null' EXIT
else
	D=$(mktemp -d "${TMPDIR:-/tmp}/bench_web.XXXXXX")
	trap 'kill $PID 2>/dev/null; rm -rf "$D"' EXIT
fi
if [ ! -f "$D/seed" ]; then
	rm -f "$D/seccloud.db"*
	"$B/bench/web/bench_web_seed" "$D/seccloud.db" "$ALERTS" "$GROUPS" \
	    >"$D/seed.tmp"
	mv "$D/seed.tmp" "$D/seed"
	MUNI=$(awk '$1 == "muni" { print $2 }' "$D/seed")
	printf 'bench password\n' >"$D/pw"
	"$B/seccloud" user -d "$D" add bench --role analyst \
	    --password-file "$D/pw"
	"$B/seccloud" user -d "$D" add muni --role municipal --muni "$MUNI" \
	    --password-file "$D/pw"
fi
cat "$D/seed"
as=; [ "$(id -u)" -eq 0 ] && { chown -R nobody "$D"; as="--user nobody"; }
# shellcheck disable=SC2086
t0=$(date +%s)
"$B/seccloud" web -d "$D" --listen 127.0.0.1:0 $as 2>"$D/err" &
PID=$!
i=0
until grep -q 'listening on' "$D/err"; do
	i=$((i + 1)); [ $i -lt 40000 ] || { cat "$D/err"; exit 1; }; sleep 0.05
done
echo "server ready in $(($(date +%s) - t0)) s (includes any schema upgrade)"
BASE=http://127.0.0.1:$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$D/err")
login() {
	rm -f "$D/$1.jar"
	curl -s -c "$D/$1.jar" -o /dev/null "$BASE/login"
	tok=$(awk '$6 == "sc_login" { print $7 }' "$D/$1.jar")
	curl -s -b "$D/$1.jar" -c "$D/$1.jar" -o /dev/null --data-urlencode \
	    "csrf=$tok" -d "user=$1" -d 'password=bench password' "$BASE/login"
}
login bench; login muni
measure() { # NAME JAR PATH
	for i in $(seq 21); do
		curl -s -b "$D/$2.jar" -o /dev/null -w '%{time_starttransfer}\n' \
		    "$BASE$3"
	done | sort -n | awk -v n="$1" '{ t[NR] = $1 * 1000 }
	    END { printf "%-34s median %7.1f ms  p90 %7.1f ms\n", n, t[11], t[19] }'
}
deep=$((GROUPS / 10))
ls=$(curl -s -b "$D/bench.jar" "$BASE/api/v1/groups/$deep" |
    sed -n 's/.*"last_seen":\([0-9]*\).*/\1/p')
echo "store: $ALERTS alerts, $GROUPS groups ($(du -h "$D/seccloud.db" | cut -f1))"
measure "inbox, first page" bench /inbox
measure "inbox, 90% deep, sev+tier filter" bench "/inbox?sev=3&tier=I&after=$ls.$deep"
measure "inbox, 90% deep, no filter" bench "/inbox?after=$ls.$deep"
measure "inbox, free text, rare" bench "/inbox?q=198.51.7.7"
measure "inbox, free text, 1 in 200" bench "/inbox?q=bench+rule+17"
measure "inbox, free text, every row" bench "/inbox?q=rule"
measure "inbox, free text, 2 chars" bench "/inbox?q=77"
measure "municipal free text, rare" muni "/inbox?q=198.51.7.7"
measure "alert detail" bench "/alerts/$((GROUPS / 2))"
measure "dashboard (14 days)" bench /dashboard
measure "municipal inbox" muni /inbox
measure "api groups, first page" bench /api/v1/groups
if command -v wrk >/dev/null 2>&1; then
	cookie=$(awk '$6 == "sc_session" { print $7 }' "$D/bench.jar")
	wrk -t 2 -c 8 -d 10s -H "Cookie: sc_session=$cookie" "$BASE/inbox" |
	    grep -E 'Requests/sec|Latency'
fi
