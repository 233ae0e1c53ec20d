#!/bin/sh
# web_headers.sh — security headers on every kind of response.
# Expect: the strict CSP, nosniff, X-Frame-Options DENY and Referrer-Policy
# on the login page, an authenticated page, an API reply, a static asset,
# an error and a redirect; Cache-Control no-store on authenticated pages and
# API replies; session cookie HttpOnly + SameSite=Strict, never readable by
# script; no inline <script> in any page.
. "$top_srcdir/tests/integration/web_lib.sh"
web_start || { ok 1 "web starts"; done_testing; }
ok 0 "web starts on port 0 ($PORT)"

CSP="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
login alice; ok $? "alice logs in"

check() { # check NAME PATH
	h=$(curl -s -D - -o /dev/null -b "$WDIR/alice.jar" "$BASE$2" | tr -d '\r')
	like "$h" "Content-Security-Policy: $(printf '%s' "$CSP" | sed 's/[.*]/\\&/g')" "$1: strict CSP"
	like "$h" 'X-Content-Type-Options: nosniff' "$1: nosniff"
	like "$h" 'X-Frame-Options: DENY' "$1: X-Frame-Options DENY"
	like "$h" 'Referrer-Policy: (no-referrer|same-origin)' "$1: Referrer-Policy"
}
check "login page" /login
check "inbox" /inbox
check "api" /api/v1/groups
check "static js" /static/app.js
check "404" /no/such/page
check "redirect" /

h=$(curl -s -D - -o /dev/null -b "$WDIR/alice.jar" "$BASE/inbox" | tr -d '\r')
like "$h" 'Cache-Control: no-store' "authenticated page: no-store"
h=$(curl -s -D - -o /dev/null -b "$WDIR/alice.jar" "$BASE/api/v1/groups" | tr -d '\r')
like "$h" 'Cache-Control: no-store' "api: no-store"
like "$h" 'Content-Type: application/json' "api: JSON content type"
h=$(curl -s -D - -o /dev/null "$BASE/static/app.css" | tr -d '\r')
like "$h" 'Content-Type: text/css' "css served as text/css"

# the session cookie as set at login
rm -f "$WDIR/h.jar"; curl -s -c "$WDIR/h.jar" -o /dev/null "$BASE/login"
tok=$(awk '$6 == "sc_login" { print $7 }' "$WDIR/h.jar")
h=$(curl -s -D - -o /dev/null -b "$WDIR/h.jar" --data-urlencode "csrf=$tok" \
    --data-urlencode user=alice --data-urlencode "password=$PW" "$BASE/login" | tr -d '\r')
like "$h" 'Set-Cookie: sc_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict' \
    "session cookie: HttpOnly, SameSite=Strict"
( echo "$h" | grep 'sc_session=' | grep -q Secure ); is $? 1 "no Secure flag over plain HTTP"

# no inline script anywhere: every <script> has a src
for p in /login /inbox /alerts/$(fx chiyoda_ssh) /sources /dashboard /reports /rules; do
	b=$(get alice "$p")
	n=$(printf '%s' "$b" | grep -o '<script[^>]*>' | grep -vc 'src="/static/app.js"')
	is "$n" 0 "$p: no inline <script>"
	( printf '%s' "$b" | grep -Eiq '<[a-z][^<>]*[[:space:]]on[a-z]+=' ); is $? 1 "$p: no inline event handlers"
	( printf '%s' "$b" | grep -q 'style="' ); is $? 1 "$p: no inline style attributes"
done
web_done
