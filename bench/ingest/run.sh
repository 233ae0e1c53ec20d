#!/bin/sh
# bench/ingest/run.sh — messages per second received, parsed, tagged and
# archived by `seccloud collector` over TCP (one octet-counted connection)
# and UDP, measured with bench/ingest/loadgen; the same load against a
# private rsyslogd (imptcp/imudp -> omfile) when installed.  Short runs;
# medians of RUNS runs.  Never a timed assertion: a report.
#
#   make bench && sh ../bench/ingest/run.sh [COUNT] [RUNS]     (from build/)
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

archived() {
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
	"$LOADGEN" "$1" 127.0.0.1 "$port" "$N" 120 octet ${2:-} >/dev/null
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
	echo "$(echo "$got / ($t1 - $t0)" | bc) $got $rss $cpu"
	rm -rf "$d" "$d.err"
}

run_rsyslog() {	# run_rsyslog tcp|udp [RATE]
	[ -x /usr/sbin/rsyslogd ] || return 1
	d=$T/rs.$$.$(date +%s%N)
	mkdir -p "$d"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	cat >"$d/rsyslog.conf" <<X
global(workDirectory="$d")
module(load="imptcp")
module(load="imudp" threads="2" batchSize="128")
input(type="imptcp" address="127.0.0.1" port="$port" ruleset="out")
input(type="imudp" address="127.0.0.1" port="$port" ruleset="out")
ruleset(name="out" queue.type="LinkedList" queue.size="200000"
    queue.dequeueBatchSize="1024") {
  action(type="omfile" file="$d/out.log" asyncWriting="on" ioBufferSize="256k"
      flushOnTXEnd="off")
}
X
	/usr/sbin/rsyslogd -n -f "$d/rsyslog.conf" -i "$d/pid" 2>"$d/err" &
	pid=$!
	PIDS="$PIDS $pid"
	until ss -ltn | grep -q ":$port "; do sleep 0.02; done
	t0=$(now)
	"$LOADGEN" "$1" 127.0.0.1 "$port" "$N" 120 octet ${2:-} >/dev/null
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
	echo "$(echo "$got / ($t1 - $t0)" | bc) $got $rss $cpu"
	rm -rf "$d"
}

report() {	# report NAME FN PROTO [RATE]
	: >"$T/r"
	i=0
	while [ $i -lt "$RUNS" ]; do
		$2 "$3" ${4:-} >>"$T/r" || { echo "$1 $3: not run"; return; }
		i=$((i + 1))
	done
	rate=$(cut -d' ' -f1 "$T/r" | median)
	got=$(cut -d' ' -f2 "$T/r" | median)
	rss=$(cut -d' ' -f3 "$T/r" | median)
	cpu=$(cut -d' ' -f4 "$T/r" | median)
	loss=$(echo "scale=3; 100 * ($N - $got) / $N" | bc)
	printf '%-10s %-4s %-8s %10s msgs/s  loss %6s%%  peak RSS %6s KiB  CPU %s ticks\n' \
	    "$1" "$3" "${4:-max}" "$rate" "$loss" "$rss" "$cpu"
}

echo "# $N messages of 120 bytes, median of $RUNS runs, loopback, $(nproc) cores"
report seccloud run_seccloud tcp
report rsyslog run_rsyslog tcp
report seccloud run_seccloud udp 200000
report rsyslog run_rsyslog udp 200000
report seccloud run_seccloud udp
report rsyslog run_rsyslog udp
