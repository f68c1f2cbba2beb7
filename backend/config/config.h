// The configuration train (DESIGN §2) as typed structs.
//
// A config directory holds index.yaml, which names the other files:
//   index.yaml -> platform.yaml, operators.yaml, schedule.yaml, connectors.yaml,
//                 operation.yaml (one or more), runs/<blueprint>.yaml (found in blueprints_dir)
// Every struct has in-class defaults; parsing is strict (unknown keys are errors) and every
// value keeps the position it came from, so cross-file checks can point at the right line.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "backend/api/params.h"
#include "backend/api/worker.h"
#include "backend/core/diagnostics.h"

namespace st::config {

// Where a value was written (for cross-file diagnostics).
struct Origin {
  SourceLocation where;
  std::string path;
};

// ---------------------------------------------------------------- platform.yaml
enum class LogLevel { kTrace, kDebug, kInfo, kWarning, kError };
enum class LogFormat { kText, kJson };

struct PlatformConfig {
  std::string data_dir = "data";        // market data (relative to the config directory's parent)
  std::string state_dir = "state";      // plugin state (IStatePersistor)
  std::string journal_dir = "journal";  // live/paper journals
  std::string runs_dir = "runs";        // backtest run directories
  std::vector<std::string> plugin_dirs; // extra plugin directories (user plugins, .so + manifest)
  LogLevel log_level = LogLevel::kInfo;
  LogFormat log_format = LogFormat::kText;
  std::string api_bind = "127.0.0.1";
  int api_port = 8080;                  // [1, 65535]
  int threads = 0;                      // worker pool size; 0 = number of cores; [0, 256]
  std::uint64_t seed = 42;              // default seed for causal ids in backtests
  // metrics: how performance ratios are computed (docs/metrics.md)
  std::string metrics_convention = "default";  // default | lean | nautilus | vectorbt
  int metrics_annualization = 0;               // periods per year; 0 = auto (252, or 365 with weekend bars)
  double metrics_risk_free_rate = 0.0;         // annual, e.g. 0.02
};

// ---------------------------------------------------------------- operators.yaml
using st::WorkerCategory;  // backend/api/worker.h
enum class ExecutionStrategy { kSequential, kParallel, kEventDriven };
enum class AggregationStrategy { kChainThrough, kCollectAll, kNone };

struct OperatorConfig {
  std::string operator_id;          // e.g. "ContextOperator"
  WorkerCategory manages = WorkerCategory::kContext;  // manages_worker_type: ContextWorker, ...
  ExecutionStrategy execution = ExecutionStrategy::kSequential;
  AggregationStrategy aggregation = AggregationStrategy::kChainThrough;
  int threads = 1;                  // PARALLEL only: pool threads; 1 = inline; [1, 256]
  Origin origin;
};

struct OperatorsConfig {
  std::vector<OperatorConfig> operators;  // exactly one per category (missing -> DESIGN default)
};

// ---------------------------------------------------------------- schedule.yaml
struct ScheduleConfig {
  std::string name;     // unique, e.g. "weekly_dca"
  std::string cron;     // 5 fields, UTC: "0 10 * * 1"
  std::string event;    // event emitted, e.g. "WEEKLY_DCA_TICK" ([A-Z][A-Z0-9_]*)
  bool enabled = true;
  Origin origin;
};

struct ScheduleFile {
  std::vector<ScheduleConfig> schedules;
};

// ---------------------------------------------------------------- connectors.yaml
struct ConnectorConfig {
  std::string name;                 // unique; referenced by strategy links
  std::string exchange;             // e.g. "binance"
  std::string market = "spot";      // spot | futures
  bool sandbox = true;              // exchange test endpoint
  std::string base_url;             // optional override
  // Credentials are NAMES of environment variables, never values ([A-Z_][A-Z0-9_]*).
  std::string api_key_env;
  std::string api_secret_env;
  double rate_limit_per_second = 10;  // (0, 1000]
  Origin origin;
};

struct ConnectorsFile {
  std::vector<ConnectorConfig> connectors;
};

// ---------------------------------------------------------------- runs/<blueprint>.yaml
// A plugin parameter value as written in YAML (st::ParamValue of the plugin API).
using st::ParamValue;

struct ParamEntry {
  ParamValue value;
  Origin origin;
};

struct WorkerConfig {
  std::string plugin;               // manifest name
  std::string id;                   // instance name, unique in the blueprint (default: plugin)
  std::map<std::string, ParamEntry> params;
  Origin origin;
};

enum class FillTiming { kNextOpen, kOnClose };     // when a market order fills
enum class CashCheck { kOnFill, kOnSubmit, kBoth };  // when affordability is checked

// Simulated broker settings of the Backtest (and Paper) environment.
struct BrokerConfig {
  double initial_cash = 100000;     // (0, 1e15]
  double commission_percent = 0.0;  // per fill, percent of notional; [0, 100]
  double commission_fixed = 0.0;    // per fill, currency; >= 0
  double slippage_bps = 0.0;        // market and stop fills move against us; [0, 10000]
  FillTiming fill_timing = FillTiming::kNextOpen;
  CashCheck cash_check = CashCheck::kOnFill;
  bool allow_short = false;
  // Decimals of cash, fees and PnL (exact fixed point). More decimals make tiny fees exact but
  // shrink the range: cash must stay below 9.2e18 / 10^cash_decimals. [2, 12]
  int cash_decimals = 8;
};

struct Blueprint {
  std::string name;                 // == file stem
  std::string description;
  std::vector<WorkerConfig> context;
  std::vector<WorkerConfig> opportunity;
  std::vector<WorkerConfig> threat;
  std::vector<WorkerConfig> planning;   // chained in subtype order entry -> exit -> size -> routing
  std::vector<WorkerConfig> execution;
  BrokerConfig broker;
  std::string file;                 // where it was read from
  Origin origin;
};

// ---------------------------------------------------------------- operation.yaml
enum class Environment { kBacktest, kPaper, kLive };

struct InstrumentConfig {
  std::string symbol;               // e.g. "ORCL", "BTCUSDT"
  int price_precision = 2;          // decimals of prices   [0, 12]
  int quantity_precision = 0;       // decimals of sizes    [0, 12]
  std::string quote_currency = "USD";
};

struct SynthConfig {                // deterministic generated market data
  std::uint64_t seed = 1;
  std::int64_t bars = 5000;         // [1, 1e9]
  std::string start = "2020-01-01T00:00:00Z";
  double start_price = 100;         // > 0
  double volatility = 0.02;         // per-bar stdev of log returns, (0, 1]
  double drift = 0.0002;            // per-bar mean of log returns
};

// How a data file's columns map to bars (docs/data.md). Empty names keep the defaults
// (timestamp|time|date|datetime, open, high, low, close, volume).
struct DataColumns {
  std::string time, open, high, low, close, volume;
};

struct DataSourceConfig {
  std::string path;                 // CSV or Parquet file (relative to platform data_dir)
  std::optional<SynthConfig> synth; // either path or synth
  // auto | generic | yahoo | binance | backtrader | freqtrade-json | parquet
  std::string format = "auto";
  DataColumns columns;
  std::string time_unit = "auto";   // plain-number times: auto | s | ms | us | ns
  std::string nulls = "refuse";     // Parquet nulls: refuse | skip_row | fill_previous
  std::string utc_offset;           // local times (backtrader files): "+01:00"
  Origin origin;
};

struct StrategyLinkConfig {
  std::string name;                 // unique in the operation
  std::string blueprint;            // runs/<blueprint>.yaml
  InstrumentConfig instrument;
  std::string timeframe = "1d";     // 1m 5m 15m 1h 4h 1d ... ([0-9]+[smhdw])
  Environment environment = Environment::kBacktest;
  std::optional<DataSourceConfig> data;  // backtest: required
  std::string connector;            // paper/live: required, a connectors.yaml name
  std::optional<double> initial_cash;    // overrides the blueprint's broker.initial_cash
  bool enabled = true;
  Origin origin;
  Origin blueprint_origin;
  Origin connector_origin;
};

struct OperationConfig {
  std::string name;
  std::string description;
  std::vector<StrategyLinkConfig> strategy_links;
  std::string file;
};

// ---------------------------------------------------------------- index.yaml
struct IndexConfig {
  std::string platform = "platform.yaml";
  std::string operators = "operators.yaml";
  std::string schedule = "schedule.yaml";
  std::string connectors = "connectors.yaml";
  std::vector<std::string> operations = {"operation.yaml"};
  std::string blueprints_dir = "runs";
};

// Everything, loaded and validated.
struct ConfigSet {
  std::string dir;                  // the config directory
  IndexConfig index;
  PlatformConfig platform;
  OperatorsConfig operators;
  ScheduleFile schedule;
  ConnectorsFile connectors;
  std::vector<OperationConfig> operations;
  std::map<std::string, Blueprint> blueprints;  // by name
};

const char* to_string(ExecutionStrategy e);    // "SEQUENTIAL", ...
const char* to_string(AggregationStrategy a);  // "CHAIN_THROUGH", ...
const char* to_string(Environment e);          // "backtest", ...

}  // namespace st::config
