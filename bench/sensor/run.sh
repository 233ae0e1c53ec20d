#!/bin/sh
# run.sh — the sensor benchmark (a report, not a test).
#   bench/sensor/run.sh [DIR] [SIZE_MB] [ROUNDS]
# Generates DIR/bench.pcap (default ~1.1 GB) and DIR/bench.rules (2,003
# rules) with gen.py if missing, then measures, on the page-cached file,
# ROUNDS times (default 3) in turn: a bare libpcap read, `tcpdump -r FILE
# -w /dev/null`, the sensor with the full rule set on one worker and on
# two workers (capture thread + 2 workers).  Prints every line, then the
# medians and each as a share of the bare read.  Rates are per CPU second
# (bench_sensor.c says why); the two-worker rate is the two-core one.
# Set DECODE=1 to measure the sensor without rules as well.
# Run from the build directory after `make bench`.
set -e
dir=${1:-/tmp/seccloud-bench}
size=${2:-1100}
rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
bin=${BENCH_SENSOR:-./bench/sensor/bench_sensor}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
mkdir -p "$dir"
[ -s "$dir/bench.pcap" ] || python3 "$here/gen.py" "$dir/bench.pcap" \
	"$dir/bench.rules" "$size"
cat "$dir/bench.pcap" >/dev/null # page cache
echo "# $(ls -l "$dir/bench.pcap" | awk '{print $5}') bytes, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	"$bin" bare "$dir/bench.pcap" | tee -a "$out"
	/usr/bin/time -f "tcpdump cpu %U+%S s (wall %e) %M KB peak RSS" \
		tcpdump -r "$dir/bench.pcap" -w /dev/null 2>&1 |
		grep '^tcpdump cpu' | tee -a "$out" || true
	[ -z "$DECODE" ] || "$bin" decode "$dir/bench.pcap" | tee -a "$out"
	"$bin" full "$dir/bench.pcap" "$dir/bench.rules" | tee -a "$out"
	"$bin" -w 2 full "$dir/bench.pcap" "$dir/bench.rules" | tee -a "$out"
done
python3 - "$out" "$(stat -c %s "$dir/bench.pcap")" <<'PY'
import re, statistics, sys
lines = open(sys.argv[1]).read().splitlines()
fsize = int(sys.argv[2])
rate = {}
rss = {}
last = None
wire = fsize
for l in lines:
    m = re.match(r"bare .* (\d+) bytes", l)
    if m:
        wire = int(m.group(1))
for l in lines:
    m = re.match(r"(\S+)\s+cpu\s+([\d.]+) s .* ([\d.]+) Gbit/s\s+(\d+) kpps"
                 r"\s+\d+ flows\s+(\d+) flows/s .* (\d+) MB peak RSS", l)
    if m:
        last = m.group(1)
        rate.setdefault(last, []).append(
            (float(m.group(3)), float(m.group(4)), float(m.group(5))))
        rss.setdefault(last, []).append(int(m.group(6)))
        continue
    m = re.match(r"\s+two cores: .* ([\d.]+) Gbit/s\s+(\d+) kpps\s+(\d+) "
                 r"flows/s", l)
    if m and last:
        rate.setdefault(last + " (2 cores)", []).append(
            (float(m.group(1)), float(m.group(2)), float(m.group(3))))
        continue
    m = re.match(r"tcpdump cpu ([\d.]+)\+([\d.]+) s .* (\d+) KB", l)
    if m:
        # the same bytes as the bare read counts (wire lengths)
        secs = float(m.group(1)) + float(m.group(2))
        rate.setdefault("tcpdump", []).append(
            (wire * 8 / secs / 1e9 if secs else 0, 0, 0))
        rss.setdefault("tcpdump", []).append(int(m.group(3)) // 1024)
med = lambda xs, i: statistics.median(x[i] for x in xs)
bare = med(rate["bare"], 0) if "bare" in rate else 0
print("# medians of %d rounds" % max(len(v) for v in rate.values()))
for k, v in rate.items():
    print("%-18s %6.2f Gbit/s %8.0f kpps %8.0f flows/s %5s MB RSS  %5.1f%% "
          "of bare read" % (k, med(v, 0), med(v, 1), med(v, 2),
                            statistics.median(rss.get(k.split()[0], [0])),
                            100 * med(v, 0) / bare if bare else 0))
PY
