#include "plugins/fair_value_gap/fair_value_gap.h"

#include <cmath>

#include "backend/api/plugin.h"

namespace st::plugins {

void FairValueGap::bind(BindContext& ctx) {
  ctx.schema().require_history(3);  // this bar and the two before it
  min_gap_ = params().get_double("min_gap_percent") / 100.0;
  const std::string& d = params().get_string("direction");
  longs_ = d != "short";
  shorts_ = d != "long";
}

void FairValueGap::process(const TradingContext& ctx, SignalSink& out) {
  if (ctx.bar_index() < 2) return;
  const double low = ctx.value(columns::kLow), high = ctx.value(columns::kHigh);
  const double high2 = ctx.value(columns::kHigh, 2), low2 = ctx.value(columns::kLow, 2);
  const double close = ctx.bar().close;
  if (longs_ && low > high2 && (low - high2) >= min_gap_ * close)
    out.emit(Direction::kLong, "bullish_fvg", 1.0,
             {{"gap_low", high2}, {"gap_high", low}, {"gap_percent", (low - high2) / close * 100}});
  if (shorts_ && high < low2 && (low2 - high) >= min_gap_ * close)
    out.emit(Direction::kShort, "bearish_fvg", 1.0,
             {{"gap_low", high}, {"gap_high", low2}, {"gap_percent", (low2 - high) / close * 100}});
}

ST_REGISTER_PLUGIN("fair_value_gap", FairValueGap);

}  // namespace st::plugins
