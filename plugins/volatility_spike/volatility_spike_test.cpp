#include "plugins/volatility_spike/volatility_spike.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <random>

#include "plugins/common/window_sum.h"
#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(VolatilitySpikePlugin, RaisesWhileTheRangeIsAMultipleOfItsMeanThenHolds) {
  testing::Harness h;
  auto& w = h.add<VolatilitySpike>(WorkerCategory::kThreat, "volatility_spike",
                                   {{"period", std::int64_t{5}}, {"multiple", 3.0}, {"hold_bars", std::int64_t{1}}});
  h.start();
  testing::RecordingThreats t;
  std::vector<std::size_t> counts;
  auto bar = [&](double hi, double lo) {
    h.push((hi + lo) / 2, hi, lo, (hi + lo) / 2);
    w.process(h.ctx(), h.ledger, t);
    counts.push_back(t.got.size());
  };
  for (int i = 0; i < 6; ++i) bar(101, 99);  // true range 2
  EXPECT_TRUE(t.got.empty());
  bar(104, 98);  // 6 = 3 x 2: spike
  bar(101, 99);  // held one more bar
  bar(101, 99);  // over
  EXPECT_EQ(counts[6], 1u);
  EXPECT_EQ(counts[7], 2u);
  EXPECT_EQ(counts[8], 2u);
  EXPECT_EQ(t.got[0].threat_type, "VOLATILITY_SPIKE");
}

// The spike decision is that of the exact mean (math.fsum of the window / period), though most
// bars are decided from a running sum: on ranges from a few decimals, where the threshold is
// met exactly or missed by an ulp again and again, every decision and every reported mean
// equals a direct computation of the exact mean on each bar.
TEST(VolatilitySpikePlugin, DecidesAsTheExactMeanOnEveryBar) {
  constexpr std::size_t kPeriod = 4;
  constexpr double kMultiple = 2.0;
  testing::Harness h;
  auto& w = h.add<VolatilitySpike>(WorkerCategory::kThreat, "volatility_spike",
                                   {{"period", std::int64_t{kPeriod}}, {"multiple", kMultiple}});
  h.start();
  std::mt19937_64 rng(7);
  const double ranges[] = {0.1, 0.2, 0.3, 0.1, 0.7, 0.1};
  std::deque<double> window;
  double prev_close = 0;
  std::size_t spikes = 0, ties = 0;
  for (int bar = 0; bar < 200000; ++bar) {
    // Now and then a range far larger: when it leaves the window, the running sum keeps the
    // rounding it caused, so the running and the exact sums differ at the ties that follow.
    const double base = rng() % 16 == 0 ? 1000.7 : ranges[rng() % 6];
    const double scale = bar < 100000 ? 1.0 : 1e-6;  // and again at another scale
    const double hi = (0.5 + base) * scale, lo = 0.5 * scale, close = 0.55 * scale;
    h.push(close, hi, lo, close);
    testing::RecordingThreats t;
    w.process(h.ctx(), h.ledger, t);
    const double tr =
        bar == 0 ? hi - lo : std::max({hi - lo, std::fabs(hi - prev_close), std::fabs(lo - prev_close)});
    prev_close = close;
    bool want = false;
    double mean = 0;
    if (window.size() == kPeriod) {
      ExactSum sum;
      for (double x : window) sum.add(x);
      mean = sum.value() / static_cast<double>(kPeriod);
      want = mean > 0 && tr >= kMultiple * mean;
      ties += tr == kMultiple * mean;
    }
    ASSERT_EQ(t.got.size(), want ? 1u : 0u) << "bar " << bar << ": range " << tr << ", exact mean " << mean;
    if (want) {
      ++spikes;
      EXPECT_EQ(t.got[0].details.at(1).second, mean) << "bar " << bar;  // mean_true_range
    }
    window.push_back(tr);
    if (window.size() > kPeriod) window.pop_front();
  }
  EXPECT_GT(spikes, 1000u);
  EXPECT_GT(ties, 100u);  // the threshold met exactly: decided on the exact sum
}

// The running sum stays within its bound of the exact sum, over many magnitudes and removals.
TEST(WindowSum, RunningSumStaysWithinItsBound) {
  WindowSum w(50);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < 300000; ++i) {
    const double x = unit(rng) * std::pow(10.0, static_cast<double>(static_cast<int>(rng() % 13) - 6));
    w.push(i % 1000 < 500 ? x : -x);
    const double exact = w.exact();  // the exact sum, rounded once
    ASSERT_LE(std::fabs(w.approx() - exact), w.error_bound() + std::fabs(exact) * 0x1p-52) << "value " << i;
  }
  EXPECT_EQ(w.size(), 50u);
}

}  // namespace
}  // namespace st::plugins
