#include "plugins/risk_sizing/risk_sizing.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "backend/api/plugin.h"
#include "backend/core/format.h"

namespace st::plugins {

void RiskSizing::bind(BindContext&) {
  risk_ = params().get_double("risk_percent");
  exposure_ = params().get_double("max_exposure_percent");
  // The parts of the rationale that do not change from trade to trade, made once.
  risk_text_ = fmt::format("{}", risk_);
  capped_text_ = fmt::format(", capped at {}% of cash", exposure_);
}

PlanDecision RiskSizing::plan(const PlanningInput& in, RoutedTradePlan& routed) {
  TradePlan& p = routed.plan;
  if (p.stop_loss.is_zero()) return PlanDecision::reject("risk sizing needs a stop-loss from exit planning");
  const double entry = p.entry_price.to_double();
  const double per_unit = std::fabs(entry - p.stop_loss.to_double());
  if (per_unit <= 0) return PlanDecision::reject("stop equals entry price: risk per unit is zero");
  const double equity = in.ledger.equity().to_double();
  const double risk_amount = equity * risk_ / 100.0;
  double units = risk_amount / per_unit;
  const double cap = in.ledger.cash().to_double() * exposure_ / 100.0 / entry;
  const bool capped = units > cap;
  units = std::min(units, cap);
  const int q = in.market.instrument().quantity_precision;
  // 10^q exactly, from the table where it has it (as pow gives it, without the library call).
  const double unit = q >= 0 && q <= Decimal::kMaxScale ? Decimal::kPow10d[q] : std::pow(10.0, q);
  const Decimal size = Decimal::from_double(std::floor(units * unit) / unit, q);
  if (size.is_zero() || size.is_negative())
    return PlanDecision::reject(
        format_compiled(FMT_COMPILE("size rounds to zero (risk {:.2f} / {:.6g} per unit = {:.6g} units)"),
                        risk_amount, per_unit, units));
  p.size = size;
  p.rationale.emplace_back("size", (TextBuilder() << size << " units: risk " << risk_text_ << "% of equity "
                                                 << Fixed{equity, 2} << " = " << Fixed{risk_amount, 2} << " / "
                                                 << General{per_unit, 6} << " per unit to the stop"
                                                 << (capped ? std::string_view(capped_text_) : std::string_view()))
                                        .take());
  return PlanDecision::accept();
}

ST_REGISTER_PLUGIN("risk_sizing", RiskSizing);

}  // namespace st::plugins
