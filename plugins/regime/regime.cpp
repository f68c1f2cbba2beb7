#include "plugins/regime/regime.h"

#include <cmath>

#include "backend/api/plugin.h"

namespace st::plugins {

void Regime::bind(BindContext& ctx) {
  period_ = static_cast<std::size_t>(params().get_int("period"));
  threshold_ = params().get_double("threshold");
  output_ = ctx.schema().add_column(params().get_string("output"), info().id);
  has_er_ = !params().get_string("er_output").empty();
  if (has_er_) er_ = ctx.schema().add_column(params().get_string("er_output"), info().id);
  closes_.assign(period_ + 1, 0.0);
  moves_.assign(period_, 0.0);
}

void Regime::process(TradingContext& ctx) {
  const double close = ctx.bar().close;
  const auto i = static_cast<std::size_t>(seen_++);
  if (i > 0) {
    const double move = std::fabs(close - closes_[(i - 1) % (period_ + 1)]);
    const std::size_t slot = (i - 1) % period_;
    if (i > period_) path_.remove(moves_[slot]);
    moves_[slot] = move;
    path_.add(move);
  }
  closes_[i % (period_ + 1)] = close;
  double regime = TradingContext::kNaN, er = TradingContext::kNaN;
  if (i >= period_) {
    const double net = close - closes_[(i - period_) % (period_ + 1)];
    const double path = path_.value();
    er = path > 0 ? std::fabs(net) / path : 0.0;
    regime = er >= threshold_ ? (net > 0 ? 1.0 : net < 0 ? -1.0 : 0.0) : 0.0;
  }
  ctx.set(output_, regime);
  if (has_er_) ctx.set(er_, er);
}

ST_REGISTER_PLUGIN("regime", Regime);

}  // namespace st::plugins
