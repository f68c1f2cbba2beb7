#include "plugins/rsi/rsi.h"

#include <gtest/gtest.h>

#include <cmath>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

void expect_oracle(const std::string& method, const std::string& column) {
  testing::Harness h;
  h.add<Rsi>(WorkerCategory::kContext, "rsi", {{"method", method}, {"output", std::string("rsi")}});
  const auto col = h.schema().require("rsi");
  const auto t = testing::read_table(testing::shared_dir() + "/oracle/orcl_indicators.csv");
  int compared = 0;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    h.push_close(t.number(r, "close"));
    const double want = t.number(r, column);
    if (std::isnan(want)) {
      ASSERT_TRUE(std::isnan(h.ctx().value(col))) << r;
      continue;
    }
    ASSERT_NEAR(h.ctx().value(col), want, std::fabs(want) * 1e-9) << column << " row " << r;
    ++compared;
  }
  EXPECT_GT(compared, 5000);
}

TEST(RsiPlugin, WilderMatchesTheReferenceOnOrcl) { expect_oracle("wilder", "rsi14_wilder"); }
TEST(RsiPlugin, EwmMatchesPandasOnOrcl) { expect_oracle("ewm", "rsi14_ewm"); }

TEST(RsiPlugin, OnlyGainsGiveOneHundredAndAFlatSeriesFifty) {
  testing::Harness h;
  h.add<Rsi>(WorkerCategory::kContext, "rsi", {{"period", std::int64_t{3}}, {"output", std::string("up")}});
  h.add<Rsi>(WorkerCategory::kContext, "rsi", {{"period", std::int64_t{3}}, {"source", std::string("open")},
                                               {"output", std::string("flat")}});
  const auto up = h.schema().require("up"), flat = h.schema().require("flat");
  for (int i = 0; i < 5; ++i) h.push(7, 10.0 + i, 7, 10.0 + i);
  EXPECT_EQ(h.ctx().value(up), 100.0);
  EXPECT_EQ(h.ctx().value(flat), 50.0);
}

}  // namespace
}  // namespace st::plugins
