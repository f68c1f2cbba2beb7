#include "plugins/fixed_stake/fixed_stake.h"

#include <fmt/format.h>

#include "backend/api/plugin.h"

namespace st::plugins {

PlanDecision FixedStake::plan(const PlanningInput& in, RoutedTradePlan& routed) {
  const int d = in.market.instrument().quantity_precision;
  const Decimal size = Decimal::from_double(params().get_double("stake"), 12).floor_to(d).rescale(d);
  if (size.is_zero())
    return PlanDecision::reject(fmt::format("stake {} rounds to zero at {} decimals", params().get_double("stake"), d));
  routed.plan.size = size;
  routed.plan.rationale.emplace_back("size", fmt::format("fixed stake of {} units", size.to_string()));
  return PlanDecision::accept();
}

ST_REGISTER_PLUGIN("fixed_stake", FixedStake);

}  // namespace st::plugins
