#!/bin/bash
# The benchmark's smoke test (ctest bench.smoke): every workload at the smallest size, and what the
# documented command promises is in its output — a row per workload with its CPU split and cycles,
# zero allocations on quiet bars, the sweep's identical results. Usage: smoke_test.sh BENCH OUTDIR
set -euo pipefail
bench=$1 out=$2
rm -rf "$out"
fail() { echo "bench.smoke: $1" >&2; exit 1; }
# --help lists every option; an unknown option is an error naming it.
help=$("$bench" --help) || fail "--help failed"
for o in --bars --runs --workload --sweep-bars --threads --config --out --no-context-blocks; do
  grep -q -- "^  $o " <<<"$help" || fail "--help does not explain $o"
done
if err=$("$bench" --no-such-option 2>&1); then fail "an unknown option was accepted"; fi
grep -q 'unknown option "--no-such-option"' <<<"$err" || fail "the error does not name the unknown option: $err"
text=$("$bench" --bars 100000 --runs 1 --sweep-bars 100000 --threads 2 --out "$out")
echo "$text"
for w in feed pipeline reference reference-parquet reference-pq-plain; do
  grep -Eq "^$w +[0-9]+ +[0-9.]+ " <<<"$text" || fail "no row for $w"
  grep -Eq "^  $w: CPU per bar in the median run: [0-9.]+ ns user, [0-9.]+ ns kernel" <<<"$text" || fail "no CPU split for $w"
done
for w in feed pipeline reference; do
  grep -Eq "^  $w: [0-9]+ quiet bars .*, 0 allocations on them" <<<"$text" || fail "$w allocates on quiet bars"
done
grep -q "results identical: yes" <<<"$text" || fail "the sweep's results differ between 1 and 2 threads"
grep -Eq "speed-up x[0-9.]+" <<<"$text" || fail "no sweep speed-up"
rm -rf "$out"
