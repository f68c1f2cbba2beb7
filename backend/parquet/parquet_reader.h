// Apache Parquet files, read without Arrow: flat tables of typed columns, and OHLCV bars streamed
// from such a table (a BarSource, like the CSV reader, with the same refusal of bad data).
//
// Supported: flat schemas of required and optional columns; BOOLEAN, INT32, INT64, INT96 (legacy
// timestamps, converted to nanoseconds), FLOAT, DOUBLE, BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY; the
// encodings PLAIN, RLE, PLAIN_DICTIONARY/RLE_DICTIONARY, DELTA_BINARY_PACKED,
// DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT; data pages v1 and v2; the codecs
// UNCOMPRESSED, SNAPPY, GZIP, ZSTD and LZ4_RAW; any number of row groups.
// Refused with an st::Error that says so: nested schemas (groups, lists, maps), encrypted files,
// column chunks in other files, other codecs (LZO, BROTLI, framed LZ4).
//
// Hostile files are expected. Every size, count and offset is checked before it is used, memory is
// bounded by ReaderLimits, and every failure is an st::Error of the form
//   FILE: row group R, column C (name), page P: what is wrong, what was expected, what was found
// The file is read with pread, a column chunk (read_column) or a page (read_pages) at a time; it is
// never loaded whole.
//
// Thread safety: none; a FileReader reuses its buffers, so one thread reads from it at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backend/data/bar_source.h"
#include "backend/parquet/thrift_compact.h"

namespace st::parquet {

// What a column's values mean beyond their physical type (from the LogicalType or, in older
// files, the ConvertedType annotation).
enum class Logical : std::uint8_t {
  kNone,
  kString,
  kEnum,
  kJson,
  kUuid,
  kDate,  // INT32 days since 1970-01-01
  kTimeMillis,
  kTimeMicros,
  kTimeNanos,
  kTimestampMillis,  // INT64 since the epoch, in the unit of the name
  kTimestampMicros,
  kTimestampNanos,  // also INT96 columns, which the reader converts to nanoseconds
  kInt,             // an integer annotation with int_bits / int_signed
  kDecimal,         // unscaled integer with decimal_scale / decimal_precision
  kOther,           // an annotation this reader does not interpret (the values are still read)
};

const char* to_string(Logical logical);

// One column of a flat table: what the reader found, and what the writer is asked to write.
struct ColumnInfo {
  std::string name;
  PhysicalType type = PhysicalType::kInt64;
  bool optional = false;  // nullable (definition level 1)
  Logical logical = Logical::kNone;
  bool utc = true;      // timestamps and times: isAdjustedToUTC
  int type_length = 0;  // FIXED_LEN_BYTE_ARRAY: bytes per value
  int decimal_scale = 0, decimal_precision = 0;
  int int_bits = 0;  // kInt: 8, 16, 32 or 64
  bool int_signed = true;
};

// The values of one column of one row group, in the vector that matches its physical type:
//   BOOLEAN -> boolean (0/1), INT32 -> i32, INT64 and INT96 -> i64, FLOAT -> f32, DOUBLE -> f64,
//   BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY -> str.
// There is one slot per row; a null row holds 0 or "" and has valid[row] == 0. `valid` is empty for
// required columns (every row present).
struct ColumnData {
  PhysicalType type = PhysicalType::kInt64;
  std::vector<std::uint8_t> boolean;
  std::vector<std::int32_t> i32;
  std::vector<std::int64_t> i64;
  std::vector<float> f32;
  std::vector<double> f64;
  std::vector<std::string> str;
  std::vector<std::uint8_t> valid;

  std::size_t size() const;
  bool is_null(std::size_t row) const { return !valid.empty() && valid[row] == 0; }
};

// Bounds on what one file may make the reader allocate or do.
struct ReaderLimits {
  std::size_t max_footer_bytes = std::size_t{64} << 20;
  // Compressed size, uncompressed size and decoded size of one page.
  std::size_t max_page_bytes = std::size_t{256} << 20;
  // Bytes read for one column chunk, and its decoded size.
  std::size_t max_column_chunk_bytes = std::size_t{2} << 30;
  int max_thrift_depth = 32;
};

// The data pages of one column chunk, decoded one at a time (FileReader::read_pages): streaming
// with one page of the column in memory instead of the whole chunk.
class ColumnPages {
 public:
  ColumnPages();
  ~ColumnPages();
  ColumnPages(ColumnPages&&) noexcept;
  ColumnPages& operator=(ColumnPages&&) noexcept;

