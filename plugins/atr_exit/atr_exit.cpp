#include "plugins/atr_exit/atr_exit.h"

#include <fmt/format.h>

#include <cmath>

#include "backend/api/plugin.h"
#include "backend/core/format.h"

namespace st::plugins {

void AtrExit::bind(BindContext& ctx) {
  atr_ = ctx.schema().require(params().get_string("atr"));
  stop_ = params().get_double("stop_multiple");
  target_ = params().get_double("target_multiple");
  stop_text_ = fmt::format("{}", stop_);  // as "{}" writes them, once
  target_text_ = fmt::format("{}", target_);
}

PlanDecision AtrExit::plan(const PlanningInput& in, RoutedTradePlan& routed) {
  const double atr = in.market.value(atr_);
  if (std::isnan(atr) || atr <= 0) return PlanDecision::reject("ATR not available yet (warm-up)");
  TradePlan& p = routed.plan;
  const int scale = in.market.instrument().price_precision;
  const double entry = p.entry_price.to_double();
  const double sign = p.direction == Direction::kLong ? 1.0 : -1.0;
  const double stop = entry - sign * stop_ * atr;
  if (stop <= 0)
    return PlanDecision::reject(format_compiled(FMT_COMPILE("stop {:.6g} would be at or below zero"), stop));
  p.stop_loss = Decimal::from_double(stop, scale);
  TextBuilder why;
  why << "stop " << p.stop_loss << " = entry " << p.entry_price << (sign > 0 ? " - " : " + ") << stop_text_
      << " x ATR " << General{atr, 6};
  if (target_ > 0) {
    p.take_profit = Decimal::from_double(entry + sign * target_ * atr, scale);
    why << "; target " << p.take_profit << " = " << target_text_ << " x ATR";
  }
  p.details.emplace_back("atr", atr);
  p.rationale.emplace_back("exit", why.take());
  return PlanDecision::accept();
}

ST_REGISTER_PLUGIN("atr_exit", AtrExit);

}  // namespace st::plugins
