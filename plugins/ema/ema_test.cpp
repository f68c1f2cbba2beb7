#include "plugins/ema/ema.h"

#include <gtest/gtest.h>

#include <cmath>

#include "plugins/testing/harness.h"

namespace st::plugins {
namespace {

void expect_matches_oracle(const std::string& seed, int period, const std::string& oracle_column) {
  testing::Harness h;
  h.add<Ema>(WorkerCategory::kContext, "ema",
             {{"period", std::int64_t{period}}, {"seed", seed}, {"output", std::string("ema")}});
  const auto col = h.schema().require("ema");
  const auto table = testing::read_table(testing::shared_dir() + "/oracle/orcl_indicators.csv");
  int compared = 0;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    h.push_close(table.number(r, "close"));
    const double want = table.number(r, oracle_column);
    const double got = h.ctx().value(col);
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(got)) << "row " << r;
      continue;
    }
    ASSERT_NEAR(got, want, std::fabs(want) * 1e-9) << oracle_column << " row " << r;
    ++compared;
  }
  EXPECT_GT(compared, 5000);
}

TEST(EmaPlugin, SmaSeedMatchesTheReferenceEngineOnOrcl) {
  expect_matches_oracle("sma", 10, "ema_10_smaseed");
  expect_matches_oracle("sma", 30, "ema_30_smaseed");
}

TEST(EmaPlugin, FirstValueSeedMatchesPandasAdjustFalse) {
  expect_matches_oracle("first", 10, "ema_10_adjF");
  expect_matches_oracle("first", 30, "ema_30_adjF");
}

TEST(EmaPlugin, AdjustedMatchesPandasAdjustTrue) {
  expect_matches_oracle("adjusted", 10, "ema_10_adjT");
  expect_matches_oracle("adjusted", 30, "ema_30_adjT");
}

TEST(EmaPlugin, IsNaNDuringWarmUpAndRespondsToTheSource) {
  testing::Harness h;
  h.add<Ema>(WorkerCategory::kContext, "ema",
             {{"period", std::int64_t{3}}, {"source", std::string("high")}, {"output", std::string("e")}});
  const auto col = h.schema().require("e");
  h.push(1, 10, 1, 1);
  h.push(1, 20, 1, 1);
  EXPECT_TRUE(std::isnan(h.ctx().value(col)));
  h.push(1, 30, 1, 1);
  EXPECT_DOUBLE_EQ(h.ctx().value(col), 20.0);
  h.push(1, 40, 1, 1);
  EXPECT_DOUBLE_EQ(h.ctx().value(col), 0.5 * 40 + 0.5 * 20);
}

TEST(EmaPlugin, RefusesAnOutputColumnThatExists) {
  testing::Harness h;
  EXPECT_THROW(h.add<Ema>(WorkerCategory::kContext, "ema", {{"output", std::string("close")}}), Error);
}

// In blocks (ContextWorker::process_block) the EMA gives bar by bar's values bit for bit: every
// seed, periods longer than a block, blocks of one bar, of odd sizes and full ones, two EMAs.
TEST(EmaPlugin, BlocksGiveTheBarByBarValues) {
  const auto bars = testing::random_bars(3000, 11);
  for (const std::string seed : {"sma", "first", "adjusted"})
    for (const std::int64_t period : {1, 5, 300}) {
      SCOPED_TRACE(seed + " " + std::to_string(period));
      testing::expect_blocks_match_bars(
          {{"ema", {{"period", period}, {"seed", seed}, {"source", std::string("close")}, {"output", std::string("e")}}}},
          bars, {256, 1, 7, 255, 100});
    }
  testing::expect_blocks_match_bars(  // two EMAs, of the high and of the volume
      {{"ema", {{"period", std::int64_t{20}}, {"source", std::string("high")}, {"output", std::string("e20")}}},
       {"ema", {{"period", std::int64_t{9}}, {"source", std::string("volume")}, {"output", std::string("v9")}}}},
      bars, {256});
}

}  // namespace
}  // namespace st::plugins
