#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class RiskSizing final : public PlanningWorker {
 public:
  void bind(BindContext&) override;
  PlanDecision plan(const PlanningInput& in, RoutedTradePlan& plan) override;

 private:
  double risk_ = 1, exposure_ = 100;
  std::string risk_text_, capped_text_;  // fmt's "{}" of risk_; ", capped at {exposure_}% of cash"
};

}  // namespace st::plugins
