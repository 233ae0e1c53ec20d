#!/bin/sh
# run.sh — the sensor benchmark (a report, not a test).
#   bench/sensor/run.sh [DIR] [SIZE_MB]
# Generates DIR/bench.pcap (default ~1.1 GB) and DIR/bench.rules (2,003
# rules) with gen.py if missing, then measures, on the page-cached file:
# a bare libpcap read, `tcpdump -r FILE -w /dev/null`, the sensor without
# rules (decode, flows, reassembly, app layer) and with the full rule set.
# Run from the build directory after `make bench`.
set -e
dir=${1:-/tmp/seccloud-bench}
size=${2:-1100}
here=$(cd "$(dirname "$0")" && pwd)
bin=${BENCH_SENSOR:-./bench/sensor/bench_sensor}
mkdir -p "$dir"
[ -s "$dir/bench.pcap" ] || python3 "$here/gen.py" "$dir/bench.pcap" \
	"$dir/bench.rules" "$size"
cat "$dir/bench.pcap" >/dev/null # page cache
echo "# $(ls -l "$dir/bench.pcap" | awk '{print $5}') bytes, $(nproc) cores"
"$bin" bare "$dir/bench.pcap"
/usr/bin/time -f "tcpdump cpu %U+%S s (wall %e) tcpdump -r FILE -w /dev/null, %M KB peak RSS" \
	tcpdump -r "$dir/bench.pcap" -w /dev/null 2>&1 | grep '^tcpdump cpu' || true
"$bin" decode "$dir/bench.pcap"
"$bin" full "$dir/bench.pcap" "$dir/bench.rules"
