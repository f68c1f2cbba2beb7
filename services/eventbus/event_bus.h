// EventBus: the service layer's implementation of the backend's IEventHandler (DESIGN §6).
// Synchronous and deterministic: handlers of an event run in subscription order, on the
// publishing thread, before publish() returns.
#pragma once

#include <array>
#include <memory>
#include <variant>
#include <vector>

#include "backend/execution/events.h"

namespace st {

class EventBus final : public IEventHandler {
 public:
  EventBus() = default;
  // The routes point into this bus (its handlers' slots): not copied, not moved.
  EventBus(const EventBus&) = delete;
  EventBus& operator=(const EventBus&) = delete;

  // Subscribes to the event type T (one of the events:: structs). The callable is stored as
  // it is and called through one function pointer (no std::function, no wrapper).
  template <class T, class F>
  void subscribe(F handler) {
    constexpr std::size_t index = event_index<T>();
    auto object = std::make_shared<F>(std::move(handler));
    Call call = [](void* o, const Event& e) {
      const T* event = std::get_if<T>(&e);
      if (event == nullptr) __builtin_unreachable();  // routed by the event's index
      (*static_cast<F*>(o))(*event);
    };
    auto& slots = handlers_[index];
    slots.push_back({call, std::move(object)});
    // One taker: called directly; several: one call to the loop over this event's slots.
    if (slots.size() == 1) set_route(index, call, slots.front().object.get());
    else set_route(index, &EventBus::call_all, &slots);
  }

  std::size_t subscribers(std::size_t index) const { return handlers_[index].size(); }

 private:
  struct Slot {
    Call call;
    std::shared_ptr<void> object;
  };
  // The takers of an event in subscription order. By index, up to the takers there were when it
  // began: a handler may subscribe more while it runs (the vector may move; the handlers do not),
  // and they take the next event.
  static void call_all(void* slots_of_event, const Event& event) {
    const auto& slots = *static_cast<const std::vector<Slot>*>(slots_of_event);
    for (std::size_t i = 0, n = slots.size(); i < n; ++i) slots[i].call(slots[i].object.get(), event);
  }
  std::array<std::vector<Slot>, kEvents> handlers_;
};

}  // namespace st
