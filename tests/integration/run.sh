#!/bin/sh
# run.sh — the `seccloud run` supervisor, on free loopback ports.
# Expect: a config file with an error is refused with file:line; from a
# written config whose every role listens on 127.0.0.1:0 (never a fixed
# port such as 8080 that a running quickstart may hold) it prints
# "run ready" and starts the collector and the web view, each reaching its
# readiness line and answering on the port it reports; a role killed with
# -9 is restarted and listens again; a role whose configuration is refused
# is not restarted in a tight loop (left out until SIGHUP, or restarted
# with a growing backoff); SIGHUP keeps the roles up; SIGTERM stops
# everything and run exits 0.  Every wait polls with a deadline.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/itest.sh"
itest_setup

cat >"$T/bad.conf" <<'CONF'
datadir "data"
bogus-keyword 1
CONF
"$SECCLOUD" run -f "$T/bad.conf" >"$T/bad.out" 2>&1
is "$?" 1 "a bad config is refused"
like "$(cat "$T/bad.out")" "bad.conf:2: unknown keyword 'bogus-keyword'" \
    "with file:line"

# As root every role drops to nobody: nobody must reach the data.
chmod 0755 "$T"
mkdir -p "$T/data"
[ "$(id -u)" -eq 0 ] && chown nobody "$T/data"
cp "$top_srcdir/tests/integration/web_policy.conf" "$T/policy.conf"
: >"$T/none.rules"
cat >"$T/seccloud.conf" <<CONF
datadir "$T/data"
user nobody
policy "$T/policy.conf"
rules "$T/none.rules"
collector {
	listen tcp 127.0.0.1:0
	listen udp 127.0.0.1:0
}
web {
	listen 127.0.0.1:0
}
sensor broken {
	workers banana
}
CONF

# count NAME REGEX: lines of NAME's log matching REGEX
count() { grep -c -E -- "$2" "$T/$1.log"; }
at_least() { [ "$(count "$1" "$2")" -ge "$3" ]; }
tcp_open() {
	python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5).close()' "$1" 2>/dev/null
}
web_port() {	# the port of the Nth "listening on" line
	grep -E 'listening on https?://127\.0\.0\.1:[0-9]+' "$T/run.log" |
	    sed -n "$1s/.*127\.0\.0\.1:\([0-9]*\).*/\1/p"
}
col_port() {	# the tcp port of the Nth "collector ready" line
	grep '^collector ready' "$T/run.log" |
	    sed -n "$1s/.* tcp=127\.0\.0\.1:\([0-9]*\).*/\1/p"
}
http_code() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
	    "http://127.0.0.1:$1/login"
}

itest_start run "$SECCLOUD" run -f "$T/seccloud.conf"
itest_wait run 'run ready' >/dev/null
ok $? "run prints its readiness line"
itest_wait run '^collector ready' 30 >/dev/null
ok $? "the collector reaches its readiness line"
itest_wait run 'listening on http' 30 >/dev/null
ok $? "the web view reaches its readiness line"

cport=$(col_port 1)
wport=$(web_port 1)
like "$cport" '^[0-9]+$' "the collector reports its tcp port ($cport)"
like "$wport" '^[0-9]+$' "the web view reports its port ($wport)"
ok $([ "$wport" != 8080 ] && [ "$cport" != 514 ] && echo 0 || echo 1) \
    "free ports from the config, not the fixed defaults"
tcp_open "$cport"
ok $? "the collector accepts on its port"
is "$(http_code "$wport")" 200 "the web view answers on its port"

# A refused configuration must not spin: left out until SIGHUP (exit 2),
# or restarted with a backoff that grows (1 s, then 2 s, ...).
line=$(itest_wait run '(sensor broken is not available|sensor broken exited with status [0-9]+; restarting in 2 s)' 30)
ok $? "a role whose configuration is refused is not restarted in a loop"
like "$(cat "$T/run.log")" 'seccloud.conf:13: workers:' \
    "its error is reported with file:line"

for role in collector web; do
	before=$(count run "started $role")
	pid=$(pgrep -P "$(itest_pid run)" -f "seccloud $role" | head -1)
	ok $([ -n "$pid" ] && echo 0 || echo 1) "$role: a child process ($pid)"
	kill -9 "$pid"
	itest_poll 20 at_least run "started $role" $((before + 1))
	ok $? "$role: restarted after kill -9"
done
itest_poll 30 at_least run '^collector ready' 2
ok $? "the collector is ready again"
cport=$(col_port 2)
itest_poll 10 tcp_open "$cport"
ok $? "and accepts on its new port ($cport)"
itest_poll 30 at_least run 'listening on http' 2
ok $? "the web view is listening again"
wport=$(web_port 2)
is "$(http_code "$wport")" 200 "and answers on its new port ($wport)"

# SIGHUP: reload, every role stays up.
started=$(count run 'started (collector|web)')
kill -HUP "$(itest_pid run)"
itest_poll 20 sh -c "pgrep -P $(itest_pid run) -f 'seccloud collector' >/dev/null"
ok $? "after SIGHUP the collector is up"
is "$(http_code "$wport")" 200 "after SIGHUP the web view still answers"
is "$(count run 'started (collector|web)')" "$started" \
    "SIGHUP restarts neither"

itest_stop run TERM
is "$?" 0 "SIGTERM: run exits 0"
like "$(cat "$T/run.log")" "run: stopped" "and says so"
ok $(pgrep -f "seccloud.*$T/seccloud.conf" >/dev/null && echo 1 || echo 0) \
    "no child is left running"
done_testing
