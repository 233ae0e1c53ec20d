#!/bin/sh
# rules_sets.sh — the guideline rule sets of rules/sets/.
# Expect: every set loads with no rejected rule; every GL-* use case the
# sets claim appears in a rule's metadata; each set's test lines in
# tests/rules/ (real product formats) meet every #expect / #expect-not and
# give each rule a positive and a negative line; a rule file with a bad
# rule makes `rules check` exit 1 and name file, line and sid.
. "$top_srcdir/tests/lib/tap.sh"

sets="$top_srcdir/rules/sets"
data="$top_srcdir/tests/rules"

out=$("$SECCLOUD" rules check "$sets"/*.rules 2>&1)
ok $? "rules check over all sets exits 0"
like "$out" ', 0 rejected' "no rule rejected"

for uc in ACCESS-01 ACCESS-02 ACCESS-03 ACCESS-04 ACCESS-05 ACCESS-06 ACCESS-07 \
    ID-01 MAL-01 MAL-02 MAL-03 MAL-05 MAL-06 INT-01 INT-02 INT-03 INT-04 \
    INT-05 MAIL-01 MAIL-02 MAIL-03 MAIL-04 WEB-01 WEB-02 WEB-03 DNS-01 \
    DNS-02 LOG-02 LOG-03 NET-01 NET-02 NET-03 EXC-01; do
	grep -q "usecase GL-$uc;" "$sets"/*.rules
	ok $? "GL-$uc has a rule"
done

for f in "$sets"/gl-*.rules; do
	b=$(basename "$f" .rules)
	out=$("$SECCLOUD" rules test -e "$f" "$data/$b.log" 2>&1)
	ok $? "$b: test lines meet their expectations"
	printf '%s\n' "$out" | grep '^FAIL' | sed 's/^/# /'
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' '# a comment' \
    'alert syslog any any -> any any (msg:"ok"; content:"x"; sid:1;)' \
    'alert syslog any any -> any any (msg:"bad"; bogus:1; sid:2;)' \
    >"$tmp/bad.rules"
out=$("$SECCLOUD" rules check "$tmp/bad.rules" 2>&1)
is "$?" 1 "a rejected rule makes check exit 1"
like "$out" "bad.rules:3: sid 2: unknown keyword \"bogus\"" \
    "the error names file, line and sid"
like "$out" 'rules: 2 read, 1 loaded, 1 rejected' "statistics count both"

printf '%s\n' 'Nov 22 10:00:00 h app: x marks' 'Nov 22 10:00:01 h app: y' \
    >"$tmp/in.log"
out=$("$SECCLOUD" rules test "$tmp/bad.rules" "$tmp/in.log" 2>/dev/null)
is "$out" "1: sid 1 rev 0: ok" "rules test prints line and sid"

done_testing
