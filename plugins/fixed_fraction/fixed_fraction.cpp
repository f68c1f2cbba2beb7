#include "plugins/fixed_fraction/fixed_fraction.h"

#include <fmt/format.h>

#include <cmath>

#include "backend/api/plugin.h"

namespace st::plugins {

void FixedFraction::bind(BindContext&) { fraction_ = params().get_double("fraction"); }

PlanDecision FixedFraction::plan(const PlanningInput& in, RoutedTradePlan& routed) {
  const double equity = in.ledger.equity().to_double();
  const double close = in.market.bar().close;
  const int d = in.market.instrument().quantity_precision;
  const double scale = std::pow(10.0, d);
  const double units = std::floor(fraction_ * equity / close * scale) / scale;
  if (!(units > 0))
    return PlanDecision::reject(fmt::format("size rounds to zero ({} x equity {:.2f} / close {})", fraction_, equity, close));
  routed.plan.size = Decimal::from_double(units, d);
  routed.plan.rationale.emplace_back(
      "size", fmt::format("{} units = floor({} x equity {:.2f} / close {}) at {} decimals", routed.plan.size.to_string(),
                          fraction_, equity, close, d));
  return PlanDecision::accept();
}

ST_REGISTER_PLUGIN("fixed_fraction", FixedFraction);

}  // namespace st::plugins
