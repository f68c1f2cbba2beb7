// report.html: one self-contained page per strategy link (no scripts from elsewhere, no fonts,
// no network): equity and drawdown charts (inline SVG), monthly returns, the metrics with their
// conventions, every trade with a link to its causal chain, and the rejected opportunities.
//
// It is built from the run directory alone (summary.json, equity.csv, trades.csv, journal.jsonl),
// so `s1mpletrader report --run DIR` can regenerate it at any time.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace st {

struct ReportData {
  nlohmann::ordered_json summary;
  std::vector<std::pair<std::string, double>> equity;  // timestamp text, equity
  std::vector<std::map<std::string, std::string>> trades;
  std::vector<nlohmann::ordered_json> journal;
};

// Reads a link's run folder; throws st::Error naming the file when one is missing or corrupt.
ReportData read_report_data(const std::string& link_dir);
std::string render_report_html(const ReportData& data);
// Writes <link_dir>/report.html and returns its path.
std::string write_report(const std::string& link_dir);

// Curves are drawn with at most this many points (min and max of each bucket are kept, so
// spikes and drawdowns survive the downsampling).
inline constexpr std::size_t kMaxChartPoints = 2000;
// Rejected opportunities listed one by one (all of them are counted by reason).
inline constexpr std::size_t kMaxRejections = 2000;

}  // namespace st
