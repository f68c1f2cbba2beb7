#pragma once
#include <vector>

#include "backend/api/worker.h"
#include "plugins/common/exact_sum.h"

namespace st::plugins {

class Sma final : public ContextWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(TradingContext& ctx) override;

 private:
  ColumnId source_ = 0, output_ = 0;
  std::size_t period_ = 20, head_ = 0, filled_ = 0;
  bool exact_ = true;
  std::vector<double> window_;
  ExactSum exact_sum_;
  double running_ = 0;
};

}  // namespace st::plugins
