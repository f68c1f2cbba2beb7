// `s1mpletrader data import` and `data info` below the CLI: a data file in any dialect of
// import.h (or Parquet) converted to Parquet or to our CSV, and described.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "backend/dataio/import.h"

namespace st {

// Bars per Parquet row group when we write bar files (see ConvertOptions::row_group_rows).
inline constexpr std::int64_t kBarRowGroupRows = 131072;
// Bars per data page: the backtest decodes a page of each column at a time, so this sets its
// decoded working set (16,384 bars: 0.75 MiB for the six columns, which stays in cache).
inline constexpr std::size_t kBarPageRows = 16384;

struct ConvertOptions {
  ImportOptions import;
  std::string codec = "zstd";                // Parquet: zstd, snappy, gzip, none
  // Parquet encoding: byte_stream_split (the default: prices and volume BYTE_STREAM_SPLIT, times
  // DELTA_BINARY_PACKED; several times faster to decode with ZSTD, ~10 % larger; pyarrow, polars,
  // DuckDB from 0.10) or plain (PLAIN everywhere: the smallest, and every Parquet reader).
  std::string encoding = "byte_stream_split";
  // Parquet row group size (DuckDB's is 131,072 rows). The backtest streams a page at a time
  // (kBarPageRows), so larger groups cost it nothing; the footer grows with their number.
  std::int64_t row_group_rows = kBarRowGroupRows;
  std::function<void(std::int64_t rows)> progress;  // every 1M rows
};

struct ConvertResult {
  ImportReport report;
  DataStats stats;
  std::string output;
  bool written = false;  // false: bad rows without skip_bad; nothing was written
};

// Writes every bar of `source` to `path` (.parquet or .csv, by extension) atomically: a temp file
// renamed into place, removed when the source fails. Returns the number of bars.
std::int64_t write_bars(const std::string& path, BarSource& source, const std::string& codec = "zstd",
                        std::int64_t row_group_rows = kBarRowGroupRows, const std::string& encoding = "byte_stream_split");

// Reads `in`, writes `out` (.parquet or .csv, by extension) atomically: temp file, then rename.
// Throws st::Error for unreadable input, an unknown output kind, or a structural error in `in`.
ConvertResult convert_data(const std::string& in, const std::string& out, const ConvertOptions& options);

struct DataInfo {
  DataFormat format = DataFormat::kAuto;
  DataStats stats;
  ImportReport report;               // bad rows found (info reads on past them)
  std::vector<std::string> details;  // Parquet: row groups, columns, codecs
  std::string not_bars;              // Parquet tables that are not OHLCV (trades.parquet): why
};
DataInfo describe_data(const std::string& path, const ImportOptions& options);

}  // namespace st
