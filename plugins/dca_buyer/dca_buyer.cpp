#include "plugins/dca_buyer/dca_buyer.h"

#include <fmt/format.h>

#include <cmath>

#include "backend/api/plugin.h"

namespace st::plugins {

void DcaBuyer::on_scheduled(const ScheduledEvent& event, ExecutionContext& ctx) {
  const double close = ctx.market().bar().close;
  const int q = ctx.market().instrument().quantity_precision;
  const double units = std::floor(amount_ / close * std::pow(10.0, q)) / std::pow(10.0, q);
  ctx.open_scheduled_trade(event, Direction::kLong, Decimal::from_double(units, q),
                           fmt::format("buy {} {} of {} at market (reference close {})", amount_,
                                       ctx.market().instrument().quote_currency, ctx.market().instrument().symbol,
                                       close));
}

ST_REGISTER_PLUGIN("dca_buyer", DcaBuyer);

}  // namespace st::plugins
