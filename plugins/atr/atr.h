#pragma once
#include "backend/api/worker.h"
#include "plugins/common/true_range.h"

namespace st::plugins {

class Atr final : public ContextWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(TradingContext& ctx) override;
  bool process_block(ContextBlock& block) override;

 private:
  // This bar's value (NaN until `period` true ranges are in): Wilder's smoothing.
  double step(const Bar& b) {
    const std::int64_t i = seen_++;
    double out = TradingContext::kNaN;
    if (i > 0) {
      const double tr = true_range(b, prev_close_);
      if (i <= period_) {
        sum_ += tr;
        if (i == period_) value_ = sum_ / static_cast<double>(period_), out = value_;
      } else {
        value_ = value_ + (tr - value_) / static_cast<double>(period_);
        out = value_;
      }
    }
    prev_close_ = b.close;
    return out;
  }
  ColumnId output_ = 0;
  std::int64_t period_ = 14, seen_ = 0;
  double prev_close_ = 0, sum_ = 0, value_ = 0;
};

}  // namespace st::plugins
