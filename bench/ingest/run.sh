#!/bin/sh
# bench/ingest/run.sh — messages per second received, parsed, tagged and
# archived by `seccloud collector` over TCP (one octet-counted connection)
# and UDP, measured with bench/ingest/loadgen; the same load against a
# private rsyslogd and syslog-ng (each writing to a file, own config, pid
# and work dir, high ports), with their default config and with the
# throughput tuning their documentation recommends.  Short runs; medians
# of RUNS runs.  Never a timed assertion: a report.
#
#   make bench && sh ../bench/ingest/run.sh [COUNT] [RUNS]     (from build/)
#   PROTOS=tcp sh ../bench/ingest/run.sh 500000 3             (TCP only)
#
# rsyslog: apt-get install rsyslog.  syslog-ng conflicts with it in apt, so
# unpack it beside: apt-get download syslog-ng-core libivykis0 libnet1
# libwrap0 &&
# for d in *.deb; do dpkg -x $d /tmp/sng/root; done  (SYSLOG_NG_ROOT).
# seccloud's TCP rate counts a message once it is archived (and stored);
# the peers' once it is in their output file.  UDP: the count received
# when the counters stop moving; loss = 1 - received / sent.
set -u
B=${top_builddir:-.}
SECCLOUD=$B/seccloud
LOADGEN=$B/bench/ingest/loadgen
N=${1:-1000000}
RUNS=${2:-3}
T=$(mktemp -d "${TMPDIR:-/tmp}/sc-bench.XXXXXX")
chmod 0755 "$T"
trap 'kill $PIDS 2>/dev/null; rm -rf "$T"' EXIT
PIDS=
U=
[ "$(id -u)" -eq 0 ] && U="--user nobody"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

wait_count() {	# wait_count CMD... : until CMD prints >= N, 60 s at most
	end=$(($(date +%s) + 60))
	while [ "$("$@" 2>/dev/null || echo 0)" -lt "$N" ]; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.02
	done
}

# The store's archived/records counter.  sqlite3 (when installed) costs
# far less CPU per poll than starting seccloud: on two cores a 50 Hz poll
# with seccloud itself would take a good part of a core from the receiver.
archived() {
	if command -v sqlite3 >/dev/null; then
		sqlite3 "file:$1/seccloud.db?mode=ro" \
		    "SELECT value FROM counters WHERE role = 'collector' AND stage = 'archived' AND name = 'records'"
		return
	fi
	"$SECCLOUD" collector -d "$1" --stats |
	    awk '$1 == "archived/records" { print $2 }'
}

