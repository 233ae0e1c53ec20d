#!/bin/sh
# cli.sh — the command-line surface of the one binary.
# Expect: --version and --help exit 0 and name every subcommand; each
# subcommand's --help exits 0; an unknown command exits 2.
. "$top_srcdir/tests/lib/tap.sh"

out=$("$SECCLOUD" --version); ok $? "--version exits 0"
like "$out" '^seccloud [0-9]+\.[0-9]+' "--version prints the version"

out=$("$SECCLOUD" --help); ok $? "--help exits 0"
for c in run collector sensor web rules policy report archive user; do
	like "$out" "  $c " "--help lists $c"
	"$SECCLOUD" "$c" --help >/dev/null 2>&1
	ok $? "$c --help exits 0"
done

"$SECCLOUD" no-such-command >/dev/null 2>&1
is "$?" 2 "an unknown command exits 2"
"$SECCLOUD" >/dev/null 2>&1
is "$?" 2 "no command exits 2"
done_testing
