#!/bin/sh
# collector_rules_reload.sh — SIGHUP while lines stream in over TCP: the
# rule set is rebuilt beside the old one and swapped, and every line is
# matched by exactly one of the two sets.
# Expect: one connection sends numbered lines that both versions of rule
# 9000911 match; half-way the rule file is changed (rev 2, a new msg, and
# a new rule 9000912) and the collector gets SIGHUP while the sender goes
# on until the reload is logged.  Then exactly one 9000911 alert per line
# (none lost, none matched twice), each with its own archive ref and its
# own line as evidence; alerts of both revs; 9000912 fires on a line sent
# after the reload and not on the same text sent before it; no reload or
# match error is counted.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

rule_v1='alert syslog any any -> any any (msg:"[TEST] reload probe v1"; program:sctest; content:"reload-probe"; classtype:misc-activity; sid:9000911; rev:1;)'
rule_v2='alert syslog any any -> any any (msg:"[TEST] reload probe v2"; program:sctest; content:"reload-probe"; classtype:misc-activity; sid:9000911; rev:2;)
alert syslog any any -> any any (msg:"[TEST] only after the reload"; program:sctest; content:"only-v2"; classtype:misc-activity; sid:9000912; rev:1;)'
printf '%s\n' "$rule_v1" >"$T/test.rules"

start_collector --rules "$T/test.rules" --listen tcp:127.0.0.1:0
ok $? "collector ready: $READY"
loaded() { grep -q 'rules: [0-9]* loaded' "$T/err"; }
reloaded() { grep -q 'rules: reloaded' "$T/err"; }
loaded
ok $? "the first set is loaded"

# The sender: HALF lines "reload-probe seq=I" as fast as the socket takes
# them, then says so in $T/half and goes on (about 25,000 lines/s) until
# $T/reloaded exists (at most MAX lines), then sends TAIL more and writes
# the total.
cat >"$T/send.py" <<'PY'
import os, socket, sys, time
port, d = int(sys.argv[1]), sys.argv[2]
HALF, TAIL, MAX = 2000, 2000, 1000000
s = socket.create_connection(("127.0.0.1", port))
n = 0
def send(k):
    global n
    buf = b"".join(b"<13>Nov 22 10:00:00 lo sctest: reload-probe seq=%d\n"
                   % (n + i) for i in range(k))
    s.sendall(buf)
    n += k
send(HALF)
open(os.path.join(d, "half"), "w").close()
deadline = time.time() + 60
while not os.path.exists(os.path.join(d, "reloaded")) and n < MAX \
        and time.time() < deadline:
    send(50)
    time.sleep(0.002)
send(TAIL)
s.close()
with open(os.path.join(d, "sent.tmp"), "w") as f:
    f.write("%d\n" % n)
os.rename(os.path.join(d, "sent.tmp"), os.path.join(d, "sent"))
PY
# "only-v2" before the reload: the old set has no rule for it
printf '<13>Nov 22 10:00:00 lo sctest: only-v2 before\n' |
    python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read()); s.close()' "$TCP_PORT"
wait_for 10 counter_at_least stored/events 1
ok $? "the before line is stored"

python3 "$T/send.py" "$TCP_PORT" "$T" &
SENDER=$!
EXTRA_PIDS=$SENDER
wait_for 20 test -e "$T/half"
ok $? "the sender is half-way"
# the first HALF lines are matched by the old set before the reload
wait_for 20 counter_at_least stored/events 2001
ok $? "its first 2000 lines are stored"
printf '%s\n' "$rule_v2" >"$T/test.rules.new"
mv "$T/test.rules.new" "$T/test.rules"
kill -HUP "$CPID"
wait_for 20 reloaded
ok $? "the reload is logged (after the swap)"
touch "$T/reloaded"
wait_for 60 test -e "$T/sent"
ok $? "the sender is done"
wait "$SENDER"
EXTRA_PIDS=
N=$(cat "$T/sent")
diag "$N lines sent"
# after the reload: the new rule fires
printf '<13>Nov 22 10:00:00 lo sctest: only-v2 after\n' |
    python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read()); s.close()' "$TCP_PORT"
wait_for 60 counter_at_least stored/events $((N + 2))
ok $? "all $((N + 2)) lines stored"
wait_for 10 counter_at_least alerts/rules $((N + 1))
stop_collector
ok $? "SIGTERM: clean stop"

q() { sqlite3 "$T/data/seccloud.db" "$1"; }
is "$(q 'SELECT count(*) FROM alerts WHERE sid = 9000911')" "$N" \
    "exactly one 9000911 alert per line ($N): none lost, none twice"
is "$(q "SELECT count(DISTINCT archive_segment || ':' || archive_record) FROM alerts WHERE sid = 9000911 AND archive_segment IS NOT NULL")" \
    "$N" "each with its own archive ref"
is "$(q "SELECT count(DISTINCT CAST(evidence AS TEXT)) FROM alerts WHERE sid = 9000911 AND CAST(evidence AS TEXT) LIKE '%reload-probe seq=%'")" \
    "$N" "each with its own line as evidence"
v1=$(q 'SELECT count(*) FROM alerts WHERE sid = 9000911 AND rev = 1')
v2=$(q 'SELECT count(*) FROM alerts WHERE sid = 9000911 AND rev = 2')
[ "$v1" -ge 2000 ] && [ "$v2" -ge 2000 ]
ok $? "matched by the old set ($v1 >= 2000) then the new one ($v2 >= 2000)"
# seq_of AGG REV: min or max of the seq= numbers matched by rev REV
seq_of() {
	q "SELECT $1(CAST(substr(e, instr(e, 'seq=') + 4) AS INTEGER)) FROM (SELECT CAST(evidence AS TEXT) AS e FROM alerts WHERE sid = 9000911 AND rev = $2)"
}
is "$(seq_of max 1)" "$(($(seq_of min 2) - 1))" \
    "one switch point: every line before it old, every line after it new"
is "$(q "SELECT count(*) || ' ' || max(msg) FROM alert_groups WHERE sid = 9000911")" \
    "1 [TEST] reload probe v2" "one group, counting on, with the new msg"
is "$(q 'SELECT count FROM alert_groups WHERE sid = 9000911')" "$N" \
    "the group counts $N"
is "$(q "SELECT count(*) FROM alerts WHERE sid = 9000912")" 1 \
    "the new rule fired once"
like "$(q "SELECT CAST(evidence AS TEXT) FROM alerts WHERE sid = 9000912")" \
    'only-v2 after$' "on the line sent after the reload"
is "$(counter rules/reload-failed)" 0 "no failed reload"
is "$(counter rules/match-errors)" 0 "no match error"
is "$(counter rules/unmatched-events)" 0 "no unmatched line"
is "$(counter alerts/store-errors)" 0 "no alert refused by the store"
is "$(counter rules/loaded)" 2 "rules/loaded: the new set's 2 rules"
done_testing
