#!/bin/sh
# web_triage.sh — triage, comments, "seen before" and keyset paging.
# Expect: acknowledge / escalate / close (with a reason) move the status and
# write history; close without a valid reason is refused (409) and changes
# nothing; closed groups leave the default inbox but show under
# status=closed; "seen before" lists the earlier closure; a comment is
# stored and shown escaped; the API triage returns the new state; paging by
# cursor over 130 groups visits every row exactly once.
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
web_done
