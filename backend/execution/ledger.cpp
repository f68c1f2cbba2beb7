#include "backend/execution/ledger.h"

#include <algorithm>

#include "backend/core/diagnostics.h"

namespace st {

StrategyLedger::StrategyLedger(Decimal initial_cash, int cash_scale)
    : initial_(initial_cash.rescale(cash_scale)),
      cash_(initial_),
      equity_(initial_),
      peak_(initial_),
      realized_(Decimal::from_int(0, cash_scale)),
      fees_(Decimal::from_int(0, cash_scale)),
      cash_scale_(cash_scale) {}

Decimal StrategyLedger::notional(Decimal price, Decimal quantity) const {
  return Decimal::mul(price, quantity, cash_scale_);
}

Decimal StrategyLedger::cost_to_open(Direction d, Decimal price, Decimal quantity, Decimal fee) const {
  // A short needs no cash up front here but must be able to pay its fee.
  return d == Direction::kLong ? notional(price, quantity) + fee : fee;
}

void StrategyLedger::open(const Position& p) {
  const Decimal value = notional(p.entry_price, p.size);
  cash_ = p.direction == Direction::kLong ? cash_ - value - p.entry_fee : cash_ + value - p.entry_fee;
  fees_ += p.entry_fee;
  open_.push_back(p);
  ++version_;
}

Position* StrategyLedger::find(TradeId trade) {
  ++version_;  // the caller may change the position through the pointer
  for (auto& p : open_)
    if (p.trade_id == trade) return &p;
  return nullptr;
}

void StrategyLedger::set_stop(TradeId trade, Decimal stop) {
  if (auto* p = find(trade)) p->stop_loss = stop;
}

ClosedPosition StrategyLedger::close(TradeId trade, Decimal exit_price, Decimal exit_fee, Timestamp time) {
  auto it = std::find_if(open_.begin(), open_.end(), [&](const Position& p) { return p.trade_id == trade; });
  if (it == open_.end()) throw Error("ledger: closing a trade that is not open: " + trade.to_string());
  ClosedPosition c{*it, exit_price, exit_fee, time, {}, {}};
  const Decimal value = notional(exit_price, it->size);
  const Decimal entry_value = notional(it->entry_price, it->size);
  if (it->direction == Direction::kLong) {
    cash_ = cash_ + value - exit_fee;
    c.pnl_gross = value - entry_value;
  } else {
    cash_ = cash_ - value - exit_fee;
    c.pnl_gross = entry_value - value;
  }
  c.pnl_net = c.pnl_gross - it->entry_fee - exit_fee;
  realized_ += c.pnl_net;
  fees_ += exit_fee;
  open_.erase(it);
  ++version_;
  closed_.push_back(c);
  if (closed_.size() > kKeepClosed) closed_.pop_front();
  mark(last_close_);
  return c;
}

void StrategyLedger::remark(double close) {
  marked_version_ = version_;
  last_close_ = close;
  Decimal eq = cash_;
  if (!open_.empty()) {
    const Decimal px = Decimal::from_double(close, price_scale_);
    for (const auto& p : open_) {
      const Decimal v = notional(px, p.size);
      eq = p.direction == Direction::kLong ? eq + v : eq - v;
    }
  }
  equity_ = eq;
  if (equity_ > peak_) peak_ = equity_;
}

}  // namespace st
