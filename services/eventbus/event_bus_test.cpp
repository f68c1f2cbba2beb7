#include "services/eventbus/event_bus.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(bus.published(EventBus::variant_index<events::BarClosed>()), 2u);
  EXPECT_EQ(bus.published(EventBus::variant_index<events::ContextReady>()), 0u);
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

TEST(EventBus, EventNamesFollowTheDesign) {
  EXPECT_STREQ(kEventNames[EventBus::variant_index<events::SignalsDetected>()], "SignalsDetected");
  EXPECT_STREQ(kEventNames[EventBus::variant_index<events::PlanReady>()], "PlanReady");
}

}  // namespace
}  // namespace st
