#include "plugins/data_gap/data_gap.h"

#include <fmt/format.h>

#include "backend/api/plugin.h"
#include "backend/core/diagnostics.h"
#include "plugins/max_drawdown/max_drawdown.h"

namespace st::plugins {

void DataGap::bind(BindContext& ctx) {
  max_gap_ = params().get_double("max_gap_bars");
  hold_ = params().get_int("hold_bars");
  severity_ = parse_severity(params().get_string("severity"));
  timeframe_ = ctx.instrument().timeframe_ns;
  if (timeframe_ <= 0) throw Error("data_gap needs the strategy link's timeframe");
}

void DataGap::process(const TradingContext& ctx, const LedgerView&, ThreatSink& out) {
  const Timestamp now = ctx.time();
  if (have_prev_) {
    const double bars = static_cast<double>(now.ns - prev_.ns) / static_cast<double>(timeframe_);
    if (bars > max_gap_) {
      left_ = hold_;
      last_gap_bars_ = bars;
    }
  }
  prev_ = now;
  have_prev_ = true;
  if (left_ > 0) {
    --left_;
    if (!out.still_active("DATA_GAP"))
      out.raise("DATA_GAP", severity_,
                fmt::format("{:.4g} timeframes since the previous bar (more than {})", last_gap_bars_, max_gap_),
                {{"gap_bars", last_gap_bars_}, {"max_gap_bars", max_gap_}});
  }
}

ST_REGISTER_PLUGIN("data_gap", DataGap);

}  // namespace st::plugins
