#include "plugins/plan_executor/plan_executor.h"

#include <vector>

#include "backend/api/plugin.h"

namespace st::plugins {

void PlanExecutor::on_exit_signal(const Signal& signal, ExecutionContext& ctx) {
  std::vector<TradeId> to_close;
  for (const auto& p : ctx.ledger().open_positions())
    if (p.direction == signal.direction) to_close.push_back(p.trade_id);
  for (const auto& id : to_close) ctx.close_trade(id, "exit_signal", {}, signal.opportunity_id);
}

ST_REGISTER_PLUGIN("plan_executor", PlanExecutor);

}  // namespace st::plugins
