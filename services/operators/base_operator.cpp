#include "services/operators/base_operator.h"

#include <fmt/format.h>

#include "backend/core/diagnostics.h"

namespace st {

using config::AggregationStrategy;
using config::ExecutionStrategy;

BaseOperator::BaseOperator(OperatorSettings settings, std::size_t workers, std::vector<std::uint32_t> subscriptions)
    : settings_(std::move(settings)), n_(workers), subscriptions_(std::move(subscriptions)) {
  subscriptions_.resize(n_, ~0u);
  outcomes_.resize(n_, Outcome::kEmpty);
  kept_.reserve(n_);
  if (settings_.execution == ExecutionStrategy::kParallel && settings_.threads > 1 && n_ > 1)
    pool_ = std::make_unique<ThreadPool>(settings_.threads);
}

std::vector<std::size_t> BaseOperator::order(std::uint32_t event) const {
  if (pooled())
    throw Error(fmt::format("operator {}: a PARALLEL operator with threads has no order", settings_.operator_id));
  std::vector<std::size_t> workers;
  const bool filter = settings_.execution == ExecutionStrategy::kEventDriven && event != 0;
  for (std::size_t i = 0; i < n_; ++i)
    if (!filter || (subscriptions_[i] & event) != 0) workers.push_back(i);
  return workers;
}

const std::vector<std::size_t>& BaseOperator::run_pooled(FunctionRef<Outcome(std::size_t)> task) {
  kept_.clear();
  pool_->run(n_, [&](std::size_t i) { outcomes_[i] = task(i); });
  if (settings_.aggregation != AggregationStrategy::kNone)
    for (std::size_t i = 0; i < n_; ++i)
      if (outcomes_[i] == Outcome::kProduced) kept_.push_back(i);
  return kept_;
}

OperatorSettings operator_settings(const config::OperatorsConfig& cfg, WorkerCategory category) {
  OperatorSettings s;
  s.category = category;
  switch (category) {
    case WorkerCategory::kContext:
      s = {"ContextOperator", category, ExecutionStrategy::kSequential, AggregationStrategy::kChainThrough, 1};
      break;
    case WorkerCategory::kOpportunity:
      s = {"OpportunityOperator", category, ExecutionStrategy::kParallel, AggregationStrategy::kCollectAll, 1};
      break;
    case WorkerCategory::kThreat:
      s = {"ThreatOperator", category, ExecutionStrategy::kParallel, AggregationStrategy::kCollectAll, 1};
      break;
    case WorkerCategory::kPlanning:
      s = {"PlanningOperator", category, ExecutionStrategy::kSequential, AggregationStrategy::kChainThrough, 1};
      break;
    case WorkerCategory::kExecution:
      s = {"ExecutionOperator", category, ExecutionStrategy::kEventDriven, AggregationStrategy::kNone, 1};
      break;
  }
  for (const auto& op : cfg.operators) {
    if (op.manages != category) continue;
    s.operator_id = op.operator_id;
    s.execution = op.execution;
    s.aggregation = op.aggregation;
    s.threads = op.threads;
  }
  const std::string where = s.operator_id + " (operators.yaml)";
  if (s.aggregation == AggregationStrategy::kChainThrough && s.execution == ExecutionStrategy::kParallel)
    throw Error(fmt::format("{}: CHAIN_THROUGH needs SEQUENTIAL or EVENT_DRIVEN execution (a chain has an order), "
                            "found PARALLEL",
                            where));
  if (category == WorkerCategory::kExecution && s.execution == ExecutionStrategy::kParallel)
    throw Error(fmt::format("{}: execution workers act on the ledger and cannot run PARALLEL; use EVENT_DRIVEN or "
                            "SEQUENTIAL",
                            where));
  if (category == WorkerCategory::kContext && s.aggregation == AggregationStrategy::kNone)
    throw Error(fmt::format("{}: context workers must keep their columns; NONE is not allowed", where));
  return s;
}

std::unique_ptr<BaseOperator> make_operator(const config::OperatorsConfig& cfg, WorkerCategory category,
                                            std::size_t workers, std::vector<std::uint32_t> subscriptions) {
  return std::make_unique<BaseOperator>(operator_settings(cfg, category), workers, std::move(subscriptions));
}

}  // namespace st
