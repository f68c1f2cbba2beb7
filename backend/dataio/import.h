// Market-data import (DESIGN §8, IDataPersistor): reads the OHLCV dialects quants have on disk
// and streams them as bars, so that `s1mpletrader data import` can write them as Parquet or as
// our CSV, and `data info` can describe any of them.
//
// Dialects (see docs/data.md):
//   generic         a header naming timestamp/time/date, open, high, low, close, volume in any
//                   order (extra columns ignored); times ISO-8601 (with Z, an offset, or naive =
//                   UTC; "YYYY-MM-DD HH:MM:SS.ffffff" too), a bare date, or an epoch number
//                   (s/ms/us/ns by magnitude)
//   yahoo           Date,Open,High,Low,Close,Adj Close,Volume: raw OHLC, Adj Close dropped
//   binance         data.binance.vision klines: no header, 12 fields, open_time in epoch ms or
//                   (from 2025) us, told apart row by row
//   backtrader      Date[,Time],Open,High,Low,Close,Volume,OpenInterest; rows with one field more
//                   than the header carry a Time (the known broken header); local times shifted
//                   to UTC by --utc-offset
//   freqtrade-json  [[open_time_ms, open, high, low, close, volume], ...]
//
// A bad row (unparsable field, missing field, OHLC inconsistent, time not after the previous
// row's) is an error "FILE:LINE:COL: column: reason". With skip_bad it is skipped and counted;
// without, the import fails after listing up to max_errors of them. Gaps are reported, never
// filled.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/core/diagnostics.h"
#include "backend/data/bar_source.h"
#include "backend/parquet/parquet_reader.h"

namespace st {

enum class DataFormat { kAuto, kGeneric, kYahoo, kBinance, kBacktrader, kFreqtradeJson, kParquet };
std::optional<DataFormat> parse_data_format(std::string_view text);
// The values of a link's data: keys time_unit (auto | s | ms | us | ns) and nulls (refuse |
// skip_row | fill_previous).
std::optional<parquet::TimeUnit> parse_time_unit(std::string_view text);
std::optional<parquet::NullPolicy> parse_null_policy(std::string_view text);
const char* to_string(DataFormat f);
// The dialect of a file, from its extension and first line.
DataFormat detect_data_format(const std::string& path);

struct ImportOptions {
  DataFormat format = DataFormat::kAuto;
  bool skip_bad = false;
  std::int64_t utc_offset_seconds = 0;  // backtrader local times: UTC = local - offset
  std::size_t max_errors = 50;          // errors listed (and, without skip_bad, where reading stops)
  // Column names of time, open, high, low, close, volume; empty keeps the dialect's defaults.
  std::array<std::string, 6> columns;
  std::int64_t epoch_unit_ns = 0;       // plain-number times: 0 = by their number of digits
};

// How a backtest reads its data file (a strategy link's data: section, docs/data.md).
struct BarFileOptions {
  DataFormat format = DataFormat::kAuto;
  std::array<std::string, 6> columns;   // time, open, high, low, close, volume; empty = default
  parquet::TimeUnit time_unit = parquet::TimeUnit::kAuto;    // plain-number times; kAuto: by digits
  parquet::NullPolicy nulls = parquet::NullPolicy::kRefuse;  // Parquet only
  std::int64_t utc_offset_seconds = 0;
};


// Streaming statistics of a series: rows, range, timeframe (the most common step), gaps.
class DataStats {
 public:
  void add(const Bar& bar);
  std::int64_t rows() const { return rows_; }
  Timestamp first() const { return first_; }
  Timestamp last() const { return last_; }
  std::int64_t timeframe_ns() const;  // 0 with fewer than 2 rows
  std::int64_t gaps() const;          // steps longer than the timeframe
  std::int64_t missing_bars() const;  // bars those gaps leave out
  std::int64_t largest_gap_ns() const { return largest_gap_; }
  Timestamp largest_gap_after() const { return largest_gap_after_; }
  std::int64_t zero_volume() const { return zero_volume_; }
  std::int64_t flat_bars() const { return flat_; }  // high == low
  // Several lines for the terminal.
  std::string to_text() const;

 private:
  std::int64_t rows_ = 0, zero_volume_ = 0, flat_ = 0;
  Timestamp first_, last_;
  std::map<std::int64_t, std::int64_t> steps_;  // step -> count (bounded, see add)
  std::int64_t largest_gap_ = 0;
  Timestamp largest_gap_after_;
};

struct ImportReport {
  DataFormat format = DataFormat::kAuto;
  std::int64_t bad_rows = 0;      // skipped (skip_bad) or refused
  std::int64_t duplicates = 0;    // of which: time equal to the previous row's
  std::int64_t out_of_order = 0;  // of which: time before the previous row's
  std::vector<Diagnostic> errors; // the first max_errors bad rows
  std::vector<std::string> notes; // e.g. "epoch unit changes from ms to us at line 123"
};

// Streams the bars of `path` in a dialect. Bad rows go to report(); next() throws st::Error
// (listing them) once there are more than max_errors without skip_bad. After the last bar,
// report().bad_rows > 0 without skip_bad means the import must fail.
class ImportSource final : public BarSource {
 public:
  ImportSource(std::string path, ImportOptions options);
  ~ImportSource() override;
  bool next(Bar& out) override;
  std::span<const Bar> next_span(std::size_t max) override { return next_span_buffered(max); }
  std::string name() const override { return path_; }
  const ImportReport& report() const { return report_; }

 public:
  class Impl;

 private:
  std::string path_;
  ImportOptions options_;
  std::unique_ptr<Impl> impl_;
  ImportReport report_;
};

// A source for any data file a backtest can read: .parquet through the Parquet reader, every
// other file through ImportSource (strict: a bad row stops the run with its position).
std::unique_ptr<BarSource> open_bars(const std::string& path, const BarFileOptions& options = {});

}  // namespace st
