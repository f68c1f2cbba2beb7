#include "plugins/risk_governor/risk_governor.h"

#include <fmt/format.h>

#include "backend/api/plugin.h"
#include "plugins/max_drawdown/max_drawdown.h"

namespace st::plugins {

void RiskGovernor::bind(BindContext&) { min_ = parse_severity(params().get_string("min_severity")); }

void RiskGovernor::on_plan(const RoutedTradePlan& plan, ExecutionContext& ctx) {
  for (const auto& t : ctx.active_threats()) {
    if (t.severity < min_) continue;
    WorkerJournalEntry e;
    e.event_type = "RISK_GOVERNOR_VETO";
    e.opportunity_id = plan.plan.opportunity_id;
    e.trade_id = plan.plan.trade_id;
    e.threat_id = t.threat_id;
    e.message = fmt::format("new trades blocked while {} ({}) is active: {}", t.threat_type, to_string(t.severity),
                            t.message);
    e.details = t.details;
    journal(e);
    ctx.reject_plan(plan, fmt::format("threat {} active ({})", t.threat_type, to_string(t.severity)), t.threat_id);
    return;
  }
}

ST_REGISTER_PLUGIN("risk_governor", RiskGovernor);

}  // namespace st::plugins
