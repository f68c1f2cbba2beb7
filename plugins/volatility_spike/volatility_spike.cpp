#include "plugins/volatility_spike/volatility_spike.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "backend/api/plugin.h"
#include "plugins/max_drawdown/max_drawdown.h"

namespace st::plugins {

void VolatilitySpike::bind(BindContext&) {
  period_ = static_cast<std::size_t>(params().get_int("period"));
  multiple_ = params().get_double("multiple");
  hold_ = params().get_int("hold_bars");
  severity_ = parse_severity(params().get_string("severity"));
  window_ = WindowSum(period_);
  // clearly_below's factor: multiple / period with the margin for roundings (see there).
  below_factor_ = multiple_ / static_cast<double>(period_) * (1 - 1e-12);
}

void VolatilitySpike::process(const TradingContext& ctx, const LedgerView&, ThreatSink& out) {
  const Bar& b = ctx.bar();
  const double tr = true_range(b, prev_close_);  // prev_close_ starts as NaN: the first bar's range
  prev_close_ = b.close;
  // The window holds the previous ranges: the decision comes first, then tr joins it. Most bars
  // are far below the threshold, and the running sum's error bound says so; the rest are
  // decided on the exact mean.
  bool spike = false;
  if (window_.full() && !clearly_below(tr)) spike = exact_spike(tr);
  window_.push(tr);
  if (spike || left_-- > 0) raise_spike(out);
}

bool VolatilitySpike::clearly_below(double tr) const {
  const double a = window_.approx(), e = window_.error_bound();
  if (!(a - e > 1e-290)) return false;  // near zero (or not finite): the exact path decides
  // The exact threshold is multiple * (sum / period) with the sum >= a - e and three roundings
  // (sum, division, product), each within 2^-53; low = (a - e) x below_factor_ has four more
  // (the factor's division and margin, the subtraction, the product): (1 - 1e-12) covers them all.
  const double low = (a - e) * below_factor_;
  return tr < low;
}

bool VolatilitySpike::exact_spike(double tr) {
  const double mean = window_.exact() / static_cast<double>(period_);
  if (!(mean > 0 && tr >= multiple_ * mean)) return false;
  left_ = hold_;
  last_ratio_ = tr / mean;
  last_range_ = tr;
  last_mean_ = mean;
  return true;
}

void VolatilitySpike::raise_spike(ThreatSink& out) {
  if (!out.still_active("VOLATILITY_SPIKE"))
    out.raise("VOLATILITY_SPIKE", severity_,
              fmt::format("true range {:.6g} is {:.2f}x the mean {:.6g} of the previous {} bars", last_range_, last_ratio_,
                          last_mean_, period_),
              {{"true_range", last_range_}, {"mean_true_range", last_mean_}, {"ratio", last_ratio_}});
}

ST_REGISTER_PLUGIN("volatility_spike", VolatilitySpike);

}  // namespace st::plugins
