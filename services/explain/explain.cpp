#include "services/explain/explain.h"

#include <fmt/format.h>

#include "backend/core/diagnostics.h"
#include "backend/journal/reader.h"

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

namespace {

// The two passes of an explanation over a journal's entries, in order: the first finds the trade's
// own entries (and with them the ids and times of what to look for), the second what led to it
// and what happened around it. Each pass also says, from a line's text alone, whether the line
// can matter to it: a journal file is read line by line and only those lines are parsed.
class Explainer {
 public:
  explicit Explainer(std::string trade_id) { x_.trade_id = std::move(trade_id); }

  bool first_may_use(std::string_view line) const {
    if (!has(x_.run) && journal::string_field(line, "\"event_type\"") == "RUN_STARTED") return true;
    return contains(line, x_.trade_id);
  }
  void first(const JournalEntry& e) {
    const std::string type = s(e, "event_type");
    if (type == "RUN_STARTED" && !has(x_.run)) x_.run = e;
    if (s(e, "trade_id") != x_.trade_id) return;
    found_ = true;
    if (type == "TRADE_PLANNED") x_.planned = e;
    if (type == "TRADE_OPENED") x_.opened = e;
    if (type == "TRADE_CLOSED") {
      x_.closed = e;
      threat_id_ = s(e, "threat_id");
      exit_opportunity_id_ = s(e, "exit_opportunity_id");
    }
    if (type.rfind("ORDER_", 0) == 0) x_.orders.push_back(e);
    if (type == "STOP_MOVED") x_.stops.push_back(e);
    if (type == "WORKER_ENTRY") x_.worker_entries.push_back(e);
    if (opportunity_id_.empty()) opportunity_id_ = s(e, "opportunity_id");
    if (scheduled_id_.empty()) scheduled_id_ = s(e, "scheduled_id");
  }
  // Between the passes: the window the second looks in; false when the trade is not in the journal.
  bool end_first_pass() {
    if (!found_) return false;
    open_time_ = s(x_.opened, "timestamp");
    close_time_ = has(x_.closed) ? s(x_.closed, "timestamp") : std::string("9999");
    return true;
  }

  bool second_may_use(std::string_view line) const {
    const std::string_view type = journal::string_field(line, "\"event_type\"");
    if (type == "OPPORTUNITY_DETECTED" || type == "WORKER_ENTRY")
      return contains(line, opportunity_id_) || contains(line, exit_opportunity_id_);
    if (type == "SCHEDULED_ACTION") return contains(line, scheduled_id_);
    if (type == "THREAT_DETECTED" || type == "OPPORTUNITY_REJECTED")
      return contains(line, threat_id_) || in_window(journal::string_field(line, "\"timestamp\""));
    return false;
  }
  void second(const JournalEntry& e) {
    const std::string type = s(e, "event_type");
    if (type == "OPPORTUNITY_DETECTED") {
      if (!opportunity_id_.empty() && s(e, "opportunity_id") == opportunity_id_) x_.opportunity = e;
      if (!exit_opportunity_id_.empty() && s(e, "opportunity_id") == exit_opportunity_id_) x_.exit_opportunity = e;
    }
    if (type == "SCHEDULED_ACTION" && !scheduled_id_.empty() && s(e, "scheduled_id") == scheduled_id_) x_.scheduled = e;
    if (type == "THREAT_DETECTED") {
      if (!threat_id_.empty() && s(e, "threat_id") == threat_id_) x_.threat = e;
      if (in_window(s(e, "timestamp"))) x_.threats_while_open.push_back(e);
    }
    if (type == "OPPORTUNITY_REJECTED" && in_window(s(e, "timestamp"))) x_.rejected_while_open.push_back(e);
    if (type == "WORKER_ENTRY" && !opportunity_id_.empty() && s(e, "opportunity_id") == opportunity_id_ &&
        s(e, "trade_id").empty())
      x_.worker_entries.push_back(e);
  }

  TradeExplanation take() { return std::move(x_); }

 private:
  static bool contains(std::string_view line, const std::string& id) {
    return !id.empty() && line.find(id) != std::string_view::npos;
  }
  bool in_window(std::string_view t) const { return !open_time_.empty() && t >= open_time_ && t <= close_time_; }

  TradeExplanation x_;
  bool found_ = false;
  std::string opportunity_id_, scheduled_id_, threat_id_, exit_opportunity_id_, open_time_, close_time_;
};

}  // namespace

TradeExplanation explain_trade(const std::vector<JournalEntry>& entries, const std::string& trade_id) {
  Explainer x(trade_id);
  for (const auto& e : entries) x.first(e);
  if (!x.end_first_pass()) throw Error(fmt::format("trade {} not found in the journal", trade_id));
  for (const auto& e : entries) x.second(e);
  return x.take();
}

std::optional<TradeExplanation> explain_trade_in_file(const std::string& path, const std::string& trade_id) {
  Explainer x(trade_id);
  journal::for_each_entry(path, [&](std::string_view line) { return x.first_may_use(line); },
                          [&](const JournalEntry& e) { x.first(e); });
  if (!x.end_first_pass()) return std::nullopt;
  journal::for_each_entry(path, [&](std::string_view line) { return x.second_may_use(line); },
                          [&](const JournalEntry& e) { x.second(e); });
  return x.take();
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
