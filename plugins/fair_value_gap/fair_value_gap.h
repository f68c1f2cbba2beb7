#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class FairValueGap final : public OpportunityWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(const TradingContext& ctx, SignalSink& out) override;

 private:
  double min_gap_ = 0.001;
  bool longs_ = true, shorts_ = false;
};

}  // namespace st::plugins
