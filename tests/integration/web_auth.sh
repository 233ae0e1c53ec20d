#!/bin/sh
# web_auth.sh — accounts, sessions, CSRF and roles over HTTP.
# Expect: pages redirect to /login and the API says 401 without a session;
# a wrong password is refused (401) and audited; after 5 failures the
# account is throttled (429, with a message) even with the right password;
# the login form's token is required; every POST needs the session's CSRF
# token (form field or X-CSRF-Token), compared exactly; logout ends the
# session server-side; roles: analyst cannot see users or audit, auditor
# cannot triage, municipal can acknowledge but not close or escalate;
# disabling a user ends their sessions; login/logout/failures are audited.
. "$top_srcdir/tests/integration/web_lib.sh"
web_start || { ok 1 "web starts"; done_testing; }
ok 0 "web starts"
G=$(fx chiyoda_ssh)

c=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$BASE/inbox")
like "$c" "^303 .*/login$" "inbox without a session -> /login"
is "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/groups")" 401 "API without a session -> 401"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/alerts/$G/triage")" 303 "POST without a session -> /login"
is "$(curl -s -o /dev/null -w '%{http_code}' -b 'sc_session=0000000000000000000000000000000000000000000000000000000000000000' "$BASE/api/v1/me")" 401 "forged cookie -> 401"

login alice 'wrong password'; ok $([ $? -ne 0 ] && echo 0 || echo 1) "wrong password refused"
c=$(curl -s -o /dev/null -w '%{http_code}' -b "$WDIR/alice.jar" "$BASE/api/v1/me"); is "$c" 401 "no session after a failed login"

# login form token: missing or wrong -> 403
rm -f "$WDIR/t.jar"; curl -s -c "$WDIR/t.jar" -o /dev/null "$BASE/login"
c=$(curl -s -o /dev/null -w '%{http_code}' -b "$WDIR/t.jar" --data-urlencode user=alice --data-urlencode "password=$PW" "$BASE/login")
is "$c" 403 "login without the form token -> 403"
c=$(curl -s -o /dev/null -w '%{http_code}' -b "$WDIR/t.jar" -d csrf=abcd --data-urlencode user=alice --data-urlencode "password=$PW" "$BASE/login")
is "$c" 403 "login with a wrong form token -> 403"

# throttling per account: 4 more failures (5 in all), then even the right
# password is refused for this account, with a clear message
for i in 1 2 3 4; do login bob 'nope'; done
for i in 1 2 3 4 5; do login alice 'nope'; done
rm -f "$WDIR/t.jar"; curl -s -c "$WDIR/t.jar" -o /dev/null "$BASE/login"
tok=$(awk '$6 == "sc_login" { print $7 }' "$WDIR/t.jar")
out=$(curl -s -w '\n%{http_code}' -b "$WDIR/t.jar" --data-urlencode "csrf=$tok" --data-urlencode user=alice --data-urlencode "password=$PW" "$BASE/login")
is "$(printf '%s' "$out" | tail -1)" 429 "throttled account: right password -> 429"
like "$out" 'ログインの失敗が多すぎます' "throttled: message says so"
login admin; ok $? "another account still logs in"

login audrey; ok $? "auditor logs in"
login chiyoda; ok $? "municipal logs in"
login sapporo; ok $? "second municipal logs in"
login admin; ok $? "admin logs in"
# a second analyst session for CSRF tests: admin is an analyst too
A=$(csrf_of admin)
like "$A" '^[0-9a-f]{64}$' "session has a 256-bit CSRF token"

# CSRF
is "$(code admin /alerts/$G/triage -d action=acknowledge)" 403 "form POST without CSRF -> 403"
# a token one hex digit off the real one (the last digit flipped, never
# left equal: "${A%?}0" was the real token whenever it ended in 0)
case "$A" in *0) W="${A%?}1" ;; *) W="${A%?}0" ;; esac
ok $([ "$W" != "$A" ] && echo 0 || echo 1) "the wrong token differs from the real one"
is "$(code admin /alerts/$G/triage -d action=acknowledge -d csrf=$W)" 403 "form POST with a wrong CSRF -> 403"
is "$(code admin /alerts/$G/triage -d action=acknowledge -d "csrf=$(csrf_of audrey)")" 403 "another session's CSRF -> 403"
is "$(code admin /api/v1/groups/$G/triage -X POST -H 'Content-Type: application/json' --data-binary '{"action":"acknowledge"}')" 403 "API POST without X-CSRF-Token -> 403"
is "$(code admin /api/v1/groups/$G/triage -X POST -H 'Content-Type: application/json' -H 'X-CSRF-Token: x' --data-binary '{"action":"acknowledge"}')" 403 "API POST with a wrong token -> 403"
is "$(get admin /api/v1/groups/$G | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')" new "refused POSTs changed nothing"
is "$(code admin /logout -X POST)" 403 "logout without CSRF -> 403"

