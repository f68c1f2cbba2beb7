// Writes Apache Parquet files that DuckDB, pyarrow and polars read: flat tables of required and
// optional columns, PLAIN, dictionary (RLE_DICTIONARY) or, on request, BYTE_STREAM_SPLIT
// (FLOAT/DOUBLE) and DELTA_BINARY_PACKED (INT32/INT64) encoding, data pages v1, the codecs
// UNCOMPRESSED, SNAPPY, GZIP and ZSTD, column statistics, one or more row groups.
//
// Crash safety: the file is written to PATH.tmp and renamed to PATH by close(), after an fsync, so
// PATH is either absent (or its old version) or complete. A writer destroyed without close()
// removes PATH.tmp.
//
// Thread safety: none; one writer per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/data/bar_source.h"
#include "backend/parquet/codecs.h"
#include "backend/parquet/parquet_reader.h"

namespace st::parquet {

struct WriterOptions {
  std::size_t row_group_rows = 1'000'000;  // write_row_group splits larger tables
  Codec codec = Codec::kZstd;              // UNCOMPRESSED, SNAPPY, GZIP or ZSTD
  int zstd_level = 3;
  bool dictionary = false;                     // dictionary-encode columns (not BOOLEAN) ...
  std::size_t dictionary_max_bytes = 1 << 20;  // ... whose dictionary stays under this (else PLAIN)
  // FLOAT/DOUBLE columns in BYTE_STREAM_SPLIT encoding (the k-th bytes of all values together)
  // instead of PLAIN, unless dictionary-encoded. ZSTD pages of prices decode about three times
  // faster this way, and the file is larger (docs/PERFORMANCE.md). Readers: pyarrow, polars,
  // DuckDB from 0.10.
  bool byte_stream_split = false;
  // INT32/INT64 columns (not INT96) in DELTA_BINARY_PACKED encoding instead of PLAIN, unless
  // dictionary-encoded: a bar file's evenly spaced times take a few bytes per page and decode
  // without the codec's work (docs/PERFORMANCE.md). Readers: pyarrow, polars, DuckDB from 0.9.
  bool delta_integers = false;
  bool statistics = true;                      // min_value / max_value / null_count per column chunk
  std::size_t page_rows = 64 * 1024;           // rows per data page
  // The unit of the timestamp column write_parquet_bars writes (kMillis, kMicros or kNanos; times
  // that are not whole units are refused rather than truncated). Nanoseconds keep every Timestamp
  // exactly but have no legacy converted_type, and DuckDB reads them (UTC-adjusted) as TIMESTAMPTZ
  // with microsecond precision; kMicros suits readers that predate the NANOS unit.
  TimeUnit bar_time_unit = TimeUnit::kNanos;
};

// What a column holds. Supported: BOOLEAN, INT32, INT64, FLOAT, DOUBLE, BYTE_ARRAY; logical types
// kNone, kString (BYTE_ARRAY), kDate (INT32), kTimestamp* (INT64, `utc`), kInt (INT32/INT64,
// int_bits/int_signed), kDecimal (INT32/INT64, decimal_scale/decimal_precision).
using ColumnSpec = ColumnInfo;

class TableWriter {
 public:
  // Creates PATH.tmp and checks the columns. Throws st::Error.
  TableWriter(std::string path, std::vector<ColumnSpec> columns, WriterOptions options = {});
  ~TableWriter();
  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;

  // Appends rows: one ColumnData per declared column, in order, all of the same size, each with the
  // vector of its physical type filled (see ColumnData). Optional columns may leave `valid` empty
  // (no nulls); required columns must. Written as row groups of at most row_group_rows rows.
  // Throws st::Error (before writing anything) when the data does not match the columns.
  void write_row_group(const std::vector<ColumnData>& columns);
  // Writes the footer, syncs and renames PATH.tmp to PATH. Throws st::Error.
  void close();
  std::int64_t rows_written() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes every bar of `source`: timestamp TIMESTAMP(unit, UTC) INT64, open/high/low/close/volume
// DOUBLE, all required; row groups of options.row_group_rows bars.
void write_parquet_bars(const std::string& path, BarSource& source, WriterOptions options = {});

}  // namespace st::parquet
