#pragma once
#include <vector>

#include "backend/api/worker.h"
#include "plugins/common/exact_sum.h"

namespace st::plugins {

class Regime final : public ContextWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(TradingContext& ctx) override;

 private:
  std::size_t period_ = 20;
  double threshold_ = 0.3;
  ColumnId output_ = 0, er_ = 0;
  bool has_er_ = false;
  std::vector<double> closes_;  // ring of the last period + 1 closes
  std::vector<double> moves_;   // ring of the last period |close - close[1]|
  ExactSum path_;
  std::int64_t seen_ = 0;
};

}  // namespace st::plugins
