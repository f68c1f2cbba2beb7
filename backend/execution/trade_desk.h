// TradeDesk: the ExecutionContext workers act through, identical in every environment.
// It turns plans into orders, fills into positions (ledger) and writes the causal journal
// entries of orders and trades (ORDER_*, TRADE_OPENED, TRADE_CLOSED, STOP_MOVED,
// OPPORTUNITY_REJECTED from execution).
#pragma once

#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "backend/api/worker.h"
#include "backend/execution/broker.h"
#include "backend/execution/ledger.h"
#include "backend/journal/journal.h"

namespace st {

// When affordability is checked: at the fill price, at submission (against the signal bar's close
// for market orders), or both (backtrader's default broker: a submission check, then an execution
// check at the fill).
enum class CashCheckMode { kOnFill, kOnSubmit, kBoth };

struct DeskSettings {
  CashCheckMode cash_check = CashCheckMode::kOnFill;
  bool allow_short = false;
  bool fill_on_close = false;
};

// One row of trades.csv.
struct TradeRow {
  TradeId trade_id;
  OpportunityId opportunity_id;
  ScheduledId scheduled_id;
  Direction direction = Direction::kLong;
  Timestamp entry_time;
  Decimal entry_price;
  Decimal size;
  Decimal entry_fee;
  Decimal initial_stop;  // zero = none (for R-multiples)
  bool closed = false;
  Timestamp exit_time;
  Decimal exit_price;
  std::string exit_reason;
  Decimal exit_fee;
  Decimal pnl_gross;
  Decimal pnl_net;
  ThreatId threat_id;
  std::int64_t bars_held = 0;
};

struct DeskCounters {
  std::uint64_t orders_submitted = 0;
  std::uint64_t orders_rejected = 0;
  std::uint64_t orders_filled = 0;
  std::uint64_t plans_rejected = 0;
};

class TradeDesk final : public ExecutionContext {
 public:
  // `ids` makes the TradeIDs of scheduled trades (planned trades bring theirs).
  TradeDesk(SimulatedBroker& broker, StrategyLedger& ledger, StrategyJournal& journal,
            const TradingContext& market, IdGenerator& ids, DeskSettings settings);

  // ---- ExecutionContext
  Timestamp now() const override { return market_->time(); }
  const TradingContext& market() const override { return *market_; }
  const LedgerView& ledger() const override { return *ledger_; }
  std::span<const CriticalEvent> active_threats() const override { return threats_; }
  void open_trade(const RoutedTradePlan& plan) override;
  void reject_plan(const RoutedTradePlan& plan, std::string reason, ThreatId threat = {}) override;
  void open_scheduled_trade(const ScheduledEvent& event, Direction direction, Decimal quantity,
                            std::string reason) override;
  void close_trade(TradeId id, std::string reason, ThreatId threat = {},
                   OpportunityId because = {}) override;
  void move_stop(TradeId id, Decimal new_stop, std::string_view reason) override;

  // ---- environment side
  void set_active_threats(std::span<const CriticalEvent> threats) { threats_.assign(threats.begin(), threats.end()); }
  void set_acting_worker(const std::string* worker) { worker_ = worker; }
  // Fills pending orders against the current bar (call after the context has the new bar).
  // Inline: with nothing live (no trade in flight, no order in the book) there is nothing to
  // expire, fill or protect, and most bars are like that.
  void process_bar() {
    // (cancelled_ and opened_now_ hold orders and trades of one fill pass only: after_fills()
    // empties them before process_live_bar() and fill_at_close() return.)
    if (live_trades_ == 0 && broker_->pending().empty()) return;
    process_live_bar();
  }
  // "Fill on close" mode: fills market orders created during this bar at its close.
  void process_close() {
    if (settings_.fill_on_close) fill_at_close();
  }
  // Marks the ledger at the bar's close and ages open positions.
  void end_bar() {
    ledger_->mark(market_->bar().close);
    ledger_->age();
  }
  const std::deque<TradeRow>& trades() const { return rows_; }
  const DeskCounters& counters() const { return counters_; }
  // The reason of the last reject_plan() (for summaries).
  const std::string& last_rejection() const { return last_rejection_; }
  bool has_pending_entry() const { return pending_entries_ > 0; }
  int price_scale() const { return market_->instrument().price_precision; }
  int quantity_scale() const { return market_->instrument().quantity_precision; }

