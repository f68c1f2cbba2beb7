// s1mpletrader-bench: the reproducible benchmark (docs/PERFORMANCE.md).
//
//   build/bench/s1mpletrader-bench [--bars 10000000] [--workload all|feed|pipeline|reference] [--runs 5]
//
// A seeded synthetic 1-minute series is generated once into memory; each workload replays it
// through the real engine (registry, WorkerBuilder, operators, event bus, broker, ledger, journal
// written to disk), single-threaded, and prints bars/s, ns/bar, trades, journal entries, heap
// allocations per bar in steady state (this binary counts every operator new) and peak RSS.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "backend/api/plugin.h"
#include "backend/config/loader.h"
#include "backend/data/synth.h"
#include "backend/registry/registry.h"
#include "services/runner/strategy_runner.h"

// ---------------------------------------------------------------- allocation counter
namespace {
std::atomic<std::uint64_t> g_allocations{0};
}
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::aligned_alloc(static_cast<std::size_t>(a), (n + static_cast<std::size_t>(a) - 1) & ~(static_cast<std::size_t>(a) - 1))) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

// ---------------------------------------------------------------- trivial workers (pipeline)
namespace bench {
using namespace st;
class Ctx final : public ContextWorker {
 public:
  void bind(BindContext& b) override { col_ = b.schema().add_column("bench", info().id); }
  void process(TradingContext& ctx) override { ctx.set(col_, ctx.bar().close); }

 private:
  ColumnId col_ = 0;
};
class Opp final : public OpportunityWorker {
 public:
  void process(const TradingContext&, SignalSink&) override {}
};
class Thr final : public ThreatWorker {
 public:
  void process(const TradingContext&, const LedgerView&, ThreatSink&) override {}
};
class Pln final : public PlanningWorker {
 public:
  PlanDecision plan(const PlanningInput&, RoutedTradePlan&) override { return PlanDecision::accept(); }
};
class Exe final : public ExecutionWorker {};
ST_REGISTER_PLUGIN("bench_context", Ctx);
ST_REGISTER_PLUGIN("bench_opportunity", Opp);
ST_REGISTER_PLUGIN("bench_threat", Thr);
ST_REGISTER_PLUGIN("bench_planning", Pln);
ST_REGISTER_PLUGIN("bench_execution", Exe);
#define BENCH_MANIFEST(NAME, CATEGORY, SUBTYPE)                                                         \
  const BuiltinManifestRegistration manifest_##NAME(#NAME, "bench/" #NAME, "name: " #NAME "\nversion: 1.0.0\n" \
                                                    "category: " CATEGORY "\nsubtype: " SUBTYPE "\n")
BENCH_MANIFEST(bench_context, "context", "INDICATOR_CALCULATION");
BENCH_MANIFEST(bench_opportunity, "opportunity", "MOMENTUM_SIGNAL");
BENCH_MANIFEST(bench_threat, "threat", "MARKET_RISK");
BENCH_MANIFEST(bench_planning, "planning", "ENTRY_PLANNING");
BENCH_MANIFEST(bench_execution, "execution", "TRADE_INITIATION");
}  // namespace bench

namespace {

struct Result {
  double seconds = 0;
  double steady_allocs_per_bar = 0;
  std::int64_t trades = 0;
  std::uint64_t journal = 0;
};

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t bars = 10'000'000;
  int runs = 1;
  std::string workload = "all";
  std::string config = std::string(ST_SOURCE_DIR) + "/bench/config";
  std::string out = (std::filesystem::temp_directory_path() / "s1mpletrader-bench").string();
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "error: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--bars") bars = std::stoll(value());
    else if (a == "--runs") runs = std::stoi(value());
    else if (a == "--workload") workload = value();
    else if (a == "--config") config = value();
    else if (a == "--out") out = value();
    else {
      std::cerr << "usage: s1mpletrader-bench [--bars N] [--runs K] [--workload all|feed|pipeline|reference] "
                   "[--config DIR] [--out DIR]\n";
      return 2;
    }
  }
  if (bars < 100000 || runs < 1) {
    std::cerr << "error: --bars must be at least 100000 and --runs at least 1\n";
    return 2;
  }
  st::Diagnostics diags;
  const auto registry = st::PluginRegistry::load({}, diags);
  const auto cfg = st::config::load_config(config, &registry, {}, diags);
  if (!diags.empty()) {
    std::cerr << diags.to_string();
    return 1;
  }
  // One series, generated once, replayed by every run.
  st::config::SynthConfig synth = *cfg.operations.at(0).strategy_links.at(0).data->synth;
  synth.bars = bars;
  std::vector<st::Bar> series;
  series.reserve(static_cast<std::size_t>(bars));
  {
    auto source = st::make_synth(synth, st::kNsPerMinute);
    for (st::Bar b; source->next(b);) series.push_back(b);
  }
  fmt::print("s1mpletrader-bench: {} one-minute bars (seed {}), {} run(s) per workload, single-threaded\n", bars, synth.seed,
             runs);
  fmt::print("{:<10} {:>14} {:>9} {:>9} {:>8} {:>12} {:>14} {:>11}\n", "workload", "bars/s", "ns/bar", "seconds", "trades",
             "journal", "allocs/bar", "peak RSS");
  for (const auto& link : cfg.operations.at(0).strategy_links) {
    if (workload != "all" && workload != link.name) continue;
    std::vector<Result> results;
    for (int r = 0; r < runs; ++r) {
      st::RunOptions options;
      options.out_dir = out;
      options.write_outputs = false;
      options.source = [&] { return std::make_unique<st::SpanBarSource>(series.data(), series.size(), "synthetic 1m"); };
      std::uint64_t a0 = 0, a1 = 0;
      std::int64_t b0 = 0, b1 = 0;
      options.progress = [&](const st::RunProgress& p) {
        const std::uint64_t now = g_allocations.load(std::memory_order_relaxed);
        if (p.bars >= bars / 4 && b0 == 0) b0 = p.bars, a0 = now;
        if (p.bars < bars && b0 != 0) b1 = p.bars, a1 = now;
      };
      const auto t0 = std::chrono::steady_clock::now();
      const auto s = st::run_link(cfg, registry, link, options);
      Result res;
      res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      res.steady_allocs_per_bar = b1 > b0 ? static_cast<double>(a1 - a0) / static_cast<double>(b1 - b0) : 0;
      res.trades = s.trades_closed + s.trades_open;
      res.journal = s.journal_entries;
      results.push_back(res);
    }
    std::sort(results.begin(), results.end(), [](const Result& a, const Result& b) { return a.seconds < b.seconds; });
    const Result& med = results[results.size() / 2];
    fmt::print("{:<10} {:>14.0f} {:>9.1f} {:>9.3f} {:>8} {:>12} {:>14.4f} {:>8.0f} MiB\n", link.name,
               static_cast<double>(bars) / med.seconds, med.seconds * 1e9 / static_cast<double>(bars), med.seconds,
               med.trades, med.journal, med.steady_allocs_per_bar, peak_rss_mib());
  }
  fmt::print("(median of {} run(s); the series itself takes {:.0f} MiB of the RSS)\n", runs,
             static_cast<double>(series.size() * sizeof(st::Bar)) / 1048576.0);
  return 0;
}
