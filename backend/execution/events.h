// The events of the chain (DESIGN §6) and the interface the backend publishes them through.
// The service layer implements IEventHandler (its event bus); the backend never sees the bus.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <type_traits>
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

// What the backend publishes through. Publishing is inline: an event with no taker costs a
// counter and a test, an event with a route one indirect call — to its one taker (the common case:
// the chain has one subscriber per event) or to the implementation's loop over several.
class IEventHandler {
 public:
  virtual ~IEventHandler() = default;

  // Delivers `event` to its takers, in subscription order, before returning.
  void publish(const Event& event) {
    const std::size_t index = event.index();
    ++published_[index];
    const Route& r = routes_[index];
    if (r.call != nullptr) r.call(r.object, event);
  }

  // How many events of Event index `index` were published (taken or not).
  std::uint64_t published(std::size_t index) const { return published_[index]; }

 protected:
  static constexpr std::size_t kEvents = std::variant_size_v<Event>;
  using Call = void (*)(void* object, const Event& event);
  // The implementation keeps each event's route current as takers subscribe: publish() calls
  // call(object, event); a null call: no taker.
  void set_route(std::size_t index, Call call, void* object) { routes_[index] = {call, object}; }

 private:
  struct Route {
    Call call = nullptr;
    void* object = nullptr;
  };
  std::array<Route, kEvents> routes_{};
  std::array<std::uint64_t, kEvents> published_{};
};

// The Event index of T (one of the events:: structs).
template <class T>
constexpr std::size_t event_index() {
  return []<class... Ts>(std::variant<Ts...>*) {
    constexpr bool matches[] = {std::is_same_v<T, Ts>...};
    for (std::size_t i = 0; i < sizeof...(Ts); ++i)
      if (matches[i]) return i;
    return sizeof...(Ts);
  }(static_cast<Event*>(nullptr));
}

}  // namespace st
