#include "plugins/atr/atr.h"

#include <gtest/gtest.h>

#include <cmath>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(AtrPlugin, WilderAtrMatchesTheReferenceOnOrcl) {
  testing::Harness h;
  h.add<Atr>(WorkerCategory::kContext, "atr", {{"period", std::int64_t{14}}, {"output", std::string("atr")}});
  const auto col = h.schema().require("atr");
  // The oracle has close and tr only; rebuild OHLC from the data file itself.
  const auto data = testing::read_table(testing::shared_dir() + "/data/orcl-1995-2014.csv");
  const auto oracle = testing::read_table(testing::shared_dir() + "/oracle/orcl_indicators.csv");
  ASSERT_EQ(data.rows.size(), oracle.rows.size());
  int compared = 0;
  for (std::size_t r = 0; r < data.rows.size(); ++r) {
    h.push(data.number(r, "open"), data.number(r, "high"), data.number(r, "low"), data.number(r, "close"));
    const double want = oracle.number(r, "atr14_wilder");
    const double got = h.ctx().value(col);
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(got)) << r;
      continue;
    }
    ASSERT_NEAR(got, want, std::fabs(want) * 1e-9) << "row " << r;
    ++compared;
  }
  EXPECT_EQ(compared, static_cast<int>(data.rows.size()) - 14);
}

// In blocks the ATR gives bar by bar's values bit for bit, across warm-up and block edges.
TEST(AtrPlugin, BlocksGiveTheBarByBarValues) {
  const auto bars = testing::random_bars(3000, 12);
  for (const std::int64_t period : {1, 14, 400})
    testing::expect_blocks_match_bars({{"atr", {{"period", period}, {"output", std::string("atr")}}}}, bars,
                                      {256, 1, 13, 256, 3});
}

}  // namespace
}  // namespace st::plugins
