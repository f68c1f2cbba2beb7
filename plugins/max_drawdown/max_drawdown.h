#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

Severity parse_severity(const std::string& text);

class MaxDrawdown final : public ThreatWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(const TradingContext& ctx, const LedgerView& ledger, ThreatSink& out) override;

 private:
  double limit_ = 10;
  Severity severity_ = Severity::kHigh;
};

}  // namespace st::plugins
