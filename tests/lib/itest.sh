# itest.sh — start roles of seccloud for integration tests.
#
#   . "$top_srcdir/tests/lib/tap.sh"
#   . "$top_srcdir/tests/lib/itest.sh"
#   itest_setup                          # $T: a fresh temp dir, removed at exit
#   itest_start col "$SECCLOUD" collector -d "$T/data" --listen tcp:127.0.0.1:0
#   line=$(itest_wait col 'collector ready') || fail...
#   port=$(itest_field "$line" tcp)      # "tcp=127.0.0.1:41234" -> 41234
#   ...
#   itest_stop col                       # SIGTERM, wait for exit (status in $?)
#
# Every wait polls a condition with a deadline; nothing sleeps a fixed time
# hoping something happened.  Processes still running at exit are killed.

itest_pids=""

itest_setup() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/seccloud-itest.XXXXXX")
	export T
	trap itest_cleanup EXIT INT TERM
}

itest_cleanup() {
	for p in $itest_pids; do
		kill -9 "$p" 2>/dev/null
	done
	if [ "${ITEST_KEEP:-0}" = 1 ]; then
		echo "# kept $T"
	else
		rm -rf "$T"
	fi
}

# itest_start NAME CMD [ARGS...]: run in the background, stderr and stdout
# to $T/NAME.log; the pid is in $T/NAME.pid.
itest_start() {
	name=$1
	shift
	"$@" >"$T/$name.log" 2>&1 &
	echo $! >"$T/$name.pid"
	itest_pids="$itest_pids $!"
}

itest_pid() {
	cat "$T/$1.pid"
}

# itest_poll TIMEOUT_SECONDS CMD...: run CMD until it succeeds or time is up.
itest_poll() {
	deadline=$(( $(date +%s) + $1 ))
	shift
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# itest_wait NAME REGEX [TIMEOUT]: wait for a line matching REGEX in NAME's
# log; print it.  Fails early if the process died.
itest_wait() {
	name=$1
	re=$2
	deadline=$(( $(date +%s) + ${3:-20} ))
	while :; do
		line=$(grep -E -m1 -- "$re" "$T/$name.log" 2>/dev/null)
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		if ! kill -0 "$(itest_pid "$name")" 2>/dev/null; then
			echo "# $name exited before printing /$re/:" >&2
			sed 's/^/#   /' "$T/$name.log" | tail -20 >&2
			return 1
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "# timed out waiting for /$re/ from $name" >&2
			sed 's/^/#   /' "$T/$name.log" | tail -20 >&2
			return 1
		fi
		sleep 0.05
	done
}

# itest_field LINE KEY: the port of "KEY=host:port" (or the value of KEY=v).
itest_field() {
	v=$(printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1)
	case $v in
	*:*) printf '%s\n' "${v##*:}" ;;
	*) printf '%s\n' "$v" ;;
	esac
}

# itest_stop NAME [SIGNAL] [TIMEOUT]: signal and wait for the exit; returns
# the process's exit status (124 if it did not exit in time).
itest_stop() {
	pid=$(itest_pid "$1")
	kill -"${2:-TERM}" "$pid" 2>/dev/null
	deadline=$(( $(date +%s) + ${3:-20} ))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			kill -9 "$pid" 2>/dev/null
			return 124
		fi
		sleep 0.05
	done
	wait "$pid" 2>/dev/null
}

# itest_free_port: a TCP port that was free a moment ago (prefer port 0 and
# the readiness line where the role supports it).
itest_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
