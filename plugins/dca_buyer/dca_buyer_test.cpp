#include "plugins/dca_buyer/dca_buyer.h"

#include <gtest/gtest.h>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(DcaBuyerPlugin, BuysTheQuoteAmountFlooredToTheQuantityPrecision) {
  testing::Harness h;  // quantity precision 2
  auto& w = h.add<DcaBuyer>(WorkerCategory::kExecution, "dca_buyer", {{"quote_amount", 100.0}});
  h.push_close(30);
  testing::FakeExecution exec(h.ctx(), h.ledger);
  ScheduledEvent e;
  e.scheduled_id = ScheduledId{Uuid{9, 9}};
  e.event = "WEEKLY_DCA_TICK";
  w.on_scheduled(e, exec);
  ASSERT_EQ(exec.scheduled.size(), 1u);
  EXPECT_EQ(exec.scheduled[0].id, e.scheduled_id);
  EXPECT_EQ(exec.scheduled[0].quantity, Decimal::parse("3.33"));
}

}  // namespace
}  // namespace st::plugins
