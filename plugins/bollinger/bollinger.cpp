#include "plugins/bollinger/bollinger.h"

#include <algorithm>
#include <cmath>

#include "backend/api/plugin.h"

namespace st::plugins {

void Bollinger::bind(BindContext& ctx) {
  period_ = static_cast<std::size_t>(params().get_int("period"));
  k_ = params().get_double("k");
  ddof_ = static_cast<int>(params().get_int("ddof"));
  window_.assign(period_, 0.0);
  source_ = ctx.schema().require(params().get_string("source"));
  const std::string& prefix = params().get_string("output");
  mid_ = ctx.schema().add_column(prefix + "_mid", info().id);
  up_ = ctx.schema().add_column(prefix + "_up", info().id);
  lo_ = ctx.schema().add_column(prefix + "_lo", info().id);
}

void Bollinger::process(TradingContext& ctx) {
  const double x = ctx.value(source_);
  if (filled_ == period_) {
    const double old = window_[head_];
    sum_.remove(old);
    const double p = old * old;
    sq_.remove(p);
    sq_.remove(std::fma(old, old, -p));
  } else {
    ++filled_;
  }
  window_[head_] = x;
  head_ = (head_ + 1) % period_;
  sum_.add(x);
  const double p = x * x;  // x*x = p + fma(x, x, -p) exactly: the sum of squares stays exact
  sq_.add(p);
  sq_.add(std::fma(x, x, -p));
  if (filled_ < period_) {
    ctx.set(mid_, TradingContext::kNaN);
    ctx.set(up_, TradingContext::kNaN);
    ctx.set(lo_, TradingContext::kNaN);
    return;
  }
  const double n = static_cast<double>(period_);
  const double s1 = sum_.value();
  const double mean = s1 / n;
  const double var = std::max(0.0, (sq_.value() - mean * s1) / (n - ddof_));
  const double sd = std::sqrt(var);
  ctx.set(mid_, mean);
  ctx.set(up_, mean + k_ * sd);
  ctx.set(lo_, mean - k_ * sd);
}

ST_REGISTER_PLUGIN("bollinger", Bollinger);

}  // namespace st::plugins
