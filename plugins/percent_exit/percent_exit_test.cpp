#include "plugins/percent_exit/percent_exit.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(PercentExitPlugin, FromTheFillLeavesExactFractionsForTheDesk) {
  testing::Harness h;
  auto& w = h.add<PercentExit>(WorkerCategory::kPlanning, "percent_exit", {{"stop_percent", 5.0}, {"target_percent", 10.0}});
  h.push_close(100);
  RoutedTradePlan plan;
  plan.plan.entry_price = Decimal::parse("100");
  ASSERT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  EXPECT_EQ(plan.plan.stop_loss_fraction, Decimal::parse("0.05"));
  EXPECT_EQ(plan.plan.take_profit_fraction, Decimal::parse("0.1"));
  EXPECT_TRUE(plan.plan.stop_loss.is_zero());
}

TEST(PercentExitPlugin, FromTheSignalPriceSetsAbsoluteLevelsBothWays) {
  testing::Harness h;
  auto& w = h.add<PercentExit>(WorkerCategory::kPlanning, "percent_exit",
                               {{"stop_percent", 5.0}, {"target_percent", 10.0}, {"reference", std::string("signal")}});
  h.push_close(100);
  RoutedTradePlan plan;
  plan.plan.entry_price = Decimal::parse("2.37037");
  ASSERT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  EXPECT_EQ(plan.plan.stop_loss, Decimal::parse("2.2518515"));  // exact, like the reference's E x 0.95
  EXPECT_EQ(plan.plan.take_profit, Decimal::parse("2.607407"));
  RoutedTradePlan shortp;
  shortp.plan.direction = Direction::kShort;
  shortp.plan.entry_price = Decimal::parse("100");
  ASSERT_TRUE(w.plan({testing::make_signal(Direction::kShort), h.ctx(), h.ledger, {}}, shortp).accepted);
  EXPECT_EQ(shortp.plan.stop_loss, Decimal::parse("105"));
  EXPECT_EQ(shortp.plan.take_profit, Decimal::parse("90"));
}

}  // namespace
}  // namespace st::plugins
