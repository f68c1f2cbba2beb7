#include "plugins/trailing_stop/trailing_stop.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(TrailingStopPlugin, TrailsTheBestCloseAndNeverLoosens) {
  testing::Harness h;
  const auto atr = h.schema().add_column("atr", "test");
  auto& w = h.add<TrailingStop>(WorkerCategory::kExecution, "trailing_stop", {{"atr", std::string("atr")}, {"multiple", 2.0}});
  Position p;
  p.trade_id = TradeId{Uuid{1, 1}};
  p.direction = Direction::kLong;
  p.stop_loss = Decimal::parse("90");
  h.ledger.positions_ = {p};
  testing::FakeExecution exec(h.ctx(), h.ledger);
  auto bar = [&](double close) {
    h.push_close(close);
    h.ctx().set(atr, 1.0);
    w.on_bar(h.ctx(), exec);
  };
  bar(100);
  ASSERT_EQ(exec.stops.size(), 1u);
  EXPECT_EQ(exec.stops[0].stop, Decimal::parse("98"));
  h.ledger.positions_[0].stop_loss = Decimal::parse("98");
  bar(99);  // lower close: the best close stays 100, the stop does not move
  EXPECT_EQ(exec.stops.size(), 1u);
  bar(103);
  ASSERT_EQ(exec.stops.size(), 2u);
  EXPECT_EQ(exec.stops[1].stop, Decimal::parse("101"));
  // Its state is durable: the best close per trade was committed.
  ASSERT_FALSE(h.state.saved.empty());
  const auto& saved = h.state.saved.begin()->second;
  EXPECT_DOUBLE_EQ(saved["best_close"][p.trade_id.to_string()].get<double>(), 103.0);
}

// The committed state names the trades open now: one trade replaced by another on the same bar
// (same count) rewrites the keys; a bar that only moves a best close updates the number.
TEST(TrailingStopPlugin, StateFollowsTheOpenTrades) {
  testing::Harness h;
  const auto atr = h.schema().add_column("atr", "test");
  auto& w = h.add<TrailingStop>(WorkerCategory::kExecution, "trailing_stop", {{"atr", std::string("atr")}, {"multiple", 2.0}});
  const auto position = [](std::uint64_t id, Direction d) {
    Position p;
    p.trade_id = TradeId{Uuid{id, id}};
    p.direction = d;
    return p;
  };
  testing::FakeExecution exec(h.ctx(), h.ledger);
  const auto bar = [&](double close) {
    h.push_close(close);
    h.ctx().set(atr, 1.0);
    w.on_bar(h.ctx(), exec);
    return h.state.saved.begin()->second["best_close"];
  };
  const auto a = position(1, Direction::kLong), b = position(2, Direction::kShort), c = position(3, Direction::kLong);
  h.ledger.positions_ = {a, b};
  bar(100);
  auto best = bar(104);  // a's best close moves, b's stays
  ASSERT_EQ(best.size(), 2u);
  EXPECT_DOUBLE_EQ(best[a.trade_id.to_string()].get<double>(), 104.0);
  EXPECT_DOUBLE_EQ(best[b.trade_id.to_string()].get<double>(), 100.0);
  h.ledger.positions_ = {c, b};  // a closed, c opened on one bar
  best = bar(99);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_FALSE(best.contains(a.trade_id.to_string()));
  EXPECT_DOUBLE_EQ(best[b.trade_id.to_string()].get<double>(), 99.0);
  EXPECT_DOUBLE_EQ(best[c.trade_id.to_string()].get<double>(), 99.0);
  best = bar(101);
  EXPECT_DOUBLE_EQ(best[c.trade_id.to_string()].get<double>(), 101.0);
  EXPECT_DOUBLE_EQ(best[b.trade_id.to_string()].get<double>(), 99.0);
  h.ledger.positions_.clear();
  EXPECT_TRUE(bar(100).empty());
}

}  // namespace
}  // namespace st::plugins
