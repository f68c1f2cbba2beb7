// StrategyLedger: the fast, "dumb" operational state of one strategy link (DESIGN §7): cash,
// open positions, the last few closed positions, realized PnL, equity marked at the last close.
// No history and no causal reasoning: that is the journal's job. Exact decimals throughout.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "backend/api/worker.h"

namespace st {

struct ClosedPosition {
  Position position;
  Decimal exit_price;
  Decimal exit_fee;
  Timestamp exit_time;
  Decimal pnl_gross;  // size * (exit - entry), sign by direction
  Decimal pnl_net;    // gross - entry fee - exit fee
};

class StrategyLedger final : public LedgerView {
 public:
  StrategyLedger(Decimal initial_cash, int cash_scale);

  Decimal cash() const override { return cash_; }
  Decimal equity() const override { return equity_; }
  Decimal peak_equity() const override { return peak_; }
  Decimal realized_pnl() const override { return realized_; }
  std::span<const Position> open_positions() const override { return open_; }
  const std::deque<ClosedPosition>& recent_closed() const { return closed_; }
  Decimal initial_cash() const { return initial_; }
  Decimal fees_paid() const { return fees_; }

  // Cash needed to open `quantity` at `price` with `fee` (long: notional + fee).
  Decimal cost_to_open(Direction d, Decimal price, Decimal quantity, Decimal fee) const;
  void open(const Position& p);
  // Closes the open position of `trade`; returns the closed record. REQUIRES: it is open.
  ClosedPosition close(TradeId trade, Decimal exit_price, Decimal exit_fee, Timestamp time);
  Position* find(TradeId trade);
  void set_stop(TradeId trade, Decimal stop);
  // Marks open positions at `close`; updates equity and its peak. Twice per bar: before the
  // decisions and after fills at the close. Inline: without a change to the positions or cash,
  // the same close, or a new close while flat, gives the same result (a version counter).
  void mark(double close) {
    if (version_ == marked_version_ && (close == last_close_ || open_.empty())) {
      last_close_ = close;
      return;
    }
    remark(close);
  }
  // One more bar held by every open position.
  void age() {
    for (auto& p : open_) ++p.bars_held;
  }

 private:
  Decimal notional(Decimal price, Decimal quantity) const;
  void remark(double close);
  Decimal initial_;
  Decimal cash_;
  Decimal equity_;
  Decimal peak_;
  Decimal realized_;
  Decimal fees_;
  int cash_scale_;
  int price_scale_ = 8;
  double last_close_ = 0;
  // Bumped by every change to the positions or cash; mark() skips when it and the close are as
  // they were at the last mark (starts unequal, so the first mark always computes).
  std::uint64_t version_ = 1, marked_version_ = 0;
  std::vector<Position> open_;
  std::deque<ClosedPosition> closed_;  // the last kKeepClosed
  static constexpr std::size_t kKeepClosed = 16;
};

}  // namespace st
