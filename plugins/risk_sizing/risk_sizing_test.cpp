#include "plugins/risk_sizing/risk_sizing.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(RiskSizingPlugin, RisksTheConfiguredPercentOfEquityToTheStop) {
  testing::Harness h;  // quantity precision 2
  auto& w = h.add<RiskSizing>(WorkerCategory::kPlanning, "risk_sizing", {{"risk_percent", 1.0}});
  h.push_close(100);
  RoutedTradePlan plan;
  plan.plan.entry_price = Decimal::parse("100");
  plan.plan.stop_loss = Decimal::parse("97");
  EXPECT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  // 1% of 10000 = 100 at 3 per unit = 33.333.. -> floored to 33.33
  EXPECT_EQ(plan.plan.size, Decimal::parse("33.33"));
  ASSERT_EQ(plan.plan.rationale.size(), 1u);
  EXPECT_EQ(plan.plan.rationale[0].second, "33.33 units: risk 1% of equity 10000.00 = 100.00 / 3 per unit to the stop");
}

TEST(RiskSizingPlugin, CapsTheNotionalAtTheExposureLimit) {
  testing::Harness h;
  auto& w = h.add<RiskSizing>(WorkerCategory::kPlanning, "risk_sizing",
                              {{"risk_percent", 50.0}, {"max_exposure_percent", 50.0}});
  h.push_close(100);
  RoutedTradePlan plan;
  plan.plan.entry_price = Decimal::parse("100");
  plan.plan.stop_loss = Decimal::parse("99");
  EXPECT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  EXPECT_EQ(plan.plan.size, Decimal::parse("50"));  // 50% of 10000 cash / 100
  ASSERT_EQ(plan.plan.rationale.size(), 1u);
  EXPECT_EQ(plan.plan.rationale[0].second,
            "50 units: risk 50% of equity 10000.00 = 5000.00 / 1 per unit to the stop, capped at 50% of cash");
}

TEST(RiskSizingPlugin, RejectsWithoutAStop) {
  testing::Harness h;
  auto& w = h.add<RiskSizing>(WorkerCategory::kPlanning, "risk_sizing", {});
  h.push_close(100);
  RoutedTradePlan plan;
  plan.plan.entry_price = Decimal::parse("100");
  EXPECT_FALSE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
}

}  // namespace
}  // namespace st::plugins
