#!/bin/sh
# format.sh — every tracked C file is formatted as .clang-format says.
# Expect: scripts/format --check exits 0.
. "$top_srcdir/tests/lib/tap.sh"
if ! command -v clang-format >/dev/null 2>&1 || ! git -C "$top_srcdir" rev-parse >/dev/null 2>&1; then
	echo "1..0 # SKIP clang-format or git not available"
	exit 0
fi
out=$("$top_srcdir/scripts/format" --check 2>&1)
ok $? "clang-format --check over the tree"
[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
done_testing
