#include "plugins/risk_governor/risk_governor.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(RiskGovernorPlugin, RejectsOpportunityWhenHighSeverityThreatIsActive) {
  testing::Harness h;
  auto& w = h.add<RiskGovernor>(WorkerCategory::kExecution, "risk_governor", {{"min_severity", std::string("HIGH")}});
  h.push_close(1);
  testing::FakeExecution exec(h.ctx(), h.ledger);
  RoutedTradePlan plan;
  plan.plan.opportunity_id = OpportunityId{Uuid{3, 3}};
  w.on_plan(plan, exec);  // no threat: nothing happens
  EXPECT_TRUE(exec.rejected.empty());
  CriticalEvent t;
  t.threat_id = ThreatId{Uuid{5, 5}};
  t.severity = Severity::kHigh;
  t.threat_type = "MAX_DRAWDOWN_BREACHED";
  exec.threats.push_back(t);
  w.on_plan(plan, exec);
  ASSERT_EQ(exec.rejected.size(), 1u);
  EXPECT_EQ(exec.rejected[0].threat, t.threat_id);
  ASSERT_EQ(h.journal.entries.size(), 1u);  // it journals its own reasoning
  EXPECT_EQ(h.journal.entries[0].threat_id, t.threat_id);
  EXPECT_EQ(h.journal.entries[0].opportunity_id, plan.plan.opportunity_id);
}

}  // namespace
}  // namespace st::plugins
