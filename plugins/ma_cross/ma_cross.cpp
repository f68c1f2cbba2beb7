#include "plugins/ma_cross/ma_cross.h"

#include <cmath>

#include "backend/api/plugin.h"

namespace st::plugins {

void MaCross::bind(BindContext& ctx) {
  fast_ = ctx.schema().require(params().get_string("fast"));
  slow_ = ctx.schema().require(params().get_string("slow"));
  const std::string& d = params().get_string("direction");
  longs_ = d != "short";
  shorts_ = d != "long";
}

void MaCross::process(const TradingContext& ctx, SignalSink& out) {
  const double fast = ctx.value(fast_), slow = ctx.value(slow_);
  if (std::isnan(fast) || std::isnan(slow)) return;
  const double d = fast - slow;
  if (!seeded_) {  // the first bar with both values seeds the last non-zero difference
    last_nonzero_ = d;
    seeded_ = true;
    return;
  }
  const bool up = last_nonzero_ < 0 && fast > slow;
  const bool down = last_nonzero_ > 0 && fast < slow;
  if (d != 0) last_nonzero_ = d;
  if (up || down) emit_cross(ctx, out, up, fast, slow);
}

void MaCross::emit_cross(const TradingContext& ctx, SignalSink& out, bool up, double fast, double slow) {
  Details details{{"fast", fast}, {"slow", slow}, {"close", ctx.bar().close}};
  if (up) {
    if (shorts_) out.emit_exit(Direction::kShort, "ma_cross_up", details);
    if (longs_) out.emit(Direction::kLong, "ma_cross_up", 1.0, std::move(details));
  } else {
    if (longs_) out.emit_exit(Direction::kLong, "ma_cross_down", details);
    if (shorts_) out.emit(Direction::kShort, "ma_cross_down", 1.0, std::move(details));
  }
}

ST_REGISTER_PLUGIN("ma_cross", MaCross);

}  // namespace st::plugins
