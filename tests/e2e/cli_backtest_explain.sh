#!/usr/bin/env bash
# backtest the example operation with the CLI, then explain its first trade, as a user would.
set -euo pipefail
cli="$1" config="$2" out="$3"
rm -rf "$out" "$out.bars"
"$cli" backtest --config "$config" --out "$out" --quiet > "$out.log"
grep -q "trend_synth" "$out.log"
for f in journal.jsonl trades.csv equity.csv summary.json; do test -s "$out/trend_synth/$f"; done
trade=$(awk -F, 'NR==2 {print $1}' "$out/trend_synth/trades.csv")
"$cli" explain --run "$out" "$trade" > "$out.explain"
grep -q "$trade" "$out.explain"
"$cli" explain --run "$out" "$trade" --json > "$out.json"
grep -q '"trade_id"' "$out.json"
# context workers bar by bar instead of in blocks: the same files, byte for byte
"$cli" backtest --config "$config" --out "$out.bars" --quiet --no-context-blocks > "$out.bars.log"
for f in journal.jsonl trades.csv equity.csv summary.json; do cmp "$out/trend_synth/$f" "$out.bars/trend_synth/$f"; done
# an unknown trade is a clear error, not a crash
if "$cli" explain --run "$out" 00000000-0000-4000-8000-000000000000 2> "$out.err"; then exit 1; fi
grep -q "not found" "$out.err"
# bad override: precise error, exit 1
if "$cli" validate --config "$config" --set operators.operators[0].execution_strategy=PARALEL 2> "$out.err2"; then exit 1; fi
grep -q "PARALEL" "$out.err2"
# an empty value ("--config $DIR" with DIR unset) is refused with the option's name, exit 2: it is
# not taken as absent, which would run the default configuration instead
for args in "backtest --config" "backtest --config $config --out" "data info" "validate --set"; do
  set +e
  "$cli" $args "" 2> "$out.err3" > /dev/null
  status=$?
  set -e
  [ "$status" -eq 2 ] || { echo "$args \"\": exit $status, not 2"; exit 1; }
  grep -Eq "error: (--config|--out|--set|the file argument) was given an empty value" "$out.err3" ||
    { echo "$args \"\": $(cat "$out.err3")"; exit 1; }
done
echo "cli backtest + explain OK"
