// Performance metrics of a run, each computed exactly as its label says, with the convention it
// uses stated next to it (docs/metrics.md). Peers disagree on most definitions (Sharpe alone
// has five); the presets reproduce LEAN's, NautilusTrader's and vectorbt's.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "backend/core/time.h"

namespace st {

enum class MetricsConvention { kDefault, kLean, kNautilus, kVectorbt };
const char* to_string(MetricsConvention c);
std::optional<MetricsConvention> parse_metrics_convention(std::string_view text);

struct MetricsSettings {
  MetricsConvention convention = MetricsConvention::kDefault;
  int annualization = 0;        // periods per year of the daily returns; 0 = auto (365 if the data trades on weekends, else 252)
  double risk_free_rate = 0.0;  // annual
};

struct EquityPoint {
  Timestamp time;
  double equity = 0;
  bool in_market = false;  // a position was open at this bar's close
};

struct TradeResult {
  Timestamp entry_time, exit_time;
  bool closed = false;
  double pnl_net = 0;
  double fees = 0;
  double risk = 0;  // initial risk in currency (|entry - stop| x size); 0 = no stop, no R-multiple
  std::int64_t bars_held = 0;
};

struct Drawdown {
  double depth = 0;  // fraction of the peak, >= 0
  std::optional<Timestamp> peak, trough, recovery;
  std::int64_t duration_days = 0;  // peak -> recovery (or -> the end while not recovered)
};

struct Metrics {
  // Returns and risk (daily mark-to-market samples: the last equity of each UTC day).
  double total_return = 0;
  std::optional<double> cagr;
  std::optional<double> volatility;  // annualized
  std::optional<double> sharpe, sortino, calmar;
  Drawdown max_drawdown;
  double exposure = 0;  // fraction of bars with a position open
  // Trades (closed ones; an open position at the end is reported separately).
  std::int64_t trades = 0, wins = 0, losses = 0, breakeven = 0, open_trades = 0;
  std::optional<double> win_rate, profit_factor, expectancy, expectancy_r, average_win, average_loss;
  std::optional<double> largest_win, largest_loss, average_bars_held, average_holding_days, sqn;
  double fees = 0;
  // What was used.
  int annualization = 252;
  std::string annualization_reason;
  std::size_t return_samples = 0;
  MetricsSettings settings;
};

// What the metrics need of the equity curve, kept as the bars stream by: a run of any length
// holds one number per day (the daily returns) and a few running values, not the curve.
class EquityCurveStats {
 public:
  explicit EquityCurveStats(double initial_equity) : initial_(initial_equity), prev_close_(initial_equity) {}
  void add(const EquityPoint& p);

  // The daily mark-to-market returns the ratios use: the last equity of each UTC day against the
  // previous day's (the initial equity before the first day).
  std::vector<double> daily_returns() const;

 private:
  friend Metrics compute_metrics(const EquityCurveStats&, const std::vector<TradeResult>&, const MetricsSettings&);
  double initial_;
  std::size_t bars_ = 0, in_market_ = 0;
  bool weekend_ = false;
  Timestamp first_, last_;
  double last_equity_ = 0;
  std::int64_t day_ = 0;     // UTC day of the last bar
  double prev_close_;        // the previous day's last equity
  std::vector<double> daily_;  // returns of the days before the last bar's
  // Max drawdown: the running peak, the deepest drawdown so far and its recovery.
  double peak_ = 0;
  Timestamp peak_time_;
  double dd_peak_value_ = 0;
  Drawdown max_dd_;
};

Metrics compute_metrics(const EquityCurveStats& equity, const std::vector<TradeResult>& trades,
                        const MetricsSettings& settings);
// `initial_equity` is the equity before the first bar.
Metrics compute_metrics(const std::vector<EquityPoint>& equity, double initial_equity,
                        const std::vector<TradeResult>& trades, const MetricsSettings& settings);

std::vector<double> daily_returns(const std::vector<EquityPoint>& equity, double initial_equity);

// {"metrics": {...}, "conventions": {...}}: every value with the convention it uses.
nlohmann::ordered_json metrics_json(const Metrics& m);
std::string metrics_markdown(const nlohmann::ordered_json& metrics_and_conventions);

}  // namespace st
