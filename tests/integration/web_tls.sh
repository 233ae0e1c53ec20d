#!/bin/sh
# web_tls.sh — HTTPS when a certificate is configured.
# Expect: with --cert/--key the readiness line says https; a TLS client
# (curl, trusting the test CA) logs in; the session cookie carries Secure;
# Strict-Transport-Security is sent; plain HTTP to the TLS port gets no
# page; TLS below 1.2 is refused.
if ! command -v openssl >/dev/null 2>&1; then
	echo "1..0 # SKIP openssl not installed"; exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/web_tls.XXXXXX")
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 2 \
    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
chmod 644 "$T/key.pem" "$T/cert.pem"
WEB_ARGS="--cert $T/cert.pem --key $T/key.pem"
. "$top_srcdir/tests/integration/web_lib.sh"
trap 'web_cleanup; rm -rf "$T"' EXIT
web_start || { ok 1 "web starts"; done_testing; }
ok 0 "web starts"
is "$SCHEME" https "readiness line says https"
C="--cacert $T/cert.pem"
rm -f "$WDIR/t.jar"
# shellcheck disable=SC2086
curl -s $C -c "$WDIR/t.jar" -o /dev/null "$BASE/login"
tok=$(awk '$6 == "sc_login" { print $7 }' "$WDIR/t.jar")
like "$tok" '^[0-9a-f]{64}$' "login page over TLS"
# shellcheck disable=SC2086
h=$(curl -s $C -D - -o /dev/null -b "$WDIR/t.jar" --data-urlencode "csrf=$tok" \
    --data-urlencode user=alice --data-urlencode "password=$PW" "$BASE/login" | tr -d '\r')
like "$h" '^HTTP/1.1 303' "login over TLS"
like "$h" 'Set-Cookie: sc_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict; Max-Age=[0-9]+; Secure' "session cookie is Secure"
like "$h" 'Strict-Transport-Security: max-age=' "HSTS sent"
c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/login")
is "$c" 000 "plain HTTP to the TLS port: no page"
# shellcheck disable=SC2086
c=$(curl -s $C -o /dev/null -w '%{http_code}' --tlsv1.1 --tls-max 1.1 "$BASE/login")
is "$c" 000 "TLS 1.1 refused"
kill -0 "$WEB_PID"; ok $? "still serving"
web_done
