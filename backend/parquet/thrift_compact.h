// Parquet's metadata in Thrift's compact protocol: the footer (FileMetaData and what it holds) and
// the page headers, decoded from and encoded to bytes.
//
// Only the structs and fields this reader and writer use are modelled (parquet.thrift field ids in
// the comments); every other field, known to the spec or not, is skipped properly, including nested
// structs, lists, sets and maps. The decoder is written for hostile input: every length and count is
// checked against the bytes that remain before anything is allocated, nesting is capped, and every
// failure is an st::Error whose message says what was wrong at which byte (without a file name:
// callers add where the bytes came from).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backend/parquet/codecs.h"

namespace st::parquet {

// parquet.thrift enums, with the wire values. Values outside the listed ones can occur in files
// (newer writers, corruption); they are kept as numbers and refused where they matter.
enum class PhysicalType : std::int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class Encoding : std::int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class PageType : std::int32_t { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };

enum class Repetition : std::int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum class ConvertedType : std::int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

std::string to_string(PhysicalType type);
std::string to_string(Encoding encoding);
std::string to_string(PageType type);

namespace thrift {

// Statistics (min/max are PLAIN-encoded values; byte arrays without their length prefix).
struct Statistics {
  std::optional<std::string> max;              // 1 (deprecated, signed order)
  std::optional<std::string> min;              // 2 (deprecated, signed order)
  std::optional<std::int64_t> null_count;      // 3
  std::optional<std::int64_t> distinct_count;  // 4
  std::optional<std::string> max_value;        // 5
  std::optional<std::string> min_value;        // 6
  std::optional<std::int64_t> nan_count;       // 9
};

enum class TimeUnit : std::uint8_t { kMillis, kMicros, kNanos };

// The LogicalType union, flattened: `kind` is the union member's field id.
struct LogicalType {
  enum class Kind : std::int16_t {
    kString = 1,
    kMap = 2,
    kList = 3,
    kEnum = 4,
    kDecimal = 5,
    kDate = 6,
    kTime = 7,
    kTimestamp = 8,
    kInteger = 10,
    kUnknown = 11,  // the "always null" type
    kJson = 12,
    kBson = 13,
    kUuid = 14,
    kFloat16 = 15,
  };
  Kind kind = Kind::kString;
  std::int32_t decimal_scale = 0, decimal_precision = 0;  // kDecimal
  bool adjusted_to_utc = false;                           // kTime, kTimestamp
  TimeUnit unit = TimeUnit::kMillis;                      // kTime, kTimestamp
  std::int8_t bit_width = 0;                              // kInteger
  bool is_signed = true;                                  // kInteger
};

struct SchemaElement {
  std::optional<PhysicalType> type;             // 1
  std::optional<std::int32_t> type_length;      // 2
  std::optional<Repetition> repetition_type;    // 3
  std::string name;                             // 4 (required)
  std::optional<std::int32_t> num_children;     // 5
  std::optional<ConvertedType> converted_type;  // 6
  std::optional<std::int32_t> scale;            // 7
  std::optional<std::int32_t> precision;        // 8
  std::optional<std::int32_t> field_id;         // 9
  std::optional<LogicalType> logical_type;      // 10
};

struct KeyValue {
  std::string key;                   // 1
  std::optional<std::string> value;  // 2
};

struct PageEncodingStats {
  PageType page_type = PageType::kDataPage;  // 1
  Encoding encoding = Encoding::kPlain;      // 2
  std::int32_t count = 0;                    // 3
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kInt64;            // 1
  std::vector<Encoding> encodings;                     // 2
  std::vector<std::string> path_in_schema;             // 3
  Codec codec = Codec::kUncompressed;                  // 4
  std::int64_t num_values = 0;                         // 5
  std::int64_t total_uncompressed_size = 0;            // 6
  std::int64_t total_compressed_size = 0;              // 7
  std::vector<KeyValue> key_value_metadata;            // 8
  std::int64_t data_page_offset = 0;                   // 9
  std::optional<std::int64_t> index_page_offset;       // 10
  std::optional<std::int64_t> dictionary_page_offset;  // 11
  std::optional<Statistics> statistics;                // 12
  std::vector<PageEncodingStats> encoding_stats;       // 13
};

struct ColumnChunk {
  std::optional<std::string> file_path;     // 1
  std::int64_t file_offset = 0;             // 2
  std::optional<ColumnMetaData> meta_data;  // 3
  bool encrypted = false;                   // 8 crypto_metadata or 9 encrypted_column_metadata present
};

struct RowGroup {
  std::vector<ColumnChunk> columns;                   // 1
  std::int64_t total_byte_size = 0;                   // 2
  std::int64_t num_rows = 0;                          // 3
  std::optional<std::int64_t> file_offset;            // 5
  std::optional<std::int64_t> total_compressed_size;  // 6
  std::optional<std::int16_t> ordinal;                // 7
};

// ColumnOrder union member ids: 1 = TYPE_ORDER, 2 = IEEE_754_TOTAL_ORDER, ...
struct FileMetaData {
  std::int32_t version = 1;                  // 1
  std::vector<SchemaElement> schema;         // 2
  std::int64_t num_rows = 0;                 // 3
  std::vector<RowGroup> row_groups;          // 4
  std::vector<KeyValue> key_value_metadata;  // 5
  std::optional<std::string> created_by;     // 6
  std::vector<std::int16_t> column_orders;   // 7
  bool encrypted = false;                    // 8 encryption_algorithm present
};

struct DataPageHeader {
  std::int32_t num_values = 0;                          // 1
  Encoding encoding = Encoding::kPlain;                 // 2
  Encoding definition_level_encoding = Encoding::kRle;  // 3
  Encoding repetition_level_encoding = Encoding::kRle;  // 4
  std::optional<Statistics> statistics;                 // 5
};

struct DictionaryPageHeader {
  std::int32_t num_values = 0;           // 1
  Encoding encoding = Encoding::kPlain;  // 2
  std::optional<bool> is_sorted;         // 3
};

struct DataPageHeaderV2 {
  std::int32_t num_values = 0;                     // 1
  std::int32_t num_nulls = 0;                      // 2
  std::int32_t num_rows = 0;                       // 3
  Encoding encoding = Encoding::kPlain;            // 4
  std::int32_t definition_levels_byte_length = 0;  // 5
  std::int32_t repetition_levels_byte_length = 0;  // 6
  bool is_compressed = true;                       // 7
  std::optional<Statistics> statistics;            // 8
};

struct PageHeader {
  PageType type = PageType::kDataPage;                         // 1
  std::int32_t uncompressed_page_size = 0;                     // 2
  std::int32_t compressed_page_size = 0;                       // 3
  std::optional<std::int32_t> crc;                             // 4
  std::optional<DataPageHeader> data_page_header;              // 5
  std::optional<DictionaryPageHeader> dictionary_page_header;  // 7
  std::optional<DataPageHeaderV2> data_page_header_v2;         // 8
};

// Compact protocol wire types.
enum class WireType : std::uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,
};

constexpr int kDefaultMaxDepth = 32;

// Reads compact-protocol values from a byte span. Every read checks the bytes that remain.
class CompactReader {
 public:
  struct Field {
    WireType type = WireType::kStop;
    std::int16_t id = 0;
  };
  struct ListHeader {
    WireType element_type = WireType::kStop;
    std::uint32_t size = 0;
  };

