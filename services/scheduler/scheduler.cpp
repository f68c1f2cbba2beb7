#include "services/scheduler/scheduler.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "backend/core/diagnostics.h"

namespace st {

Scheduler::Scheduler(std::vector<ScheduleSpec> specs, IdGenerator& ids) : ids_(&ids) {
  for (auto& s : specs) {
    std::string error;
    auto cron = CronExpr::parse(s.cron, &error);
    if (!cron) throw Error(fmt::format("schedule \"{}\": cron \"{}\": {}", s.name, s.cron, error));
    entries_.push_back({std::move(s), std::move(*cron), std::nullopt});
  }
}

void Scheduler::start(Timestamp after) {
  for (auto& e : entries_) e.next = e.cron.next_after(after);
  refresh_next_due();
}

void Scheduler::refresh_next_due() {
  const auto n = next_fire();
  next_due_ns_ = n ? n->ns : std::numeric_limits<std::int64_t>::max();
}

void Scheduler::collect(Timestamp now, std::vector<ScheduledEvent>& out) {
  std::vector<std::pair<Timestamp, std::size_t>> fired;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    auto& e = entries_[i];
    if (!e.next || *e.next > now) continue;
    Timestamp latest = *e.next;
    // Fold the fire times a gap skipped into the latest one.
    while (true) {
      auto n = e.cron.next_after(latest);
      if (!n || *n > now) {
        e.next = n;
        break;
      }
      latest = *n;
      ++skipped_;
    }
    fired.emplace_back(latest, i);
  }
  std::stable_sort(fired.begin(), fired.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [time, i] : fired) {
    ScheduledEvent ev;
    ev.scheduled_id = ids_->next_id<ScheduledId>();
    ev.time = time;
    ev.schedule_name = entries_[i].spec.name;
    ev.event = entries_[i].spec.event;
    out.push_back(std::move(ev));
  }
  refresh_next_due();
}

std::optional<Timestamp> Scheduler::next_fire() const {
  std::optional<Timestamp> best;
  for (const auto& e : entries_)
    if (e.next && (!best || *e.next < *best)) best = e.next;
  return best;
}

}  // namespace st
