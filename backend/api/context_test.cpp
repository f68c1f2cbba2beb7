#include "backend/api/context.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "backend/core/diagnostics.h"

namespace st {
namespace {

// The context against a plain record of every bar: values at every lag the depth holds, NaN
// beyond it and for enrichment columns not written on a bar, with few columns (one padded row)
// and with more than a row's first eight.
TEST(TradingContext, ValuesAtEveryLagMatchARecordOfTheBars) {
  for (const std::size_t extra : {0u, 1u, 3u, 4u, 11u}) {
    ContextSchema schema;
    for (std::size_t k = 0; k < extra; ++k) schema.add_column("x" + std::to_string(k), "test");
    schema.require_history(5);  // depth 8
    TradingContext ctx(schema, InstrumentInfo{});
    ASSERT_EQ(ctx.depth(), 8u);
    const std::size_t n = ctx.column_count();
    ASSERT_EQ(n, 5 + extra);
    // Bar t's column c: 1000 t + c; enrichment column c is written on bars where (t + c) % 3 != 0.
    const auto expected = [](std::int64_t t, std::size_t c) {
      if (c >= columns::kFirstEnrichment && (t + static_cast<std::int64_t>(c)) % 3 == 0) return TradingContext::kNaN;
      return 1000.0 * static_cast<double>(t) + static_cast<double>(c);
    };
    for (std::int64_t t = 0; t < 40; ++t) {
      Bar b;
      b.time = Timestamp{t};
      b.open = expected(t, columns::kOpen), b.high = expected(t, columns::kHigh), b.low = expected(t, columns::kLow);
      b.close = expected(t, columns::kClose), b.volume = expected(t, columns::kVolume);
      ctx.push(b);
      for (std::size_t c = 0; c < n; ++c) {  // a new bar: its prices, and no enrichment yet
        const double got = ctx.value(static_cast<ColumnId>(c));
        if (c < columns::kFirstEnrichment) EXPECT_EQ(got, expected(t, c));
        else EXPECT_TRUE(std::isnan(got)) << "extra " << extra << " bar " << t << " column " << c;
      }
      for (std::size_t c = columns::kFirstEnrichment; c < n; ++c)
        if (!std::isnan(expected(t, c))) ctx.set(static_cast<ColumnId>(c), expected(t, c));
      for (std::size_t lag = 0; lag < 10; ++lag)
        for (std::size_t c = 0; c < n; ++c) {
          const double got = ctx.value(static_cast<ColumnId>(c), lag);
          if (lag > static_cast<std::size_t>(t) || lag >= ctx.depth()) {
            EXPECT_TRUE(std::isnan(got)) << "extra " << extra << " bar " << t << " lag " << lag << " column " << c;
            continue;
          }
          const double want = expected(t - static_cast<std::int64_t>(lag), c);
          if (std::isnan(want)) EXPECT_TRUE(std::isnan(got)) << "bar " << t << " lag " << lag << " column " << c;
          else EXPECT_EQ(got, want) << "extra " << extra << " bar " << t << " lag " << lag << " column " << c;
        }
    }
  }
}

// What process_block sees: OHLCV read across the bars, a column only once a worker wrote it
// (and kept it), and only its own columns to write.
TEST(ContextBlock, InputsOutputsAndOwnership) {
  ContextSchema schema;
  const ColumnId mine = schema.add_column("mine", "w1");
  const ColumnId theirs = schema.add_column("theirs", "w2");
  ContextBlock block(schema, 8);
  std::vector<Bar> bars(5);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    bars[i].open = 1.0 + i, bars[i].high = 2.0 + i, bars[i].low = 3.0 + i, bars[i].close = 4.0 + i;
    bars[i].volume = 5.0 + i;
  }
  block.begin(bars, 40);
  EXPECT_EQ(block.size(), 5u);
  EXPECT_EQ(block.first_index(), 40);
  const auto close = block.input(columns::kClose);
  ASSERT_TRUE(close);
  EXPECT_EQ(close[3], 7.0);
  EXPECT_EQ(block.input(columns::kVolume)[4], 9.0);
  EXPECT_FALSE(block.input(mine));  // nobody wrote it yet
  const std::string w1 = "w1", w2 = "w2";
  block.set_worker(&w1);
  EXPECT_THROW(block.output(theirs), Error);
  EXPECT_THROW(block.output(columns::kClose), Error);
  auto out = block.output(mine);
  ASSERT_EQ(out.size(), 5u);
  out[2] = 42;
  block.roll_back();  // w1 said it cannot after all
  EXPECT_FALSE(block.input(mine));
  EXPECT_EQ(block.values(mine), nullptr);
  out = block.output(mine);
  out[2] = 43;
  block.commit();
  ASSERT_TRUE(block.input(mine));
  EXPECT_EQ(block.input(mine)[2], 43.0);
  block.set_worker(&w2);
  block.output(theirs)[0] = 1;
  block.commit();
  EXPECT_EQ(block.values(theirs)[0], 1.0);
  EXPECT_EQ(block.values(mine)[2], 43.0);  // a second slot leaves the first where it was
}

}  // namespace
}  // namespace st
