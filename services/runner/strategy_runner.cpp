#include "services/runner/strategy_runner.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <sstream>
#include <nlohmann/json.hpp>

#include "backend/assembly/component_builder.h"
#include "backend/core/atomic_file.h"
#include "backend/core/format.h"
#include "backend/data/csv.h"
#include "backend/data/synth.h"
#include "backend/dataio/import.h"
#include "backend/execution/backtest_environment.h"
#include "backend/journal/journal.h"
#include "backend/journal/journal_persistor.h"
#include "backend/persistence/persistor_factory.h"
#include "backend/persistence/state_persistor.h"
#include "services/eventbus/event_bus.h"
#include "services/operators/base_operator.h"
#include "services/report/report.h"
#include "services/runner/parquet_outputs.h"
#include "services/scheduler/scheduler.h"

namespace st {
namespace fs = std::filesystem;

namespace {

// Room for one row of equity.csv: a time (format_iso), two decimals, six-decimal drawdown, commas.
constexpr std::size_t kMaxEquityRow = 32 + 2 * Decimal::kMaxChars + max_fixed_chars(6) + 4;

// Events an execution worker can take (EVENT_DRIVEN subscriptions).
enum ExecEvent : std::uint32_t {
  kOnPlan = 1,
  kOnExitSignal = 2,
  kOnThreat = 4,
  kOnBar = 8,
  kOnScheduled = 16,
};

std::uint32_t default_subscription(const Manifest& m) {
  if (m.subtype == "TRADE_INITIATION") return kOnPlan | kOnExitSignal;
  if (m.subtype == "POSITION_MANAGEMENT") return kOnBar;
  if (m.subtype == "RISK_SAFETY") return kOnThreat;
  if (m.subtype == "OPERATIONAL") return kOnScheduled;
  return 0;
}

bool consumes(const Manifest& m, const std::string& event) {
  for (const auto& c : m.consumes)
    if (c == event) return true;
  return false;
}

// The kind of a rejection reason, for the summary's counts: the text before the numbers
// ("size rounds to zero (risk 1004 / 1196 ...)" -> "size rounds to zero"); the journal keeps it all.
std::string reason_kind(const std::string& reason) {
  const std::size_t cut = reason.find_first_of("(:");
  std::string kind = reason.substr(0, cut);
  while (!kind.empty() && kind.back() == ' ') kind.pop_back();
  return kind.empty() ? reason : kind;
}

std::string resolve_path(const config::ConfigSet& cfg, const std::string& p) {
  fs::path path(p);
  if (path.is_absolute() || fs::exists(path)) return path.string();
  // Relative data paths are looked up under the platform data_dir, relative to the config dir's parent.
  fs::path base = fs::path(cfg.dir).parent_path();
  fs::path candidate = base / cfg.platform.data_dir / path;
  if (fs::exists(candidate)) return candidate.string();
  candidate = fs::path(cfg.dir) / path;
  if (fs::exists(candidate)) return candidate.string();
  candidate = base / path;  // relative to the project (the config dir's parent)
  if (fs::exists(candidate)) return candidate.string();
  return path.string();
}

// How the link's data file is read (its data: section; defaults when it has none).
BarFileOptions file_options(const std::optional<config::DataSourceConfig>& data) {
  BarFileOptions o;
  if (!data) return o;
  // The loader has checked these names; one it accepts that no reader knows is a bug, said as
  // such rather than read with a default.
  const auto known = [](const auto& parsed, const char* key, const std::string& value) {
    if (!parsed)
      throw Error(fmt::format("data.{}: \"{}\" passed the configuration check but no reader knows it", key,
                              value));
    return *parsed;
  };
  o.format = known(parse_data_format(data->format), "format", data->format);
  o.columns = {data->columns.time, data->columns.open, data->columns.high,
               data->columns.low,  data->columns.close, data->columns.volume};
  o.time_unit = known(parse_time_unit(data->time_unit), "time_unit", data->time_unit);
  o.nulls = known(parse_null_policy(data->nulls), "nulls", data->nulls);
  o.utc_offset_seconds = parse_utc_offset(data->utc_offset).value_or(0);
  return o;
}

// Implements the services the WorkerBuilder injects, and the sinks given to workers.
class LinkRun final : public IEventEmitter, public IJournalWriter {
 public:
  LinkRun(const config::ConfigSet& cfg, const PluginRegistry& registry, const config::StrategyLinkConfig& link,
          const RunOptions& options)
      : cfg_(cfg), registry_(registry), link_(link), options_(options) {}

  LinkSummary run();

  // IEventEmitter: events emitted by event-aware workers go to the workers that consume them.
  void emit(const std::string& source, std::string_view event, const Details& payload) override {
    journal_->entry(context_->time(), "WORKER_EVENT", {})
        .str("worker", source)
        .str("event", event)
        .details("payload", payload)
        .commit();
    for (std::size_t i = 0; i < aware_.size(); ++i) {
      if (!consumes(*aware_manifests_[i], std::string(event))) continue;
      guarded(aware_names_[i], [&] { aware_[i]->on_event(event, payload, context_->time()); });
    }
  }
  // IJournalWriter: a journaling worker's own entries.
  void write(const std::string& worker, const WorkerJournalEntry& e) override {
    journal_->entry(context_->time(), "WORKER_ENTRY", {e.opportunity_id, e.trade_id, e.threat_id, e.scheduled_id})
        .str("worker", worker)
        .str("entry_type", e.event_type)
        .str("message", e.message)
        .details("details", e.details)
        .commit();
  }

 private:
  template <class Fn>
  [[gnu::always_inline]] void guarded(const std::string& worker, Fn&& fn) {
    try {
      fn();
    } catch (const BarError&) {
      throw;  // from a worker it called (a planner's plan runs executors): named already
    } catch (const std::exception& e) {
      throw BarError(fmt::format("worker \"{}\" failed at bar {} ({}): {}", worker, context_->bar_index(),
                                 format_iso(context_->time()), e.what()));
    }
  }

