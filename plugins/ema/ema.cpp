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

void Ema::process(TradingContext& ctx) { ctx.set(output_, step(ctx.value(source_))); }

bool Ema::process_block(ContextBlock& block) {
  const ContextBlock::Column in = block.input(source_);
  if (!in) return false;  // the source is computed bar by bar
  const std::span<double> out = block.output(output_);
  const std::size_t n = out.size();
  std::size_t j = 0;
  // Warm-up (and pandas' adjusted form) as process() does it; then the recurrence alone, in
  // locals: value = alpha x + (1 - alpha) value, the same operations in the same order.
  const auto steady = [&] { return !adjusted_ && (seed_sma_ ? seen_ >= period_ : seen_ >= 1); };
  for (; j < n && !steady(); ++j) out[j] = step(in[j]);
  if (j == n) return true;
  const double a = alpha_, b = 1.0 - alpha_;
  double v = value_;
  for (std::size_t k = j; k < n; ++k) {
    v = a * in[k] + b * v;
    out[k] = v;
  }
  value_ = v;
  seen_ += static_cast<std::int64_t>(n - j);
  return true;
}

ST_REGISTER_PLUGIN("ema", Ema);

}  // namespace st::plugins
