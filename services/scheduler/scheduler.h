// Scheduler: cron schedules (schedule.yaml) -> ScheduledEvents, on the simulated clock of a
// backtest or the wall clock of paper/live (DESIGN §6). Deterministic: the same specs, id seed and
// bar times give the same events and ScheduledIDs.
//
// A fire time is "due" on the first bar at or after it. When several fire times of one schedule
// passed between two bars (a gap in the data), one event is emitted, for the latest of them:
// a missed weekly buy is not made up three times after a three-week outage.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "backend/api/dto.h"
#include "backend/core/cron.h"
#include "backend/core/ids.h"

namespace st {

struct ScheduleSpec {
  std::string name;
  std::string cron;
  std::string event;
};

class Scheduler {
 public:
  // Throws st::Error naming the schedule and the cron problem.
  Scheduler(std::vector<ScheduleSpec> specs, IdGenerator& ids);

  // Each schedule's first fire time is the first after `after`.
  void start(Timestamp after);
  // Appends the events due at `now`, ordered by fire time, then by schedule order.
  // Inline: most bars have nothing due, and this runs on every bar.
  void due(Timestamp now, std::vector<ScheduledEvent>& out) {
    if (is_due(now)) collect(now, out);
  }
  // Whether due(now) would append anything (false before start()).
  bool is_due(Timestamp now) const { return now.ns >= next_due_ns_; }
  std::optional<Timestamp> next_fire() const;
  bool empty() const { return entries_.empty(); }
  // How many fire times were folded into a later one because of gaps (see above).
  std::int64_t skipped() const { return skipped_; }

 private:
  struct Entry {
    ScheduleSpec spec;
    CronExpr cron;
    std::optional<Timestamp> next;
  };
  void collect(Timestamp now, std::vector<ScheduledEvent>& out);
  void refresh_next_due();

  std::vector<Entry> entries_;
  IdGenerator* ids_;
  // The earliest fire time of any schedule (max when none): due() is a compare until then.
  std::int64_t next_due_ns_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t skipped_ = 0;
};

}  // namespace st
