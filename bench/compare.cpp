#include "compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <filesystem>
#include <utility>

#include "backend/core/atomic_file.h"

namespace st::bench {

namespace {

using Json = nlohmann::ordered_json;

// Reads the figures of one report, each checked for its type; an error names the file and the
// key path (`workloads[2].ns_per_bar`) and says what was expected and what is there.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw ReportError(fmt::format("{}: {}: {}", file_, path, what));
  }

  const Json& at(const Json& obj, const std::string& path, const char* key) const {
    const auto it = obj.find(key);
    if (it == obj.end()) fail(join(path, key), "missing");
    return *it;
  }
  const Json& object(const Json& obj, const std::string& path, const char* key) const {
    const Json& v = at(obj, path, key);
    if (!v.is_object()) expected(join(path, key), "an object", v);
    return v;
  }
  std::string text(const Json& obj, const std::string& path, const char* key) const {
    const Json& v = at(obj, path, key);
    if (!v.is_string()) expected(join(path, key), "a text", v);
    return v.get<std::string>();
  }
  bool boolean(const Json& obj, const std::string& path, const char* key) const {
    const Json& v = at(obj, path, key);
    if (!v.is_boolean()) expected(join(path, key), "true or false", v);
    return v.get<bool>();
  }
  std::int64_t count(const Json& obj, const std::string& path, const char* key, std::int64_t min) const {
    const Json& v = at(obj, path, key);
    if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX) ||
        v.get<std::int64_t>() < min)
      expected(join(path, key), fmt::format("a whole number of at least {}", min), v);
    return v.get<std::int64_t>();
  }
  double positive(const Json& v, const std::string& path) const {
    if (!v.is_number() || !(v.get<double>() > 0)) expected(path, "a number above 0", v);
    return v.get<double>();
  }
  double positive(const Json& obj, const std::string& path, const char* key) const {
    return positive(at(obj, path, key), join(path, key));
  }

  static std::string join(const std::string& path, const char* key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  [[noreturn]] void expected(const std::string& path, const std::string& what, const Json& found) const {
    std::string shown = found.dump();
    if (shown.size() > 40) shown = shown.substr(0, 37) + "...";
    fail(path, fmt::format("expected {}, found {}", what, shown));
  }
  std::string file_;
};

std::string signed_percent(double now, double base) {
  return fmt::format("{:+.1f} %", (now / base - 1) * 100);
}

// The spread of the runs decides: a change is one when every run of one set is beyond every run of
// the other. Sets of one or two runs say nothing about the noise.
enum class Verdict { kFaster, kSlower, kWithinSpread, kTooFewRuns };

bool is_change(Verdict v) { return v == Verdict::kFaster || v == Verdict::kSlower; }

Verdict verdict(const ReportRow& base, const ReportRow& now) {
  if (base.runs < 3 || now.runs < 3) return Verdict::kTooFewRuns;
  if (now.slowest < base.fastest) return Verdict::kFaster;
  if (now.fastest > base.slowest) return Verdict::kSlower;
  return Verdict::kWithinSpread;
}

// As --json writes it, and as the text says it.
const char* verdict_key(Verdict v) {
  constexpr const char* kKeys[] = {"faster", "slower", "within_spread", "too_few_runs"};
  return kKeys[static_cast<int>(v)];
}
const char* verdict_text(Verdict v) {
  constexpr const char* kTexts[] = {
      "faster: every run faster than the base's fastest", "slower: every run slower than the base's slowest",
      "within the spread of the runs", "too few runs to tell a change from noise (--runs 3 or more on both)"};
  return kTexts[static_cast<int>(v)];
}

const ReportRow* row_named(const Report& r, std::string_view name) {
  const auto it =
      std::find_if(r.rows.begin(), r.rows.end(), [&](const ReportRow& x) { return x.name == name; });
  return it == r.rows.end() ? nullptr : &*it;
}

}  // namespace

