#include "backend/config/config.h"

namespace st::config {

const char* to_string(ExecutionStrategy e) {
  switch (e) {
    case ExecutionStrategy::kSequential: return "SEQUENTIAL";
    case ExecutionStrategy::kParallel: return "PARALLEL";
    case ExecutionStrategy::kEventDriven: return "EVENT_DRIVEN";
  }
  return "?";
}
const char* to_string(AggregationStrategy a) {
  switch (a) {
    case AggregationStrategy::kChainThrough: return "CHAIN_THROUGH";
    case AggregationStrategy::kCollectAll: return "COLLECT_ALL";
    case AggregationStrategy::kNone: return "NONE";
  }
  return "?";
}
const char* to_string(Environment e) {
  switch (e) {
    case Environment::kBacktest: return "backtest";
    case Environment::kPaper: return "paper";
    case Environment::kLive: return "live";
  }
  return "?";
}

}  // namespace st::config
