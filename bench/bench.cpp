// s1mpletrader-bench: the reproducible benchmark (docs/PERFORMANCE.md).
//
//   build/bench/s1mpletrader-bench [--bars 10000000] [--runs 5]
//       [--workload all|feed|pipeline|reference|reference-parquet|sweep] [--sweep-bars 1000000] [--threads N]
//   (also: s1mpletrader bench ...)
//   --json FILE writes the conditions and figures; --compare BASE compares the run with such a
//   report (bench/compare.h), --compare BASE --with FILE two reports without running.
//
// A seeded synthetic 1-minute series is generated once into memory; each workload replays it
// through the real engine (registry, WorkerBuilder, operators, event bus, broker, ledger, journal
// written to disk), single-threaded, and prints bars/s, ns/bar, trades, journal entries, heap
// allocations per bar in steady state (this binary counts every operator new) and peak RSS.
//   reference-parquet  the reference strategy on the same series streamed from a ZSTD Parquet file
//                      (written once beside the outputs), twice: as data import writes it by
//                      default (prices BYTE_STREAM_SPLIT, times DELTA_BINARY_PACKED) and with
//                      --encoding plain (row reference-pq-plain); run it alone to see its own peak
//                      RSS, as then the series is never held in memory
//   sweep              the reference strategy over 64 parameter sets (EMA fast period x stop
//                      multiple) on --sweep-bars bars, on 1 thread and on --threads threads; the
//                      per-set results must be identical on both
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <sys/utsname.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include "backend/api/plugin.h"
#include "backend/core/atomic_file.h"
#include "backend/config/loader.h"
#include "backend/data/synth.h"
#include "backend/dataio/convert.h"
#include "backend/parquet/parquet_reader.h"
#include "backend/registry/registry.h"
#include "compare.h"
#include "services/runner/strategy_runner.h"

// ---------------------------------------------------------------- allocation counter
// GCC sees malloc behind operator new once both are inlined and warns that free() in operator
// delete does not match new; here they are the same pair, replaced together.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
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

// --no-context-blocks: every context worker on every bar (RunOptions::context_blocks), to measure
// what the blocks buy and to see that the results are the same.
bool g_context_blocks = true;
// The clock measured before the runs (clock_ghz), for the rows' cycles per bar.
double g_clock_ghz = 0;

// CPU seconds of the process so far (every thread): in user space and in the kernel.
struct CpuTimes {
  double user = 0, kernel = 0;
};
CpuTimes cpu_times() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return {sec(u.ru_utime), sec(u.ru_stime)};
}

// The first CPU's fields of /proc/cpuinfo: the model name, and on x86 the family, model and
// stepping numbers, which tell a generation the name may not (a VM's "AMD EPYC" is family 25,
// model 17: Zen 4). The id is empty where the fields are not there (other architectures).
struct CpuInfo {
  std::string model = "unknown CPU", id;
};

CpuInfo cpu_info() {
  CpuInfo c;
  std::string family, model, stepping;
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line) && !line.empty();) {  // the first CPU's block
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon + 2 > line.size()) continue;
    std::string key = line.substr(0, colon);
    key.erase(key.find_last_not_of(" \t") + 1);
    const std::string value = line.substr(colon + 2);
    if (key == "model name") c.model = value;
    else if (key == "cpu family") family = value;
    else if (key == "model") model = value;
    else if (key == "stepping") stepping = value;
  }
  if (!family.empty() && !model.empty() && !stepping.empty())
    c.id = fmt::format("family {}, model {}, stepping {}", family, model, stepping);
  return c;
}

#ifdef NDEBUG
constexpr bool kAssertions = false;
#else
constexpr bool kAssertions = true;  // a build whose figures do not compare: said in the output
#endif

// The conditions of the run, printed first so that a pasted result states them: the CPU's model
// and logical CPUs, the kernel, the compiler, the build type and flags, the date (UTC).
struct Conditions {
  std::string cpu, cpu_id;  // cpu_id may be empty (cpu_info)
  unsigned logical_cpus = 0;
  std::string kernel, compiler, build_type, build_flags;
  std::chrono::sys_seconds date;  // UTC
};

Conditions conditions() {
  Conditions c;
  const CpuInfo info = cpu_info();
  c.cpu = info.model;
  c.cpu_id = info.id;
  c.logical_cpus = std::thread::hardware_concurrency();
  utsname u{};
  c.kernel = uname(&u) == 0 ? fmt::format("{} {}", u.sysname, u.release) : "unknown kernel";
#if defined(__clang__)
  c.compiler = std::string("clang ") + __clang_version__;
  while (!c.compiler.empty() && c.compiler.back() == ' ') c.compiler.pop_back();  // "14.0.6 "
#elif defined(__GNUC__)
  c.compiler = std::string("g++ ") + __VERSION__;
#else
  c.compiler = "unknown compiler";
#endif
  c.build_type = ST_BUILD_TYPE;
  c.build_flags = ST_BUILD_FLAGS;
  c.date = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return c;
}

