// Test support for the execution tests: a trade desk with its real broker, ledger, context and an
// in-memory journal (instrument "X": 2 price decimals, whole units; 10,000 cash at 8 decimals;
// 0.1 % commission).
#pragma once

#include <cstdint>

#include "backend/execution/trade_desk.h"
#include "backend/journal/journal_persistor.h"

namespace st {

struct DeskParts {
  explicit DeskParts(DeskSettings settings = {}, std::int64_t timeframe_ns = kNsPerHour)
      : instrument{"X", 2, 0, "USD", timeframe_ns}, desk(broker, ledger, journal, ctx, ids, settings) {}
  InstrumentInfo instrument;
  ContextSchema schema;
  TradingContext ctx{schema, instrument};
  SimulatedBroker broker{BrokerSettings{0.1, Decimal(), 0.0, 2, 8}};
  StrategyLedger ledger{Decimal::parse("10000"), 8};
  MemoryJournalPersistor out;
  StrategyJournal journal{out};
  IdGenerator ids{1};
  TradeDesk desk;
};

}  // namespace st
