// TradingContext: the streaming, columnar view of the market a strategy sees (DESIGN §4).
//
// Columns are OHLCV plus named enrichment columns declared by Context workers. Names are
// resolved to ColumnIds once, when the workforce is built (ContextSchema); per bar, workers only
// index. Each column keeps a ring of the last `depth` values (depth = the largest history any
// worker asked for, rounded up to a power of two), so memory does not grow with the run.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
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
  // Who declared column c ("market data" for OHLCV; a worker passes its id).
  const std::string& owner(ColumnId c) const { return owners_.at(c); }

 private:
  std::vector<std::string> names_;
  std::vector<std::string> owners_;
  std::size_t history_ = 2;
};

class TradingContext {
 public:
  TradingContext(const ContextSchema& schema, InstrumentInfo instrument);

  // The environment pushes each bar; enrichment columns of the new bar start as NaN.
  // Inline: the environment calls it on every bar. A bar is one row of at least 8 columns:
  // OHLCV and three more in fixed-size stores, a loop only for a ninth column and on.
  void push(const Bar& bar) {
    ++index_;
    bar_ = bar;
    double* const row = data_.data() + ((static_cast<std::size_t>(index_) & mask_) << shift_);
    // OHLCV in one copy: the bar holds them in the columns' order (checked below the class).
    std::memcpy(row + columns::kOpen, &bar.open, 5 * sizeof(double));
    row[5] = kNaN, row[6] = kNaN, row[7] = kNaN;  // enrichment columns, or the row's padding
    for (std::size_t c = kMinStride; c < n_columns_; ++c) row[c] = kNaN;
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
    return data_[(((static_cast<std::size_t>(index_) - lag) & mask_) << shift_) + c];
  }
  // Context workers write their column for the current bar.
  void set(ColumnId c, double v) { data_[((static_cast<std::size_t>(index_) & mask_) << shift_) + c] = v; }
  // The current bar's values, column c at [c]: for writing several columns of a bar at once.
  double* current_row() { return data_.data() + ((static_cast<std::size_t>(index_) & mask_) << shift_); }

  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

 private:
  static constexpr std::size_t kMinStride = 8;
  InstrumentInfo instrument_;
  // The last `depth` bars, one row per bar (the bar index & mask_), each row 2^shift_ >= 8
  // columns wide: the row a bar writes is contiguous.
  std::vector<double> data_;
  std::size_t n_columns_ = 0;
  std::size_t mask_ = 0;
  std::size_t shift_ = 3;
  std::int64_t index_ = -1;
  Bar bar_;
};

// push() copies OHLCV as one block: the bar's fields and the columns must keep the same order.
static_assert(columns::kHigh == columns::kOpen + 1 && columns::kLow == columns::kOpen + 2 &&
              columns::kClose == columns::kOpen + 3 && columns::kVolume == columns::kOpen + 4);
static_assert(offsetof(Bar, high) == offsetof(Bar, open) + sizeof(double) &&
              offsetof(Bar, low) == offsetof(Bar, open) + 2 * sizeof(double) &&
              offsetof(Bar, close) == offsetof(Bar, open) + 3 * sizeof(double) &&
              offsetof(Bar, volume) == offsetof(Bar, open) + 4 * sizeof(double));

// A block of consecutive bars for ContextWorker::process_block: the bars, this block's values of
// the columns computed for it so far (OHLCV, and the columns of block workers earlier in the
// blueprint), and the worker's own columns to fill. Made by the runner; plugins only use it.
class ContextBlock {
 public:
  // A column's values over the block, one per bar (for OHLCV, read across the bars).
  class Column {
   public:
    Column() = default;
    Column(const double* first, std::size_t stride) : first_(first), stride_(stride) {}
    double operator[](std::size_t j) const { return first_[j * stride_]; }
    // False for a column that is not computed in blocks (computed bar by bar, by a worker whose
    // process() it is): a worker that reads one runs bar by bar too.
    explicit operator bool() const { return first_ != nullptr; }

   private:
    const double* first_ = nullptr;
    std::size_t stride_ = 1;
  };

  // Room for blocks of up to `capacity` bars, for the schema's columns (final: built workforce).
  ContextBlock(const ContextSchema& schema, std::size_t capacity);

  std::size_t size() const { return bars_.size(); }
  std::span<const Bar> bars() const { return bars_; }
  std::int64_t first_index() const { return first_index_; }  // TradingContext::bar_index() of bars()[0]
  Column input(ColumnId c) const;
  // Where the worker writes its column c for the block's bars (size() values). Only a column it
  // declared (the schema's owner is its id); throws st::Error otherwise.
  std::span<double> output(ColumnId c);

  // ---- the runner's side
  void begin(std::span<const Bar> bars, std::int64_t first_index) {
    bars_ = bars;
    first_index_ = first_index;
  }
  // The worker process_block is about to be called for (its outputs are checked against it).
  void set_worker(const std::string* id) { worker_ = id; }
  // Columns given out by output() since the last commit: kept (the worker runs in blocks) or
  // given back (it said it cannot).
  void commit() { fresh_.clear(); }
  void roll_back();
  // The values of a column computed in blocks (nullptr if it is not): capacity() values, stable.
  const double* values(ColumnId c) const;
  std::size_t capacity() const { return capacity_; }

 private:
  const ContextSchema* schema_;
  std::size_t capacity_;
  std::span<const Bar> bars_;
  std::int64_t first_index_ = 0;
  const std::string* worker_ = nullptr;
  std::vector<int> slot_;      // per column: its slot in values_, or -1
  std::vector<double> values_;  // a slot per enrichment column (capacity_ each), made once
  int slots_used_ = 0;
  std::vector<ColumnId> fresh_;
};

}  // namespace st
