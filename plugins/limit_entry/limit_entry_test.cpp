#include "plugins/limit_entry/limit_entry.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(LimitEntryPlugin, LimitBelowTheCloseForLongsAboveForShorts) {
  testing::Harness h({"X", 2, 0, "USD", kNsPerDay});
  auto& w = h.add<LimitEntry>(WorkerCategory::kPlanning, "limit_entry",
                              {{"offset_percent", 1.0}, {"valid_bars", std::int64_t{3}}});
  h.push_close(101.37);
  RoutedTradePlan plan;
  ASSERT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  EXPECT_EQ(plan.plan.entry_type, OrderType::kLimit);
  EXPECT_EQ(plan.plan.entry_price, Decimal::parse("100.35"));  // 100.3563 floored to the tick
  EXPECT_EQ(plan.plan.entry_valid_bars, 3);
  RoutedTradePlan shortp;
  shortp.plan.direction = Direction::kShort;
  ASSERT_TRUE(w.plan({testing::make_signal(Direction::kShort), h.ctx(), h.ledger, {}}, shortp).accepted);
  EXPECT_EQ(shortp.plan.entry_price, Decimal::parse("102.39"));  // 102.3837 rounded up
}

TEST(LimitEntryPlugin, RespectsMaxOpenTrades) {
  testing::Harness h;
  auto& w = h.add<LimitEntry>(WorkerCategory::kPlanning, "limit_entry", {});
  h.push_close(100);
  h.ledger.positions_.push_back(Position{});
  RoutedTradePlan plan;
  EXPECT_FALSE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
}

}  // namespace
}  // namespace st::plugins
