// The worker API: what a plugin implements (DESIGN §4). This header, with dto.h, context.h and
// params.h, is the versioned plugin API (version.h). Workers never know which environment
// (Backtest, Paper, Live) they run in.
//
// Rules enforced by the types:
//  * Only OpportunityWorkers get a SignalSink, so only they can create Signals/OpportunityIDs.
//  * Only ThreatWorkers get a ThreatSink (ThreatIDs). ContextWorkers get neither: they can only
//    write their columns.
//  * Capabilities are opt-in mixins (Stateful, EventAware, Journaling); the WorkerBuilder refuses
//    a worker whose mixins differ from its manifest's `capabilities`.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "backend/api/context.h"
#include "backend/api/dto.h"
#include "backend/api/params.h"

namespace st {

enum class WorkerCategory : std::uint8_t { kContext, kOpportunity, kThreat, kPlanning, kExecution };
const char* to_string(WorkerCategory c);

struct WorkerInfo {
  std::string plugin;   // manifest name
  std::string id;       // instance id in the blueprint
  WorkerCategory category = WorkerCategory::kContext;
  std::string subtype;  // manifest subtype, e.g. "INDICATOR_CALCULATION"
};

// Given to bind(): resolve names to ids once, at build time.
class BindContext {
 public:
  BindContext(ContextSchema& schema, const InstrumentInfo& instrument)
      : schema_(&schema), instrument_(&instrument) {}
  ContextSchema& schema() { return *schema_; }
  const InstrumentInfo& instrument() const { return *instrument_; }

 private:
  ContextSchema* schema_;
  const InstrumentInfo* instrument_;
};

class Worker {
 public:
  virtual ~Worker() = default;
  // Called once after construction with params set: read params, declare/resolve columns.
  // Throw st::Error for problems; the builder prefixes the blueprint position.
  virtual void bind(BindContext&) {}

  const WorkerInfo& info() const { return info_; }
  const Params& params() const { return params_; }

 private:
  friend class WorkerAccess;
  WorkerInfo info_;
  Params params_;
};

// ---------------------------------------------------------------- capability mixins
// Durable state, written atomically by commit_state() through IStatePersistor.
class IStatePersistor {
 public:
  virtual ~IStatePersistor() = default;
  virtual std::optional<nlohmann::ordered_json> load(const std::string& key) = 0;
  virtual void save(const std::string& key, const nlohmann::ordered_json& state) = 0;
};

class Stateful {
 public:
  virtual ~Stateful() = default;
  // Called once after the saved state (if any) was loaded into state().
  virtual void on_state_restored() {}

 protected:
  nlohmann::ordered_json& state() { return state_; }
  void commit_state();

 private:
  friend class WorkerAccess;
  nlohmann::ordered_json state_ = nlohmann::ordered_json::object();
  IStatePersistor* persistor_ = nullptr;
  std::string key_;
};

class IEventEmitter {
 public:
  virtual ~IEventEmitter() = default;
  virtual void emit(const std::string& source, std::string_view event, const Details& payload) = 0;
};

class EventAware {
 public:
  virtual ~EventAware() = default;
  // Called for each event named in the manifest's events.consumes.
  virtual void on_event(std::string_view event, const Details& payload, Timestamp time) = 0;

 protected:
  // Emits a named event (must be listed in the manifest's events.emits).
  void emit(std::string_view event, const Details& payload = {});

 private:
  friend class WorkerAccess;
  IEventEmitter* emitter_ = nullptr;
  std::string source_;
};

// A journal entry a worker writes itself (e.g. a risk governor's OPPORTUNITY_REJECTED).
struct WorkerJournalEntry {
  std::string event_type;
  OpportunityId opportunity_id;
  TradeId trade_id;
  ThreatId threat_id;
  ScheduledId scheduled_id;
  std::string message;
  Details details;
};

class IJournalWriter {
 public:
  virtual ~IJournalWriter() = default;
  virtual void write(const std::string& worker, const WorkerJournalEntry& entry) = 0;
};

class Journaling {
 public:
  virtual ~Journaling() = default;

 protected:
  void journal(const WorkerJournalEntry& entry);

