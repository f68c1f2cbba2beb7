// Every built-in plugin runs through the full pipeline (registry, config, WorkerBuilder,
// operators, broker, journal) in some blueprint: the example's, the backtrader one, or
// tests/pipeline/config/runs/all_signals.yaml on real intraday data with overnight gaps.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "backend/config/loader.h"
#include "backend/journal/integrity.h"
#include "backend/journal/reader.h"
#include "backend/registry/registry.h"
#include "services/runner/strategy_runner.h"

namespace st {
namespace {
namespace fs = std::filesystem;

TEST(Pipeline, EveryPluginIsUsedByABlueprintThatRuns) {
  Diagnostics diags;
  const auto registry = PluginRegistry::load({}, diags);
  std::set<std::string> used;
  for (const char* dir : {"/config", "/tests/pipeline/config"}) {
    const auto cfg = config::load_config(std::string(ST_SOURCE_DIR) + dir, &registry, {}, diags);
    ASSERT_TRUE(diags.empty()) << diags.to_string();
    for (const auto& [name, b] : cfg.blueprints)
      for (const auto* list : {&b.context, &b.opportunity, &b.threat, &b.planning, &b.execution})
        for (const auto& w : *list) used.insert(w.plugin);
  }
  used.insert("fixed_stake");  // the stake variants of the parity tests swap it in with --set
  for (const auto& name : registry.names()) EXPECT_TRUE(used.count(name)) << name << " is in no blueprint";
}

TEST(Pipeline, AllSignalsBlueprintOnIntradayData) {
  Diagnostics diags;
  const auto registry = PluginRegistry::load({}, diags);
  const auto cfg = config::load_config(std::string(ST_SOURCE_DIR) + "/tests/pipeline/config", &registry, {}, diags);
  ASSERT_TRUE(diags.empty()) << diags.to_string();
  RunOptions run;
  run.out_dir = (fs::path(ST_BINARY_DIR) / "pipeline").string();
  run.data_override = std::string(ST_SHARED_DIR) + "/data/2006-min-005.csv";
  const auto s = run_link(cfg, registry, cfg.operations[0].strategy_links[0], run);
  EXPECT_GT(s.bars, 2000);
  const auto j = journal::read_journal(run.out_dir + "/signals/journal.jsonl");
  const auto problems = journal::check_integrity(j);
  EXPECT_TRUE(problems.empty()) << problems.front();

  std::set<std::string> signal_workers, threat_types, cancel_reasons, context_columns;
  std::size_t limit_orders = 0, opened = 0, threat_exits = 0, vetoes = 0;
  for (const auto& e : j) {
    const std::string type = e["event_type"];
    if (type == "OPPORTUNITY_DETECTED") {
      signal_workers.insert(e["worker"].get<std::string>());
      for (auto it = e["context"].begin(); it != e["context"].end(); ++it)
        if (it->is_number()) context_columns.insert(it.key());
    }
    if (type == "THREAT_DETECTED") threat_types.insert(e["threat_type"].get<std::string>());
    if (type == "ORDER_SUBMITTED" && e["order_type"] == "LIMIT" && e["purpose"] == "entry") ++limit_orders;
    if (type == "ORDER_CANCELLED") cancel_reasons.insert(e["reason"].get<std::string>());
    if (type == "TRADE_OPENED") ++opened;
    if (type == "TRADE_CLOSED" && e["exit_reason"] == "threat") ++threat_exits;
    if (type == "OPPORTUNITY_REJECTED" && !e["threat_id"].is_null()) ++vetoes;
  }
  for (const char* w : {"breakout", "rsi_reversion", "fair_value_gap"}) EXPECT_TRUE(signal_workers.count(w)) << w;
  for (const char* t : {"VOLATILITY_SPIKE", "DATA_GAP"}) EXPECT_TRUE(threat_types.count(t)) << t;
  // Every context plugin's columns were there when decisions were made.
  for (const char* c : {"rsi", "bb_mid", "atr", "regime", "er", "session", "killzone"})
    EXPECT_TRUE(context_columns.count(c)) << c;
  EXPECT_GT(limit_orders, 0u);
  EXPECT_TRUE(cancel_reasons.count("not filled within 3 bars")) << "limit entries expire";
  EXPECT_GT(opened, 0u);
  EXPECT_GT(vetoes, 0u);
  EXPECT_GT(threat_exits + vetoes, 0u);
}

}  // namespace
}  // namespace st

#include <fstream>
#include <sstream>

namespace st {
namespace {

// Every plugin has a snippet in docs/plugins.md, and every snippet validates against the
// plugin's manifest (a doc that drifts from the code fails here).
TEST(Pipeline, DocumentedSnippetsValidateAgainstTheManifests) {
  Diagnostics diags;
  const auto registry = PluginRegistry::load({}, diags);
  std::ifstream in(std::string(ST_SOURCE_DIR) + "/docs/plugins.md");
  std::map<std::string, std::vector<std::string>> by_category;
  std::set<std::string> documented;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("- {plugin: ", 0) != 0) continue;
    const std::string name = line.substr(11, line.find_first_of(",}", 11) - 11);
    const Manifest* m = registry.find(name);
    ASSERT_NE(m, nullptr) << "docs/plugins.md documents an unknown plugin: " << line;
    documented.insert(name);
    by_category[to_string(m->category)].push_back(line.substr(0, line.find("   #")));
  }
  for (const auto& name : registry.names()) EXPECT_TRUE(documented.count(name)) << name << " has no snippet";
  const fs::path dir = fs::path(ST_BINARY_DIR) / "doc_snippets";
  fs::remove_all(dir);
  fs::create_directories(dir / "runs");
  std::ofstream(dir / "index.yaml") << "operations: [operation.yaml]\n";
  std::ofstream(dir / "operation.yaml")
      << "name: docs\nstrategy_links:\n  - {name: docs, blueprint: docs, instrument: {symbol: X}, data: {synth: {}}}\n";
  std::ofstream bp(dir / "runs" / "docs.yaml");
  bp << "name: docs\nworkforce:\n";
  std::size_t n = 0;
  for (const auto& [category, lines] : by_category) {
    bp << "  " << category << ":\n";
    for (const auto& l : lines) {
      // Give each snippet its own id: several document the same plugin.
      if (l.find(" id: ") != std::string::npos) {
        bp << "    " << l << "\n";
      } else {
        bp << "    " << l.substr(0, l.rfind('}')) << ", id: w" << n << "}\n";
      }
      ++n;
    }
  }
  bp.close();
  config::load_config(dir.string(), &registry, {}, diags);
  EXPECT_TRUE(diags.empty()) << diags.to_string();
  EXPECT_EQ(n, registry.size());
}

}  // namespace
}  // namespace st
