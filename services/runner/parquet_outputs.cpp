#include "services/runner/parquet_outputs.h"

#include <fmt/format.h>

#include "backend/core/diagnostics.h"

namespace st {

namespace {

using parquet::ColumnData;
using parquet::ColumnSpec;
using parquet::Logical;
using parquet::PhysicalType;

ColumnSpec column(std::string name, PhysicalType type, Logical logical = Logical::kNone, bool optional = false) {
  ColumnSpec c;
  c.name = std::move(name);
  c.type = type;
  c.logical = logical;
  c.utc = true;
  c.optional = optional;
  return c;
}
ColumnSpec timestamp(std::string name, bool optional = false) {
  return column(std::move(name), PhysicalType::kInt64, Logical::kTimestampNanos, optional);
}
ColumnSpec decimal(std::string name, int scale, bool optional = false) {
  ColumnSpec c = column(std::move(name), PhysicalType::kInt64, Logical::kDecimal, optional);
  c.decimal_precision = 18;
  c.decimal_scale = scale;
  return c;
}
ColumnSpec text(std::string name, bool optional = false) {
  return column(std::move(name), PhysicalType::kByteArray, Logical::kString, optional);
}

std::vector<ColumnData> empty_columns(const std::vector<ColumnSpec>& specs) {
  std::vector<ColumnData> cols(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) cols[i].type = specs[i].type;
  return cols;
}

// The unscaled integer of `d` at `scale` (exact: the ledger keeps these precisions).
std::int64_t unscaled(const Decimal& d, int scale) { return d.rescale(scale).raw(); }

void put(ColumnData& c, std::int64_t v, bool valid = true) {
  c.i64.push_back(valid ? v : 0);
  c.valid.push_back(valid ? 1 : 0);
}
void put(ColumnData& c, std::string v, bool valid = true) {
  c.str.push_back(valid ? std::move(v) : std::string());
  c.valid.push_back(valid ? 1 : 0);
}

std::vector<ColumnSpec> equity_specs(int cash_scale) {
  return {timestamp("timestamp"), decimal("cash", cash_scale), decimal("equity", cash_scale), column("drawdown_percent", PhysicalType::kDouble)};
}

}  // namespace

void write_trades_parquet(const std::string& path, const std::deque<TradeRow>& trades, OutputScales s) {
  const std::vector<ColumnSpec> specs = {
      text("trade_id"),          text("opportunity_id", true), text("scheduled_id", true),
      text("direction"),         timestamp("entry_time"),      decimal("entry_price", s.price),
      decimal("size", s.quantity), decimal("entry_fee", s.cash), timestamp("exit_time", true),
      decimal("exit_price", s.price, true), text("exit_reason"), decimal("exit_fee", s.cash, true),
      decimal("pnl_gross", s.cash, true), decimal("pnl_net", s.cash, true), text("threat_id", true),
      column("bars_held", PhysicalType::kInt64, Logical::kNone, true)};
  auto cols = empty_columns(specs);
  for (const auto& r : trades) {
    const bool closed = r.closed;
    cols[0].str.push_back(r.trade_id.to_string());
    put(cols[1], r.opportunity_id ? r.opportunity_id.to_string() : "", static_cast<bool>(r.opportunity_id));
    put(cols[2], r.scheduled_id ? r.scheduled_id.to_string() : "", static_cast<bool>(r.scheduled_id));
    cols[3].str.push_back(to_string(r.direction));
    cols[4].i64.push_back(r.entry_time.ns);
    cols[5].i64.push_back(unscaled(r.entry_price, s.price));
    cols[6].i64.push_back(unscaled(r.size, s.quantity));
    cols[7].i64.push_back(unscaled(r.entry_fee, s.cash));
    put(cols[8], r.exit_time.ns, closed);
    put(cols[9], closed ? unscaled(r.exit_price, s.price) : 0, closed);
    cols[10].str.push_back(closed ? r.exit_reason : "open");
    put(cols[11], closed ? unscaled(r.exit_fee, s.cash) : 0, closed);
    put(cols[12], closed ? unscaled(r.pnl_gross, s.cash) : 0, closed);
    put(cols[13], closed ? unscaled(r.pnl_net, s.cash) : 0, closed);
    put(cols[14], r.threat_id ? r.threat_id.to_string() : "", closed && static_cast<bool>(r.threat_id));
    put(cols[15], r.bars_held, closed);
  }
  parquet::WriterOptions o;
  o.dictionary = true;  // directions, reasons and repeated ids compress well
  parquet::TableWriter w(path, specs, o);
  if (!trades.empty()) w.write_row_group(cols);
  w.close();
}

EquityParquetWriter::EquityParquetWriter(const std::string& path, int cash_scale)
    : writer_(path, equity_specs(cash_scale)), cash_scale_(cash_scale), columns_(empty_columns(equity_specs(cash_scale))) {}

void EquityParquetWriter::add(Timestamp time, const Decimal& cash, const Decimal& equity, double drawdown_percent) {
  columns_[0].i64.push_back(time.ns);
  columns_[1].i64.push_back(unscaled(cash, cash_scale_));
  columns_[2].i64.push_back(unscaled(equity, cash_scale_));
  columns_[3].f64.push_back(drawdown_percent);
  if (columns_[0].i64.size() >= 65536) flush();
}

void EquityParquetWriter::flush() {
  if (columns_[0].i64.empty()) return;
  writer_.write_row_group(columns_);
  for (auto& c : columns_) {
    c.i64.clear();
    c.f64.clear();
  }
}

void EquityParquetWriter::close() {
  flush();
  writer_.close();
}

}  // namespace st
