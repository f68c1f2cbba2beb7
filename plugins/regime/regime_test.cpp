#include "plugins/regime/regime.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(RegimePlugin, TrendUpTrendDownAndRange) {
  testing::Harness h;
  h.add<Regime>(WorkerCategory::kContext, "regime",
                {{"period", std::int64_t{4}}, {"threshold", 0.5}, {"output", std::string("regime")},
                 {"er_output", std::string("er")}});
  auto& ctx = h.start();
  const ColumnId regime = h.schema().require("regime"), er = h.schema().require("er");
  for (double c : {10.0, 11.0, 12.0, 13.0}) h.push_close(c);
  EXPECT_TRUE(std::isnan(ctx.value(regime)));  // warm-up: needs period + 1 closes
  h.push_close(14);
  EXPECT_DOUBLE_EQ(ctx.value(er), 1.0);
  EXPECT_EQ(ctx.value(regime), 1.0);
  for (double c : {13.0, 12.0, 11.0, 10.0}) h.push_close(c);
  EXPECT_EQ(ctx.value(regime), -1.0);
  for (double c : {11.0, 10.0, 11.0, 10.0}) h.push_close(c);  // net 0 over a path of 4
  EXPECT_DOUBLE_EQ(ctx.value(er), 0.0);
  EXPECT_EQ(ctx.value(regime), 0.0);
}

TEST(RegimePlugin, MatchesABruteForceEfficiencyRatioOnOrcl) {
  testing::Harness h({"ORCL", 6, 0, "USD", kNsPerDay});
  h.add<Regime>(WorkerCategory::kContext, "regime",
                {{"period", std::int64_t{10}}, {"output", std::string("r")}, {"er_output", std::string("er")}});
  auto& ctx = h.start();
  const ColumnId er = h.schema().require("er");
  const auto t = testing::read_table(testing::shared_dir() + "/data/orcl-1995-2014.csv");
  std::vector<double> closes;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    closes.push_back(t.number(i, "close"));
    h.push(t.number(i, "open"), t.number(i, "high"), t.number(i, "low"), closes.back());
    if (i < 10) continue;
    double path = 0;
    for (std::size_t k = i - 9; k <= i; ++k) path += std::fabs(closes[k] - closes[k - 1]);
    const double expect = std::fabs(closes[i] - closes[i - 10]) / path;
    ASSERT_NEAR(ctx.value(er), expect, 1e-12 * std::max(1.0, expect)) << i;
  }
}

}  // namespace
}  // namespace st::plugins
