#include "plugins/atr_exit/atr_exit.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

// An ATR exit planner reading the column "atr", on a bar closing at 100 with `atr` in that column
// (NaN: still warming up); `params` besides the column's name.
AtrExit& atr_exit_at_100(testing::Harness& h, double atr, std::map<std::string, ParamValue> params) {
  const auto column = h.schema().add_column("atr", "test");
  params["atr"] = std::string("atr");
  auto& w = h.add<AtrExit>(WorkerCategory::kPlanning, "atr_exit", std::move(params));
  h.push_close(100);
  if (!std::isnan(atr)) h.ctx().set(column, atr);
  return w;
}

// A long plan entering at 100, as entry planning hands it on.
RoutedTradePlan long_plan_at_100() {
  RoutedTradePlan plan;
  plan.plan.direction = Direction::kLong;
  plan.plan.entry_price = Decimal::parse("100");
  return plan;
}

TEST(AtrExitPlugin, StopAndTargetAreMultiplesOfTheAtr) {
  testing::Harness h;
  auto& w = atr_exit_at_100(h, 1.5, {{"stop_multiple", 2.0}, {"target_multiple", 3.0}});
  RoutedTradePlan plan = long_plan_at_100();
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
  auto& w = atr_exit_at_100(h, 0.123456789, {{"stop_multiple", 2.25}});
  RoutedTradePlan plan = long_plan_at_100();
  EXPECT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  ASSERT_EQ(plan.plan.rationale.size(), 1u);  // no target: no second part
  EXPECT_EQ(plan.plan.rationale[0].second,
            fmt::format("stop {} = entry 100 - 2.25 x ATR 0.123457", plan.plan.stop_loss.to_string()));
}

TEST(AtrExitPlugin, RejectsDuringAtrWarmUp) {
  testing::Harness h;
  auto& w = atr_exit_at_100(h, std::nan(""), {});  // the column stays NaN
  RoutedTradePlan plan = long_plan_at_100();
  const auto d = w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan);
  EXPECT_FALSE(d.accepted);
  EXPECT_NE(d.reason.find("warm-up"), std::string::npos);
}

}  // namespace
}  // namespace st::plugins
