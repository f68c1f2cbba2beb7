#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class Atr final : public ContextWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(TradingContext& ctx) override;

 private:
  ColumnId output_ = 0;
  std::int64_t period_ = 14, seen_ = 0;
  double prev_close_ = 0, sum_ = 0, value_ = 0;
};

}  // namespace st::plugins
