#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class MaCross final : public OpportunityWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(const TradingContext& ctx, SignalSink& out) override;

 private:
  ColumnId fast_ = 0, slow_ = 0;
  bool longs_ = true, shorts_ = false;
  double last_nonzero_ = 0;
  bool seeded_ = false;
};

}  // namespace st::plugins
