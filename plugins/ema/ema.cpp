#include "plugins/ema/ema.h"

#include "backend/api/plugin.h"

namespace st::plugins {

void Ema::bind(BindContext& ctx) {
  period_ = params().get_int("period");
  seed_sma_ = params().get_string("seed") == "sma";
  adjusted_ = params().get_string("seed") == "adjusted";
  alpha_ = 2.0 / (static_cast<double>(period_) + 1.0);
  source_ = ctx.schema().require(params().get_string("source"));
  output_ = ctx.schema().add_column(params().get_string("output"), info().id);
}

void Ema::process(TradingContext& ctx) {
  const double x = ctx.value(source_);
  ++seen_;
  if (adjusted_) {
    // pandas adjust=True: sum (1-a)^i x[t-i] / sum (1-a)^i, kept as two running sums.
    num_ = x + (1.0 - alpha_) * num_;
    den_ = 1.0 + (1.0 - alpha_) * den_;
    return ctx.set(output_, num_ / den_);
  }
  if (seed_sma_ && seen_ <= period_) {
    sum_ += x;
    if (seen_ < period_) return ctx.set(output_, TradingContext::kNaN);
    value_ = sum_ / static_cast<double>(period_);
  } else if (seen_ == 1) {
    value_ = x;
  } else {
    value_ = alpha_ * x + (1.0 - alpha_) * value_;
  }
  ctx.set(output_, value_);
}

ST_REGISTER_PLUGIN("ema", Ema);

}  // namespace st::plugins