  explicit CompactReader(ByteSpan data, int max_depth = kDefaultMaxDepth)
      : data_(data), max_depth_(max_depth) {}

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }

  // Calls `on_field(const Field&)` for each field of a struct until its STOP; a call that returns
  // false leaves the field to be skipped. Nesting beyond max_depth throws.
  template <class OnField>
  void read_struct(OnField&& on_field) {
    enter();
    std::int16_t last_id = 0;
    Field f;
    while (next_field(last_id, f)) {
      if (!on_field(f)) skip(f.type);
    }
    --depth_;
  }

  std::int8_t read_byte();
  std::int16_t read_i16();
  std::int32_t read_i32();
  std::int64_t read_i64();
  double read_double();
  std::string read_binary();
  // A bool inside a list or set (one byte); a bool field's value is its wire type (field_bool).
  bool read_bool_element();
  static bool field_bool(const Field& f) { return f.type == WireType::kBoolTrue; }
  ListHeader read_list_header();
  // Skips one value of the given wire type (a field's value: bools carry no byte).
  void skip(WireType type) { skip_value(type, false); }

  [[noreturn]] void fail(const std::string& what) const;

 private:
  bool next_field(std::int16_t& last_id, Field& f);
  void skip_value(WireType type, bool in_collection);
  std::uint64_t read_varint();
  std::int64_t read_zigzag() {
    const std::uint64_t v = read_varint();
    return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  void enter();

  ByteSpan data_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  int max_depth_;
};

// Writes compact-protocol values. Structs are written with begin_struct()/end_struct() and
// field_*() calls in increasing field id order.
class CompactWriter {
 public:
  void begin_struct() { last_ids_.push_back(0); }
  void end_struct();  // writes STOP
  void field_bool(std::int16_t id, bool v) {
    field_header(id, v ? WireType::kBoolTrue : WireType::kBoolFalse);
  }
  void field_i8(std::int16_t id, std::int8_t v);
  void field_i16(std::int16_t id, std::int16_t v);
  void field_i32(std::int16_t id, std::int32_t v);
  void field_i64(std::int16_t id, std::int64_t v);
  void field_double(std::int16_t id, double v);
  void field_binary(std::int16_t id, std::string_view v);
  // Writes the field header of a struct field and begins the struct; close with end_struct().
  void field_struct(std::int16_t id);
  // Writes the field header and list header; then write `size` elements of `element_type`.
  void field_list(std::int16_t id, WireType element_type, std::size_t size);
  // A field with an empty map (for tests of the skipping logic).
  void field_map_header(std::int16_t id, std::size_t size, WireType key, WireType value);

  void write_i32(std::int32_t v) { write_zigzag(v); }
  void write_i64(std::int64_t v) { write_zigzag(v); }
  void write_binary(std::string_view v);
  void write_bool_element(bool v) { bytes_.push_back(v ? 1 : 0); }
  void write_varint(std::uint64_t v);
  void write_zigzag(std::int64_t v) {
    write_varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void write_raw(std::uint8_t b) { bytes_.push_back(b); }

  const Bytes& bytes() const { return bytes_; }
  Bytes take() { return std::move(bytes_); }

 private:
  void field_header(std::int16_t id, WireType type);
  Bytes bytes_;
  std::vector<std::int16_t> last_ids_;
};

// Decoders: throw st::Error "...: at byte N: what" on malformed input. `max_depth` caps nesting.
FileMetaData decode_file_metadata(ByteSpan bytes, int max_depth = kDefaultMaxDepth);
// Decodes the page header at the start of `bytes`; `header_size` receives its length in bytes.
PageHeader decode_page_header(ByteSpan bytes, std::size_t& header_size, int max_depth = kDefaultMaxDepth);

void encode(CompactWriter& w, const FileMetaData& m);
void encode(CompactWriter& w, const PageHeader& h);
Bytes encode_file_metadata(const FileMetaData& m);
Bytes encode_page_header(const PageHeader& h);

}  // namespace thrift
}  // namespace st::parquet
