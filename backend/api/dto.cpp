#include "backend/api/dto.h"

namespace st {

const char* to_string(Direction d) { return d == Direction::kLong ? "LONG" : "SHORT"; }

const char* to_string(Severity s) {
  switch (s) {
    case Severity::kLow: return "LOW";
    case Severity::kMedium: return "MEDIUM";
    case Severity::kHigh: return "HIGH";
    case Severity::kCritical: return "CRITICAL";
  }
  return "?";
}

const char* to_string(OrderType t) {
  switch (t) {
    case OrderType::kMarket: return "MARKET";
    case OrderType::kLimit: return "LIMIT";
    case OrderType::kStop: return "STOP";
    case OrderType::kStopLimit: return "STOP_LIMIT";
  }
  return "?";
}

const char* to_string(OrderSide s) { return s == OrderSide::kBuy ? "BUY" : "SELL"; }

}  // namespace st
