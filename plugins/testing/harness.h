// Test harness for built-in plugins: builds workers through the real registry and WorkerBuilder
// (manifest defaults, param validation, binding), feeds bars, and fakes the ledger and the
// execution context. Test-only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backend/assembly/worker_builder.h"
#include "backend/registry/registry.h"

namespace st::testing {

class FakeLedger final : public LedgerView {
 public:
  Decimal cash_ = Decimal::parse("10000"), equity_ = Decimal::parse("10000"), peak_ = Decimal::parse("10000");
  std::vector<Position> positions_;
  Decimal cash() const override { return cash_; }
  Decimal equity() const override { return equity_; }
  Decimal peak_equity() const override { return peak_; }
  Decimal realized_pnl() const override { return Decimal(); }
  std::span<const Position> open_positions() const override { return positions_; }
};

// Records what execution workers ask for.
class FakeExecution final : public ExecutionContext {
 public:
  explicit FakeExecution(const TradingContext& market, const LedgerView& ledger) : market_(&market), ledger_(&ledger) {}
  Timestamp now() const override { return market_->time(); }
  const TradingContext& market() const override { return *market_; }
  const LedgerView& ledger() const override { return *ledger_; }
  std::span<const CriticalEvent> active_threats() const override { return threats; }
  void open_trade(const RoutedTradePlan& plan) override { opened.push_back(plan); }
  void reject_plan(const RoutedTradePlan& plan, std::string reason, ThreatId threat) override {
    rejected.push_back({plan.plan.opportunity_id, reason, threat});
  }
  void open_scheduled_trade(const ScheduledEvent& e, Direction, Decimal quantity, std::string reason) override {
    scheduled.push_back({e.scheduled_id, quantity, reason});
  }
  void close_trade(TradeId id, std::string reason, ThreatId threat, OpportunityId because) override {
    closed.push_back({id, reason, threat, because});
  }
  void move_stop(TradeId id, Decimal stop, std::string_view reason) override {
    stops.push_back({id, stop, std::string(reason)});
  }

  struct Rejection { OpportunityId opportunity; std::string reason; ThreatId threat; };
  struct Scheduled { ScheduledId id; Decimal quantity; std::string reason; };
  struct Close { TradeId id; std::string reason; ThreatId threat; OpportunityId because; };
  struct StopMove { TradeId id; Decimal stop; std::string reason; };
  std::vector<CriticalEvent> threats;
  std::vector<RoutedTradePlan> opened;
  std::vector<Rejection> rejected;
  std::vector<Scheduled> scheduled;
  std::vector<Close> closed;
  std::vector<StopMove> stops;

 private:
  const TradingContext* market_;
  const LedgerView* ledger_;
};

class MemoryState final : public IStatePersistor {
 public:
  std::map<std::string, nlohmann::ordered_json> saved;
  std::optional<nlohmann::ordered_json> load(const std::string& key) override {
    auto it = saved.find(key);
    if (it == saved.end()) return std::nullopt;
    return it->second;
  }
  void save(const std::string& key, const nlohmann::ordered_json& s) override { saved[key] = s; }
};

// Sinks that record what a worker emitted.
class RecordingSignals final : public SignalSink {
 public:
  std::vector<Signal> got;  // exit signals have .exit set
  void emit(Direction d, std::string type, double strength, Details details) override {
    got.push_back(Signal{{}, {}, d, std::move(type), "", strength, false, std::move(details)});
  }
  void emit_exit(Direction d, std::string type, Details details) override {
    got.push_back(Signal{{}, {}, d, std::move(type), "", 1.0, true, std::move(details)});
  }
};

class RecordingThreats final : public ThreatSink {
 public:
  std::vector<CriticalEvent> got;
  void raise(std::string type, Severity severity, std::string message, Details details) override {
    CriticalEvent e;
    e.threat_type = std::move(type);
    e.severity = severity;
    e.message = std::move(message);
    e.details = std::move(details);
    got.push_back(std::move(e));
  }
};

class RecordingJournal final : public IJournalWriter {
 public:
  std::vector<WorkerJournalEntry> entries;
  void write(const std::string&, const WorkerJournalEntry& e) override { entries.push_back(e); }
};

class Harness {
 public:
  explicit Harness(InstrumentInfo instrument = {"TEST", 4, 2, "USD", kNsPerDay});

  // Builds a worker of a built-in plugin; `params` as they would be written in a blueprint.
  template <class T>
  T& add(WorkerCategory category, const std::string& plugin, std::map<std::string, ParamValue> params,
         std::string id = "") {
    return dynamic_cast<T&>(*build(category, plugin, std::move(params), std::move(id)));
  }
  // Creates the context once every worker is added.
  TradingContext& start();
  // Pushes a bar (at the harness's next bar time) and runs every context worker on it.
  void push(double open, double high, double low, double close, double volume = 1000);
  // Pushes `bar` as it is, with its own time (the micro benchmarks: a bar made long before it is
  // pushed, as the engine's sources hand them over, not one stored just before).
  void push(const Bar& bar);
  void push_close(double close) { push(close, close, close, close); }

  TradingContext& ctx() { return *context_; }
  ContextSchema& schema() { return schema_; }
  FakeLedger ledger;
  MemoryState state;
  RecordingJournal journal;

 private:
  Worker* build(WorkerCategory category, const std::string& plugin, std::map<std::string, ParamValue> params,
                std::string id);
  InstrumentInfo instrument_;
  std::unique_ptr<PluginRegistry> registry_;
  ContextSchema schema_;
  std::unique_ptr<BindContext> bind_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<ContextWorker*> context_workers_;
  std::unique_ptr<TradingContext> context_;
  std::int64_t t_ = 0;
};

// A Signal for planning tests.
Signal make_signal(Direction d, Timestamp t = {});

// Context workers in blueprint order, as (plugin, params).
using ContextChain = std::vector<std::pair<std::string, std::map<std::string, ParamValue>>>;
// Runs `chain` over `bars` twice — process() bar by bar, and process_block() over blocks of the
// given sizes in turn (as a backtest hands them over) — and expects every column the chain
// declares to hold the same bits on every bar. Every worker of the chain must run in blocks.
void expect_blocks_match_bars(const ContextChain& chain, const std::vector<Bar>& bars,
                              const std::vector<std::size_t>& block_sizes);
// Bars of a seeded random walk (ranges, gaps, a few flat bars), for such comparisons.
std::vector<Bar> random_bars(std::size_t n, std::uint64_t seed);

}  // namespace st::testing

namespace st::testing {
// A small CSV table reader for oracle files: header -> column of strings.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string& name) const;
  double number(std::size_t row, const std::string& name) const;  // NaN for an empty field
};
Table read_table(const std::string& path);
std::string shared_dir();
}  // namespace st::testing
