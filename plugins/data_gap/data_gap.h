#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class DataGap final : public ThreatWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(const TradingContext& ctx, const LedgerView& ledger, ThreatSink& out) override;

 private:
  double max_gap_ = 3;
  std::int64_t hold_ = 1, left_ = 0, timeframe_ = 0;
  Severity severity_ = Severity::kMedium;
  Timestamp prev_;
  bool have_prev_ = false;
  double last_gap_bars_ = 0;
};

}  // namespace st::plugins
