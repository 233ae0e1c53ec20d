#!/bin/sh
# bench/ingest/lossless.sh — the UDP lossless rate: for seccloud and for
# each peer config (rsyslog and syslog-ng, packaged default and tuned), the
# highest offered rate at which the receiver loses under 0.1 % of the
# messages.  Same criterion, load and kernel limits for every system:
#
#   - one probe sends SECS seconds of 120-byte lines at a paced rate from
#     FLOWS UDP sockets in THREADS sender threads (default 4 and 2: one
#     sender thread tops out near 0.8 M/s here, below a fast receiver's
#     ceiling) (bench/ingest/loadgen), then waits until the
#     receiver has them all or its count stops moving (1.5 s);
#     loss = 1 - received / sent; the offered rate is the rate the load
#     generator actually achieved;
#   - a rate passes when the median loss of 3 probes is under 0.1 % (the
#     third probe is skipped when the first two agree);
#   - the search doubles from START until a rate fails, then bisects until
#     the bracket is within 5 % (or 5,000/s);
#   - each receiver runs once for its whole search, so its peak RSS covers
#     every probe; CPU is the receiver's user+system time during the probes
#     at its lossless rate, in percent of one core.
#
#   make bench && sh ../bench/ingest/lossless.sh          (from build/)
#   SYSTEMS="seccloud rsyslog/tuned" SECS=2 sh ../bench/ingest/lossless.sh
#
# Systems: seccloud (no rules, as the peers), seccloud/rules (also
# matching every line against rules/sets/*.rules), rsyslog/default,
# rsyslog/tuned, syslog-ng/default, syslog-ng/tuned.
#
# seccloud counts a message once it is archived and stored (archived/
# records in its store counters); the peers once it is a line in their
# output file.  RMEM_MAX=N sets net.core.rmem_max (for everyone) first.
set -u
B=${top_builddir:-.}
SECCLOUD=$B/seccloud
LOADGEN=$B/bench/ingest/loadgen
SECS=${SECS:-2}
FLOWS=${FLOWS:-4}
THREADS=${THREADS:-2}
START=${START:-50000}
MAXRATE=${MAXRATE:-3200000}
SYSTEMS=${SYSTEMS:-seccloud rsyslog/default rsyslog/tuned syslog-ng/default syslog-ng/tuned}
SNG=${SYSLOG_NG_ROOT:-/tmp/sng/root}
HERE=$(dirname "$0")
T=$(mktemp -d "${TMPDIR:-/tmp}/sc-lossless.XXXXXX")
chmod 0755 "$T"
RX_PID=
trap '[ -n "$RX_PID" ] && kill $RX_PID 2>/dev/null; rm -rf "$T"' EXIT
U=
[ "$(id -u)" -eq 0 ] && U="--user nobody"
HZ=$(getconf CLK_TCK)

if [ -n "${RMEM_MAX:-}" ]; then
	sysctl -q -w net.core.rmem_max="$RMEM_MAX" ||
	    echo "# cannot set net.core.rmem_max" >&2
fi

freeport() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

. "$HERE/peers.sh"	# conf_rsyslog, conf_syslogng: the same as run.sh

