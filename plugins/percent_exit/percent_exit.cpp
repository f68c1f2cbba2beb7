#include "plugins/percent_exit/percent_exit.h"

#include <fmt/format.h>

#include "backend/api/plugin.h"

namespace st::plugins {

void PercentExit::bind(BindContext&) {
  // Percent as written -> an exact fraction: 5 -> 0.05 (the text of the double, not its binary value).
  // Normalized, so that price x (1 - f) keeps as few decimals as the numbers need.
  stop_ = Decimal::div(Decimal::from_double(params().get_double("stop_percent"), 8), Decimal::from_int(100), 10).normalized();
  target_ = Decimal::div(Decimal::from_double(params().get_double("target_percent"), 8), Decimal::from_int(100), 10).normalized();
  from_fill_ = params().get_string("reference") == "fill";
}

PlanDecision PercentExit::plan(const PlanningInput&, RoutedTradePlan& routed) {
  TradePlan& p = routed.plan;
  const bool is_long = p.direction == Direction::kLong;
  const Decimal one = Decimal::from_int(1);
  std::string why;
  if (from_fill_) {
    p.stop_loss_fraction = stop_;
    p.take_profit_fraction = target_;
    if (!stop_.is_zero())
      why = fmt::format("stop {}% {} the entry fill price", (stop_ * Decimal::from_int(100)).to_string(),
                        is_long ? "below" : "above");
    if (!target_.is_zero())
      why += fmt::format("{}target {}% {} the entry fill price", why.empty() ? "" : "; ",
                         (target_ * Decimal::from_int(100)).to_string(), is_long ? "above" : "below");
  } else {
    if (!stop_.is_zero()) {
      p.stop_loss = p.entry_price * (is_long ? one - stop_ : one + stop_);
      why = fmt::format("stop {} = entry {} {} {}%", p.stop_loss.to_string(), p.entry_price.to_string(),
                        is_long ? "-" : "+", (stop_ * Decimal::from_int(100)).to_string());
    }
    if (!target_.is_zero()) {
      p.take_profit = p.entry_price * (is_long ? one + target_ : one - target_);
      why += fmt::format("{}target {} = entry {} {} {}%", why.empty() ? "" : "; ", p.take_profit.to_string(),
                         p.entry_price.to_string(), is_long ? "+" : "-", (target_ * Decimal::from_int(100)).to_string());
    }
  }
  p.rationale.emplace_back("exit", why.empty() ? "no stop, no target: exits come from exit signals" : why);
  return PlanDecision::accept();
}

ST_REGISTER_PLUGIN("percent_exit", PercentExit);

}  // namespace st::plugins
