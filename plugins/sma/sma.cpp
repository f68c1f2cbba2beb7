#include "plugins/sma/sma.h"

#include "backend/api/plugin.h"

namespace st::plugins {

void Sma::bind(BindContext& ctx) {
  period_ = static_cast<std::size_t>(params().get_int("period"));
  exact_ = params().get_string("summation") == "exact";
  window_.assign(period_, 0.0);
  source_ = ctx.schema().require(params().get_string("source"));
  output_ = ctx.schema().add_column(params().get_string("output"), info().id);
}

void Sma::process(TradingContext& ctx) {
  const double x = ctx.value(source_);
  if (filled_ == period_) {
    const double old = window_[head_];
    if (exact_) exact_sum_.remove(old);
    else running_ -= old;
  } else {
    ++filled_;
  }
  window_[head_] = x;
  head_ = (head_ + 1) % period_;
  if (exact_) exact_sum_.add(x);
  else running_ += x;
  if (filled_ < period_) return ctx.set(output_, TradingContext::kNaN);
  const double sum = exact_ ? exact_sum_.value() : running_;
  ctx.set(output_, sum / static_cast<double>(period_));
}

ST_REGISTER_PLUGIN("sma", Sma);

}  // namespace st::plugins
