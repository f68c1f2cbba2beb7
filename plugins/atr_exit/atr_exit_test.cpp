#include "plugins/atr_exit/atr_exit.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(AtrExitPlugin, StopAndTargetAreMultiplesOfTheAtr) {
  testing::Harness h;
  const auto atr = h.schema().add_column("atr", "test");
  auto& w = h.add<AtrExit>(WorkerCategory::kPlanning, "atr_exit",
                           {{"atr", std::string("atr")}, {"stop_multiple", 2.0}, {"target_multiple", 3.0}});
  h.push_close(100);
  h.ctx().set(atr, 1.5);
  RoutedTradePlan plan;
  plan.plan.direction = Direction::kLong;
  plan.plan.entry_price = Decimal::parse("100");
  EXPECT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  EXPECT_EQ(plan.plan.stop_loss, Decimal::parse("97"));
  EXPECT_EQ(plan.plan.take_profit, Decimal::parse("104.5"));
  // The reason, journaled with the plan: the multiples as "{}" writes them, the ATR as {:.6g}.
  ASSERT_EQ(plan.plan.rationale.size(), 1u);
  EXPECT_EQ(plan.plan.rationale[0].second, "stop 97 = entry 100 - 2 x ATR 1.5; target 104.5 = 3 x ATR");
  plan.plan.direction = Direction::kShort;
  EXPECT_TRUE(w.plan({testing::make_signal(Direction::kShort), h.ctx(), h.ledger, {}}, plan).accepted);
  EXPECT_EQ(plan.plan.stop_loss, Decimal::parse("103"));
  EXPECT_EQ(plan.plan.rationale[1].second, "stop 103 = entry 100 + 2 x ATR 1.5; target 95.5 = 3 x ATR");
}

TEST(AtrExitPlugin, ItsReasonWritesFractionalMultiplesAndALongAtr) {
  testing::Harness h;
  const auto atr = h.schema().add_column("atr", "test");
  auto& w = h.add<AtrExit>(WorkerCategory::kPlanning, "atr_exit", {{"atr", std::string("atr")}, {"stop_multiple", 2.25}});
  h.push_close(100);
  h.ctx().set(atr, 0.123456789);
  RoutedTradePlan plan;
  plan.plan.direction = Direction::kLong;
  plan.plan.entry_price = Decimal::parse("100");
  EXPECT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  ASSERT_EQ(plan.plan.rationale.size(), 1u);  // no target: no second part
  EXPECT_EQ(plan.plan.rationale[0].second,
            fmt::format("stop {} = entry 100 - 2.25 x ATR 0.123457", plan.plan.stop_loss.to_string()));
}

TEST(AtrExitPlugin, RejectsDuringAtrWarmUp) {
  testing::Harness h;
  h.schema().add_column("atr", "test");
  auto& w = h.add<AtrExit>(WorkerCategory::kPlanning, "atr_exit", {{"atr", std::string("atr")}});
  h.push_close(100);  // column stays NaN
  RoutedTradePlan plan;
  plan.plan.entry_price = Decimal::parse("100");
  const auto d = w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan);
  EXPECT_FALSE(d.accepted);
  EXPECT_NE(d.reason.find("warm-up"), std::string::npos);
}

}  // namespace
}  // namespace st::plugins
