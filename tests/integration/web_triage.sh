#!/bin/sh
# web_triage.sh — triage, comments, "seen before" and keyset paging.
# Expect: acknowledge / escalate / close (with a reason) move the status and
# write history; close without a valid reason is refused (409) and changes
# nothing; closed groups leave the default inbox but show under
# status=closed; "seen before" lists the earlier closure; a comment is
# stored and shown escaped; the API triage returns the new state; paging by
# cursor over 130 groups visits every row exactly once.  The 団体's
# acknowledgement of a notification: only its own municipal users (analyst
# 403, another 団体 404, twice 409, bad CSRF 403), shown on the page and in
# the API, audited, and in the monthly report's incident list.
. "$top_srcdir/tests/integration/web_lib.sh"
web_start --bulk 120 || { ok 1 "web starts"; done_testing; }
ok 0 "web starts"
login alice; ok $? "analyst logs in"
G=$(fx chiyoda_ssh)
st() { get alice "/api/v1/groups/$1" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' | head -1; }

is "$(st $G)" new "starts new"
is "$(code alice /alerts/$G/triage -d "csrf=$CSRF" -d action=acknowledge)" 303 "acknowledge"
is "$(st $G)" acknowledged "now acknowledged"
is "$(code alice /alerts/$G/triage -d "csrf=$CSRF" -d action=acknowledge)" 409 "acknowledge twice -> 409"
is "$(code alice /alerts/$G/triage -d "csrf=$CSRF" -d action=escalate)" 303 "escalate"
is "$(st $G)" escalated "now escalated"
is "$(code alice /alerts/$G/triage -d "csrf=$CSRF" -d action=close)" 409 "close without a reason -> 409"
is "$(code alice /alerts/$G/triage -d "csrf=$CSRF" -d action=close -d reason=because)" 409 "close with a bad reason -> 409"
is "$(st $G)" escalated "still escalated"
is "$(code alice /alerts/$G/triage -d "csrf=$CSRF" -d action=close -d reason=false_positive --data-urlencode 'note=<b>noisy</b>')" 303 "close as false positive"
is "$(st $G)" closed "now closed"
h=$(get alice "/alerts/$G?lang=en")
like "$h" 'id="history".*acknowledge.*escalate.*close' "history shows the three steps"
like "$h" '&lt;b&gt;noisy&lt;/b&gt;' "note shown escaped"
( get alice /inbox | grep -q "href=\"/alerts/$G\"" ); is $? 1 "closed group gone from the default inbox"
like "$(get alice '/inbox?status=closed')" "href=\"/alerts/$G\"" "closed group under status=closed"
is "$(code alice /alerts/$G/triage -d "csrf=$CSRF" -d action=reopen)" 303 "reopen"
is "$(code alice /api/v1/groups/$G/triage -X POST -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data-binary '{"action":"close","reason":"benign"}')" 200 "API close"
like "$(get alice /api/v1/groups/$G)" '"close_reason":"benign"' "API: reason stored"
# "seen before": the first group of the same rule and 団体 shows G's closures
X=$(fx xss_script)
like "$(get alice /alerts/$X)" "id=\"seen-before\".*href=\"/alerts/$G\"" "seen before lists the earlier closure"
like "$(get alice /api/v1/groups/$X)" '"seen_before":\[\{' "API: seen_before filled"

is "$(code alice /alerts/$X/comment -d "csrf=$CSRF" --data-urlencode 'body=<script>alert(1)</script> 確認中')" 303 "comment added"
like "$(get alice /alerts/$X)" '&lt;script&gt;alert\(1\)&lt;/script&gt; 確認中' "comment shown escaped"
is "$(code alice /api/v1/groups/$X/comments -X POST -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data-binary '{"body":"via api"}')" 201 "API comment"
like "$(get alice /api/v1/groups/$X)" '"body":"via api"' "API comment stored"

# keyset paging: 130 open groups in all (some closed above)
total=$(get alice '/api/v1/groups?status=any&limit=500' | grep -o '"id":' | wc -l)
ok $([ "$total" -ge 130 ] && echo 0 || echo 1) "at least 130 groups ($total)"
seen=""; url='/api/v1/groups?status=any&limit=37'; pages=0
while [ -n "$url" ] && [ $pages -lt 20 ]; do
	body=$(get alice "$url")
	seen="$seen $(printf '%s' "$body" | grep -o '"id":[0-9]*,"gid"' | tr -dc '0-9 \n' | sed 's/ *$//')"
	next=$(printf '%s' "$body" | sed -n 's/.*"next":"\([0-9.]*\)".*/\1/p')
	url=${next:+"/api/v1/groups?status=any&limit=37&after=$next"}
	pages=$((pages + 1))
done
n=$(printf '%s\n' $seen | grep -c .)
u=$(printf '%s\n' $seen | sort -u | grep -c .)
is "$n" "$total" "paging visits every group"
is "$u" "$n" "no group twice"
# the HTML pager carries the filters along
like "$(get alice '/inbox?sev=4')" 'id="next-page" href="/inbox\?after=[0-9]+\.[0-9]+&amp;sev=4"' "next-page link keeps the filter"
p2=$(get alice "$(get alice '/inbox?sev=4' | sed -n 's/.*id="next-page" href="\([^"]*\)".*/\1/p' | sed 's/&amp;/\&/g')")
( printf '%s' "$p2" | grep -q 'sev s2' ); is $? 1 "page 2 still filtered (no S2 rows)"
like "$p2" 'bulk rule' "page 2 has rows"
# filters
like "$(get alice '/inbox?sid=9200001')" 'M-tier flow' "filter by sid"
( get alice '/inbox?sid=9200001' | grep -q 'bulk rule' ); is $? 1 "sid filter excludes others"
like "$(get alice '/inbox?usecase=GL-SEP-01&tier=I')" 'M-tier flow' "filter by use case and tier"
like "$(get alice '/inbox?q=hirosaki')" 'M-tier flow hirosaki' "free text"
( get alice '/inbox?from=2000-01-01&to=2000-01-02' | grep -q 'data-id=' ); is $? 1 "time range with no alerts: empty"

# the 団体's acknowledgement of a notification (sapporo's, fixture
# notify_sapporo on group sapporo_ssh)
N=$(fx notify_sapporo); SG=$(fx sapporo_ssh)
login sapporo; ok $? "sapporo logs in"
SCSRF=$CSRF
like "$(get sapporo "/alerts/$SG")" "action=\"/notifications/$N/ack\"" "municipal user sees the 確認 button"
( get alice "/alerts/$SG" | grep -q "/notifications/$N/ack" ); is $? 1 "analyst sees no 確認 button"
is "$(code alice /notifications/$N/ack -d "csrf=$(csrf_of alice)")" 403 "analyst cannot acknowledge -> 403"
is "$(code sapporo /notifications/$N/ack -d csrf=0123456789abcdef)" 403 "wrong CSRF -> 403"
is "$(code sapporo /api/v1/notifications/$N/ack -X POST -H 'X-CSRF-Token: 00' -H 'Content-Type: application/json' --data-binary '{}')" 403 "API: wrong CSRF -> 403"
login chiyoda; ok $? "chiyoda logs in"
is "$(code chiyoda /notifications/$N/ack -d "csrf=$CSRF")" 404 "another 団体's notification -> 404"
is "$(code chiyoda /api/v1/notifications/$N/ack -X POST -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data-binary '{}')" 404 "API: another 団体's notification -> 404"
like "$(get alice "/alerts/$SG?lang=en")" 'id="notifications".*<td class="ack"><span class="empty">Not yet</span>' "analyst sees: not yet acknowledged (the 404 changed nothing)"
is "$(code sapporo /notifications/$N/ack -d "csrf=$SCSRF")" 303 "municipal user acknowledges own notification"
h=$(get sapporo "/alerts/$SG?lang=en")
like "$h" "id=\"notifications\".*Municipality acknowledgement.*<td class=\"ack\">[0-9-]+ [0-9:]+[^<]* sapporo</td>" "the row shows when and by whom"
( printf '%s' "$h" | grep -q "/notifications/$N/ack" ); is $? 1 "no 確認 button any more"
like "$(get alice "/alerts/$SG")" '<td class="ack">[0-9-]+ [0-9:]+[^<]* sapporo</td>' "analyst sees the acknowledgement"
is "$(code sapporo /notifications/$N/ack -d "csrf=$SCSRF")" 409 "acknowledge again -> 409"
is "$(code sapporo /api/v1/notifications/$N/ack -X POST -H "X-CSRF-Token: $SCSRF" -H 'Content-Type: application/json' --data-binary '{}')" 409 "API: acknowledge again -> 409"
like "$(get sapporo "/api/v1/groups/$SG")" '"acknowledged_by":"sapporo"' "API shows who acknowledged"
N2=$(fx notify_sapporo2)
is "$(code alice /api/v1/notifications/$N2/ack -X POST -H "X-CSRF-Token: $(csrf_of alice)" -H 'Content-Type: application/json' --data-binary '{}')" 403 "API: analyst cannot acknowledge -> 403"
like "$(curl -s -b "$WDIR/sapporo.jar" -X POST -H "X-CSRF-Token: $SCSRF" -H 'Content-Type: application/json' --data-binary '{}' "$BASE/api/v1/notifications/$N2/ack")" "\"ok\":true" "API: municipal user acknowledges the second one"
like "$(get alice "/api/v1/groups/$SG")" "\"id\":$N2,[^}]*\"acknowledged\":[1-9][0-9]*,\"acknowledged_by\":\"sapporo\"" "API: the second one acknowledged too"
login audrey; ok $? "auditor logs in"; au=$(get audrey /api/v1/audit)
like "$au" "notify_ack[^}]*notification $N\"[^}]*\"ok\"" "audit: the acknowledgement"
like "$au" "notify_ack[^}]*notification $N\"[^}]*forbidden" "audit: the analyst's refusal"
like "$au" "notify_ack[^}]*notification $N\"[^}]*not found" "audit: the other 団体's attempt"
like "$au" "notify_ack[^}]*notification $N2\"[^}]*\"ok\"" "audit: the API acknowledgement"
# the monthly report's incident list carries the 団体確認
fs=$(get alice "/api/v1/groups/$SG" | sed -n 's/.*"first_seen":\([0-9]*\).*/\1/p' | head -1)
month=$(python3 -c 'import sys, time; print(time.strftime("%Y-%m", time.gmtime(int(sys.argv[1]) / 1e6 + 9 * 3600)))' "$fs")
"$SECCLOUD" report monthly --municipality 011002 --month "$month" \
    --format json -d "$WDIR" -p "$WDIR/policy.conf" >"$WDIR/report.json" 2>"$WDIR/report.err"
ok $? "monthly report for 011002 ($month)"
is "$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
inc = [i for i in r["incidents"] if i["id"] == int(sys.argv[2])]
print(len(inc), bool(inc and inc[0]["acknowledged"]), bool(inc and "団体確認済" in inc[0]["status"]))' "$WDIR/report.json" "$SG")" \
    "1 True True" "the report shows the 団体確認"
web_done
