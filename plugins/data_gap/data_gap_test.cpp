#include "plugins/data_gap/data_gap.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(DataGapPlugin, RaisesAfterMissingBarsAndHolds) {
  testing::Harness h({"X", 2, 0, "USD", kNsPerHour});
  auto& w = h.add<DataGap>(WorkerCategory::kThreat, "data_gap",
                           {{"max_gap_bars", 2.0}, {"hold_bars", std::int64_t{2}}});
  auto& ctx = h.start();
  testing::RecordingThreats t;
  std::vector<std::size_t> counts;
  for (std::int64_t hour : {0, 1, 2, 3, 8, 9, 10, 11}) {
    ctx.push(Bar{Timestamp{hour * kNsPerHour}, 1, 1, 1, 1, 1});
    w.process(ctx, h.ledger, t);
    counts.push_back(t.got.size());
  }
  EXPECT_EQ(counts[3], 0u);
  EXPECT_EQ(counts[4], 1u);  // 5 hours after 03:00
  EXPECT_EQ(counts[5], 2u);  // held
  EXPECT_EQ(counts[6], 2u);
  EXPECT_DOUBLE_EQ(t.got[0].details[0].second, 5.0);
}

}  // namespace
}  // namespace st::plugins
