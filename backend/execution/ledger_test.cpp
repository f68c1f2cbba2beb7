#include "backend/execution/ledger.h"

#include <gtest/gtest.h>

#include "backend/core/diagnostics.h"

namespace st {
namespace {

Position long_position(const char* size, const char* price, const char* fee) {
  Position p;
  p.trade_id = TradeId{Uuid{1, 1}};
  p.direction = Direction::kLong;
  p.size = Decimal::parse(size);
  p.entry_price = Decimal::parse(price);
  p.entry_fee = Decimal::parse(fee);
  return p;
}

TEST(StrategyLedger, LongRoundTripIsExact) {
  StrategyLedger ledger(Decimal::parse("1000"), 8);
  ledger.open(long_position("3", "13.81", "0.04143"));
  EXPECT_EQ(ledger.cash(), Decimal::parse("958.52857"));
  ledger.mark(14.0);
  EXPECT_EQ(ledger.equity(), Decimal::parse("1000.52857"));
  const auto c = ledger.close(TradeId{Uuid{1, 1}}, Decimal::parse("14.1"), Decimal::parse("0.0423"), {});
  EXPECT_EQ(c.pnl_gross, Decimal::parse("0.87"));
  EXPECT_EQ(c.pnl_net, Decimal::parse("0.78627"));
  EXPECT_EQ(ledger.cash(), Decimal::parse("1000.78627"));
  EXPECT_EQ(ledger.realized_pnl(), Decimal::parse("0.78627"));
  EXPECT_EQ(ledger.fees_paid(), Decimal::parse("0.08373"));
  EXPECT_TRUE(ledger.open_positions().empty());
  EXPECT_EQ(ledger.recent_closed().size(), 1u);
}

TEST(StrategyLedger, PeakEquityFollowsTheHighestMark) {
  StrategyLedger ledger(Decimal::parse("100"), 8);
  ledger.open(long_position("1", "50", "0"));
  ledger.mark(70);
  ledger.mark(40);
  EXPECT_EQ(ledger.equity(), Decimal::parse("90"));
  EXPECT_EQ(ledger.peak_equity(), Decimal::parse("120"));
}

TEST(StrategyLedger, ShortPositionGainsWhenPriceFalls) {
  StrategyLedger ledger(Decimal::parse("100"), 8);
  Position p = long_position("2", "10", "0");
  p.direction = Direction::kShort;
  ledger.open(p);
  ledger.mark(8);
  EXPECT_EQ(ledger.equity(), Decimal::parse("104"));
  const auto c = ledger.close(p.trade_id, Decimal::parse("8"), Decimal(), {});
  EXPECT_EQ(c.pnl_gross, Decimal::parse("4"));
  EXPECT_EQ(ledger.cash(), Decimal::parse("104"));
}

// mark() skips a repeat at the same close only when nothing changed: a position opened, closed
// or reached through find() (which hands out a mutable pointer) makes the next mark recompute.
TEST(StrategyLedger, ARepeatedMarkRecomputesAfterAnyChange) {
  StrategyLedger ledger(Decimal::parse("100"), 8);
  ledger.mark(50);
  EXPECT_EQ(ledger.equity(), Decimal::parse("100"));
  ledger.open(long_position("1", "50", "0"));
  ledger.mark(50);  // same close, a new position: 50 cash + 50 in the position
  EXPECT_EQ(ledger.equity(), Decimal::parse("100"));
  ledger.mark(60);
  EXPECT_EQ(ledger.equity(), Decimal::parse("110"));
  ledger.find(TradeId{Uuid{1, 1}})->size = Decimal::parse("2");
  ledger.mark(60);  // same close, the size changed through find()
  EXPECT_EQ(ledger.equity(), Decimal::parse("170"));
  EXPECT_EQ(ledger.peak_equity(), Decimal::parse("170"));
  ledger.close(TradeId{Uuid{1, 1}}, Decimal::parse("60"), Decimal(), {});
  ledger.mark(60);
  EXPECT_EQ(ledger.equity(), Decimal::parse("170"));
  EXPECT_EQ(ledger.cash(), Decimal::parse("170"));
  ledger.mark(70);  // flat: new closes leave the equity at the cash
  ledger.mark(80);
  EXPECT_EQ(ledger.equity(), Decimal::parse("170"));
  ledger.open(long_position("1", "80", "0"));  // opened at the last close seen while flat
  ledger.mark(80);
  EXPECT_EQ(ledger.equity(), Decimal::parse("170"));
  ledger.mark(100);
  EXPECT_EQ(ledger.equity(), Decimal::parse("190"));
  EXPECT_EQ(ledger.peak_equity(), Decimal::parse("190"));
}

TEST(StrategyLedger, ClosingAnUnknownTradeIsAnError) {
  StrategyLedger ledger(Decimal::parse("100"), 8);
  EXPECT_THROW(ledger.close(TradeId{Uuid{9, 9}}, Decimal::parse("1"), Decimal(), {}), Error);
}

}  // namespace
}  // namespace st
