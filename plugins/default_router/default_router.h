#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class DefaultRouter final : public PlanningWorker {
 public:
  void bind(BindContext&) override { tif_ = params().get_string("time_in_force"); }
  PlanDecision plan(const PlanningInput& in, RoutedTradePlan& plan) override;

 private:
  std::string tif_ = "GTC";
};

}  // namespace st::plugins