  void wire(EventBus& bus);
  nlohmann::ordered_json ledger_snapshot(bool final) const;
  void checkpoint(const std::filesystem::path& dir, bool final);
  // Runs on every bar, from the ContextReady handler only: inlined there.
  [[gnu::always_inline]] inline void on_context_ready(EventBus& bus, TradingContext& ctx);
  void on_enriched(EventBus& bus, const TradingContext& ctx);
  // on_context_ready's parts that do not run on most bars, or not with blocks (out of line, so
  // that the per-bar handler keeps a small frame).
  [[gnu::noinline]] void fire_schedules(EventBus& bus, const TradingContext& ctx);
  [[gnu::noinline]] void run_bar_context(TradingContext& ctx);
  [[gnu::noinline]] void run_context(TradingContext& ctx);
  void detect_threats(EventBus& bus, const TradingContext& ctx);
  // What the threat workers raised or kept on a bar, or threats that ended: journaled, the
  // active list and the desk's view updated (rare: out of line).
  [[gnu::noinline]] void settle_threats(EventBus& bus, const TradingContext& ctx,
                                        const std::vector<std::size_t>& kept_threats);
  void detect_opportunities(EventBus& bus, const TradingContext& ctx);
  // The signals of a bar get their OpportunityIDs and go to planning (rare: out of line).
  [[gnu::noinline]] void collect_signals(EventBus& bus, const std::vector<std::size_t>& kept);
  void plan_signal(EventBus& bus, const Signal& signal);
  // A template: the call is inlined into the operator's loop (on_bar runs on every bar).
  template <class Call>
  void dispatch_execution(std::uint32_t event, Call&& call, const ScheduledEvent* scheduled = nullptr);

  const config::ConfigSet& cfg_;
  const PluginRegistry& registry_;
  const config::StrategyLinkConfig& link_;
  const RunOptions& options_;

  std::unique_ptr<IdGenerator> ids_;
  std::unique_ptr<IJournalPersistor> journal_out_;
  FileJournalPersistor* file_journal_ = nullptr;  // journal_out_ when it is a file
  std::vector<std::string> recovery_notes_;
  std::unique_ptr<StrategyJournal> journal_;
  std::unique_ptr<IStatePersistor> state_;
  Workforce workforce_;
  ContextSchema context_schema_;
  std::vector<JsonKey> context_keys_;  // of context_schema_.names()
  std::unique_ptr<TradingContext> context_;
  std::unique_ptr<SimulatedBroker> broker_;
  std::unique_ptr<StrategyLedger> ledger_;
  std::unique_ptr<TradeDesk> desk_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<BaseOperator> op_context_, op_opportunity_, op_threat_, op_planning_, op_execution_;

  // A worker resolved for a per-bar loop, with the id its errors name.
  template <class W>
  struct Resolved {
    W* worker;
    const std::string* id;
  };
  std::vector<Resolved<ExecutionWorker>> bar_workers_;  // op_execution_'s order for kOnBar

  // Context workers in blocks (ContextWorker::process_block): on the first batch of bars each
  // worker says whether it can; those that can compute every later batch ahead of its bars, and
  // each bar takes their values (block_columns_); the others run bar by bar (bar_context_).
  void on_batch(std::span<const Bar> bars, std::int64_t first_index);
  bool process_block(ContextWorker& worker);
  std::unique_ptr<ContextBlock> block_;
  bool blocks_decided_ = false, use_blocks_ = false;
  std::vector<ContextWorker*> block_workers_;
  std::vector<Resolved<ContextWorker>> bar_context_;
  struct BlockColumn {
    ColumnId column;
    const double* values;
  };
  std::vector<BlockColumn> block_columns_;

  std::vector<EventAware*> aware_;
  std::vector<const Manifest*> aware_manifests_;
  std::vector<std::string> aware_names_;

  // Per-bar buffers (reused).
  struct SinkSlot final : SignalSink, ThreatSink {
    std::vector<Signal> signals;
    std::vector<CriticalEvent> threats;
    std::vector<std::size_t> kept;  // indices in run->active_ of threats that go on (still_active)
    // Whether signals, threats or kept holds anything: one test per worker and bar.
    bool produced = false;
    const LinkRun* run = nullptr;
    const TradingContext* ctx = nullptr;  // the run's context (set once)
    std::string worker;
    OpportunityWorker* opportunity = nullptr;  // the worker this slot is for (one of the two)
    ThreatWorker* threat = nullptr;
    void clear() { signals.clear(), threats.clear(), kept.clear(), produced = false; }
    void emit(Direction d, std::string type, double strength, Details details) override {
      Signal s;
      s.time = ctx->time();
      s.direction = d;
      s.signal_type = std::move(type);
      s.worker = worker;
      s.strength = strength;
      s.details = std::move(details);
      signals.push_back(std::move(s));
      produced = true;
    }
    void emit_exit(Direction positions, std::string type, Details details) override {
      emit(positions, std::move(type), 1.0, std::move(details));
      signals.back().exit = true;
    }
    bool still_active(std::string_view type) override {
      if (run == nullptr) return false;
      for (std::size_t i = 0; i < run->active_.size(); ++i) {
        const auto& a = run->active_[i].event;
        if (a.worker == worker && a.threat_type == type) {
          kept.push_back(i);
          produced = true;
          return true;
        }
      }
      return false;
    }
    void raise(std::string type, Severity severity, std::string message, Details details) override {
      CriticalEvent e;
      e.time = ctx->time();
      e.threat_type = std::move(type);
      e.worker = worker;
      e.severity = severity;
      e.message = std::move(message);
      e.details = std::move(details);
      threats.push_back(std::move(e));
      produced = true;
    }
  };
  std::vector<SinkSlot> opp_slots_, threat_slots_;
  // Slots whose operator aggregates NONE are emptied before each bar (nothing else empties them).
  [[gnu::noinline]] static void empty_slots(std::vector<SinkSlot>& slots) {
    for (auto& s : slots) s.clear();
  }
  bool signals_discarded_ = false, threats_discarded_ = false;  // their operator aggregates NONE
  std::vector<Signal> signals_;
  struct ActiveThreat {
    CriticalEvent event;
    std::int64_t bars = 0;
    bool seen = false;
  };
  std::vector<ActiveThreat> active_;
  std::vector<CriticalEvent> started_, active_view_;
  std::vector<ScheduledEvent> scheduled_;
  bool scheduler_started_ = false;

