#include "plugins/atr/atr.h"

#include <algorithm>
#include <cmath>

#include "backend/api/plugin.h"

namespace st::plugins {

void Atr::bind(BindContext& ctx) {
  period_ = params().get_int("period");
  output_ = ctx.schema().add_column(params().get_string("output"), info().id);
}

void Atr::process(TradingContext& ctx) { ctx.set(output_, step(ctx.bar())); }

bool Atr::process_block(ContextBlock& block) {
  const std::span<double> out = block.output(output_);
  const std::span<const Bar> bars = block.bars();
  const std::size_t n = out.size();
  std::size_t j = 0;
  // Warm-up as process() does it; then Wilder's recurrence alone, in locals (the same operations
  // in the same order).
  for (; j < n && seen_ <= period_; ++j) out[j] = step(bars[j]);
  if (j == n) return true;
  const double period = static_cast<double>(period_);
  double value = value_, prev = prev_close_;
  for (std::size_t k = j; k < n; ++k) {
    const Bar& b = bars[k];
    const double tr = true_range(b, prev);
    value = value + (tr - value) / period;
    out[k] = value;
    prev = b.close;
  }
  value_ = value;
  prev_close_ = prev;
  seen_ += static_cast<std::int64_t>(n - j);
  return true;
}

ST_REGISTER_PLUGIN("atr", Atr);

}  // namespace st::plugins
