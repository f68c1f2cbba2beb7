#include "plugins/rsi_reversion/rsi_reversion.h"

#include <cmath>

#include "backend/api/plugin.h"
#include "backend/core/diagnostics.h"

namespace st::plugins {

void RsiReversion::bind(BindContext& ctx) {
  rsi_ = ctx.schema().require(params().get_string("rsi"));
  ctx.schema().require_history(2);
  oversold_ = params().get_double("oversold");
  overbought_ = params().get_double("overbought");
  exit_ = params().get_double("exit_level");
  if (oversold_ >= overbought_) throw Error("oversold must be below overbought");
  const std::string& d = params().get_string("direction");
  longs_ = d != "short";
  shorts_ = d != "long";
}

void RsiReversion::process(const TradingContext& ctx, SignalSink& out) {
  const double now = ctx.value(rsi_), prev = ctx.value(rsi_, 1);
  if (std::isnan(now) || std::isnan(prev)) return;
  const Details why{{"rsi", now}, {"previous_rsi", prev}};
  if (longs_) {
    if (prev < oversold_ && now >= oversold_) out.emit(Direction::kLong, "rsi_oversold_reversal", 1.0, why);
    if (prev < exit_ && now >= exit_) out.emit_exit(Direction::kLong, "rsi_exit_level", why);
  }
  if (shorts_) {
    if (prev > overbought_ && now <= overbought_) out.emit(Direction::kShort, "rsi_overbought_reversal", 1.0, why);
    if (prev > 100 - exit_ && now <= 100 - exit_) out.emit_exit(Direction::kShort, "rsi_exit_level", why);
  }
}

ST_REGISTER_PLUGIN("rsi_reversion", RsiReversion);

}  // namespace st::plugins
