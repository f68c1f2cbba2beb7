#include "backend/execution/broker.h"

#include <algorithm>

namespace st {

SimulatedBroker::SimulatedBroker(BrokerSettings settings) : settings_(settings) {
  commission_rate_ = Decimal::from_double(settings_.commission_percent, 10);
  commission_rate_ = Decimal::div(commission_rate_, Decimal::from_int(100), 12);
}

std::uint64_t SimulatedBroker::submit(Order order) {
  order.order_id = next_id_++;
  pending_.push_back(std::move(order));
  return pending_.back().order_id;
}

bool SimulatedBroker::cancel(std::uint64_t order_id) {
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [&](const Order& o) { return o.order_id == order_id; });
  if (it == pending_.end()) return false;
  pending_.erase(it);
  return true;
}

bool SimulatedBroker::modify_price(std::uint64_t order_id, Decimal price) {
  for (auto& o : pending_) {
    if (o.order_id == order_id) {
      o.price = price;
      return true;
    }
  }
  return false;
}

const Order* SimulatedBroker::find(std::uint64_t order_id) const {
  for (const auto& o : pending_)
    if (o.order_id == order_id) return &o;
  return nullptr;
}

Decimal SimulatedBroker::fee_for(Decimal price, Decimal quantity) const {
  const Decimal notional = Decimal::mul(price, quantity, settings_.cash_scale);
  return Decimal::mul(notional, commission_rate_, settings_.cash_scale) +
         settings_.commission_fixed.rescale(settings_.cash_scale);
}

Decimal SimulatedBroker::slip(double price, OrderSide side) const {
  if (settings_.slippage_bps == 0.0) return raw_price(price);
  const double factor = settings_.slippage_bps / 10000.0;
  return to_price(side == OrderSide::kBuy ? price * (1 + factor) : price * (1 - factor));
}

std::optional<BrokerFill> SimulatedBroker::try_fill(Order& o, const Bar& bar) {
  const bool buy = o.side == OrderSide::kBuy;
  const double px = o.price.to_double();
  // The fill (and its copy of the order) is made only when the order fills: most bars it does not.
  Decimal price;
  bool gap = false;
  switch (o.type) {
    case OrderType::kMarket:
      price = slip(bar.open, o.side);
      break;
    case OrderType::kLimit:
      // Buy limit: fills when the price comes down to it; a gap below fills at the (better) open.
      if (buy ? bar.open <= px : bar.open >= px) {
        price = raw_price(bar.open);
        gap = bar.open != px;
      } else if (buy ? bar.low <= px : bar.high >= px) {
        price = o.price;
      } else {
        return std::nullopt;
      }
      break;
    case OrderType::kStop:
      // Sell stop: triggers when the price falls to it; a gap through fills at the (worse) open.
      if (buy ? bar.open >= px : bar.open <= px) {
        price = slip(bar.open, o.side);
        gap = bar.open != px;
      } else if (buy ? bar.high >= px : bar.low <= px) {
        // At the trigger: exactly the order's price (which may have more decimals than the
        // instrument's, e.g. entry x 0.95), unless slippage moves it.
        price = settings_.slippage_bps == 0.0 ? o.price : slip(px, o.side);
      } else {
        return std::nullopt;
      }
      break;
    case OrderType::kStopLimit: {
      const double limit = o.limit_price.to_double();
      const bool triggered = buy ? bar.high >= px : bar.low <= px;
      if (!triggered) return std::nullopt;
      // Once triggered it is a limit order: the fill is the trigger (or the open on a gap),
      // never worse than the limit; if the limit is not reachable in this bar it rests.
      const double start = (buy ? bar.open >= px : bar.open <= px) ? bar.open : px;
      const bool reachable = buy ? (start <= limit || bar.low <= limit) : (start >= limit || bar.high >= limit);
      if (!reachable) {
        o.type = OrderType::kLimit;
        o.price = o.limit_price;
        return std::nullopt;
      }
      const double fill = buy ? std::min(start, limit) : std::max(start, limit);
      price = to_price(fill);
      gap = start == bar.open && bar.open != px;
      break;
    }
  }
  return BrokerFill{o, price, fee_for(price, o.quantity), gap, bar.time};
}

void SimulatedBroker::process_bar(const Bar& bar, const FillHandler& on_fill,
                                  std::vector<Order>& cancelled) {
  std::size_t keep = 0;
  filled_groups_.clear();  // the OCO groups filled on this bar
  const auto group_filled = [&](std::uint64_t group) {
    return group != 0 &&
           std::find(filled_groups_.begin(), filled_groups_.end(), group) != filled_groups_.end();
  };
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    Order& o = pending_[i];
    if (group_filled(o.oco_group)) {
      cancelled.push_back(std::move(o));
      continue;
    }
    auto fill = try_fill(o, bar);
    if (!fill) {
      if (keep != i) pending_[keep] = std::move(o);
      ++keep;
      continue;
    }
    if (on_fill(*fill)) continue;  // refused: dropped
    if (o.oco_group != 0) filled_groups_.push_back(o.oco_group);
  }
  pending_.resize(keep);
  if (!filled_groups_.empty()) {
    // Group members that were kept before the fill happened later in the book.
    std::size_t k = 0;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      if (group_filled(pending_[i].oco_group)) {
        cancelled.push_back(std::move(pending_[i]));
        continue;
      }
      if (k != i) pending_[k] = std::move(pending_[i]);
      ++k;
    }
    pending_.resize(k);
  }
}

void SimulatedBroker::fill_market_at_close(const Bar& bar, const FillHandler& on_fill) {
  std::size_t keep = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    Order& o = pending_[i];
    if (o.type != OrderType::kMarket) {
      if (keep != i) pending_[keep] = std::move(o);
      ++keep;
      continue;
    }
    BrokerFill f{o, slip(bar.close, o.side), {}, false, bar.time};
    f.fee = fee_for(f.price, o.quantity);
    on_fill(f);
  }
  pending_.resize(keep);
}

}  // namespace st
