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
// Appends "best close {:.6g} {} {} x ATR {:.6g}" to `text` without fmt's general float formatting
// (the reason of every stop move: this runs on many bars).
void append_move_reason(std::string& text, double best, bool is_long, std::string_view multiple, double atr) {
  constexpr std::string_view kHead = "best close ", kAtr = " x ATR ";
  const std::size_t at = text.size();
  text.resize(at + kHead.size() + kGeneralRoom + 3 + multiple.size() + kAtr.size() + kGeneralRoom);
  char* p = text.data() + at;
  const auto put = [&](std::string_view s) { p = std::copy(s.begin(), s.end(), p); };
  put(kHead);
  p = write_general(p, best, 6);
  put(is_long ? " - " : " + ");
  put(multiple);
  put(kAtr);
  p = write_general(p, atr, 6);
  text.resize(static_cast<std::size_t>(p - text.data()));
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
  state_keys_current_ = false;  // the object may hold entries that were skipped
}

void TrailingStop::save() {
  using Json = nlohmann::ordered_json;
  if (best_node_ == nullptr) best_node_ = &state()["best_close"];
  Json& best = *best_node_;
  // The same trades as the object holds (the usual case: a best close moved): update the numbers
  // in place, no allocation. Otherwise rebuild the object.
  if (state_keys_current_ && best.is_object() && best.size() == tracked_.size()) {
    auto& entries = best.get_ref<Json::object_t&>();
    for (std::size_t i = 0; i < tracked_.size(); ++i) entries.begin()[i].second = tracked_[i].best;
  } else {
    best = Json::object();
    for (const auto& t : tracked_) best[t.id.to_string()] = t.best;
    state_keys_current_ = true;
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
  if (changed) state_keys_current_ = false;
  if (std::isnan(atr)) {
    if (changed) save();
    return;
  }
  moves_.clear();
  move_text_.clear();
  for (const auto& p : positions) {
    const bool is_long = p.direction == Direction::kLong;
    auto it =
        std::find_if(tracked_.begin(), tracked_.end(), [&](const Tracked& t) { return t.id == p.trade_id; });
    if (it == tracked_.end()) {
      tracked_.push_back({p.trade_id, close});
      it = tracked_.end() - 1;
      state_keys_current_ = false;
      changed = true;
    }
    const double improved = is_long ? std::max(it->best, close) : std::min(it->best, close);
    if (improved != it->best) it->best = improved, changed = true;
    const double b = it->best;
    const double trail = is_long ? b - multiple_ * atr : b + multiple_ * atr;
    const Decimal stop = Decimal::from_double(trail, market.instrument().price_precision);
    const bool tighter = p.stop_loss.is_zero() || (is_long ? stop > p.stop_loss : stop < p.stop_loss);
    if (tighter && stop.raw() > 0) {
      const std::size_t from = move_text_.size();
      append_move_reason(move_text_, b, is_long, multiple_text_, atr);
      moves_.push_back({p.trade_id, stop, from, move_text_.size()});
    }
  }
  if (changed) save();
  for (const auto& m : moves_)
    ctx.move_stop(m.id, m.stop, std::string_view(move_text_).substr(m.from, m.to - m.from));
}

ST_REGISTER_PLUGIN("trailing_stop", TrailingStop);

}  // namespace st::plugins