// --bar-profile: the untimed run that counts quiet bars also times each bar after the first
// quarter and tells its kind from what it journaled (the journal file is read after the run).
bool g_bar_profile = false;

// A counter for timing single bars: the time-stamp counter on x86-64 (a few ns to read), else
// the steady clock in ns. Converted to ns with the run's own ratio of ticks to seconds.
std::uint64_t ticks_now() {
#if defined(__x86_64__)
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

// The bars of a profiled run: quiet bars summed, the others one by one (a few per cent of them)
// with the journal entries they made (seq first_seq ..) and whether the journal file was written.
struct BarProfile {
  struct Busy {
    std::uint64_t first_seq = 0;
    std::uint32_t entries = 0;
    bool wrote = false;
    std::uint64_t ticks = 0;
  };
  std::int64_t quiet_bars = 0;
  std::uint64_t quiet_ticks = 0;
  std::vector<Busy> busy;
  double ns_per_tick = 0;
  std::string journal;  // the run's journal file
};

struct Result {
  double seconds = 0;
  CpuTimes cpu;  // of the run: user space and kernel (the journal's writes)
  double steady_allocs_per_bar = 0;
  std::int64_t trades = 0;
  std::uint64_t journal = 0;
  std::string final_equity;
  std::int64_t quiet_bars = 0;
  std::uint64_t quiet_allocs = 0;
  std::optional<BarProfile> profile;  // --bar-profile, on the run that counts quiet bars
};

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// One run of `link` with bars from `source`; the allocation count is taken between 1/4 of the
// bars and the last progress call (steady state).
Result run_once(const st::config::ConfigSet& cfg, const st::PluginRegistry& registry,
                const st::config::StrategyLinkConfig& link, const std::string& out, std::int64_t bars,
                const std::function<std::unique_ptr<st::BarSource>()>& source, bool count_quiet = false) {
  st::RunOptions options;
  options.out_dir = out;
  options.write_outputs = false;
  options.source = source;
  options.context_blocks = g_context_blocks;
  std::uint64_t a0 = 0, a1 = 0;
  std::int64_t b0 = 0, b1 = 0;
  options.progress = [&](const st::RunProgress& p) {
    const std::uint64_t now = g_allocations.load(std::memory_order_relaxed);
    if (p.bars >= bars / 4 && b0 == 0) b0 = p.bars, a0 = now;
    if (p.bars < bars && b0 != 0) b1 = p.bars, a1 = now;
  };
  // Quiet bars: bars after the first quarter that journal nothing (no signal, order, fill, stop
  // move or threat); the target is zero allocations on them. Counted with a per-bar hook, only
  // when asked, as it costs a call per bar.
  std::uint64_t last_allocs = 0, last_journal = 0, last_writes = 0, quiet_allocs = 0;
  std::int64_t quiet_bars = 0;
  std::optional<BarProfile> profile;
  std::uint64_t last_ticks = 0;
  if (count_quiet && g_bar_profile) profile.emplace();
  if (count_quiet)
    options.bar_hook = [&](std::int64_t done, std::uint64_t journal, std::uint64_t writes) {
      const std::uint64_t now = g_allocations.load(std::memory_order_relaxed);
      if (done > bars / 4 && journal == last_journal) {
        ++quiet_bars;
        quiet_allocs += now - last_allocs;
      }
      if (profile) {
        // A bar's time: from the end of the previous bar's hook to the start of this one's.
        const std::uint64_t t = ticks_now();
        if (done > bars / 4) {
          if (journal == last_journal && writes == last_writes) {
            ++profile->quiet_bars;
            profile->quiet_ticks += t - last_ticks;
          } else {
            profile->busy.push_back({last_journal + 1, static_cast<std::uint32_t>(journal - last_journal),
                                     writes != last_writes, t - last_ticks});
          }
        }
        last_writes = writes;
      }
      last_allocs = g_allocations.load(std::memory_order_relaxed);
      last_journal = journal;
      if (profile) last_ticks = ticks_now();
    };
  // The previous run's outputs are removed before the clock starts: truncating its journal
  // (~470 MB at 10 M bars) when the run opens it took the kernel ~0.1 s of the timed run.
  std::filesystem::remove_all(std::filesystem::path(out) / link.name);
  const CpuTimes c0 = cpu_times();
  const auto t0 = std::chrono::steady_clock::now();
  const std::uint64_t ticks0 = ticks_now();
  const auto s = st::run_link(cfg, registry, link, options);
  Result res;
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (profile) {
    profile->ns_per_tick = res.seconds * 1e9 / static_cast<double>(ticks_now() - ticks0);
    profile->journal = (std::filesystem::path(out) / link.name / "journal.jsonl").string();
    res.profile = std::move(profile);
  }
  const CpuTimes c1 = cpu_times();
  res.cpu = {c1.user - c0.user, c1.kernel - c0.kernel};
  res.steady_allocs_per_bar = b1 > b0 ? static_cast<double>(a1 - a0) / static_cast<double>(b1 - b0) : 0;
  res.trades = s.trades_closed + s.trades_open;
  res.journal = s.journal_entries;
  res.final_equity = s.final_equity;
  res.quiet_bars = quiet_bars;
  res.quiet_allocs = quiet_allocs;
  return res;
}

// The core's clock as this process sees it, in GHz: the best of five timings of a chain of
// dependent one-cycle additions. On a virtual machine the clock a core gets varies with the host's
// load (this one's from ~2.6 to ~3.7 GHz between sessions), and times per bar with it; the figure
// is printed with the results, so that runs can be compared in cycles. 0 where it cannot be taken.
double clock_ghz() {
#if defined(__x86_64__)
  constexpr std::uint64_t kAdds = 100'000'000;
  double best = 1e9;
  for (int r = 0; r < 5; ++r) {
    std::uint64_t x = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < kAdds; i += 8)
      asm volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                   "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
                   : "+r"(x));
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return static_cast<double>(kAdds) / best / 1e9;
#else
  return 0;
#endif
}

