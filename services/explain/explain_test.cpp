#include "services/explain/explain.h"

#include <gtest/gtest.h>

#include <fstream>

#include "backend/core/diagnostics.h"
#include "backend/journal/journal.h"
#include "backend/journal/reader.h"

namespace st {
namespace {

// A small journal written with the real writer: a trade opened on an opportunity, a stop moved,
// a second opportunity rejected while it was open, and a threat that forced the exit.
std::vector<JournalEntry> sample(TradeId& trade_out, const std::string* file = nullptr) {
  MemoryJournalPersistor out;
  StrategyJournal j(out);
  IdGenerator ids(7);
  const auto opp = ids.next_id<OpportunityId>();
  const auto opp2 = ids.next_id<OpportunityId>();
  const auto trade = ids.next_id<TradeId>();
  const auto threat = ids.next_id<ThreatId>();
  trade_out = trade;
  auto t = [](int day) { return Timestamp::from_seconds(day * 86400LL); };
  j.entry(t(0), "RUN_STARTED", {}).str("link", "trend").str("blueprint", "trend_follower").commit();
  j.entry(t(1), "OPPORTUNITY_DETECTED", {opp, {}, {}, {}})
      .str("worker", "ma_cross")
      .str("signal_type", "ma_cross_up")
      .str("direction", "LONG")
      .num("strength", 1)
      .num("price", 101)
      .details("details", {{"fast", 101.5}, {"slow", 100.9}})
      .commit();
  j.entry(t(1), "TRADE_PLANNED", {opp, trade, {}, {}})
      .str("direction", "LONG")
      .begin_object("rationale")
      .str("size", "risk 1% of equity")
      .end_object()
      .commit();
  j.entry(t(2), "ORDER_FILLED", {opp, trade, {}, {}}).integer("order_id", 1).commit();
  j.entry(t(2), "TRADE_OPENED", {opp, trade, {}, {}}).str("direction", "LONG").dec("entry_fee", Decimal::parse("1")).commit();
  j.entry(t(3), "STOP_MOVED", {opp, trade, {}, {}}).str("worker", "trailing_stop").commit();
  j.entry(t(4), "OPPORTUNITY_DETECTED", {opp2, {}, {}, {}}).str("worker", "ma_cross").commit();
  j.entry(t(4), "OPPORTUNITY_REJECTED", {opp2, {}, {}, {}})
      .str("worker", "market_entry")
      .str("phase", "entry")
      .str("reason", "max_open_trades reached")
      .commit();
  j.entry(t(5), "THREAT_DETECTED", {{}, {}, threat, {}})
      .str("worker", "max_drawdown")
      .str("threat_type", "MAX_DRAWDOWN_BREACHED")
      .str("severity", "CRITICAL")
      .str("message", "drawdown 12% > 10%")
      .commit();
  j.entry(t(6), "TRADE_CLOSED", {opp, trade, threat, {}})
      .str("exit_reason", "threat")
      .dec("pnl_net", Decimal::parse("-12.5"))
      .str("worker", "emergency_exit")
      .commit();
  j.entry(t(7), "OPPORTUNITY_REJECTED", {opp2, {}, {}, {}}).str("worker", "x").str("reason", "after the close").commit();
  std::string text;
  for (const auto& l : out.lines()) text += l;
  if (file != nullptr) std::ofstream(file->c_str(), std::ios::binary) << text;
  return journal::parse_journal(text, "mem");
}

TEST(Explain, FindsWhyATradeOpenedWhatHappenedAndWhatClosedIt) {
  TradeId trade;
  const auto entries = sample(trade);
  const auto x = explain_trade(entries, trade.to_string());
  EXPECT_EQ(x.opportunity["worker"], "ma_cross");
  EXPECT_EQ(x.threat["threat_type"], "MAX_DRAWDOWN_BREACHED");
  EXPECT_EQ(x.stops.size(), 1u);
  ASSERT_EQ(x.rejected_while_open.size(), 1u);
  EXPECT_EQ(x.rejected_while_open[0]["reason"], "max_open_trades reached");
  const std::string text = render_text(x);
  for (const char* needle : {"ma_cross_up", "fast=101.5", "risk 1% of equity", "trailing_stop",
                             "max_open_trades reached", "MAX_DRAWDOWN_BREACHED", "drawdown 12% > 10%", "-12.5",
                             "by emergency_exit"})
    EXPECT_NE(text.find(needle), std::string::npos) << needle << "\n" << text;
  const auto j = render_json(x);
  EXPECT_EQ(j["status"], "closed");
  EXPECT_EQ(j["trade_id"], trade.to_string());
}

TEST(Explain, FromAFileParsesOnlyWhatMattersAndSaysTheSame) {
  const std::string path = std::string(ST_BINARY_DIR) + "/explain_test.jsonl";
  TradeId trade;
  const auto entries = sample(trade, &path);
  const auto streamed = explain_trade_in_file(path, trade.to_string());
  ASSERT_TRUE(streamed.has_value());
  EXPECT_EQ(render_json(*streamed).dump(), render_json(explain_trade(entries, trade.to_string())).dump());
  ASSERT_EQ(streamed->rejected_while_open.size(), 1u);  // found by time: it names no id of the trade
  EXPECT_EQ(streamed->threats_while_open.size(), 1u);
  EXPECT_FALSE(explain_trade_in_file(path, "00000000-0000-4000-8000-000000000000"));
  // A torn last line is what a crash leaves: skipped. A malformed line the explanation reads is
  // an error naming it.
  std::ofstream(path, std::ios::app) << R"({"seq":99,"event_type":"TRADE_CLOSED","trade_id":")" << trade.to_string();
  EXPECT_TRUE(explain_trade_in_file(path, trade.to_string()));
  std::ofstream(path, std::ios::app) << "\n";
  try {
    explain_trade_in_file(path, trade.to_string());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("explain_test.jsonl:12:"), std::string::npos) << e.what();
  }
}

TEST(Explain, UnknownTradeIsAClearError) {
  TradeId trade;
  const auto entries = sample(trade);
  try {
    explain_trade(entries, "00000000-0000-4000-8000-000000000000");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not found"), std::string::npos);
  }
}

}  // namespace
}  // namespace st
