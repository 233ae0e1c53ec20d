#!/bin/sh
# sagan_compare.sh [WORKDIR] — do we raise the alerts Sagan 1.2 raises?
#
# Builds a sagan.yaml from Debian's /etc/sagan.yaml (paths moved into
# WORKDIR, the missing windows-security.rules dropped), generates a log
# corpus from the enabled rules plus the guideline test lines
# (make_sagan_corpus.py), feeds it to Sagan through its FIFO at a rate it
# keeps up with, runs `seccloud rules test -a` over the same corpus and
# rules, and prints the agreement (compare_alerts.py).
# Needs root, sagan and sagan-rules.  Takes about a minute.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
w=${1:-/tmp/sagan-compare}
seccloud=${SECCLOUD:-$top/build/seccloud}
rate=${RATE:-300}
mkdir -p "$w"
sed -e "s|/var/run/sagan/sagan.fifo|$w/run/sagan.fifo|" \
    -e "s|/var/run/sagan/sagan.pid|$w/run/sagan.pid|" \
    -e "s|LOG_PATH: \"/var/log/sagan\"|LOG_PATH: \"$w/log\"|" \
    -e "s|ipc-directory: /var/run/sagan/ipc|ipc-directory: $w/ipc|" \
    -e '/windows-security.rules/d' /etc/sagan.yaml >"$w/sagan.yaml"
files=$(sed -n 's|^[[:space:]]*-[[:space:]]*\$RULE_PATH/\([^[:space:]]*\.rules\)[[:space:]]*$|/etc/sagan-rules/\1|p' "$w/sagan.yaml")
python3 "$here/make_sagan_corpus.py" "$w/sagan.yaml" "$top"/tests/rules/gl-*.log >"$w/corpus.txt"
echo "corpus: $(wc -l <"$w/corpus.txt") lines; rule files: $(echo "$files" | wc -w)"
"$here/sagan_run.sh" "$w" "$w/sagan.yaml" "$w/corpus.txt" "$rate"
# shellcheck disable=SC2086
"$seccloud" rules test -a $files "$w/corpus.txt" >"$w/seccloud.txt" 2>"$w/seccloud.err" || true
# shellcheck disable=SC2086
"$seccloud" rules check $files >"$w/check.txt" 2>/dev/null || true
grep '^rules:' "$w/check.txt"
# shellcheck disable=SC2086
python3 "$here/compare_alerts.py" "$w/log/alert.log" "$w/corpus.txt" \
    "$w/seccloud.txt" "$w/check.txt" $files
