// report.html: one self-contained page per strategy link (no scripts from elsewhere, no fonts,
// no network): equity and drawdown charts (inline SVG), monthly returns, the metrics with their
// conventions, every trade with a link to its causal chain, and the rejected opportunities.
//
// It is built from the run directory alone (summary.json, equity.csv, trades.csv, journal.jsonl),
// so `s1mpletrader report --run DIR` can regenerate it at any time.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace st {

// A curve as the report draws it: at most kMaxChartPoints (index, value) points (the min and max
// of each of kMaxChartPoints / 2 equal buckets of bars, in order, so spikes and drawdowns
// survive), and the range of all values.
struct ChartSeries {
  std::vector<std::pair<std::size_t, double>> points;
  std::size_t count = 0;  // values the points stand for
  double lo = 0, hi = 0;
};

struct ReportData {
  nlohmann::ordered_json summary;
  // equity.csv, reduced as it is read: a run of any length costs a few thousand points here.
  ChartSeries equity, drawdown;                          // drawdown in % from the running peak, <= 0
  std::string first_time, last_time;                     // timestamp text of the first and last row
  std::vector<std::pair<std::string, double>> month_ends;  // "YYYY-MM", equity at its last row
  struct Trade {  // trades.csv's columns the report shows
    std::string trade_id, direction, entry_time, entry_price, size, exit_time, exit_price, exit_reason, pnl_net, bars_held;
  };
  std::vector<Trade> trades;
  // What the report shows of journal.jsonl, reduced as it is read: it costs memory by trades,
  // not by bars or by the opportunities no trade took.
  struct TradeChain {               // the entries that name a trade, in journal order
    std::string opportunity_id;     // the first one's that names an opportunity
    std::string reasons;            // "\n" + each TRADE_PLANNED's exit and size rationale
    std::string threat_id, exit_opportunity_id;  // its (last) TRADE_CLOSED's
  };
  std::unordered_map<std::string, TradeChain> chains;         // by trade_id
  std::unordered_map<std::string, std::string> opportunities;  // the trades' ones: "SIGNAL by worker: key=value ..."
  struct Threat {
    std::string type, text;  // text: "TYPE (SEVERITY) from worker: message"
  };
  std::unordered_map<std::string, Threat> threats;  // by threat_id
  struct Rejection {
    std::string timestamp, opportunity_id, worker, phase, reason, threat_id;
  };
  std::vector<Rejection> rejections;  // the first kMaxRejections
  std::size_t rejected = 0;           // all OPPORTUNITY_REJECTED entries
};

// Reduces equity rows, in order, into `data`'s charts and month ends. The number of rows is given
// first (it fixes the charts' buckets).
class EquityReducer {
 public:
  EquityReducer(ReportData& data, std::size_t rows);
  void add(std::string_view time, double equity);

 private:
  struct Bucketing {  // min and max of each bucket of rows [b * rows / buckets, (b + 1) * rows / buckets)
    Bucketing(ChartSeries& series, std::size_t rows);
    void add(double v);
    ChartSeries& series;
    std::size_t rows, buckets, bucket = 0, end;
    bool fresh = true;  // the next value starts a bucket
    std::size_t imin = 0, imax = 0;
    double vmin = 0, vmax = 0;
  };
  ReportData& data_;
  Bucketing equity_, drawdown_;
  double peak_ = 0;
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
