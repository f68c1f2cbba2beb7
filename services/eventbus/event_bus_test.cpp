#include "services/eventbus/event_bus.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace st {
namespace {

TEST(EventBus, DispatchesToSubscribersInSubscriptionOrder) {
  EventBus bus;
  std::string order;
  bus.subscribe<events::BarClosed>([&](const events::BarClosed&) { order += "a"; });
  bus.subscribe<events::BarClosed>([&](const events::BarClosed&) { order += "b"; });
  bus.subscribe<events::ContextReady>([&](const events::ContextReady&) { order += "x"; });
  bus.publish(events::BarClosed{nullptr});
  bus.publish(events::BarClosed{nullptr});
  EXPECT_EQ(order, "abab");
  EXPECT_EQ(bus.published(event_index<events::BarClosed>()), 2u);
  EXPECT_EQ(bus.published(event_index<events::ContextReady>()), 0u);
}

TEST(EventBus, HandlersMayPublishFurtherEventsSynchronously) {
  EventBus bus;
  std::string order;
  bus.subscribe<events::ContextReady>([&](const events::ContextReady&) {
    order += "ready;";
    bus.publish(events::ContextEnriched{nullptr});
    order += "after;";
  });
  bus.subscribe<events::ContextEnriched>([&](const events::ContextEnriched&) { order += "enriched;"; });
  bus.publish(events::ContextReady{nullptr});
  EXPECT_EQ(order, "ready;enriched;after;");
}

TEST(EventBus, ASecondSubscriberJoinsTheFirstInOrder) {
  // One subscriber is called directly; a second one turns the route into a dispatch to both.
  EventBus bus;
  std::string order;
  bus.subscribe<events::BarClosed>([&](const events::BarClosed&) { order += "a"; });
  bus.publish(events::BarClosed{nullptr});
  bus.subscribe<events::BarClosed>([&](const events::BarClosed&) { order += "b"; });
  bus.publish(events::BarClosed{nullptr});
  EXPECT_EQ(order, "aab");
  EXPECT_EQ(bus.subscribers(event_index<events::BarClosed>()), 2u);
}

TEST(EventBus, AHandlerMaySubscribeWhileItRuns) {
  // The handlers live on the heap: subscribing more while one runs does not move it, and a new
  // handler takes the next event, not the one in flight.
  EventBus bus;
  std::string order;
  int n = 0;
  std::function<void(const events::ContextReady&)> grow = [&](const events::ContextReady&) {
    order += std::to_string(n);
    if (++n < 4) bus.subscribe<events::ContextReady>([&, k = n](const events::ContextReady&) { order += "+" + std::to_string(k); });
  };
  bus.subscribe<events::ContextReady>(grow);
  bus.publish(events::ContextReady{nullptr});
  bus.publish(events::ContextReady{nullptr});
  EXPECT_EQ(order, "01+1");
}

TEST(EventBus, EventsWithoutSubscribersAreCountedNotDelivered) {
  EventBus bus;
  int called = 0;
  bus.subscribe<events::ContextReady>([&](const events::ContextReady&) { ++called; });
  bus.publish(events::LedgerStateChanged{nullptr});
  EXPECT_EQ(called, 0);
  EXPECT_EQ(bus.published(event_index<events::LedgerStateChanged>()), 1u);
}

TEST(EventBus, EventNamesFollowTheDesign) {
  EXPECT_STREQ(kEventNames[event_index<events::SignalsDetected>()], "SignalsDetected");
  EXPECT_STREQ(kEventNames[event_index<events::PlanReady>()], "PlanReady");
}

}  // namespace
}  // namespace st