// The link of a workload by name (bench/config/operation.yaml).
const st::config::StrategyLinkConfig& link_named(const st::config::ConfigSet& cfg, const std::string& name) {
  for (const auto& l : cfg.operations.at(0).strategy_links)
    if (l.name == name) return l;
  throw std::runtime_error("bench/config/operation.yaml has no link named " + name);
}

// The median run by time (results sorted by it).
const Result& median_run(std::vector<Result>& results) {
  std::sort(results.begin(), results.end(), [](const Result& a, const Result& b) { return a.seconds < b.seconds; });
  return results[results.size() / 2];
}

// Prints a workload's rows and returns the same figures for --json (every run's ns per bar
// fastest first): the text and the file are written from one set of numbers.
nlohmann::ordered_json print_row(const std::string& name, std::vector<Result> results, std::int64_t bars) {
  const Result& med = median_run(results);
  const auto per_bar = [&](double s) { return s * 1e9 / static_cast<double>(bars); };
  const double ns = per_bar(med.seconds), user = per_bar(med.cpu.user), kernel = per_bar(med.cpu.kernel);
  const double bars_per_second = static_cast<double>(bars) / med.seconds, rss = peak_rss_mib();
  fmt::print("{:<18} {:>12.0f} {:>8.1f} {:>8.3f} {:>8} {:>10} {:>11.4f} {:>8.0f} MiB\n", name, bars_per_second, ns,
             med.seconds, med.trades, med.journal, med.steady_allocs_per_bar, rss);
  // The CPU time of the median run, split: the kernel's part is mostly the journal's writes.
  fmt::print("  {}: CPU per bar in the median run: {:.1f} ns user, {:.1f} ns kernel", name, user, kernel);
  if (g_clock_ghz > 0) fmt::print("; {:.0f} cycles per bar at {:.2f} GHz", ns * g_clock_ghz, g_clock_ghz);
  fmt::print("\n");
  // The spread of the runs (sorted by median_run): on a shared machine, how far apart they were
  // says how much the median can be trusted.
  if (results.size() > 1)
    fmt::print("  {}: the {} runs took {:.1f} to {:.1f} ns per bar (fastest to slowest)\n", name, results.size(),
               per_bar(results.front().seconds), per_bar(results.back().seconds));
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  for (const Result& r : results) runs.push_back(per_bar(r.seconds));
  return {{"name", name},
          {"bars_per_second", bars_per_second},
          {"ns_per_bar", ns},
          {"seconds", med.seconds},
          {"trades", med.trades},
          {"journal_entries", med.journal},
          {"allocations_per_bar", med.steady_allocs_per_bar},
          {"peak_rss_mib", rss},
          {"cpu_user_ns_per_bar", user},
          {"cpu_kernel_ns_per_bar", kernel},
          {"cycles_per_bar", g_clock_ghz > 0 ? nlohmann::ordered_json(ns * g_clock_ghz) : nullptr},
          {"runs_ns_per_bar", std::move(runs)}};
}

