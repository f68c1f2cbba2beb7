#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class PlanExecutor final : public ExecutionWorker {
 public:
  void on_plan(const RoutedTradePlan& plan, ExecutionContext& ctx) override { ctx.open_trade(plan); }
  void on_exit_signal(const Signal& signal, ExecutionContext& ctx) override;
};

}  // namespace st::plugins
