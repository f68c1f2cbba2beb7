#include "plugins/rsi/rsi.h"

#include <algorithm>

#include "backend/api/plugin.h"

namespace st::plugins {

void Rsi::bind(BindContext& ctx) {
  period_ = params().get_int("period");
  wilder_ = params().get_string("method") == "wilder";
  source_ = ctx.schema().require(params().get_string("source"));
  output_ = ctx.schema().add_column(params().get_string("output"), info().id);
}

void Rsi::process(TradingContext& ctx) {
  const double x = ctx.value(source_);
  const std::int64_t i = seen_++;
  const double prev = prev_;
  prev_ = x;
  if (i == 0) return ctx.set(output_, TradingContext::kNaN);
  const double gain = std::max(x - prev, 0.0), loss = std::max(prev - x, 0.0);
  const double n = static_cast<double>(period_);
  if (wilder_) {
    if (i <= period_) {
      up_ += gain;
      down_ += loss;
      if (i < period_) return ctx.set(output_, TradingContext::kNaN);
      up_ /= n;
      down_ /= n;
    } else {
      up_ = up_ + (gain - up_) / n;
      down_ = down_ + (loss - down_) / n;
    }
  } else if (i == 1) {
    up_ = gain;
    down_ = loss;
  } else {
    const double a = 1.0 / n;
    up_ = (1 - a) * up_ + a * gain;
    down_ = (1 - a) * down_ + a * loss;
  }
  double rsi;
  if (down_ == 0.0) rsi = up_ == 0.0 ? 50.0 : 100.0;
  else rsi = 100.0 - 100.0 / (1.0 + up_ / down_);
  ctx.set(output_, rsi);
}

ST_REGISTER_PLUGIN("rsi", Rsi);

}  // namespace st::plugins