run_seccloud() {	# run_seccloud tcp|udp [RATE] -> msgs/s, and loss
	d=$T/sc.$$.$(date +%s%N)
	"$SECCLOUD" collector -d "$d" --no-rules $U --batch-age-ms 50 \
	    --listen tcp:127.0.0.1:0 --listen udp:127.0.0.1:0 2>"$d.err" &
	pid=$!
	PIDS="$PIDS $pid"
	until grep -q '^collector ready' "$d.err" 2>/dev/null; do sleep 0.02; done
	port=$(sed -n "s/.* $1=[^ ]*:\([0-9]*\).*/\1/p" "$d.err")
	t0=$(now)
	sendtime=$("$LOADGEN" "$1" 127.0.0.1 "$port" "$N" 120 octet ${2:-} |
	    sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
	if [ "$1" = tcp ]; then
		wait_count archived "$d"
		t1=$(now)
		got=$N
	else
		# UDP: wait until the count stops moving
		last=-1
		got=$(archived "$d")
		while [ "$got" != "$last" ]; do
			last=$got
			sleep 0.3
			got=$(archived "$d")
		done
		t1=$(now)
	fi
	rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
	cpu=$(awk '{print $14 + $15}' /proc/$pid/stat)
	kill $pid
	wait $pid 2>/dev/null
	# UDP: received per second of sending (the settle wait excluded)
	[ "$1" = udp ] && t1=$(echo "$t0 + $sendtime" | bc)
	echo "$(echo "$got / ($t1 - $t0)" | bc) $got $rss $cpu"
	rm -rf "$d" "$d.err"
}

SNG=${SYSLOG_NG_ROOT:-/tmp/sng/root}

freeport() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

. "$(dirname "$0")/peers.sh"

run_peer() {	# run_peer rsyslog|syslog-ng default|tuned tcp|udp [RATE]
	d=$T/peer.$$.$(date +%s%N)
	mkdir -p "$d"
	port=$(freeport)
	framing=octet
	case $1 in
	rsyslog)
		[ -x /usr/sbin/rsyslogd ] || return 1
		conf_rsyslog "$d" "$port" "$2" >"$d/conf"
		/usr/sbin/rsyslogd -n -f "$d/conf" -i "$d/pid" 2>"$d/err" &
		;;
	syslog-ng)
		[ -x "$SNG/usr/sbin/syslog-ng" ] || return 1
		framing=lf	# its network() source reads lines
		conf_syslogng "$d" "$port" "$2" >"$d/conf"
		LD_LIBRARY_PATH="$SNG/lib/x86_64-linux-gnu:$SNG/usr/lib/x86_64-linux-gnu:$SNG/usr/lib/syslog-ng" \
		    "$SNG/usr/sbin/syslog-ng" -F -f "$d/conf" -p "$d/pid" \
		    -R "$d/persist" -c "$d/ctl" \
		    --module-path="$SNG/usr/lib/syslog-ng/3.38" 2>"$d/err" &
		;;
	esac
	pid=$!
	PIDS="$PIDS $pid"
	shift 2
	until ss -ltn | grep -q ":$port "; do
		kill -0 $pid 2>/dev/null || { cat "$d/err" >&2; return 1; }
		sleep 0.02
	done
	t0=$(now)
	sendtime=$("$LOADGEN" "$1" 127.0.0.1 "$port" "$N" 120 $framing \
	    ${2:-} | sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
	lines() { [ -f "$d/out.log" ] && wc -l <"$d/out.log" || echo 0; }
	if [ "$1" = tcp ]; then
		wait_count lines
		got=$N
	else
		last=-1
		got=$(lines)
		while [ "$got" != "$last" ]; do
			last=$got
			sleep 0.3
			got=$(lines)
		done
	fi
	t1=$(now)
	rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
	cpu=$(awk '{print $14 + $15}' /proc/$pid/stat)
	kill $pid
	wait $pid 2>/dev/null
	# UDP: received per second of sending (the settle wait excluded)
	[ "$1" = udp ] && t1=$(echo "$t0 + $sendtime" | bc)
	echo "$(echo "$got / ($t1 - $t0)" | bc) $got $rss $cpu"
	rm -rf "$d"
}

report() {	# report NAME PROTO RATE CMD...
	name=$1 proto=$2 rate_arg=$3
	shift 3
	: >"$T/r"
	i=0
	while [ $i -lt "$RUNS" ]; do
		"$@" >>"$T/r" || { echo "$name $proto: not run"; return; }
		i=$((i + 1))
	done
	rate=$(cut -d' ' -f1 "$T/r" | median)
	got=$(cut -d' ' -f2 "$T/r" | median)
	rss=$(cut -d' ' -f3 "$T/r" | median)
	cpu=$(cut -d' ' -f4 "$T/r" | median)
	loss=$(echo "scale=3; 100 * ($N - $got) / $N" | bc)
	printf '%-18s %-4s %-7s %9s msgs/s  loss %6s%%  peak RSS %7s KiB  CPU %5s ticks\n' \
	    "$name" "$proto" "$rate_arg" "$rate" "$loss" "$rss" "$cpu"
}

echo "# $N messages of 120 bytes, median of $RUNS runs, loopback, $(nproc) cores"
echo "# name               proto rate"
for proto in ${PROTOS:-tcp udp}; do
	r=max
	[ $proto = udp ] && r=${UDP_RATE:-200000}
	ra=
	[ $proto = udp ] && ra=$r
	report seccloud $proto $r run_seccloud $proto $ra
	for peer in rsyslog syslog-ng; do
		for v in default tuned; do
			report "$peer/$v" $proto $r run_peer $peer $v $proto $ra
		done
	done
done
