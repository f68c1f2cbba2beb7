#include "services/runner/parquet_outputs.h"

#include <gtest/gtest.h>

#include "backend/parquet/parquet_reader.h"

namespace st {
namespace {

TEST(ParquetOutputs, TradesAreTypedExactAndOpenTradesHaveNulls) {
  TradeRow closed;
  closed.trade_id = TradeId{Uuid{1, 2}};
  closed.opportunity_id = OpportunityId{Uuid{3, 4}};
  closed.entry_time = Timestamp{1'000'000'000};
  closed.entry_price = Decimal::parse("101.25");
  closed.size = Decimal::parse("3");
  closed.entry_fee = Decimal::parse("0.03037500");
  closed.closed = true;
  closed.exit_time = Timestamp{2'000'000'000};
  closed.exit_price = Decimal::parse("99.5");
  closed.exit_reason = "stop_loss";
  closed.exit_fee = Decimal::parse("0.029850");
  closed.pnl_gross = Decimal::parse("-5.25");
  closed.pnl_net = Decimal::parse("-5.310225");
  closed.threat_id = ThreatId{Uuid{5, 6}};
  closed.bars_held = 7;
  TradeRow open = closed;
  open.closed = false;
  open.trade_id = TradeId{Uuid{7, 8}};
  const std::string path = std::string(ST_BINARY_DIR) + "/trades_output.parquet";
  write_trades_parquet(path, {closed, open}, {2, 0, 8});

  parquet::FileReader r(path);
  ASSERT_EQ(r.num_rows(), 2);
  auto col = [&](const char* name) { return r.read_column(0, r.column_index(name)); };
  EXPECT_EQ(col("trade_id").str[0], closed.trade_id.to_string());
  EXPECT_EQ(col("entry_time").i64[0], 1'000'000'000);
  const auto price = r.columns()[static_cast<std::size_t>(r.column_index("entry_price"))];
  EXPECT_EQ(price.logical, parquet::Logical::kDecimal);
  EXPECT_EQ(price.decimal_scale, 2);
  EXPECT_EQ(col("entry_price").i64[0], 10125);
  EXPECT_EQ(col("entry_fee").i64[0], 3'037'500);    // 0.030375 at 8 decimals
  EXPECT_EQ(col("pnl_net").i64[0], -531'022'500);   // -5.310225
  EXPECT_EQ(col("exit_reason").str[1], "open");
  const auto exit_price = col("exit_price");
  EXPECT_FALSE(exit_price.is_null(0));
  EXPECT_TRUE(exit_price.is_null(1));                // still open: null, not zero
  EXPECT_TRUE(col("bars_held").is_null(1));
  EXPECT_TRUE(col("scheduled_id").is_null(0));
}

TEST(ParquetOutputs, EquityStreamsInRowGroups) {
  const std::string path = std::string(ST_BINARY_DIR) + "/equity_output.parquet";
  EquityParquetWriter w(path, 8);
  for (int i = 0; i < 70'000; ++i)
    w.add(Timestamp{i * 60'000'000'000LL}, Decimal::parse("1000"), Decimal(100'000'000'000 + i, 8), 0.5);
  w.close();
  parquet::FileReader r(path);
  EXPECT_EQ(r.num_rows(), 70'000);
  EXPECT_EQ(r.num_row_groups(), 2);
  EXPECT_EQ(r.read_column(1, 2).i64.back(), 100'000'000'000 + 69'999);
}

}  // namespace
}  // namespace st
