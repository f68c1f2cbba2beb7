#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class AtrExit final : public PlanningWorker {
 public:
  void bind(BindContext& ctx) override;
  PlanDecision plan(const PlanningInput& in, RoutedTradePlan& plan) override;

 private:
  ColumnId atr_ = 0;
  double stop_ = 2, target_ = 0;
};

}  // namespace st::plugins
