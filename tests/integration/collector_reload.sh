#!/bin/sh
# collector_reload.sh — SIGHUP, many times, with seccloud.conf read again.
# Expect:
#  - 100 SIGHUPs, each after a change of the policy, are each applied
#    (one "reload: policy" line each, none ignored), while a sender keeps
#    sending over TCP: every line it sent is archived once, and the line
#    sent after the 100th reload is tagged with the 100th policy's 団体
#    (242012; the 99 before it said 242501);
#  - a new certificate and key in the same files is served to new TLS
#    connections after SIGHUP;
#  - a seccloud.conf with errors at SIGHUP is refused and the running
#    configuration kept; a changed listener is logged as needing a
#    restart and the old one keeps serving.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

cert() {	# cert CN: a self-signed srv.pem / srv.key for CN
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/srv.key" \
	    -out "$T/srv.pem" -days 2 -subj "/CN=$1" >/dev/null 2>&1 &&
	    chmod 0644 "$T/srv.key" # the collector re-reads it unprivileged
}
cert sc-reload-one
ok $? "first certificate"

conf() {	# conf LISTEN_TCP
	cat >"$T/seccloud.conf" <<X
datadir "$T/data"
policy "$T/policy.conf"
rules "$T/none.rules"
collector {
	listen tcp $1
	listen tls 127.0.0.1:0
	stats-interval 1h
	tls { cert "$T/srv.pem"; key "$T/srv.key" }
	limits { batch-age 100ms }
}
X
}
policy() {	# policy N CODE: 127.0.0.1 is source lo-N of CODE
	cat >"$T/policy.conf" <<X
prefecture "テスト県" {
	code 240001
	model alpha
}
municipality "テスト市" {
	code 242501
	type city
	tier I 10.11.32.0/20
}
municipality "テスト町" {
	code 242012
	type town
	tier I 10.12.32.0/20
}
X
	sed -i "/code $2/,/tier I/ s|tier I \(.*\)|tier I \1 127.0.0.1/32\n\tsource lo-$1 127.0.0.1 type syslog interval 1d|" \
	    "$T/policy.conf"
}
: >"$T/none.rules"
policy 0 242501
conf 127.0.0.1:0
: >"$T/err"
"$SECCLOUD" collector -f "$T/seccloud.conf" $USERARG >/dev/null 2>"$T/err" &
CPID=$!
wait_for 10 grep -q '^collector ready' "$T/err"
ok $? "ready"
TCP_PORT=$(sed -n 's/^collector ready.* tcp=[^ ]*:\([0-9]*\).*/\1/p' "$T/err")
TLS_PORT=$(sed -n 's/^collector ready.* tls=[^ ]*:\([0-9]*\).*/\1/p' "$T/err")

# a sender that keeps sending until told to stop, then says how many
python3 - "$TCP_PORT" "$T/stop" >"$T/sent" <<'PY' &
import os, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
n = 0
while not os.path.exists(sys.argv[2]):
    s.sendall(b"".join(b"<13>1 - h t - - - DURING-%d\n" % (n + i) for i in range(50)))
    n += 50
    time.sleep(0.002)  # pace: a steady stream, not a flood
s.close()
print(n)
PY
SENDER=$!
EXTRA_PIDS=$SENDER

reloads() { grep -c 'reload: policy with' "$T/err"; }
reached() { [ "$(reloads)" -ge "$1" ]; }
i=1
fail=0
while [ $i -le 100 ]; do
	if [ $i -eq 100 ]; then
		policy $i 242012
	else
		policy $i 242501
	fi
	kill -HUP "$CPID"
	wait_for 10 reached $i || { fail=$i; break; }
	i=$((i + 1))
done
is "$fail" 0 "100 SIGHUPs: each policy change applied (first miss: $fail)"
is "$(reloads)" 100 "100 reload lines"
like "$(cat "$T/err")" '.' "collector still running"
kill -0 "$CPID"
ok $? "and alive"
touch "$T/stop"
wait "$SENDER"
EXTRA_PIDS=
sent=$(cat "$T/sent")
ok $([ "${sent:-0}" -gt 0 ] && echo 0 || echo 1) "the sender sent $sent lines meanwhile"
n_archived() { "$SECCLOUD" archive -d "$T/data" search 'DURING-[0-9]+$' | wc -l; }
all_in() { [ "$(n_archived)" -eq "$sent" ]; }
wait_for 20 all_in
ok $? "every line sent across the reloads is archived once ($(n_archived) of $sent)"
printf '<13>1 - h t - - - AFTER-100\n' |
    python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read()); s.close()' "$TCP_PORT"
wait_for 10 archive_has AFTER-100 --municipality 242012
ok $? "the 100th policy tags the next line (242012)"
archive_has AFTER-100 --municipality 242501
ok $([ $? -ne 0 ] && echo 0 || echo 1) "not the 99th (242501)"

# TLS: a new certificate in the same files, for new connections
subject() {
	echo | timeout 10 openssl s_client -connect "127.0.0.1:$TLS_PORT" \
	    2>/dev/null | openssl x509 -noout -subject 2>/dev/null
}
like "$(subject)" 'sc-reload-one' "TLS serves the first certificate"
cert sc-reload-two
ok $? "second certificate written over the first"
kill -HUP "$CPID"
wait_for 10 grep -q 'reload: tls certificate' "$T/err"
ok $? "SIGHUP reloads the certificate"
like "$(subject)" 'sc-reload-two' "new TLS connections get the new one"

# a broken file is refused, a listener change needs a restart
n=$(reloads)
sed -i 's/limits { batch-age 100ms }/limits { batch-age 100ms; connections 0 }/' \
    "$T/seccloud.conf"
kill -HUP "$CPID"
wait_for 10 grep -q 'has errors (above); keeping the running' "$T/err"
ok $? "a seccloud.conf with errors is refused at SIGHUP"
like "$(cat "$T/err")" 'seccloud.conf:9: .*connections' \
    "its errors are reported with file:line"
conf 127.0.0.1:1
kill -HUP "$CPID"
wait_for 10 grep -q 'reload: listen changed in the file; it takes effect after a restart' "$T/err"
ok $? "a changed listener is logged as needing a restart"
printf '<13>1 - h t - - - STILL-HERE\n' |
    python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read()); s.close()' "$TCP_PORT"
wait_for 10 archive_has STILL-HERE
ok $? "the running listener keeps serving"
stop_collector
ok $? "clean stop"
done_testing
