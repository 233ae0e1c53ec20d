#!/bin/sh
# archive_integrity.sh — the archive's chain head kept in the store, the
# MANIFEST lock between `archive prune` and a running collector, prune's
# default from the policy's retention, and a chain break named by its
# segment.
# Expect:
#  - after three collector runs (three sealed segments) the store keeps the
#    chain head (3 lines, segment 3) and verify says MANIFEST reaches it;
#  - cutting the last segment together with its MANIFEST line (a chain
#    that is still whole) fails verify, naming segment 3 as cut; restored,
#    it passes again; a store without a head (before this step) passes
#    with a note, and the next collector start records the head;
#  - editing segment 2's MANIFEST line names segment 2, not 0;
#  - a prune while the collector runs (its segment 4 open) records its
#    line; the collector then seals segment 4 after the prune line, not
#    after the line it last wrote, and verify passes; the head follows;
#  - prune without --before/--days cuts at the policy's archive retention,
#    the longest of any 団体 (400d policy-wide, 700d for one 団体), keeps
#    today's segment, and is refused when the policy does not load;
#  - segment 4 and its line cut, then the collector run again (sealing a
#    new segment 4 as MANIFEST's 7th line): the collector warns and leaves
#    the store's head alone, and verify fails naming segment 4 as rewritten.
. "${top_srcdir:-.}/tests/integration/collector_lib.sh"

sql() { sqlite3 -cmd ".timeout 5000" "$T/data/seccloud.db" "$1"; }
arch() { "$SECCLOUD" archive -d "$T/data" "$@"; }
M="$T/data/archive/MANIFEST"

# run WORD : one collector run archiving one line, sealed at its stop
run() {
	start_collector --listen tcp:127.0.0.1:0 || return 1
	printf '%s\n' "$1" >"$T/line"
	logger -n 127.0.0.1 -P "$TCP_PORT" -T --rfc3164 -p local7.notice \
	    -f "$T/line" || return 1
	wait_for 10 archive_has "$1" || return 1
	stop_collector
}
run INTEGRITY-1 && run INTEGRITY-2 && run INTEGRITY-3
ok $? "three collector runs, three sealed segments"
is "$(grep -c '^segment=' "$M")" 3 "MANIFEST has three lines"
is "$(sql "SELECT entries, segment, segments, chain = '$(tail -1 "$M" | sed 's/.* chain=//')' FROM archive_chain")" \
    "3|3|3|1" "the store keeps the chain head: line 3, segment 3, its hash"
out=$(arch verify)
is "$?" 0 "verify: intact"
like "$out" 'MANIFEST reaches the chain head kept in the store' \
    "... and MANIFEST reaches the store's chain head"

# cut the newest segment together with its MANIFEST line
seg3=$(ls "$T/data/archive" | grep '\.0*3\.zst$')
cp "$M" "$T/M.bak"
mv "$T/data/archive/$seg3" "$T/seg3.bak"
sed -i '$d' "$M"
out=$(arch verify)
is "$?" 1 "verify: the last segment and its line cut: detected"
like "$out" 'FAILED: first bad segment 3: MANIFEST ends at line 2 .* chain head kept in the store is line 3 .*cut' \
    "... naming segment 3 and the cut"
is "$(sql "SELECT result, first_bad FROM archive_verifications ORDER BY id DESC LIMIT 1")" \
    "bad|3" "... recorded as a bad run at segment 3"
cp "$T/M.bak" "$M"
mv "$T/seg3.bak" "$T/data/archive/$seg3"
arch verify >/dev/null
ok $? "restored: verify passes"

# edit segment 2's line: the break names segment 2
sed -i '2s/records=1 /records=9 /' "$M"
out=$(arch verify)
is "$?" 1 "an edited MANIFEST line fails"
like "$out" 'FAILED: first bad segment 2: MANIFEST:2: segment 2' \
    "... naming segment 2, not 0"
cp "$T/M.bak" "$M"

# a store from before the chain head was kept
sql "DELETE FROM archive_chain"
out=$(arch verify)
is "$?" 0 "no chain head in the store: verify passes"
like "$out" 'no chain head kept in the store' "... and says so"

