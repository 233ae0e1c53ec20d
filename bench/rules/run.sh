#!/bin/sh
# bench/rules/run.sh [LINES] [RUNS] — the rule engine's throughput, with its
# peers measured in the same run:
#
#   1. bench_rules (one thread, no I/O): load cold and warm, database size,
#      the full log path (line parse + Hyperscan prefilter + confirmation +
#      correlation) against raw hs_scan of the same payload database over
#      the same messages, for three rule sets: (a) all of sagan-rules,
#      (a') the 98 files Debian's sagan.yaml enables (Sagan's own 1,100
#      rules), (b) our guideline sets;
#   2. the collector end to end — parse, tag, match, correlate, archive and
#      store (alerts into SQLite) — over one octet-counted TCP connection,
#      the corpus as syslog lines, for the same three sets;
#   3. Sagan 1.2 fed through its FIFO with its default rules, at rising
#      rates: its lossless rate is the highest at which it still matches
#      every signature it matches at a slow reference rate (its
#      "engine.sig_match.total" from perfmonitor).  Sagan counts every
#      line it reads as received even when its processor threads are all
#      busy and it drops the line ("Thread Exhaustion"), so the received
#      count cannot show loss; the signature matches can.
#
# The corpus is make_bench_corpus.py LINES: everyday municipal traffic with
# ~2% attack lines.  Medians of RUNS.  Needs root, sagan and sagan-rules
# for step 3 (skipped otherwise), sqlite3 for step 2.  A report, never a
# timed assertion:
#
#   cd build && make bench && sudo sh ../bench/rules/run.sh 50000 3
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
B=${top_builddir:-$(pwd)}
SECCLOUD=$B/seccloud
BENCH=$B/bench/rules/bench_rules
LOADGEN=$B/bench/ingest/loadgen
LINES=${1:-50000}
RUNS=${2:-3}
SAGAN_LINES=${SAGAN_LINES:-20000}
T=$(mktemp -d "${TMPDIR:-/tmp}/sc-rules-bench.XXXXXX")
chmod 0755 "$T"
PIDS=
trap 'kill $PIDS 2>/dev/null; rm -rf "$T"' EXIT

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }

for x in "$SECCLOUD" "$BENCH" "$LOADGEN"; do
	[ -x "$x" ] || { echo "run.sh: $x missing (make bench)" >&2; exit 2; }
done

python3 "$here/make_bench_corpus.py" "$LINES" "$top"/tests/rules/gl-*.log \
    >"$T/corpus.txt"
# The same lines as RFC 3164 syslog for the collector (PRI from the
# corpus' facility and level, its date, host and program).
python3 - "$T/corpus.txt" >"$T/syslog.txt" <<'PY'
import sys
fac = {"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5,
       "lpr": 6, "news": 7, "uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11,
       "local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20,
       "local5": 21, "local6": 22, "local7": 23}
lev = {"emerg": 0, "alert": 1, "crit": 2, "err": 3, "error": 3,
       "warning": 4, "warn": 4, "notice": 5, "info": 6, "debug": 7}
mon = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    p = line.rstrip("\n").split("|", 8)
    if len(p) != 9:
        continue
    host, f, _, l, prog, date, time, _, msg = p
    y, m, d = date.split("-")
    pri = fac.get(f, 1) * 8 + lev.get(l, 6)
    print("<%d>%s %2d %s %s %s:%s" % (pri, mon[int(m) - 1], int(d), time,
                                      host, prog, msg))
PY

SAGAN_FILES=$(sed -n 's|^[[:space:]]*-[[:space:]]*\$RULE_PATH/\([^[:space:]]*\.rules\)[[:space:]]*$|/etc/sagan-rules/\1|p' \
    /etc/sagan.yaml 2>/dev/null | grep -v windows-security.rules |
    while read -r f; do [ -f "$f" ] && echo "$f"; done)
# name and files of each set
set_files() {
	case $1 in
	sagan-all) ls /etc/sagan-rules/*.rules 2>/dev/null ;;
	sagan-default) echo "$SAGAN_FILES" ;;
	guideline) ls "$top"/rules/sets/*.rules ;;
	esac
}
SETS="guideline"
[ -d /etc/sagan-rules ] && SETS="sagan-all sagan-default guideline"

echo "# corpus: $LINES lines ($(wc -c <"$T/corpus.txt") bytes), medians of $RUNS, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

# ---- 1. bench_rules --------------------------------------------------------
field() {	# field FILE REGEX: the first number after REGEX, from each run
	sed -n "s/.*$2 *\([0-9.]*\).*/\1/p" "$1" | median
}
echo "# 1. engine alone, one thread (bench_rules -n 2)"
printf '%-14s %6s %6s %9s %9s %9s %12s %12s %6s %8s\n' "# set" rules \
    rejected "cold ms" "warm ms" "db KiB" "full msgs/s" "hs_scan/s" "share" alerts
