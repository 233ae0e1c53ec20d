#!/bin/sh
# demo.sh — the quickstart's demo helpers against a running appliance on
# free loopback ports (never the quickstart's own 8080/5514).
# Expect: scripts/demo-users creates the four demo accounts once, with their
# passwords in DATADIR/demo-logins.txt (mode 600), and the analyst can log
# in with the password quickstart prints; scripts/demo-feed replays the
# samples once per data directory (a second run sends nothing and says
# so), and FORCE=1 replays them again; quickstart prints the password.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/itest.sh"
itest_setup

chmod 0755 "$T"
mkdir -p "$T/data"
[ "$(id -u)" -eq 0 ] && chown nobody "$T/data"
cp "$top_srcdir/tests/integration/web_policy.conf" "$T/policy.conf"
: >"$T/none.rules"
conf=$T/seccloud.conf
cat >"$conf" <<CONF
datadir "$T/data"
user nobody
policy "$T/policy.conf"
rules "$T/none.rules"
collector {
	listen tcp 127.0.0.1:0
}
web {
	listen 127.0.0.1:0
}
CONF
itest_start run "$SECCLOUD" run -f "$conf"
line=$(itest_wait run '^collector ready' 30)
ok $? "the collector is ready"
cport=$(itest_field "$line" tcp)
line=$(itest_wait run 'listening on http' 30)
ok $? "the web view is ready"
wport=$(printf '%s\n' "$line" | sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p')

"$top_srcdir/scripts/demo-users" "$SECCLOUD" "$conf"
is "$?" 0 "demo-users"
logins=$T/data/demo-logins.txt
is "$(wc -l <"$logins" | tr -d ' ')" 4 "four demo accounts"
is "$(stat -c %a "$logins")" 600 "the password file is mode 600"
pw=$(awk '$1 == "analyst" { print $3 }' "$logins")
like "$pw" '^[A-Za-z0-9]{8,}$' "the analyst has a password"
# quickstart prints it from the same file, the same way
like "$(grep -F 'say "demo login: analyst / $pw"' "$top_srcdir/scripts/quickstart")" \
    'demo login' "quickstart prints the analyst's password, not only the file"
cp "$logins" "$T/logins.before"
"$top_srcdir/scripts/demo-users" "$SECCLOUD" "$conf"
cmp -s "$logins" "$T/logins.before"
ok $? "demo-users again changes no password"

# Log in as the analyst with that password.
jar=$T/jar
base=http://127.0.0.1:$wport
curl -s -c "$jar" -o /dev/null "$base/login"
csrf=$(awk '$6 == "sc_login" { print $7 }' "$jar")
code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "csrf=$csrf" --data-urlencode "user=analyst" \
    --data-urlencode "password=$pw" "$base/login")
is "$code" 303 "the analyst logs in with the printed password ($code)"

counter() {	# counter STAGE/NAME from the store
	"$SECCLOUD" collector -f "$conf" --stats 2>/dev/null |
	    awk -v k="$1" '$1 == k { print $2 }'
}
received() { counter received/tcp; }
at_least() { [ "$(received)" -ge "$1" ] 2>/dev/null; }
lines=$(cat "$top_srcdir"/samples/*.log | wc -l)

out=$("$top_srcdir/scripts/demo-feed" "$SECCLOUD" "$conf" "$cport" 2>&1)
like "$out" "demo-feed: $lines sample log lines sent" "the first feed sends the samples"
ok $([ -f "$T/data/demo-fed" ] && echo 0 || echo 1) "and leaves its marker"
itest_poll 20 at_least "$lines"
ok $? "the collector received them ($(received))"
first=$(received)

out=$("$top_srcdir/scripts/demo-feed" "$SECCLOUD" "$conf" "$cport" 2>&1)
like "$out" "already replayed" "a second feed sends nothing and says so"
ok $(printf '%s' "$out" | grep -q 'lines sent' && echo 1 || echo 0) "no line sent"

out=$(FORCE=1 "$top_srcdir/scripts/demo-feed" "$SECCLOUD" "$conf" "$cport" 2>&1)
like "$out" "demo-feed: $lines sample log lines sent" "FORCE=1 replays"
itest_poll 20 at_least $((first + lines))
ok $? "and the collector received them again ($(received))"

itest_stop run TERM
is "$?" 0 "the appliance stops"
done_testing
