#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

Severity parse_severity(const std::string& text);

class MaxDrawdown final : public ThreatWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(const TradingContext& ctx, const LedgerView& ledger, ThreatSink& out) override;

 private:
  // The breach (rare): out of line, so the per-bar test stays small.
  [[gnu::noinline]] void breached(ThreatSink& out, double equity, double peak, double dd);
  double limit_ = 10;
  Severity severity_ = Severity::kHigh;
  std::int64_t pause_bars_ = 0;
  std::int64_t active_bars_ = 0;
  bool rebased_ = false;
  double base_ = 0;
  // The last bar's inputs, and whether it ended without raising or changing anything but what
  // the same inputs set again (then the next bar with the same inputs has nothing to do).
  static bool same(Decimal a, Decimal b) { return a.raw() == b.raw() && a.scale() == b.scale(); }
  Decimal last_equity_, last_peak_;
  bool quiet_ = false;
};

}  // namespace st::plugins
