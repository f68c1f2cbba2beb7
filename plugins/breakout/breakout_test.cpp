#include "plugins/breakout/breakout.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(BreakoutPlugin, EntersAboveThePreviousHighAndExitsBelowTheExitChannel) {
  testing::Harness h;
  auto& w = h.add<Breakout>(WorkerCategory::kOpportunity, "breakout",
                            {{"period", std::int64_t{3}}, {"exit_period", std::int64_t{2}}});
  h.start();
  testing::RecordingSignals s;
  auto bar = [&](double hi, double lo, double close) {
    h.push(close, hi, lo, close);
    w.process(h.ctx(), s);
  };
  bar(10, 9, 9.5);
  bar(11, 9, 10);
  bar(10.5, 9.5, 10);
  EXPECT_TRUE(s.got.empty());
  bar(11.2, 10, 11.1);  // above 11, the high of the previous 3 bars
  ASSERT_EQ(s.got.size(), 1u);
  EXPECT_EQ(s.got[0].signal_type, "breakout_up");
  bar(11.5, 11, 11.4);  // 11.4 > previous high 11.2: another breakout signal
  bar(11.4, 9.8, 9.9);  // below 10, the lowest low of the previous 2 bars: exit longs
  EXPECT_TRUE(s.got.back().exit);
  EXPECT_EQ(s.got.back().signal_type, "channel_exit");
}

TEST(BreakoutPlugin, RollingMaxAgreesWithBruteForce) {
  RollingMax m(5);
  std::vector<double> v;
  std::uint64_t x = 7;
  for (int i = 0; i < 2000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    v.push_back(static_cast<double>(x >> 40));
    m.push(i, v.back());
    double best = v.back();
    for (int k = std::max(0, i - 4); k <= i; ++k) best = std::max(best, v[static_cast<std::size_t>(k)]);
    ASSERT_EQ(m.value(), best) << i;
  }
}

}  // namespace
}  // namespace st::plugins
