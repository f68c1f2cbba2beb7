#!/usr/bin/env bash
# report.html in a real headless browser (Debian's chromium), opened from the file system:
# it loads without console errors, and shows the charts, the metrics and the trade table.
set -euo pipefail
cli="$1" config="$2" shared="$3" out="$4" chromium="$5"
rm -rf "$out" && mkdir -p "$out"
"$cli" backtest --config "$config" --operation backtrader --data "$shared/data/orcl-1995-2014.csv" --out "$out/run" --quiet > /dev/null
report="$out/run/bt_orcl/report.html"
test -s "$report"
# Self-contained: nothing is fetched from anywhere.
if grep -Eq '(src|href)="(https?:)?//' "$report"; then echo "report references the network" >&2; exit 1; fi
browse() {
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$out/profile" \
    --enable-logging=stderr --v=0 "$@" "file://$report"
}
browse --dump-dom > "$out/dom.html" 2> "$out/console.txt"
if grep -E 'CONSOLE|Uncaught' "$out/console.txt"; then echo "console messages while loading the report" >&2; exit 1; fi
grep -q '<svg id="equity-chart"' "$out/dom.html"
grep -q '<svg id="drawdown-chart"' "$out/dom.html"
test "$(grep -o '<polyline' "$out/dom.html" | wc -l)" -ge 2
grep -q 'id="monthly-returns"' "$out/dom.html"
grep -q '>sharpe<' "$out/dom.html"
# The first page of the trade table was rendered by the page's script: 97 trades fit in one page.
rows=$(grep -o '<tr id="t[0-9]*"' "$out/dom.html" | wc -l)
test "$rows" -eq 97 || { echo "expected 97 trade rows, found $rows" >&2; exit 1; }
grep -q 'trades 1-97 of 97' "$out/dom.html"
# A causal chain is there for a trade: its id, the signal and the sizing reason.
grep -q 'ma_cross_up by ma_cross' "$out/dom.html"
browse --screenshot="$out/report.png" --window-size=1200,2400 2> /dev/null
test "$(stat -c %s "$out/report.png")" -gt 20000
echo "report renders in chromium OK ($out/report.png)"
