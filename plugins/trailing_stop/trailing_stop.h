#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class TrailingStop final : public ExecutionWorker, public Stateful {
 public:
  void bind(BindContext& ctx) override;
  void on_bar(const TradingContext& market, ExecutionContext& ctx) override;

 private:
  ColumnId atr_ = 0;
  double multiple_ = 3;
};

}  // namespace st::plugins