for s in $SETS; do
	files=$(set_files "$s")
	: >"$T/b.$s"
	i=0
	while [ $i -lt "$RUNS" ]; do
		rm -rf "$T/cache"
		# shellcheck disable=SC2086
		"$BENCH" -n 2 -C "$T/cache" "$T/corpus.txt" $files \
		    >>"$T/b.$s" 2>/dev/null
		i=$((i + 1))
	done
	f=$T/b.$s
	loaded=$(field "$f" 'rules:')
	rej=$(sed -n 's/.*loaded, \([0-9]*\) rejected.*/\1/p' "$f" | median)
	cold=$(field "$f" 'load (cold):')
	warm=$(field "$f" 'load (warm, cache hit):')
	db=$(sed -n 's/.*database \([0-9]*\) bytes.*/\1/p' "$f" | median)
	full=$(sed -n 's/^full path.* = \([0-9]*\) msgs.*/\1/p' "$f" | median)
	raw=$(sed -n 's/^raw hs_scan.* = \([0-9]*\) msgs.*/\1/p' "$f" | median)
	al=$(sed -n 's/.*MB\/s, \([0-9]*\) alerts.*/\1/p' "$f" | median)
	printf '%-14s %6s %6s %9s %9s %9s %12s %12s %5s%% %8s\n' "$s" \
	    "$loaded" "$rej" "$cold" "$warm" "$((db / 1024))" "$full" "$raw" \
	    "$(echo "100 * $full / $raw" | bc)" "$al"
	echo "$s $full" >>"$T/full"
done

# ---- 2. the collector end to end -------------------------------------------
U=
[ "$(id -u)" -eq 0 ] && U="--user nobody"
counter() {	# counter DATADIR STAGE NAME
	sqlite3 "file:$1/seccloud.db?mode=ro" "SELECT value FROM counters WHERE role = 'collector' AND stage = '$2' AND name = '$3'" 2>/dev/null
}
collector_run() {	# collector_run SET -> "rate alerts rss cpu"
	d=$T/c.$(date +%s%N)
	mkdir -p "$d"
	chmod 0777 "$d"
	r=
	for f in $(set_files "$1"); do r="$r --rules $f"; done
	# shellcheck disable=SC2086
	"$SECCLOUD" collector -d "$d" $r $U --batch-age-ms 50 \
	    --listen tcp:127.0.0.1:0 2>"$d.err" &
	pid=$!
	PIDS="$PIDS $pid"
	until grep -q '^collector ready' "$d.err" 2>/dev/null; do
		kill -0 $pid 2>/dev/null || { cat "$d.err" >&2; return 1; }
		sleep 0.05
	done
	port=$(sed -n 's/.* tcp=[^ ]*:\([0-9]*\).*/\1/p' "$d.err")
	n=$(wc -l <"$T/syslog.txt")
	t0=$(now)
	"$LOADGEN" file 127.0.0.1 "$port" "$T/syslog.txt" 1 >/dev/null
	end=$(($(date +%s) + 120))
	while [ "$(counter "$d" archived records || echo 0)" -lt "$n" ]; do
		[ "$(date +%s)" -ge "$end" ] && break
		sleep 0.02
	done
	t1=$(now)
	rss=$(awk '/VmHWM/ { print $2 }' /proc/$pid/status)
	cpu=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
	kill $pid
	wait $pid 2>/dev/null
	al=$(sqlite3 "file:$d/seccloud.db?mode=ro" 'SELECT count(*) FROM alerts' 2>/dev/null)
	echo "$(echo "$n / ($t1 - $t0)" | bc) ${al:-0} $rss $cpu"
	rm -rf "$d" "$d.err"
}
if command -v sqlite3 >/dev/null; then
	echo "# 2. collector end to end: TCP octet-counted, parse + tag + match + correlate + archive + store"
	printf '%-14s %12s %8s %12s %10s\n' "# set" "msgs/s" alerts "peak RSS KiB" "CPU ticks"
	for s in $SETS; do
		: >"$T/c.$s"
		i=0
		while [ $i -lt "$RUNS" ]; do
			collector_run "$s" >>"$T/c.$s" || break
			i=$((i + 1))
		done
		printf '%-14s %12s %8s %12s %10s\n' "$s" \
		    "$(cut -d' ' -f1 "$T/c.$s" | median)" \
		    "$(cut -d' ' -f2 "$T/c.$s" | median)" \
		    "$(cut -d' ' -f3 "$T/c.$s" | median)" \
		    "$(cut -d' ' -f4 "$T/c.$s" | median)"
		echo "$s $(cut -d' ' -f1 "$T/c.$s" | median)" >>"$T/e2e"
	done
