#include "backend/execution/backtest_environment.h"

#include <fmt/format.h>

#include "backend/core/diagnostics.h"
#include "backend/core/time.h"

namespace st {

BacktestEnvironment::BacktestEnvironment(BarSource& source, TradingContext& context, TradeDesk& desk,
                                         StrategyLedger& ledger, IEventHandler& handler)
    : source_(&source), context_(&context), desk_(&desk), ledger_(&ledger), handler_(&handler) {}

std::int64_t BacktestEnvironment::run(FunctionRef<void(const TradingContext&)> on_bar, bool every_bar,
                                      FunctionRef<void(std::span<const Bar>, std::int64_t)> on_batch) {
  std::int64_t n = 0;
  for (auto batch = source_->next_span(kBatch); !batch.empty(); batch = source_->next_span(kBatch)) {
    if (n == 0) first_time_ = batch.front().time;
    try {
      if (on_batch) on_batch(batch, context_->bar_index() + 1);
      for (const Bar& bar : batch) {
        context_->push(bar);
        desk_->process_bar();
        ledger_->mark(bar.close);  // the strategy decides at the close: equity marked there
        handler_->publish(events::ContextReady{context_});
        handler_->publish(events::BarClosed{context_});
        desk_->process_close();
        desk_->end_bar();
        handler_->publish(events::LedgerStateChanged{ledger_});
        ++n;
        if (every_bar) on_bar(*context_);
      }
      if (!every_bar) on_bar(*context_);
    } catch (const BarError&) {
      throw;
    } catch (const std::exception& e) {  // the desk's, the ledger's, the runner's own: say where
      throw BarError(fmt::format("at bar {} ({}): {}", context_->bar_index(), format_iso(context_->time()), e.what()));
    }
  }
  return n;
}

}  // namespace st
