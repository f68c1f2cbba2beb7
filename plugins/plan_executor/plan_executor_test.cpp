#include "plugins/plan_executor/plan_executor.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(PlanExecutorPlugin, OpensPlansAndClosesPositionsOnExitSignals) {
  testing::Harness h;
  auto& w = h.add<PlanExecutor>(WorkerCategory::kExecution, "plan_executor", {});
  h.push_close(1);
  testing::FakeExecution exec(h.ctx(), h.ledger);
  RoutedTradePlan plan;
  w.on_plan(plan, exec);
  EXPECT_EQ(exec.opened.size(), 1u);
  Position a, b;
  a.trade_id = TradeId{Uuid{1, 1}};
  a.direction = Direction::kLong;
  b.trade_id = TradeId{Uuid{2, 2}};
  b.direction = Direction::kShort;
  h.ledger.positions_ = {a, b};
  Signal exit = testing::make_signal(Direction::kLong);
  exit.exit = true;
  w.on_exit_signal(exit, exec);
  ASSERT_EQ(exec.closed.size(), 1u);
  EXPECT_EQ(exec.closed[0].id, a.trade_id);
  EXPECT_EQ(exec.closed[0].reason, "exit_signal");
  EXPECT_EQ(exec.closed[0].because, exit.opportunity_id);
}

}  // namespace
}  // namespace st::plugins