  // Decodes the next data page (and the dictionary page before it, if any) into data(), emptied
  // first and its memory reused; false once every value of the chunk is read. Throws st::Error as
  // read_column does. The FileReader must outlive its ColumnPages.
  bool next();
  // The values of the last page, as ColumnData holds a chunk's. May be swapped out and back.
  ColumnData& data();

 private:
  friend class FileReader;
  struct State;
  std::unique_ptr<State> state_;
};

class FileReader {
 public:
  // Opens the file and reads and validates its footer and schema. Throws st::Error.
  explicit FileReader(std::string path, ReaderLimits limits = {});
  ~FileReader();
  FileReader(FileReader&&) noexcept;
  FileReader& operator=(FileReader&&) noexcept;
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  const std::string& path() const;
  std::int64_t num_rows() const;
  int num_row_groups() const;
  std::int64_t row_group_num_rows(int row_group) const;
  const std::vector<ColumnInfo>& columns() const;
  // Index of the column with this exact name, or -1.
  int column_index(std::string_view name) const;
  // The decoded footer (created_by, statistics, encodings, offsets).
  const thrift::FileMetaData& metadata() const;

  // Decodes one column of one row group. Throws st::Error naming the row group, column and page.
  ColumnData read_column(int row_group, int column) const;
  // The same into `out`, reusing its memory (and the reader's buffers): for streaming row group
  // after row group. A FileReader is not to be read from two threads at once.
  void read_column(int row_group, int column, ColumnData& out) const;
  // The same page by page. The chunk's footer entries are checked now, its pages as they come.
  // A FileReader is not to be read from two threads at once.
  ColumnPages read_pages(int row_group, int column) const;

 private:
  friend class ColumnPages;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- Bars ---------------------------------------------------------------------------------------

enum class TimeUnit : std::uint8_t { kAuto, kSeconds, kMillis, kMicros, kNanos };
// Nanoseconds per unit; 0 for kAuto.
std::int64_t ns_per(TimeUnit unit);
enum class NullPolicy : std::uint8_t {
  kRefuse,        // a null anywhere stops the read with the row and column
  kSkipRow,       // rows with a null are left out
  kFillPrevious,  // a null price or volume takes the previous bar's value (a null time is refused)
};

// Which columns hold the bar fields, and how to read them.
struct OhlcvMapping {
  // Names are matched exactly, then case-insensitively. The default time column also accepts
  // "time", "date" and "datetime", as the CSV reader does.
  std::string time = "timestamp", open = "open", high = "high", low = "low", close = "close",
              volume = "volume";
  // The time column may be a TIMESTAMP (any unit; its unit is used), DATE, INT96, a UTF8 ISO-8601
  // string, or a plain INT32/INT64/FLOAT/DOUBLE epoch in `unit`, which must then be set (kAuto
  // refuses a bare number rather than guess its unit).
  TimeUnit unit = TimeUnit::kAuto;
  NullPolicy nulls = NullPolicy::kRefuse;
};

// Streams bars page by page (memory: one data page of each of the six columns). Prices and volume
// may be DOUBLE, FLOAT, INT32 or INT64 (DECIMAL scaled). Validation as the CSV reader: strictly
// increasing time, finite values, prices > 0, volume >= 0, high >= max(open, close, low),
// low <= min(open, close). Errors: "FILE: row N (row group R): column: what is wrong".
std::unique_ptr<BarSource> open_parquet_bars(const std::string& path, OhlcvMapping mapping = {},
                                             ReaderLimits limits = {});
std::vector<Bar> read_parquet_bars(const std::string& path, OhlcvMapping mapping = {},
                                   ReaderLimits limits = {});

}  // namespace st::parquet
