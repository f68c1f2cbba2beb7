#include "plugins/emergency_exit/emergency_exit.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(EmergencyExitPlugin, ClosesEveryTradeOnASevereThreatWithItsId) {
  testing::Harness h;
  auto& w = h.add<EmergencyExit>(WorkerCategory::kExecution, "emergency_exit", {{"min_severity", std::string("HIGH")}});
  h.push_close(1);
  Position a, b;
  a.trade_id = TradeId{Uuid{1, 1}};
  b.trade_id = TradeId{Uuid{2, 2}};
  h.ledger.positions_ = {a, b};
  testing::FakeExecution exec(h.ctx(), h.ledger);
  CriticalEvent mild;
  mild.severity = Severity::kMedium;
  w.on_threat(mild, exec);
  EXPECT_TRUE(exec.closed.empty());
  CriticalEvent severe;
  severe.threat_id = ThreatId{Uuid{7, 7}};
  severe.severity = Severity::kCritical;
  severe.threat_type = "MAX_DRAWDOWN_BREACHED";
  w.on_threat(severe, exec);
  ASSERT_EQ(exec.closed.size(), 2u);
  EXPECT_EQ(exec.closed[1].threat, severe.threat_id);
}

}  // namespace
}  // namespace st::plugins
