# tap.sh — TAP helpers for shell tests.  Source it; call ok/fail/is, then
# done_testing.  Each test script states its expectations at the top.
tap_n=0
tap_fail=0

ok() {	# ok CONDITION-EXIT-STATUS NAME
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_fail=$((tap_fail + 1))
	fi
}

is() {	# is GOT WANT NAME
	tap_n=$((tap_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $tap_n - $3"
	else
		echo "not ok $tap_n - $3"
		echo "#   got:  '$1'"
		echo "#   want: '$2'"
		tap_fail=$((tap_fail + 1))
	fi
}

like() { # like GOT REGEX NAME
	tap_n=$((tap_n + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		echo "ok $tap_n - $3"
	else
		echo "not ok $tap_n - $3"
		echo "#   got:  '$(printf '%s' "$1" | head -c 400)'"
		echo "#   want match: $2"
		tap_fail=$((tap_fail + 1))
	fi
}

diag() { echo "# $*"; }

done_testing() {
	echo "1..$tap_n"
	[ "$tap_fail" -eq 0 ]
	exit $?
}
