#!/bin/sh
# run.sh — the browser tests (tests/browser/web.test.js) as one TAP test:
# seeds a store and starts `seccloud web` through web_lib.sh, then runs the
# script with node and playwright-core against Debian's /usr/bin/chromium.
# Skips (TAP) when chromium, node or tests/browser/node_modules is missing
# (install: apt-get install chromium; cd tests/browser && npm install).
# Screenshots go to $top_builddir/artifacts/screenshots/.
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1 ||
    [ ! -d "$top_srcdir/tests/browser/node_modules/playwright-core" ]; then
	echo "1..0 # SKIP chromium, node or tests/browser/node_modules absent"
	exit 0
fi
. "$top_srcdir/tests/integration/web_lib.sh"
if ! web_start; then
	echo "not ok 1 - web starts"; echo "1..1"; exit 1
fi
SHOTS="$top_builddir/artifacts/screenshots"
mkdir -p "$SHOTS"
BASE=$BASE IDS="$WDIR/ids" PW=$PW SHOTS=$SHOTS \
    NODE_PATH="$top_srcdir/tests/browser/node_modules" \
    timeout 300 node "$top_srcdir/tests/browser/web.test.js"
