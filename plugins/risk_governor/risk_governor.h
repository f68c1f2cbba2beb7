#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class RiskGovernor final : public ExecutionWorker, public Journaling {
 public:
  void bind(BindContext&) override;
  void on_plan(const RoutedTradePlan& plan, ExecutionContext& ctx) override;

 private:
  Severity min_ = Severity::kMedium;
};

}  // namespace st::plugins
