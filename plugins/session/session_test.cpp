#include "plugins/session/session.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(SessionPlugin, TagsSessionsAndKillzonesByUtcTime) {
  testing::Harness h({"X", 2, 0, "USD", kNsPerHour});
  h.add<Session>(WorkerCategory::kContext, "session",
                 {{"output", std::string("session")}, {"killzone_output", std::string("kz")}});
  auto& ctx = h.start();
  const ColumnId s = h.schema().require("session"), kz = h.schema().require("kz");
  std::vector<double> masks, zones;
  for (int hour = 0; hour < 24; ++hour) {
    h.push_close(100);  // bars at 00:00, 01:00, ... UTC
    masks.push_back(ctx.value(s));
    zones.push_back(ctx.value(kz));
  }
  EXPECT_EQ(masks[3], 1);   // asia
  EXPECT_EQ(masks[7], 3);   // asia ends at 08:00, london from 07:00
  EXPECT_EQ(masks[13], 6);  // london + new york
  EXPECT_EQ(masks[20], 4);  // new york
  EXPECT_EQ(masks[22], 0);
  EXPECT_EQ(zones[8], 1);
  EXPECT_EQ(zones[11], 0);
  EXPECT_EQ(zones[14], 1);
}

TEST(SessionPlugin, WindowsWrapMidnightAndBadOnesAreRefused) {
  const auto w = Session::parse_window("sydney@22:00-07:00");
  EXPECT_TRUE(w.contains(23 * 60));
  EXPECT_TRUE(w.contains(6 * 60 + 59));
  EXPECT_FALSE(w.contains(7 * 60));
  EXPECT_THROW(Session::parse_window("london 07:00-16:00"), Error);
  EXPECT_THROW(Session::parse_window("x@25:00-26:00"), Error);
  testing::Harness h;
  EXPECT_THROW(h.add<Session>(WorkerCategory::kContext, "session",
                              {{"output", std::string("s")}, {"sessions", std::vector<std::string>{"bad"}}}),
               Error);
}

}  // namespace
}  // namespace st::plugins
