#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class PercentExit final : public PlanningWorker {
 public:
  void bind(BindContext&) override;
  PlanDecision plan(const PlanningInput& in, RoutedTradePlan& plan) override;

 private:
  Decimal stop_, target_;  // fractions, exact (5% -> 0.05)
  bool from_fill_ = true;
};

}  // namespace st::plugins
