// End to end: the example configuration through the real registry, runner and journal.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "backend/config/loader.h"
#include "backend/journal/integrity.h"
#include "backend/journal/reader.h"
#include "backend/registry/registry.h"
#include "services/explain/explain.h"
#include "services/runner/strategy_runner.h"

namespace st {
namespace {
namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class BacktestE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    Diagnostics diags;
    registry_ = std::make_unique<PluginRegistry>(PluginRegistry::load({}, diags));
    ASSERT_TRUE(diags.empty()) << diags.to_string();
    config_ = config::load_config(std::string(ST_SOURCE_DIR) + "/config", registry_.get(), {}, diags);
    ASSERT_TRUE(diags.empty()) << diags.to_string();
    out_ = fs::path(ST_BINARY_DIR) / "e2e" / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(out_);
  }

  const config::StrategyLinkConfig& link(const std::string& name) const {
    for (const auto& op : config_.operations)
      for (const auto& l : op.strategy_links)
        if (l.name == name) return l;
    throw Error("no link " + name);
  }

  LinkSummary run(const std::string& link_name, const std::string& sub, const config::ConfigSet* cfg = nullptr) {
    RunOptions options;
    options.out_dir = (out_ / sub).string();
    return run_link(cfg ? *cfg : config_, *registry_, link(link_name), options);
  }

  std::vector<nlohmann::ordered_json> journal(const std::string& sub, const std::string& link_name) {
    return journal::read_journal((out_ / sub / link_name / "journal.jsonl").string());
  }

  std::unique_ptr<PluginRegistry> registry_;
  config::ConfigSet config_;
  fs::path out_;
};

// A worker of a blueprint as the loader makes it from `plugin:`, `id:` and `params:`.
config::WorkerConfig worker(const std::string& plugin, const std::string& id,
                            const std::map<std::string, ParamValue>& params) {
  config::WorkerConfig w;
  w.plugin = plugin;
  w.id = id;
  for (const auto& [k, v] : params) w.params[k] = {v, {}};
  return w;
}

std::size_t count(const std::vector<nlohmann::ordered_json>& j, const std::string& type) {
  std::size_t n = 0;
  for (const auto& e : j) n += e["event_type"] == type;
  return n;
}

TEST_F(BacktestE2E, TrendStrategyJournalIsCausallyComplete) {
  const auto s = run("trend_synth", "a");
  EXPECT_GT(s.trades_closed, 3);
  const auto j = journal("a", "trend_synth");
  const auto problems = journal::check_integrity(j);
  EXPECT_TRUE(problems.empty()) << problems.front();
  // Every TRADE_OPENED names an opportunity detected before it; every TRADE_CLOSED an opened
  // trade; every rejection a reason, and its threat (if any) was detected before.
  std::set<std::string> opportunities, trades, threats;
  for (const auto& e : j) {
    const std::string type = e["event_type"];
    if (type == "OPPORTUNITY_DETECTED") opportunities.insert(e["opportunity_id"].get<std::string>());
    if (type == "THREAT_DETECTED") threats.insert(e["threat_id"].get<std::string>());
    if (type == "TRADE_OPENED") {
      ASSERT_TRUE(opportunities.count(e["opportunity_id"].get<std::string>())) << e.dump();
      trades.insert(e["trade_id"].get<std::string>());
    }
    if (type == "TRADE_CLOSED") {
      ASSERT_TRUE(trades.count(e["trade_id"].get<std::string>())) << e.dump();
    }
    if (type == "OPPORTUNITY_REJECTED") {
      ASSERT_FALSE(e["reason"].get<std::string>().empty());
      if (!e["threat_id"].is_null()) {
        ASSERT_TRUE(threats.count(e["threat_id"].get<std::string>())) << e.dump();
      }
    }
  }
  EXPECT_EQ(count(j, "TRADE_OPENED"), static_cast<std::size_t>(s.trades_closed + s.trades_open));
}