  // Summary counters.
  std::int64_t opportunities_ = 0, rejected_ = 0, threats_ = 0;
  std::map<std::string, std::int64_t> by_reason_, by_threat_;
  double peak_equity_ = 0, max_dd_ = 0;
};

// The per-bar worker tasks handed to the operators are forced inline (GNU attribute on the
// lambda): left to itself GCC keeps each one as an out-of-line clone, and its call, register saves
// and reloads cost 8 % of the reference strategy's instructions (2,204 -> 2,027 per bar).
template <class Call>
void LinkRun::dispatch_execution(std::uint32_t event, Call&& call, const ScheduledEvent* scheduled) {
  op_execution_->run(
      [&](std::size_t i) __attribute__((always_inline)) {
        if (scheduled != nullptr && !consumes(*workforce_.execution_manifests[i], scheduled->event))
          return Outcome::kEmpty;
        const std::string& id = workforce_.execution[i]->info().id;
        desk_->set_acting_worker(&id);
        guarded(id, [&] { call(*workforce_.execution[i]); });
        desk_->set_acting_worker(nullptr);
        return Outcome::kEmpty;
      },
      event);
}

void LinkRun::on_context_ready(EventBus& bus, TradingContext& ctx) {
  // Schedules first: a cron time that has passed by this bar fires now.
  if (!scheduler_started_ || scheduler_->is_due(ctx.time())) [[unlikely]]
    fire_schedules(bus, ctx);
  if (use_blocks_) {
    // This bar's values of the columns computed for its block, then the workers that run bar by
    // bar (none of them reads a later column, and no block worker reads theirs).
    const auto j = static_cast<std::size_t>(ctx.bar_index() - block_->first_index());
    double* const row = ctx.current_row();
    for (const auto& c : block_columns_) row[c.column] = c.values[j];
    if (!bar_context_.empty()) run_bar_context(ctx);
  } else {
    run_context(ctx);
  }
  bus.publish(events::ContextEnriched{&ctx});
}

void LinkRun::fire_schedules(EventBus& bus, const TradingContext& ctx) {
  if (!scheduler_started_) {
    scheduler_->start(Timestamp{ctx.time().ns - 1});
    scheduler_started_ = true;
    if (!scheduler_->is_due(ctx.time())) return;
  }
  scheduled_.clear();
  scheduler_->due(ctx.time(), scheduled_);
  for (const auto& ev : scheduled_) bus.publish(events::ScheduledEventFired{&ev});
}

void LinkRun::run_bar_context(TradingContext& ctx) {
  for (const auto& [worker, id] : bar_context_) guarded(*id, [&, w = worker] { w->process(ctx); });
}

void LinkRun::run_context(TradingContext& ctx) {
  op_context_->run([&](std::size_t i) __attribute__((always_inline)) {
    guarded(workforce_.context[i]->info().id, [&] { workforce_.context[i]->process(ctx); });
    return Outcome::kEmpty;
  });
}

bool LinkRun::process_block(ContextWorker& worker) {
  const std::string& id = worker.info().id;
  block_->set_worker(&id);
  try {
    return worker.process_block(*block_);
  } catch (const std::exception& e) {
    throw BarError(fmt::format("worker \"{}\" failed at bar {} ({}): {}", id, block_->first_index(),
                               format_iso(block_->bars().front().time), e.what()));
  }
}

void LinkRun::on_batch(std::span<const Bar> bars, std::int64_t first_index) {
  if (blocks_decided_ && !use_blocks_) return;
  if (bars.size() > block_->capacity())
    throw Error(fmt::format("a batch of {} bars is more than the {} a context block holds", bars.size(),
                            block_->capacity()));
  block_->begin(bars, first_index);
  if (blocks_decided_) {
    for (ContextWorker* w : block_workers_)
      if (!process_block(*w))
        throw BarError(fmt::format("worker \"{}\" computed its columns in blocks and then refused block {}: "
                                   "process_block must give the same answer for the whole run",
                                   w->info().id, first_index));
    return;
  }
  // The first batch: each worker, in the operator's order, runs in blocks or bar by bar for good.
  blocks_decided_ = true;
  for (const std::size_t i : op_context_->order(0)) {
    ContextWorker* w = workforce_.context[i];
    if (process_block(*w)) {
      block_->commit();
      block_workers_.push_back(w);
    } else {
      block_->roll_back();
      bar_context_.push_back({w, &w->info().id});
    }
  }
  use_blocks_ = !block_workers_.empty();
  for (ColumnId c = columns::kFirstEnrichment; c < context_schema_.names().size(); ++c)
    if (const double* v = block_->values(c)) block_columns_.push_back({c, v});
}

void LinkRun::on_enriched(EventBus& bus, const TradingContext& ctx) {
  if (!threat_slots_.empty() || !active_.empty()) detect_threats(bus, ctx);
  if (!opp_slots_.empty()) detect_opportunities(bus, ctx);
}

void LinkRun::detect_threats(EventBus& bus, const TradingContext& ctx) {
  // Threats first, so that planning sees this bar's threats. The slots are empty here: those
  // whose results count are emptied after use (settle_threats), so a bar without threats touches
  // nothing else; with aggregation NONE nothing counts, and they are emptied here.
  if (threats_discarded_) [[unlikely]]
    empty_slots(threat_slots_);
  const auto& kept_threats = op_threat_->run([&](std::size_t i) __attribute__((always_inline)) {
    auto& slot = threat_slots_[i];
    guarded(slot.worker, [&] { slot.threat->process(ctx, *ledger_, slot); });
    return slot.produced ? Outcome::kProduced : Outcome::kEmpty;
  });
  if (kept_threats.empty() && active_.empty()) return;  // no threat raised, none active: most bars
  settle_threats(bus, ctx, kept_threats);
}

void LinkRun::settle_threats(EventBus& bus, const TradingContext& ctx, const std::vector<std::size_t>& kept_threats) {
  for (auto& a : active_) a.seen = false;
  started_.clear();
  for (std::size_t i : kept_threats)
    for (std::size_t k : threat_slots_[i].kept) {
      if (active_[k].seen) continue;  // kept twice on one bar: counts once
      active_[k].seen = true;
      ++active_[k].bars;
    }
  for (std::size_t i : kept_threats) {
    for (auto& t : threat_slots_[i].threats) {
      auto it = std::find_if(active_.begin(), active_.end(), [&](const ActiveThreat& a) {
        return a.event.worker == t.worker && a.event.threat_type == t.threat_type;
      });
      if (it != active_.end()) {
        it->seen = true;
        ++it->bars;
        continue;
      }
      t.threat_id = ids_->next_id<ThreatId>();
      ++threats_;
      ++by_threat_[t.threat_type];
      journal_->entry(ctx.time(), "THREAT_DETECTED", {{}, {}, t.threat_id, {}})
          .str("worker", t.worker)
          .str("threat_type", t.threat_type)
          .str("severity", to_string(t.severity))
          .str("message", t.message)
          .details("details", t.details)
          .commit();
      active_.push_back({t, 1, true});
      started_.push_back(t);
    }
  }
  // Threats no worker raised on this bar are over.
  bool changed = !started_.empty();
  for (auto it = active_.begin(); it != active_.end();) {
    if (it->seen) {
      ++it;
      continue;
    }
    changed = true;
    journal_->entry(ctx.time(), "THREAT_CLEARED", {{}, {}, it->event.threat_id, {}})
        .str("worker", it->event.worker)
        .str("threat_type", it->event.threat_type)
        .integer("active_bars", it->bars)
        .commit();
    it = active_.erase(it);
  }
  if (changed) {  // the view keeps each threat as it started; it changes only when one starts or ends
    active_view_.clear();
    for (const auto& a : active_) active_view_.push_back(a.event);
    desk_->set_active_threats(active_view_);
  }
  for (std::size_t i : kept_threats) threat_slots_[i].clear();
  // Its one subscriber acts on the threats that started; a bar without one needs no event.
  if (!started_.empty()) bus.publish(events::ThreatsDetected{started_, active_view_});
}

void LinkRun::detect_opportunities(EventBus& bus, const TradingContext& ctx) {
  // The slots are empty here: those whose results count are emptied after use (collect_signals);
  // with aggregation NONE nothing counts, and they are emptied here.
  if (signals_discarded_) [[unlikely]]
    empty_slots(opp_slots_);
  const auto& kept = op_opportunity_->run([&](std::size_t i) __attribute__((always_inline)) {
    auto& slot = opp_slots_[i];
    guarded(slot.worker, [&] { slot.opportunity->process(ctx, slot); });
    return slot.produced ? Outcome::kProduced : Outcome::kEmpty;
  });
  if (!kept.empty()) collect_signals(bus, kept);
}

void LinkRun::collect_signals(EventBus& bus, const std::vector<std::size_t>& kept) {
  signals_.clear();
  // OpportunityIDs are born here, in blueprint order: the same on one thread or many.
  for (std::size_t i : kept) {
    for (auto& s : opp_slots_[i].signals) {
      s.opportunity_id = ids_->next_id<OpportunityId>();
      signals_.push_back(std::move(s));
    }
    opp_slots_[i].clear();
  }
  if (!signals_.empty()) bus.publish(events::SignalsDetected{signals_});
}

void LinkRun::plan_signal(EventBus& bus, const Signal& signal) {
  ++opportunities_;
  {
    auto e = journal_->entry(signal.time, "OPPORTUNITY_DETECTED", {signal.opportunity_id, {}, {}, {}});
    e.str("worker", signal.worker)
        .str("signal_type", signal.signal_type)
        .str("direction", to_string(signal.direction))
        .str("intent", signal.exit ? "exit" : "entry")
        .num("strength", signal.strength)
        .num("price", context_->bar().close)
        .details("details", signal.details)
        .begin_object("context");  // the whole market view the decision was made on
    for (std::size_t c = columns::kVolume + 1; c < context_keys_.size(); ++c)
      e.num(context_keys_[c], context_->value(static_cast<ColumnId>(c)));
    e.end_object().commit();
  }
  if (signal.exit) {
    dispatch_execution(kOnExitSignal, [&](ExecutionWorker& w) { w.on_exit_signal(signal, *desk_); });
    return;
  }
  RoutedTradePlan plan;
  plan.plan.rationale.reserve(workforce_.planning.size());  // a reason per planner, one allocation
  plan.plan.opportunity_id = signal.opportunity_id;
  plan.plan.direction = signal.direction;
  plan.plan.time = signal.time;
  plan.plan.entry_price = Decimal::from_double(context_->bar().close, context_->instrument().price_precision);
  PlanningInput input{signal, *context_, *ledger_, active_view_};
  std::vector<std::pair<std::size_t, PlanDecision>> rejections;
  op_planning_->run([&](std::size_t i) {
    PlanDecision d;
    guarded(workforce_.planning[i]->info().id, [&] { d = workforce_.planning[i]->plan(input, plan); });
    if (d.accepted) return Outcome::kEmpty;
    rejections.emplace_back(i, std::move(d));
    return Outcome::kEndChain;
  });
  if (!rejections.empty() || op_planning_->settings().aggregation == config::AggregationStrategy::kNone) {
    for (auto& [i, d] : rejections) {
      ++rejected_;
      ++by_reason_[reason_kind(d.reason)];
      journal_->entry(signal.time, "OPPORTUNITY_REJECTED", {signal.opportunity_id, {}, d.threat_id, {}})
          .str("worker", workforce_.planning[i]->info().id)
          .str("phase", planning_phase_name(planning_phase(workforce_.planning_manifests[i]->subtype)))
          .str("reason", d.reason)
          .commit();
    }
    return;
  }
  plan.plan.trade_id = ids_->next_id<TradeId>();
  {
    auto e = journal_->entry(signal.time, "TRADE_PLANNED", {signal.opportunity_id, plan.plan.trade_id, {}, {}});
    e.str("direction", to_string(plan.plan.direction))
        .str("entry_type", to_string(plan.plan.entry_type))
        .dec("entry_price", plan.plan.entry_price)
        .dec("stop_loss", plan.plan.stop_loss)
        .dec("take_profit", plan.plan.take_profit)
        .dec("size", plan.plan.size)
        .str("route", plan.route)
        .begin_object("rationale");
    for (const auto& [phase, why] : plan.plan.rationale) e.str(JsonKey::text(phase), why);
    e.end_object().details("details", plan.plan.details).commit();
  }
  bus.publish(events::PlanReady{&plan});
}

// The chain is wired once per run, to what this blueprint has: an event whose workers are
// absent gets no subscriber, and publishing it costs a counter (IEventHandler::publish).
void LinkRun::wire(EventBus& bus) {
  const bool detects = !threat_slots_.empty() || !opp_slots_.empty();
  if (op_context_->size() > 0 || detects || !scheduler_->empty())
    bus.subscribe<events::ContextReady>([&](const events::ContextReady& e) { on_context_ready(bus, *e.context); });
  if (detects)
    bus.subscribe<events::ContextEnriched>([&](const events::ContextEnriched& e) { on_enriched(bus, *e.context); });
  bus.subscribe<events::ThreatsDetected>([&](const events::ThreatsDetected& e) {
    for (const auto& t : e.started)
      dispatch_execution(kOnThreat, [&](ExecutionWorker& w) { w.on_threat(t, *desk_); });
  });
  bus.subscribe<events::SignalsDetected>([&](const events::SignalsDetected& e) {
    for (const auto& s : e.signals) plan_signal(bus, s);
  });
  bus.subscribe<events::PlanReady>([&](const events::PlanReady& e) {
    // TRADE_INITIATION workers in blueprint order; a worker that rejects the plan ends it.
    const auto before = desk_->counters().plans_rejected;
    op_execution_->run(
        [&](std::size_t i) {
          if (desk_->counters().plans_rejected != before) return Outcome::kEmpty;
          const std::string& id = workforce_.execution[i]->info().id;
          desk_->set_acting_worker(&id);
          guarded(id, [&] { workforce_.execution[i]->on_plan(*e.plan, *desk_); });
          desk_->set_acting_worker(nullptr);
          return Outcome::kEmpty;
        },
        kOnPlan);
    if (desk_->counters().plans_rejected != before) {
      ++rejected_;
      ++by_reason_[reason_kind(desk_->last_rejection())];
    }
  });
  bus.subscribe<events::ScheduledEventFired>([&](const events::ScheduledEventFired& e) {
    dispatch_execution(kOnScheduled, [&](ExecutionWorker& w) { w.on_scheduled(*e.event, *desk_); }, e.event);
  });
  // Position managers run on every bar: the operator's order for the event is resolved here, once
  // (it depends on the strategies and subscriptions only), and the handler walks it.
  for (const std::size_t i : op_execution_->order(kOnBar))
    bar_workers_.push_back({workforce_.execution[i], &workforce_.execution[i]->info().id});
  if (!bar_workers_.empty())
    bus.subscribe<events::BarClosed>([&](const events::BarClosed& e) {
      for (const auto& [worker, id] : bar_workers_) {
        desk_->set_acting_worker(id);
        guarded(*id, [&, w = worker] { w->on_bar(*e.context, *desk_); });
        desk_->set_acting_worker(nullptr);
      }
    });
}

nlohmann::ordered_json LinkRun::ledger_snapshot(bool final) const {
  using nlohmann::ordered_json;
  ordered_json j;
  j["link"] = link_.name;
  j["final"] = final;
  j["bars"] = context_->bar_index() + 1;
  j["time"] = format_iso(context_->time());
  j["journal_entries"] = journal_->count();
  j["cash"] = ledger_->cash().to_string();
  j["equity"] = ledger_->equity().to_string();
  j["realized_pnl"] = ledger_->realized_pnl().to_string();
  j["fees_paid"] = ledger_->fees_paid().to_string();
  ordered_json positions = ordered_json::array();
  for (const auto& p : ledger_->open_positions()) {
    ordered_json o;
    o["trade_id"] = p.trade_id.to_string();
    o["opportunity_id"] = p.opportunity_id ? p.opportunity_id.to_string() : "";
    o["scheduled_id"] = p.scheduled_id ? p.scheduled_id.to_string() : "";
    o["direction"] = to_string(p.direction);
    o["size"] = p.size.to_string();
    o["entry_price"] = p.entry_price.to_string();
    o["entry_fee"] = p.entry_fee.to_string();
    o["entry_time"] = format_iso(p.entry_time);
    o["stop_loss"] = p.stop_loss.to_string();
    o["take_profit"] = p.take_profit.to_string();
    o["bars_held"] = p.bars_held;
    positions.push_back(std::move(o));
  }
  j["positions"] = std::move(positions);
  ordered_json orders = ordered_json::array();
  for (const auto& o : broker_->pending()) {
    ordered_json x;
    x["order_id"] = o.order_id;
    x["trade_id"] = o.trade_id.to_string();
    x["side"] = to_string(o.side);
    x["type"] = to_string(o.type);
    x["quantity"] = o.quantity.to_string();
    x["price"] = o.price.to_string();
    x["limit_price"] = o.limit_price.to_string();
    x["created"] = format_iso(o.created);
    x["purpose"] = o.purpose;
    x["oco_group"] = o.oco_group;
    orders.push_back(std::move(x));
  }
  j["open_orders"] = std::move(orders);
  return j;
}

// The journal reaches the disk first, then ledger.json describes the state after it: after a
// crash the ledger file never runs ahead of the journal.
void LinkRun::checkpoint(const fs::path& dir, bool final) {
  if (file_journal_ != nullptr) file_journal_->sync();
  else journal_->flush();
  write_file_atomic((dir / "ledger.json").string(), encode_state_file(ledger_snapshot(final)));
}

LinkSummary LinkRun::run() {
  const config::Blueprint& bp = cfg_.blueprints.at(link_.blueprint);
  const fs::path dir = fs::path(options_.out_dir) / link_.name;
  fs::create_directories(dir);
  if (options_.resume) {
    // Temp files of outputs a crash interrupted: every output is written again below.
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (name.ends_with(".tmp") || name.ends_with(".partial")) {
        fs::remove(e.path());
        recovery_notes_.push_back(fmt::format("removed {} (an output the crash interrupted)", e.path().string()));
      }
    }
  }

