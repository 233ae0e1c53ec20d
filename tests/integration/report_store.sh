#!/bin/sh
# report_store.sh — `seccloud report` reads the store in -d DATADIR.
# Expect: without a store both reports exit 1 with an error naming
# seccloud.db and print no report; with the fixture store (report_fixture)
# the monthly CSV of 242501 counts S1 2 / S2 1, lists the GL-SEP-02
# incident with its notification channel and closure, the three-tier
# finding with its evidence, chuo-fw-lgwan with 120 messages and the
# declared but silent chuo-fw-inet with coverage 0, says the archive
# verification found segment 7 bad (and October's was not recorded), the
# archive's retention from the prune record, and never shows 北架空市's rows; the audit
# JSON lists the failed login, the policy change and every source.
. "$top_srcdir/tests/lib/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/empty" "$tmp/data"

out=$("$SECCLOUD" report monthly --municipality 242501 --month 2026-11 \
    -d "$tmp/empty" 2>"$tmp/err")
is "$?" 1 "no store: monthly exits 1"
is "$out" "" "no store: no report printed"
like "$(cat "$tmp/err")" 'seccloud.db' "no store: the error names the store"
"$SECCLOUD" report audit --from 2026-11-01 --to 2026-11-30 \
    -d "$tmp/empty" >/dev/null 2>&1
is "$?" 1 "no store: audit exits 1"

"$top_builddir/tests/integration/report_fixture" "$tmp/data"
ok $? "fixture store built"

out=$("$SECCLOUD" report monthly --municipality 242501 --month 2026-11 \
    -d "$tmp/data" --format csv)
ok $? "monthly csv from the store"
like "$out" 'by_severity,S1,[^,]*,2,' "S1 count 2"
like "$out" 'by_severity,S2,[^,]*,1,' "S2 count 1"
like "$out" 'GL-SEP-02,2' "use case count"
like "$out" 'incidents,.*GL-SEP-02.*webhook.*closed: true_positive' \
    "incident with channel and closure"
like "$out" 'L -> internet: forbidden' "finding evidence"
like "$out" 'chuo-fw-lgwan \[10.11.16.1\],asa,[^,]*,[^,]*,120,0.0%,0,2591400,0.250,0' \
    "source messages"
like "$out" 'chuo-fw-inet \[10.11.32.1\],fortigate,-,-,0,0.0%,0,2592000,-,0' \
    "declared but silent source"
like "$out" 'archive,result,不整合あり' "archive verification: bad"
like "$out" '2 回中 1 回で不整合: 最初の不整合セグメント 7 — segment 7 \(2026-05-03\): SHA-256 differs' \
    "the first bad segment named, with the reason"
like "$out" 'retention,archive,[^,]*,1826,183,蓄積中/未達,最古保持 2026-06-01' \
    "archive kept 183 days (oldest kept 2026-06-01, month end 2026-12-01)"
like "$out" '最終削除 2026-11-25 00:00:00 JST \(cli:root\): 2026-06-01 より前 31 セグメント 4567 件' \
    "what the last prune removed"
like "$out" 'top_risks,1,S1,GL-SEP-02,GL-SEP-02,対応完了,三層分離の違反です' \
    "executive summary: top risk with its recommended action"
like "$out" 'requests,2,S2,GL-ACCESS-01,10\.11\.32\.7,対象アカウント' \
    "executive summary: the open incident is a request to the 団体"
like "$out" 'annex_contacts,架空中央市,S1-S2,webhook,http://127\.0\.0\.1:8088/242501' \
    "annex: the 団体's own notification route"
like "$out" 'annex_contacts,SOC 全体,S1,syslog,udp://127\.0\.0\.1:5514' \
    "annex: the SOC-wide routes"
out10=$("$SECCLOUD" report monthly --municipality 242501 --month 2026-10 \
    -d "$tmp/data" --format csv)
like "$out10" 'not recorded' "October: archive verification not recorded"
like "$out" 'retention,alerts,[^,]*,1826,21,' \
    "alerts kept 21 days (oldest 2026-11-10, month end 2026-12-01)"
case "$out" in
*KITA*|*kita-fw*|*10.12.16*) ok 1 "another 団体's rows leak" ;;
*) ok 0 "no row of 北架空市" ;;
esac

"$SECCLOUD" report monthly --municipality 242501 --month 2026-11 \
    -d "$tmp/data" -o "$tmp/m.html"
ok $? "monthly html"
grep -q 'L -&gt; internet' "$tmp/m.html"; ok $? "html escapes evidence"

out=$("$SECCLOUD" report audit --from 2026-11-01 --to 2026-11-30 \
    -d "$tmp/data" --format json)
ok $? "audit json from the store"
like "$out" 'login_failed: bad password' "failed login"
like "$out" '"sha256": "0123abcd"' "policy change"
like "$out" 'kita-fw \[10.12.16.1\] \(242519\)' "inventory: every source"
like "$out" '"result": "不整合あり"' "audit pack: integrity proof shows the bad run"
out=$("$SECCLOUD" report audit --from 2026-11-01 --to 2026-11-30 \
    -d "$tmp/data" --format csv)
like "$out" 'incidents,242501,1,S1,GL-SEP-02,GL-SEP-02,10\.11\.16\.5,2026-11-10 00:00 JST,2026-11-10 00:02 JST,webhook,2026-11-10 00:20 JST,2026-11-10 01:30 JST,120,1080,達成,closed: true_positive' \
    "audit pack: incident timeline detection -> notification -> ack -> closure"
like "$out" 'incidents,242519,3,S1,GL-SEP-02,GL-SEP-02,10\.12\.16\.5,2026-11-10 00:00 JST,-,,-,-,-,-,未通知,new' "audit pack: every 団体's incidents, the unnotified one too"
done_testing
