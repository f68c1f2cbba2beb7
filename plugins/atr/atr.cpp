#include "plugins/atr/atr.h"

#include <algorithm>
#include <cmath>

#include "backend/api/plugin.h"

namespace st::plugins {

void Atr::bind(BindContext& ctx) {
  period_ = params().get_int("period");
  output_ = ctx.schema().add_column(params().get_string("output"), info().id);
}

void Atr::process(TradingContext& ctx) {
  const Bar& b = ctx.bar();
  const std::int64_t i = seen_++;
  double out = TradingContext::kNaN;
  if (i > 0) {
    const double tr = std::max({b.high - b.low, std::fabs(b.high - prev_close_), std::fabs(b.low - prev_close_)});
    if (i <= period_) {
      sum_ += tr;
      if (i == period_) value_ = sum_ / static_cast<double>(period_), out = value_;
    } else {
      value_ = value_ + (tr - value_) / static_cast<double>(period_);
      out = value_;
    }
  }
  prev_close_ = b.close;
  ctx.set(output_, out);
}

ST_REGISTER_PLUGIN("atr", Atr);

}  // namespace st::plugins