# prune while the collector runs: its next seal chains after the prune
start_collector --listen tcp:127.0.0.1:0
ok $? "collector started (segment 4 will be open)"
is "$(sql "SELECT entries, segment FROM archive_chain")" "3|3" \
    "the collector's start records the chain head again"
printf 'INTEGRITY-4\n' >"$T/line"
logger -n 127.0.0.1 -P "$TCP_PORT" -T --rfc3164 -p local7.notice -f "$T/line"
wait_for 10 archive_has INTEGRITY-4
ok $? "a line in the open segment 4"
tomorrow=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc) + d.timedelta(hours=9, days=1)).strftime("%Y-%m-%d"))')
out=$(arch prune --before "$tomorrow")
ok $? "prune the sealed segments while the collector runs"
like "$out" 'archive prune: 3 segments before' "... all three sealed ones"
is "$(sql "SELECT entries, segment, segments FROM archive_chain")" "6|3|3" \
    "the chain head follows the prune lines"
stop_collector
ok $? "collector stopped: segment 4 sealed"
tail -1 "$M" | grep -q '^segment=4 '
ok $? "segment 4 is MANIFEST's last line"
grep -q 'MANIFEST moved on (a prune)' "$T/err"
ok $? "the writer re-read the chain under the lock"
out=$(arch verify)
is "$?" 0 "verify passes: segment 4 chains after the prune lines ($out)"
is "$(sql "SELECT entries, segment, segments FROM archive_chain")" "7|4|4" \
    "the head is segment 4's line"
like "$(arch search INTEGRITY-4)" 'INTEGRITY-4$' "segment 4 reads back"

# prune by the policy's retention
cat >"$T/ret.conf" <<X
datadir "$T/data"
policy "$T/policy-ret.conf"
X
sed 's/^}$/}/' "$T/policy.conf" >"$T/policy-ret.conf"
cat >>"$T/policy-ret.conf" <<'X'
retention {
	archive 400d
}
municipality "テスト町" {
	code 242012
	type town
	tier I 10.12.32.0/20
	retention {
		archive 700d
	}
}
X
"$SECCLOUD" policy check "$T/policy-ret.conf" >/dev/null
ok $? "a policy keeping the archive 400 days, 700 for 242012"
cut=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc) + d.timedelta(hours=9) - d.timedelta(days=700)).strftime("%Y-%m-%d"))')
cut2=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc) + d.timedelta(hours=9, seconds=-5) - d.timedelta(days=700)).strftime("%Y-%m-%d"))')
out=$("$SECCLOUD" archive -f "$T/ret.conf" prune)
ok $? "prune with no --before/--days"
like "$out" 'the policy keeps the archive 700 days' \
    "... keeps the longest retention of any 団体"
like "$out" "archive prune: 0 segments before ($cut|$cut2)" \
    "... cuts 700 days back (JST), today's segment kept"
arch verify >/dev/null
ok $? "verify still passes"
printf 'datadir "%s"\npolicy "%s"\n' "$T/data" "$T/broken.conf" >"$T/bad.conf"
printf 'prefecture "P" {\n code 240002\n}\n' >"$T/broken.conf"
"$SECCLOUD" archive -f "$T/bad.conf" prune >"$T/bad.out" 2>&1
is "$?" 2 "a policy that does not load: refused"
like "$(cat "$T/bad.out")" 'not loaded: nothing pruned' "... saying why"
is "$(grep -c '^pruned=' "$M")" 3 "... and MANIFEST has no new prune line"

# cut segment 4 with its line, and let the collector carry on
head=$(sql "SELECT chain FROM archive_chain")
rm "$T/data/archive/"*.0000000000000004.zst
sed -i '$d' "$M"
run INTEGRITY-5
ok $? "the collector runs on after the cut, sealing a new segment 4"
is "$(wc -l <"$M" | tr -d ' ')" 7 "MANIFEST has 7 lines again"
grep -q 'is not the chain head kept in the store' "$T/err"
ok $? "the collector warned at its seal"
is "$(sql "SELECT entries, chain = '$head' FROM archive_chain")" "7|1" \
    "the store's head is left as it was (the evidence)"
out=$(arch verify)
is "$?" 1 "verify fails"
like "$out" 'first bad segment 4: MANIFEST line 7 \(segment 4\) is not the chain head kept in the store' \
    "... naming segment 4: MANIFEST cut and rewritten"
done_testing
