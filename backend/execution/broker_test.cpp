#include "backend/execution/broker.h"

#include <gtest/gtest.h>

namespace st {
namespace {

Bar bar(double o, double h, double l, double c) { return {Timestamp::from_seconds(86400), o, h, l, c, 1000}; }
Decimal px(const char* s) { return Decimal::parse(s, 4); }

Order order(OrderSide side, OrderType type, const char* qty, const char* price = "0", std::uint64_t oco = 0) {
  Order o;
  o.side = side;
  o.type = type;
  o.quantity = Decimal::parse(qty, 0);
  o.price = px(price);
  o.oco_group = oco;
  return o;
}

struct Harness {
  explicit Harness(BrokerSettings s = {0.0, Decimal(), 0.0, 4, 8}) : broker(s) {}
  SimulatedBroker broker;
  std::vector<BrokerFill> fills;
  std::vector<Order> cancelled;
  void step(const Bar& b) {
    broker.process_bar(b, [&](const BrokerFill& f) { fills.push_back(f); return std::optional<std::string>(); },
                       cancelled);
  }
};

TEST(SimulatedBroker, MarketOrderFillsAtTheNextBarsOpen) {
  Harness h;
  h.broker.submit(order(OrderSide::kBuy, OrderType::kMarket, "10"));
  h.step(bar(101.5, 103, 100, 102));
  ASSERT_EQ(h.fills.size(), 1u);
  EXPECT_EQ(h.fills[0].price, px("101.5"));
  EXPECT_TRUE(h.broker.pending().empty());
}

TEST(SimulatedBroker, SellStopFillsAtTheTriggerWhenTheLowReachesIt) {
  Harness h;
  h.broker.submit(order(OrderSide::kSell, OrderType::kStop, "10", "95"));
  h.step(bar(100, 101, 96, 97));  // not reached: stays
  EXPECT_TRUE(h.fills.empty());
  h.step(bar(98, 99, 94, 95.5));
  ASSERT_EQ(h.fills.size(), 1u);
  EXPECT_EQ(h.fills[0].price, px("95"));
  EXPECT_FALSE(h.fills[0].gap);
}

TEST(SimulatedBroker, SellStopGappedThroughFillsAtTheWorseOpen) {
  Harness h;
  h.broker.submit(order(OrderSide::kSell, OrderType::kStop, "10", "95"));
  h.step(bar(93, 94, 90, 91));
  ASSERT_EQ(h.fills.size(), 1u);
  EXPECT_EQ(h.fills[0].price, px("93"));
  EXPECT_TRUE(h.fills[0].gap);
}

TEST(SimulatedBroker, BuyLimitFillsAtTheLimitOrAtABetterOpen) {
  Harness h;
  h.broker.submit(order(OrderSide::kBuy, OrderType::kLimit, "1", "50"));
  h.broker.submit(order(OrderSide::kBuy, OrderType::kLimit, "1", "60"));
  h.step(bar(55, 56, 49, 52));
  ASSERT_EQ(h.fills.size(), 2u);
  EXPECT_EQ(h.fills[0].price, px("50"));  // touched
  EXPECT_EQ(h.fills[1].price, px("55"));  // open already below the limit: the open
  EXPECT_TRUE(h.fills[1].gap);
}

TEST(SimulatedBroker, BuyStopTriggersOnTheHigh) {
  Harness h;
  h.broker.submit(order(OrderSide::kBuy, OrderType::kStop, "1", "105"));
  h.step(bar(100, 104, 99, 103));
  EXPECT_TRUE(h.fills.empty());
  h.step(bar(104, 107, 103, 106));
  ASSERT_EQ(h.fills.size(), 1u);
  EXPECT_EQ(h.fills[0].price, px("105"));
}

TEST(SimulatedBroker, StopLimitBecomesALimitWhenItsLimitIsOutOfReach) {
  Harness h;
  Order o = order(OrderSide::kBuy, OrderType::kStopLimit, "1", "105");
  o.limit_price = px("104");
  h.broker.submit(o);
  h.step(bar(100, 108, 104.5, 107));  // triggers at 105, but never trades at 104 or below
  EXPECT_TRUE(h.fills.empty());
  ASSERT_EQ(h.broker.pending().size(), 1u);
  EXPECT_EQ(h.broker.pending()[0].type, OrderType::kLimit);
  h.step(bar(106, 106, 103, 104));
  ASSERT_EQ(h.fills.size(), 1u);
  EXPECT_EQ(h.fills[0].price, px("104"));
}

TEST(SimulatedBroker, OneCancelsOtherWhenStopAndTargetAreBothInTheBar) {
  Harness h;
  h.broker.submit(order(OrderSide::kSell, OrderType::kStop, "1", "95", 7));
  h.broker.submit(order(OrderSide::kSell, OrderType::kLimit, "1", "110", 7));
  h.step(bar(100, 111, 94, 100));  // both touched: the stop (submitted first) wins, conservatively
  ASSERT_EQ(h.fills.size(), 1u);
  EXPECT_EQ(h.fills[0].order.type, OrderType::kStop);
  ASSERT_EQ(h.cancelled.size(), 1u);
  EXPECT_EQ(h.cancelled[0].type, OrderType::kLimit);
  EXPECT_TRUE(h.broker.pending().empty());
}

TEST(SimulatedBroker, PercentageAndFixedFeesAreExact) {
  Harness h(BrokerSettings{0.1, Decimal::parse("1.5"), 0.0, 4, 8});
  h.broker.submit(order(OrderSide::kBuy, OrderType::kMarket, "10"));
  h.step(bar(13.81, 14, 13, 13.9));
  ASSERT_EQ(h.fills.size(), 1u);
  // 10 * 13.81 * 0.001 + 1.5 = 0.1381 + 1.5
  EXPECT_EQ(h.fills[0].fee, Decimal::parse("1.6381"));
}

TEST(SimulatedBroker, SlippageMovesMarketFillsAgainstTheOrder) {
  Harness h(BrokerSettings{0.0, Decimal(), 10.0, 4, 8});  // 10 bps
  h.broker.submit(order(OrderSide::kBuy, OrderType::kMarket, "1"));
  h.broker.submit(order(OrderSide::kSell, OrderType::kMarket, "1"));
  h.step(bar(100, 101, 99, 100));
  ASSERT_EQ(h.fills.size(), 2u);
  EXPECT_EQ(h.fills[0].price, px("100.1"));
  EXPECT_EQ(h.fills[1].price, px("99.9"));
}

TEST(SimulatedBroker, RefusedFillsLeaveTheBookUnfilled) {
  SimulatedBroker broker({0.0, Decimal(), 0.0, 4, 8});
  broker.submit(order(OrderSide::kBuy, OrderType::kMarket, "1"));
  std::vector<Order> cancelled;
  int calls = 0;
  broker.process_bar(bar(10, 11, 9, 10), [&](const BrokerFill&) {
    ++calls;
    return std::optional<std::string>("insufficient cash");
  }, cancelled);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(broker.pending().empty());
}

TEST(SimulatedBroker, FillOnCloseFillsOnlyMarketOrdersAtTheClose) {
  SimulatedBroker broker({0.0, Decimal(), 0.0, 4, 8});
  broker.submit(order(OrderSide::kBuy, OrderType::kMarket, "1"));
  broker.submit(order(OrderSide::kSell, OrderType::kStop, "1", "5"));
  std::vector<BrokerFill> fills;
  broker.fill_market_at_close(bar(10, 11, 9, 10.5), [&](const BrokerFill& f) {
    fills.push_back(f);
    return std::optional<std::string>();
  });
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].price, px("10.5"));
  EXPECT_EQ(broker.pending().size(), 1u);
}

}  // namespace
}  // namespace st
