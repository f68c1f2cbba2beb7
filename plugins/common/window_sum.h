// WindowSum: the last n values of a series with a running sum in plain floating point and a
// rigorous bound on that sum's distance from the exact one. A worker that only compares the
// window sum with something (a threshold) decides from the running sum when the bound leaves no
// doubt, and asks for the exact, once-rounded sum (math.fsum of the window, via ExactSum) only
// when it does: the decisions are those of the exact sum, at the price of two additions a bar.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "plugins/common/exact_sum.h"

namespace st::plugins {

class WindowSum {
 public:
  explicit WindowSum(std::size_t n = 1) : values_(n, 0.0), n_(n) {}

  // Adds x; once the window is full, the oldest value leaves it.
  void push(double x) {
    if (count_ == n_) {
      const double without = sum_ - values_[next_];
      sum_ = without + x;
      error_ += (std::fabs(without) + std::fabs(sum_)) * kStep;
    } else {
      ++count_;
      sum_ += x;
      error_ += std::fabs(sum_) * kStep;
    }
    values_[next_] = x;
    next_ = next_ + 1 == n_ ? 0 : next_ + 1;
    // The bound grows by an ulp-sized step per operation: start again from the exact sum when
    // it is no longer tiny next to the sum (every few thousand values), which keeps the fast
    // decisions nearly all of them.
    if (error_ > std::fabs(sum_) * 0x1p-40) resync();
  }

  std::size_t size() const { return count_; }
  bool full() const { return count_ == n_; }
  // The running sum and a bound on |running - exact| (exact: the real sum of the window).
  double approx() const { return sum_; }
  double error_bound() const { return error_; }
  // The exact sum of the window rounded once to the nearest double, as math.fsum gives it.
  // O(n); no allocation after the first call.
  double exact() {
    exact_.clear();
    for (std::size_t k = 0; k < count_; ++k) exact_.add(values_[k]);
    return exact_.value();
  }

 private:
  // Each rounded operation is off by at most half an ulp of its result, which is at most
  // |result| * 2^-53; counted as 2^-52 for margin.
  static constexpr double kStep = 0x1p-52;
  [[gnu::noinline]] void resync() {
    sum_ = exact();
    error_ = std::fabs(sum_) * kStep;
  }

  std::vector<double> values_;
  std::size_t n_;  // values_.size(), kept: the per-bar tests read it
  std::size_t next_ = 0, count_ = 0;
  double sum_ = 0, error_ = 0;
  ExactSum exact_;
};

}  // namespace st::plugins
