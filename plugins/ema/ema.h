#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

// EMA over a source column; NaN during warm-up (seed = sma) .
class Ema final : public ContextWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(TradingContext& ctx) override;
  bool process_block(ContextBlock& block) override;

 private:
  // The next value from the next source value (both paths: the same arithmetic).
  double step(double x) {
    ++seen_;
    if (adjusted_) {
      // pandas adjust=True: sum (1-a)^i x[t-i] / sum (1-a)^i, kept as two running sums.
      num_ = x + (1.0 - alpha_) * num_;
      den_ = 1.0 + (1.0 - alpha_) * den_;
      return num_ / den_;
    }
    if (seed_sma_ && seen_ <= period_) {
      sum_ += x;
      if (seen_ < period_) return TradingContext::kNaN;
      value_ = sum_ / static_cast<double>(period_);
    } else if (seen_ == 1) {
      value_ = x;
    } else {
      value_ = alpha_ * x + (1.0 - alpha_) * value_;
    }
    return value_;
  }
  ColumnId source_ = 0, output_ = 0;
  std::int64_t period_ = 20;
  bool adjusted_ = false;
  double num_ = 0, den_ = 0;
  bool seed_sma_ = true;
  double alpha_ = 0, value_ = 0, sum_ = 0;
  std::int64_t seen_ = 0;
};

}  // namespace st::plugins
