#!/bin/bash
# The micro benchmarks' smoke test (ctest bench.micro_smoke): the documented command runs to the
# end with a fresh temporary directory (where it writes its Parquet files, as on a new machine),
# and prints a row for every benchmark. Usage: micro_smoke_test.sh MICRO OUTDIR
set -euo pipefail
micro=$1 out=$2
rm -rf "$out" && mkdir -p "$out"
fail() { echo "bench.micro_smoke: $1" >&2; exit 1; }
text=$(TMPDIR="$out" "$micro" --benchmark_min_time=0.001 2>&1) || fail "the run failed: $(tail -3 <<<"$text")"
for b in 'BM_EventDispatch/1' 'BM_EventDispatch/4' 'BM_Operator/0/0' 'BM_Operator/1/1' 'BM_Operator/2/2' \
  'indicator/none' 'indicator/ema20' 'indicator/session' 'BM_JournalAppend' 'BM_ParquetDecode/0' \
  'BM_ParquetDecode/3' 'BM_ParquetBars/0' 'BM_ParquetBars/1'; do
  grep -Eq "^$b +[0-9.]+ [mun]?s " <<<"$text" || fail "no row for $b"
done
rm -rf "$out"
