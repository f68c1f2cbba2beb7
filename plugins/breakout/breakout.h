#pragma once
#include <deque>
#include <utility>

#include "backend/api/worker.h"

namespace st::plugins {

// Rolling maximum (or minimum, with a negated input) of the last n values.
class RollingMax {
 public:
  explicit RollingMax(std::int64_t n = 1) : n_(n) {}
  void push(std::int64_t i, double v) {
    while (!q_.empty() && q_.back().second <= v) q_.pop_back();
    q_.emplace_back(i, v);
    while (q_.front().first <= i - n_) q_.pop_front();
  }
  double value() const { return q_.front().second; }

 private:
  std::int64_t n_;
  std::deque<std::pair<std::int64_t, double>> q_;
};

class Breakout final : public OpportunityWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(const TradingContext& ctx, SignalSink& out) override;

 private:
  std::int64_t period_ = 20, exit_period_ = 10, seen_ = 0;
  bool longs_ = true, shorts_ = false;
  RollingMax high_, low_neg_, exit_low_neg_, exit_high_;
};

}  // namespace st::plugins