Report parse_report(const Json& j, const std::string& file) {
  const Reader r(file);
  if (!j.is_object())
    throw ReportError(fmt::format("{}: expected an object at the top, as --json writes", file));
  if (j.value("benchmark", Json()) != "s1mpletrader-bench")
    r.fail("benchmark", "expected \"s1mpletrader-bench\": not a report of this benchmark's --json");
  Report rep;
  const Json& c = r.object(j, "", "conditions");
  rep.cpu = r.text(c, "conditions", "cpu");
  if (c.contains("cpu_id")) rep.cpu_id = r.text(c, "conditions", "cpu_id");
  rep.logical_cpus = r.count(c, "conditions", "logical_cpus", 1);
  rep.kernel = r.text(c, "conditions", "kernel");
  rep.compiler = r.text(c, "conditions", "compiler");
  rep.build_type = r.text(c, "conditions", "build_type");
  rep.build_flags = r.text(c, "conditions", "build_flags");
  rep.assertions = r.boolean(c, "conditions", "assertions");
  rep.date = r.text(c, "conditions", "date");
  rep.bars = r.count(j, "", "bars", 1);
  rep.runs = r.count(j, "", "runs", 1);
  const Json& seed = r.at(j, "", "seed");
  if (!seed.is_number_unsigned() && !(seed.is_number_integer() && seed.get<std::int64_t>() >= 0))
    r.fail("seed", "expected a whole number of at least 0");
  rep.seed = seed.get<std::uint64_t>();
  const Json& rows = r.at(j, "", "workloads");
  if (!rows.is_array()) r.fail("workloads", "expected an array of workloads");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string path = fmt::format("workloads[{}]", i);
    const Json& w = rows[i];
    if (!w.is_object()) r.fail(path, "expected an object");
    ReportRow row;
    row.name = r.text(w, path, "name");
    if (row_named(rep, row.name) != nullptr)
      r.fail(Reader::join(path, "name"), fmt::format("\"{}\" twice", row.name));
    row.ns_per_bar = r.positive(w, path, "ns_per_bar");
    const Json& cycles = r.at(w, path, "cycles_per_bar");
    if (!cycles.is_null()) row.cycles_per_bar = r.positive(cycles, Reader::join(path, "cycles_per_bar"));
    const std::string runs_path = Reader::join(path, "runs_ns_per_bar");
    const Json& runs = r.at(w, path, "runs_ns_per_bar");
    if (!runs.is_array() || runs.empty()) r.fail(runs_path, "expected an array of each run's ns per bar");
    row.fastest = row.slowest = r.positive(runs[0], runs_path + "[0]");
    for (std::size_t k = 1; k < runs.size(); ++k) {
      const double v = r.positive(runs[k], fmt::format("{}[{}]", runs_path, k));
      row.fastest = std::min(row.fastest, v);
      row.slowest = std::max(row.slowest, v);
    }
    row.runs = runs.size();
    if (!(row.fastest <= row.ns_per_bar && row.ns_per_bar <= row.slowest))
      r.fail(Reader::join(path, "ns_per_bar"),
             fmt::format("{} is not between its runs' fastest {} and slowest {}", row.ns_per_bar, row.fastest,
                         row.slowest));
    row.trades = r.count(w, path, "trades", 0);
    row.journal_entries = r.count(w, path, "journal_entries", 0);
    rep.rows.push_back(std::move(row));
  }
  if (j.contains("sweep")) {
    const Json& s = r.object(j, "", "sweep");
    ReportSweep sw;
    sw.sets = r.count(s, "sweep", "sets", 1);
    sw.bars_per_set = r.count(s, "sweep", "bars_per_set", 1);
    sw.threads = r.count(s, "sweep", "threads", 1);
    sw.one_thread_seconds = r.positive(s, "sweep", "one_thread_seconds");
    sw.speed_up = r.positive(s, "sweep", "speed_up");
    rep.sweep = sw;
  }
  return rep;
}

