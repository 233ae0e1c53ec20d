#!/bin/sh
# archive_evidence.sh — `seccloud archive verify` and `prune` leave their
# evidence in the store, and the monthly report shows it.
# Expect: after a collector run, verify exits 0 and records an ok run
# (segments checked, who ran it, the oldest day held); the month's report
# says 正常 with that count; a segment altered on disk makes verify exit 1
# and record a bad run naming that segment, and the report then says
# 不整合あり with the segment; a prune records what it removed.  The
# collector's own daily check records one run (by "collector") over one
# whole JST day before today, and a restart does not repeat it.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

start_collector --listen tcp:127.0.0.1:0
ok $? "collector ready"
printf 'EVIDENCE-1\nEVIDENCE-2\nEVIDENCE-3\n' >"$T/lines"
logger -n 127.0.0.1 -P "$TCP_PORT" -T --rfc3164 -p local7.notice -f "$T/lines"
wait_for 10 archive_has EVIDENCE-3
ok $? "three lines archived"
sql() { sqlite3 -cmd ".timeout 5000" "$T/data/seccloud.db" "$1"; }
daily_row() { [ "$(sql "SELECT count(*) FROM archive_verifications WHERE by = 'collector'")" -ge 1 ]; }
wait_for 10 daily_row
ok $? "the collector's daily check recorded its run"
now=$(($(date +%s) * 1000000))
is "$(sql "SELECT result, range_to - range_from, (range_to / 1000000 + 9 * 3600) % 86400, range_to <= $now FROM archive_verifications WHERE by = 'collector'")" \
    "ok|86400000000|0|1" "ok, over one whole JST day that has ended"
stop_collector
ok $? "clean stop (the segment is sealed)"
start_collector --listen tcp:127.0.0.1:0
ok $? "restarted"
stop_collector
is "$(sql "SELECT max(n) FROM (SELECT count(*) AS n FROM archive_verifications WHERE by = 'collector' GROUP BY range_from)")" 1 \
    "a restart does not check the same day again"

out=$("$SECCLOUD" archive -d "$T/data" verify)
is "$?" 0 "verify: intact"
like "$out" 'archive verify: ok \([1-9][0-9]* segments checked\)' "says how many"
CLI="by LIKE 'cli:%'"
is "$(sql "SELECT count(*) FROM archive_verifications WHERE $CLI")" 1 "one run recorded"
is "$(sql "SELECT result, first_bad IS NULL, by FROM archive_verifications WHERE $CLI")" \
    "ok|1|cli:$(id -un)" "ok, no bad segment, run by this user"
segs=$(sql "SELECT segments FROM archive_verifications WHERE $CLI")
[ "$segs" -ge 1 ] 2>/dev/null
ok $? "segments checked recorded ($segs)"
day=$(sql "SELECT strftime('%Y-%m-%d', ts / 1000000 + 9 * 3600, 'unixepoch') FROM archive_verifications WHERE $CLI")
month=$(printf '%s' "$day" | cut -c1-7)
seg=$(ls "$T/data/archive" | grep '\.zst$' | head -1)
segday=$(printf '%s' "$seg" | cut -c1-10)
is "$(sql "SELECT oldest_day FROM archive_verifications WHERE $CLI")" "$segday" \
    "the oldest day held"

report() {
	"$SECCLOUD" report monthly --municipality 242501 --month "$month" \
	    -d "$T/data" -p "$T/policy.conf" --format csv
}
out=$(report)
ok $? "monthly report for $month"
like "$out" 'archive,result,正常 \(改ざんなし\)' "report: archive ok"
like "$out" "[12] 回の検証がすべて正常 \\(最終: cli:$(id -un), $segs セグメント\\)" \
    "report: runs (the collector's daily one too if in this month), who, segments"

# alter the sealed segment: one byte in the middle
num=$(printf '%s' "$seg" | cut -c12-27 | sed 's/^0*//')
f="$T/data/archive/$seg"
size=$(wc -c <"$f")
printf 'X' | dd of="$f" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
out=$("$SECCLOUD" archive -d "$T/data" verify)
is "$?" 1 "verify: altered"
like "$out" "FAILED: first bad segment $num" "names segment $num"
is "$(sql "SELECT result, first_bad FROM archive_verifications ORDER BY id DESC LIMIT 1")" \
    "bad|$num" "the bad run is recorded with the segment"
out=$(report)
like "$out" 'archive,result,不整合あり' "report: bad"
like "$out" "最初の不整合セグメント $num — segment $num" \
    "report: the first bad segment"

# prune everything before tomorrow (JST)
tomorrow=$(TZ=Asia/Tokyo date -d tomorrow +%Y-%m-%d 2>/dev/null ||
    python3 -c 'import datetime as d; print((d.datetime.utcnow() + d.timedelta(hours=9, days=1)).strftime("%Y-%m-%d"))')
"$SECCLOUD" archive -d "$T/data" prune --before "$tomorrow" >/dev/null
ok $? "prune"
is "$(sql "SELECT before_day, segments >= 1, records >= 3, first_day, oldest_kept_day IS NULL, by FROM archive_prunes")" \
    "$tomorrow|1|1|$segday|1|cli:$(id -un)" "the prune is recorded"
done_testing