TEST_F(BacktestE2E, EveryTradeCanBeExplainedFromTheJournalAlone) {
  run("trend_synth", "a");
  const auto j = journal("a", "trend_synth");
  int explained = 0;
  for (const auto& e : j) {
    if (e["event_type"] != "TRADE_OPENED") continue;
    const auto ex = explain_trade(j, e["trade_id"].get<std::string>());
    const std::string text = render_text(ex);
    EXPECT_NE(text.find("ma_cross"), std::string::npos) << text;
    // The CLI's way, streaming the file and parsing only the lines that can matter: the same.
    const auto streamed = explain_trade_in_file((out_ / "a" / "trend_synth" / "journal.jsonl").string(), ex.trade_id);
    ASSERT_TRUE(streamed.has_value());
    EXPECT_EQ(render_json(*streamed).dump(), render_json(ex).dump());
    ++explained;
  }
  EXPECT_GT(explained, 0);
  EXPECT_FALSE(explain_trade_in_file((out_ / "a" / "trend_synth" / "journal.jsonl").string(),
                                     "00000000-0000-4000-8000-000000000000"));
}

TEST_F(BacktestE2E, ProgressCountsBarsThenSaysWhileTheOutputsAreWritten) {
  std::vector<RunProgress> calls;
  RunOptions options;
  options.out_dir = (out_ / "p").string();
  options.progress = [&](const RunProgress& p) {
    calls.push_back(p);
    if (p.phase != nullptr) {  // the bars are done, the outputs not yet
      EXPECT_FALSE(fs::exists(out_ / "p" / "trend_synth" / "report.html"));
    }
  };
  const auto s = run_link(config_, *registry_, link("trend_synth"), options);
  ASSERT_GE(calls.size(), 3u);
  const RunProgress& writing = calls[calls.size() - 2];
  ASSERT_NE(writing.phase, nullptr);
  EXPECT_NE(std::string(writing.phase).find("report.html"), std::string::npos);
  EXPECT_EQ(writing.bars, s.bars);
  EXPECT_EQ(calls.back().phase, nullptr);  // done: the outputs are there
  EXPECT_EQ(calls.back().bars, s.bars);
  EXPECT_EQ(calls.back().total_bars, s.bars);
  EXPECT_TRUE(fs::exists(out_ / "p" / "trend_synth" / "report.html"));
  for (std::size_t i = 1; i < calls.size(); ++i) EXPECT_GE(calls[i].bars, calls[i - 1].bars);
}

TEST_F(BacktestE2E, NoLookAheadEntriesFillOnTheBarAfterTheSignal) {
  run("trend_synth", "a");
  const auto j = journal("a", "trend_synth");
  std::map<std::string, std::string> detected_at;
  for (const auto& e : j) {
    if (e["event_type"] == "OPPORTUNITY_DETECTED") detected_at[e["opportunity_id"]] = e["timestamp"];
    if (e["event_type"] == "TRADE_OPENED") {
      EXPECT_LT(detected_at[e["opportunity_id"]], e["timestamp"].get<std::string>()) << e.dump();
    }
  }
}

TEST_F(BacktestE2E, SameRunTwiceGivesByteIdenticalOutputs) {
  run("trend_synth", "a");
  run("trend_synth", "b");
  for (const char* f : {"journal.jsonl", "trades.csv", "equity.csv", "summary.json"}) {
    const auto a = read_file(out_ / "a" / "trend_synth" / f);
    EXPECT_FALSE(a.empty()) << f;
    EXPECT_EQ(a, read_file(out_ / "b" / "trend_synth" / f)) << f;
  }
}

TEST_F(BacktestE2E, ParallelOperatorsOnOneAndFourThreadsGiveIdenticalJournals) {
  auto cfg = config_;
  for (auto category : {WorkerCategory::kOpportunity, WorkerCategory::kThreat}) {
    config::OperatorConfig op;
    op.operator_id = category == WorkerCategory::kOpportunity ? "OpportunityOperator" : "ThreatOperator";
    op.manages = category;
    op.execution = config::ExecutionStrategy::kParallel;
    op.aggregation = config::AggregationStrategy::kCollectAll;
    op.threads = 1;
    std::erase_if(cfg.operators.operators, [&](const config::OperatorConfig& o) { return o.manages == category; });
    cfg.operators.operators.push_back(op);
  }
  run("trend_synth", "one", &cfg);
  for (auto& op : cfg.operators.operators) op.threads = 4;
  run("trend_synth", "four", &cfg);
  const auto one = read_file(out_ / "one" / "trend_synth" / "journal.jsonl");
  EXPECT_GT(one.size(), 1000u);
  EXPECT_EQ(one, read_file(out_ / "four" / "trend_synth" / "journal.jsonl"));
}

