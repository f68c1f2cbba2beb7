#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class MarketEntry final : public PlanningWorker {
 public:
  void bind(BindContext&) override { max_open_ = params().get_int("max_open_trades"); }
  PlanDecision plan(const PlanningInput& in, RoutedTradePlan& plan) override;

 private:
  std::int64_t max_open_ = 1;
};

}  // namespace st::plugins
