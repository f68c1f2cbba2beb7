#include "plugins/breakout/breakout.h"

#include "backend/api/plugin.h"

namespace st::plugins {

void Breakout::bind(BindContext&) {
  period_ = params().get_int("period");
  exit_period_ = params().get_int("exit_period");
  const std::string& d = params().get_string("direction");
  longs_ = d != "short";
  shorts_ = d != "long";
  high_ = RollingMax(period_);
  low_neg_ = RollingMax(period_);
  exit_low_neg_ = RollingMax(exit_period_);
  exit_high_ = RollingMax(exit_period_);
}

void Breakout::process(const TradingContext& ctx, SignalSink& out) {
  const Bar& b = ctx.bar();
  const std::int64_t i = seen_++;
  // Channels of the PREVIOUS bars: decide first, then add this bar.
  if (i >= period_) {
    const double upper = high_.value(), lower = -low_neg_.value();
    if (b.close > upper && longs_)
      out.emit(Direction::kLong, "breakout_up", 1.0, {{"close", b.close}, {"channel_high", upper}});
    if (b.close < lower && shorts_)
      out.emit(Direction::kShort, "breakout_down", 1.0, {{"close", b.close}, {"channel_low", lower}});
  }
  if (i >= exit_period_) {
    const double exit_low = -exit_low_neg_.value(), exit_high = exit_high_.value();
    if (b.close < exit_low && longs_) out.emit_exit(Direction::kLong, "channel_exit", {{"close", b.close}, {"exit_low", exit_low}});
    if (b.close > exit_high && shorts_)
      out.emit_exit(Direction::kShort, "channel_exit", {{"close", b.close}, {"exit_high", exit_high}});
  }
  high_.push(i, b.high);
  low_neg_.push(i, -b.low);
  exit_low_neg_.push(i, -b.low);
  exit_high_.push(i, b.high);
}

ST_REGISTER_PLUGIN("breakout", Breakout);

}  // namespace st::plugins
