#include "plugins/max_drawdown/max_drawdown.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(MaxDrawdownPlugin, RaisesOnlyWhileDrawdownIsAtOrBeyondTheLimit) {
  testing::Harness h;
  auto& w = h.add<MaxDrawdown>(WorkerCategory::kThreat, "max_drawdown",
                               {{"max_drawdown_percent", 10.0}, {"severity", std::string("CRITICAL")}});
  h.push_close(1);
  h.ledger.peak_ = Decimal::parse("1000");
  h.ledger.equity_ = Decimal::parse("901");
  testing::RecordingThreats t;
  w.process(h.ctx(), h.ledger, t);
  EXPECT_TRUE(t.got.empty());
  h.ledger.equity_ = Decimal::parse("900");
  w.process(h.ctx(), h.ledger, t);
  ASSERT_EQ(t.got.size(), 1u);
  EXPECT_EQ(t.got[0].threat_type, "MAX_DRAWDOWN_BREACHED");
  EXPECT_EQ(t.got[0].severity, Severity::kCritical);
  EXPECT_DOUBLE_EQ(t.got[0].details[0].second, 10.0);
}

TEST(MaxDrawdownPlugin, PauseBarsRebasesThePeakAfterThePause) {
  testing::Harness h;
  auto& w = h.add<MaxDrawdown>(WorkerCategory::kThreat, "max_drawdown",
                               {{"max_drawdown_percent", 10.0}, {"pause_bars", std::int64_t{3}}});
  h.push_close(1);
  h.ledger.peak_ = Decimal::parse("1000");
  h.ledger.equity_ = Decimal::parse("850");
  testing::RecordingThreats t;
  for (int i = 0; i < 5; ++i) w.process(h.ctx(), h.ledger, t);
  EXPECT_EQ(t.got.size(), 3u);  // three bars of pause, then cleared although the ledger's peak is unchanged
  h.ledger.equity_ = Decimal::parse("800");  // 5.9% below the new base of 850: no threat
  w.process(h.ctx(), h.ledger, t);
  EXPECT_EQ(t.got.size(), 3u);
  h.ledger.equity_ = Decimal::parse("760");  // 10.6% below 850: a new breach
  w.process(h.ctx(), h.ledger, t);
  EXPECT_EQ(t.got.size(), 4u);
}

// Bars with the same equity and peak as a quiet bar are skipped; one that changes either is
// decided again, and a breach is raised on every bar it lasts, unchanged values or not.
TEST(MaxDrawdownPlugin, UnchangedValuesDecideAsBefore) {
  testing::Harness h;
  auto& w = h.add<MaxDrawdown>(WorkerCategory::kThreat, "max_drawdown", {{"max_drawdown_percent", 10.0}});
  h.push_close(1);
  h.ledger.peak_ = Decimal::parse("1000");
  h.ledger.equity_ = Decimal::parse("901");
  testing::RecordingThreats t;
  for (int i = 0; i < 3; ++i) w.process(h.ctx(), h.ledger, t);
  EXPECT_TRUE(t.got.empty());
  h.ledger.peak_ = Decimal::parse("1002");  // the peak alone moves: 9.9% -> 10.08%
  w.process(h.ctx(), h.ledger, t);
  ASSERT_EQ(t.got.size(), 1u);
  for (int i = 0; i < 3; ++i) w.process(h.ctx(), h.ledger, t);
  EXPECT_EQ(t.got.size(), 4u);
  h.ledger.equity_ = Decimal::parse("901.0");  // the same value at another scale: decided again, the same
  w.process(h.ctx(), h.ledger, t);
  EXPECT_EQ(t.got.size(), 5u);
  h.ledger.equity_ = Decimal::parse("950");
  w.process(h.ctx(), h.ledger, t);
  w.process(h.ctx(), h.ledger, t);
  EXPECT_EQ(t.got.size(), 5u);
}

TEST(MaxDrawdownPlugin, LimitOutOfRangeIsRefusedByTheManifest) {
  testing::Harness h;
  EXPECT_THROW(h.add<MaxDrawdown>(WorkerCategory::kThreat, "max_drawdown", {{"max_drawdown_percent", 0.0}}), Error);
}

}  // namespace
}  // namespace st::plugins
