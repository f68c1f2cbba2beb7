#include "plugins/rsi_reversion/rsi_reversion.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(RsiReversionPlugin, LongOnTheCrossBackAboveOversoldAndExitAtTheExitLevel) {
  testing::Harness h;
  h.schema().add_column("rsi", "test");
  auto& w = h.add<RsiReversion>(WorkerCategory::kOpportunity, "rsi_reversion",
                                {{"rsi", std::string("rsi")}, {"direction", std::string("both")}});
  auto& ctx = h.start();
  const ColumnId rsi = h.schema().require("rsi");
  testing::RecordingSignals s;
  std::vector<std::size_t> counts;
  for (double v : {45.0, 29.0, 25.0, 31.0, 40.0, 52.0, 75.0, 69.0, 55.0, 49.0}) {
    h.push_close(100);
    ctx.set(rsi, v);
    w.process(ctx, s);
    counts.push_back(s.got.size());
  }
  ASSERT_EQ(s.got.size(), 4u);
  EXPECT_EQ(s.got[0].signal_type, "rsi_oversold_reversal");  // 25 -> 31
  EXPECT_EQ(counts[3], 1u);
  EXPECT_TRUE(s.got[1].exit);  // 40 -> 52 crosses the exit level 50
  EXPECT_EQ(s.got[2].signal_type, "rsi_overbought_reversal");  // 75 -> 69
  EXPECT_TRUE(s.got[3].exit);  // 55 -> 49: shorts exit at 50
}

TEST(RsiReversionPlugin, InconsistentLevelsAreRefused) {
  testing::Harness h;
  h.schema().add_column("rsi", "test");
  EXPECT_THROW(h.add<RsiReversion>(WorkerCategory::kOpportunity, "rsi_reversion",
                                   {{"rsi", std::string("rsi")}, {"oversold", 80.0}}),
               Error);
}

}  // namespace
}  // namespace st::plugins