  InstrumentInfo instrument;
  instrument.symbol = link_.instrument.symbol;
  instrument.price_precision = link_.instrument.price_precision;
  instrument.quantity_precision = link_.instrument.quantity_precision;
  instrument.quote_currency = link_.instrument.quote_currency;
  instrument.timeframe_ns = parse_timeframe(link_.timeframe).value_or(kNsPerDay);

  const std::uint64_t seed = stable_hash(link_.name, cfg_.platform.seed);
  ids_ = std::make_unique<IdGenerator>(seed);
  auto persistors = PersistorFactory::create(link_.environment, dir.string(), options_.resume);
  journal_out_ = std::move(persistors.journal);
  file_journal_ = dynamic_cast<FileJournalPersistor*>(journal_out_.get());
  if (file_journal_ != nullptr && !file_journal_->repair().warning.empty())
    recovery_notes_.push_back(file_journal_->repair().warning);
  journal_ = std::make_unique<StrategyJournal>(*journal_out_);
  state_ = std::move(persistors.state);

  ContextSchema& schema = context_schema_;
  BindContext bind(schema, instrument);
  WorkerServices services;
  services.state = state_.get();
  services.events = this;
  services.journal = this;
  services.state_key_prefix = link_.name + ".";
  workforce_ = build_workforce(registry_, bp, services, bind);
  context_ = std::make_unique<TradingContext>(schema, instrument);
  // The keys of the context snapshot every signal entry writes, checked once (the names are final).
  for (const auto& name : schema.names()) context_keys_.push_back(JsonKey::checked(name));

