#include "backend/config/loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <set>
#include <type_traits>

#include "backend/core/cron.h"
#include "backend/core/time.h"
#include "backend/yaml/reader.h"

namespace st::config {
namespace fs = std::filesystem;

namespace {

using yaml::MapView;
using yaml::Reader;

const yaml::EnumTable<LogLevel> kLogLevels = {{"trace", LogLevel::kTrace},
                                              {"debug", LogLevel::kDebug},
                                              {"info", LogLevel::kInfo},
                                              {"warning", LogLevel::kWarning},
                                              {"error", LogLevel::kError}};
const yaml::EnumTable<LogFormat> kLogFormats = {{"text", LogFormat::kText}, {"json", LogFormat::kJson}};
const yaml::EnumTable<WorkerCategory> kManaged = {{"ContextWorker", WorkerCategory::kContext},
                                                  {"OpportunityWorker", WorkerCategory::kOpportunity},
                                                  {"ThreatWorker", WorkerCategory::kThreat},
                                                  {"PlanningWorker", WorkerCategory::kPlanning},
                                                  {"ExecutionWorker", WorkerCategory::kExecution}};
const yaml::EnumTable<ExecutionStrategy> kExecutions = {{"SEQUENTIAL", ExecutionStrategy::kSequential},
                                                        {"PARALLEL", ExecutionStrategy::kParallel},
                                                        {"EVENT_DRIVEN", ExecutionStrategy::kEventDriven}};
const yaml::EnumTable<AggregationStrategy> kAggregations = {{"CHAIN_THROUGH", AggregationStrategy::kChainThrough},
                                                            {"COLLECT_ALL", AggregationStrategy::kCollectAll},
                                                            {"NONE", AggregationStrategy::kNone}};
const yaml::EnumTable<Environment> kEnvironments = {
    {"backtest", Environment::kBacktest}, {"paper", Environment::kPaper}, {"live", Environment::kLive}};
const yaml::EnumTable<FillTiming> kFillTimings = {{"next_open", FillTiming::kNextOpen},
                                                  {"on_close", FillTiming::kOnClose}};
const yaml::EnumTable<CashCheck> kCashChecks = {
    {"on_fill", CashCheck::kOnFill}, {"on_submit", CashCheck::kOnSubmit}, {"both", CashCheck::kBoth}};
const yaml::EnumTable<std::string> kMarkets = {{"spot", "spot"}, {"futures", "futures"}};

const std::regex& name_re() {
  static const std::regex re("[A-Za-z0-9][A-Za-z0-9_.-]*");
  return re;
}
const std::regex& event_re() {
  static const std::regex re("[A-Z][A-Z0-9_]*");
  return re;
}
const std::regex& env_re() {
  static const std::regex re("[A-Z_][A-Z0-9_]*");
  return re;
}

Origin origin_of(Reader& r, const YAML::Node& n, const std::string& path) {
  return Origin{yaml::location_of(r.file(), n), path};
}

// Reads a required identifier-like name.
bool read_name(MapView& m, const char* key, std::string& out, const char* what) {
  if (!m.required(key, out)) return false;
  if (!std::regex_match(out, name_re())) {
    m.reader().error(m.node(key), m.child_path(key),
                     fmt::format("\"{}\" is not a valid {} (letters, digits, _ . -; starting with a letter or digit)",
                                 out, what));
    return false;
  }
  return true;
}

template <class T>
void range(MapView& m, const char* key, T value, double lo, double hi) {
  YAML::Node n = m.node(key);
  if (n.IsDefined()) yaml::check_range(m.reader(), n, m.child_path(key), static_cast<double>(value), lo, hi);
}

// A sequence under `key` of a top-level map; calls fn(item_node, path) per element.
template <class Fn>
void each(MapView& m, const char* key, bool required, Fn&& fn) {
  YAML::Node seq = m.node(key);
  if (!seq.IsDefined() || seq.IsNull()) {
    if (required) m.missing(key);
    return;
  }
  if (!seq.IsSequence()) {
    m.reader().error(seq, m.child_path(key), "expected a sequence, found " + yaml::describe(seq));
    return;
  }
  for (std::size_t i = 0; i < seq.size(); ++i) fn(seq[i], yaml::index_path(m.child_path(key), i));
}

template <class T, class Get>
void unique_names(Reader& r, const std::vector<T>& items, Get get, const char* what, Diagnostics& diags) {
  std::map<std::string, const Origin*> seen;
  for (const auto& item : items) {
    const auto& [name, origin] = get(item);
    if (name.empty()) continue;
    auto [it, inserted] = seen.emplace(name, origin);
    if (!inserted)
      diags.add(origin->where, origin->path,
                fmt::format("duplicate {} \"{}\" (first defined at line {}); {} names must be unique", what, name,
                            it->second->where.line, what));
  }
  (void)r;
}

}  // namespace

IndexConfig parse_index(const yaml::Document& doc, Diagnostics& diags) {
  IndexConfig c;
  Reader r(doc.file, diags);
  MapView m(r, doc.root, "", true);
  m.optional("platform", c.platform);
  m.optional("operators", c.operators);
  m.optional("schedule", c.schedule);
  m.optional("connectors", c.connectors);
  if (m.optional("operations", c.operations) && c.operations.empty())
    r.error(m.node("operations"), "operations", "expected at least one operation file, found an empty list");
  m.optional("blueprints_dir", c.blueprints_dir);
  m.finish();
  return c;
}

PlatformConfig parse_platform(const yaml::Document& doc, Diagnostics& diags) {
  PlatformConfig c;
  Reader r(doc.file, diags);
  MapView m(r, doc.root, "", true);
  m.optional("data_dir", c.data_dir);
  m.optional("state_dir", c.state_dir);
  m.optional("journal_dir", c.journal_dir);
  m.optional("runs_dir", c.runs_dir);
  m.optional("plugin_dirs", c.plugin_dirs);
  m.optional_enum("log_level", c.log_level, kLogLevels);
  m.optional_enum("log_format", c.log_format, kLogFormats);
  m.optional("api_bind", c.api_bind);
  if (m.optional("api_port", c.api_port)) range(m, "api_port", c.api_port, 1, 65535);
  if (m.optional("threads", c.threads)) range(m, "threads", c.threads, 0, 256);
  std::int64_t seed = static_cast<std::int64_t>(c.seed);
  if (m.optional("seed", seed)) {
    range(m, "seed", seed, 0, 9.2e18);
    c.seed = static_cast<std::uint64_t>(seed);
  }
  if (YAML::Node metrics = m.node("metrics"); metrics.IsDefined()) {
    MapView k(r, metrics, "metrics");
    if (k.ok()) {
      k.optional_enum("convention", c.metrics_convention,
                      yaml::EnumTable<std::string>{{"default", "default"}, {"lean", "lean"}, {"nautilus", "nautilus"},
                                                   {"vectorbt", "vectorbt"}});
      if (k.optional("annualization", c.metrics_annualization)) range(k, "annualization", c.metrics_annualization, 0, 1e6);
      if (k.optional("risk_free_rate", c.metrics_risk_free_rate)) range(k, "risk_free_rate", c.metrics_risk_free_rate, -1, 1);
      k.finish();
    }
  }
  m.finish();
  return c;
}

OperatorsConfig parse_operators(const yaml::Document& doc, Diagnostics& diags) {
  OperatorsConfig c;
  Reader r(doc.file, diags);
  MapView m(r, doc.root, "", true);
  each(m, "operators", false, [&](const YAML::Node& n, const std::string& path) {
    MapView o(r, n, path);
    if (!o.ok()) return;
    OperatorConfig op;
    op.origin = origin_of(r, n, path);
    o.required("operator_id", op.operator_id);
    const bool managed = o.required_enum("manages_worker_type", op.manages, kManaged);
    const bool exec = o.required_enum("execution_strategy", op.execution, kExecutions);
    const bool agg = o.required_enum("aggregation_strategy", op.aggregation, kAggregations);
    if (o.optional("threads", op.threads)) range(o, "threads", op.threads, 1, 256);
    o.finish();
    if (exec && agg && op.aggregation == AggregationStrategy::kChainThrough &&
        op.execution == ExecutionStrategy::kParallel)
      r.error(o.node("aggregation_strategy"), o.child_path("aggregation_strategy"),
              "CHAIN_THROUGH needs SEQUENTIAL or EVENT_DRIVEN execution (a chain has an order), found PARALLEL");
    if (managed && exec && op.manages == WorkerCategory::kExecution && op.execution == ExecutionStrategy::kParallel)
      r.error(o.node("execution_strategy"), o.child_path("execution_strategy"),
              "execution workers act on the ledger and cannot run PARALLEL; expected EVENT_DRIVEN or SEQUENTIAL");
    if (managed && agg && op.manages == WorkerCategory::kContext && op.aggregation == AggregationStrategy::kNone)
      r.error(o.node("aggregation_strategy"), o.child_path("aggregation_strategy"),
              "context workers must keep their columns; NONE is not allowed");
    if (managed) {
      for (const auto& other : c.operators)
        if (other.manages == op.manages)
          r.error(o.node("manages_worker_type"), o.child_path("manages_worker_type"),
                  fmt::format("a second operator for {} (the first is at line {}); one operator per worker type",
                              o.node("manages_worker_type").Scalar(), other.origin.where.line));
      c.operators.push_back(op);
    }
  });
  m.finish();
  return c;
}

ScheduleFile parse_schedule(const yaml::Document& doc, Diagnostics& diags) {
  ScheduleFile c;
  Reader r(doc.file, diags);
  MapView m(r, doc.root, "", true);
  each(m, "schedules", false, [&](const YAML::Node& n, const std::string& path) {
    MapView s(r, n, path);
    if (!s.ok()) return;
    ScheduleConfig sc;
    sc.origin = origin_of(r, n, path);
    read_name(s, "name", sc.name, "schedule name");
    if (s.required("cron", sc.cron)) {
      std::string error;
      if (!CronExpr::parse(sc.cron, &error))
        r.error(s.node("cron"), s.child_path("cron"), fmt::format("malformed cron \"{}\": {}", sc.cron, error));
    }
    if (s.required("event", sc.event) && !std::regex_match(sc.event, event_re()))
      r.error(s.node("event"), s.child_path("event"),
              fmt::format("\"{}\" is not an event name; expected UPPER_SNAKE_CASE like WEEKLY_DCA_TICK", sc.event));
    s.optional("enabled", sc.enabled);
    s.finish();
    c.schedules.push_back(sc);
  });
  m.finish();
  unique_names(r, c.schedules, [](const ScheduleConfig& s) { return std::pair{s.name, &s.origin}; }, "schedule",
               diags);
  return c;
}

ConnectorsFile parse_connectors(const yaml::Document& doc, Diagnostics& diags) {
  ConnectorsFile c;
  Reader r(doc.file, diags);
  MapView m(r, doc.root, "", true);
  each(m, "connectors", false, [&](const YAML::Node& n, const std::string& path) {
    MapView k(r, n, path);
    if (!k.ok()) return;
    ConnectorConfig cc;
    cc.origin = origin_of(r, n, path);
    read_name(k, "name", cc.name, "connector name");
    k.required("exchange", cc.exchange);
    k.optional_enum("market", cc.market, kMarkets);
    k.optional("sandbox", cc.sandbox);
    k.optional("base_url", cc.base_url);
    for (auto [key, out] : {std::pair{"api_key_env", &cc.api_key_env}, std::pair{"api_secret_env", &cc.api_secret_env}}) {
      if (!k.required(key, *out)) continue;
      if (!std::regex_match(*out, env_re())) {
        const bool looks_secret = out->size() >= 16;
        r.error(k.node(key), k.child_path(key),
                looks_secret ? "must be the NAME of an environment variable (like BINANCE_API_KEY), not the key "
                               "itself; never put credentials in configuration files"
                             : fmt::format("\"{}\" is not an environment variable name; expected [A-Z_][A-Z0-9_]*",
                                           *out));
      }
    }
    if (k.optional("rate_limit_per_second", cc.rate_limit_per_second) &&
        !(cc.rate_limit_per_second > 0 && cc.rate_limit_per_second <= 1000))
      r.error(k.node("rate_limit_per_second"), k.child_path("rate_limit_per_second"),
              fmt::format("must be in (0, 1000], was {}", cc.rate_limit_per_second));
    k.finish();
    c.connectors.push_back(cc);
  });
  m.finish();
  unique_names(r, c.connectors, [](const ConnectorConfig& s) { return std::pair{s.name, &s.origin}; }, "connector",
               diags);
  return c;
}

namespace {

void parse_synth(Reader& r, const YAML::Node& n, const std::string& path, SynthConfig& s) {
  MapView m(r, n, path, true);
  if (!m.ok()) return;
  std::int64_t seed = static_cast<std::int64_t>(s.seed);
  if (m.optional("seed", seed)) {
    range(m, "seed", seed, 0, 9.2e18);
    s.seed = static_cast<std::uint64_t>(seed);
  }
  if (m.optional("bars", s.bars)) range(m, "bars", s.bars, 1, 1e9);
  if (m.optional("start", s.start) && !parse_iso(s.start))
    r.error(m.node("start"), m.child_path("start"),
            fmt::format("expected an ISO-8601 UTC time like 2020-01-01T00:00:00Z, found \"{}\"", s.start));
  if (m.optional("start_price", s.start_price) && !(s.start_price > 0 && s.start_price <= 1e12))
    r.error(m.node("start_price"), m.child_path("start_price"), fmt::format("must be in (0, 1e12], was {}", s.start_price));
  if (m.optional("volatility", s.volatility) && !(s.volatility > 0 && s.volatility <= 1))
    r.error(m.node("volatility"), m.child_path("volatility"), fmt::format("must be in (0, 1], was {}", s.volatility));
  if (m.optional("drift", s.drift)) range(m, "drift", s.drift, -0.1, 0.1);
  m.finish();
}

const yaml::EnumTable<std::string> kDataFormats = {
    {"auto", "auto"},       {"generic", "generic"},         {"yahoo", "yahoo"},    {"binance", "binance"},
    {"backtrader", "backtrader"}, {"freqtrade-json", "freqtrade-json"}, {"parquet", "parquet"}};
const yaml::EnumTable<std::string> kTimeUnits = {{"auto", "auto"}, {"s", "s"}, {"ms", "ms"}, {"us", "us"}, {"ns", "ns"}};
const yaml::EnumTable<std::string> kNullPolicies = {
    {"refuse", "refuse"}, {"skip_row", "skip_row"}, {"fill_previous", "fill_previous"}};

// format, columns, time_unit, nulls, utc_offset of a data file.
void parse_data_mapping(Reader& r, MapView& d, DataSourceConfig& ds) {
  d.optional_enum("format", ds.format, kDataFormats);
  d.optional_enum("time_unit", ds.time_unit, kTimeUnits);
  d.optional_enum("nulls", ds.nulls, kNullPolicies);
  if (d.has("utc_offset") && d.optional("utc_offset", ds.utc_offset)) {
    const std::string& o = ds.utc_offset;
    if (!parse_utc_offset(o))
      r.error(d.node("utc_offset"), d.child_path("utc_offset"),
              fmt::format("expected an offset like +01:00 or -05:00, found \"{}\"", o));
  }
  if (YAML::Node cols = d.node("columns"); cols.IsDefined()) {
    MapView c(r, cols, d.child_path("columns"));
    if (c.ok()) {
      c.optional("time", ds.columns.time);
      c.optional("open", ds.columns.open);
      c.optional("high", ds.columns.high);
      c.optional("low", ds.columns.low);
      c.optional("close", ds.columns.close);
      c.optional("volume", ds.columns.volume);
      c.finish();
    }
  }
  if (ds.synth && (ds.format != "auto" || !ds.columns.time.empty() || ds.time_unit != "auto"))
    r.error(d.node("synth"), d.path(), "format, columns and time_unit describe a data file; generated data has none");
}

}  // namespace

OperationConfig parse_operation(const yaml::Document& doc, Diagnostics& diags) {
  OperationConfig c;
  c.file = doc.file;
  Reader r(doc.file, diags);
  MapView m(r, doc.root, "");
  if (!m.ok()) return c;
  read_name(m, "name", c.name, "operation name");
  m.optional("description", c.description);
  each(m, "strategy_links", true, [&](const YAML::Node& n, const std::string& path) {
    MapView l(r, n, path);
    if (!l.ok()) return;
    StrategyLinkConfig link;
    link.origin = origin_of(r, n, path);
    read_name(l, "name", link.name, "strategy link name");
    if (l.required("blueprint", link.blueprint))
      link.blueprint_origin = origin_of(r, l.node("blueprint"), l.child_path("blueprint"));
    if (YAML::Node inst = l.node("instrument"); inst.IsDefined()) {
      MapView i(r, inst, l.child_path("instrument"));
      if (i.ok()) {
        i.required("symbol", link.instrument.symbol);
        if (i.optional("price_precision", link.instrument.price_precision))
          range(i, "price_precision", link.instrument.price_precision, 0, 12);
        if (i.optional("quantity_precision", link.instrument.quantity_precision))
          range(i, "quantity_precision", link.instrument.quantity_precision, 0, 12);
        i.optional("quote_currency", link.instrument.quote_currency);
        i.finish();
      }
    } else {
      l.missing("instrument");
    }
    if (l.optional("timeframe", link.timeframe) && !parse_timeframe(link.timeframe))
      r.error(l.node("timeframe"), l.child_path("timeframe"),
              fmt::format("\"{}\" is not a timeframe; expected a count and a unit s, m, h, d or w, like 1m, 4h, 1d",
                          link.timeframe));
    l.optional_enum("environment", link.environment, kEnvironments);
    if (YAML::Node data = l.node("data"); data.IsDefined()) {
      MapView d(r, data, l.child_path("data"));
      if (d.ok()) {
        DataSourceConfig ds;
        ds.origin = origin_of(r, data, l.child_path("data"));
        const bool has_path = d.optional("path", ds.path) && d.has("path");
        if (YAML::Node synth = d.node("synth"); synth.IsDefined()) {
          ds.synth = SynthConfig{};
          parse_synth(r, synth, d.child_path("synth"), *ds.synth);
          if (has_path)
            r.error(data, d.path(), "give either path (a data file) or synth (generated data), not both");
        } else if (!has_path) {
          r.error(data, d.path(), "missing the data source: expected path: FILE or synth: {...}");
        }
        parse_data_mapping(r, d, ds);
        d.finish();
        link.data = ds;
      }
    }
    if (l.optional("connector", link.connector))
      link.connector_origin = origin_of(r, l.node("connector"), l.child_path("connector"));
    double cash = 0;
    if (YAML::Node ic = l.node("initial_cash"); ic.IsDefined() && yaml::read(r, ic, l.child_path("initial_cash"), cash)) {
      if (!(cash > 0 && cash <= 1e15))
        r.error(ic, l.child_path("initial_cash"), fmt::format("must be in (0, 1e15], was {}", cash));
      link.initial_cash = cash;
    }
    l.optional("enabled", link.enabled);
    l.finish();
    if (link.environment == Environment::kBacktest && !link.data && !l.has("data"))
      r.error(n, path, fmt::format("backtest link \"{}\" needs a data source (data: {{path: FILE}} or data: {{synth: ...}})",
                                   link.name));
    if (link.environment != Environment::kBacktest && link.connector.empty())
      r.error(n, path, fmt::format("{} link \"{}\" needs a connector (a name from connectors.yaml)",
                                   to_string(link.environment), link.name));
    c.strategy_links.push_back(std::move(link));
  });
  m.finish();
  unique_names(r, c.strategy_links, [](const StrategyLinkConfig& s) { return std::pair{s.name, &s.origin}; },
               "strategy link", diags);
  return c;
}

namespace {

ParamValue to_param(Reader& r, const YAML::Node& n, const std::string& path, bool& ok) {
  ok = true;
  if (n.IsSequence()) {
    std::vector<std::string> list;
    ok = yaml::read(r, n, path, list);
    return list;
  }
  if (!n.IsScalar()) {
    r.error(n, path, "expected a scalar or a list of scalars, found " + yaml::describe(n));
    ok = false;
    return std::string();
  }
  const std::string& s = n.Scalar();
  if (n.Tag() != "!") {  // unquoted: a bool or a number when it looks like one
    if (s == "true" || s == "false") return s == "true";
    static const std::regex int_re("[-+]?[0-9]+");
    static const std::regex float_re(R"([-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?)");
    if (std::regex_match(s, int_re)) {
      std::int64_t v = 0;
      if (yaml::read(r, n, path, v)) return v;
      ok = false;
      return std::string();
    }
    if (std::regex_match(s, float_re)) return std::stod(s);
  }
  return s;
}

void parse_workers(Reader& r, MapView& wf, const char* key, std::vector<WorkerConfig>& out) {
  each(wf, key, false, [&](const YAML::Node& n, const std::string& path) {
    MapView w(r, n, path);
    if (!w.ok()) return;
    WorkerConfig wc;
    wc.origin = origin_of(r, n, path);
    w.required("plugin", wc.plugin);
    if (w.optional("id", wc.id) && w.has("id") && !std::regex_match(wc.id, name_re()))
      r.error(w.node("id"), w.child_path("id"), fmt::format("\"{}\" is not a valid worker id", wc.id));
    if (wc.id.empty()) wc.id = wc.plugin;
    if (YAML::Node params = w.node("params"); params.IsDefined() && !params.IsNull()) {
      MapView p(r, params, w.child_path("params"));
      if (p.ok()) {
        for (const auto& [name, value] : p.entries()) {
          p.known(name);
          bool ok = false;
          const std::string ppath = p.child_path(name);
          ParamValue v = to_param(r, value, ppath, ok);
          if (ok) wc.params[name] = ParamEntry{std::move(v), origin_of(r, value, ppath)};
        }
      }
    }
    w.finish();
    out.push_back(std::move(wc));
  });
}

}  // namespace

Blueprint parse_blueprint(const yaml::Document& doc, Diagnostics& diags) {
  Blueprint b;
  b.file = doc.file;
  Reader r(doc.file, diags);
  MapView m(r, doc.root, "");
  if (!m.ok()) return b;
  b.origin = origin_of(r, doc.root, "");
  if (read_name(m, "name", b.name, "blueprint name")) {
    const std::string stem = fs::path(doc.file).stem().string();
    if (b.name != stem)
      r.error(m.node("name"), "name",
              fmt::format("blueprint \"{}\" is in {}; the name must equal the file name \"{}\"", b.name,
                          fs::path(doc.file).filename().string(), stem));
  }
  m.optional("description", b.description);
  if (YAML::Node wf = m.node("workforce"); wf.IsDefined()) {
    MapView w(r, wf, "workforce");
    if (w.ok()) {
      parse_workers(r, w, "context", b.context);
      parse_workers(r, w, "opportunity", b.opportunity);
      parse_workers(r, w, "threat", b.threat);
      parse_workers(r, w, "planning", b.planning);
      parse_workers(r, w, "execution", b.execution);
      w.finish();
    }
  } else {
    m.missing("workforce");
  }
  if (YAML::Node br = m.node("broker"); br.IsDefined()) {
    MapView k(r, br, "broker");
    if (k.ok()) {
      BrokerConfig& c = b.broker;
      if (k.optional("initial_cash", c.initial_cash) && !(c.initial_cash > 0 && c.initial_cash <= 1e15))
        r.error(k.node("initial_cash"), "broker.initial_cash", fmt::format("must be in (0, 1e15], was {}", c.initial_cash));
      if (k.optional("commission_percent", c.commission_percent)) range(k, "commission_percent", c.commission_percent, 0, 100);
      if (k.optional("commission_fixed", c.commission_fixed)) range(k, "commission_fixed", c.commission_fixed, 0, 1e9);
      if (k.optional("slippage_bps", c.slippage_bps)) range(k, "slippage_bps", c.slippage_bps, 0, 10000);
      k.optional_enum("fill_timing", c.fill_timing, kFillTimings);
      k.optional_enum("cash_check", c.cash_check, kCashChecks);
      k.optional("allow_short", c.allow_short);
      if (k.optional("cash_decimals", c.cash_decimals)) range(k, "cash_decimals", c.cash_decimals, 2, 12);
      // Room for the account to grow 1000-fold before the fixed point overflows.
      if (c.cash_decimals >= 2 && c.cash_decimals <= 12 && c.initial_cash * std::pow(10.0, c.cash_decimals) > 9.2e15)
        r.error(k.node(k.has("cash_decimals") ? "cash_decimals" : "initial_cash"), "broker.cash_decimals",
                fmt::format("initial_cash {} with {} cash decimals leaves no room to grow (cash must stay below "
                            "9.2e18 / 10^cash_decimals); lower cash_decimals or initial_cash",
                            c.initial_cash, c.cash_decimals));
      k.finish();
    }
  }
  m.finish();
  std::vector<const WorkerConfig*> all;
  for (auto* list : {&b.context, &b.opportunity, &b.threat, &b.planning, &b.execution})
    for (const auto& w : *list) all.push_back(&w);
  unique_names(r, all, [](const WorkerConfig* w) { return std::pair{w->id, &w->origin}; }, "worker id", diags);
  return b;
}

namespace {

struct Override {
  std::string text, file_key, path, value;
};

class Loader {
 public:
  Loader(std::string dir, const PluginCatalog* catalog, const LoadOptions& options, Diagnostics& diags)
      : dir_(std::move(dir)), catalog_(catalog), diags_(&diags) {
    for (const auto& o : options.overrides) {
      const auto eq = o.find('=');
      const auto dot = o.find('.');
      if (eq == std::string::npos || dot == std::string::npos || dot > eq) {
        diags.add({"--set", 0, 0}, o, "expected KEY.PATH=VALUE with the file first, like platform.threads=4 or "
                                      "runs.trend_follower.broker.initial_cash=50000");
        continue;
      }
      Override ov{o, o.substr(0, dot), o.substr(dot + 1, eq - dot - 1), o.substr(eq + 1)};
      if (ov.file_key == "runs") {
        const auto dot2 = ov.path.find('.');
        if (dot2 == std::string::npos) {
          diags.add({"--set", 0, 0}, o, "expected runs.<blueprint>.KEY.PATH=VALUE");
          continue;
        }
        ov.file_key = "runs." + ov.path.substr(0, dot2);
        ov.path = ov.path.substr(dot2 + 1);
      }
      OverrideState state;
      static_cast<Override&>(state) = std::move(ov);
      overrides_.push_back(std::move(state));
    }
  }

