#include "plugins/volatility_spike/volatility_spike.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace st::plugins