// --bar-profile's table: the profiled bars by kind, each bar counted once, under the first of
// these it did: wrote the journal file (the 1 MiB buffer), detected an opportunity (planning,
// orders), had a fill, moved a stop; else "other" (cancellations, rejections, threats).
// Returns the same figures for --json (null when no bar was profiled).
nlohmann::ordered_json print_bar_profile(const std::string& name, const BarProfile& p, double timed_ns_per_bar) {
  enum Kind { kWrite, kSignal, kFill, kStop, kOther, kQuiet, kKinds };
  const char* names[kKinds] = {"journal write (1 MiB to the file)", "opportunity (planning, orders)",
                               "fill (trade opened or closed)", "stop moved", "other journaled", "quiet (nothing journaled)"};
  const char* keys[kKinds] = {"journal_write", "opportunity", "fill", "stop_moved", "other", "quiet"};
  std::int64_t count[kKinds] = {};
  double ticks[kKinds] = {};
  count[kQuiet] = p.quiet_bars;
  ticks[kQuiet] = static_cast<double>(p.quiet_ticks);
  // The event types of the busy bars' entries, read from the journal by seq.
  std::ifstream in(p.journal);
  std::string line;
  std::uint64_t seq = 0;
  const auto field = [](std::string_view l, std::string_view key) {  // key as "name":"
    const auto at = l.find(key);
    if (at == std::string_view::npos) return std::string_view();
    const auto from = at + key.size();
    return l.substr(from, l.find('"', from) - from);
  };
  std::string bar_time;
  for (const auto& b : p.busy) {
    bool signal = false, fill = false, stop = false;
    for (std::uint32_t k = 0; k < b.entries; ++k) {
      // Lines are entries seq 1, 2, ...: skip to this bar's first.
      while (seq < b.first_seq + k && std::getline(in, line)) ++seq;
      if (seq != b.first_seq + k)
        throw std::runtime_error(fmt::format("{}: ends at seq {}, before the entry with seq {} the run reported",
                                             p.journal, seq, b.first_seq + k));
      if (!line.starts_with(fmt::format("{{\"seq\":{},", seq)))
        throw std::runtime_error(fmt::format("{}:{}: not the entry with seq {}", p.journal, seq, seq));
      // A bar's entries carry its time: one that does not is another bar's (the count is off).
      const auto time = field(line, "\"timestamp\":\"");
      if (k == 0) bar_time = time;
      else if (time != bar_time)
        throw std::runtime_error(fmt::format("{}:{}: an entry at {} among a bar's at {}", p.journal, seq, time, bar_time));
      const auto type = field(line, "\"event_type\":\"");
      signal = signal || type == "OPPORTUNITY_DETECTED";
      fill = fill || type == "ORDER_FILLED";
      stop = stop || type == "STOP_MOVED";
    }
    const Kind kind = b.wrote ? kWrite : signal ? kSignal : fill ? kFill : stop ? kStop : kOther;
    ++count[kind];
    ticks[kind] += static_cast<double>(b.ticks);
  }
  std::int64_t bars = 0;
  double total = 0;
  for (int k = 0; k < kKinds; ++k) bars += count[k], total += ticks[k];
  if (bars == 0) return nullptr;
  const double ns = p.ns_per_tick, all = total * ns / static_cast<double>(bars);
  fmt::print("  {}: time by kind of bar (--bar-profile: the bars after the first quarter of the untimed run,\n"
             "  timed one by one; {:.1f} ns a bar in all against the timed median's {:.1f}: on a steady machine\n"
             "  the difference is the timing's own cost, in every row)\n",
             name, all, timed_ns_per_bar);
  fmt::print("    {:<36} {:>10} {:>7} {:>11} {:>11} {:>7}\n", "kind of bar", "bars", "share", "ns a bar", "ns per bar",
             "time");
  nlohmann::ordered_json kinds = nlohmann::ordered_json::array();
  for (int k : {kQuiet, kSignal, kFill, kStop, kOther, kWrite}) {
    if (count[k] == 0) continue;
    const double share = 100.0 * static_cast<double>(count[k]) / static_cast<double>(bars);
    const double ns_a_bar = ticks[k] * ns / static_cast<double>(count[k]);
    const double ns_per_bar = ticks[k] * ns / static_cast<double>(bars), time = 100.0 * ticks[k] / total;
    fmt::print("    {:<36} {:>10} {:>6.2f}% {:>11.1f} {:>11.1f} {:>6.1f}%\n", names[k], count[k], share, ns_a_bar,
               ns_per_bar, time);
    kinds.push_back({{"kind", keys[k]},
                     {"bars", count[k]},
                     {"share_percent", share},
                     {"ns_a_bar", ns_a_bar},
                     {"ns_per_bar", ns_per_bar},
                     {"time_percent", time}});
  }
  return {{"bars", bars}, {"ns_per_bar", all}, {"kinds", std::move(kinds)}};
}

// The 64 parameter sets of the sweep: EMA fast period x ATR stop multiple.
std::vector<std::vector<std::string>> sweep_sets() {
  std::vector<std::vector<std::string>> sets;
  for (int fast : {8, 10, 12, 14, 16, 18, 20, 22})
    for (double stop : {1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0})
      sets.push_back({fmt::format("runs.reference.workforce.context[0].params.period={}", fast),
                      fmt::format("runs.reference.workforce.planning[1].params.stop_multiple={}", stop)});
  return sets;
}

// A pass of the sweep: its wall-clock seconds and the CPU seconds it took, user and kernel.
struct SweepPass {
  double seconds = 0;
  CpuTimes cpu;
};

