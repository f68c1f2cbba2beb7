// The true range of a bar: the largest of its range and its gaps from the previous close.
#pragma once

#include <algorithm>
#include <cmath>

#include "backend/api/dto.h"

namespace st::plugins {

// With a NaN `prev_close` (no previous bar) both gaps are NaN and std::max, which keeps the first
// of the largest by operator<, passes over them: the bar's range.
inline double true_range(const Bar& b, double prev_close) {
  return std::max({b.high - b.low, std::fabs(b.high - prev_close), std::fabs(b.low - prev_close)});
}

}  // namespace st::plugins