 private:
  friend class WorkerAccess;
  IJournalWriter* journal_ = nullptr;
  std::string source_;
};

// ---------------------------------------------------------------- the five categories
class ContextWorker : public Worker {
 public:
  // Enrich: compute this bar's values of the declared columns. O(1) per bar.
  virtual void process(TradingContext& ctx) = 0;
  // Optional, for speed: the same values for a whole block of bars at once, ahead of the bars'
  // chain (a backtest hands bars over in blocks). Write into block.output(c) for each declared
  // column exactly what process() would set on each bar, reading only the block (its bars and
  // block.input() of earlier columns). Return false, before changing any state, when it cannot
  // (the default; or an input is not computed in blocks): then process() runs on every bar.
  // The answer on the first block holds for the run. A throw ends the run at the block's first bar.
  virtual bool process_block(ContextBlock&) { return false; }
};

class SignalSink {
 public:
  virtual ~SignalSink() = default;
  // Creates a Signal. Its OpportunityID is born when the operator collects the worker's output
  // (in worker order, so ids are the same on one thread or many).
  virtual void emit(Direction direction, std::string signal_type, double strength,
                    Details details) = 0;
  // An exit signal: asks execution to close open positions of `positions` (e.g. a cross down
  // in a long-only strategy). It is an opportunity too (journaled, with its own id) but it is not
  // planned: TRADE_INITIATION workers get it in on_exit_signal.
  virtual void emit_exit(Direction positions, std::string signal_type, Details details) = 0;
};

class OpportunityWorker : public Worker {
 public:
  virtual void process(const TradingContext& ctx, SignalSink& out) = 0;
};

// Read-only view of the strategy ledger.
class LedgerView {
 public:
  virtual ~LedgerView() = default;
  virtual Decimal cash() const = 0;
  virtual Decimal equity() const = 0;       // cash + open positions marked at the last close
  virtual Decimal peak_equity() const = 0;  // highest equity seen
  virtual Decimal realized_pnl() const = 0;
  virtual std::span<const Position> open_positions() const = 0;
};

class ThreatSink {
 public:
  virtual ~ThreatSink() = default;
  // Reports that the condition holds on this bar. A threat that stays active keeps its ThreatID
  // (one THREAT_DETECTED per episode); when a worker stops raising it, it is cleared.
  virtual void raise(std::string threat_type, Severity severity, std::string message,
                     Details details) = 0;
  // The cheap form of raise() for a threat that goes on: true when the host knows this worker's
  // threat of `threat_type` is active and keeps it active for this bar, with nothing built or
  // copied (a threat's episode keeps what it started with); false when it is not active, or the
  // host does not track threats, and then the worker calls raise(). Added in API 1.1; hosts of
  // API 1.0 plugins are unaffected (they never call it).
  virtual bool still_active(std::string_view threat_type) {
    (void)threat_type;
    return false;
  }
};

class ThreatWorker : public Worker {
 public:
  virtual void process(const TradingContext& ctx, const LedgerView& ledger, ThreatSink& out) = 0;
};

struct PlanningInput {
  const Signal& signal;
  const TradingContext& market;
  const LedgerView& ledger;
  std::span<const CriticalEvent> active_threats;
};

// The outcome of one planning phase.
struct PlanDecision {
  bool accepted = true;
  std::string reason;  // why rejected
  ThreatId threat_id;  // the threat that caused the rejection, if any
  static PlanDecision accept() { return {}; }
  static PlanDecision reject(std::string reason, ThreatId threat = {}) {
    return {false, std::move(reason), threat};
  }
};

// Subtypes ENTRY_PLANNING, EXIT_PLANNING, SIZE_PLANNING, ORDER_ROUTING run in that order.
class PlanningWorker : public Worker {
 public:
  virtual PlanDecision plan(const PlanningInput& in, RoutedTradePlan& plan) = 0;
};

// What an execution worker can do. Implemented by the environment; identical in all three.
class ExecutionContext {
 public:
  virtual ~ExecutionContext() = default;
  virtual Timestamp now() const = 0;
  virtual const TradingContext& market() const = 0;
  virtual const LedgerView& ledger() const = 0;
  virtual std::span<const CriticalEvent> active_threats() const = 0;
  // Submits the entry order of a planned trade (protective stop / target follow the fill).
  virtual void open_trade(const RoutedTradePlan& plan) = 0;
  // Refuses a plan (the trade never opens); journaled as OPPORTUNITY_REJECTED.
  virtual void reject_plan(const RoutedTradePlan& plan, std::string reason, ThreatId threat = {}) = 0;
  // A trade opened because of a schedule (DCA): market order of `quantity`.
  virtual void open_scheduled_trade(const ScheduledEvent& event, Direction direction,
                                    Decimal quantity, std::string reason) = 0;
  // Closes a trade at market (next fill); `threat` names the threat that forced it, if any.
  // `because` names an exit signal's opportunity, when one caused it.
  virtual void close_trade(TradeId id, std::string reason, ThreatId threat = {},
                           OpportunityId because = {}) = 0;
  // The reason is copied into the journal before the call returns.
  virtual void move_stop(TradeId id, Decimal new_stop, std::string_view reason) = 0;
};

// Subtypes: TRADE_INITIATION (on_plan, on_exit_signal), POSITION_MANAGEMENT (on_bar), RISK_SAFETY (on_threat),
// OPERATIONAL (on_scheduled). The EVENT_DRIVEN operator calls each worker for the events its
// subtype and manifest subscribe to.
class ExecutionWorker : public Worker {
 public:
  virtual void on_plan(const RoutedTradePlan&, ExecutionContext&) {}
  virtual void on_exit_signal(const Signal&, ExecutionContext&) {}
  virtual void on_bar(const TradingContext&, ExecutionContext&) {}
  virtual void on_threat(const CriticalEvent&, ExecutionContext&) {}
  virtual void on_scheduled(const ScheduledEvent&, ExecutionContext&) {}
};

}  // namespace st