// Runs every set on `threads` threads (work stealing by an atomic index).
SweepPass run_sweep(const std::vector<st::config::ConfigSet>& cfgs, const st::PluginRegistry& registry,
                 const std::vector<st::Bar>& series, const std::string& out, int threads,
                 std::vector<Result>& results) {
  results.assign(cfgs.size(), {});
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::string error;
  // The previous pass's journals go before the clock starts, as in run_once.
  for (std::size_t i = 0; i < cfgs.size(); ++i) std::filesystem::remove_all(fmt::format("{}/sweep-{}", out, i));
  const CpuTimes c0 = cpu_times();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (std::size_t i; (i = next.fetch_add(1)) < cfgs.size();) {
        try {
          const auto& link = link_named(cfgs[i], "reference");
          results[i] = run_once(cfgs[i], registry, link, fmt::format("{}/sweep-{}", out, i),
                                static_cast<std::int64_t>(series.size()), [&] {
                                  return std::make_unique<st::SpanBarSource>(series.data(), series.size(), "synthetic 1m");
                                });
          // Its journal stays to the end of the pass, on the disk and not in memory (written past
          // the page cache: DirectAppend), and goes before the next pass's clock starts, as in
          // run_once. Removing it here cost more than writing it: freeing a 51 MB journal's blocks
          // took ~8 ms (2.2 s of `unlink` in a sweep of 2 x 64 sets). (Journals written through
          // the page cache, where direct writes are not possible, take memory to the pass's end.)
        } catch (const std::exception& e) {
          std::lock_guard lock(error_mutex);
          error = e.what();
        }
      }
    });
  for (auto& t : pool) t.join();
  if (!error.empty()) throw std::runtime_error(error);
  SweepPass pass;
  pass.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const CpuTimes c1 = cpu_times();
  pass.cpu = {c1.user - c0.user, c1.kernel - c0.kernel};
  return pass;
}

// --json: the whole report, replaced atomically (a reader never sees half of it). False, with the
// reason on stderr, when it cannot be written.
bool write_json(const std::string& path, const nlohmann::ordered_json& report) {
  if (path.empty()) return true;
  try {
    st::write_file_atomic(path, report.dump(2) + "\n");
    return true;
  } catch (const std::exception& e) {
    std::cerr << "error: --json " << path << ": " << e.what() << "\n";
    return false;
  }
}

