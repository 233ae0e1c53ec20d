#!/bin/sh
# web_xss.sh — attacker-controlled text stays text (HTTP level; the browser
# test checks the same in Chromium).
# Expect: the fixture's script, attribute, javascript: URL and SVG payloads
# (in messages, evidence, 団体 and source names) never appear unescaped in
# any page: no "<script>alert", "<img src=x", "<svg onload" or an href with
# javascript:, while the escaped text is there; control bytes and invalid
# UTF-8 in evidence are shown as \xNN; the packet payload is an escaped
# hex dump; API JSON carries the text as JSON strings.
. "$top_srcdir/tests/integration/web_lib.sh"
web_start || { ok 1 "web starts"; done_testing; }
ok 0 "web starts"
login alice; ok $? "analyst logs in"
pages="/inbox /inbox?status=any /sources /dashboard /rules /audit"
for n in xss_script xss_attr xss_url xss_svg chiyoda_wp; do
	pages="$pages /alerts/$(fx $n)"
done
login admin
for p in $pages; do
	b=$(get admin "$p")
	( printf '%s' "$b" | grep -Eiq "<script>alert|<img src=x|<svg onload|<b>x</b>|href=\"javascript:" ); is $? 1 "$p: no live payload"
done
b=$(get admin "/alerts/$(fx xss_attr)")
like "$b" '&quot;&gt;&lt;img src=x onerror=alert\(&#39;xss-attr&#39;\)&gt;' "attribute payload shown as text"
b=$(get admin "/alerts/$(fx xss_svg)")
like "$b" '&lt;svg onload=alert\(&#39;xss-svg&#39;\)&gt;\\x1b\[31m\\xc3' "control byte and bad UTF-8 shown as \\xNN"
b=$(get admin "/alerts/$(fx chiyoda_wp)")
like "$b" '<pre class="hex">00000000  47 45 54 20' "packet payload as a hex dump"
like "$b" '&lt;script&gt;alert\(' "hex dump ASCII column escaped"
like "$(get admin /inbox)" '弘前市 &lt;b&gt;x&lt;/b&gt;' "団体 name escaped in the filter bar"
like "$(get admin /sources)" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "source name escaped"
j=$(get admin "/api/v1/groups/$(fx xss_script)")
like "$j" '"evidence_text":"line <script>alert' "API returns the raw text as a JSON string"
h=$(curl -s -D - -o /dev/null -b "$WDIR/admin.jar" "$BASE/api/v1/groups/$(fx xss_script)" | tr -d '\r')
like "$h" 'Content-Type: application/json' "API is never served as HTML"
# a payload in the URL is not reflected raw
b=$(get admin '/inbox?q=%3Cscript%3Ealert(9)%3C/script%3E&usecase=%22%3E%3Csvg%20onload=alert(8)%3E')
( printf '%s' "$b" | grep -Eq '<script>alert\(9\)|<svg onload' ); is $? 1 "query reflected escaped"
like "$b" 'value="&lt;script&gt;alert\(9\)&lt;/script&gt;"' "filter value kept, escaped"
web_done
