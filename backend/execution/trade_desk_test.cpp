// TradeDesk: entry expiry (time in force, valid bars), stops relative to the fill, and the cash
// checks, through the real broker, ledger and journal.
#include "backend/execution/trade_desk.h"

#include <gtest/gtest.h>

#include "backend/execution/test_desk.h"
#include "backend/journal/reader.h"

namespace st {
namespace {

struct Desk : DeskParts {
  explicit Desk(DeskSettings s = {}) : DeskParts(s) {}
  std::int64_t hour = 0;

  void bar(double o, double h, double l, double c) {
    ctx.push(Bar{Timestamp{hour++ * kNsPerHour}, o, h, l, c, 1});
    desk.process_bar();
    desk.end_bar();
  }
  RoutedTradePlan limit_buy(const char* price, const char* size, std::string tif = "GTC", std::int64_t valid = 0) {
    RoutedTradePlan p;
    p.plan.trade_id = ids.next_id<TradeId>();
    p.plan.opportunity_id = ids.next_id<OpportunityId>();
    p.plan.entry_type = OrderType::kLimit;
    p.plan.entry_price = Decimal::parse(price);
    p.plan.size = Decimal::parse(size);
    p.plan.entry_valid_bars = valid;
    p.time_in_force = std::move(tif);
    return p;
  }
  std::vector<std::string> types() const {
    std::vector<std::string> t;
    for (const auto& l : out.lines()) t.push_back(journal::parse_journal(l, "j")[0]["event_type"]);
    return t;
  }
  std::string last_reason() const {
    for (auto it = out.lines().rbegin(); it != out.lines().rend(); ++it) {
      auto e = journal::parse_journal(*it, "j")[0];
      if (e.contains("reason")) return e["reason"];
    }
    return "";
  }
};

TEST(TradeDesk, LimitEntryExpiresAfterItsValidBars) {
  Desk d;
  d.bar(100, 101, 99, 100);
  d.desk.open_trade(d.limit_buy("95", "1", "GTC", 2));
  d.bar(100, 101, 98, 100);  // try 1: low 98 > 95
  d.bar(100, 101, 97, 100);  // try 2
  d.bar(100, 101, 90, 100);  // would fill, but it expired before this bar
  EXPECT_EQ(d.types().back(), "ORDER_CANCELLED");
  EXPECT_EQ(d.last_reason(), "not filled within 2 bars");
  EXPECT_TRUE(d.ledger.open_positions().empty());
}

TEST(TradeDesk, IocGetsOneBarAndDayEndsWithTheUtcDay) {
  Desk d;
  d.bar(100, 101, 99, 100);
  d.desk.open_trade(d.limit_buy("95", "1", "IOC"));
  d.bar(100, 101, 98, 100);
  d.bar(100, 101, 90, 100);
  EXPECT_NE(d.last_reason().find("IOC"), std::string::npos);
  EXPECT_TRUE(d.ledger.open_positions().empty());

  Desk day;
  day.hour = 20;  // 20:00 UTC
  day.bar(100, 101, 99, 100);
  day.desk.open_trade(day.limit_buy("95", "1", "DAY"));
  for (int i = 0; i < 3; ++i) day.bar(100, 101, 98, 100);  // 21:00, 22:00, 23:00: still the same day
  EXPECT_NE(day.types().back(), "ORDER_CANCELLED");
  day.bar(100, 101, 90, 100);  // 00:00 the next day: expired first
  EXPECT_NE(day.last_reason().find("DAY"), std::string::npos);
  EXPECT_TRUE(day.ledger.open_positions().empty());
}

TEST(TradeDesk, StopFractionIsAppliedToTheFillPrice) {
  Desk d;
  d.bar(100, 101, 99, 100);
  RoutedTradePlan p;
  p.plan.trade_id = d.ids.next_id<TradeId>();
  p.plan.opportunity_id = d.ids.next_id<OpportunityId>();
  p.plan.size = Decimal::parse("10");
  p.plan.stop_loss_fraction = Decimal::parse("0.05");
  d.desk.open_trade(p);
  d.bar(102.37, 103, 101, 102);  // fills at the open 102.37
  ASSERT_EQ(d.ledger.open_positions().size(), 1u);
  EXPECT_EQ(d.ledger.open_positions()[0].stop_loss, Decimal::parse("97.2515"));  // 102.37 x 0.95, exact
  d.bar(99, 99, 97.2, 98);  // low touches the trigger: fills at exactly it
  EXPECT_TRUE(d.ledger.open_positions().empty());
  EXPECT_EQ(d.desk.trades().back().exit_price, Decimal::parse("97.2515"));
  EXPECT_EQ(d.desk.trades().back().exit_reason, "stop_loss");
}

TEST(TradeDesk, CashCheckBothRejectsAtSubmissionAndAtTheFill) {
  Desk d(DeskSettings{CashCheckMode::kBoth, false, false});
  d.bar(100, 101, 99, 100);
  RoutedTradePlan big;
  big.plan.trade_id = d.ids.next_id<TradeId>();
  big.plan.size = Decimal::parse("100");  // 10000 + fee > 10000 cash at the signal close
  d.desk.open_trade(big);
  // 100 x 100 plus the 0.1 % fee, against the cash; the decimals as to_string writes them.
  EXPECT_EQ(d.last_reason(), "insufficient cash at submission: needs 10010, has 10000");
  RoutedTradePlan gap;
  gap.plan.trade_id = d.ids.next_id<TradeId>();
  gap.plan.size = Decimal::parse("99");  // affordable at 100, not at an open of 102
  d.desk.open_trade(gap);
  d.bar(102, 103, 101, 102);
  EXPECT_EQ(d.last_reason(), "insufficient cash at fill: needs 10108.098, has 10000");  // 99 x 102 + 0.1 %
  EXPECT_TRUE(d.ledger.open_positions().empty());
}

}  // namespace
}  // namespace st
