// SimulatedBroker: fills orders against bars. The fill rules are written down in docs/fills.md;
// this is their only implementation, shared by Backtest and Paper.
//
// The broker knows nothing of trades or strategies: it holds pending orders, and for each bar
// returns the fills in submission (FIFO) order. Affordability is the TradeDesk's business (it
// owns the ledger); the broker asks it through a callback before an opening fill.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backend/api/dto.h"
#include "backend/core/function_ref.h"

namespace st {

struct BrokerSettings {
  double commission_percent = 0.0;  // of notional, per fill
  Decimal commission_fixed;         // per fill
  double slippage_bps = 0.0;        // market and stop fills move against the order
  int price_scale = 2;
  int cash_scale = 8;
};

struct BrokerFill {
  Order order;     // as it was when it filled
  Decimal price;   // fill price (after slippage), instrument price precision
  Decimal fee;
  bool gap = false;  // a stop/limit that filled at the open beyond its price
  Timestamp time;
};

class SimulatedBroker {
 public:
  explicit SimulatedBroker(BrokerSettings settings);

  // Adds an order; it is first tried on the next bar given to process_bar (or by fill_at_close).
  std::uint64_t submit(Order order);
  // Removes a pending order; false when it is not pending.
  bool cancel(std::uint64_t order_id);
  // Changes a pending stop's trigger (trailing stops).
  bool modify_price(std::uint64_t order_id, Decimal price);
  const Order* find(std::uint64_t order_id) const;
  const std::vector<Order>& pending() const { return pending_; }

  // Receives each fill as it happens and applies it (ledger, journal). Returns a reason to
  // refuse the fill (e.g. not enough cash): the order is then dropped unfilled. It must not
  // submit or cancel orders itself (queue them until process_bar returns). Called only while
  // process_bar / fill_market_at_close runs: a reference to the caller's callable, not a copy.
  using FillHandler = FunctionRef<std::optional<std::string>(const BrokerFill&)>;
  // Tries every pending order against `bar`, in submission (FIFO) order. Filled and refused
  // orders leave the book; when an order with an oco_group fills, the rest of its group is
  // cancelled (returned in `cancelled`).
  void process_bar(const Bar& bar, const FillHandler& on_fill, std::vector<Order>& cancelled);
  // "Fill on close": fills pending MARKET orders at `bar`'s close (same bar as the signal).
  void fill_market_at_close(const Bar& bar, const FillHandler& on_fill);

  Decimal fee_for(Decimal price, Decimal quantity) const;

 private:
  std::optional<BrokerFill> try_fill(Order& order, const Bar& bar);
  Decimal slip(double price, OrderSide side) const;
  Decimal to_price(double p) const { return Decimal::from_double(p, settings_.price_scale); }
  // A price as it is in the data (no tick rounding).
  static Decimal raw_price(double p) { return Decimal::from_double_exact(p); }

  BrokerSettings settings_;
  Decimal commission_rate_;  // percent / 100, exact
  std::vector<Order> pending_;
  std::uint64_t next_id_ = 1;
  std::vector<std::uint64_t> filled_groups_;  // process_bar's, kept for its memory
};

}  // namespace st