  ConfigSet load() {
    ConfigSet cfg;
    cfg.dir = dir_;
    if (!fs::is_directory(dir_)) {
      diags_->add({dir_, 0, 0}, "", "configuration directory does not exist");
      return cfg;
    }
    if (auto doc = load("index.yaml", "index", true)) cfg.index = parsed("index", *doc, parse_index);
    if (auto doc = load(cfg.index.platform, "platform", false)) cfg.platform = parsed("platform", *doc, parse_platform);
    if (auto doc = load(cfg.index.operators, "operators", false))
      cfg.operators = parsed("operators", *doc, parse_operators);
    if (auto doc = load(cfg.index.schedule, "schedule", false)) cfg.schedule = parsed("schedule", *doc, parse_schedule);
    if (auto doc = load(cfg.index.connectors, "connectors", false))
      cfg.connectors = parsed("connectors", *doc, parse_connectors);
    // "operation" is the first operation file; each one is also addressed by its file stem.
    for (std::size_t i = 0; i < cfg.index.operations.size(); ++i) {
      const std::string& op = cfg.index.operations[i];
      const std::string kind = (i == 0 ? "operation|" : "") + fs::path(op).stem().string();
      if (auto doc = load(op, kind, true)) cfg.operations.push_back(parsed(kind, *doc, parse_operation));
    }
    // Every blueprint in blueprints_dir, in name order.
    const fs::path bdir = fs::path(dir_) / cfg.index.blueprints_dir;
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::is_directory(bdir, ec))
      for (const auto& e : fs::directory_iterator(bdir, ec))
        if (e.path().extension() == ".yaml" || e.path().extension() == ".yml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      const std::string stem = f.stem().string();
      if (auto doc = load((fs::path(cfg.index.blueprints_dir) / f.filename()).string(), "runs." + stem, true)) {
        Blueprint b = parsed("runs." + stem, *doc, parse_blueprint);
        if (!b.name.empty()) cfg.blueprints[stem] = std::move(b);
        else cfg.blueprints[stem].file = doc->file;
      }
    }
    for (const auto& o : overrides_) {
      if (o.used) continue;
      std::string list;
      for (const auto& k : kinds_) list += (list.empty() ? "" : ", ") + k;
      std::string msg = fmt::format("no file \"{}\" to override; the files are {}", o.file_key, list);
      if (auto near = closest_match(o.file_key, kinds_); !near.empty()) msg += fmt::format(" (did you mean \"{}\"?)", near);
      diags_->add({"--set", 0, 0}, o.text, msg);
    }
    cross_check(cfg);
    return cfg;
  }

