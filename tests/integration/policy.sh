#!/bin/sh
# policy.sh — `seccloud policy` and `seccloud report` on the shipped example
# policy and on a broken one.
# Expect: check accepts the example and names 架空県 with its 7 団体;
# lookup with no -p uses the example and prints 団体, tier, source and
# gateway; flow exits 3 with GL-SEP-02 for L->internet and 0 through a
# registered virtual browser; check of a broken policy exits 1 and lists
# every error as file:line; report monthly/audit produce HTML, CSV and JSON.
. "$top_srcdir/tests/lib/tap.sh"

ex="$top_srcdir/policies/example/policy.conf"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$("$SECCLOUD" policy check "$ex"); ok $? "check example exits 0"
like "$out" '架空県 \(240001\), 7 団体' "check names the prefecture and count"

out=$("$SECCLOUD" policy lookup 10.11.16.1); ok $? "lookup without -p"
like "$out" '架空中央市 \(242501\)' "lookup: 団体"
like "$out" 'tier +L LGWAN接続系' "lookup: tier"
like "$out" 'source +chuo-fw-lgwan \(type asa' "lookup: source"
out=$("$SECCLOUD" policy lookup 10.200.1.25 -p "$ex")
like "$out" 'gateway +mail-relay sc-mx' "lookup -p: gateway"

out=$("$SECCLOUD" policy flow 10.11.16.5:40000 198.51.100.7:443 -p "$ex")
is "$?" 3 "flow L->internet exits 3 (violation)"
like "$out" 'alert +GL-SEP-02 S1' "flow: GL-SEP-02 S1"
out=$("$SECCLOUD" policy flow 10.11.16.5 10.11.32.10:3389)
is "$?" 0 "flow to the registered virtual browser exits 0"
like "$out" 'via screen-transfer chuo-vb' "flow: via the gateway"

out=$("$SECCLOUD" policy matrix "beta'"); ok $? "matrix beta'"
like "$out" 'I   -> L    G  .*\[sanitiser\] \[screen-transfer\]' \
    "matrix: β′ I->L through sanitiser or screen transfer"
like "$out" 'M   -> LG   E' "matrix: M->LG allow-list"

cat >"$tmp/bad.conf" <<'POL'
prefecture "県" { code 240001 }
municipality "甲" {
	code 242013
	type city
	tier Q 10.0.0.0/8
}
POL
err=$("$SECCLOUD" policy check "$tmp/bad.conf" 2>&1)
is "$?" 1 "broken policy exits 1"
like "$err" 'bad.conf:3: .*check digit' "error at line 3"
like "$err" 'bad.conf:5: .*unknown tier' "error at line 5 too"

"$SECCLOUD" report monthly --municipality 242501 --month 2026-11 \
    --wareki -o "$tmp/m.html"
ok $? "monthly html"
grep -q '月次報告書 2026年11月' "$tmp/m.html"; ok $? "monthly title"
grep -q '令和8年11月1日' "$tmp/m.html"; ok $? "和暦 dates"
out=$("$SECCLOUD" report monthly --municipality 242501 --month 2026-11 \
    --format csv)
like "$out" 'retention,events,正規化イベント・検索用,730,' "csv: 団体 retention"
"$SECCLOUD" report monthly --municipality 999999 --month 2026-11 \
    >/dev/null 2>&1
is "$?" 2 "bad 団体コード exits 2"
out=$("$SECCLOUD" report audit --from 2026-04-01 --to 2026-11-30 \
    --format json)
ok $? "audit json"
like "$out" '"id": "EXC-2025-007"' "audit: exception register"
done_testing