  for (std::size_t i = 0; i < workforce_.owned.size(); ++i) {
    if (auto* a = dynamic_cast<EventAware*>(workforce_.owned[i].get())) {
      aware_.push_back(a);
      aware_manifests_.push_back(registry_.find(workforce_.owned[i]->info().plugin));
      aware_names_.push_back(workforce_.owned[i]->info().id);
    }
  }

  const config::BrokerConfig& bc = bp.broker;
  BrokerSettings bs;
  bs.commission_percent = bc.commission_percent;
  bs.commission_fixed = Decimal::from_double(bc.commission_fixed, bc.cash_decimals);
  bs.slippage_bps = bc.slippage_bps;
  bs.price_scale = instrument.price_precision;
  bs.cash_scale = bc.cash_decimals;
  broker_ = std::make_unique<SimulatedBroker>(bs);
  const double initial = link_.initial_cash.value_or(bc.initial_cash);
  ledger_ = std::make_unique<StrategyLedger>(Decimal::from_double(initial, bc.cash_decimals), bc.cash_decimals);
  DeskSettings ds;
  ds.cash_check = bc.cash_check == config::CashCheck::kOnSubmit ? CashCheckMode::kOnSubmit
                  : bc.cash_check == config::CashCheck::kBoth   ? CashCheckMode::kBoth
                                                                : CashCheckMode::kOnFill;
  ds.allow_short = bc.allow_short;
  ds.fill_on_close = bc.fill_timing == config::FillTiming::kOnClose;
  desk_ = std::make_unique<TradeDesk>(*broker_, *ledger_, *journal_, *context_, *ids_, ds);

