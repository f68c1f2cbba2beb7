// Metrics on small fixtures whose values are worked out by hand in the comments.
#include "services/metrics/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace st {
namespace {

Timestamp day(int d) { return Timestamp{(19723 + d) * kNsPerDay}; }  // 2024-01-01 (a Monday) + d

std::vector<EquityPoint> curve(const std::vector<double>& eq, int step_days = 1) {
  std::vector<EquityPoint> out;
  for (std::size_t i = 0; i < eq.size(); ++i) out.push_back({day(static_cast<int>(i) * step_days), eq[i], false});
  return out;
}

TEST(Metrics, ReturnsDrawdownAndRatiosOfAFourDayCurve) {
  // Equity 100 -> 110, 99, 108.9, 121 (initial 100). Daily returns: 0.1, -0.1, 0.1, 0.1111...
  const auto eq = curve({110, 99, 108.9, 121});
  MetricsSettings s;
  s.annualization = 252;
  const Metrics m = compute_metrics(eq, 100, {}, s);
  EXPECT_NEAR(m.total_return, 0.21, 1e-12);
  const std::vector<double> r = {0.1, -0.1, 0.1, 121.0 / 108.9 - 1};
  const auto got = daily_returns(eq, 100);
  ASSERT_EQ(got.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(got[i], r[i], 1e-15);
  const double mu = (r[0] + r[1] + r[2] + r[3]) / 4;
  double ss = 0;
  for (double x : r) ss += (x - mu) * (x - mu);
  const double sd = std::sqrt(ss / 3);
  EXPECT_NEAR(*m.sharpe, mu / sd * std::sqrt(252.0), 1e-12);
  EXPECT_NEAR(*m.volatility, sd * std::sqrt(252.0), 1e-12);
  // Sortino (default): downside deviation sqrt(0.01 / 4) = 0.05.
  EXPECT_NEAR(*m.sortino, mu * 252 / (0.05 * std::sqrt(252.0)), 1e-9);
  // Drawdown: peak 110 on day 0, trough 99 on day 1 (10%), recovered on day 3 (121 >= 110).
  EXPECT_NEAR(m.max_drawdown.depth, 0.1, 1e-12);
  EXPECT_EQ(format_iso(*m.max_drawdown.peak), "2024-01-01T00:00:00Z");
  EXPECT_EQ(format_iso(*m.max_drawdown.trough), "2024-01-02T00:00:00Z");
  EXPECT_EQ(format_iso(*m.max_drawdown.recovery), "2024-01-04T00:00:00Z");
  EXPECT_EQ(m.max_drawdown.duration_days, 3);
  // CAGR over 3 calendar days: 1.21^(365/3) - 1; Calmar = CAGR / 0.1.
  EXPECT_NEAR(*m.cagr, std::pow(1.21, 365.0 / 3) - 1, 1e-6 * std::pow(1.21, 365.0 / 3));
  EXPECT_NEAR(*m.calmar, *m.cagr / 0.1, 1e-6 * *m.calmar);
}

TEST(Metrics, PresetsFollowLeanNautilusAndVectorbt) {
  const auto eq = curve({110, 99, 108.9, 121});
  const std::vector<double> r = {0.1, -0.1, 0.1, 121.0 / 108.9 - 1};
  const double mu = (r[0] + r[1] + r[2] + r[3]) / 4;
  double ss = 0;
  for (double x : r) ss += (x - mu) * (x - mu);
  const double sd = std::sqrt(ss / 3);
  MetricsSettings s;
  s.annualization = 365;
  s.convention = MetricsConvention::kLean;
  s.risk_free_rate = 0.02;
  Metrics m = compute_metrics(eq, 100, {}, s);
  const double ann_perf = std::pow(1 + mu, 365.0) - 1;
  EXPECT_NEAR(*m.sharpe, (ann_perf - 0.02) / (sd * std::sqrt(365.0)), 1e-9 * std::fabs(*m.sharpe));
  EXPECT_FALSE(m.sortino.has_value());  // one negative return: its sample std is undefined
  s.convention = MetricsConvention::kNautilus;
  m = compute_metrics(eq, 100, {}, s);
  EXPECT_NEAR(*m.sharpe, mu / sd * std::sqrt(365.0), 1e-12);  // rf ignored
  EXPECT_NEAR(*m.sortino, mu / std::sqrt(0.01 / 4) * std::sqrt(365.0), 1e-9);
  s.convention = MetricsConvention::kVectorbt;
  m = compute_metrics(eq, 100, {}, s);
  const double rf = 0.02 / 365;
  EXPECT_NEAR(*m.sharpe, (mu - rf) / sd * std::sqrt(365.0), 1e-12);
  double down = 0;
  for (double x : r) down += std::pow(std::min(x - rf, 0.0), 2);
  EXPECT_NEAR(*m.sortino, (mu - rf) * 365 / (std::sqrt(down / 4) * std::sqrt(365.0)), 1e-9);
}

TEST(Metrics, TradeStatistics) {
  std::vector<TradeResult> t = {
      {day(0), day(2), true, 100, 2, 50, 2},   // +2R
      {day(2), day(3), true, -50, 2, 50, 1},   // -1R
      {day(3), day(5), true, 0, 2, 0, 2},      // breakeven, no stop
      {day(5), day(9), true, 250, 2, 100, 4},  // +2.5R
      {day(9), day(9), false, 0, 1, 0, 0},     // still open
  };
  const Metrics m = compute_metrics(curve({100, 101}), 100, t, {});
  EXPECT_EQ(m.trades, 4);
  EXPECT_EQ(m.wins, 2);
  EXPECT_EQ(m.losses, 1);
  EXPECT_EQ(m.breakeven, 1);
  EXPECT_EQ(m.open_trades, 1);
  EXPECT_DOUBLE_EQ(*m.win_rate, 0.5);  // breakeven is a non-win
  EXPECT_DOUBLE_EQ(*m.profit_factor, 350.0 / 50.0);
  EXPECT_DOUBLE_EQ(*m.expectancy, 300.0 / 4);
  EXPECT_DOUBLE_EQ(*m.expectancy_r, (2.0 - 1.0 + 2.5) / 3);
  EXPECT_DOUBLE_EQ(*m.average_win, 175);
  EXPECT_DOUBLE_EQ(*m.average_loss, -50);
  EXPECT_DOUBLE_EQ(*m.largest_win, 250);
  EXPECT_DOUBLE_EQ(*m.largest_loss, -50);
  EXPECT_DOUBLE_EQ(*m.average_bars_held, 9.0 / 4);
  EXPECT_DOUBLE_EQ(*m.average_holding_days, 9.0 / 4);
  EXPECT_DOUBLE_EQ(m.fees, 9);
  // SQN: mean 75, sample std of {100, -50, 0, 250}.
  const double sd = std::sqrt((25.0 * 25 + 125.0 * 125 + 75.0 * 75 + 175.0 * 175) / 3);
  EXPECT_NEAR(*m.sqn, 2 * 75 / sd, 1e-12);
}

TEST(Metrics, EdgeCases) {
  // No trades, flat equity: ratios undefined (null), not zero or infinite.
  Metrics flat = compute_metrics(curve({100, 100, 100}), 100, {}, {});
  EXPECT_EQ(flat.total_return, 0);
  EXPECT_FALSE(flat.sharpe);
  EXPECT_FALSE(flat.sortino);
  EXPECT_FALSE(flat.win_rate);
  EXPECT_EQ(flat.max_drawdown.depth, 0);
  EXPECT_FALSE(flat.max_drawdown.peak);
  EXPECT_FALSE(flat.calmar);
  // One bar.
  Metrics one = compute_metrics(curve({105}), 100, {}, {});
  EXPECT_NEAR(one.total_return, 0.05, 1e-15);
  EXPECT_FALSE(one.cagr);
  EXPECT_FALSE(one.sharpe);
  // No losing trade: profit factor undefined.
  Metrics winners = compute_metrics(curve({100, 110}), 100, {{day(0), day(1), true, 10, 0, 0, 1}}, {});
  EXPECT_FALSE(winners.profit_factor);
  EXPECT_FALSE(winners.sqn);  // one trade: std undefined
  EXPECT_DOUBLE_EQ(*winners.win_rate, 1.0);
  // A drawdown never recovered: duration runs to the end.
  Metrics under = compute_metrics(curve({120, 90, 100}), 100, {}, {});
  EXPECT_NEAR(under.max_drawdown.depth, 0.25, 1e-15);
  EXPECT_FALSE(under.max_drawdown.recovery);
  EXPECT_EQ(under.max_drawdown.duration_days, 2);
  // No data at all.
  Metrics empty = compute_metrics({}, 100, {}, {});
  EXPECT_EQ(empty.return_samples, 0u);
  // The JSON says null for undefined values and carries every convention.
  const auto j = metrics_json(flat);
  EXPECT_TRUE(j["metrics"]["sharpe"].is_null());
  EXPECT_NE(j["conventions"]["sharpe"].get<std::string>().find("ddof=1"), std::string::npos);
}

TEST(Metrics, AnnualizationIsDetectedFromWeekendBars) {
  // Weekdays only (2024-01-01 is a Monday).
  EXPECT_EQ(compute_metrics(curve({100, 101, 102, 103, 104}), 100, {}, {}).annualization, 252);
  // Seven days in a row include a weekend.
  EXPECT_EQ(compute_metrics(curve({100, 101, 102, 103, 104, 105, 106}), 100, {}, {}).annualization, 365);
  MetricsSettings s;
  s.annualization = 12;
  EXPECT_EQ(compute_metrics(curve({100, 101}), 100, {}, s).annualization_reason, "configured");
}

TEST(Metrics, IntradayBarsAreSampledAtTheLastBarOfEachDay) {
  std::vector<EquityPoint> eq;
  for (int h = 0; h < 48; ++h) eq.push_back({Timestamp{day(0).ns + h * kNsPerHour}, 100.0 + h, false});
  const auto r = daily_returns(eq, 100);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_NEAR(r[0], 123.0 / 100 - 1, 1e-15);
  EXPECT_NEAR(r[1], 147.0 / 123 - 1, 1e-15);
}

TEST(Metrics, StreamedDrawdownMatchesTheDefinitionOnRandomCurves) {
  // The curve is summarized bar by bar (EquityCurveStats); here the drawdown is found from its
  // definition over all pairs of bars: the largest 1 - e[j] / max(initial, e[0..j]), its peak the
  // last bar at that maximum (the initial equity counts as the first bar's), recovery the first bar
  // after the trough back at the peak's value.
  std::mt19937_64 rng(7);
  for (int round = 0; round < 300; ++round) {
    const int n = 1 + static_cast<int>(rng() % 60);
    std::vector<EquityPoint> eq;
    double v = 100;
    for (int i = 0; i < n; ++i) {
      v = std::max(1.0, v + static_cast<double>(static_cast<int>(rng() % 21) - 10));  // integer steps: ties happen
      eq.push_back({Timestamp{day(0).ns + i * kNsPerHour * 7}, v, rng() % 2 == 0});
    }
    double depth = 0, peak_value = 0;
    int peak_at = -1, trough_at = -1;
    for (int j = 0; j < n; ++j) {
      double peak = 100;
      int at = 0;
      for (int i = 0; i <= j; ++i)
        if (eq[i].equity >= peak) peak = eq[i].equity, at = i;
      const double dd = 1 - eq[j].equity / peak;
      if (dd > depth) depth = dd, peak_value = peak, peak_at = at, trough_at = j;
    }
    const Metrics m = compute_metrics(eq, 100, {}, {});
    ASSERT_EQ(m.max_drawdown.depth, depth) << "round " << round;
    if (trough_at < 0) {
      EXPECT_FALSE(m.max_drawdown.peak);
      continue;
    }
    EXPECT_EQ(m.max_drawdown.peak->ns, eq[peak_at].time.ns) << "round " << round;
    EXPECT_EQ(m.max_drawdown.trough->ns, eq[trough_at].time.ns) << "round " << round;
    int recovered = -1;
    for (int k = trough_at + 1; k < n && recovered < 0; ++k)
      if (eq[k].equity >= peak_value) recovered = k;
    if (recovered < 0) {
      EXPECT_FALSE(m.max_drawdown.recovery) << "round " << round;
    } else {
      ASSERT_TRUE(m.max_drawdown.recovery) << "round " << round;
      EXPECT_EQ(m.max_drawdown.recovery->ns, eq[recovered].time.ns) << "round " << round;
    }
    std::size_t in = 0;
    for (const auto& p : eq) in += p.in_market;
    EXPECT_EQ(m.exposure, static_cast<double>(in) / n);
  }
}

}  // namespace
}  // namespace st
