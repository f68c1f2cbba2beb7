#include "plugins/emergency_exit/emergency_exit.h"

#include <vector>

#include "backend/api/plugin.h"
#include "plugins/max_drawdown/max_drawdown.h"

namespace st::plugins {

void EmergencyExit::bind(BindContext&) { min_ = parse_severity(params().get_string("min_severity")); }

void EmergencyExit::on_threat(const CriticalEvent& threat, ExecutionContext& ctx) {
  if (threat.severity < min_) return;
  std::vector<TradeId> open;
  for (const auto& p : ctx.ledger().open_positions()) open.push_back(p.trade_id);
  for (const auto& id : open) ctx.close_trade(id, "threat:" + threat.threat_type, threat.threat_id);
}

ST_REGISTER_PLUGIN("emergency_exit", EmergencyExit);

}  // namespace st::plugins