  op_context_ = make_operator(cfg_.operators, WorkerCategory::kContext, workforce_.context.size());
  op_opportunity_ = make_operator(cfg_.operators, WorkerCategory::kOpportunity, workforce_.opportunity.size());
  op_threat_ = make_operator(cfg_.operators, WorkerCategory::kThreat, workforce_.threat.size());
  op_planning_ = make_operator(cfg_.operators, WorkerCategory::kPlanning, workforce_.planning.size());
  std::vector<std::uint32_t> subs;
  for (const auto* m : workforce_.execution_manifests) subs.push_back(default_subscription(*m));
  op_execution_ = make_operator(cfg_.operators, WorkerCategory::kExecution, workforce_.execution.size(), subs);
  signals_discarded_ = op_opportunity_->settings().aggregation == config::AggregationStrategy::kNone;
  threats_discarded_ = op_threat_->settings().aggregation == config::AggregationStrategy::kNone;
  opp_slots_.resize(workforce_.opportunity.size());
  for (std::size_t i = 0; i < opp_slots_.size(); ++i) {
    opp_slots_[i].worker = workforce_.opportunity[i]->info().id;
    opp_slots_[i].opportunity = workforce_.opportunity[i];
    opp_slots_[i].ctx = context_.get();
  }
  threat_slots_.resize(workforce_.threat.size());
  for (std::size_t i = 0; i < threat_slots_.size(); ++i) {
    threat_slots_[i].worker = workforce_.threat[i]->info().id;
    threat_slots_[i].threat = workforce_.threat[i];
    threat_slots_[i].ctx = context_.get();
    threat_slots_[i].run = this;
  }

  std::vector<ScheduleSpec> specs;
  for (const auto& s : cfg_.schedule.schedules)
    if (s.enabled) specs.push_back({s.name, s.cron, s.event});
  scheduler_ = std::make_unique<Scheduler>(std::move(specs), *ids_);

  // Data.
  std::unique_ptr<BarSource> source;
  std::string data_name;
  if (options_.source) {
    source = options_.source();
    data_name = source->name();
  } else if (options_.data_override) {
    // --data keeps the link's column names, units and null policy; the format is the file's own.
    BarFileOptions o = file_options(link_.data);
    o.format = DataFormat::kAuto;
    source = open_bars(*options_.data_override, o);
    data_name = *options_.data_override;
  } else if (link_.data && link_.data->synth) {
    source = make_synth(*link_.data->synth, instrument.timeframe_ns);
    data_name = fmt::format("synth(seed={}, bars={})", link_.data->synth->seed, link_.data->synth->bars);
  } else if (link_.data) {
    data_name = resolve_path(cfg_, link_.data->path);
    source = open_bars(data_name, file_options(link_.data));
  } else {
    throw Error(fmt::format("strategy link \"{}\" has no data source (data: {{path: ...}} or --data)", link_.name));
  }

  {
    auto e = journal_->entry(Timestamp{}, "RUN_STARTED", {});
    e.str("link", link_.name)
        .str("blueprint", bp.name)
        .str("symbol", instrument.symbol)
        .str("timeframe", link_.timeframe)
        .str("environment", "backtest")
        .str("data", data_name)
        .integer("seed", static_cast<std::int64_t>(seed & 0x7fffffffffffffffULL))
        .dec("initial_cash", ledger_->initial_cash())
        .begin_array("workers");
    for (const auto& w : workforce_.owned) {
      e.begin_object("")
          .str("id", w->info().id)
          .str("plugin", w->info().plugin)
          .str("category", to_string(w->info().category))
          .str("subtype", w->info().subtype)
          .begin_object("params");
      for (const auto& [k, v] : w->params().all()) e.str(JsonKey::text(k), to_string(v));
      e.end_object().end_object();
    }
    e.end_array().commit();
  }

  EventBus bus;
  wire(bus);

