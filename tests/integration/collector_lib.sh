# collector_lib.sh — helpers for the collector's integration tests (sourced,
# not a test itself): start the real binary on port 0 in a temp dir, wait
# for its readiness line, poll conditions with a timeout, stop it by pid.
: "${SECCLOUD:=${top_builddir:-.}/seccloud}"
. "${top_srcdir:-.}/tests/lib/tap.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/sc-collector.XXXXXX")
# As root the collector drops to nobody once its sockets are open: nobody
# must reach the data directory it is handed.
chmod 0755 "$T"
USERARG=
[ "$(id -u)" -eq 0 ] && USERARG="--user nobody"
CPID=
cleanup() {
	[ -n "$CPID" ] && kill "$CPID" 2>/dev/null && wait "$CPID" 2>/dev/null
	[ -n "${EXTRA_PIDS:-}" ] && kill $EXTRA_PIDS 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

# wait_for TIMEOUT_SECONDS COMMAND... : poll until COMMAND succeeds
wait_for() {
	_deadline=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_deadline" ] && return 1
		sleep 0.05
	done
	return 0
}

# A policy for the tests: loopback is 団体 242501 (tier I), 127.0.0.1 its
# declared source "lo-fw".
cat >"$T/policy.conf" <<'X'
prefecture "テスト県" {
	code 240001
	model alpha
}
municipality "テスト市" {
	code 242501
	type city
	tier I 127.0.0.0/8
	source lo-fw 127.0.0.1 type fortigate interval 15m
}
X

# start_collector ARGS... : sets CPID, UDP_PORT, TCP_PORT, TLS_PORT
# (no rules unless the test passes --rules: startup stays fast)
start_collector() {
	: >"$T/err"
	"$SECCLOUD" collector -d "$T/data" --batch-age-ms 100 \
	    --policy "$T/policy.conf" --no-rules $USERARG "$@" \
	    2>>"$T/err" &
	CPID=$!
	wait_for 10 grep -q '^collector ready' "$T/err" || {
		diag "collector did not get ready:"; sed 's/^/# /' "$T/err"
		return 1
	}
	READY=$(grep '^collector ready' "$T/err" | tail -1)
	UDP_PORT=$(printf '%s' "$READY" | sed -n 's/.* udp=[^ ]*:\([0-9]*\).*/\1/p')
	TCP_PORT=$(printf '%s' "$READY" | sed -n 's/.* tcp=[^ ]*:\([0-9]*\).*/\1/p')
	TLS_PORT=$(printf '%s' "$READY" | sed -n 's/.* tls=[^ ]*:\([0-9]*\).*/\1/p')
	return 0
}

stop_collector() {
	kill -TERM "$CPID" && wait "$CPID"
	_rc=$?
	CPID=
	return $_rc
}

# counter STAGE/NAME : from the store's counters table
counter() {
	"$SECCLOUD" collector -d "$T/data" --stats 2>/dev/null |
	    awk -v k="$1" '$1 == k { print $2 }'
}

counter_at_least() { [ "$(counter "$1")" -ge "$2" ] 2>/dev/null; }

archive_has() { "$SECCLOUD" archive -d "$T/data" search "$@" >/dev/null; }