 private:
  enum class State { kPendingEntry, kOpen, kClosed, kCancelled };
  struct Trade {
    TradeId id;
    OpportunityId opportunity;
    ScheduledId scheduled;
    Direction direction = Direction::kLong;
    Decimal stop_loss, take_profit;
    Decimal stop_fraction, target_fraction;  // relative to the entry fill; zero = none
    // Entry expiry: bars the entry was tried, the limit (0 = none), DAY orders' first day.
    std::int64_t entry_tries = 0, entry_valid_bars = 0;
    std::string time_in_force = "GTC";
    std::int64_t entry_day = -1;
    State state = State::kPendingEntry;
    std::uint64_t entry_order = 0, stop_order = 0, tp_order = 0, exit_order = 0;
    std::uint64_t oco = 0;  // group of the protective stop and target
    std::string exit_reason;
    std::string exit_worker;
    ThreatId exit_threat;
    OpportunityId exit_because;
    std::size_t row = 0;
    std::size_t index = 0;  // in trades_
  };

  std::optional<std::string> on_fill(const BrokerFill& f);
  void submit(Trade& t, Order o, std::uint64_t Trade::*slot);
  void after_fills();
  void expire_entries();
  // The first trade that is neither closed nor cancelled. Trades before it are done for good, so
  // per-bar scans start here: a run with ten thousand finished trades costs no more per bar than
  // one with none.
  // Iterator to trades_[first_active()] (walking a deque by index divides on every step).
  std::deque<Trade>::iterator active_begin() {
    return trades_.begin() + static_cast<std::ptrdiff_t>(first_active());
  }
  std::size_t first_active() {
    while (first_active_ < trades_.size() &&
           (trades_[first_active_].state == State::kClosed || trades_[first_active_].state == State::kCancelled))
      ++first_active_;
    return first_active_;
  }
  void process_live_bar();
  // A new trade, waiting for its entry (counted as live and pending).
  Trade& new_trade() {
    Trade& t = trades_.emplace_back();
    t.index = trades_.size() - 1;
    ++live_trades_, ++pending_entries_;
    return t;
  }
  // Every change of a trade's state goes through here: the counts the per-bar tests read follow.
  void set_state(Trade& t, State to) {
    const auto live = [](State s) { return s == State::kPendingEntry || s == State::kOpen; };
    if (live(t.state) && !live(to)) --live_trades_;
    if (t.state == State::kPendingEntry && to != State::kPendingEntry) --pending_entries_;
    t.state = to;
  }
  void fill_at_close();
  CausalIds ids_of(const Trade& t) const { return {t.opportunity, t.id, {}, t.scheduled}; }
  Trade* find(TradeId id);
  void journal_order_rejected(const Trade& t, const Order& o, const std::string& reason);
  std::string_view acting_worker() const { return worker_ ? std::string_view(*worker_) : std::string_view(); }

  SimulatedBroker* broker_;
  StrategyLedger* ledger_;
  StrategyJournal* journal_;
  const TradingContext* market_;
  IdGenerator* ids_;
  DeskSettings settings_;
  std::vector<CriticalEvent> threats_;
  const std::string* worker_ = nullptr;
  // Deques, not vectors: every trade of the run is kept, and a vector's doubling moved them all
  // and faulted in fresh memory each time (~17,000 page faults per 10 M-bar reference run).
  std::deque<Trade> trades_;
  std::size_t live_trades_ = 0;  // trades neither closed nor cancelled: the idle test reads this
  std::size_t pending_entries_ = 0;  // trades waiting for their entry fill: expire_entries has work
  // Orders still in the broker's book -> their trade (an order leaves when it fills, is refused
  // or is cancelled, so the map holds a run's live orders, not all of them).
  std::unordered_map<std::uint64_t, std::size_t> order_to_trade_;
  std::vector<std::size_t> opened_now_;  // trades whose entry filled during this fill pass
  std::vector<Order> cancelled_;
  std::deque<TradeRow> rows_;
  DeskCounters counters_;
  std::string last_rejection_;
  std::size_t first_active_ = 0;
};

}  // namespace st
