#pragma once
#include <vector>

#include "backend/api/worker.h"
#include "plugins/common/exact_sum.h"

namespace st::plugins {

class Bollinger final : public ContextWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(TradingContext& ctx) override;

 private:
  ColumnId source_ = 0, mid_ = 0, up_ = 0, lo_ = 0;
  std::size_t period_ = 20, head_ = 0, filled_ = 0;
  double k_ = 2;
  int ddof_ = 0;
  std::vector<double> window_;
  ExactSum sum_, sq_;  // exact window sums of x and x*x
};

}  // namespace st::plugins
