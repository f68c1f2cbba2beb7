#include "plugins/trailing_stop/trailing_stop.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "backend/api/plugin.h"
#include "backend/core/format.h"

namespace st::plugins {

void TrailingStop::bind(BindContext& ctx) {
  atr_ = ctx.schema().require(params().get_string("atr"));
  multiple_ = params().get_double("multiple");
  multiple_text_ = fmt::format("{}", multiple_);
}

namespace {
// "best close {:.6g} {} {} x ATR {:.6g}" without fmt's general float formatting (the reason of
// every stop move: this runs on many bars).
std::string move_reason(double best, bool is_long, const std::string& multiple, double atr) {
  constexpr std::string_view kHead = "best close ", kAtr = " x ATR ";
  std::string why(kHead.size() + 32 + 3 + multiple.size() + kAtr.size() + 32, '\0');  // write_general: <= 32
  char* p = why.data();
  const auto put = [&](std::string_view s) { p = std::copy(s.begin(), s.end(), p); };
  put(kHead);
  p = write_general(p, best, 6);
  put(is_long ? " - " : " + ");
  put(multiple);
  put(kAtr);
  p = write_general(p, atr, 6);
  why.resize(static_cast<std::size_t>(p - why.data()));
  return why;
}
}  // namespace

// Restores the working copy from the state (a restarted paper/live worker continues its trails).
void TrailingStop::load() {
  loaded_ = true;
  const auto& best = state()["best_close"];
  if (!best.is_object()) return;
  for (auto it = best.begin(); it != best.end(); ++it)
    if (const auto id = Uuid::parse(it.key()); id && it.value().is_number())
      tracked_.push_back({TradeId{*id}, it.value().get<double>()});
}

void TrailingStop::save() {
  auto& best = state()["best_close"];
  // The same trades as last time (the usual case: a best close moved): update the numbers in
  // place, no allocation. Otherwise rebuild the object.
  bool same = best.is_object() && best.size() == tracked_.size();
  if (same) {
    char id[36];
    std::size_t i = 0;
    for (auto it = best.begin(); same && it != best.end(); ++it, ++i) {
      tracked_[i].id.value.write(id);
      same = it.key() == std::string_view(id, 36);
    }
  }
  if (same) {
    std::size_t i = 0;
    for (auto it = best.begin(); it != best.end(); ++it, ++i) it.value() = tracked_[i].best;
  } else {
    best = nlohmann::ordered_json::object();
    for (const auto& t : tracked_) best[t.id.to_string()] = t.best;
  }
  commit_state();
}

void TrailingStop::on_bar(const TradingContext& market, ExecutionContext& ctx) {
  if (!loaded_) [[unlikely]]
    load();
  const auto positions = ctx.ledger().open_positions();
  if (positions.empty() && tracked_.empty()) return;  // nothing open, nothing to forget: most bars
  trail(market, ctx, positions);
}

void TrailingStop::trail(const TradingContext& market, ExecutionContext& ctx, std::span<const Position> positions) {
  const double atr = market.value(atr_);
  const double close = market.bar().close;
  bool changed = false;
  // Forget trades that are no longer open.
  const auto before = tracked_.size();
  std::erase_if(tracked_, [&](const Tracked& t) {
    for (const auto& p : positions)
      if (p.trade_id == t.id) return false;
    return true;
  });
  changed = tracked_.size() != before;
  if (std::isnan(atr)) {
    if (changed) save();
    return;
  }
  moves_.clear();
  for (const auto& p : positions) {
    const bool is_long = p.direction == Direction::kLong;
    auto it =
        std::find_if(tracked_.begin(), tracked_.end(), [&](const Tracked& t) { return t.id == p.trade_id; });
    if (it == tracked_.end()) {
      tracked_.push_back({p.trade_id, close});
      it = tracked_.end() - 1;
      changed = true;
    }
    const double improved = is_long ? std::max(it->best, close) : std::min(it->best, close);
    if (improved != it->best) it->best = improved, changed = true;
    const double b = it->best;
    const double trail = is_long ? b - multiple_ * atr : b + multiple_ * atr;
    const Decimal stop = Decimal::from_double(trail, market.instrument().price_precision);
    const bool tighter = p.stop_loss.is_zero() || (is_long ? stop > p.stop_loss : stop < p.stop_loss);
    if (tighter && stop.raw() > 0)
      moves_.push_back({p.trade_id, stop, move_reason(b, is_long, multiple_text_, atr)});
  }
  if (changed) save();
  for (auto& m : moves_) ctx.move_stop(m.id, m.stop, std::move(m.why));
}

ST_REGISTER_PLUGIN("trailing_stop", TrailingStop);

}  // namespace st::plugins
