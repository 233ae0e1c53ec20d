#!/bin/sh
# install.sh — `make install` puts what the appliance reads at run time
# where it looks for it.
# Expect: install-data (into a DESTDIR) installs every bundled rule set
# (rules/sets/*.rules and rules/sets/packet/*.rules) and the example policy
# under $(pkgdatadir), the same files as the source tree; the man pages
# too; and seccloud, pointed at that share dir, loads exactly those
# default rules and checks the installed example policy.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/itest.sh"
itest_setup

dest=$T/dest
make -s -C "$top_builddir" install-data DESTDIR="$dest" >"$T/make.log" 2>&1
is "$?" 0 "make install-data DESTDIR=..."
share=$(find "$dest" -type d -path '*/seccloud/rules/sets' | head -1)
share=${share%/rules/sets}
ok $([ -n "$share" ] && echo 0 || echo 1) "a share dir with rules/sets ($share)"

missing=0
for f in $(cd "$top_srcdir" && ls rules/sets/*.rules rules/sets/packet/*.rules \
    policies/example/policy.conf policies/example/exceptions.conf); do
	cmp -s "$top_srcdir/$f" "$share/$f" || { missing=$((missing + 1)); diag "not installed: $f"; }
done
is "$missing" 0 "every rule set and the example policy installed as in the tree"
ok $(find "$dest" -name seccloud.8 | grep -q . && find "$dest" -name seccloud.conf.5 | grep -q . && echo 0 || echo 1) \
    "the man pages are installed"

n=$(ls "$top_srcdir"/rules/sets/*.rules | wc -l)
out=$(SECCLOUD_SHAREDIR=$share "$SECCLOUD" rules check 2>&1)
like "$out" "^files: $n\$|
files: $n
" "the default log rules come from the share dir ($n files)"
out=$(SECCLOUD_SHAREDIR=$T/empty "$SECCLOUD" rules check 2>&1)
like "$out" "files: 0" "and only from there (an empty share dir: none)"
SECCLOUD_SHAREDIR=$share "$SECCLOUD" policy check "$share/policies/example/policy.conf" >"$T/pol.out" 2>&1
is "$?" 0 "the installed example policy (with its include) checks"
done_testing
