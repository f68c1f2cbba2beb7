#include "plugins/bollinger/bollinger.h"

#include <gtest/gtest.h>

#include <cmath>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

TEST(BollingerPlugin, PopulationAndSampleDeviationMatchTheReferenceOnOrcl) {
  testing::Harness h;
  h.add<Bollinger>(WorkerCategory::kContext, "bollinger", {{"output", std::string("p")}});
  h.add<Bollinger>(WorkerCategory::kContext, "bollinger", {{"ddof", std::int64_t{1}}, {"output", std::string("s")}});
  const auto& sc = h.schema();
  const auto t = testing::read_table(testing::shared_dir() + "/oracle/orcl_indicators.csv");
  const std::pair<const char*, const char*> checks[] = {
      {"p_mid", "bb20_mid"}, {"p_up", "bb20_up"}, {"p_lo", "bb20_lo"}, {"s_up", "bb20_up_ddof1"}, {"s_lo", "bb20_lo_ddof1"}};
  int compared = 0;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    h.push_close(t.number(r, "close"));
    for (auto [ours, theirs] : checks) {
      const double want = t.number(r, theirs);
      const double got = h.ctx().value(sc.require(ours));
      if (std::isnan(want)) {
        ASSERT_TRUE(std::isnan(got));
        continue;
      }
      ASSERT_NEAR(got, want, std::fabs(want) * 1e-9) << ours << " row " << r;
      ++compared;
    }
  }
  EXPECT_GT(compared, 5 * 5000);
}

}  // namespace
}  // namespace st::plugins
