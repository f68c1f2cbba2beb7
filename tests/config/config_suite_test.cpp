// The configuration train against the real plugin registry: the example is valid, and each of
// the mistakes below is reported at its exact file:line:col and key path, in one run.
#include <gtest/gtest.h>

#include "backend/config/loader.h"
#include "backend/registry/registry.h"
#include "tests/config/suite.h"

namespace st {
namespace {
namespace fs = std::filesystem;

const PluginRegistry& registry() {
  static const PluginRegistry reg = [] {
    Diagnostics diags;
    auto r = PluginRegistry::load({}, diags);
    if (!diags.empty()) throw Error(std::move(diags));
    return r;
  }();
  return reg;
}

TEST(ConfigSuite, TheExampleConfigurationIsValid) {
  Diagnostics diags;
  const auto cfg = config::load_config(std::string(ST_SOURCE_DIR) + "/config", &registry(), {}, diags);
  EXPECT_TRUE(diags.empty()) << diags.to_string();
  ASSERT_EQ(cfg.operations.size(), 2u);
  EXPECT_EQ(cfg.operations[0].strategy_links.size(), 3u);
  EXPECT_EQ(cfg.operations[1].name, "backtrader");
  EXPECT_EQ(cfg.blueprints.size(), 3u);
  EXPECT_EQ(cfg.blueprints.at("trend_follower").execution.size(), 4u);
  EXPECT_EQ(cfg.schedule.schedules.at(0).event, "WEEKLY_DCA_TICK");
  EXPECT_EQ(cfg.connectors.connectors.at(0).api_key_env, "BINANCE_API_KEY");
  EXPECT_EQ(cfg.platform.seed, 42u);
  EXPECT_NE(config::summary(cfg).find("config OK"), std::string::npos);
}

struct Case {
  const char* name;
  const char* file;     // file of config/ to edit
  const char* find;     // text to replace (must occur in the file)
  const char* replace;  // replacement
  const char* expect;   // "file:line:col: path: ..." prefix and keyword, as "<prefix>|<keyword>"
};

// One mistake per case. The prefix pins the position; the keyword the explanation.
const Case kCases[] = {
    // index.yaml
    {"index_unknown_key", "index.yaml", "blueprints_dir: runs", "blueprints_dir: runs\nplatfrom: x",
     "index.yaml:11:1: platfrom: |did you mean \"platform\""},
    {"index_empty_operations", "index.yaml", "operations:                    # one or more operations; `backtest` runs the first unless --operation\n  - operation.yaml\n  - backtrader.yaml             # the backtrader-compatible reference runs (docs/backtrader.md)",
     "operations: []", "index.yaml:7:13: operations: |at least one operation"},
    {"index_missing_operation_file", "index.yaml", "- operation.yaml", "- operashun.yaml",
     "operashun.yaml: |file not found"},
    {"index_syntax", "index.yaml", "- operation.yaml", "[operation.yaml", "index.yaml:|YAML syntax error"},
    // platform.yaml
    {"platform_unknown_key", "platform.yaml", "threads: 0  ", "treads: 0  ",
     "platform.yaml:11:1: treads: |did you mean \"threads\""},
    {"platform_wrong_type", "platform.yaml", "threads: 0  ", "threads: many",
     "platform.yaml:11:10: threads: |expected an integer, found \"many\""},
    {"platform_range", "platform.yaml", "api_port: 8080", "api_port: 70000",
     "platform.yaml:10:11: api_port: |must be in [1, 65535], was 70000"},
    {"platform_enum", "platform.yaml", "log_level: info", "log_level: verbose",
     "platform.yaml:7:12: log_level: |\"verbose\" is not one of trace, debug, info, warning, error"},
    {"platform_duplicate_key", "platform.yaml", "seed: 42", "seed: 42\nseed: 43",
     "platform.yaml:13:1: seed: |duplicate key \"seed\" (first defined at line 12"},
    {"platform_list_expected", "platform.yaml", "plugin_dirs: []", "plugin_dirs: extra",
     "platform.yaml:6:14: plugin_dirs: |expected a sequence, found \"extra\""},
    {"platform_tab", "platform.yaml", "data_dir: data", "data_dir:\n\t- data", "platform.yaml:|YAML syntax error"},
    {"platform_not_a_map", "platform.yaml", "data_dir: data ", "- data_dir ", "platform.yaml:|"},
    // operators.yaml
    {"operators_enum_near_miss", "operators.yaml", "execution_strategy: PARALLEL\n    aggregation_strategy: COLLECT_ALL\n    threads: 1\n  - operator_id: ThreatOperator",
     "execution_strategy: PARALEL\n    aggregation_strategy: COLLECT_ALL\n    threads: 1\n  - operator_id: ThreatOperator",
     "operators.yaml:17:25: operators[1].execution_strategy: |did you mean \"PARALLEL\""},
    {"operators_missing_id", "operators.yaml", "  - operator_id: PlanningOperator\n    manages_worker_type: PlanningWorker",
     "  - manages_worker_type: PlanningWorker", "operators.yaml:25:5: operators[3].operator_id: |missing required key \"operator_id\""},
    {"operators_threads_range", "operators.yaml", "threads: 1\n  - operator_id: ThreatOperator",
     "threads: 0\n  - operator_id: ThreatOperator", "operators.yaml:19:14: operators[1].threads: |must be in [1, 256]"},
    {"operators_category_near_miss", "operators.yaml", "manages_worker_type: ContextWorker",
     "manages_worker_type: ContextWorkers", "operators.yaml:12:26: operators[0].manages_worker_type: |did you mean \"ContextWorker\""},
    {"operators_chain_parallel", "operators.yaml", "execution_strategy: SEQUENTIAL        # context",
     "execution_strategy: PARALLEL        # context",
     "operators.yaml:14:27: operators[0].aggregation_strategy: |CHAIN_THROUGH needs SEQUENTIAL or EVENT_DRIVEN"},
    {"operators_duplicate_category", "operators.yaml", "manages_worker_type: ThreatWorker",
     "manages_worker_type: OpportunityWorker", "operators.yaml:21:26: operators[2].manages_worker_type: |a second operator for OpportunityWorker"},
    {"operators_execution_parallel", "operators.yaml", "execution_strategy: EVENT_DRIVEN",
     "execution_strategy: PARALLEL", "operators.yaml:31:25: operators[4].execution_strategy: |cannot run PARALLEL"},
    // data sources of strategy links
    {"data_format_enum", "backtrader.yaml", "path: ../shared/data/orcl-1995-2014.csv",
     "path: ../shared/data/orcl-1995-2014.csv\n      format: parket",
     "backtrader.yaml:19:15: strategy_links[0].data.format: |\"parket\" is not one of"},
    {"data_columns_unknown", "backtrader.yaml", "path: ../shared/data/orcl-1995-2014.csv",
     "path: ../shared/data/orcl-1995-2014.csv\n      columns: {time: ts, closing: px}",
     "backtrader.yaml:19:|strategy_links[0].data.columns.closing"},
    {"data_utc_offset", "backtrader.yaml", "path: ../shared/data/orcl-1995-2014.csv",
     "path: ../shared/data/orcl-1995-2014.csv\n      utc_offset: CET",
     "backtrader.yaml:19:19: strategy_links[0].data.utc_offset: |expected an offset like +01:00"},
    {"data_nulls_enum", "backtrader.yaml", "path: ../shared/data/orcl-1995-2014.csv",
     "path: ../shared/data/orcl-1995-2014.csv\n      nulls: ignore", "backtrader.yaml:19:14: strategy_links[0].data.nulls: |skip_row"},
    // schedule.yaml
    {"cron_fields", "schedule.yaml", "\"0 10 * * 1\"", "\"0 10 * *\"", "schedule.yaml:7:11: schedules[0].cron: |expected 5 fields"},
    {"cron_hour", "schedule.yaml", "\"0 10 * * 1\"", "\"0 25 * * 1\"", "schedule.yaml:7:11: schedules[0].cron: |field 2 (hour): \"25\" is out of range 0-23"},
    {"cron_step", "schedule.yaml", "\"0 10 * * 1\"", "\"*/0 10 * * 1\"", "schedule.yaml:7:11: schedules[0].cron: |step must be at least 1"},
    {"cron_weekday_name", "schedule.yaml", "\"0 10 * * 1\"", "\"0 10 * * FUNDAY\"", "schedule.yaml:7:11: schedules[0].cron: |\"FUNDAY\" is not a valid value"},
    {"schedule_event_name", "schedule.yaml", "event: WEEKLY_DCA_TICK", "event: weekly_tick", "schedule.yaml:8:12: schedules[0].event: |not an event name"},
    {"schedule_event_unconsumed", "schedule.yaml", "event: WEEKLY_DCA_TICK", "event: MONTHLY_TICK",
     "schedule.yaml:6:5: schedules[0].event: |event MONTHLY_TICK is consumed by no worker"},
    {"schedule_duplicate_name", "schedule.yaml", "    enabled: true", "    enabled: true\n  - {name: weekly_dca, cron: \"@daily\", event: WEEKLY_DCA_TICK}",
     "schedule.yaml:10:5: schedules[1]: |duplicate schedule \"weekly_dca\""},
    // connectors.yaml
    {"connector_secret_value", "connectors.yaml", "api_key_env: BINANCE_API_KEY", "api_key_env: 4f9a8b7c6d5e4f3a2b1c",
     "connectors.yaml:8:18: connectors[0].api_key_env: |must be the NAME of an environment variable"},
    {"connector_market", "connectors.yaml", "market: spot", "market: spots", "connectors.yaml:6:13: connectors[0].market: |did you mean \"spot\""},
    {"connector_missing_exchange", "connectors.yaml", "    exchange: binance\n", "",
     "connectors.yaml:4:5: connectors[0].exchange: |missing required key \"exchange\""},
    {"connector_rate", "connectors.yaml", "rate_limit_per_second: 10", "rate_limit_per_second: 0",
     "connectors.yaml:10:28: connectors[0].rate_limit_per_second: |must be in (0, 1000]"},
    // operation.yaml
    {"link_unknown_blueprint", "operation.yaml", "blueprint: trend_follower   #", "blueprint: trend_folower   #",
     "operation.yaml:6:16: strategy_links[0].blueprint: |did you mean \"trend_follower\""},
    {"link_unknown_connector", "operation.yaml", "connector: binance_testnet", "connector: binance_testnt",
     "operation.yaml:38:16: strategy_links[2].connector: |connector \"binance_testnt\" is not defined"},
    {"link_timeframe", "operation.yaml", "timeframe: 1h\n    environment: backtest       #", "timeframe: 1x\n    environment: backtest       #",
     "operation.yaml:12:16: strategy_links[0].timeframe: |\"1x\" is not a timeframe"},
    {"link_precision_range", "operation.yaml", "price_precision: 2        #", "price_precision: 20        #",
     "operation.yaml:9:24: strategy_links[0].instrument.price_precision: |must be in [0, 12], was 20"},
    {"link_environment", "operation.yaml", "environment: backtest       #", "environment: backtst       #",
     "operation.yaml:13:18: strategy_links[0].environment: |did you mean \"backtest\""},
    {"link_path_and_synth", "operation.yaml", "      synth:                    #", "      path: a.csv\n      synth:                    #",
     "operation.yaml:15:7: strategy_links[0].data: |either path (a data file) or synth"},
    {"link_backtest_without_data", "operation.yaml", "    data:\n      synth: {seed: 11", "    dta:\n      synth: {seed: 11",
     "operation.yaml:22:5: strategy_links[1]: |backtest link \"dca_synth\" needs a data source"},
    {"link_synth_start", "operation.yaml", "start: 2020-01-01T00:00:00Z", "start: yesterday",
     "operation.yaml:18:16: strategy_links[0].data.synth.start: |expected an ISO-8601 UTC time"},
    {"link_duplicate_name", "operation.yaml", "  - name: dca_synth", "  - name: trend_synth",
     "operation.yaml:22:5: strategy_links[1]: |duplicate strategy link \"trend_synth\""},
    {"link_missing_symbol", "operation.yaml", "      symbol: SYNTH\n", "",
     "operation.yaml:8:7: strategy_links[0].instrument.symbol: |missing required key \"symbol\""},
    {"links_not_a_list", "operation.yaml", "strategy_links:\n", "strategy_links: none\nlinks:\n",
     "operation.yaml:4:17: strategy_links: |expected a sequence, found \"none\""},
    {"paper_without_connector", "operation.yaml", "    connector: binance_testnet  # a name from connectors.yaml\n", "",
     "operation.yaml:33:5: strategy_links[2]: |paper link \"trend_paper\" needs a connector"},
    // runs/trend_follower.yaml
    {"unknown_plugin", "runs/trend_follower.yaml", "- plugin: atr\n", "- plugin: atrr\n",
     "trend_follower.yaml:12:7: workforce.context[2].plugin: |unknown plugin \"atrr\" (did you mean \"atr\"?)"},
    {"plugin_wrong_category", "runs/trend_follower.yaml", "    - plugin: ma_cross", "    - plugin: ema",
     "trend_follower.yaml:15:7: workforce.opportunity[0].plugin: |plugin \"ema\" is a context worker, not a opportunity worker"},
    {"param_unknown", "runs/trend_follower.yaml", "{period: 14, output: atr}", "{perod: 14, output: atr}",
     "trend_follower.yaml:13:23: workforce.context[2].params.perod: |did you mean \"period\""},
    {"param_type", "runs/trend_follower.yaml", "{period: 14, output: atr}", "{period: fast, output: atr}",
     "trend_follower.yaml:13:24: workforce.context[2].params.period: |expected an int, found a string"},
    {"param_range", "runs/trend_follower.yaml", "{period: 14, output: atr}", "{period: 0, output: atr}",
     "trend_follower.yaml:13:24: workforce.context[2].params.period: |out of range"},
    {"param_enum", "runs/trend_follower.yaml", "direction: long}", "direction: longg}",
     "trend_follower.yaml:16:59: workforce.opportunity[0].params.direction: |\"longg\" is not one of long, short, both (did you mean \"long\"?)"},
    {"param_missing_required", "runs/trend_follower.yaml", "{period: 14, output: atr}", "{period: 14}",
     "trend_follower.yaml:12:7: workforce.context[2]: |missing required parameter \"output\""},
    {"broker_enum", "runs/trend_follower.yaml", "fill_timing: next_open ", "fill_timing: next_close ",
     "trend_follower.yaml:41:16: broker.fill_timing: |\"next_close\" is not one of next_open, on_close"},
    {"broker_range", "runs/trend_follower.yaml", "commission_percent: 0.1 ", "commission_percent: 150 ",
     "trend_follower.yaml:38:23: broker.commission_percent: |must be in [0, 100], was 150"},
    {"blueprint_name_mismatch", "runs/trend_follower.yaml", "name: trend_follower ", "name: trend ",
     "trend_follower.yaml:2:7: name: |the name must equal the file name"},
    {"duplicate_worker_id", "runs/trend_follower.yaml", "id: ema_slow", "id: ema_fast",
     "trend_follower.yaml:9:7: workforce.context[1]: |duplicate worker id \"ema_fast\""},
    {"blueprint_missing_workforce", "runs/weekly_dca.yaml", "workforce:\n  execution:\n    - plugin: dca_buyer\n      params: {quote_amount: 100}\n", "",
     "weekly_dca.yaml:2:1: workforce: |missing required key \"workforce\""},
    {"blueprint_empty", "runs/weekly_dca.yaml", "", "", "weekly_dca.yaml:1:1: |the file is empty"},
};

std::string apply(const Case& c, const fs::path& dir) {
  const fs::path file = dir / c.file;
  std::string text = testing::slurp(file);
  if (std::string(c.name) == "blueprint_empty") {
    text = "# nothing here\n";
  } else {
    const auto at = text.find(c.find);
    if (at == std::string::npos) return std::string("case text not found: ") + c.find;
    if (text.find(c.find, at + 1) != std::string::npos) return std::string("case text not unique: ") + c.find;
    text.replace(at, std::string(c.find).size(), c.replace);
  }
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  return "";
}

TEST(ConfigSuite, EachMistakeIsReportedAtItsPosition) {
  std::size_t checked = 0;
  for (const auto& c : kCases) {
    const fs::path dir = testing::scratch_config(c.name);
    const std::string problem = apply(c, dir);
    ASSERT_TRUE(problem.empty()) << c.name << ": " << problem;
    Diagnostics diags;
    config::load_config(dir.string(), &registry(), {}, diags);
    const std::string expect = c.expect;
    const std::string prefix = expect.substr(0, expect.find('|'));
    const std::string keyword = expect.substr(expect.find('|') + 1);
    bool found = false;
    for (const auto& d : diags.items()) {
      const std::string text = d.to_string();
      const auto at = text.find(prefix);
      if (at != std::string::npos && text.find(keyword, at) != std::string::npos) found = true;
    }
    EXPECT_TRUE(found) << c.name << ": expected \"" << prefix << "...\" with \"" << keyword << "\", got:\n"
                       << diags.to_string();
    ++checked;
  }
  EXPECT_GE(checked, 40u);
}

TEST(ConfigSuite, AllErrorsOfAllFilesComeInOneRun) {
  const fs::path dir = testing::scratch_config("three_files");
  for (const char* name : {"platform_range", "cron_hour", "param_unknown"})
    for (const auto& c : kCases)
      if (std::string(c.name) == name) {
        ASSERT_TRUE(apply(c, dir).empty());
      }
  Diagnostics diags;
  config::load_config(dir.string(), &registry(), {}, diags);
  const std::string all = diags.to_string();
  EXPECT_EQ(diags.size(), 3u) << all;
  EXPECT_NE(all.find("platform.yaml:10:11"), std::string::npos) << all;
  EXPECT_NE(all.find("schedule.yaml:7:11"), std::string::npos) << all;
  EXPECT_NE(all.find("trend_follower.yaml:13:23"), std::string::npos) << all;
}

TEST(ConfigSuite, OverridesChangeValuesOrSayPreciselyWhyNot) {
  const std::string dir = std::string(ST_SOURCE_DIR) + "/config";
  {
    Diagnostics diags;
    config::LoadOptions o;
    o.overrides = {"platform.threads=4", "runs.trend_follower.workforce.threat[0].params.max_drawdown_percent=5.5",
                   "operation.strategy_links[0].data.synth.bars=100"};
    const auto cfg = config::load_config(dir, &registry(), o, diags);
    EXPECT_TRUE(diags.empty()) << diags.to_string();
    EXPECT_EQ(cfg.platform.threads, 4);
    EXPECT_EQ(std::get<double>(cfg.blueprints.at("trend_follower").threat[0].params.at("max_drawdown_percent").value), 5.5);
    EXPECT_EQ(cfg.operations[0].strategy_links[0].data->synth->bars, 100);
  }
  const std::pair<const char*, const char*> bad[] = {
      {"platform.threads=x", "--set platform.threads=x: threads: expected an integer"},
      {"nosuch.key=1", "no file \"nosuch\" to override"}, {"platfrom.threads=1", "(did you mean \"platform\"?)"},
      {"backtrader.strategy_links[0].instrument.quantity_precision=40", "--set backtrader.strategy_links[0].instrument.quantity_precision=40: strategy_links[0].instrument.quantity_precision: must be in [0, 12]"},
      {"operation.strategy_links[9].name=x", "has no element [9]"},
      {"platform", "expected KEY.PATH=VALUE"},
      {"runs.no_blueprint.name=x", "no file \"runs.no_blueprint\" to override"},
      {"runs.trend_follower.workforce.context[0].params.period=-3", "--set runs.trend_follower.workforce.context[0].params.period=-3"},
  };
  for (const auto& [set, expect] : bad) {
    Diagnostics diags;
    config::LoadOptions o;
    o.overrides = {set};
    config::load_config(dir, &registry(), o, diags);
    EXPECT_NE(diags.to_string().find(expect), std::string::npos) << set << "\n" << diags.to_string();
  }
}

TEST(ConfigSuite, WithoutACatalogPluginsAreNotChecked) {
  const fs::path dir = testing::scratch_config("no_catalog");
  for (const auto& c : kCases)
    if (std::string(c.name) == "unknown_plugin") {
      ASSERT_TRUE(apply(c, dir).empty());
    }
  Diagnostics diags;
  config::load_config(dir.string(), nullptr, {}, diags);
  EXPECT_TRUE(diags.empty()) << diags.to_string();
}

TEST(ConfigSuite, MissingDirectoryIsOneClearError) {
  Diagnostics diags;
  config::load_config("/nonexistent/config", &registry(), {}, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_NE(diags.to_string().find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace st
