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
  std::string stop_text_, target_text_;  // the multiples as "{}" writes them, for the rationale
};

}  // namespace st::plugins