# start_rx SYSTEM: RX_PID, RX_PORT, RX_DIR and RX_KIND set; 1 if the
# system is not installed.
start_rx() {
	RX_DIR=$T/rx.$(date +%s%N)
	mkdir -p "$RX_DIR"
	RX_KIND=${1%%/*}
	v=${1#*/}
	case $1 in
	seccloud | seccloud/rules)
		rules=--no-rules
		if [ "$1" = seccloud/rules ]; then
			rules=
			for f in "$HERE"/../../rules/sets/*.rules; do
				rules="$rules --rules $f"
			done
		fi
		RX_KIND=seccloud
		"$SECCLOUD" collector -d "$RX_DIR/d" $rules $U \
		    --batch-age-ms 50 --listen udp:127.0.0.1:0 \
		    2>"$RX_DIR/err" &
		RX_PID=$!
		end=$(($(date +%s) + 30))
		until grep -q '^collector ready' "$RX_DIR/err" 2>/dev/null; do
			kill -0 $RX_PID 2>/dev/null &&
			    [ "$(date +%s)" -lt "$end" ] ||
			    { cat "$RX_DIR/err" >&2; return 1; }
			sleep 0.02
		done
		RX_PORT=$(sed -n 's/.* udp=[^ ]*:\([0-9]*\).*/\1/p' \
		    "$RX_DIR/err")
		;;
	rsyslog/*)
		[ -x /usr/sbin/rsyslogd ] || return 1
		RX_PORT=$(freeport)
		conf_rsyslog "$RX_DIR" "$RX_PORT" "$v" >"$RX_DIR/conf"
		/usr/sbin/rsyslogd -n -f "$RX_DIR/conf" -i "$RX_DIR/pid" \
		    2>"$RX_DIR/err" &
		RX_PID=$!
		;;
	syslog-ng/*)
		[ -x "$SNG/usr/sbin/syslog-ng" ] || return 1
		RX_PORT=$(freeport)
		conf_syslogng "$RX_DIR" "$RX_PORT" "$v" >"$RX_DIR/conf"
		LD_LIBRARY_PATH="$SNG/lib/x86_64-linux-gnu:$SNG/usr/lib/x86_64-linux-gnu:$SNG/usr/lib/syslog-ng" \
		    "$SNG/usr/sbin/syslog-ng" -F -f "$RX_DIR/conf" \
		    -p "$RX_DIR/pid" -R "$RX_DIR/persist" -c "$RX_DIR/ctl" \
		    --module-path="$SNG/usr/lib/syslog-ng/3.38" \
		    2>"$RX_DIR/err" &
		RX_PID=$!
		;;
	*)
		return 1
		;;
	esac
	if [ "$RX_KIND" != seccloud ]; then
		# the peers listen on TCP and UDP on the port: wait for both
		end=$(($(date +%s) + 30))
		until ss -lun | grep -q "127.0.0.1:$RX_PORT " &&
		    ss -ltn | grep -q "127.0.0.1:$RX_PORT "; do
			kill -0 $RX_PID 2>/dev/null &&
			    [ "$(date +%s)" -lt "$end" ] ||
			    { cat "$RX_DIR/err" >&2; return 1; }
			sleep 0.02
		done
	fi
	RX_OFF=0
	RX_LINES=0
	return 0
}

stop_rx() {
	kill $RX_PID 2>/dev/null
	wait $RX_PID 2>/dev/null
	RX_PID=
	rm -rf "$RX_DIR"
}

# received: messages the receiver has written so far.  The peers' files
# are counted incrementally (only the bytes added since the last call).
received() {
	if [ "$RX_KIND" = seccloud ]; then
		# sqlite3 is a lighter poll than starting seccloud
		if command -v sqlite3 >/dev/null; then
			sqlite3 "file:$RX_DIR/d/seccloud.db?mode=ro" \
			    "SELECT value FROM counters WHERE role = 'collector' AND stage = 'archived' AND name = 'records'" |
			    awk '{ n = $1 } END { print n + 0 }'
			return
		fi
		"$SECCLOUD" collector -d "$RX_DIR/d" --stats 2>/dev/null |
		    awk '$1 == "archived/records" { n = $2 } END { print n + 0 }'
		return
	fi
	f=$RX_DIR/out.log
	if [ -f "$f" ]; then
		size=$(stat -c %s "$f")
		if [ "$size" -gt "$RX_OFF" ]; then
			add=$(tail -c +$((RX_OFF + 1)) "$f" |
			    head -c $((size - RX_OFF)) | wc -l)
			RX_LINES=$((RX_LINES + add))
			RX_OFF=$size
		fi
	fi
	echo "$RX_LINES"
}

cpu_ticks() { awk '{ print $14 + $15 }' /proc/$RX_PID/stat; }

# probe RATE: "LOSS_PERCENT ACHIEVED_RATE CPU_PERCENT"
probe() {
	n=$(echo "$1 * $SECS / 1" | bc)
	before=$(received)
	c0=$(cpu_ticks)
	out=$("$LOADGEN" udp 127.0.0.1 "$RX_PORT" "$n" 120 octet "$1" "$FLOWS" \
	    "$THREADS")
	secs=$(echo "$out" | sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
	want=$((before + n))
	last=-1
	same=0
	got=$(received)
	while [ "$got" -lt "$want" ] && [ $same -lt 7 ]; do
		sleep 0.2
		last=$got
		got=$(received)
		if [ "$got" = "$last" ]; then
			same=$((same + 1))
		else
			same=0
		fi
	done
	c1=$(cpu_ticks)
	echo "scale=4; l = 100 * ($want - $got) / $n; if (l < 0) l = 0; l" |
	    bc | tr '\n' ' '
	echo "$n / $secs" | bc | tr '\n' ' '
	echo "100 * ($c1 - $c0) / $HZ / $secs" | bc
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# passes RATE: 0 when the median loss of up to 3 probes is < 0.1 %;
# PASS_RATE and PASS_CPU get the median achieved rate and CPU.
passes() {
	: >"$T/p"
	ok=0 bad=0
	for i in 1 2 3; do
		probe "$1" >>"$T/p"
		l=$(tail -n 1 "$T/p" | cut -d' ' -f1)
		if [ "$(echo "$l < 0.1" | bc)" = 1 ]; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1))
		fi
		printf '#   %-18s offered %8s/s: loss %7s%%, sent %8s/s, cpu %s%%\n' \
		    "$SYS" "$1" $(tail -n 1 "$T/p") >&2
		[ $ok -ge 2 ] || [ $bad -ge 2 ] && break
	done
	PASS_RATE=$(cut -d' ' -f2 "$T/p" | median)
	PASS_CPU=$(cut -d' ' -f3 "$T/p" | median)
	[ $ok -ge 2 ]
}

# A passing rate: keep the highest achieved one (a busy machine can make
# the generator fall short of a higher target).
better() {
	if [ "$PASS_RATE" -gt "$LOSSLESS" ]; then
		LOSSLESS=$PASS_RATE LCPU=$PASS_CPU
	fi
}

# search: LOSSLESS (the achieved offered rate), LCPU
search() {
	LOSSLESS=0 LCPU=- lo=0 hi=0 r=$START
	while [ "$r" -le "$MAXRATE" ]; do
		if passes "$r"; then
			lo=$r
			better
			# the generator cannot offer more: stop here
			[ "$(echo "$PASS_RATE < 0.9 * $r" | bc)" = 1 ] && return
			r=$((r * 2))
		else
			hi=$r
			break
		fi
	done
	[ $hi -eq 0 ] && return
	while [ "$(echo "$hi > 1.05 * $lo && $hi - $lo > 5000" | bc)" = 1 ]; do
		mid=$(((lo + hi) / 2))
		if passes "$mid"; then
			lo=$mid
			better
		else
			hi=$mid
		fi
	done
}

echo "# UDP lossless rate (median loss of 3 probes < 0.1 %), $SECS s probes," \
    "120-byte lines, $FLOWS flows from $THREADS sender threads, loopback, $(nproc) cores"
echo "# net.core.rmem_max=$(sysctl -n net.core.rmem_max)" \
    "rmem_default=$(sysctl -n net.core.rmem_default)" \
    "netdev_max_backlog=$(sysctl -n net.core.netdev_max_backlog);" \
    "seccloud asks for udp-rcvbuf 8m (SO_RCVBUFFORCE as root)," \
    "rsyslog/tuned rcvbufSize 8m, syslog-ng/tuned so-rcvbuf 8m"
printf '%-18s %12s %8s %12s\n' "# system" "lossless/s" "cpu %" "peak RSS KiB"
: >"$T/results"
for SYS in $SYSTEMS; do
	if ! start_rx "$SYS"; then
		printf '%-18s %12s\n' "$SYS" "not run"
		continue
	fi
	search
	rss=$(awk '/VmHWM/ { print $2 }' /proc/$RX_PID/status)
	stop_rx
	printf '%-18s %12s %8s %12s\n' "$SYS" "$LOSSLESS" "$LCPU" "$rss"
	echo "$SYS $LOSSLESS" >>"$T/results"
done
us=$(awk '$1 == "seccloud" { print $2 }' "$T/results")
best=$(awk '$1 != "seccloud" && $2 > m { m = $2; s = $1 } END { print m + 0, s }' "$T/results")
if [ -n "$us" ] && [ "${best%% *}" -gt 0 ]; then
	echo "# seccloud / best peer (${best#* }): $(echo "scale=2; $us / ${best%% *}" | bc)x"
fi
