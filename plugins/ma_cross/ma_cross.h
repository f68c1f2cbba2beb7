#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class MaCross final : public OpportunityWorker {
 public:
  void bind(BindContext& ctx) override;
  void process(const TradingContext& ctx, SignalSink& out) override;

 private:
  // A cross (a few bars in a thousand): out of line, so the per-bar test stays small.
  [[gnu::noinline]] void emit_cross(const TradingContext& ctx, SignalSink& out, bool up, double fast, double slow);
  ColumnId fast_ = 0, slow_ = 0;
  bool longs_ = true, shorts_ = false;
  double last_nonzero_ = 0;
  bool seeded_ = false;
};

}  // namespace st::plugins
