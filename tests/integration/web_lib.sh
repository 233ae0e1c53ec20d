# web_lib.sh — shared by the tests/integration/web_*.sh scripts (sourced,
# not a test itself).  web_start seeds a store in a temp dir with
# tests/integration/web_seed, adds one account per role, writes a
# seccloud.conf naming a copy of tests/integration/web_policy.conf (the
# seed's 団体, for the Reports screen), starts
# `seccloud web` on 127.0.0.1 port 0 and waits for its readiness line (a
# bounded poll, never a fixed sleep).  login NAME makes a cookie jar and
# sets CSRF.  Everything is removed and the server stopped on exit.
. "$top_srcdir/tests/lib/tap.sh"

PW='correct horse battery'
SEED="$top_builddir/tests/integration/web_seed"

if ! command -v curl >/dev/null 2>&1; then
	echo "1..0 # SKIP curl not installed"
	exit 0
fi

web_stop() {
	if [ -n "${WEB_PID:-}" ]; then
		kill "$WEB_PID" 2>/dev/null
		wait "$WEB_PID" 2>/dev/null
		WEB_PID=
	fi
}

web_cleanup() {
	web_stop
	[ -n "${WDIR:-}" ] && rm -rf "$WDIR"
}
trap web_cleanup EXIT

# web_start [seed args...] — sets WDIR, BASE, WEB_PID, and fixture ids
web_start() {
	WDIR=$(mktemp -d "${TMPDIR:-/tmp}/web_test.XXXXXX")
	"$SEED" "$WDIR/seccloud.db" "$@" >"$WDIR/ids" || return 1
	printf '%s\n' "$PW" >"$WDIR/pw"
	cp "$top_srcdir/tests/integration/web_policy.conf" "$WDIR/policy.conf"
	printf 'policy "%s/policy.conf"\n' "$WDIR" >"$WDIR/seccloud.conf"
	# WEB_CONF_EXTRA: more of seccloud.conf, e.g. a web { limits { } } block
	printf '%s\n' "${WEB_CONF_EXTRA:-}" >>"$WDIR/seccloud.conf"
	for spec in admin:admin: alice:analyst: audrey:auditor: \
	    chiyoda:municipal:131016 sapporo:municipal:011002; do
		n=${spec%%:*}; rest=${spec#*:}; r=${rest%%:*}; m=${rest#*:}
		"$SECCLOUD" user -d "$WDIR" add "$n" --role "$r" \
		    ${m:+--muni "$m"} --password-file "$WDIR/pw" || return 1
	done
	web_serve
}

# web_serve — (re)start the server on the store in $WDIR
web_serve() {
	# as root, the server drops to nobody: give it the store
	as=
	if [ "$(id -u)" -eq 0 ]; then
		chown -R nobody "$WDIR"
		as="--user nobody"
	fi
	: >"$WDIR/stderr"
	# shellcheck disable=SC2086
	"$SECCLOUD" web -f "$WDIR/seccloud.conf" -d "$WDIR" --listen 127.0.0.1:0 $as ${WEB_ARGS:-} \
	    --timeout "${WEB_TIMEOUT:-5}" 2>"$WDIR/stderr" &
	WEB_PID=$!
	i=0
	while ! grep -q 'listening on' "$WDIR/stderr" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$WEB_PID" 2>/dev/null; then
			echo "# web did not start:"; sed 's/^/# /' "$WDIR/stderr"
			return 1
		fi
		sleep 0.05
	done
	PORT=$(sed -n 's/.*listening on https*:\/\/127.0.0.1:\([0-9]*\).*/\1/p' \
	    "$WDIR/stderr" | head -1)
	SCHEME=$(sed -n 's/.*listening on \(https*\):.*/\1/p' "$WDIR/stderr" | head -1)
	BASE="$SCHEME://127.0.0.1:$PORT"
	return 0
}

# id NAME — a fixture's group id from web_seed's output
fx() { awk -v n="$1" '$1 == n { print $2 }' "$WDIR/ids"; }

# login NAME [PASSWORD] — jar in $WDIR/NAME.jar; sets CSRF; returns status
login() {
	jar="$WDIR/$1.jar"
	rm -f "$jar"
	curl -s -c "$jar" -o /dev/null "$BASE/login"
	tok=$(awk '$6 == "sc_login" { print $7 }' "$jar")
	code=$(curl -s -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' \
	    --data-urlencode "csrf=$tok" --data-urlencode "user=$1" \
	    --data-urlencode "password=${2:-$PW}" "$BASE/login")
	CSRF=$(curl -s -b "$jar" "$BASE/api/v1/me" |
	    sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p')
	[ "$code" = 303 ]
}

# get NAME PATH — body of PATH as NAME (no redirects followed)
get() { curl -s -b "$WDIR/$1.jar" "$BASE$2"; }
# code NAME PATH [curl args] — status of a request as NAME
code() {
	u=$1; p=$2; shift 2
	curl -s -b "$WDIR/$u.jar" -o /dev/null -w '%{http_code}' "$@" "$BASE$p"
}
# csrf_of NAME — the CSRF token of NAME's session
csrf_of() {
	curl -s -b "$WDIR/$1.jar" "$BASE/api/v1/me" |
	    sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p'
}

# web_done — stop the server, check it exited cleanly with no sanitizer
# report on stderr, then print the plan
web_done() {
	if [ -n "${WEB_PID:-}" ]; then
		kill "$WEB_PID" 2>/dev/null
		wait "$WEB_PID"
		is "$?" 0 "web exits 0 on SIGTERM"
		WEB_PID=
		( grep -Eq 'Sanitizer|runtime error|Segmentation' "$WDIR/stderr" )
		is "$?" 1 "no sanitizer report from the server"
		grep -E 'Sanitizer|runtime error' -A5 "$WDIR/stderr" | head -20 | sed 's/^/# /'
	fi
	done_testing
}
