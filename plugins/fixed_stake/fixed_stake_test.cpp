#include "plugins/fixed_stake/fixed_stake.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(FixedStakePlugin, SameSizeEveryTimeRoundedDownToThePrecision) {
  testing::Harness h;  // quantity precision 2
  auto& w = h.add<FixedStake>(WorkerCategory::kPlanning, "fixed_stake", {{"stake", 10.129}});
  h.push_close(100);
  RoutedTradePlan plan;
  ASSERT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  EXPECT_EQ(plan.plan.size, Decimal::parse("10.12"));
  auto& tiny = h.add<FixedStake>(WorkerCategory::kPlanning, "fixed_stake", {{"stake", 0.001}});
  EXPECT_FALSE(tiny.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
}

}  // namespace
}  // namespace st::plugins
