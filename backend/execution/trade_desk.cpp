#include "backend/execution/trade_desk.h"

#include <fmt/format.h>

#include "backend/core/format.h"

namespace st {
namespace {
OrderSide entry_side(Direction d) { return d == Direction::kLong ? OrderSide::kBuy : OrderSide::kSell; }
OrderSide exit_side(Direction d) { return d == Direction::kLong ? OrderSide::kSell : OrderSide::kBuy; }
}  // namespace

TradeDesk::TradeDesk(SimulatedBroker& broker, StrategyLedger& ledger, StrategyJournal& journal,
                     const TradingContext& market, IdGenerator& ids, DeskSettings settings)
    : broker_(&broker), ledger_(&ledger), journal_(&journal), market_(&market), ids_(&ids), settings_(settings) {}

TradeDesk::Trade* TradeDesk::find(TradeId id) {
  for (auto it = active_begin(); it != trades_.end(); ++it)
    if (it->id == id) return &*it;
  return nullptr;
}

void TradeDesk::submit(Trade& t, Order o, std::uint64_t Trade::*slot) {
  o.trade_id = t.id;
  o.created = market_->time();
  const std::uint64_t id = broker_->submit(std::move(o));
  const Order& placed = *broker_->find(id);
  t.*slot = id;
  order_to_trade_[id] = t.index;
  ++counters_.orders_submitted;
  journal_->entry(market_->time(), "ORDER_SUBMITTED", ids_of(t))
      .integer("order_id", static_cast<std::int64_t>(id))
      .str("side", to_string(placed.side))
      .str("order_type", to_string(placed.type))
      .dec("quantity", placed.quantity)
      .dec("price", placed.price)
      .str("purpose", placed.purpose)
      .commit();
}

void TradeDesk::journal_order_rejected(const Trade& t, const Order& o, const std::string& reason) {
  ++counters_.orders_rejected;
  journal_->entry(market_->time(), "ORDER_REJECTED", ids_of(t))
      .integer("order_id", static_cast<std::int64_t>(o.order_id))
      .str("purpose", o.purpose)
      .str("reason", reason)
      .commit();
}

void TradeDesk::open_trade(const RoutedTradePlan& routed) {
  const TradePlan& plan = routed.plan;
  Trade& t = new_trade();
  t.id = plan.trade_id;
  t.opportunity = plan.opportunity_id;
  t.direction = plan.direction;
  t.stop_loss = plan.stop_loss;
  t.take_profit = plan.take_profit;
  t.stop_fraction = plan.stop_loss_fraction;
  t.target_fraction = plan.take_profit_fraction;
  t.entry_valid_bars = plan.entry_valid_bars;
  t.time_in_force = routed.time_in_force;
  Order o;
  o.side = entry_side(plan.direction);
  o.type = plan.entry_type;
  o.quantity = plan.size;
  o.price = plan.entry_type == OrderType::kMarket ? Decimal() : plan.entry_price;
  o.limit_price = plan.limit_price;
  o.purpose = "entry";
  if (plan.size.is_zero() || plan.size.is_negative()) {
    set_state(t, State::kCancelled);
    o.order_id = 0;
    journal_order_rejected(t, o, fmt::format("size must be positive, was {}", plan.size.to_string()));
    return;
  }
  if (plan.direction == Direction::kShort && !settings_.allow_short) {
    set_state(t, State::kCancelled);
    journal_order_rejected(t, o, "short selling is disabled (broker.allow_short: false)");
    return;
  }
  if (settings_.cash_check != CashCheckMode::kOnFill) {
    // Checked now against the reference price (the signal bar's close for market orders).
    const Decimal ref = plan.entry_type == OrderType::kMarket
                            ? Decimal::from_double_exact(market_->bar().close)
                            : plan.entry_price;
    const Decimal fee = broker_->fee_for(ref, plan.size);
    const Decimal cost = ledger_->cost_to_open(plan.direction, ref, plan.size, fee);
    if (cost > ledger_->cash()) {
      set_state(t, State::kCancelled);
      journal_order_rejected(
          t, o, (TextBuilder() << "insufficient cash at submission: needs " << cost << ", has " << ledger_->cash()).take());
      return;
    }
  }
  submit(t, std::move(o), &Trade::entry_order);
}

void TradeDesk::reject_plan(const RoutedTradePlan& plan, std::string reason, ThreatId threat) {
  ++counters_.plans_rejected;
  last_rejection_ = reason;
  journal_->entry(market_->time(), "OPPORTUNITY_REJECTED",
                  {plan.plan.opportunity_id, plan.plan.trade_id, threat, {}})
      .str("worker", acting_worker())
      .str("phase", "execution")
      .str("reason", reason)
      .commit();
}

void TradeDesk::open_scheduled_trade(const ScheduledEvent& event, Direction direction, Decimal quantity,
                                     std::string reason) {
  Trade& t = new_trade();
  t.id = ids_->next_id<TradeId>();
  t.scheduled = event.scheduled_id;
  t.direction = direction;
  journal_->entry(market_->time(), "SCHEDULED_ACTION", {{}, t.id, {}, event.scheduled_id})
      .str("schedule", event.schedule_name)
      .str("event", event.event)
      .str("worker", acting_worker())
      .str("action", reason)
      .commit();
  Order o;
  o.side = entry_side(direction);
  o.type = OrderType::kMarket;
  o.quantity = quantity;
  o.purpose = "dca";
  if (!quantity.is_negative() && !quantity.is_zero() &&
      (direction == Direction::kLong || settings_.allow_short)) {
    submit(t, std::move(o), &Trade::entry_order);
  } else {
    set_state(t, State::kCancelled);
    journal_order_rejected(t, o, quantity.is_zero() || quantity.is_negative()
                                     ? fmt::format("size must be positive, was {}", quantity.to_string())
                                     : std::string("short selling is disabled"));
  }
}

void TradeDesk::close_trade(TradeId id, std::string reason, ThreatId threat, OpportunityId because) {
  Trade* t = find(id);
  if (t == nullptr) return;
  if (t->state == State::kPendingEntry) {
    // Not filled yet: cancel the entry instead.
    if (broker_->cancel(t->entry_order)) {
      order_to_trade_.erase(t->entry_order);
      journal_->entry(market_->time(), "ORDER_CANCELLED", ids_of(*t))
          .integer("order_id", static_cast<std::int64_t>(t->entry_order))
          .str("reason", reason)
          .commit();
    }
    set_state(*t, State::kCancelled);
    return;
  }
  if (t->state != State::kOpen || t->exit_order != 0) return;  // already closing
  for (std::uint64_t Trade::*slot : {&Trade::stop_order, &Trade::tp_order}) {
    if (t->*slot != 0 && broker_->cancel(t->*slot)) {
      order_to_trade_.erase(t->*slot);
      journal_->entry(market_->time(), "ORDER_CANCELLED", ids_of(*t))
          .integer("order_id", static_cast<std::int64_t>(t->*slot))
          .str("reason", "superseded by exit: " + reason)
          .commit();
    }
    t->*slot = 0;
  }
  t->exit_reason = threat ? "threat" : reason;
  t->exit_worker = acting_worker();
  t->exit_threat = threat;
  t->exit_because = because;
  const Position* p = ledger_->find(id);
  Order o;
  o.side = exit_side(t->direction);
  o.type = OrderType::kMarket;
  o.quantity = p ? p->size : Decimal();
  o.purpose = "exit";
  submit(*t, std::move(o), &Trade::exit_order);
}

void TradeDesk::move_stop(TradeId id, Decimal new_stop, std::string_view reason) {
  Trade* t = find(id);
  if (t == nullptr || t->state != State::kOpen || t->exit_order != 0) return;
  const Decimal old = t->stop_loss;
  if (old == new_stop) return;
  t->stop_loss = new_stop;
  ledger_->set_stop(id, new_stop);
  if (t->stop_order != 0) {
    broker_->modify_price(t->stop_order, new_stop);
  } else {
    Order o;
    o.side = exit_side(t->direction);
    o.type = OrderType::kStop;
    o.quantity = ledger_->find(id)->size;
    o.price = new_stop;
    o.purpose = "stop_loss";
    o.oco_group = t->oco;
    submit(*t, std::move(o), &Trade::stop_order);
  }
  journal_->entry(market_->time(), "STOP_MOVED", ids_of(*t))
      .str("worker", acting_worker())
      .dec("old_stop", old)
      .dec("new_stop", new_stop)
      .str("reason", reason)
      .commit();
}

std::optional<std::string> TradeDesk::on_fill(const BrokerFill& f) {
  auto it = order_to_trade_.find(f.order.order_id);
  if (it == order_to_trade_.end()) return std::string("unknown order");
  Trade& t = trades_[it->second];
  order_to_trade_.erase(it);  // filled or refused, the order leaves the book for good
  const bool opening = f.order.order_id == t.entry_order;
  if (opening) {
    const Decimal cost = ledger_->cost_to_open(t.direction, f.price, f.order.quantity, f.fee);
    if (settings_.cash_check != CashCheckMode::kOnSubmit && cost > ledger_->cash()) {
      set_state(t, State::kCancelled);
      journal_order_rejected(
          t, f.order, (TextBuilder() << "insufficient cash at fill: needs " << cost << ", has " << ledger_->cash()).take());
      return std::string("insufficient cash");
    }
  }
  ++counters_.orders_filled;
  journal_->entry(f.time, "ORDER_FILLED", ids_of(t))
      .integer("order_id", static_cast<std::int64_t>(f.order.order_id))
      .str("side", to_string(f.order.side))
      .dec("quantity", f.order.quantity)
      .dec("price", f.price)
      .dec("fee", f.fee)
      .boolean("gap", f.gap)
      .commit();
  if (opening) {
    // Levels relative to the fill: exact decimal products of the raw fill price.
    const Decimal one = Decimal::from_int(1);
    const bool is_long = t.direction == Direction::kLong;
    if (!t.stop_fraction.is_zero())
      t.stop_loss = f.price * (is_long ? one - t.stop_fraction : one + t.stop_fraction);
    if (!t.target_fraction.is_zero())
      t.take_profit = f.price * (is_long ? one + t.target_fraction : one - t.target_fraction);
    Position p;
    p.trade_id = t.id;
    p.opportunity_id = t.opportunity;
    p.scheduled_id = t.scheduled;
    p.direction = t.direction;
    p.size = f.order.quantity;
    p.entry_price = f.price;
    p.entry_fee = f.fee;
    p.entry_time = f.time;
    p.stop_loss = t.stop_loss;
    p.take_profit = t.take_profit;
    ledger_->open(p);
    set_state(t, State::kOpen);
    t.row = rows_.size();
    TradeRow row;
    row.trade_id = t.id;
    row.opportunity_id = t.opportunity;
    row.scheduled_id = t.scheduled;
    row.direction = t.direction;
    row.entry_time = f.time;
    row.entry_price = f.price;
    row.size = f.order.quantity;
    row.entry_fee = f.fee;
    row.initial_stop = p.stop_loss;
    rows_.push_back(row);
    journal_->entry(f.time, "TRADE_OPENED", ids_of(t))
        .str("direction", to_string(t.direction))
        .dec("size", p.size)
        .dec("entry_price", p.entry_price)
        .dec("entry_fee", p.entry_fee)
        .dec("stop_loss", p.stop_loss)
        .dec("take_profit", p.take_profit)
        .commit();
    opened_now_.push_back(it->second);
    return std::nullopt;
  }
  // A closing fill: exit, stop or take-profit.
  std::string reason = t.exit_reason;
  if (f.order.order_id == t.stop_order) reason = "stop_loss";
  if (f.order.order_id == t.tp_order) reason = "take_profit";
  const ClosedPosition c = ledger_->close(t.id, f.price, f.fee, f.time);
  set_state(t, State::kClosed);
  TradeRow& row = rows_[t.row];
  row.closed = true;
  row.exit_time = f.time;
  row.exit_price = f.price;
  row.exit_reason = reason;
  row.exit_fee = f.fee;
  row.pnl_gross = c.pnl_gross;
  row.pnl_net = c.pnl_net;
  row.threat_id = t.exit_threat;
  row.bars_held = c.position.bars_held;
  auto e = journal_->entry(f.time, "TRADE_CLOSED", {t.opportunity, t.id, t.exit_threat, t.scheduled});
  e.str("exit_reason", reason)
      .dec("exit_price", f.price)
      .dec("exit_fee", f.fee)
      .dec("size", c.position.size)
      .dec("entry_price", c.position.entry_price)
      .dec("pnl_gross", c.pnl_gross)
      .dec("pnl_net", c.pnl_net)
      .integer("bars_held", c.position.bars_held);
  if (reason != "stop_loss" && reason != "take_profit") e.str("worker", t.exit_worker);
  if (t.exit_because) e.str("exit_opportunity_id", t.exit_because.to_string());
  e.commit();
  return std::nullopt;
}

void TradeDesk::after_fills() {
  for (const Order& o : cancelled_) {
    auto it = order_to_trade_.find(o.order_id);
    if (it == order_to_trade_.end()) continue;
    Trade& t = trades_[it->second];
    order_to_trade_.erase(it);
    journal_->entry(market_->time(), "ORDER_CANCELLED", ids_of(t))
        .integer("order_id", static_cast<std::int64_t>(o.order_id))
        .str("reason", "one-cancels-other: sibling order filled")
        .commit();
  }
  cancelled_.clear();
  // Protective orders of trades that just opened: active from the next bar.
  for (std::size_t idx : opened_now_) {
    Trade& t = trades_[idx];
    if (t.state != State::kOpen) continue;
    const Position* p = ledger_->find(t.id);
    t.oco = t.id.value.lo | 1;
    const std::uint64_t group = t.oco;
    if (!t.stop_loss.is_zero()) {
      Order o;
      o.side = exit_side(t.direction);
      o.type = OrderType::kStop;
      o.quantity = p->size;
      o.price = t.stop_loss;
      o.purpose = "stop_loss";
      o.oco_group = group;
      submit(t, std::move(o), &Trade::stop_order);
    }
    if (!t.take_profit.is_zero()) {
      Order o;
      o.side = exit_side(t.direction);
      o.type = OrderType::kLimit;
      o.quantity = p->size;
      o.price = t.take_profit;
      o.purpose = "take_profit";
      o.oco_group = group;
      submit(t, std::move(o), &Trade::tp_order);
    }
  }
  opened_now_.clear();
}

void TradeDesk::expire_entries() {
  const std::int64_t day = market_->time().ns >= 0 ? market_->time().ns / kNsPerDay
                                                    : (market_->time().ns - kNsPerDay + 1) / kNsPerDay;
  // One pass: an entry order whose time in force has run out is cancelled; one still live is
  // tried on this bar.
  for (auto it = active_begin(); it != trades_.end(); ++it) {
    Trade& t = *it;
    if (t.state != State::kPendingEntry || t.entry_order == 0) continue;
    std::string why;
    if (t.time_in_force == "IOC" && t.entry_tries >= 1) {
      why = "time in force IOC: not filled on the first bar it could fill";
    } else if (t.time_in_force == "DAY" && t.entry_day >= 0 && day > t.entry_day) {
      why = "time in force DAY: not filled on the day it was first tried";
    } else if (t.entry_valid_bars > 0 && t.entry_tries >= t.entry_valid_bars) {
      why = fmt::format("not filled within {} bar{}", t.entry_valid_bars, t.entry_valid_bars == 1 ? "" : "s");
    }
    if (!why.empty() && broker_->cancel(t.entry_order)) {
      order_to_trade_.erase(t.entry_order);
      set_state(t, State::kCancelled);
      journal_->entry(market_->time(), "ORDER_CANCELLED", ids_of(t))
          .integer("order_id", static_cast<std::int64_t>(t.entry_order))
          .str("reason", why)
          .commit();
      continue;
    }
    ++t.entry_tries;
    if (t.entry_day < 0) t.entry_day = day;
  }
}

void TradeDesk::process_live_bar() {
  if (pending_entries_ > 0) expire_entries();  // most live bars have only open trades
  broker_->process_bar(market_->bar(), [this](const BrokerFill& f) { return on_fill(f); }, cancelled_);
  after_fills();
}

void TradeDesk::fill_at_close() {
  broker_->fill_market_at_close(market_->bar(), [this](const BrokerFill& f) { return on_fill(f); });
  after_fills();
}

}  // namespace st