Report read_report(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw ReportError(fmt::format("{}: no such file", path));
  if (std::filesystem::is_directory(path, ec))
    throw ReportError(fmt::format("{}: is a folder, not a report", path));
  std::string text, why;
  if (!st::read_file(path, text, why)) throw ReportError(fmt::format("{}: cannot read it: {}", path, why));
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // nlohmann's message says where ("parse error at line 3, column 7: ..."); its id prefix goes.
    std::string what = e.what();
    if (const auto at = what.find("] "); at != std::string::npos) what.erase(0, at + 2);
    throw ReportError(fmt::format("{}: not JSON: {}", path, what));
  }
  return parse_report(j, path);
}

Json print_comparison(const Report& base, const std::string& base_file, const Report& now) {
  Json out;
  out["base"] = base_file;
  out["base_date"] = base.date;
  fmt::print("compared with {} (measured {}: {} bars, seed {}, {} run(s) per workload):\n", base_file,
             base.date, base.bars, base.seed, base.runs);
  // What differs between the two measurements; ns per bar compare across machines and clocks only
  // roughly, cycles per bar better.
  Json differences = Json::array();
  std::vector<std::string> said;
  const auto differ = [&](const char* what, const auto& b, const auto& n) {
    if (b == n) return;
    differences.push_back({{"what", what}, {"base", b}, {"now", n}});
    said.push_back(fmt::format("{} {} (base {})", what, n, b));
  };
  differ("cpu", base.cpu, now.cpu);
  // A report from before round 13 has no family and model: the same name ("AMD EPYC") may be
  // another generation, so that is said too.
  const auto or_unrecorded = [](const std::string& id) { return id.empty() ? std::string("not recorded") : id; };
  if (!base.cpu_id.empty() || !now.cpu_id.empty()) differ("cpu_id", or_unrecorded(base.cpu_id), or_unrecorded(now.cpu_id));
  differ("logical_cpus", base.logical_cpus, now.logical_cpus);
  differ("kernel", base.kernel, now.kernel);
  differ("compiler", base.compiler, now.compiler);
  differ("build_type", base.build_type, now.build_type);
  differ("build_flags", base.build_flags, now.build_flags);
  differ("assertions", base.assertions, now.assertions);
  differ("bars", base.bars, now.bars);
  differ("seed", base.seed, now.seed);
  if (said.empty()) {
    fmt::print("  the same CPU, logical CPUs, kernel, compiler, build and series as the base\n");
  } else {
    fmt::print("  differs from the base in: ");
    for (std::size_t i = 0; i < said.size(); ++i) fmt::print("{}{}", i ? "; " : "", said[i]);
    fmt::print("\n");
  }
  if (base.assertions || now.assertions)
    fmt::print("  warning: {} built with assertions on: its figures do not compare\n",
               base.assertions && now.assertions ? "both were"
               : base.assertions                 ? "the base was"
                                                 : "this one was");
  out["differences"] = std::move(differences);
  const bool same_series = base.bars == now.bars && base.seed == now.seed;
  std::optional<Verdict> feed;  // the control's verdict, when both sets ran it
  bool moved = false;           // some other workload is faster or slower
  Json rows = Json::array();
  for (const ReportRow& n : now.rows) {
    const ReportRow* in_base = row_named(base, n.name);
    if (in_base == nullptr) {
      fmt::print("  {}: not in the base\n", n.name);
      continue;
    }
    const ReportRow& b = *in_base;
    const Verdict v = verdict(b, n);
    if (n.name == "feed")
      feed = v;
    else
      moved = moved || is_change(v);
    std::string line = fmt::format("  {}: {:.1f} -> {:.1f} ns per bar ({})", n.name, b.ns_per_bar,
                                   n.ns_per_bar, signed_percent(n.ns_per_bar, b.ns_per_bar));
    if (b.cycles_per_bar && n.cycles_per_bar)
      line += fmt::format(", {:.0f} -> {:.0f} cycles ({})", *b.cycles_per_bar, *n.cycles_per_bar,
                          signed_percent(*n.cycles_per_bar, *b.cycles_per_bar));
    line += fmt::format("; runs {:.1f}-{:.1f} -> {:.1f}-{:.1f}: {}", b.fastest, b.slowest, n.fastest,
                        n.slowest, verdict_text(v));
    // The same series through the same engine gives the same trades and journal: a difference is a
    // change of results (or of the configuration), not of speed.
    const char* results = "not_compared";
    if (same_series) {
      const bool same = b.trades == n.trades && b.journal_entries == n.journal_entries;
      results = same ? "same" : "different";
      line += same ? fmt::format("; same trades ({}) and journal entries ({})", n.trades, n.journal_entries)
                   : fmt::format("; RESULTS DIFFER: trades {} (base {}), journal entries {} (base {})",
                                 n.trades, b.trades, n.journal_entries, b.journal_entries);
    }
    fmt::print("{}\n", line);
    rows.push_back({{"name", n.name},
                    {"base_ns_per_bar", b.ns_per_bar},
                    {"ns_per_bar", n.ns_per_bar},
                    {"change_percent", (n.ns_per_bar / b.ns_per_bar - 1) * 100},
                    {"base_cycles_per_bar", b.cycles_per_bar ? Json(*b.cycles_per_bar) : Json()},
                    {"cycles_per_bar", n.cycles_per_bar ? Json(*n.cycles_per_bar) : Json()},
                    {"verdict", verdict_key(v)},
                    {"results", results}});
  }
  for (const ReportRow& b : base.rows)
    if (row_named(now, b.name) == nullptr) fmt::print("  {}: in the base, not run here\n", b.name);
  if (!same_series)
    fmt::print("  (other bars or seed than the base's: trades and journal entries not compared)\n");
  out["workloads"] = std::move(rows);
  // The feed is the control: bars through the environment only, code that rarely changes. When it
  // moved beyond its runs' spread too, the machine's speed moved between the sets (on this project's
  // VM by up to 1.6x within minutes, at the same clock), and a verdict says as much about the
  // machine as about the code.
  const bool feed_moved = feed && is_change(*feed);
  out["feed_moved"] = feed_moved;
  if (feed_moved) {
    const ReportRow &b = *row_named(base, "feed"), &n = *row_named(now, "feed");
    fmt::print(
        "  note: the feed (bars through the environment only) is {} too ({}): unless its code changed,\n"
        "  the machine ran at another speed in the two sets; compare sets taken side by side\n",
        verdict_key(*feed), signed_percent(n.ns_per_bar, b.ns_per_bar));
  } else if (feed && moved) {
    // A steady feed says the clock held, not that the host left the core and its caches alone: in
    // round 14 the reference ran 27.6 % slower on the same 985.2 instructions a bar while the feed
    // stayed within its spread.
    fmt::print(
        "  note: the feed stayed within its spread, but a busy host can slow the larger workloads alone;\n"
        "  confirm a change with sets taken side by side\n");
  }
  if (base.sweep && now.sweep) {
    const ReportSweep &b = *base.sweep, &n = *now.sweep;
    fmt::print("  sweep: speed-up x{:.2f} -> x{:.2f} ({} -> {} threads); 1 thread {:.3f} -> {:.3f} s",
               b.speed_up, n.speed_up, b.threads, n.threads, b.one_thread_seconds, n.one_thread_seconds);
    if (b.sets != n.sets || b.bars_per_set != n.bars_per_set)
      fmt::print(" (other sets: {} x {} bars, base {} x {})", n.sets, n.bars_per_set, b.sets, b.bars_per_set);
    fmt::print("\n");
    out["sweep"] = {{"base_speed_up", b.speed_up}, {"speed_up", n.speed_up}};
  }
  return out;
}

}  // namespace st::bench
