// The events of the chain (DESIGN §6) and the interface the backend publishes them through.
// The service layer implements IEventHandler (its event bus); the backend never sees the bus.
#pragma once

#include <span>
#include <variant>

#include "backend/api/worker.h"

namespace st {

namespace events {
struct ContextReady { TradingContext* context; };
struct ContextEnriched { const TradingContext* context; };
struct SignalsDetected { std::span<const Signal> signals; };
// `started` are the threats that began on this bar; `active` all threats active now.
struct ThreatsDetected { std::span<const CriticalEvent> started; std::span<const CriticalEvent> active; };
struct PlanReady { const RoutedTradePlan* plan; };
struct ScheduledEventFired { const ScheduledEvent* event; };
// After the chain of a bar: position management and bookkeeping.
struct BarClosed { const TradingContext* context; };
struct LedgerStateChanged { const LedgerView* ledger; };
struct JournalEntryLogged { std::uint64_t entries; };
}  // namespace events

using Event = std::variant<events::ContextReady, events::ContextEnriched, events::SignalsDetected,
                           events::ThreatsDetected, events::PlanReady, events::ScheduledEventFired,
                           events::BarClosed, events::LedgerStateChanged, events::JournalEntryLogged>;

// Names as in DESIGN §6, by Event index.
inline constexpr const char* kEventNames[] = {
    "ContextReady", "ContextEnriched", "SignalsDetected", "ThreatsDetected", "PlanReady",
    "ScheduledEvent", "BarClosed", "LedgerStateChanged", "JournalEntryLogged"};

class IEventHandler {
 public:
  virtual ~IEventHandler() = default;
  virtual void publish(const Event& event) = 0;
};

}  // namespace st
