#!/usr/bin/env bash
# data import / info and backtests on Parquet, through the CLI as a user runs them.
set -euo pipefail
cli="$1" config="$2" shared="$3" out="$4"
rm -rf "$out" && mkdir -p "$out"
fail() { echo "FAILED: $*" >&2; exit 1; }

# The Yahoo original of the ORCL reference data, imported to Parquet (Adj Close dropped) ...
"$cli" data import "$shared/data/orcl-1995-2014.txt" --out "$out/orcl.parquet" --quiet > "$out/import.log"
grep -q "imported 5036 rows (yahoo)" "$out/import.log" || fail "import: $(cat "$out/import.log")"
"$cli" data info "$out/orcl.parquet" > "$out/info.log"
grep -q "^rows        5036" "$out/info.log" || fail "info rows"
grep -q "^codecs      ZSTD" "$out/info.log" || fail "info codec"
grep -q "^range       1995-01-03T00:00:00Z .. 2014-12-31T00:00:00Z" "$out/info.log" || fail "info range"
# ... gives the same backtest as the normalised CSV: same trades, to the last digit.
"$cli" backtest --config "$config" --operation backtrader --out "$out/csv" --quiet > /dev/null
"$cli" backtest --config "$config" --operation backtrader --data "$out/orcl.parquet" --out "$out/pq" --quiet > /dev/null
cmp "$out/csv/bt_orcl/trades.csv" "$out/pq/bt_orcl/trades.csv" || fail "trades differ between CSV and Parquet"
cmp "$out/csv/bt_orcl/equity.csv" "$out/pq/bt_orcl/equity.csv" || fail "equity differs between CSV and Parquet"

# Run outputs as Parquet too: typed trades (97 of them, one open) and the equity curve.
"$cli" backtest --config "$config" --operation backtrader --out "$out/pqout" --parquet --quiet > /dev/null
"$cli" data info "$out/pqout/bt_orcl/trades.parquet" > "$out/trades.info"
grep -q "^row groups  1 (97 rows)" "$out/trades.info" || fail "trades.parquet rows: $(cat "$out/trades.info")"
grep -q "entry_price INT64 DECIMAL" "$out/trades.info" || fail "trades.parquet types"
"$cli" data info "$out/pqout/bt_orcl/equity.parquet" | grep -q "(5036 rows)" || fail "equity.parquet rows"
grep -q '"parquet": true' "$out/pqout/run.json" || fail "run.json does not remember --parquet for --resume"

# --drift moves the series (and its range is checked).
"$cli" data synth --out "$out/up.csv" --bars 300 --drift 0.01 > /dev/null
"$cli" data synth --out "$out/down.csv" --bars 300 --drift -0.01 > /dev/null
up=$(tail -1 "$out/up.csv" | cut -d, -f5); down=$(tail -1 "$out/down.csv" | cut -d, -f5)
awk -v u="$up" -v d="$down" 'BEGIN { exit !(u > 100 * d) }' || fail "--drift: last close $up (up) against $down (down)"
if "$cli" data synth --out "$out/x.csv" --drift 0.5 2> /dev/null; then fail "--drift 0.5 accepted"; fi

# Generated data straight to Parquet, and every codec.
"$cli" data synth --out "$out/synth.parquet" --bars 5000 --timeframe 1m > /dev/null
for codec in zstd snappy gzip none; do
  "$cli" data import "$out/synth.parquet" --out "$out/synth-$codec.parquet" --codec "$codec" --row-group 1000 --quiet > /dev/null
  "$cli" data info "$out/synth-$codec.parquet" | grep -q "^row groups  5 (5000 rows)" || fail "row groups with $codec"
done

# The default encoding (split prices, delta times) and --encoding plain: data info says which,
# and the backtest is the same to the last digit with both.
"$cli" data info "$out/orcl.parquet" | grep -q "^encodings   DELTA_BINARY_PACKED, BYTE_STREAM_SPLIT$" || fail "default encodings: $("$cli" data info "$out/orcl.parquet")"
"$cli" data import "$shared/data/orcl-1995-2014.txt" --out "$out/orcl-plain.parquet" --encoding plain --quiet > /dev/null
"$cli" data info "$out/orcl-plain.parquet" | grep -q "^encodings   PLAIN$" || fail "plain file encodings: $("$cli" data info "$out/orcl-plain.parquet")"
"$cli" backtest --config "$config" --operation backtrader --data "$out/orcl-plain.parquet" --out "$out/plain" --quiet > /dev/null
cmp "$out/csv/bt_orcl/trades.csv" "$out/plain/bt_orcl/trades.csv" || fail "trades differ with PLAIN"
if "$cli" data import "$out/synth.parquet" --out "$out/x.parquet" --encoding delta --quiet 2> "$out/enc.err"; then fail "--encoding delta accepted"; fi
grep -q -- '--encoding: "delta" is not an encoding; expected plain or byte_stream_split' "$out/enc.err" || fail "--encoding message: $(cat "$out/enc.err")"
if "$cli" data import "$out/synth.parquet" --out "$out/x.csv" --encoding byte_stream_split --quiet 2> "$out/csvenc.err"; then fail "--encoding with a CSV output accepted"; fi
grep -q -- "are Parquet settings; $out/x.csv is a CSV file" "$out/csvenc.err" || fail "--encoding with CSV message: $(cat "$out/csvenc.err")"
test ! -e "$out/x.csv" || fail "a refused import wrote its output"

# Bad rows: listed with FILE:LINE:COL, nothing written; --skip-bad skips and counts them.
printf 'Date,Open,High,Low,Close,Adj Close,Volume\n2014-01-02,1,2,0.5,1.5,1.5,100\n2014-01-03,1,2,0.5,x,1.5,100\n2014-01-03,1,2,0.5,1.5,1.5,100\n2014-01-06,1,2,0.5,1.5,1.5,100\n' > "$out/bad.csv"
if "$cli" data import "$out/bad.csv" --out "$out/bad.parquet" --quiet 2> "$out/bad.err"; then fail "bad rows accepted"; fi
grep -q "bad.csv:3:20: close: expected a finite number, found \"x\"" "$out/bad.err" || fail "bad row message: $(cat "$out/bad.err")"
test ! -e "$out/bad.parquet" || fail "a failed import left its output"
"$cli" data import "$out/bad.csv" --out "$out/bad.parquet" --skip-bad --quiet > "$out/skip.log" 2> "$out/skip.err"
grep -q "imported 3 rows" "$out/skip.log" || fail "skip-bad count"
grep -q "skipped 1 bad rows" "$out/skip.log" || fail "skip-bad report"
# Unknown format and a file that does not exist: clear errors, exit codes 2 and 1.
set +e
"$cli" data import "$out/bad.csv" --out "$out/x.parquet" --format yahooo 2> "$out/fmt.err"; [ $? -eq 2 ] || fail "--format exit code"
"$cli" data info "$out/missing.csv" 2> "$out/missing.err"; [ $? -eq 1 ] || fail "missing file exit code"
set -e
grep -q "not a format" "$out/fmt.err" || fail "--format message"
grep -q "missing.csv: cannot open" "$out/missing.err" || fail "missing file message"
echo "cli data import/info + Parquet backtest OK"
