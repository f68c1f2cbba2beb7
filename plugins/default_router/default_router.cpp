#include "plugins/default_router/default_router.h"

#include <fmt/format.h>

#include "backend/api/plugin.h"
#include "backend/core/format.h"

namespace st::plugins {

PlanDecision DefaultRouter::plan(const PlanningInput&, RoutedTradePlan& routed) {
  routed.route = "default";
  routed.time_in_force = tif_;
  routed.plan.rationale.emplace_back("routing", (TextBuilder() << to_string(routed.plan.entry_type) << " "
                                                              << to_string(routed.plan.direction)
                                                              << " order to the environment's broker, " << tif_)
                                                     .take());
  return PlanDecision::accept();
}

ST_REGISTER_PLUGIN("default_router", DefaultRouter);

}  // namespace st::plugins
