#include "plugins/default_router/default_router.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(DefaultRouterPlugin, RoutesToTheEnvironmentsBrokerWithTheTimeInForce) {
  testing::Harness h;
  auto& w = h.add<DefaultRouter>(WorkerCategory::kPlanning, "default_router", {{"time_in_force", std::string("DAY")}});
  h.push_close(1);
  RoutedTradePlan plan;
  EXPECT_TRUE(w.plan({testing::make_signal(Direction::kLong), h.ctx(), h.ledger, {}}, plan).accepted);
  EXPECT_EQ(plan.time_in_force, "DAY");
  EXPECT_EQ(plan.plan.rationale.back().first, "routing");
  EXPECT_EQ(plan.plan.rationale.back().second, "MARKET LONG order to the environment's broker, DAY");
}

TEST(DefaultRouterPlugin, UnknownTimeInForceIsRefused) {
  testing::Harness h;
  EXPECT_THROW(h.add<DefaultRouter>(WorkerCategory::kPlanning, "default_router", {{"time_in_force", std::string("FOK")}}),
               Error);
}

}  // namespace
}  // namespace st::plugins
