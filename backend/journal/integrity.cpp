#include "backend/journal/integrity.h"

#include <fmt/format.h>

#include <set>

namespace st::journal {

namespace {

std::string id_of(const nlohmann::ordered_json& e, const char* key) {
  auto it = e.find(key);
  if (it == e.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

}  // namespace

std::vector<std::string> check_integrity(const std::vector<nlohmann::ordered_json>& entries) {
  std::vector<std::string> problems;
  std::set<std::string> opportunities, threats, scheduled, opened, closed;
  std::string last_time;
  static const char* kCommon[] = {"seq", "timestamp", "event_type", "opportunity_id", "trade_id", "threat_id",
                                  "scheduled_id"};
  std::int64_t expected_seq = 1;
  for (const auto& e : entries) {
    const std::int64_t seq = e.value("seq", std::int64_t{-1});
    auto problem = [&](const std::string& what) { problems.push_back(fmt::format("seq {}: {}", seq, what)); };
    // Common fields, in order.
    std::size_t i = 0;
    for (auto it = e.begin(); it != e.end() && i < 7; ++it, ++i)
      if (it.key() != kCommon[i]) {
        problem(fmt::format("field {} is \"{}\", expected \"{}\"", i + 1, it.key(), kCommon[i]));
        break;
      }
    if (seq != expected_seq) problem(fmt::format("expected seq {}", expected_seq));
    expected_seq = seq + 1;
    const std::string type = e.value("event_type", std::string());
    const std::string time = e.value("timestamp", std::string());
    if (time < last_time) problem(fmt::format("timestamp {} is before the previous entry's {}", time, last_time));
    last_time = std::max(last_time, time);
    const std::string opp = id_of(e, "opportunity_id"), trade = id_of(e, "trade_id"),
                      threat = id_of(e, "threat_id"), sched = id_of(e, "scheduled_id");
    if (type == "OPPORTUNITY_DETECTED") {
      if (opp.empty()) problem("OPPORTUNITY_DETECTED without an opportunity_id");
      if (!opportunities.insert(opp).second) problem("opportunity " + opp + " detected twice");
    } else if (type == "THREAT_DETECTED") {
      if (threat.empty()) problem("THREAT_DETECTED without a threat_id");
      threats.insert(threat);
    } else if (type == "SCHEDULED_ACTION") {
      if (sched.empty()) problem("SCHEDULED_ACTION without a scheduled_id");
      scheduled.insert(sched);
    } else if (type == "OPPORTUNITY_REJECTED") {
      if (!opportunities.count(opp)) problem("OPPORTUNITY_REJECTED names opportunity " + opp + ", never detected");
      if (e.value("reason", std::string()).empty()) problem("OPPORTUNITY_REJECTED without a reason");
      if (!threat.empty() && !threats.count(threat))
        problem("OPPORTUNITY_REJECTED names threat " + threat + ", never detected");
    } else if (type == "TRADE_OPENED") {
      if (trade.empty()) problem("TRADE_OPENED without a trade_id");
      const bool from_opportunity = !opp.empty() && opportunities.count(opp);
      const bool from_schedule = !sched.empty() && scheduled.count(sched);
      if (!from_opportunity && !from_schedule)
        problem("TRADE_OPENED names neither a detected opportunity nor a scheduled action");
      if (!opened.insert(trade).second) problem("trade " + trade + " opened twice");
    } else if (type == "TRADE_CLOSED") {
      if (!opened.count(trade)) problem("TRADE_CLOSED names trade " + trade + ", never opened");
      if (!closed.insert(trade).second) problem("trade " + trade + " closed twice");
      if (!threat.empty() && !threats.count(threat)) problem("TRADE_CLOSED names threat " + threat + ", never detected");
      if (e.value("exit_reason", std::string()).empty()) problem("TRADE_CLOSED without an exit_reason");
    } else if (type == "THREAT_CLEARED") {
      if (!threats.count(threat)) problem("THREAT_CLEARED names threat " + threat + ", never detected");
    }
  }
  return problems;
}

}  // namespace st::journal
