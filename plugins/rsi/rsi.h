#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class Rsi final : public ContextWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(TradingContext& ctx) override;

 private:
  ColumnId source_ = 0, output_ = 0;
  std::int64_t period_ = 14, seen_ = 0;
  bool wilder_ = true;
  double prev_ = 0, up_ = 0, down_ = 0;
};

}  // namespace st::plugins
