#!/bin/sh
# web_reports.sh — the Reports screen and its API over HTTP.
# Expect: the analyst's list names both 団体 of the test policy, a municipal
# user's only their own; the monthly report renders inside the page (the
# renderer's body, no inline style) and downloads as html, csv and json
# with their Content-Type and an ASCII attachment file name, the CSV the
# same as `seccloud report monthly` makes; the API gives
# the JSON report inline; a municipal user gets 404 for another 団体's
# report (page, download and API) and an unknown or malformed request is
# 404 / 400; the audit pack is for admin and auditor only (403 otherwise);
# downloads are in the audit log; SIGHUP reloads the policy, and a policy
# that does not load leaves the old one in force.
. "$top_srcdir/tests/integration/web_lib.sh"
web_start || { ok 1 "web starts"; done_testing; }
ok 0 "web starts"
login alice; ok $? "analyst logs in"
login chiyoda; ok $? "municipal user logs in"
login audrey; ok $? "auditor logs in"
login admin; ok $? "admin logs in"
# the month is passed explicitly, so the test does not depend on the date
M=$(date -u -d '+9 hours' +%Y-%m)
MP="/reports/monthly?muni=131016&month=$M"

# the list
L=$(get alice /reports)
like "$L" 'data-muni="131016"' "analyst's list has 千代田区"
like "$L" 'data-muni="011002"' "analyst's list has 札幌市"
( printf '%s' "$L" | grep -q 'audit-form' ); is $? 1 "analyst gets no audit pack form"
L=$(get chiyoda /reports)
like "$L" 'data-muni="131016"' "municipal list has their own 団体"
( printf '%s' "$L" | grep -Eq '011002|札幌' ); is $? 1 "municipal list has no other 団体"
like "$(get audrey /reports)" 'id="audit-form"' "auditor gets the audit pack form"
like "$(get chiyoda /api/v1/reports)" '"municipalities":\[\{"code":"131016","name":"千代田区"\}\]' \
    "API list: municipal sees only their own 団体"

# the monthly report in the page
P=$(get alice "$MP")
like "$P" 'id="report-doc"' "monthly report shown in the page"
like "$P" '千代田区 \(131016\)' "report names the 団体"
( printf '%s' "$P" | grep -Eq '<style|style="' ); is $? 1 "embedded report carries no inline style (CSP)"
is "$(printf '%s' "$P" | grep -c '<body')" 1 "one body: only the renderer's body is embedded"

# downloads
hdr() { # USER PATH -> headers, body in $WDIR/body
	curl -s -D - -o "$WDIR/body" -b "$WDIR/$1.jar" "$BASE$2" | tr -d '\r'
}
H=$(hdr alice "$MP&format=csv")
like "$H" 'Content-Type: text/csv; charset=utf-8' "csv: Content-Type"
like "$H" "Content-Disposition: attachment; filename=\"seccloud-monthly-131016-$M.csv\"" \
    "csv: attachment with an ASCII file name"
is "$(head -c 3 "$WDIR/body" | od -An -tx1 | tr -d ' ')" efbbbf "csv: UTF-8 BOM"
like "$(cat "$WDIR/body")" 'by_severity,S1,' "csv: severity rows"
H=$(hdr alice "$MP&format=json")
like "$H" 'Content-Type: application/json' "json: Content-Type"
like "$H" "filename=\"seccloud-monthly-131016-$M.json\"" "json: attachment"
like "$(cat "$WDIR/body")" '"report": "monthly"' "json: the report"
H=$(hdr alice "$MP&format=html")
like "$H" 'Content-Type: text/html; charset=utf-8' "html: Content-Type"
like "$H" "filename=\"seccloud-monthly-131016-$M.html\"" "html: attachment"
like "$(cat "$WDIR/body")" '<!DOCTYPE html>' "html: the standalone page"
is "$(code alice "$MP&format=pdf")" 400 "unknown format: 400"
H=$(hdr alice "/api/v1/reports/monthly?muni=131016&month=$M")
like "$H" 'Content-Type: application/json' "API: JSON"
( printf '%s' "$H" | grep -q 'Content-Disposition' ); is $? 1 "API: JSON inline"
like "$(cat "$WDIR/body")" '"code": "131016"' "API: the report of the 団体 asked"
H=$(hdr alice "/api/v1/reports/monthly?muni=131016&month=$M&format=csv")
like "$H" 'Content-Type: text/csv' "API: csv on request"