else
	echo "# 2. skipped: sqlite3 not installed"
fi

# ---- 3. Sagan's lossless rate ----------------------------------------------
if ! command -v sagan >/dev/null || [ "$(id -u)" -ne 0 ] || [ -z "$SAGAN_FILES" ]; then
	echo "# 3. Sagan skipped (needs root, sagan and sagan-rules)"
	exit 0
fi
w=$T/sagan
mkdir -p "$w"
sed -e "s|/var/run/sagan/sagan.fifo|$w/run/sagan.fifo|" \
    -e "s|/var/run/sagan/sagan.pid|$w/run/sagan.pid|" \
    -e "s|LOG_PATH: \"/var/log/sagan\"|LOG_PATH: \"$w/log\"|" \
    -e "s|ipc-directory: /var/run/sagan/ipc|ipc-directory: $w/ipc|" \
    -e '/windows-security.rules/d' /etc/sagan.yaml >"$w/sagan.yaml"
python3 - "$w/sagan.yaml" "$w/log/sagan.stats" <<'PY'
import re, sys
p, stats = sys.argv[1], sys.argv[2]
s = open(p).read()
s, n = re.subn(r"- perfmonitor:\n\s+enabled: no\n\s+time: \d+\n\s+filename: [^\n]*",
               '- perfmonitor:\n      enabled: yes\n      time: 1\n      filename: "%s"' % stats, s)
if n != 1:
    sys.exit("run.sh: could not enable Sagan's perfmonitor")
open(p, "w").write(s)
PY
head -n "$SAGAN_LINES" "$T/corpus.txt" >"$T/sagan-corpus.txt"
# sig_match RATE: Sagan's signature matches over the corpus at RATE
sig_match() {
	sh "$here/sagan_run.sh" "$w" "$w/sagan.yaml" "$T/sagan-corpus.txt" "$1" \
	    >/dev/null 2>&1
	awk -F, '/^[0-9]/ { t += $2; m += $3 } END { print m + 0, t + 0 }' \
	    "$w/log/sagan.stats"
}
ref_rate=${SAGAN_REF_RATE:-500}
ref=$(sig_match "$ref_rate")
ref_m=${ref% *}
echo "# 3. Sagan 1.2, $(echo "$SAGAN_FILES" | wc -l) rule files, $SAGAN_LINES lines through its FIFO; reference at $ref_rate lines/s: $ref_m signature matches"
echo "#    rate lines/s: signature matches (received)"
ok_rate=$ref_rate
lo=$ref_rate hi=0 r=$((ref_rate * 2))
# lossless: within 0.2 % of the reference's matches
lossless() { [ "$(echo "$1 >= $ref_m * 0.998" | bc)" = 1 ]; }
while [ $r -le 256000 ]; do
	got=$(sig_match "$r")
	echo "#    $r: $got"
	if lossless "${got% *}"; then lo=$r; r=$((r * 2)); else hi=$r; break; fi
done
while [ $hi -gt 0 ] && [ $((hi - lo)) -gt $((lo / 10)) ]; do
	mid=$(((lo + hi) / 2))
	got=$(sig_match "$mid")
	echo "#    $mid: $got"
	if lossless "${got% *}"; then lo=$mid; else hi=$mid; fi
done
ok_rate=$lo
echo "sagan lossless rate: $ok_rate lines/s (default 1,100 rules)"
for s in $SETS; do
	e=$(awk -v s="$s" '$1 == s { print $2 }' "$T/e2e" 2>/dev/null)
	f=$(awk -v s="$s" '$1 == s { print $2 }' "$T/full")
	printf '%-14s engine %6sx Sagan' "$s" "$(echo "$f / $ok_rate" | bc)"
	[ -n "$e" ] && printf ', collector end to end %5sx Sagan' "$(echo "$e / $ok_rate" | bc)"
	echo
done