// Context workers that compute blocks of bars ahead (EMA, ATR) give the run bar by bar's outputs
// byte for byte, also beside workers that run bar by bar (SMA, before and after them).
TEST_F(BacktestE2E, ContextBlocksGiveTheOutputsOfBarByBar) {
  auto cfg = config_;
  auto& context = cfg.blueprints.at(link("trend_synth").blueprint).context;
  const auto sma = [](const std::string& id, std::int64_t period, const std::string& source) {
    return worker("sma", id, {{"period", period}, {"source", source}, {"summation", std::string("exact")}, {"output", id}});
  };
  context.insert(context.begin(), sma("sma_first", 7, "close"));
  context.push_back(sma("sma_last", 300, "low"));
  for (const bool blocks : {true, false}) {
    RunOptions options;
    options.out_dir = (out_ / (blocks ? "blocks" : "bars")).string();
    options.context_blocks = blocks;
    run_link(cfg, *registry_, link("trend_synth"), options);
  }
  for (const char* f : {"journal.jsonl", "trades.csv", "equity.csv", "summary.json"}) {
    const auto by_block = read_file(out_ / "blocks" / "trend_synth" / f);
    EXPECT_GT(by_block.size(), 100u) << f;
    EXPECT_EQ(by_block, read_file(out_ / "bars" / "trend_synth" / f)) << f;
  }
  // The SMAs are in the journal's context snapshots, beside the block-computed columns.
  const auto j = journal("blocks", "trend_synth");
  bool seen = false;
  for (const auto& e : j)
    if (e["event_type"] == "OPPORTUNITY_DETECTED") {
      seen = e["context"].contains("sma_first") && e["context"].contains("sma_last") && e["context"].contains("atr");
      break;
    }
  EXPECT_TRUE(seen);
}

// A threat held for some bars after it is raised (the worker keeps it with still_active) is one
// threat: detected once, cleared once with every bar it lasted counted.
TEST_F(BacktestE2E, AHeldThreatIsDetectedOnceAndClearedWithItsBars) {
  auto cfg = config_;
  cfg.blueprints.at(link("trend_synth").blueprint)
      .threat.push_back(worker("volatility_spike", "volatility_spike",
                               {{"period", std::int64_t{20}}, {"multiple", 2.5}, {"hold_bars", std::int64_t{6}},
                                {"severity", std::string("LOW")}}));
  run("trend_synth", "held", &cfg);
  std::map<std::string, std::int64_t> open;  // threat id -> bars since detected
  std::size_t cleared = 0;
  for (const auto& e : journal("held", "trend_synth")) {
    if (e["event_type"] == "THREAT_DETECTED" && e["worker"] == "volatility_spike") {
      EXPECT_EQ(open.count(e["threat_id"].get<std::string>()), 0u);
      open[e["threat_id"].get<std::string>()] = 0;
    } else if (e["event_type"] == "THREAT_CLEARED" && e["worker"] == "volatility_spike") {
      ASSERT_EQ(open.erase(e["threat_id"].get<std::string>()), 1u);
      EXPECT_GE(e["active_bars"].get<std::int64_t>(), 7) << e.dump();  // the spike's bar and six held
      ++cleared;
    }
  }
  EXPECT_GT(cleared, 2u);
}

TEST_F(BacktestE2E, OperatorsYamlChangesHowWorkersRunNotTheCode) {
  // Aggregation NONE on the opportunity operator: the scouts run, their signals are dropped.
  auto cfg = config_;
  config::OperatorConfig op;
  op.operator_id = "OpportunityOperator";
  op.manages = WorkerCategory::kOpportunity;
  op.execution = config::ExecutionStrategy::kSequential;
  op.aggregation = config::AggregationStrategy::kNone;
  std::erase_if(cfg.operators.operators,
                [](const config::OperatorConfig& o) { return o.manages == WorkerCategory::kOpportunity; });
  cfg.operators.operators.push_back(op);
  const auto s = run("trend_synth", "none", &cfg);
  EXPECT_EQ(s.opportunities_detected, 0);
  EXPECT_EQ(s.trades_closed + s.trades_open, 0);
  const auto base = run("trend_synth", "base");
  EXPECT_GT(base.opportunities_detected, 0);
}

