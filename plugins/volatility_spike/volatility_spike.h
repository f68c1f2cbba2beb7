#pragma once
#include <vector>

#include "backend/api/worker.h"
#include "plugins/common/true_range.h"
#include "plugins/common/window_sum.h"

namespace st::plugins {

class VolatilitySpike final : public ThreatWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(const TradingContext& ctx, const LedgerView& ledger, ThreatSink& out) override;

 private:
  // Whether tr is below the spike threshold beyond doubt, from the running sum and its bound.
  bool clearly_below(double tr) const;
  // The decision on the exact mean of the window (math.fsum / period); sets the spike's figures.
  [[gnu::noinline]] bool exact_spike(double tr);
  // A spike or its hold (rare): out of line, so the per-bar update stays small.
  [[gnu::noinline]] void raise_spike(ThreatSink& out);
  std::size_t period_ = 20;
  double multiple_ = 3;
  std::int64_t hold_ = 0, left_ = 0;
  Severity severity_ = Severity::kMedium;
  WindowSum window_;  // the previous `period` true ranges
  double below_factor_ = 0;
  double prev_close_ = TradingContext::kNaN, last_ratio_ = 0, last_range_ = 0, last_mean_ = 0;
};

}  // namespace st::plugins
