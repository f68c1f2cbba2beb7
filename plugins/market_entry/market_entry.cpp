#include "plugins/market_entry/market_entry.h"

#include <fmt/format.h>

#include "backend/api/plugin.h"
#include "backend/core/format.h"

namespace st::plugins {

PlanDecision MarketEntry::plan(const PlanningInput& in, RoutedTradePlan& routed) {
  const auto open = static_cast<std::int64_t>(in.ledger.open_positions().size());
  if (open >= max_open_)
    return PlanDecision::reject(
        format_compiled(FMT_COMPILE("max open trades reached ({} of {})"), open, max_open_));
  TradePlan& p = routed.plan;
  p.entry_type = OrderType::kMarket;
  p.entry_price = Decimal::from_double(in.market.bar().close, in.market.instrument().price_precision);
  p.rationale.emplace_back(
      "entry",
      (TextBuilder() << "market order at the next open; reference price " << p.entry_price << " (signal close)")
          .take());
  return PlanDecision::accept();
}

ST_REGISTER_PLUGIN("market_entry", MarketEntry);

}  // namespace st::plugins
