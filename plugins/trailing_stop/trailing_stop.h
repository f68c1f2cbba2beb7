#pragma once
#include <span>
#include <vector>

#include "backend/api/worker.h"

namespace st::plugins {

class TrailingStop final : public ExecutionWorker, public Stateful {
 public:
  void bind(BindContext& ctx) override;
  void on_bar(const TradingContext& market, ExecutionContext& ctx) override;

 private:
  void load();
  // The trails of the open trades (bars with a trade open or just closed): out of line, so that
  // on_bar, which runs on every bar, stays a small function.
  [[gnu::noinline]] void trail(const TradingContext& market, ExecutionContext& ctx, std::span<const Position> positions);
  void save();
  ColumnId atr_ = 0;
  double multiple_ = 3;
  std::string multiple_text_;  // fmt's "{}" of multiple_, made once
  // The best close per open trade: the working copy of state()["best_close"], kept as values so
  // that a bar on which nothing changes costs no allocation; the JSON state is rewritten (and
  // committed) only when something changed.
  struct Tracked {
    TradeId id;
    double best = 0;
  };
  std::vector<Tracked> tracked_;
  // Whether state()["best_close"] has tracked_'s trades as its keys, in order (false after a
  // trade joins or leaves): then a save only writes the numbers.
  bool state_keys_current_ = false;
  bool loaded_ = false;
  // state()["best_close"], found once: this worker's state has no other key, so the node does not
  // move (a lookup by name on every save cost about a third of it).
  nlohmann::ordered_json* best_node_ = nullptr;
  // A bar's stop moves, made after the state is saved; their reasons are [from, to) of move_text_
  // (both reused: no allocation per move).
  struct Move {
    TradeId id;
    Decimal stop;
    std::size_t from = 0, to = 0;
  };
  std::vector<Move> moves_;
  std::string move_text_;
};

}  // namespace st::plugins