  // equity.csv's rows, written to the file 64 KiB at a time (a row is written in place at the end).
  std::optional<AppendFile> equity;
  constexpr std::size_t kEquityFlush = 1 << 16;
  const std::unique_ptr<char[]> equity_rows(new char[kEquityFlush + kMaxEquityRow]);
  std::size_t equity_len = 0;
  IsoTimeWriter equity_times;
  EquityCurveStats curve(initial);  // what the metrics need of the curve, not the curve
  std::unique_ptr<EquityParquetWriter> equity_parquet;
  if (options_.write_outputs && options_.parquet_outputs)
    equity_parquet = std::make_unique<EquityParquetWriter>((dir / "equity.parquet").string(), bc.cash_decimals);
  if (options_.write_outputs) {
    equity.emplace((dir / "equity.csv.partial").string());
    equity->write("timestamp,cash,equity,drawdown_percent\n");
  }
  LinkSummary s;
  s.link = link_.name;
  s.blueprint = bp.name;
  s.symbol = instrument.symbol;
  s.timeframe = link_.timeframe;
  s.directory = dir.string();
  s.initial_cash = ledger_->initial_cash().to_string();
  peak_equity_ = initial;
  RunProgress progress{link_.name, 0, link_.data && link_.data->synth && !options_.data_override
                                          ? link_.data->synth->bars
                                          : 0};
  BacktestEnvironment env(*source, *context_, *desk_, *ledger_, bus);
  try {
    // What the options ask for, tested in locals of the closure (no reloads through options_
    // on every bar). Without a per-bar output or hook, the environment calls back once per
    // batch of bars (progress only).
    const bool hook = static_cast<bool>(options_.bar_hook);
    const bool report = static_cast<bool>(options_.progress);
    const bool outputs = options_.write_outputs;
    std::int64_t reported = 0;  // progress is reported every 65,536 bars
    const auto on_bar = [&, hook, report, outputs](const TradingContext& ctx) {
      const std::int64_t done = ctx.bar_index() + 1;
      if (hook) options_.bar_hook(done, journal_->count(), file_journal_ != nullptr ? file_journal_->writes() : 0);
      if (report && (done >> 16) != reported) {
        reported = done >> 16;
        progress.bars = done;
        options_.progress(progress);
      }
      if (!outputs) return;
      if (options_.checkpoint_bars > 0 && done % options_.checkpoint_bars == 0)
        checkpoint(dir, false);
      const Decimal cash = ledger_->cash(), equity_now = ledger_->equity();
      const double eq = equity_now.to_double();
      curve.add({ctx.time(), eq, !ledger_->open_positions().empty()});
      peak_equity_ = std::max(peak_equity_, eq);
      const double dd = peak_equity_ > 0 ? (peak_equity_ - eq) / peak_equity_ * 100.0 : 0.0;
      max_dd_ = std::max(max_dd_, dd);
      // timestamp,cash,equity,drawdown_percent: the text of format_iso, Decimal::to_string and
      // {:.6f}, written in place.
      char* const row = equity_rows.get() + equity_len;
      char* p = row + equity_times.write(ctx.time(), row);
      *p++ = ',';
      p = cash.write(p);
      *p++ = ',';
      p = equity_now.write(p);
      *p++ = ',';
      p = write_fixed(p, dd, 6);
      *p++ = '\n';
      equity_len = static_cast<std::size_t>(p - equity_rows.get());
      if (equity_len >= kEquityFlush) {
        equity->write({equity_rows.get(), equity_len});
        equity_len = 0;
      }
      if (equity_parquet) equity_parquet->add(ctx.time(), cash, equity_now, dd);
    };
    // Context workers may compute blocks of bars ahead (not with a pool: those run per bar).
    const bool blocks = options_.context_blocks && op_context_->size() > 0 && !op_context_->pooled();
    if (blocks) block_ = std::make_unique<ContextBlock>(context_schema_, BacktestEnvironment::kBatch);
    const auto on_batch = [&](std::span<const Bar> bars, std::int64_t first) { this->on_batch(bars, first); };
    s.bars = blocks ? env.run(on_bar, hook || outputs, on_batch) : env.run(on_bar, hook || outputs);
  } catch (...) {
    journal_->flush();
    throw;
  }
  s.first_bar = s.bars > 0 ? format_iso(env.first_time()) : "";
  s.last_bar = s.bars > 0 ? format_iso(context_->time()) : "";
  if (options_.progress) {
    progress.bars = s.bars;
    progress.total_bars = s.bars;
    options_.progress(progress);
  }
  journal_->entry(context_->time(), "RUN_FINISHED", {})
      .integer("bars", s.bars)
      .dec("final_cash", ledger_->cash())
      .dec("final_equity", ledger_->equity())
      .integer("open_trades", static_cast<std::int64_t>(ledger_->open_positions().size()))
      .commit();
  journal_->flush();
  if (file_journal_ != nullptr && file_journal_->old_lines_remain())
    throw Error(fmt::format("{}:{}: cannot resume: the journal on disk goes on after the run's last entry (the "
                            "configuration, the data or a plugin changed since it started)",
                            file_journal_->path(), file_journal_->verified_lines() + 1));
  s.journal_entries = journal_->count();
  s.recovery_notes = recovery_notes_;
  s.resumed_entries = file_journal_ != nullptr ? file_journal_->verified_lines() : 0;
  s.trades_closed = 0;
  for (const auto& r : desk_->trades()) (r.closed ? s.trades_closed : s.trades_open)++;
  if (!options_.write_outputs) {
    s.final_equity = ledger_->equity().to_string();
    return s;
  }
  if (options_.progress) {
    progress.phase = "writing trades.csv, summary.json and report.html";
    options_.progress(progress);
    progress.phase = nullptr;
  }
  s.trades_closed = s.trades_open = 0;

  // trades.csv
  std::ostringstream trades;
  trades << "trade_id,opportunity_id,scheduled_id,direction,entry_time,entry_price,size,entry_fee,exit_time,"
            "exit_price,exit_reason,exit_fee,pnl_gross,pnl_net,threat_id,bars_held\n";
  for (const auto& r : desk_->trades()) {
    trades << r.trade_id.to_string() << ',' << (r.opportunity_id ? r.opportunity_id.to_string() : "") << ','
           << (r.scheduled_id ? r.scheduled_id.to_string() : "") << ',' << to_string(r.direction) << ','
           << format_iso(r.entry_time) << ',' << r.entry_price.to_string() << ',' << r.size.to_string() << ','
           << r.entry_fee.to_string() << ',';
    if (r.closed) {
      trades << format_iso(r.exit_time) << ',' << r.exit_price.to_string() << ',' << r.exit_reason << ','
             << r.exit_fee.to_string() << ',' << r.pnl_gross.to_string() << ',' << r.pnl_net.to_string() << ','
             << (r.threat_id ? r.threat_id.to_string() : "") << ',' << r.bars_held << '\n';
      ++s.trades_closed;
      if (!r.pnl_net.is_negative() && !r.pnl_net.is_zero()) ++s.trades_won;
    } else {
      trades << ",,open,,,,,\n";
      ++s.trades_open;
    }
  }

