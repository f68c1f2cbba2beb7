#include "plugins/trailing_stop/trailing_stop.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "backend/api/plugin.h"

namespace st::plugins {

void TrailingStop::bind(BindContext& ctx) {
  atr_ = ctx.schema().require(params().get_string("atr"));
  multiple_ = params().get_double("multiple");
}

void TrailingStop::on_bar(const TradingContext& market, ExecutionContext& ctx) {
  const auto positions = ctx.ledger().open_positions();
  auto& best = state()["best_close"];
  if (!best.is_object()) best = nlohmann::ordered_json::object();
  const double atr = market.value(atr_);
  const double close = market.bar().close;
  bool changed = false;
  // Forget trades that are no longer open.
  std::vector<std::string> gone;
  for (auto it = best.begin(); it != best.end(); ++it) {
    bool open = false;
    for (const auto& p : positions) open = open || p.trade_id.to_string() == it.key();
    if (!open) gone.push_back(it.key());
  }
  for (const auto& k : gone) best.erase(k), changed = true;
  if (std::isnan(atr)) {
    if (changed) commit_state();
    return;
  }
  struct Move {
    TradeId id;
    Decimal stop;
    std::string why;
  };
  std::vector<Move> moves;
  for (const auto& p : positions) {
    const std::string key = p.trade_id.to_string();
    const bool is_long = p.direction == Direction::kLong;
    double b = best.contains(key) ? best[key].get<double>() : close;
    const double improved = is_long ? std::max(b, close) : std::min(b, close);
    if (!best.contains(key) || improved != b) best[key] = improved, changed = true;
    b = improved;
    const double trail = is_long ? b - multiple_ * atr : b + multiple_ * atr;
    const Decimal stop = Decimal::from_double(trail, market.instrument().price_precision);
    const bool tighter = p.stop_loss.is_zero() || (is_long ? stop > p.stop_loss : stop < p.stop_loss);
    if (tighter && stop.raw() > 0)
      moves.push_back({p.trade_id, stop,
                       fmt::format("best close {:.6g} {} {} x ATR {:.6g}", b, is_long ? "-" : "+", multiple_, atr)});
  }
  if (changed) commit_state();
  for (auto& m : moves) ctx.move_stop(m.id, m.stop, std::move(m.why));
}

ST_REGISTER_PLUGIN("trailing_stop", TrailingStop);

}  // namespace st::plugins
