#include "services/scheduler/scheduler.h"

#include <gtest/gtest.h>

#include "backend/core/diagnostics.h"

namespace st {
namespace {

Timestamp at(const char* iso) { return *parse_iso(iso); }

TEST(Scheduler, WeeklyScheduleOnDailyBarsFiresOncePerWeekOnTheFirstBarAtOrAfterIt) {
  IdGenerator ids(1);
  Scheduler s({{"weekly_dca", "0 10 * * 1", "WEEKLY_DCA_TICK"}}, ids);
  Timestamp t = at("2024-01-01T00:00:00Z");  // a Monday
  s.start(Timestamp{t.ns - 1});
  std::vector<ScheduledEvent> events;
  for (int day = 0; day < 28; ++day) {
    s.due(Timestamp{t.ns + day * kNsPerDay}, events);
  }
  ASSERT_EQ(events.size(), 4u);  // Mondays 10:00 of Jan 1, 8, 15, 22, due on the bars of Jan 2, 9, 16, 23
  EXPECT_EQ(format_iso(events[0].time), "2024-01-01T10:00:00Z");
  EXPECT_EQ(format_iso(events[1].time), "2024-01-08T10:00:00Z");
  EXPECT_EQ(events[0].event, "WEEKLY_DCA_TICK");
  EXPECT_EQ(events[0].schedule_name, "weekly_dca");
  EXPECT_NE(events[0].scheduled_id, events[1].scheduled_id);
}

TEST(Scheduler, AGapFiresOnceForTheLatestMissedTime) {
  IdGenerator ids(1);
  Scheduler s({{"daily", "@daily", "TICK"}}, ids);
  s.start(at("2024-01-01T12:00:00Z"));
  std::vector<ScheduledEvent> events;
  s.due(at("2024-01-05T12:00:00Z"), events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(format_iso(events[0].time), "2024-01-05T00:00:00Z");
  EXPECT_EQ(s.skipped(), 3);
  EXPECT_EQ(format_iso(*s.next_fire()), "2024-01-06T00:00:00Z");
}

TEST(Scheduler, SimultaneousSchedulesKeepSpecOrderAndIdsAreSeeded) {
  auto run = [](std::uint64_t seed) {
    IdGenerator ids(seed);
    Scheduler s({{"b", "0 0 * * *", "B"}, {"a", "0 0 * * *", "A"}, {"h", "0 * * * *", "H"}}, ids);
    s.start(at("2024-01-01T00:00:00Z"));
    std::vector<ScheduledEvent> events;
    s.due(at("2024-01-02T00:00:00Z"), events);
    return events;
  };
  const auto e = run(5);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].event, "B");
  EXPECT_EQ(e[1].event, "A");
  EXPECT_EQ(e[2].event, "H");
  EXPECT_EQ(e[0].scheduled_id, run(5)[0].scheduled_id);
  EXPECT_NE(e[0].scheduled_id, run(6)[0].scheduled_id);
}

TEST(Scheduler, BadCronNamesTheSchedule) {
  IdGenerator ids(1);
  try {
    Scheduler s({{"weekly", "0 25 * * 1", "X"}}, ids);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("schedule \"weekly\""), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("field 2 (hour)"), std::string::npos);
  }
}

}  // namespace
}  // namespace st