TEST_F(BacktestE2E, ThreatVetoesEntriesAndForcesExits) {
  auto cfg = config_;
  auto& bp = cfg.blueprints.at("trend_follower");
  for (auto& w : bp.threat)
    if (w.plugin == "max_drawdown") w.params["max_drawdown_percent"].value = 0.5;
  const auto s = run("trend_synth", "threat", &cfg);
  EXPECT_GT(s.threats_detected, 0);
  const auto j = journal("threat", "trend_synth");
  std::set<std::string> threats;
  bool veto = false, forced = false;
  for (const auto& e : j) {
    if (e["event_type"] == "THREAT_DETECTED") threats.insert(e["threat_id"].get<std::string>());
    if (e["event_type"] == "OPPORTUNITY_REJECTED" && !e["threat_id"].is_null()) {
      EXPECT_TRUE(threats.count(e["threat_id"].get<std::string>()));
      veto = true;
    }
    if (e["event_type"] == "TRADE_CLOSED" && !e["threat_id"].is_null()) {
      EXPECT_TRUE(threats.count(e["threat_id"].get<std::string>()));
      EXPECT_EQ(e["exit_reason"], "threat");
      forced = true;
    }
  }
  EXPECT_TRUE(veto);
  EXPECT_TRUE(forced);
}

TEST_F(BacktestE2E, WeeklyDcaTradesCarryTheirScheduledId) {
  const auto s = run("dca_synth", "dca");
  EXPECT_GT(s.trades_open, 3);
  const auto j = journal("dca", "dca_synth");
  std::set<std::string> scheduled;
  std::size_t opened = 0;
  for (const auto& e : j) {
    if (e["event_type"] == "SCHEDULED_ACTION") {
      scheduled.insert(e["scheduled_id"].get<std::string>());
      EXPECT_EQ(e["event"], "WEEKLY_DCA_TICK");
    }
    if (e["event_type"] == "TRADE_OPENED") {
      ++opened;
      EXPECT_TRUE(e["opportunity_id"].is_null());
      ASSERT_FALSE(e["scheduled_id"].is_null());
      EXPECT_TRUE(scheduled.count(e["scheduled_id"].get<std::string>()));
    }
  }
  EXPECT_EQ(opened, static_cast<std::size_t>(s.trades_open + s.trades_closed));
  for (const auto& e : j)  // explained from their scheduled action, streaming the file as the CLI does
    if (e["event_type"] == "TRADE_OPENED") {
      const std::string id = e["trade_id"].get<std::string>();
      const auto streamed = explain_trade_in_file((out_ / "dca" / "dca_synth" / "journal.jsonl").string(), id);
      ASSERT_TRUE(streamed.has_value());
      EXPECT_TRUE(streamed->scheduled.is_object());
      EXPECT_EQ(render_json(*streamed).dump(), render_json(explain_trade(j, id)).dump());
    }
  const auto problems = journal::check_integrity(j);
  EXPECT_TRUE(problems.empty()) << problems.front();
}

TEST_F(BacktestE2E, BadDataIsRefusedWithFileAndLine) {
  const fs::path bad = out_ / "bad.csv";
  fs::create_directories(out_);
  std::ofstream(bad) << "timestamp,open,high,low,close,volume\n"
                        "2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n"
                        "2024-01-01T02:00:00Z,1,2,0.5,1.5,10\n"
                        "2024-01-01T01:00:00Z,1,2,0.5,1.5,10\n";
  RunOptions options;
  options.out_dir = (out_ / "run").string();
  options.data_override = bad.string();
  try {
    run_link(config_, *registry_, link("trend_synth"), options);
    FAIL() << "unsorted data was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(bad.string() + ":4"), std::string::npos) << e.what();
  }
}

TEST_F(BacktestE2E, RunsOnRealMarketData) {
  RunOptions options;
  options.out_dir = (out_ / "orcl").string();
  options.data_override = std::string(ST_SHARED_DIR) + "/data/orcl-1995-2014.csv";
  const auto s = run_link(config_, *registry_, link("trend_synth"), options);
  EXPECT_EQ(s.bars, 5036);
  EXPECT_EQ(s.first_bar, "1995-01-03T00:00:00Z");
  EXPECT_GT(s.trades_closed, 0);
}

}  // namespace
}  // namespace st
