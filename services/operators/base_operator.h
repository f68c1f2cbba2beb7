// BaseOperator: ONE generic operator class, configured per worker category by operators.yaml
// (DESIGN §5). It decides how the workers of its category run and which results count; what a
// "result" is belongs to the caller (a column, signals, threats, a plan).
//
// Execution strategy
//   SEQUENTIAL    workers run one by one in blueprint order, on the calling thread.
//   PARALLEL      workers run at once on the thread pool, each on the same input, each writing
//                 its own result slot; results are taken in blueprint order, so the outcome is
//                 identical on one thread or many.
//   EVENT_DRIVEN  a worker runs only for the events it subscribes to, in blueprint order.
// Aggregation strategy
//   CHAIN_THROUGH the output of one worker is the input of the next, in order; the chain ends
//                 at the first worker that ends it (a planner's rejection; for opportunity and
//                 threat workers, the first that produces a result: priority order).
//   COLLECT_ALL   every worker runs; every non-empty result is kept, in blueprint order.
//   NONE          every worker runs for its side effects; results are discarded.
// CHAIN_THROUGH needs SEQUENTIAL (a chain has an order); the factory refuses PARALLEL with it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backend/config/config.h"
#include "backend/core/function_ref.h"
#include "services/operators/thread_pool.h"

namespace st {

enum class Outcome { kEmpty, kProduced, kEndChain };

struct OperatorSettings {
  std::string operator_id;
  WorkerCategory category = WorkerCategory::kContext;
  config::ExecutionStrategy execution = config::ExecutionStrategy::kSequential;
  config::AggregationStrategy aggregation = config::AggregationStrategy::kChainThrough;
  int threads = 1;
};

class BaseOperator {
 public:
  // `subscriptions[i]` is a bitmask of the events worker i takes (EVENT_DRIVEN only).
  BaseOperator(OperatorSettings settings, std::size_t workers, std::vector<std::uint32_t> subscriptions = {});

  const OperatorSettings& settings() const { return settings_; }
  std::size_t size() const { return n_; }
  // The workers run(task, event) calls on the calling thread, in order, when no task ends the
  // chain: for a caller that runs such tasks on every bar and resolves the set once (it depends
  // on the strategies and the subscriptions only). Not for a PARALLEL operator with a pool.
  std::vector<std::size_t> order(std::uint32_t event) const;
  // Whether run() hands the workers to a thread pool (PARALLEL with threads and workers to share).
  bool pooled() const { return pool_ != nullptr; }

  // Runs task(i) for the workers per the execution strategy (only those subscribed to `event`
  // when EVENT_DRIVEN; event = 0 means "every worker"). Returns the indices whose results count,
  // per the aggregation strategy, in blueprint order. The returned reference is valid until the
  // next call.
  // A template, defined here: on the calling thread (every strategy but a PARALLEL one with a
  // pool) the task is inlined into the loop, with no indirect call per worker; an empty workforce
  // (five operators run per bar) costs one compare.
  template <class Task>
  const std::vector<std::size_t>& run(Task&& task, std::uint32_t event = 0) {
    if (n_ == 0) return kept_;  // never filled when there are no workers
    if (pooled()) {
      // A copy goes to the pool: were `task` itself to escape, the loop below would reload its
      // captures from memory after every worker's call.
      auto pooled = task;
      return run_pooled(FunctionRef<Outcome(std::size_t)>(pooled));
    }
    kept_.clear();
    // In blueprint order (SEQUENTIAL, EVENT_DRIVEN, and PARALLEL on one thread): one pass. What
    // the loop reads is in locals: a worker's call is opaque, so members would be reloaded after
    // each one.
    const std::size_t n = n_;
    const bool keep = settings_.aggregation != config::AggregationStrategy::kNone;
    const bool chain = settings_.aggregation == config::AggregationStrategy::kChainThrough;
    const std::uint32_t* const filter =
        settings_.execution == config::ExecutionStrategy::kEventDriven && event != 0 ? subscriptions_.data() : nullptr;
    for (std::size_t i = 0; i < n; ++i) {
      if (filter != nullptr && (filter[i] & event) == 0) continue;
      const Outcome o = task(i);
      if (o == Outcome::kProduced && keep) kept_.push_back(i);
      // The chain ends here: either a worker ended it, or (for result-producing categories) the
      // first result wins. Context and planning chains report kEmpty to continue.
      if (chain && o != Outcome::kEmpty) break;
    }
    return kept_;
  }

 private:
  OperatorSettings settings_;
  const std::vector<std::size_t>& run_pooled(FunctionRef<Outcome(std::size_t)> task);

  std::size_t n_;
  std::vector<std::uint32_t> subscriptions_;
  std::unique_ptr<ThreadPool> pool_;
  std::vector<Outcome> outcomes_;
  std::vector<std::size_t> kept_;
};

// Builds the operator of `category` from operators.yaml (missing entries take DESIGN defaults).
// Throws st::Error for combinations that make no sense (CHAIN_THROUGH with PARALLEL; PARALLEL
// execution workers, which act on the shared ledger).
OperatorSettings operator_settings(const config::OperatorsConfig& cfg, WorkerCategory category);
std::unique_ptr<BaseOperator> make_operator(const config::OperatorsConfig& cfg, WorkerCategory category,
                                            std::size_t workers, std::vector<std::uint32_t> subscriptions = {});

using config::to_string;

}  // namespace st
