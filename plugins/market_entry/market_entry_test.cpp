#include "plugins/market_entry/market_entry.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(MarketEntryPlugin, PlansAMarketEntryAtTheSignalClose) {
  testing::Harness h;
  auto& w = h.add<MarketEntry>(WorkerCategory::kPlanning, "market_entry", {});
  h.push(10, 11, 9, 10.25);
  const Signal s = testing::make_signal(Direction::kLong);
  RoutedTradePlan plan;
  const auto d = w.plan({s, h.ctx(), h.ledger, {}}, plan);
  EXPECT_TRUE(d.accepted);
  EXPECT_EQ(plan.plan.entry_type, OrderType::kMarket);
  EXPECT_EQ(plan.plan.entry_price, Decimal::parse("10.25"));
  ASSERT_EQ(plan.plan.rationale.size(), 1u);
  EXPECT_EQ(plan.plan.rationale[0].first, "entry");
  EXPECT_EQ(plan.plan.rationale[0].second, "market order at the next open; reference price 10.25 (signal close)");
}

TEST(MarketEntryPlugin, RejectsWhenMaxOpenTradesAreOpen) {
  testing::Harness h;
  auto& w = h.add<MarketEntry>(WorkerCategory::kPlanning, "market_entry", {{"max_open_trades", std::int64_t{1}}});
  h.push_close(10);
  h.ledger.positions_.push_back(Position{});
  RoutedTradePlan plan;
  const auto d = w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan);
  EXPECT_FALSE(d.accepted);
  EXPECT_NE(d.reason.find("max open trades"), std::string::npos);
}

}  // namespace
}  // namespace st::plugins