# the same report as `seccloud report` (but for the time it was made)
"$SECCLOUD" report monthly --municipality 131016 --month "$M" --format csv \
    -p "$WDIR/policy.conf" -d "$WDIR" | grep -v '^header,generated,' \
    >"$WDIR/cli.csv"
get alice "$MP&format=csv" | grep -v '^header,generated,' >"$WDIR/web.csv"
cmp -s "$WDIR/cli.csv" "$WDIR/web.csv"
is $? 0 "the web's CSV is the CLI's ($(wc -l <"$WDIR/cli.csv") lines)"

# scope and bad input
is "$(code chiyoda "$MP")" 200 "municipal opens their own report"
is "$(code chiyoda "/reports/monthly?month=$M")" 200 "municipal: 団体 defaults to their own"
is "$(code chiyoda "/reports/monthly?muni=011002&month=$M")" 404 "municipal: another 団体's report is 404"
is "$(code chiyoda "/reports/monthly?muni=011002&month=$M&format=csv")" 404 "municipal: another 団体's download is 404"
is "$(code chiyoda "/api/v1/reports/monthly?muni=011002&month=$M")" 404 "municipal: another 団体 via the API is 404"
is "$(code alice "/reports/monthly?muni=242501&month=$M")" 404 "団体 not in the policy: 404"
is "$(code alice "/reports/monthly?muni=131017&month=$M")" 404 "bad check digit: 404"
is "$(code alice "/reports/monthly?muni=131016&month=2026-13")" 400 "malformed month: 400"
is "$(code alice "/reports/monthly?muni=131016")" 200 "no month: the current month"
is "$(code alice "/reports/monthly?month=$M")" 404 "analyst without a 団体: 404"

# the audit pack
AP="/reports/audit?from=2026-01-01&to=2026-12-31"
is "$(code audrey "$AP")" 200 "auditor opens the audit pack"
is "$(code admin "$AP")" 200 "admin opens the audit pack"
is "$(code alice "$AP")" 403 "analyst: audit pack 403"
is "$(code chiyoda "$AP")" 403 "municipal: audit pack 403"
is "$(code chiyoda "/api/v1/reports/audit?from=2026-01-01&to=2026-12-31")" 403 "municipal: audit API 403"
H=$(hdr audrey "$AP&format=csv")
like "$H" 'filename="seccloud-audit-2026-01-01_2026-12-31.csv"' "audit csv: file name"
is "$(code audrey "/reports/audit?from=2026-12-31&to=2026-01-01")" 400 "audit: from after to is 400"
like "$(get admin /api/v1/audit)" '"action":"report","target":"monthly 131016' "downloads are in the audit log"

# SIGHUP reloads the policy
sed 's/"千代田区"/"千代田区テスト"/' "$top_srcdir/tests/integration/web_policy.conf" >"$WDIR/policy.conf"
kill -HUP "$WEB_PID"
i=0
until get alice /reports | grep -q '千代田区テスト'; do
	i=$((i + 1)); [ $i -gt 200 ] && break; sleep 0.05
done
like "$(get alice /reports)" '千代田区テスト' "SIGHUP reloads the policy"
printf 'this is not a policy {\n' >"$WDIR/policy.conf"
kill -HUP "$WEB_PID"
i=0
until grep -q 'keeping the previous policy' "$WDIR/stderr"; do
	i=$((i + 1)); [ $i -gt 200 ] && break; sleep 0.05
done
like "$(cat "$WDIR/stderr")" 'keeping the previous policy' "a broken policy is refused on reload"
like "$(get alice /reports)" '千代田区テスト' "the previous policy stays in force"
is "$(code alice "$MP")" 200 "reports still work after a refused reload"
web_done
