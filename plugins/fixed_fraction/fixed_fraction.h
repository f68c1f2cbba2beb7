#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class FixedFraction final : public PlanningWorker {
 public:
  void bind(BindContext&) override;
  PlanDecision plan(const PlanningInput& in, RoutedTradePlan& plan) override;

 private:
  double fraction_ = 0.95;
};

}  // namespace st::plugins
