#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class LimitEntry final : public PlanningWorker {
 public:
  void bind(BindContext&) override;
  PlanDecision plan(const PlanningInput& in, RoutedTradePlan& plan) override;

 private:
  Decimal offset_;  // fraction, exact
  std::int64_t valid_bars_ = 5, max_open_ = 1;
};

}  // namespace st::plugins
