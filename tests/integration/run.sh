#!/bin/sh
# run.sh — the `seccloud run` supervisor.
# Expect: it prints "run ready" and starts the collector and the web view;
# a role that exits 2 (not built or configuration refused) is reported and
# not restarted until SIGHUP;
# a built role that is killed is restarted; SIGTERM stops everything and
# run exits 0; a config file with an error is refused with file:line.
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

mkdir -p "$T/data"
itest_start run "$SECCLOUD" run -d "$T/data"
itest_wait run 'run ready' >/dev/null
ok $? "run prints its readiness line"
itest_wait run 'started collector' >/dev/null
ok $? "the collector is started"
itest_wait run 'started web' >/dev/null
ok $? "the web view is started"

# Each role either comes up (and is then restarted after kill -9) or says it
# is not built; both are checked, whichever holds for this build.
for role in collector web; do
	line=$(itest_wait run "($role ready|$role is not available)" 30)
	case $line in
	*"not available"*)
		itest_poll 2 false
		n=$(grep -c "started $role" "$T/run.log")
		is "$n" 1 "$role: not available, so not restarted"
		# SIGHUP: the operator may have fixed it; tried once more
		kill -HUP "$(itest_pid run)"
		itest_poll 20 sh -c "[ \$(grep -c '$role is not available' '$T/run.log') -ge 2 ]"
		ok $? "$role: SIGHUP tries it again, and it is left out again"
		is "$(grep -c "started $role" "$T/run.log")" 2 "$role: started once per SIGHUP, no more"
		;;
	*)
		pid=$(pgrep -P "$(itest_pid run)" -f "seccloud $role" | head -1)
		kill -9 "$pid"
		itest_poll 10 sh -c "[ \$(grep -c 'started $role' '$T/run.log') -ge 2 ]"
		ok $? "$role: restarted after kill -9"
		;;
	esac
done

itest_stop run TERM
is "$?" 0 "SIGTERM: run exits 0"
like "$(cat "$T/run.log")" "run: stopped" "and says so"
done_testing
