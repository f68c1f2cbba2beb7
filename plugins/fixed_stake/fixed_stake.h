#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class FixedStake final : public PlanningWorker {
 public:
  PlanDecision plan(const PlanningInput& in, RoutedTradePlan& plan) override;
};

}  // namespace st::plugins
