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
    DNS-02 LOG-02 LOG-03 LOG-04 NET-01 NET-02 NET-03 EXC-01 MAL-04 INC-01; do
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

# Cross-set false positives: every set loaded together, as the collector
# loads them, over every test log.  An alert on a line whose #expect does
# not name its sid is a failure (#expect-not and unannotated lines allow
# nothing), and so is an #expect that does not fire with every set
# loaded.  Line numbers of `rules test` count every line of the file.
unexpected() { # LOGFILE < `rules test` output
	awk -v L="$1" 'BEGIN {
		while ((getline line < L) > 0) {
			n++
			if (line ~ /^#expect /) {
				k = split(substr(line, 9), a, /[ ,]+/)
				for (i = 1; i <= k; i++)
					if (a[i] != "")
						pend[a[i]] = 1
				continue
			}
			if (line ~ /^#/ || line == "")
				continue
			for (s in pend)
				want[n "," s] = 1
			split("", pend)
		}
	}
	/^[0-9]+: sid [0-9]+ / {
		ln = $1
		sub(/:$/, "", ln)
		got[ln "," $3] = 1
		if (!((ln "," $3) in want))
			print "line " ln ": sid " $3 " not expected"
	}
	END {
		for (k in want)
			if (!(k in got)) {
				split(k, a, ",")
				print "line " a[1] ": sid " a[2] " did not fire"
			}
	}'
}
nlogs=0
for log in "$data"/gl-*.log; do
	b=$(basename "$log" .log)
	"$SECCLOUD" rules test "$sets"/*.rules "$log" >"$tmp/all.out" 2>&1
	ok $? "$b: all sets together run over it"
	bad=$(unexpected "$log" <"$tmp/all.out")
	is "$bad" "" "$b: all sets raise exactly the alerts the lines expect"
	nlogs=$((nlogs + 1))
done
ok "$([ "$nlogs" -ge 10 ] && echo 0 || echo 1)" "every guideline test log was run"
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
