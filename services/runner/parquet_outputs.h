// Run outputs as Parquet (backtest --parquet): trades.parquet and equity.parquet beside the
// CSVs, typed so that DuckDB, pandas or polars read them without parsing: times as
// TIMESTAMP(NANOS, UTC), money, prices and sizes as DECIMAL(18, scale) at the instrument's and
// the broker's precision (exact, like the CSVs), ids and reasons as strings, nulls where a trade
// is still open. Written to a temp file and renamed, like every output.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "backend/execution/trade_desk.h"
#include "backend/parquet/parquet_writer.h"

namespace st {

struct OutputScales {
  int price = 2, quantity = 0, cash = 8;
};

void write_trades_parquet(const std::string& path, const std::deque<TradeRow>& trades, OutputScales scales);

// Streams the equity curve: one row per bar, flushed as a row group every 65,536 bars.
class EquityParquetWriter {
 public:
  EquityParquetWriter(const std::string& path, int cash_scale);
  void add(Timestamp time, const Decimal& cash, const Decimal& equity, double drawdown_percent);
  void close();

 private:
  void flush();
  parquet::TableWriter writer_;
  int cash_scale_;
  std::vector<parquet::ColumnData> columns_;
};

}  // namespace st
