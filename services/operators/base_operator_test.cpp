#include "services/operators/base_operator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "backend/core/diagnostics.h"

namespace st {
namespace {

using config::AggregationStrategy;
using config::ExecutionStrategy;

OperatorSettings settings(ExecutionStrategy e, AggregationStrategy a, int threads = 1) {
  return {"TestOperator", WorkerCategory::kOpportunity, e, a, threads};
}

// Workers 1 and 3 produce a result, 0 and 2 do not.
Outcome produce_odd(std::size_t i, std::vector<std::size_t>& ran) {
  ran.push_back(i);
  return i % 2 == 1 ? Outcome::kProduced : Outcome::kEmpty;
}

TEST(BaseOperator, CollectAllKeepsEveryNonEmptyResultInBlueprintOrder) {
  BaseOperator op(settings(ExecutionStrategy::kSequential, AggregationStrategy::kCollectAll), 4);
  std::vector<std::size_t> ran;
  const auto& kept = op.run([&](std::size_t i) { return produce_odd(i, ran); });
  EXPECT_EQ(ran, (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(kept, (std::vector<std::size_t>{1, 3}));
}

TEST(BaseOperator, ChainThroughStopsAtTheFirstWorkerThatProduces) {
  BaseOperator op(settings(ExecutionStrategy::kSequential, AggregationStrategy::kChainThrough), 4);
  std::vector<std::size_t> ran;
  const auto& kept = op.run([&](std::size_t i) { return produce_odd(i, ran); });
  EXPECT_EQ(ran, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(kept, (std::vector<std::size_t>{1}));
}

TEST(BaseOperator, ChainThroughEndsAtARejectionAndKeepsNothingFromIt) {
  BaseOperator op(settings(ExecutionStrategy::kSequential, AggregationStrategy::kChainThrough), 4);
  std::vector<std::size_t> ran;
  const auto& kept = op.run([&](std::size_t i) {
    ran.push_back(i);
    return i == 2 ? Outcome::kEndChain : Outcome::kEmpty;
  });
  EXPECT_EQ(ran, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_TRUE(kept.empty());
}

TEST(BaseOperator, NoneRunsEveryWorkerAndDiscardsResults) {
  BaseOperator op(settings(ExecutionStrategy::kSequential, AggregationStrategy::kNone), 4);
  std::vector<std::size_t> ran;
  const auto& kept = op.run([&](std::size_t i) { return produce_odd(i, ran); });
  EXPECT_EQ(ran.size(), 4u);
  EXPECT_TRUE(kept.empty());
}

TEST(BaseOperator, ParallelRunsOnSeveralThreadsAndCollectsInBlueprintOrder) {
  BaseOperator op(settings(ExecutionStrategy::kParallel, AggregationStrategy::kCollectAll, 4), 8);
  std::mutex mu;
  std::set<std::thread::id> threads;
  std::atomic<int> concurrent{0}, max_concurrent{0};
  const auto& kept = op.run([&](std::size_t i) {
    const int now = ++concurrent;
    int seen = max_concurrent.load();
    while (now > seen && !max_concurrent.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    {
      std::lock_guard lock(mu);
      threads.insert(std::this_thread::get_id());
    }
    --concurrent;
    return i % 3 == 0 ? Outcome::kProduced : Outcome::kEmpty;
  });
  EXPECT_GT(threads.size(), 1u);
  EXPECT_GT(max_concurrent.load(), 1);
  EXPECT_EQ(kept, (std::vector<std::size_t>{0, 3, 6}));
}

TEST(BaseOperator, ParallelOnOneThreadRunsInline) {
  BaseOperator op(settings(ExecutionStrategy::kParallel, AggregationStrategy::kCollectAll, 1), 3);
  std::set<std::thread::id> threads;
  op.run([&](std::size_t) {
    threads.insert(std::this_thread::get_id());
    return Outcome::kProduced;
  });
  EXPECT_EQ(threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(BaseOperator, EventDrivenRunsOnlyTheSubscribedWorkers) {
  BaseOperator op(settings(ExecutionStrategy::kEventDriven, AggregationStrategy::kNone), 3, {1, 2, 1 | 2});
  std::vector<std::size_t> ran;
  op.run([&](std::size_t i) {
    ran.push_back(i);
    return Outcome::kEmpty;
  }, 2);
  EXPECT_EQ(ran, (std::vector<std::size_t>{1, 2}));
}

TEST(BaseOperator, SequentialIgnoresSubscriptions) {
  BaseOperator op(settings(ExecutionStrategy::kSequential, AggregationStrategy::kNone), 3, {1, 2, 1 | 2});
  std::vector<std::size_t> ran;
  op.run([&](std::size_t i) {
    ran.push_back(i);
    return Outcome::kEmpty;
  }, 2);
  EXPECT_EQ(ran.size(), 3u);
}

// order(event) is the set run(task, event) calls when every task continues: what a caller that
// resolves it once per run walks instead.
TEST(BaseOperator, OrderIsWhatRunCalls) {
  for (const auto e : {ExecutionStrategy::kEventDriven, ExecutionStrategy::kSequential, ExecutionStrategy::kParallel})
    for (const auto a : {AggregationStrategy::kChainThrough, AggregationStrategy::kCollectAll, AggregationStrategy::kNone})
      for (const std::uint32_t event : {0u, 1u, 2u, 4u}) {
        BaseOperator op(settings(e, a), 4, {1, 2, 1 | 2, 4});
        std::vector<std::size_t> ran;
        op.run([&](std::size_t i) {
          ran.push_back(i);
          return Outcome::kEmpty;
        }, event);
        EXPECT_EQ(op.order(event), ran) << "event " << event;
      }
  BaseOperator driven(settings(ExecutionStrategy::kEventDriven, AggregationStrategy::kNone), 4, {1, 2, 1 | 2, 4});
  EXPECT_EQ(driven.order(2), (std::vector<std::size_t>{1, 2}));
  EXPECT_TRUE(driven.order(8).empty());
  BaseOperator pooled(settings(ExecutionStrategy::kParallel, AggregationStrategy::kCollectAll, 2), 3);
  EXPECT_THROW(pooled.order(0), Error);
}

TEST(OperatorSettings, DefaultsFollowTheDesign) {
  config::OperatorsConfig none;
  EXPECT_EQ(operator_settings(none, WorkerCategory::kContext).execution, ExecutionStrategy::kSequential);
  EXPECT_EQ(operator_settings(none, WorkerCategory::kOpportunity).aggregation, AggregationStrategy::kCollectAll);
  EXPECT_EQ(operator_settings(none, WorkerCategory::kThreat).execution, ExecutionStrategy::kParallel);
  EXPECT_EQ(operator_settings(none, WorkerCategory::kPlanning).aggregation, AggregationStrategy::kChainThrough);
  EXPECT_EQ(operator_settings(none, WorkerCategory::kExecution).execution, ExecutionStrategy::kEventDriven);
}

TEST(OperatorSettings, ConfigurationOverridesTheDefaults) {
  config::OperatorsConfig cfg;
  config::OperatorConfig op;
  op.operator_id = "MyOpportunities";
  op.manages = WorkerCategory::kOpportunity;
  op.execution = ExecutionStrategy::kSequential;
  op.aggregation = AggregationStrategy::kChainThrough;
  cfg.operators.push_back(op);
  const auto s = operator_settings(cfg, WorkerCategory::kOpportunity);
  EXPECT_EQ(s.operator_id, "MyOpportunities");
  EXPECT_EQ(s.aggregation, AggregationStrategy::kChainThrough);
}

TEST(OperatorSettings, RefusesAParallelChain) {
  config::OperatorsConfig cfg;
  config::OperatorConfig op;
  op.operator_id = "PlanningOperator";
  op.manages = WorkerCategory::kPlanning;
  op.execution = ExecutionStrategy::kParallel;
  op.aggregation = AggregationStrategy::kChainThrough;
  cfg.operators.push_back(op);
  try {
    operator_settings(cfg, WorkerCategory::kPlanning);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("CHAIN_THROUGH needs SEQUENTIAL"), std::string::npos);
  }
}

TEST(OperatorSettings, RefusesParallelExecutionWorkers) {
  config::OperatorsConfig cfg;
  config::OperatorConfig op;
  op.operator_id = "ExecutionOperator";
  op.manages = WorkerCategory::kExecution;
  op.execution = ExecutionStrategy::kParallel;
  op.aggregation = AggregationStrategy::kNone;
  cfg.operators.push_back(op);
  EXPECT_THROW(operator_settings(cfg, WorkerCategory::kExecution), Error);
}

TEST(ThreadPool, RunsEveryIndexExactlyOnceAcrossManyRounds) {
  ThreadPool pool(4);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::atomic<int>> hits(17);
    pool.run(hits.size(), [&](std::size_t i) { ++hits[i]; });
    for (auto& h : hits) ASSERT_EQ(h.load(), 1);
  }
}

}  // namespace
}  // namespace st
