#include "plugins/max_drawdown/max_drawdown.h"

#include <fmt/format.h>

#include "backend/api/plugin.h"

namespace st::plugins {

Severity parse_severity(const std::string& text) {
  if (text == "LOW") return Severity::kLow;
  if (text == "MEDIUM") return Severity::kMedium;
  if (text == "CRITICAL") return Severity::kCritical;
  return Severity::kHigh;
}

void MaxDrawdown::bind(BindContext&) {
  limit_ = params().get_double("max_drawdown_percent");
  severity_ = parse_severity(params().get_string("severity"));
  pause_bars_ = params().get_int("pause_bars");
}

void MaxDrawdown::process(const TradingContext&, const LedgerView& ledger, ThreatSink& out) {
  const Decimal equity_d = ledger.equity(), peak_d = ledger.peak_equity();
  // The same equity and peak as on a bar that raised nothing (no position open: most bars) give
  // the same outcome, with nothing to update: the test is a comparison of the exact values.
  if (quiet_ && same(equity_d, last_equity_) && same(peak_d, last_peak_)) return;
  quiet_ = false;
  last_equity_ = equity_d;
  last_peak_ = peak_d;
  const double equity = equity_d.to_double();
  double peak = peak_d.to_double();
  if (rebased_) {
    // After a pause the peak counts from the equity at the end of the pause.
    base_ = std::max(base_, equity);
    peak = base_;
  }
  if (peak <= 0) {
    quiet_ = true;
    return;
  }
  const double dd = (peak - equity) / peak * 100.0;
  if (dd < limit_) {
    active_bars_ = 0;
    quiet_ = true;
    return;
  }
  if (pause_bars_ > 0 && ++active_bars_ > pause_bars_) {
    // The pause is over: re-base the peak (not raising now clears the threat).
    rebased_ = true;
    base_ = equity;
    active_bars_ = 0;
    return;
  }
  breached(out, equity, peak, dd);
}

void MaxDrawdown::breached(ThreatSink& out, double equity, double peak, double dd) {
  if (out.still_active("MAX_DRAWDOWN_BREACHED")) return;  // no message built on every bar of it
  out.raise("MAX_DRAWDOWN_BREACHED", severity_,
            fmt::format("equity {:.2f} is {:.2f}% below its peak {:.2f} (limit {}%)", equity, dd, peak, limit_),
            {{"drawdown_percent", dd}, {"equity", equity}, {"peak_equity", peak}, {"limit_percent", limit_}});
}

ST_REGISTER_PLUGIN("max_drawdown", MaxDrawdown);

}  // namespace st::plugins
