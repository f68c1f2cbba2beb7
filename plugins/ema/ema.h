#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

// EMA over a source column; NaN during warm-up (seed = sma) .
class Ema final : public ContextWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(TradingContext& ctx) override;

 private:
  ColumnId source_ = 0, output_ = 0;
  std::int64_t period_ = 20;
  bool adjusted_ = false;
  double num_ = 0, den_ = 0;
  bool seed_sma_ = true;
  double alpha_ = 0, value_ = 0, sum_ = 0;
  std::int64_t seen_ = 0;
};

}  // namespace st::plugins
