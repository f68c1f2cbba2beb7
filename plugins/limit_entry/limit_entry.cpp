#include "plugins/limit_entry/limit_entry.h"

#include <fmt/format.h>

#include "backend/api/plugin.h"

namespace st::plugins {

void LimitEntry::bind(BindContext&) {
  offset_ = Decimal::div(Decimal::from_double(params().get_double("offset_percent"), 8), Decimal::from_int(100), 10).normalized();
  valid_bars_ = params().get_int("valid_bars");
  max_open_ = params().get_int("max_open_trades");
}

PlanDecision LimitEntry::plan(const PlanningInput& in, RoutedTradePlan& routed) {
  const auto open = static_cast<std::int64_t>(in.ledger.open_positions().size());
  if (open >= max_open_) return PlanDecision::reject(fmt::format("max open trades reached ({} of {})", open, max_open_));
  TradePlan& p = routed.plan;
  const int scale = in.market.instrument().price_precision;
  const Decimal close = Decimal::from_double_exact(in.market.bar().close);
  const Decimal one = Decimal::from_int(1);
  const bool is_long = p.direction == Direction::kLong;
  // Round toward the better side, so the limit is never worse than asked.
  const Decimal raw = close * (is_long ? one - offset_ : one + offset_);
  Decimal limit = raw.floor_to(scale);
  if (!is_long && limit < raw) limit = (-((-raw).floor_to(scale))).rescale(scale);
  p.entry_type = OrderType::kLimit;
  p.entry_price = limit.rescale(scale);
  p.entry_valid_bars = valid_bars_;
  p.rationale.emplace_back(
      "entry", fmt::format("limit {} {} = signal close {} {} {}%, valid {} bar{}", is_long ? "buy" : "sell",
                           p.entry_price.to_string(), close.to_string(), is_long ? "-" : "+",
                           (offset_ * Decimal::from_int(100)).to_string(), valid_bars_, valid_bars_ == 1 ? "" : "s"));
  return PlanDecision::accept();
}

ST_REGISTER_PLUGIN("limit_entry", LimitEntry);

}  // namespace st::plugins
