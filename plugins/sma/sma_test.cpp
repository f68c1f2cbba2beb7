#include "plugins/sma/sma.h"

#include <gtest/gtest.h>

#include <cmath>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(SmaPlugin, ExactSummationMatchesTheReferenceOnOrclBitForBit) {
  testing::Harness h;
  h.add<Sma>(WorkerCategory::kContext, "sma", {{"period", std::int64_t{10}}, {"output", std::string("s10")}});
  h.add<Sma>(WorkerCategory::kContext, "sma", {{"period", std::int64_t{30}}, {"output", std::string("s30")}});
  const auto s10 = h.schema().require("s10"), s30 = h.schema().require("s30");
  const auto t = testing::read_table(testing::shared_dir() + "/oracle/orcl_indicators.csv");
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    h.push_close(t.number(r, "close"));
    for (auto [col, name] : {std::pair{s10, "sma_10"}, std::pair{s30, "sma_30"}}) {
      const double want = t.number(r, name);
      if (std::isnan(want)) {
        ASSERT_TRUE(std::isnan(h.ctx().value(col)));
      } else {
        ASSERT_NEAR(h.ctx().value(col), want, std::fabs(want) * 1e-9) << name << " row " << r;
      }
    }
  }
}

TEST(SmaPlugin, ExactSumGivesTheTieTheRunningSumMisses) {
  // ORCL 2004-06-29: fsum gives SMA10 == SMA30 == 11.375 exactly (oracle README §2.2).
  testing::Harness h;
  h.add<Sma>(WorkerCategory::kContext, "sma", {{"period", std::int64_t{10}}, {"output", std::string("s10")}});
  h.add<Sma>(WorkerCategory::kContext, "sma", {{"period", std::int64_t{30}}, {"output", std::string("s30")}});
  const auto s10 = h.schema().require("s10"), s30 = h.schema().require("s30");
  const auto t = testing::read_table(testing::shared_dir() + "/oracle/orcl_indicators.csv");
  bool found = false;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    h.push_close(t.number(r, "close"));
    if (t.rows[r][0] == "2004-06-29T00:00:00Z") {
      EXPECT_EQ(h.ctx().value(s10), 11.375);
      EXPECT_EQ(h.ctx().value(s30), 11.375);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(ExactSum, AddAndRemoveStayExactlyRounded) {
  ExactSum s;
  s.add(1e16);
  s.add(1.0);
  s.add(-1e16);
  EXPECT_EQ(s.value(), 1.0);
  s.add(0.1);
  s.add(0.2);
  EXPECT_EQ(s.value(), 1.3);  // fsum([1, 0.1, 0.2]) == 1.3, naive gives 1.3000000000000003
  s.remove(1.0);
  EXPECT_EQ(s.value(), 0.30000000000000004);  // fsum([0.1, 0.2])
}

}  // namespace
}  // namespace st::plugins
