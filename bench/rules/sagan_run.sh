#!/bin/sh
# sagan_run.sh WORKDIR RULES_YAML INPUT RATE — run Sagan 1.2 over INPUT (its
# FIFO format) fed through its FIFO at RATE lines/s; leaves WORKDIR/log/alert.log.
# Sagan keeps state in ipc/*.shared between runs: they are removed first.
# Needs root (Sagan drops to the 'sagan' user).
set -eu
w=$1 yaml=$2 input=$3 rate=$4
mkdir -p "$w/log" "$w/ipc" "$w/run"
rm -f "$w"/ipc/* "$w"/log/* "$w/run/sagan.fifo" "$w/run/sagan.pid"
mkfifo "$w/run/sagan.fifo"
chown -R sagan "$w/log" "$w/ipc" "$w/run"
sagan -f "$yaml" -l "$w/log/sagan.log" >/dev/null 2>&1 &
pid=$!
python3 - "$w/run/sagan.fifo" "$input" "$rate" <<'PY'
import sys, time
fifo, path, rate = sys.argv[1], sys.argv[2], float(sys.argv[3])
lines = open(path, encoding="utf-8", errors="replace").read().splitlines(True)
f = open(fifo, "w")          # blocks until Sagan opens its end
t0 = time.time()
for i, l in enumerate(lines):
    f.write(l)
    if i % 10 == 9:
        f.flush()
        d = t0 + (i + 1) / rate - time.time()
        if d > 0:
            time.sleep(d)
f.close()
PY
# Wait until alert.log stops growing (Sagan has drained its queue).
last=-1
while :; do
	n=$(wc -c <"$w/log/alert.log" 2>/dev/null || echo 0)
	[ "$n" = "$last" ] && break
	last=$n
	sleep 1
done
kill -INT "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
