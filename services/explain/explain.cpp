#include "services/explain/explain.h"

#include <fmt/format.h>

#include "backend/core/diagnostics.h"

namespace st {

namespace {

std::string s(const JournalEntry& e, const char* key) {
  if (!e.is_object()) return {};
  auto it = e.find(key);
  if (it == e.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

bool has(const JournalEntry& e) { return e.is_object(); }

// A stop or target of "0" means none was set.
std::string level(const JournalEntry& e, const char* key) {
  const std::string v = s(e, key);
  return v.empty() || v == "0" ? "none" : v;
}

std::string details_text(const JournalEntry& e, const char* key = "details") {
  if (!e.is_object() || !e.contains(key) || !e[key].is_object() || e[key].empty()) return {};
  std::string out;
  for (auto it = e[key].begin(); it != e[key].end(); ++it)
    out += fmt::format("{}{}={}", out.empty() ? "" : ", ", it.key(), it->is_string() ? it->get<std::string>() : it->dump());
  return out;
}

// Cap for the lists printed in text (the JSON has everything).
constexpr std::size_t kMaxListed = 12;

}  // namespace

TradeExplanation explain_trade(const std::vector<JournalEntry>& entries, const std::string& trade_id) {
  TradeExplanation x;
  x.trade_id = trade_id;
  std::string opportunity_id, scheduled_id, threat_id, exit_opportunity_id;
  bool found = false;
  // First pass: the trade's own entries.
  for (const auto& e : entries) {
    const std::string type = s(e, "event_type");
    if (type == "RUN_STARTED" && !has(x.run)) x.run = e;
    if (s(e, "trade_id") != trade_id) continue;
    found = true;
    if (type == "TRADE_PLANNED") x.planned = e;
    if (type == "TRADE_OPENED") x.opened = e;
    if (type == "TRADE_CLOSED") {
      x.closed = e;
      threat_id = s(e, "threat_id");
      exit_opportunity_id = s(e, "exit_opportunity_id");
    }
    if (type.rfind("ORDER_", 0) == 0) x.orders.push_back(e);
    if (type == "STOP_MOVED") x.stops.push_back(e);
    if (type == "WORKER_ENTRY") x.worker_entries.push_back(e);
    if (opportunity_id.empty()) opportunity_id = s(e, "opportunity_id");
    if (scheduled_id.empty()) scheduled_id = s(e, "scheduled_id");
  }
  if (!found) throw Error(fmt::format("trade {} not found in the journal", trade_id));
  const std::string open_time = s(x.opened, "timestamp");
  const std::string close_time = has(x.closed) ? s(x.closed, "timestamp") : std::string("9999");
  // Second pass: what led to it, and what happened around it.
  for (const auto& e : entries) {
    const std::string type = s(e, "event_type");
    if (type == "OPPORTUNITY_DETECTED") {
      if (!opportunity_id.empty() && s(e, "opportunity_id") == opportunity_id) x.opportunity = e;
      if (!exit_opportunity_id.empty() && s(e, "opportunity_id") == exit_opportunity_id) x.exit_opportunity = e;
    }
    if (type == "SCHEDULED_ACTION" && !scheduled_id.empty() && s(e, "scheduled_id") == scheduled_id) x.scheduled = e;
    if (type == "THREAT_DETECTED") {
      if (!threat_id.empty() && s(e, "threat_id") == threat_id) x.threat = e;
      const std::string t = s(e, "timestamp");
      if (!open_time.empty() && t >= open_time && t <= close_time) x.threats_while_open.push_back(e);
    }
    if (type == "OPPORTUNITY_REJECTED" && !open_time.empty()) {
      const std::string t = s(e, "timestamp");
      if (t >= open_time && t <= close_time) x.rejected_while_open.push_back(e);
    }
    if (type == "WORKER_ENTRY" && !opportunity_id.empty() && s(e, "opportunity_id") == opportunity_id &&
        s(e, "trade_id").empty())
      x.worker_entries.push_back(e);
  }
  return x;
}

std::string render_text(const TradeExplanation& x) {
  std::string out;
  auto line = [&](const std::string& text) { out += text + '\n'; };
  const JournalEntry& head = has(x.opened) ? x.opened : x.planned;
  std::string status = has(x.closed) ? fmt::format("closed ({}), pnl net {}", s(x.closed, "exit_reason"),
                                                   s(x.closed, "pnl_net"))
                       : has(x.opened) ? "open"
                                       : "never opened";
  line(fmt::format("Trade {}  {}  {}", x.trade_id, s(head, "direction"), status));
  if (has(x.run))
    line(fmt::format("  run: link {}, blueprint {}, {} {}", s(x.run, "link"), s(x.run, "blueprint"), s(x.run, "symbol"),
                     s(x.run, "timeframe")));
  line("");
  line("Why it opened");
  if (has(x.opportunity)) {
    const auto& o = x.opportunity;
    line(fmt::format("  {}  opportunity {} detected by {}: {} {} (strength {}) at close {}", s(o, "timestamp"),
                     s(o, "opportunity_id"), s(o, "worker"), s(o, "signal_type"), s(o, "direction"), s(o, "strength"),
                     s(o, "price")));
    if (auto d = details_text(o); !d.empty()) line("      evidence: " + d);
    if (auto c = details_text(o, "context"); !c.empty()) line("      context:  " + c);
  }
  if (has(x.scheduled)) {
    const auto& sa = x.scheduled;
    line(fmt::format("  {}  scheduled action {}: schedule {} fired {}; {} by {}", s(sa, "timestamp"),
                     s(sa, "scheduled_id"), s(sa, "schedule"), s(sa, "event"), s(sa, "action"), s(sa, "worker")));
  }
  if (has(x.planned)) {
    const auto& p = x.planned;
    line(fmt::format("  {}  planned: {} {} entry {}, stop {}, take profit {}, size {}, route {}", s(p, "timestamp"),
                     s(p, "direction"), s(p, "entry_type"), s(p, "entry_price"), level(p, "stop_loss"),
                     level(p, "take_profit"), s(p, "size"), s(p, "route")));
    if (p.contains("rationale") && p["rationale"].is_object())
      for (auto it = p["rationale"].begin(); it != p["rationale"].end(); ++it)
        line(fmt::format("      {:<8} {}", it.key() + ":", it->is_string() ? it->get<std::string>() : it->dump()));
  }
  // Orders up to the opening fill tell how it opened; the rest belong to how it closed.
  auto order_lines = [&](bool opening) {
    for (const auto& o : x.orders) {
      // The protective orders placed with the opening fill belong to how it opened.
      const bool protective = s(o, "event_type") == "ORDER_SUBMITTED" && has(x.opened) &&
                              s(o, "timestamp") == s(x.opened, "timestamp") &&
                              (s(o, "purpose") == "stop_loss" || s(o, "purpose") == "take_profit");
      const bool before_open = !has(x.opened) || protective ||
                               o["seq"].get<std::int64_t>() < x.opened["seq"].get<std::int64_t>();
      if (before_open != opening) continue;
      const std::string type = s(o, "event_type");
      const std::string price = s(o, "order_type") == "MARKET" ? "at market" : "@ " + s(o, "price");
      if (type == "ORDER_SUBMITTED")
        line(fmt::format("  {}  order {} submitted: {} {} {} {} ({})", s(o, "timestamp"), s(o, "order_id"),
                         s(o, "side"), s(o, "order_type"), s(o, "quantity"), price, s(o, "purpose")));
      else if (type == "ORDER_FILLED")
        line(fmt::format("  {}  order {} filled: {} {} @ {}, fee {}{}", s(o, "timestamp"), s(o, "order_id"),
                         s(o, "side"), s(o, "quantity"), s(o, "price"), s(o, "fee"),
                         s(o, "gap") == "true" ? " (gapped through its price)" : ""));
      else
        line(fmt::format("  {}  order {} {}: {}", s(o, "timestamp"), s(o, "order_id"),
                         type == "ORDER_REJECTED" ? "rejected" : "cancelled", s(o, "reason")));
    }
  };
  order_lines(true);
  if (has(x.opened))
    line(fmt::format("  {}  opened: {} {} @ {}, fee {}, stop {}, take profit {}", s(x.opened, "timestamp"),
                     s(x.opened, "direction"), s(x.opened, "size"), s(x.opened, "entry_price"),
                     s(x.opened, "entry_fee"), level(x.opened, "stop_loss"), level(x.opened, "take_profit")));
  for (const auto& w : x.worker_entries)
    line(fmt::format("  {}  {} noted {}: {}", s(w, "timestamp"), s(w, "worker"), s(w, "entry_type"), s(w, "message")));

  if (!x.stops.empty() || !x.rejected_while_open.empty() || !x.threats_while_open.empty()) {
    line("");
    line("While it was open");
    for (std::size_t i = 0; i < x.stops.size() && i < kMaxListed; ++i) {
      const auto& st = x.stops[i];
      line(fmt::format("  {}  stop moved by {}: {} -> {} ({})", s(st, "timestamp"), s(st, "worker"), s(st, "old_stop"),
                       s(st, "new_stop"), s(st, "reason")));
    }
    if (x.stops.size() > kMaxListed) line(fmt::format("  ... {} more stop moves", x.stops.size() - kMaxListed));
    for (const auto& t : x.threats_while_open)
      line(fmt::format("  {}  threat {} by {}: {} ({}) {}", s(t, "timestamp"), s(t, "threat_id"), s(t, "worker"),
                       s(t, "threat_type"), s(t, "severity"), s(t, "message")));
    for (std::size_t i = 0; i < x.rejected_while_open.size() && i < kMaxListed; ++i) {
      const auto& r = x.rejected_while_open[i];
      line(fmt::format("  {}  opportunity {} rejected by {} ({}): {}", s(r, "timestamp"), s(r, "opportunity_id"),
                       s(r, "worker"), s(r, "phase"), s(r, "reason")));
    }
    if (x.rejected_while_open.size() > kMaxListed)
      line(fmt::format("  ... {} more rejected opportunities", x.rejected_while_open.size() - kMaxListed));
  }
  line("");
  if (has(x.closed)) {
    line("Why it closed");
    const auto& c = x.closed;
    const std::string reason = s(c, "exit_reason");
    if (has(x.threat)) {
      const auto& t = x.threat;
      line(fmt::format("  {}  threat {} detected by {}: {} ({}) {}", s(t, "timestamp"), s(t, "threat_id"),
                       s(t, "worker"), s(t, "threat_type"), s(t, "severity"), s(t, "message")));
      if (auto d = details_text(t); !d.empty()) line("      evidence: " + d);
    }
    if (has(x.exit_opportunity)) {
      const auto& o = x.exit_opportunity;
      line(fmt::format("  {}  exit signal {} by {}: {} {}", s(o, "timestamp"), s(o, "opportunity_id"), s(o, "worker"),
                       s(o, "signal_type"), s(o, "direction")));
      if (auto d = details_text(o); !d.empty()) line("      evidence: " + d);
    }
    order_lines(false);
    line(fmt::format("  {}  closed ({}{}): exit {} x {}, entry {}, pnl gross {}, fees {} + {}, pnl net {}, {} bars",
                     s(c, "timestamp"), reason, s(c, "worker").empty() ? "" : " by " + s(c, "worker"), s(c, "exit_price"),
                     s(c, "size"), s(c, "entry_price"), s(c, "pnl_gross"), s(x.opened, "entry_fee"), s(c, "exit_fee"),
                     s(c, "pnl_net"), s(c, "bars_held")));
  } else {
    line(has(x.opened) ? "Still open at the end of the run" : "Never opened (see the orders above)");
  }
  return out;
}

nlohmann::ordered_json render_json(const TradeExplanation& x) {
  nlohmann::ordered_json j;
  j["trade_id"] = x.trade_id;
  j["status"] = has(x.closed) ? "closed" : has(x.opened) ? "open" : "not_opened";
  j["opportunity"] = x.opportunity;
  j["scheduled"] = x.scheduled;
  j["planned"] = x.planned;
  j["orders"] = x.orders;
  j["opened"] = x.opened;
  j["stops"] = x.stops;
  j["worker_entries"] = x.worker_entries;
  j["threats_while_open"] = x.threats_while_open;
  j["rejected_while_open"] = x.rejected_while_open;
  j["threat"] = x.threat;
  j["exit_opportunity"] = x.exit_opportunity;
  j["closed"] = x.closed;
  j["run"] = x.run;
  return j;
}

}  // namespace st
