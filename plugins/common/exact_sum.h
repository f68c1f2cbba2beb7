// ExactSum: an exactly rounded running sum that also supports removal, for O(1) sliding-window
// indicators whose window sums must equal Python's math.fsum (Shewchuk's non-overlapping
// partials). add() and remove() are exact; value() rounds the exact sum once, half to even.
// The partials list stays short (a handful of doubles) for market data.
#pragma once

#include <cmath>
#include <vector>

namespace st::plugins {

class ExactSum {
 public:
  ExactSum() { partials_.reserve(8); }
  void add(double x) {
    std::size_t i = 0;
    const std::size_t n = partials_.size();
    double* p = partials_.data();
    for (std::size_t k = 0; k < n; ++k) {
      double y = p[k];
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      const double hi = x + y;
      const double lo = y - (hi - x);
      if (lo != 0.0) p[i++] = lo;
      x = hi;
    }
    if (i < n) {  // the list shrank or kept its length: write in place
      p[i] = x;
      partials_.resize(i + 1);
    } else {
      partials_.push_back(x);
    }
  }
  void remove(double x) { add(-x); }
  void clear() { partials_.clear(); }

  // The exact sum rounded to the nearest double (math.fsum's final step).
  double value() const {
    std::size_t n = partials_.size();
    if (n == 0) return 0.0;
    double hi = partials_[--n];
    double lo = 0.0;
    while (n > 0) {
      const double x = hi;
      const double y = partials_[--n];
      hi = x + y;
      const double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) break;
    }
    if (n > 0 && ((lo < 0 && partials_[n - 1] < 0) || (lo > 0 && partials_[n - 1] > 0))) {
      const double y = lo * 2;
      const double x = hi + y;
      const double yr = x - hi;
      if (y == yr) hi = x;
    }
    return hi;
  }

 private:
  std::vector<double> partials_;
};

}  // namespace st::plugins
