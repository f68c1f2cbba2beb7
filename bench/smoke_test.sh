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
for o in --bars --runs --workload --sweep-bars --threads --config --out --json --compare --with --no-context-blocks --bar-profile; do
  grep -q -- "^  $o " <<<"$help" || fail "--help does not explain $o"
done
if err=$("$bench" --no-such-option 2>&1); then fail "an unknown option was accepted"; fi
grep -q 'unknown option "--no-such-option"' <<<"$err" || fail "the error does not name the unknown option: $err"
# An empty value is no value; a failure (here an --out under a file) is an error line, exit 1.
if err=$("$bench" --out "" 2>&1); then fail "an empty --out was accepted"; fi
grep -q "error: --out needs a value" <<<"$err" || fail "empty --out: $err"
mkdir -p "$out" && touch "$out/a-file"
if err=$("$bench" --bars 100000 --workload feed --out "$out/a-file/x" 2>&1); then fail "--out under a file was accepted"; fi
grep -q "^error: .*cannot create directories" <<<"$err" || fail "--out under a file: $err"
# --json naming a place it cannot write is refused before any run.
if err=$("$bench" --json "$out/no-such-folder/report.json" 2>&1); then fail "--json into a missing folder was accepted"; fi
grep -q "error: --json $out/no-such-folder/report.json: its folder does not exist" <<<"$err" || fail "--json: $err"
day_before=$(date -u +%Y-%m-%d)
mkdir -p "$out"
text=$("$bench" --bars 100000 --runs 1 --sweep-bars 100000 --threads 2 --out "$out" --json "$out/report.json")
echo "$text"
# --json holds what the text says: the conditions, a row per workload with the same ns per bar,
# zero allocations on quiet bars, the sweep.
node - "$out/report.json" "$text" <<'JS' || fail "--json does not hold the printed figures"
const [file, text] = process.argv.slice(2);
const r = JSON.parse(require('fs').readFileSync(file, 'utf8'));
const check = (ok, what) => { if (!ok) { console.error('report.json: ' + what); process.exit(1); } };
const c = r.conditions;
check(text.includes(`machine: ${c.cpu}${c.cpu_id ? ` (${c.cpu_id})` : ''}, ${c.logical_cpus} logical CPUs; ${c.kernel}; ${c.compiler}, ${c.build_type} build (${c.build_flags})`), 'conditions differ from the machine line');
check(text.includes(`date: ${c.date.slice(0, 10)} ${c.date.slice(11, 19)} UTC`), 'date differs');
check(c.assertions === !/build \(.*-DNDEBUG/.test(text), 'assertions flag against the build flags');
const clock = text.includes('clock before the runs:');  // measured on x86-64 only; else null
check(r.bars === 100000 && r.runs === 1 && (r.clock_ghz_before > 0) === clock && (r.clock_ghz_after > 0) === clock,
      'bars, runs or clock');
const names = r.workloads.map(w => w.name).join(' ');
check(names === 'feed pipeline reference reference-parquet reference-pq-plain', 'workloads: ' + names);
for (const w of r.workloads) {
  const row = text.split('\n').find(l => l.startsWith(w.name + ' '));
  check(row && Math.abs(Number(row.trim().split(/ +/)[2]) - w.ns_per_bar) <= 0.051, w.name + ': ns per bar ' + w.ns_per_bar + ' against ' + row);  // printed to 0.1
  // CPU times come from getrusage, whose ticks can give a 3 ms run 0 user time: numbers, not > 0.
  const cpu = [w.cpu_user_ns_per_bar, w.cpu_kernel_ns_per_bar];
  check(w.runs_ns_per_bar.length === 1 && (w.cycles_per_bar > 0) === clock && cpu.every(t => typeof t === 'number' && t >= 0),
        w.name + ': runs, cycles or CPU');
  if (['feed', 'pipeline', 'reference'].includes(w.name))
    check(w.quiet_bars > 0 && w.allocations_on_quiet_bars === 0, w.name + ': quiet bars');
}
check(r.sweep && r.sweep.sets === 64 && r.sweep.results_identical === true && r.sweep.speed_up > 0, 'sweep');
JS
# The conditions come first: the machine (CPU, logical CPUs, kernel, compiler, build) and the date.
grep -Eq "^machine: .+, $(nproc) logical CPUs; Linux [^;]+; (g\+\+|clang) [^,]+, [A-Za-z]+ build \(.*\)$" <<<"$text" ||
  fail "no machine line (CPU, $(nproc) logical CPUs, kernel, compiler, build)"
info() { sed -n "s/^$1[[:space:]]*: //p" /proc/cpuinfo | head -1; }
cpu=$(info "model name") family=$(info "cpu family") model=$(info model) stepping=$(info stepping)
cpu=${cpu:-unknown CPU}
[[ -n "$family" && -n "$model" && -n "$stepping" ]] && cpu="$cpu (family $family, model $model, stepping $stepping)"
grep -qF "machine: $cpu, " <<<"$text" || fail "the machine line does not name this CPU ($cpu)"
grep -Eq "^date: ($day_before|$(date -u +%Y-%m-%d)) [0-9]{2}:[0-9]{2}:[0-9]{2} UTC$" <<<"$text" || fail "no date line (today, UTC)"
for w in feed pipeline reference reference-parquet reference-pq-plain; do
  grep -Eq "^$w +[0-9]+ +[0-9.]+ " <<<"$text" || fail "no row for $w"
  grep -Eq "^  $w: CPU per bar in the median run: [0-9.]+ ns user, [0-9.]+ ns kernel" <<<"$text" || fail "no CPU split for $w"
done
for w in feed pipeline reference; do
  grep -Eq "^  $w: [0-9]+ quiet bars .*, 0 allocations on them" <<<"$text" || fail "$w allocates on quiet bars"
done
grep -q "results identical: yes" <<<"$text" || fail "the sweep's results differ between 1 and 2 threads"
grep -Eq "speed-up x[0-9.]+" <<<"$text" || fail "no sweep speed-up"
# --compare: a report against itself is the same figures and results; made-up reports (node, from
# this one) give each verdict — faster, slower, within the spread, too few runs —, a change of
# results and of conditions; a broken report is refused before any run, naming where.
cmp=$("$bench" --compare "$out/report.json" --with "$out/report.json")
echo "$cmp"
grep -q "^  the same CPU, logical CPUs, kernel, compiler, build and series as the base$" <<<"$cmp" || fail "--compare: self not the same"
for w in feed pipeline reference reference-parquet reference-pq-plain; do
  grep -Eq "^  $w: [0-9.]+ -> [0-9.]+ ns per bar \(\+0\.0 %\).*too few runs.*; same trades \([0-9]+\) and journal entries \([0-9]+\)$" <<<"$cmp" ||
    fail "--compare: no self-comparison of $w"
done
grep -Eq "^  sweep: speed-up x[0-9.]+ -> x[0-9.]+ " <<<"$cmp" || fail "--compare: no sweep"
! grep -q "note: the feed" <<<"$cmp" || fail "--compare: the feed moved against itself"
node - "$out/report.json" "$out" <<'JS' || fail "cannot make the test reports"
const [file, dir] = process.argv.slice(2);
const fs = require('fs');
const make = (name, edit) => { const r = JSON.parse(fs.readFileSync(file, 'utf8')); edit(r); fs.writeFileSync(`${dir}/${name}.json`, JSON.stringify(r, null, 1)); };
const runs = (r, name, ns) => { const w = r.workloads.find(x => x.name === name); w.runs_ns_per_bar = ns; w.ns_per_bar = ns[1]; w.cycles_per_bar = ns[1] * 3; };
make('slow', r => { r.conditions.cpu_id = 'family 1, model 1, stepping 1'; runs(r, 'feed', [20, 21, 22]); runs(r, 'reference', [200, 210, 220]); runs(r, 'pipeline', [50, 60, 70]); });
make('fast', r => { runs(r, 'feed', [10, 10.5, 11]); runs(r, 'reference', [100, 105, 110]); runs(r, 'pipeline', [55, 58, 65]);
                     r.workloads.find(x => x.name === 'reference').trades += 1; r.conditions.compiler = 'clang 99'; r.conditions.cpu_id = 'family 1, model 2, stepping 3';
                     r.workloads = r.workloads.filter(x => x.name !== 'reference-pq-plain'); });
make('unrecorded', r => { delete r.conditions.cpu_id; });
make('busy', r => { runs(r, 'feed', [20, 21, 22]); runs(r, 'reference', [300, 310, 320]); runs(r, 'pipeline', [50, 60, 70]); });
make('broken', r => { r.workloads[2].journal_entries = -3; });
fs.writeFileSync(`${dir}/not-json.json`, '{"benchmark": "s1mpletrader-bench",\n  "bars": 5,\n  "runs": }\n');
JS
cmp=$("$bench" --compare "$out/slow.json" --with "$out/fast.json")
echo "$cmp"
grep -q "^  differs from the base in: cpu_id family 1, model 2, stepping 3 (base family 1, model 1, stepping 1); compiler clang 99 (base " <<<"$cmp" ||
  fail "--compare: the CPU's and the compiler's change not said"
grep -q "^  feed: 21.0 -> 10.5 ns per bar (-50.0 %), 63 -> 32 cycles (-50.0 %); runs 20.0-22.0 -> 10.0-11.0: faster: every run faster" <<<"$cmp" ||
  fail "--compare: feed not faster"
grep -q "^  pipeline: 60.0 -> 58.0 ns per bar (-3.3 %).*: within the spread of the runs" <<<"$cmp" || fail "--compare: pipeline not within the spread"
grep -q "^  reference: .*; RESULTS DIFFER: trades [0-9]* (base [0-9]*)" <<<"$cmp" || fail "--compare: the reference's other trades not said"
grep -q "^  reference-pq-plain: in the base, not run here$" <<<"$cmp" || fail "--compare: a workload missing here not said"
grep -q "^  note: the feed (bars through the environment only) is faster too (-50.0 %)" <<<"$cmp" ||
  fail "--compare: the feed's move (the machine's) not said"
"$bench" --compare "$out/fast.json" --with "$out/slow.json" | grep -q "^  feed: 10.5 -> 21.0 ns per bar (+100.0 %).*: slower: every run slower" ||
  fail "--compare: feed not slower"
cmp=$("$bench" --compare "$out/unrecorded.json" --with "$out/slow.json")
grep -q "^  differs from the base in: cpu_id family 1, model 1, stepping 1 (base not recorded)" <<<"$cmp" ||
  fail "--compare: a base without the CPU's family and model not said: $cmp"
cmp=$("$bench" --compare "$out/slow.json" --with "$out/busy.json")
grep -q "^  reference: 210.0 -> 310.0 ns per bar .*: slower: every run slower" <<<"$cmp" || fail "--compare: reference not slower"
grep -q "^  note: the feed stayed within its spread, but a busy host can slow the larger workloads alone" <<<"$cmp" ||
  fail "--compare: a steady feed beside a slower workload not noted: $cmp"
! grep -q "is slower too" <<<"$cmp" || fail "--compare: a steady feed said to have moved"
for bad in "broken.json|workloads\[2\].journal_entries: expected a whole number of at least 0, found -3" \
           "not-json.json|not JSON: parse error at line 3, column 11" "no-such.json|no such file"; do
  if err=$("$bench" --compare "$out/${bad%%|*}" 2>&1); then fail "--compare ${bad%%|*} was accepted"; fi
  grep -q "^error: --compare $out/${bad%%|*}: ${bad#*|}" <<<"$err" || fail "--compare ${bad%%|*}: $err"
done
if err=$("$bench" --compare "$out/slow.json" --with "$out/fast.json" --bars 100000 2>&1); then fail "--with ran options"; fi
grep -q "error: --with compares two reports without running: --bars does not apply" <<<"$err" || fail "--with --bars: $err"
# The published sets (docs/bench, quoted by the README) stay readable as the report changes.
for pub in "$(dirname "$0")"/../docs/bench/*.json; do
  cmp=$("$bench" --compare "$pub" --with "$out/report.json") || fail "--compare $pub: the published set is not read"
  grep -q "^  differs from the base in: .*bars 100000 (base 10000000)" <<<"$cmp" || fail "--compare $pub: $cmp"
  grep -Eq "^  reference: [0-9.]+ -> [0-9.]+ ns per bar" <<<"$cmp" || fail "--compare $pub: no reference row"
done
# After a run: the rows it ran, compared, and the comparison in its --json.
cmp=$("$bench" --bars 100000 --runs 1 --workload feed --out "$out" --compare "$out/report.json" --json "$out/feed.json")
echo "$cmp"
grep -Eq "^  feed: [0-9.]+ -> [0-9.]+ ns per bar .*; same trades \(0\) and journal entries \(2\)$" <<<"$cmp" || fail "--compare after a run: feed"
grep -q "^  reference: in the base, not run here$" <<<"$cmp" || fail "--compare after a run: the workloads not run"
node -e 'const c = require(process.argv[1]).comparison;
         process.exit(c && c.workloads.length === 1 && c.workloads[0].name === "feed" && c.workloads[0].results === "same" &&
                      c.workloads[0].verdict === "too_few_runs" && c.differences.length === 0 ? 0 : 1)' "$out/feed.json" ||
  fail "--json has no comparison"
# With several runs, each row says how far apart they were (fastest <= slowest).
text=$("$bench" --bars 100000 --runs 3 --workload feed --out "$out")
echo "$text"
spread=$(sed -En 's/^  feed: the 3 runs took ([0-9.]+) to ([0-9.]+) ns per bar .*/\1 \2/p' <<<"$text")
[[ -n "$spread" ]] || fail "no spread of the runs for feed"
awk '{ exit !($1 <= $2) }' <<<"$spread" || fail "the fastest run is slower than the slowest: $spread"
# --bar-profile: the reference's bars by kind, every bar after the first quarter counted once (their
# shares of the bars and of the time each add up to 100 %), quiet bars as many as counted above.
text=$("$bench" --bars 100000 --runs 1 --workload reference --bar-profile --out "$out" --json "$out/profile.json")
echo "$text"
grep -q "reference: time by kind of bar" <<<"$text" || fail "--bar-profile printed no table"
quiet=$(sed -En 's/^  reference: ([0-9]+) quiet bars .*/\1/p' <<<"$text")
rows=$(grep -E "^    (quiet|opportunity|fill|stop moved|other journaled|journal write)" <<<"$text") || fail "no profile rows"
grep -Eq "^    quiet \(nothing journaled\) +$quiet " <<<"$rows" || fail "the profile's quiet bars are not the $quiet counted"
grep -q "^    opportunity" <<<"$rows" || fail "no opportunity bars in the profile"
awk '{ gsub("%", ""); bars += $(NF-4); share += $(NF-3); time += $NF }
     END { if (bars != 75000 || share < 99.9 || share > 100.1 || time < 99.5 || time > 100.5) {  # shares rounded to 0.01 and 0.1
             printf "bars %d (want 75000), share %.2f, time %.2f\n", bars, share, time; exit 1 } }' <<<"$rows" ||
  fail "the profile's rows do not add up"
# --json holds the table: each kind's bars and time as printed.
node - "$out/profile.json" "$rows" <<'JS' || fail "--json does not hold the --bar-profile table"
const [file, rows] = process.argv.slice(2);
const w = JSON.parse(require('fs').readFileSync(file, 'utf8')).workloads[0], p = w.bar_profile;
const printed = rows.trim().split('\n').map(l => l.trim().split(/ +/));
const ok = p && p.bars === 75000 && p.kinds.length === printed.length &&
  p.kinds.find(k => k.kind === 'quiet').bars === w.quiet_bars &&
  p.kinds.every((k, i) => String(k.bars) === printed[i].at(-5) && Math.abs(k.time_percent - parseFloat(printed[i].at(-1))) <= 0.051);
if (!ok) { console.error(JSON.stringify(p), rows); process.exit(1); }
JS
rm -rf "$out"
