#!/usr/bin/env bash
# Benchmark: a 1-million-bar backtest, its report.html size and how long headless Chromium takes
# to open it (browser start + load + first paint, measured as the time of a screenshot), against
# the same for a small report (the browser's own start-up).
#   bash bench/report_1m.sh [build/frontends/cli/s1mpletrader]
set -euo pipefail
cli="${1:-build/frontends/cli/s1mpletrader}"
out="${TMPDIR:-/tmp}/st_report_bench"
rm -rf "$out" && mkdir -p "$out"
chromium="$(command -v chromium || command -v chromium-browser)"
t0=$(date +%s.%N)
"$cli" backtest --config config --link trend_synth --out "$out/run" --quiet \
  --set operation.strategy_links[0].data.synth.bars=1000000 --set operation.strategy_links[0].timeframe=1m > "$out/summary.txt"
t1=$(date +%s.%N)
report="$out/run/trend_synth/report.html"
size=$(stat -c %s "$report")
trades=$(($(wc -l < "$out/run/trend_synth/trades.csv") - 1))
shot() {
  local s e
  s=$(date +%s.%N)
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$out/profile" \
    --window-size=1200,1600 --screenshot="$out/shot.png" "file://$1" 2> /dev/null
  e=$(date +%s.%N)
  echo "$e - $s" | bc
}
small_dir="$out/small"
"$cli" backtest --config config --link trend_synth --out "$small_dir" --quiet --set operation.strategy_links[0].data.synth.bars=1000 > /dev/null
small=$(shot "$small_dir/trend_synth/report.html")
big=$(shot "$report")
printf 'backtest 1,000,000 bars + report: %.2f s\n' "$(echo "$t1 - $t0" | bc)"
printf 'report.html: %.2f MB, %d trades (every one in the table)\n' "$(echo "$size / 1048576" | bc -l)" "$trades"
printf 'chromium open+paint: 1M-bar report %.2f s, 1k-bar report %.2f s (browser start-up), difference %.2f s\n' \
  "$big" "$small" "$(echo "$big - $small" | bc)"
test "$size" -lt 5242880 || { echo "FAIL: report is 5 MB or more" >&2; exit 1; }