  s.final_cash = ledger_->cash().to_string();
  s.final_equity = ledger_->equity().to_string();
  s.return_percent = (ledger_->equity().to_double() / initial - 1.0) * 100.0;
  s.max_drawdown_percent = max_dd_;
  s.opportunities_detected = opportunities_;
  s.opportunities_rejected = rejected_;
  s.threats_detected = threats_;
  s.orders_submitted = static_cast<std::int64_t>(desk_->counters().orders_submitted);
  s.orders_filled = static_cast<std::int64_t>(desk_->counters().orders_filled);
  s.orders_rejected = static_cast<std::int64_t>(desk_->counters().orders_rejected);
  s.fees_paid = ledger_->fees_paid().to_string();
  s.rejections_by_reason = by_reason_;
  s.threats_by_type = by_threat_;
  s.journal_entries = journal_->count();
  // Metrics with their conventions.
  std::vector<TradeResult> results;
  for (const auto& r : desk_->trades()) {
    TradeResult t;
    t.entry_time = r.entry_time;
    t.exit_time = r.exit_time;
    t.closed = r.closed;
    t.pnl_net = r.pnl_net.to_double();
    t.fees = (r.entry_fee + r.exit_fee).to_double();
    t.risk = r.initial_stop.is_zero()
                 ? 0.0
                 : std::fabs(r.entry_price.to_double() - r.initial_stop.to_double()) * r.size.to_double();
    t.bars_held = r.bars_held;
    results.push_back(t);
  }
  MetricsSettings ms;
  ms.convention = parse_metrics_convention(cfg_.platform.metrics_convention).value_or(MetricsConvention::kDefault);
  ms.annualization = cfg_.platform.metrics_annualization;
  ms.risk_free_rate = cfg_.platform.metrics_risk_free_rate;
  s.metrics = compute_metrics(curve, results, ms);
  // Outputs replace their files atomically, the journal's sync and ledger.json last of all but
  // the report: a run whose ledger.json says "final" has all its outputs.
  equity->write({equity_rows.get(), equity_len});  // opened: outputs are written
  equity->close();
  rename_durable((dir / "equity.csv.partial").string(), (dir / "equity.csv").string());
  write_file_atomic((dir / "trades.csv").string(), trades.str());
  if (equity_parquet) {
    equity_parquet->close();
    write_trades_parquet((dir / "trades.parquet").string(), desk_->trades(),
                         {instrument.price_precision, instrument.quantity_precision, bc.cash_decimals});
  }
  write_file_atomic((dir / "summary.json").string(), summary_json(s) + "\n");
  checkpoint(dir, true);
  write_report(dir.string());
  if (options_.progress) options_.progress(progress);  // done
  return s;
}

}  // namespace

LinkSummary run_link(const config::ConfigSet& cfg, const PluginRegistry& registry,
                     const config::StrategyLinkConfig& link, const RunOptions& options) {
  if (!cfg.blueprints.count(link.blueprint))
    throw Error(fmt::format("strategy link \"{}\": blueprint \"{}\" is not loaded", link.name, link.blueprint));
  LinkRun run(cfg, registry, link, options);
  return run.run();
}

std::string summary_json(const LinkSummary& s) {
  nlohmann::ordered_json j;
  j["link"] = s.link;
  j["blueprint"] = s.blueprint;
  j["symbol"] = s.symbol;
  j["timeframe"] = s.timeframe;
  j["bars"] = s.bars;
  j["first_bar"] = s.first_bar;
  j["last_bar"] = s.last_bar;
  j["initial_cash"] = s.initial_cash;
  j["final_cash"] = s.final_cash;
  j["final_equity"] = s.final_equity;
  j["return_percent"] = s.return_percent;
  j["max_drawdown_percent"] = s.max_drawdown_percent;
  j["trades_closed"] = s.trades_closed;
  j["trades_open"] = s.trades_open;
  j["trades_won"] = s.trades_won;
  j["opportunities_detected"] = s.opportunities_detected;
  j["opportunities_rejected"] = s.opportunities_rejected;
  j["rejections_by_reason"] = s.rejections_by_reason;
  j["threats_detected"] = s.threats_detected;
  j["threats_by_type"] = s.threats_by_type;
  j["orders_submitted"] = s.orders_submitted;
  j["orders_filled"] = s.orders_filled;
  j["orders_rejected"] = s.orders_rejected;
  j["fees_paid"] = s.fees_paid;
  j["journal_entries"] = s.journal_entries;
  const auto metrics = metrics_json(s.metrics);
  j["metrics"] = metrics["metrics"];
  j["conventions"] = metrics["conventions"];
  return j.dump(2);
}

namespace {
std::string num(const std::optional<double>& v) { return v ? fmt::format("{:.2f}", *v) : "n/a"; }
}  // namespace

std::string render_summary(const LinkSummary& s) {
  return fmt::format(
      "{} ({} on {} {}): {} bars {} .. {}\n"
      "  equity {} -> {}  return {:+.2f}%  max drawdown {:.2f}%\n"
      "  trades {} closed ({} won), {} open  fees {}\n"
      "  opportunities {} detected, {} rejected  threats {}  orders {} filled / {} rejected\n"
      "  sharpe {}  sortino {}  win rate {}  profit factor {}  ({} preset, x{})\n"
      "  -> {}\n",
      s.link, s.blueprint, s.symbol, s.timeframe, s.bars, s.first_bar, s.last_bar, s.initial_cash, s.final_equity,
      s.return_percent, s.max_drawdown_percent, s.trades_closed, s.trades_won, s.trades_open, s.fees_paid,
      s.opportunities_detected, s.opportunities_rejected, s.threats_detected, s.orders_filled, s.orders_rejected,
      num(s.metrics.sharpe), num(s.metrics.sortino),
      s.metrics.win_rate ? fmt::format("{:.1f}%", *s.metrics.win_rate * 100) : "n/a", num(s.metrics.profit_factor),
      to_string(s.metrics.settings.convention), s.metrics.annualization, s.directory);
}

}  // namespace st
