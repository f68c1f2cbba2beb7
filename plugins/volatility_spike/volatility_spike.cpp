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
  ranges_.assign(period_, 0.0);
}

void VolatilitySpike::process(const TradingContext& ctx, const LedgerView&, ThreatSink& out) {
  const Bar& b = ctx.bar();
  const auto i = static_cast<std::size_t>(seen_++);
  const double tr = i == 0 ? b.high - b.low
                           : std::max({b.high - b.low, std::fabs(b.high - prev_close_), std::fabs(b.low - prev_close_)});
  prev_close_ = b.close;
  bool spike = false;
  if (i >= period_) {
    const double mean = sum_.value() / static_cast<double>(period_);
    if (mean > 0 && tr >= multiple_ * mean) {
      spike = true;
      left_ = hold_;
      last_ratio_ = tr / mean;
      last_range_ = tr;
      last_mean_ = mean;
    }
  }
  // The window of previous ranges, updated after the decision.
  const std::size_t slot = i % period_;
  if (i >= period_) sum_.remove(ranges_[slot]);
  ranges_[slot] = tr;
  sum_.add(tr);
  if (spike || left_-- > 0) raise_spike(out);
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
