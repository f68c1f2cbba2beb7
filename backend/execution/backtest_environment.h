// BacktestEnvironment: historical replay (DESIGN §9). Per bar t:
//   1. the context receives bar t;
//   2. pending orders are tried against bar t (fills at its open, stops/limits in its range);
//   3. the ledger is marked at bar t's close (what the strategy knows when it decides);
//      ContextReady is published: the strategy's chain runs on bar t's close, and any orders it
//      creates wait for bar t+1 (no look-ahead);
//   4. BarClosed is published (position management, e.g. trailing stops);
//   5. with "fill on close", market orders of this bar fill at its close;
//   6. the ledger is marked at bar t's close and LedgerStateChanged is published.
#pragma once

#include <cstdint>
#include <span>

#include "backend/core/function_ref.h"
#include "backend/data/bar_source.h"
#include "backend/execution/events.h"
#include "backend/execution/trade_desk.h"

namespace st {

class BacktestEnvironment {
 public:
  BacktestEnvironment(BarSource& source, TradingContext& context, TradeDesk& desk, StrategyLedger& ledger,
                      IEventHandler& handler);

  // Replays every bar. `on_bar` runs after step 6 (equity snapshots, progress): on every bar,
  // or with `every_bar` false only after the last bar of each batch the source hands over (up
  // to 256 bars; enough for progress). Returns the number of bars replayed. Bad data throws
  // st::Error with file:line.
  // `on_batch`, when given, sees each batch of bars (at most kBatch) before they are replayed,
  // with the bar index the first will have (block computations ahead of the chain).
  std::int64_t run(FunctionRef<void(const TradingContext&)> on_bar, bool every_bar = true,
                   FunctionRef<void(std::span<const Bar>, std::int64_t)> on_batch = {});
  static constexpr std::size_t kBatch = 256;  // bars per call to the source
  // The time of the first bar replayed (after run() replayed any).
  Timestamp first_time() const { return first_time_; }

 private:
  BarSource* source_;
  TradingContext* context_;
  TradeDesk* desk_;
  StrategyLedger* ledger_;
  IEventHandler* handler_;
  Timestamp first_time_{};
};

}  // namespace st
