// TradingContext: the streaming, columnar view of the market a strategy sees (DESIGN §4).
//
// Columns are OHLCV plus named enrichment columns declared by Context workers. Names are
// resolved to ColumnIds once, when the workforce is built (ContextSchema); per bar, workers only
// index. Each column keeps a ring of the last `depth` values (depth = the largest history any
// worker asked for, rounded up to a power of two), so memory does not grow with the run.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "backend/api/dto.h"

namespace st {

using ColumnId = std::uint32_t;

namespace columns {
inline constexpr ColumnId kOpen = 0, kHigh = 1, kLow = 2, kClose = 3, kVolume = 4;
inline constexpr ColumnId kFirstEnrichment = 5;
}  // namespace columns

struct InstrumentInfo {
  std::string symbol;
  int price_precision = 2;
  int quantity_precision = 0;
  std::string quote_currency = "USD";
  std::int64_t timeframe_ns = 0;
};

// Build-time registry of column names. Context workers add columns in blueprint order; every
// later worker resolves the names it reads. Not used per bar.
class ContextSchema {
 public:
  ContextSchema();
  // Declares a new column; throws st::Error if the name is taken (naming the first owner).
  ColumnId add_column(std::string name, std::string owner);
  // Resolves a column; throws st::Error listing the available names when it does not exist.
  ColumnId require(std::string_view name) const;
  bool has(std::string_view name) const;
  // Asks for at least `bars` of history on every column (for lags).
  void require_history(std::size_t bars);
  std::size_t history() const { return history_; }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::vector<std::string> owners_;
  std::size_t history_ = 2;
};

class TradingContext {
 public:
  TradingContext(const ContextSchema& schema, InstrumentInfo instrument);

  // The environment pushes each bar; enrichment columns of the new bar start as NaN.
  // Inline: the environment calls it on every bar.
  void push(const Bar& bar) {
    ++index_;
    bar_ = bar;
    const std::size_t depth = mask_ + 1;
    double* const slot = data_.data() + (static_cast<std::size_t>(index_) & mask_);
    slot[columns::kOpen * depth] = bar.open;
    slot[columns::kHigh * depth] = bar.high;
    slot[columns::kLow * depth] = bar.low;
    slot[columns::kClose * depth] = bar.close;
    slot[columns::kVolume * depth] = bar.volume;
    for (std::size_t at = enrichment_begin_; at != enrichment_end_; at += depth) slot[at] = kNaN;
  }

  std::int64_t bar_index() const { return index_; }  // 0-based; -1 before the first bar
  const Bar& bar() const { return bar_; }
  Timestamp time() const { return bar_.time; }
  const InstrumentInfo& instrument() const { return instrument_; }
  std::size_t column_count() const { return n_columns_; }
  std::size_t depth() const { return mask_ + 1; }

  // Value of a column `lag` bars ago; NaN when that bar is not held or not yet computed.
  double value(ColumnId c, std::size_t lag = 0) const {
    if (lag > static_cast<std::size_t>(index_) || lag > mask_) return kNaN;
    return data_[c * (mask_ + 1) + ((static_cast<std::size_t>(index_) - lag) & mask_)];
  }
  // Context workers write their column for the current bar.
  void set(ColumnId c, double v) { data_[c * (mask_ + 1) + (static_cast<std::size_t>(index_) & mask_)] = v; }

  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

 private:
  InstrumentInfo instrument_;
  std::vector<double> data_;
  std::size_t n_columns_ = 0;
  std::size_t mask_ = 0;
  // Offsets of the enrichment columns' first and past-the-last rings (columns x depth): push
  // fills them without a multiply.
  std::size_t enrichment_begin_ = 0, enrichment_end_ = 0;
  std::int64_t index_ = -1;
  Bar bar_;
};

}  // namespace st
