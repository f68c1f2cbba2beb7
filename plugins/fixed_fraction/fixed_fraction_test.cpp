#include "plugins/fixed_fraction/fixed_fraction.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(FixedFractionPlugin, FloorsFractionOfEquityOverCloseAtTheQuantityPrecision) {
  testing::Harness h;  // quantity precision 2, equity 10000
  auto& w = h.add<FixedFraction>(WorkerCategory::kPlanning, "fixed_fraction", {{"fraction", 0.95}});
  h.push_close(3.0);
  RoutedTradePlan plan;
  ASSERT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  EXPECT_EQ(plan.plan.size, Decimal::parse("3166.66"));  // 9500 / 3 = 3166.666.. floored
}

TEST(FixedFractionPlugin, ReferenceFirstTradeOnOrcl) {
  // The oracle's first ORCL entry: floor(0.95 x 100000 / 2.37963) = 39922 shares.
  testing::Harness h({"ORCL", 6, 0, "USD", kNsPerDay});
  auto& w = h.add<FixedFraction>(WorkerCategory::kPlanning, "fixed_fraction", {{"fraction", 0.95}});
  h.ledger.equity_ = Decimal::parse("100000");
  h.push_close(2.37963);
  RoutedTradePlan plan;
  ASSERT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  EXPECT_EQ(plan.plan.size, Decimal::parse("39922"));
}

TEST(FixedFractionPlugin, ZeroSizeRejects) {
  testing::Harness h({"X", 2, 0, "USD", kNsPerDay});
  auto& w = h.add<FixedFraction>(WorkerCategory::kPlanning, "fixed_fraction", {{"fraction", 0.001}});
  h.push_close(50000);
  RoutedTradePlan plan;
  const auto d = w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan);
  EXPECT_FALSE(d.accepted);
  EXPECT_NE(d.reason.find("size rounds to zero"), std::string::npos);
}

}  // namespace
}  // namespace st::plugins
