#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class RsiReversion final : public OpportunityWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(const TradingContext& ctx, SignalSink& out) override;

 private:
  ColumnId rsi_ = 0;
  double oversold_ = 30, overbought_ = 70, exit_ = 50;
  bool longs_ = true, shorts_ = false;
};

}  // namespace st::plugins
