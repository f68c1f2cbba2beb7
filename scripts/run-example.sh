#!/usr/bin/env bash
# The main job of `make run`: validate the example configuration, run its backtest, and explain
# one of its trades from the journal alone.
set -euo pipefail
cli="$1"
out="runs/example"
echo "== s1mpletrader validate --config config"
"$cli" validate --config config
echo
echo "== s1mpletrader backtest --config config --out $out"
rm -rf "$out"
"$cli" backtest --config config --out "$out"
trade=$(awk -F, 'NR==2 {print $1; exit}' "$out/trend_synth/trades.csv" 2>/dev/null || true)
if [ -n "$trade" ]; then
  echo
  echo "== s1mpletrader explain --run $out $trade"
  "$cli" explain --run "$out" "$trade"
fi
echo
echo "== reports (open in a browser; self-contained, no network):"
for r in "$out"/*/report.html; do echo "   $r"; done
