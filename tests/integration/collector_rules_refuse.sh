#!/bin/sh
# collector_rules_refuse.sh — the collector never runs with its log rules
# silently off.
# Expect: with rules-strict a bad rule refuses the start (exit 2, the
# rule's file:line: sid N: reason on stderr); an unreadable rule file
# refuses it with or without strict (exit 2, naming the file); without
# strict a bad rule is skipped and counted (rules/rejected 1) while the
# good one matches; a reload that cannot read its file keeps the previous
# set (still matching) and counts rules/reload-failed.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

good='alert syslog any any -> any any (msg:"[TEST] good"; program:sctest; content:"refuse-probe"; classtype:misc-activity; sid:9000921; rev:1;)'
bad='alert syslog any any -> any any (msg:"[TEST] bad"; program:sctest; content:"x"; nosuchkeyword:1; sid:9000922; rev:1;)'
printf '%s\n%s\n' "$good" "$bad" >"$T/mixed.rules"

# run_conf CONF: start the collector on CONF; its exit status when it
# stops by itself within 20 s, else 99 after stopping it.
run_conf() {
	"$SECCLOUD" collector -f "$1" -d "$T/data" $USERARG \
	    --listen tcp:127.0.0.1:0 >"$T/out" 2>&1 &
	_p=$!
	_end=$(($(date +%s) + 20))
	while kill -0 "$_p" 2>/dev/null; do
		if grep -q '^collector ready' "$T/out"; then
			kill "$_p"
			wait "$_p"
			return 99
		fi
		[ "$(date +%s)" -ge "$_end" ] && { kill -9 "$_p"; return 98; }
		sleep 0.05
	done
	wait "$_p"
}

printf 'rules-strict\nrules %s\n' "$T/mixed.rules" >"$T/strict.conf"
run_conf "$T/strict.conf"
is "$?" 2 "rules-strict and a bad rule: the start is refused (exit 2)"
like "$(cat "$T/out")" "mixed.rules:2: sid 9000922: .*nosuchkeyword" \
    "the reason names file:line: sid and the keyword"
like "$(cat "$T/out")" "configuration refused" "and says the start is refused"

printf 'rules %s\n' "$T/missing.rules" >"$T/missing.conf"
run_conf "$T/missing.conf"
is "$?" 2 "an unreadable rule file: the start is refused (exit 2)"
like "$(cat "$T/out")" "missing.rules: No such file" "naming the file"

printf 'rules-strict\nrules %s\n' "$T/missing.rules" >"$T/missing2.conf"
run_conf "$T/missing2.conf"
is "$?" 2 "the same with rules-strict"

# without strict: the bad rule is skipped and counted
cp "$T/mixed.rules" "$T/live.rules"
start_collector --rules "$T/live.rules" --listen tcp:127.0.0.1:0
ok $? "without strict the collector starts: $READY"
like "$(cat "$T/err")" "live.rules:2: sid 9000922: " "the bad rule is reported"
send() {
	printf '<13>Nov 22 10:00:00 lo sctest: %s\n' "$1" |
	    python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read()); s.close()' "$TCP_PORT"
}
send "refuse-probe one"
wait_for 10 counter_at_least alerts/rules 1
ok $? "the good rule matches"
is "$(counter rules/rejected)" 1 "rules/rejected counts the bad rule"
is "$(counter rules/loaded)" 1 "rules/loaded counts the good one"

# a reload that cannot read its file keeps the previous set
mv "$T/live.rules" "$T/live.rules.off"
kill -HUP "$CPID"
wait_for 10 counter_at_least rules/reload-failed 1
ok $? "the failed reload is counted (rules/reload-failed)"
like "$(cat "$T/err")" "live.rules: No such file" "and logged, naming the file"
send "refuse-probe two"
wait_for 10 counter_at_least alerts/rules 2
ok $? "the previous set still matches"
stop_collector
ok $? "clean stop"
is "$(sqlite3 "$T/data/seccloud.db" 'SELECT count(*) FROM alerts WHERE sid = 9000921')" \
    2 "two alerts of the good rule"
done_testing