int bench_main(int argc, char** argv) {
  std::int64_t bars = 10'000'000;
  std::int64_t sweep_bars = 1'000'000;
  int runs = 1;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string workload = "all";
  std::string config = std::string(ST_SOURCE_DIR) + "/bench/config";
  std::string out = (std::filesystem::temp_directory_path() / "s1mpletrader-bench").string();
  std::string json_path, compare_path, with_path;
  std::vector<std::string> run_options;  // given options that only a run uses (refused with --with)
  const char* usage =
      "usage: s1mpletrader-bench [--bars N] [--runs K] "
      "[--workload all|feed|pipeline|reference|reference-parquet|sweep] [--sweep-bars N] [--threads N] "
      "[--config DIR] [--out DIR] [--json FILE] [--compare BASE [--with FILE]] [--no-context-blocks] "
      "[--bar-profile]\n";
  const char* help =
      "The reproducible benchmark (docs/PERFORMANCE.md): a seeded synthetic series of one-minute bars\n"
      "through the real engine, single-threaded, each workload K times; prints the conditions (CPU,\n"
      "logical CPUs, kernel, compiler, build type and flags, date), then the median run's bars/s,\n"
      "ns/bar, CPU time (user, kernel) and cycles per bar, trades, journal entries, allocations per bar\n"
      "and on quiet bars, peak RSS, and the core's clock before and after; with K > 1 also the fastest and\n"
      "slowest run, which say how noisy the machine was.\n\n"
      "  --bars N             bars per run (default 10000000, at least 100000)\n"
      "  --runs K             runs per workload; the median is printed (default 1; 5 for the published figures)\n"
      "  --workload W         all (default), feed, pipeline, reference, reference-parquet (also writes\n"
      "                       the Parquet files it reads, once, into --out), sweep\n"
      "  --sweep-bars N       bars per parameter set of the sweep (64 sets; default 1000000)\n"
      "  --threads N          threads of the sweep's second pass (default: the cores)\n"
      "  --config DIR         the benchmark's configuration (default bench/config of the source tree)\n"
      "  --out DIR            where journals and Parquet files go (default <tmp>/s1mpletrader-bench)\n"
      "  --json FILE          also write the conditions and the rows' figures to FILE as JSON (replaced\n"
      "                       atomically at the end; with --bar-profile its table too), to keep or\n"
      "                       compare results by program\n"
      "  --compare BASE       after the runs, compare them with BASE, an earlier --json report: per\n"
      "                       workload the change in ns and cycles per bar, whether it is beyond the\n"
      "                       spread of both sets of runs (3 or more each), whether trades and journal\n"
      "                       entries are the same (same bars and seed), what differs in the conditions,\n"
      "                       and whether the feed moved as well (then the machine's speed did)\n"
      "  --with FILE          with --compare: compare BASE with FILE, another report, without running\n"
      "  --no-context-blocks  context workers bar by bar, not in blocks (same results; to measure the blocks)\n"
      "  --bar-profile        also time each bar of the untimed run and print the time by kind of bar\n"
      "                       (quiet, opportunity, fill, stop moved, journal write), from the journal;\n"
      "                       for the in-memory workloads (feed, pipeline, reference)\n";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc || argv[i + 1][0] == '\0') {
        std::cerr << "error: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a != "--compare" && a != "--with" && a != "--help" && a != "-h") run_options.push_back(a);
    try {
      if (a == "--bars") bars = std::stoll(value());
      else if (a == "--sweep-bars") sweep_bars = std::stoll(value());
      else if (a == "--runs") runs = std::stoi(value());
      else if (a == "--threads") threads = std::stoi(value());
      else if (a == "--workload") workload = value();
      else if (a == "--config") config = value();
      else if (a == "--out") out = value();
      else if (a == "--json") json_path = value();
      else if (a == "--compare") compare_path = value();
      else if (a == "--with") with_path = value();
      else if (a == "--no-context-blocks") g_context_blocks = false;
      else if (a == "--bar-profile") g_bar_profile = true;
      else if (a == "--help" || a == "-h") {
        std::cout << usage << "\n" << help;
        return 0;
      } else {
        std::cerr << "error: unknown option \"" << a << "\"\n" << usage;
        return 2;
      }
    } catch (const std::exception&) {
      std::cerr << "error: " << a << ": expected a number\n";
      return 2;
    }
  }
  const std::vector<std::string> known = {"all", "feed", "pipeline", "reference", "reference-parquet", "sweep"};
  if (std::find(known.begin(), known.end(), workload) == known.end()) {
    std::cerr << "error: --workload: \"" << workload << "\" is not a workload\n" << usage;
    return 2;
  }
  if (bars < 100000 || sweep_bars < 100000 || runs < 1 || threads < 1) {
    std::cerr << "error: --bars and --sweep-bars must be at least 100000, --runs and --threads at least 1\n";
    return 2;
  }
  // --compare's base is read and checked now, not after minutes of runs.
  std::optional<st::bench::Report> base;
  if (!with_path.empty() && compare_path.empty()) {
    std::cerr << "error: --with needs --compare BASE (the report to compare it with)\n";
    return 2;
  }
  if (!with_path.empty() && !run_options.empty()) {
    std::cerr << "error: --with compares two reports without running: " << run_options.front()
              << " does not apply\n";
    return 2;
  }
  if (!compare_path.empty()) {
    try {
      base = st::bench::read_report(compare_path);
    } catch (const st::bench::ReportError& e) {
      std::cerr << "error: --compare " << e.what() << "\n";
      return 2;
    }
    if (!with_path.empty()) {
      try {
        st::bench::print_comparison(*base, compare_path, st::bench::read_report(with_path));
      } catch (const st::bench::ReportError& e) {
        std::cerr << "error: --with " << e.what() << "\n";
        return 2;
      }
      return 0;
    }
  }
  if (!json_path.empty()) {
    // Checked now, not after minutes of runs: the file's folder exists and takes a file.
    const std::filesystem::path p(json_path);
    const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    const char* wrong = std::filesystem::is_directory(p, ec)     ? "is a folder"
                        : !std::filesystem::is_directory(dir, ec) ? "its folder does not exist"
                                                                  : nullptr;
    if (wrong != nullptr) {
      std::cerr << "error: --json " << json_path << ": " << wrong << "\n";
      return 2;
    }
    const std::string probe = json_path + ".tmp";
    if (!std::ofstream(probe)) {
      std::cerr << "error: --json " << json_path << ": cannot write there\n";
      return 2;
    }
    std::filesystem::remove(probe, ec);
  }
  std::filesystem::create_directories(out);
  st::Diagnostics diags;
  const auto registry = st::PluginRegistry::load({}, diags);
  const auto cfg = st::config::load_config(config, &registry, {}, diags);
  if (!diags.empty()) {
    std::cerr << diags.to_string();
    return 1;
  }
  st::config::SynthConfig synth = *cfg.operations.at(0).strategy_links.at(0).data->synth;
  synth.bars = bars;
  auto wants = [&](const std::string& w) { return workload == "all" || workload == w; };
  // One series, generated once, replayed by every in-memory run.
  std::vector<st::Bar> series;
  if (g_bar_profile && !(wants("feed") || wants("pipeline") || wants("reference")))
    std::cerr << "note: --bar-profile times the in-memory workloads (feed, pipeline, reference); " << workload
              << " has none\n";
  if (wants("feed") || wants("pipeline") || wants("reference")) {
    series.reserve(static_cast<std::size_t>(bars));
    auto source = st::make_synth(synth, st::kNsPerMinute);
    for (st::Bar b; source->next(b);) series.push_back(b);
  }
  fmt::print("s1mpletrader-bench: {} one-minute bars (seed {}), {} run(s) per workload, single-threaded\n", bars,
             synth.seed, runs);
  const Conditions cond = conditions();
  fmt::print("machine: {}{}, {} logical CPUs; {}; {}, {} build ({})\ndate: {:%Y-%m-%d %H:%M:%S} UTC\n", cond.cpu,
             cond.cpu_id.empty() ? "" : " (" + cond.cpu_id + ")", cond.logical_cpus, cond.kernel, cond.compiler,
             cond.build_type, cond.build_flags, cond.date);
  nlohmann::ordered_json report;
  report["benchmark"] = "s1mpletrader-bench";
  report["conditions"] = {{"cpu", cond.cpu},
                          {"cpu_id", cond.cpu_id},
                          {"logical_cpus", cond.logical_cpus},
                          {"kernel", cond.kernel},
                          {"compiler", cond.compiler},
                          {"build_type", cond.build_type},
                          {"build_flags", cond.build_flags},
                          {"assertions", kAssertions},
                          {"date", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", cond.date)}};
  report["bars"] = bars;
  report["seed"] = synth.seed;
  report["runs"] = runs;
  report["clock_ghz_before"] = nullptr;  // measured below, after the header is printed
  report["clock_ghz_after"] = nullptr;
  report["workloads"] = nlohmann::ordered_json::array();
  if (kAssertions)
    fmt::print("warning: built with assertions on (not a Release build): these figures do not compare with published ones\n");
  g_clock_ghz = clock_ghz();
  if (g_clock_ghz > 0) fmt::print("clock before the runs: {:.2f} GHz (a chain of dependent additions)\n", g_clock_ghz);
  report["clock_ghz_before"] = g_clock_ghz > 0 ? nlohmann::ordered_json(g_clock_ghz) : nullptr;
  fmt::print("{:<18} {:>12} {:>8} {:>8} {:>8} {:>10} {:>11} {:>12}\n", "workload", "bars/s", "ns/bar", "seconds",
             "trades", "journal", "allocs/bar", "peak RSS");
  struct QuietRun {
    std::string name;
    Result result;
    double timed_ns_per_bar;  // the timed runs' median
  };
  std::vector<QuietRun> quiet;
  for (const auto& link : cfg.operations.at(0).strategy_links) {
    if (!wants(link.name)) continue;
    std::vector<Result> results;
    auto memory = [&] { return std::make_unique<st::SpanBarSource>(series.data(), series.size(), "synthetic 1m"); };
    for (int r = 0; r < runs; ++r) results.push_back(run_once(cfg, registry, link, out, bars, memory));
    report["workloads"].push_back(print_row(link.name, results, bars));
    quiet.push_back({link.name, run_once(cfg, registry, link, out, bars, memory, true),
                     median_run(results).seconds * 1e9 / static_cast<double>(bars)});
  }
  for (std::size_t k = 0; k < quiet.size(); ++k) {
    const auto& [name, r, timed] = quiet[k];
    fmt::print("  {}: {} quiet bars (nothing journaled) after the first quarter, {} allocations on them ({:.4f} per quiet bar)\n",
               name, r.quiet_bars, r.quiet_allocs,
               r.quiet_bars ? static_cast<double>(r.quiet_allocs) / static_cast<double>(r.quiet_bars) : 0.0);
    auto& row = report["workloads"][k];  // the rows so far are these workloads', in this order
    row["quiet_bars"] = r.quiet_bars;
    row["allocations_on_quiet_bars"] = r.quiet_allocs;
    try {
      if (r.profile) row["bar_profile"] = print_bar_profile(name, *r.profile, timed);
    } catch (const std::exception& e) {
      std::cerr << "error: --bar-profile: " << e.what() << "\n";
      return 1;
    }
  }
  if (wants("reference-parquet")) {
    // Row groups and pages as `data import` writes them (st::kBarRowGroupRows, st::kBarPageRows),
    // in its default encoding (prices BYTE_STREAM_SPLIT, times DELTA_BINARY_PACKED) and with
    // `--encoding plain`; sizes and encoding are in the name, so a file written otherwise is not
    // reused.
    for (const std::string encoding : {"byte_stream_split", "plain"}) {
      const bool split = encoding == "byte_stream_split";
      const std::string file = fmt::format("{}/bench-{}-seed{}-rg{}-p{}-{}.parquet", out, bars, synth.seed,
                                           st::kBarRowGroupRows, st::kBarPageRows, split ? "split" : "plain");
      if (!std::filesystem::exists(file)) {
        auto source = st::make_synth(synth, st::kNsPerMinute);
        st::write_bars(file, *source, "zstd", st::kBarRowGroupRows, encoding);
      }
      std::vector<Result> results;
      const auto& link = link_named(cfg, "reference");
      for (int r = 0; r < runs; ++r)
        results.push_back(run_once(cfg, registry, link, out, bars, [&] { return st::parquet::open_parquet_bars(file); }));
      auto row = print_row(split ? "reference-parquet" : "reference-pq-plain", results, bars);
      const double file_mib = static_cast<double>(std::filesystem::file_size(file)) / 1048576.0;
      row["file"] = file;
      row["file_mib"] = file_mib;
      row["price_encoding"] = split ? "BYTE_STREAM_SPLIT" : "PLAIN";
      report["workloads"].push_back(std::move(row));
      fmt::print("  (from {}, {:.0f} MiB, ZSTD, prices {}, row groups of {} rows, pages of {})\n", file, file_mib,
                 split ? "BYTE_STREAM_SPLIT, times DELTA_BINARY_PACKED" : "PLAIN", st::kBarRowGroupRows,
                 st::kBarPageRows);
    }
  }
  if (wants("sweep")) {
    std::vector<st::Bar> small;
    {
      st::config::SynthConfig s = synth;
      s.bars = sweep_bars;
      auto source = st::make_synth(s, st::kNsPerMinute);
      for (st::Bar b; source->next(b);) small.push_back(b);
    }
    std::vector<st::config::ConfigSet> cfgs;
    for (const auto& set : sweep_sets()) {
      st::config::LoadOptions lo;
      lo.overrides = set;
      cfgs.push_back(st::config::load_config(config, &registry, lo, diags));
    }
    if (!diags.empty()) {
      std::cerr << diags.to_string();
      return 1;
    }
    // Each twice, alternating (1, N, 1, N), best of two: the first pass also warms the page cache.
    std::vector<Result> one, many;
    const auto faster = [](const SweepPass& a, const SweepPass& b) { return a.seconds <= b.seconds ? a : b; };
    SweepPass p1 = run_sweep(cfgs, registry, small, out, 1, one);
    SweepPass pn = run_sweep(cfgs, registry, small, out, threads, many);
    p1 = faster(p1, run_sweep(cfgs, registry, small, out, 1, one));
    pn = faster(pn, run_sweep(cfgs, registry, small, out, threads, many));
    const double t1 = p1.seconds, tn = pn.seconds;
    bool identical = true;
    for (std::size_t i = 0; i < one.size(); ++i)
      identical = identical && one[i].final_equity == many[i].final_equity && one[i].journal == many[i].journal &&
                  one[i].trades == many[i].trades;
    const double total = static_cast<double>(sweep_bars) * static_cast<double>(cfgs.size());
    fmt::print("sweep: {} parameter sets x {} bars = {:.0f} bars\n", cfgs.size(), sweep_bars, total);
    // The CPU time of each pass, user and kernel: the kernel's share (writing 64 journals, ~2.5 GB
    // at 1 M bars each) is work the threads share with the machine, not the engine's.
    fmt::print("  1 thread   {:>8.3f} s  {:>12.0f} bars/s                 cpu: user {:.2f} s, kernel {:.2f} s\n", t1,
               total / t1, p1.cpu.user, p1.cpu.kernel);
    fmt::print("  {} threads {:>8.3f} s  {:>12.0f} bars/s  speed-up x{:.2f}  cpu: user {:.2f} s, kernel {:.2f} s\n",
               threads, tn, total / tn, t1 / tn, pn.cpu.user, pn.cpu.kernel);
    fmt::print("  results identical: {}\n", identical ? "yes" : "NO");
    report["sweep"] = {{"sets", cfgs.size()},
                       {"bars_per_set", sweep_bars},
                       {"threads", threads},
                       {"one_thread_seconds", t1},
                       {"threads_seconds", tn},
                       {"speed_up", t1 / tn},
                       {"results_identical", identical}};
    // The last pass's journals went as each set finished (an error may have left one).
    for (std::size_t i = 0; i < cfgs.size(); ++i) std::filesystem::remove_all(fmt::format("{}/sweep-{}", out, i));
    if (!identical) {
      write_json(json_path, report);
      return 1;
    }
  }
  if (!series.empty())
    fmt::print("(median of {} run(s); the in-memory series itself takes {:.0f} MiB of the RSS)\n", runs,
               static_cast<double>(series.size() * sizeof(st::Bar)) / 1048576.0);
  if (g_clock_ghz > 0) {
    const double after = clock_ghz();
    fmt::print("clock after the runs: {:.2f} GHz\n", after);
    report["clock_ghz_after"] = after;
  }
  if (base)
    report["comparison"] =
        st::bench::print_comparison(*base, compare_path, st::bench::parse_report(report, "this run"));
  return write_json(json_path, report) ? 0 : 1;
}

}  // namespace

// Any failure (a folder that cannot be made, a run that stops with an error) ends with its reason
// and exit status 1, never an uncaught exception.
int main(int argc, char** argv) {
  try {
    return bench_main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
