#pragma once
// bench --compare: a run's figures against an earlier report (--json), workload by workload — the
// change in ns and in cycles per bar, whether it is beyond the spread of the two sets of runs, and
// whether the results (trades, journal entries) are the same where the series is.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace st::bench {

// A report that cannot be read or is not one: the message names the file and where (a JSON syntax
// error's line and column, or the key path of a missing or wrong figure).
class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ReportRow {
  std::string name;
  double ns_per_bar = 0;
  std::optional<double> cycles_per_bar;  // null where the clock was not measured
  double fastest = 0, slowest = 0;       // of runs_ns_per_bar
  std::size_t runs = 0;
  std::int64_t trades = 0, journal_entries = 0;
};

// What the comparison prints of the sweep.
struct ReportSweep {
  std::int64_t sets = 0, bars_per_set = 0, threads = 0;
  double one_thread_seconds = 0, speed_up = 0;
};

// What --compare reads of a report, checked: the conditions, the series and each workload's figures.
struct Report {
  std::string cpu, kernel, compiler, build_type, build_flags, date;
  std::string cpu_id;  // "family F, model M, stepping S"; empty where not measured (or before round 13)
  std::int64_t logical_cpus = 0;
  bool assertions = false;
  std::int64_t bars = 0, runs = 0;
  std::uint64_t seed = 0;
  std::vector<ReportRow> rows;
  std::optional<ReportSweep> sweep;
};

// Reads a report as this program writes it with --json; `file` names it in errors.
Report parse_report(const nlohmann::ordered_json& j, const std::string& file);
// Reads and parses the file; throws ReportError naming it (cannot read it, not JSON, not a report).
Report read_report(const std::string& path);

// Prints the comparison of `now` with `base` (read from `base_file`) and returns it for --json.
nlohmann::ordered_json print_comparison(const Report& base, const std::string& base_file, const Report& now);

}  // namespace st::bench
