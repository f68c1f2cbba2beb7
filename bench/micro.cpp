// s1mpletrader-micro: Google Benchmark micro benchmarks of the hot path's parts (docs/PERFORMANCE.md):
// event dispatch, each operator strategy, each indicator update, journal append, Parquet decode.
//
//   build/bench/s1mpletrader-micro [--benchmark_filter=REGEX] [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <filesystem>

#include "backend/data/synth.h"
#include "backend/dataio/convert.h"
#include "backend/journal/journal.h"
#include "backend/journal/journal_persistor.h"
#include "backend/parquet/parquet_reader.h"
#include "plugins/testing/harness.h"
#include "services/eventbus/event_bus.h"
#include "services/operators/base_operator.h"

namespace {
namespace fs = std::filesystem;
using namespace st;

std::vector<Bar> series(std::int64_t n) {
  config::SynthConfig s;
  s.seed = 1;
  s.bars = n;
  s.start_price = 100;
  s.volatility = 0.001;
  s.drift = 0;  // a long minute series stays around its start price (the default drift compounds)
  auto source = make_synth(s, kNsPerMinute);
  std::vector<Bar> bars;
  for (Bar b; source->next(b);) bars.push_back(b);
  return bars;
}

const std::vector<Bar>& bars() {
  static const std::vector<Bar> b = series(1 << 16);
  return b;
}

// One publish to N subscribers: with one, a direct call through the route; with more, the dispatch loop.
void BM_EventDispatch(benchmark::State& state) {
  EventBus bus;
  std::uint64_t seen = 0;
  for (int i = 0; i < state.range(0); ++i)
    bus.subscribe<events::JournalEntryLogged>([&](const events::JournalEntryLogged& e) { seen += e.entries; });
  std::uint64_t n = 0;
  for (auto _ : state) bus.publish(events::JournalEntryLogged{++n});
  benchmark::DoNotOptimize(seen);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventDispatch)->Arg(1)->Arg(4);

// One operator run over 4 workers whose task is trivial: the cost of the strategy itself.
void BM_Operator(benchmark::State& state) {
  OperatorSettings s;
  s.execution = static_cast<config::ExecutionStrategy>(state.range(0));
  s.aggregation = static_cast<config::AggregationStrategy>(state.range(1));
  s.threads = s.execution == config::ExecutionStrategy::kParallel ? 2 : 1;
  BaseOperator op(s, 4, {1, 1, 2, 1});
  std::uint64_t work = 0;
  for (auto _ : state) {
    const auto& kept = op.run(
        [&](std::size_t i) {
          work += i;
          return i % 2 ? Outcome::kProduced : Outcome::kEmpty;
        },
        1);
    benchmark::DoNotOptimize(kept.data());
  }
  benchmark::DoNotOptimize(work);
  static const char* exec[] = {"SEQUENTIAL", "PARALLEL", "EVENT_DRIVEN"};
  static const char* agg[] = {"CHAIN_THROUGH", "COLLECT_ALL", "NONE"};
  state.SetLabel(std::string(exec[state.range(0)]) + "/" + agg[state.range(1)]);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Operator)->Args({0, 0})->Args({0, 1})->Args({0, 2})->Args({1, 1})->Args({1, 2})->Args({2, 1})->Args({2, 2});

// One bar through the context and one indicator (the "none" row is the context alone).
void indicator(benchmark::State& state, const std::string& plugin, std::map<std::string, ParamValue> params) {
  testing::Harness h(InstrumentInfo{"BENCH", 4, 2, "USD", kNsPerMinute});
  if (!plugin.empty()) h.add<ContextWorker>(WorkerCategory::kContext, plugin, std::move(params));
  h.start();
  const auto& b = bars();
  std::size_t i = 0;
  // The bars as the engine's sources hand them over: made before, not stored just before the push
  // (a bar built field by field and then read in 16-byte blocks stalls on store forwarding, which
  // this row would measure instead of the context).
  for (auto _ : state) h.push(b[i++ & (b.size() - 1)]);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(indicator, none, "", {});
BENCHMARK_CAPTURE(indicator, sma20, "sma", {{"period", std::int64_t{20}}, {"output", std::string("x")}});
BENCHMARK_CAPTURE(indicator, sma20_running, "sma",
                  {{"period", std::int64_t{20}}, {"summation", std::string("running")}, {"output", std::string("x")}});
BENCHMARK_CAPTURE(indicator, ema20, "ema", {{"period", std::int64_t{20}}, {"output", std::string("x")}});
BENCHMARK_CAPTURE(indicator, rsi14, "rsi", {{"period", std::int64_t{14}}, {"output", std::string("x")}});
BENCHMARK_CAPTURE(indicator, atr14, "atr", {{"period", std::int64_t{14}}, {"output", std::string("x")}});
BENCHMARK_CAPTURE(indicator, bollinger20, "bollinger", {{"period", std::int64_t{20}}});
BENCHMARK_CAPTURE(indicator, regime20, "regime", {{"period", std::int64_t{20}}, {"output", std::string("x")}});
BENCHMARK_CAPTURE(indicator, session, "session", {{"output", std::string("x")}});

// One journal entry of a typical size, appended to a file (batched, as in backtests).
void BM_JournalAppend(benchmark::State& state) {
  const std::string path = (fs::temp_directory_path() / "s1mpletrader-micro-journal.jsonl").string();
  FileJournalPersistor out(path, SyncPolicy::kBatched);
  StrategyJournal journal(out);
  IdGenerator ids(7);
  const auto opp = ids.next_id<OpportunityId>();
  const Details details = {{"fast", 101.25}, {"slow", 100.5}};
  std::int64_t t = 0;
  for (auto _ : state) {
    journal.entry(Timestamp{t += kNsPerMinute}, "OPPORTUNITY_DETECTED", {opp, {}, {}, {}})
        .str("worker", "ma_cross")
        .str("signal_type", "ma_cross_up")
        .num("price", 101.37)
        .details("details", details)
        .commit();
  }
  journal.flush();
  state.SetItemsProcessed(state.iterations());
  fs::remove(path);
}
BENCHMARK(BM_JournalAppend);

// Decoding the close column of the first row group (PLAIN doubles), per codec, into reused memory.
void BM_ParquetDecode(benchmark::State& state) {
  static const char* codecs[] = {"none", "snappy", "gzip", "zstd"};
  const std::string codec = codecs[state.range(0)];
  const std::string path = (fs::temp_directory_path() / ("s1mpletrader-micro-" + codec + ".parquet")).string();
  if (!fs::exists(path)) {
    auto all = series(1'000'000);
    VectorBarSource source(std::move(all));
    write_bars(path, source, codec, 1'000'000, "plain");
  }
  parquet::FileReader reader(path);
  const int close = reader.column_index("close");
  parquet::ColumnData column;  // reused, as the streaming bar source does
  for (auto _ : state) {
    reader.read_column(0, close, column);
    benchmark::DoNotOptimize(column.f64.data());
  }
  state.SetItemsProcessed(state.iterations() * reader.row_group_num_rows(0));
  state.SetLabel(codec);
}
BENCHMARK(BM_ParquetDecode)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

// Streaming a ZSTD bar file as the backtest does (next_span, 256 bars a call, every row checked),
// as `data import` writes it: plain (default) or byte_stream_split (split prices, delta times).
void BM_ParquetBars(benchmark::State& state) {
  const std::string encoding = state.range(0) == 0 ? "plain" : "byte_stream_split";
  const std::string path =
      (fs::temp_directory_path() / ("s1mpletrader-micro-bars-" + encoding + "-v2.parquet")).string();
  if (!fs::exists(path)) {
    VectorBarSource source(series(1'000'000));
    write_bars(path, source, "zstd", kBarRowGroupRows, encoding);
  }
  std::int64_t rows = 0;
  for (auto _ : state) {
    auto source = parquet::open_parquet_bars(path);
    for (auto batch = source->next_span(256); !batch.empty(); batch = source->next_span(256)) {
      benchmark::DoNotOptimize(batch.data());
      rows += static_cast<std::int64_t>(batch.size());
    }
  }
  state.SetItemsProcessed(rows);
  state.SetLabel(encoding);
}
BENCHMARK(BM_ParquetBars)->DenseRange(0, 1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
