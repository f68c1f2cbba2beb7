#include "plugins/fair_value_gap/fair_value_gap.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(FairValueGapPlugin, BullishAndBearishGapsOfSufficientSize) {
  testing::Harness h;
  auto& w = h.add<FairValueGap>(WorkerCategory::kOpportunity, "fair_value_gap",
                                {{"direction", std::string("both")}, {"min_gap_percent", 0.5}});
  h.start();
  testing::RecordingSignals s;
  auto bar = [&](double o, double hi, double lo, double c) {
    h.push(o, hi, lo, c);
    w.process(h.ctx(), s);
  };
  bar(100, 101, 99, 100.5);
  bar(100.5, 105, 100.4, 104.8);
  bar(104.8, 106, 102, 105.5);  // low 102 > high 101 two bars back: a 1 point gap (~0.95%)
  ASSERT_EQ(s.got.size(), 1u);
  EXPECT_EQ(s.got[0].signal_type, "bullish_fvg");
  EXPECT_EQ(s.got[0].details[0].second, 101);
  bar(105.5, 105.6, 101.2, 101.5);  // no gap
  bar(101.5, 101.6, 99, 99.2);
  bar(99.2, 99.3, 95, 95.5);        // high 99.3 < low 101.2 two back: bearish
  ASSERT_EQ(s.got.size(), 2u);
  EXPECT_EQ(s.got[1].signal_type, "bearish_fvg");
}

TEST(FairValueGapPlugin, GapsBelowTheMinimumAreIgnored) {
  testing::Harness h;
  auto& w = h.add<FairValueGap>(WorkerCategory::kOpportunity, "fair_value_gap", {{"min_gap_percent", 0.5}});
  h.start();
  testing::RecordingSignals s;
  for (auto [o, hi, lo, c] : {std::tuple{100.0, 100.1, 99.9, 100.0}, {100.0, 100.5, 100.0, 100.4},
                              {100.4, 100.6, 100.3, 100.5}}) {
    h.push(o, hi, lo, c);
    w.process(h.ctx(), s);
  }
  EXPECT_TRUE(s.got.empty());  // a 0.2 gap is 0.2% of the close
}

}  // namespace
}  // namespace st::plugins
