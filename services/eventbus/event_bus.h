// EventBus: the service layer's implementation of the backend's IEventHandler (DESIGN §6).
// Synchronous and deterministic: handlers of an event run in subscription order, on the
// publishing thread, before publish() returns.
#pragma once

#include <array>
#include <functional>
#include <variant>
#include <vector>

#include "backend/execution/events.h"

namespace st {

class EventBus final : public IEventHandler {
 public:
  using Handler = std::function<void(const Event&)>;

  // Subscribes to the event type T (one of the events:: structs). The callable is stored as
  // it is (one indirect call per delivery, no nested std::function).
  template <class T, class F>
  void subscribe(F handler) {
    constexpr std::size_t index = variant_index<T>();
    handlers_[index].push_back([h = std::move(handler)](const Event& e) { h(*std::get_if<T>(&e)); });
  }

  void publish(const Event& event) override {
    const std::size_t index = event.index();
    ++published_[index];
    for (const auto& h : handlers_[index]) h(event);
  }

  std::uint64_t published(std::size_t index) const { return published_[index]; }
  std::size_t subscribers(std::size_t index) const { return handlers_[index].size(); }

  template <class T>
  static constexpr std::size_t variant_index() {
    return index_of<T, Event>::value;
  }

 private:
  template <class T, class V>
  struct index_of;
  template <class T, class... Ts>
  struct index_of<T, std::variant<Ts...>> {
    static constexpr std::size_t value = [] {
      constexpr bool matches[] = {std::is_same_v<T, Ts>...};
      for (std::size_t i = 0; i < sizeof...(Ts); ++i)
        if (matches[i]) return i;
      return sizeof...(Ts);
    }();
  };

  static constexpr std::size_t kEvents = std::variant_size_v<Event>;
  std::array<std::vector<Handler>, kEvents> handlers_;
  std::array<std::uint64_t, kEvents> published_{};
};

}  // namespace st