# roles
is "$(code alice /users)" 303 "throttled alice has no session (sanity)"
login alice; [ $? -ne 0 ]; ok $? "alice still throttled"
is "$(code chiyoda /users)" 403 "municipal: /users -> 403"
is "$(code chiyoda /audit)" 403 "municipal: /audit -> 403"
is "$(code chiyoda /rules)" 403 "municipal: /rules -> 403"
is "$(code chiyoda /api/v1/users)" 403 "municipal: API users -> 403"
is "$(code audrey /audit)" 200 "auditor: /audit -> 200"
is "$(code audrey /api/v1/audit)" 200 "auditor: API audit -> 200"
is "$(code audrey /users)" 403 "auditor: /users -> 403"
is "$(code audrey /alerts/$G/triage -d action=acknowledge -d "csrf=$(csrf_of audrey)")" 403 "auditor cannot triage"
is "$(code audrey /rules/reload -X POST -d "csrf=$(csrf_of audrey)")" 403 "auditor cannot reload rules"
is "$(code chiyoda /alerts/$G/triage -d action=escalate -d "csrf=$(csrf_of chiyoda)")" 403 "municipal cannot escalate"
is "$(code chiyoda /alerts/$G/triage -d action=close -d reason=benign -d "csrf=$(csrf_of chiyoda)")" 403 "municipal cannot close"
is "$(code chiyoda /alerts/$G/triage -d action=acknowledge -d "csrf=$(csrf_of chiyoda)")" 303 "municipal acknowledges own 団体's alert"
is "$(code admin /users)" 200 "admin: /users -> 200"
is "$(code admin /rules/reload -X POST -d "csrf=$A" -o /dev/null)" 303 "admin: reload accepted (no collector.pid)"
like "$(get admin '/rules?reload=failed')" 'collector.pid' "reload without a collector says so"

# admin adds and disables a user; the disabled user's session ends
is "$(code admin /users -d "csrf=$A" -d name=temp -d role=analyst --data-urlencode "password=$PW")" 303 "admin adds a user"
is "$(code admin /users -d "csrf=$A" -d name=temp2 -d role=municipal -d muni=131017 --data-urlencode "password=$PW")" 400 "bad 団体コード check digit refused"
login temp; ok $? "new user logs in"
is "$(code admin /users/temp/disable -d "csrf=$A" -d disabled=1)" 303 "admin disables the user"
is "$(code temp /api/v1/me)" 401 "disabled user's session is gone"
login temp; [ $? -ne 0 ]; ok $? "disabled user cannot log in"

# logout
T=$(csrf_of audrey)
cp "$WDIR/audrey.jar" "$WDIR/stolen.jar"
is "$(code audrey /logout -d "csrf=$T")" 303 "logout"
is "$(curl -s -o /dev/null -w '%{http_code}' -b "$WDIR/stolen.jar" "$BASE/api/v1/me")" 401 "old cookie dead after logout"

# audit trail
log=$(get admin '/api/v1/audit')
like "$log" '"action":"login"[^}]*"result":"failure"' "failed login audited"
like "$log" '"action":"login"[^}]*"result":"throttled"' "throttled login audited"
like "$log" '"user":"audrey"[^}]*"action":"logout"' "logout audited"
like "$log" '"action":"csrf"[^}]*"result":"denied"' "CSRF rejection audited"
like "$log" '"action":"rules reload"' "reload request audited"
like "$log" '"action":"user disable"[^}]*"target":"temp"' "user disable audited"

# the store holds only hashes: no cookie value in the database
cookie=$(awk '$6 == "sc_session" { print $7 }' "$WDIR/admin.jar")
( grep -q "$cookie" "$WDIR/seccloud.db" "$WDIR"/seccloud.db-wal 2>/dev/null ); is $? 1 "cookie value not stored"
web_done