 private:
  struct OverrideState : Override {
    bool used = false;
  };

  // Parses, then points the problems of overridden values at the --set that wrote them (their
  // nodes have no position in the file).
  template <class Parse>
  std::invoke_result_t<Parse, const yaml::Document&, Diagnostics&> parsed(const std::string& kind,
                                                                          const yaml::Document& doc, Parse parse) {
    const std::size_t before = diags_->size();
    auto result = parse(doc, *diags_);
    relocate(kind, before);
    return result;
  }

  void relocate(const std::string& kind, std::size_t before) {
    for (std::size_t i = before; i < diags_->size(); ++i) {
      Diagnostic& d = diags_->items()[i];
      for (const auto& o : overrides_) {
        if (!targets(o, kind) || d.path.rfind(o.path, 0) != 0) continue;
        const std::size_t n = o.path.size();
        if (d.path.size() > n && d.path[n] != '.' && d.path[n] != '[') continue;
        d.where = SourceLocation{"--set " + o.text, 0, 0};
      }
    }
  }

  // `kind` names a file for --set; aliases are separated by '|' ("operation|backtrader").
  static bool targets(const Override& o, const std::string& kind) {
    std::size_t start = 0;
    while (start <= kind.size()) {
      const std::size_t bar = kind.find('|', start);
      if (kind.compare(start, bar == std::string::npos ? std::string::npos : bar - start, o.file_key) == 0) return true;
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    return false;
  }

  std::optional<yaml::Document> load(const std::string& name, const std::string& kind, bool required) {
    for (std::size_t start = 0; start <= kind.size();) {
      const std::size_t bar = kind.find('|', start);
      const std::string k = kind.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
      if (std::find(kinds_.begin(), kinds_.end(), k) == kinds_.end()) kinds_.push_back(k);
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    const std::string path = (fs::path(dir_) / name).string();
    std::error_code ec;
    std::optional<yaml::Document> doc;
    if (!fs::exists(path, ec)) {
      bool overridden = false;
      for (const auto& o : overrides_) overridden = overridden || targets(o, kind);
      if (required) {
        diags_->add({path, 0, 0}, "", fmt::format("file not found (named in index.yaml as the {} file)", kind));
        return std::nullopt;
      }
      if (!overridden) {
        yaml::Document empty{path, YAML::Node(YAML::NodeType::Map)};
        return empty;
      }
      doc = yaml::Document{path, YAML::Node(YAML::NodeType::Map)};
    } else {
      doc = yaml::load_file(path, *diags_);
      if (!doc) return std::nullopt;
    }
    if (doc->root.IsNull() || !doc->root.IsDefined()) {
      if (required && kind != "index") {
        diags_->add({path, 1, 1}, "", "the file is empty; expected a mapping");
        return std::nullopt;
      }
      doc->root = YAML::Node(YAML::NodeType::Map);
    }
    for (auto& o : overrides_) {
      if (!targets(o, kind)) continue;
      o.used = true;
      if (!doc->root.IsMap()) continue;
      const std::string err = yaml::apply_override(doc->root, o.path, o.value);
      if (!err.empty()) diags_->add({"--set", 0, 0}, o.text, err);
    }
    return doc;
  }

  void cross_check(ConfigSet& cfg) {
    std::vector<std::string> blueprint_names;
    for (const auto& [name, b] : cfg.blueprints) blueprint_names.push_back(name);
    std::vector<std::string> connector_names;
    for (const auto& c : cfg.connectors.connectors) connector_names.push_back(c.name);
    std::set<std::string> used;
    for (const auto& op : cfg.operations) {
      for (const auto& link : op.strategy_links) {
        if (!link.blueprint.empty()) {
          if (!cfg.blueprints.count(link.blueprint)) {
            std::string msg = fmt::format("no blueprint \"{}\" ({}/{}.yaml does not exist)", link.blueprint,
                                          cfg.index.blueprints_dir, link.blueprint);
            if (auto near = closest_match(link.blueprint, blueprint_names); !near.empty())
              msg += fmt::format(" (did you mean \"{}\"?)", near);
            diags_->add(link.blueprint_origin.where, link.blueprint_origin.path, msg);
          } else if (link.enabled) {
            used.insert(link.blueprint);
          }
        }
        if (!link.connector.empty() &&
            std::find(connector_names.begin(), connector_names.end(), link.connector) == connector_names.end()) {
          std::string msg = fmt::format("connector \"{}\" is not defined in {}", link.connector, cfg.index.connectors);
          if (auto near = closest_match(link.connector, connector_names); !near.empty())
            msg += fmt::format(" (did you mean \"{}\"?)", near);
          diags_->add(link.connector_origin.where, link.connector_origin.path, msg);
        }
      }
    }
    if (catalog_ == nullptr) return;
    std::set<std::string> consumed;
    const std::vector<std::string> names = catalog_->names();
    for (const auto& [bname, b] : cfg.blueprints) {
      const std::pair<const std::vector<WorkerConfig>*, WorkerCategory> sections[] = {
          {&b.context, WorkerCategory::kContext},
          {&b.opportunity, WorkerCategory::kOpportunity},
          {&b.threat, WorkerCategory::kThreat},
          {&b.planning, WorkerCategory::kPlanning},
          {&b.execution, WorkerCategory::kExecution}};
      for (const auto& [list, category] : sections) {
        for (const auto& w : *list) {
          if (w.plugin.empty()) continue;
          const Manifest* m = catalog_->find(w.plugin);
          if (m == nullptr) {
            std::string msg = fmt::format("unknown plugin \"{}\"", w.plugin);
            if (auto near = closest_match(w.plugin, names); !near.empty()) msg += fmt::format(" (did you mean \"{}\"?)", near);
            diags_->add(w.origin.where, w.origin.path + ".plugin", msg + "; `s1mpletrader plugins list` shows them all");
            continue;
          }
          if (m->category != category) {
            diags_->add(w.origin.where, w.origin.path + ".plugin",
                        fmt::format("plugin \"{}\" is a {} worker, not a {} worker; move it to workforce.{}", w.plugin,
                                    st::to_string(m->category), st::to_string(category), st::to_string(m->category)));
            continue;
          }
          const std::size_t before = diags_->size();
          resolve_params(*m, w, b.file, *diags_);
          relocate("runs." + bname, before);
          if (used.count(bname))
            for (const auto& e : m->consumes) consumed.insert(e);
        }
      }
    }
    // With no link in use (e.g. the operation failed to load) every schedule would be flagged.
    for (const auto& s : cfg.schedule.schedules) {
      if (used.empty()) break;
      if (!s.enabled || s.event.empty() || consumed.count(s.event)) continue;
      std::string in_use;
      for (const auto& u : used) in_use += (in_use.empty() ? "" : ", ") + u;
      diags_->add(s.origin.where, s.origin.path + ".event",
                  fmt::format("event {} is consumed by no worker of the blueprints in use ({}); a schedule nobody "
                              "listens to is a mistake — disable it (enabled: false) or add a worker that consumes it",
                              s.event, in_use.empty() ? "none" : in_use));
    }
  }

  std::string dir_;
  const PluginCatalog* catalog_;
  Diagnostics* diags_;
  std::vector<OverrideState> overrides_;
  std::vector<std::string> kinds_;  // every file name --set can address, in load order
};

}  // namespace

ConfigSet load_config(const std::string& dir, const PluginCatalog* catalog, const LoadOptions& options,
                      Diagnostics& diags) {
  try {
    Loader loader(dir, catalog, options, diags);
    return loader.load();
  } catch (const std::exception& e) {
    // Defensive: a library surprise on hostile input becomes a diagnostic, never a crash.
    diags.add({dir, 0, 0}, "", std::string("internal error while reading the configuration: ") + e.what());
    return ConfigSet{};
  }
}

std::string summary(const ConfigSet& cfg) {
  std::size_t links = 0, workers = 0;
  for (const auto& op : cfg.operations) links += op.strategy_links.size();
  for (const auto& [name, b] : cfg.blueprints)
    workers += b.context.size() + b.opportunity.size() + b.threat.size() + b.planning.size() + b.execution.size();
  auto n = [](std::size_t count, const char* what) {
    return fmt::format("{} {}{}", count, what, count == 1 ? "" : "s");
  };
  return fmt::format("config OK: {}: {}, {}, {}, {}, {}, {}", cfg.dir, n(cfg.operations.size(), "operation"),
                     n(links, "strategy link"), n(cfg.blueprints.size(), "blueprint"), n(workers, "worker"),
                     n(cfg.schedule.schedules.size(), "schedule"), n(cfg.connectors.connectors.size(), "connector"));
}

}  // namespace st::config
