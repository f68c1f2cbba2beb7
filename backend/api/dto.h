// Data transfer objects of the event chain (DESIGN §6): small values, immutable once published.
// Part of the plugin API (see version.h): changing a layout here is an API version change.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "backend/core/decimal.h"
#include "backend/core/ids.h"
#include "backend/core/time.h"

namespace st {

// One OHLCV bar. Market data stays double (it is what the files hold); money and quantities in
// orders and the ledger are Decimal.
struct Bar {
  Timestamp time;  // bar open time, UTC
  double open = 0, high = 0, low = 0, close = 0, volume = 0;
};

enum class Direction : std::uint8_t { kLong, kShort };
enum class Severity : std::uint8_t { kLow, kMedium, kHigh, kCritical };

const char* to_string(Direction d);
const char* to_string(Severity s);

// Named numbers that explain a decision ("fast_ema": 101.2). Written to the journal.
using Details = std::vector<std::pair<std::string, double>>;

// Born only in an OpportunityWorker (through SignalSink), the one place OpportunityIDs are made.
struct Signal {
  OpportunityId opportunity_id;
  Timestamp time;
  Direction direction = Direction::kLong;
  std::string signal_type;  // e.g. "ma_cross_up"
  std::string worker;       // instance id of the worker that detected it
  double strength = 1.0;    // [0, 1]
  bool exit = false;        // an exit signal: asks to close open positions of `direction`
  Details details;
};

// Born only in a ThreatWorker (through ThreatSink).
struct CriticalEvent {
  ThreatId threat_id;
  Timestamp time;
  std::string threat_type;  // e.g. "MAX_DRAWDOWN_BREACHED"
  std::string worker;
  Severity severity = Severity::kMedium;
  std::string message;
  Details details;
};

struct ScheduledEvent {
  ScheduledId scheduled_id;
  Timestamp time;            // the cron time it fired for
  std::string schedule_name; // "weekly_dca"
  std::string event;         // "WEEKLY_DCA_TICK"
};

enum class OrderType : std::uint8_t { kMarket, kLimit, kStop, kStopLimit };
enum class OrderSide : std::uint8_t { kBuy, kSell };
const char* to_string(OrderType t);
const char* to_string(OrderSide s);

// Built by the planning chain: entry -> exit -> size -> routing. Each phase records why.
struct TradePlan {
  TradeId trade_id;
  OpportunityId opportunity_id;
  Direction direction = Direction::kLong;
  Timestamp time;
  OrderType entry_type = OrderType::kMarket;
  Decimal entry_price;        // limit/stop price; for market: the reference price (signal close)
  Decimal limit_price;        // stop-limit only
  Decimal stop_loss;          // zero = none
  Decimal take_profit;        // zero = none
  // Levels relative to the entry FILL price, set when the entry fills (long: stop = fill x (1 - f),
  // target = fill x (1 + f); short mirrored). Zero = none. Used instead of stop_loss/take_profit.
  Decimal stop_loss_fraction;
  Decimal take_profit_fraction;
  // Bars the entry order may wait to fill before it is cancelled; 0 = as time_in_force says.
  std::int64_t entry_valid_bars = 0;
  Decimal size;               // instrument quantity precision
  std::vector<std::pair<std::string, std::string>> rationale;  // phase -> why
  Details details;
};

struct RoutedTradePlan {
  TradePlan plan;
  std::string route = "simulated";  // venue/route name
  std::string time_in_force = "GTC";
};

enum class OrderStatus : std::uint8_t { kPending, kFilled, kCancelled, kRejected };

struct Order {
  std::uint64_t order_id = 0;  // sequential per strategy link
  TradeId trade_id;
  OrderSide side = OrderSide::kBuy;
  OrderType type = OrderType::kMarket;
  Decimal quantity;
  Decimal price;        // limit price (limit, stop-limit) or stop trigger (stop)
  Decimal limit_price;  // stop-limit: the limit once triggered
  Timestamp created;
  std::string purpose;  // "entry", "exit", "stop_loss", "take_profit", "dca"
  std::uint64_t oco_group = 0;  // non-zero: when one order of the group fills, the others cancel
};

struct Fill {
  std::uint64_t order_id = 0;
  TradeId trade_id;
  Timestamp time;
  OrderSide side = OrderSide::kBuy;
  Decimal quantity;
  Decimal price;
  Decimal fee;
};

struct Position {
  TradeId trade_id;
  OpportunityId opportunity_id;   // nil when opened by a schedule
  ScheduledId scheduled_id;       // nil when opened by an opportunity
  Direction direction = Direction::kLong;
  Decimal size;
  Decimal entry_price;
  Decimal entry_fee;
  Timestamp entry_time;
  Decimal stop_loss;              // zero = none
  Decimal take_profit;            // zero = none
  std::int64_t bars_held = 0;
};

}  // namespace st
