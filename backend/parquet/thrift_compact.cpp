#include "backend/parquet/thrift_compact.h"

#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <utility>

#include "backend/core/diagnostics.h"

namespace st::parquet {

std::string to_string(PhysicalType type) {
  switch (type) {
    case PhysicalType::kBoolean:
      return "BOOLEAN";
    case PhysicalType::kInt32:
      return "INT32";
    case PhysicalType::kInt64:
      return "INT64";
    case PhysicalType::kInt96:
      return "INT96";
    case PhysicalType::kFloat:
      return "FLOAT";
    case PhysicalType::kDouble:
      return "DOUBLE";
    case PhysicalType::kByteArray:
      return "BYTE_ARRAY";
    case PhysicalType::kFixedLenByteArray:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return fmt::format("physical type {}", static_cast<std::int32_t>(type));
}

std::string to_string(Encoding encoding) {
  switch (encoding) {
    case Encoding::kPlain:
      return "PLAIN";
    case Encoding::kPlainDictionary:
      return "PLAIN_DICTIONARY";
    case Encoding::kRle:
      return "RLE";
    case Encoding::kBitPacked:
      return "BIT_PACKED";
    case Encoding::kDeltaBinaryPacked:
      return "DELTA_BINARY_PACKED";
    case Encoding::kDeltaLengthByteArray:
      return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::kDeltaByteArray:
      return "DELTA_BYTE_ARRAY";
    case Encoding::kRleDictionary:
      return "RLE_DICTIONARY";
    case Encoding::kByteStreamSplit:
      return "BYTE_STREAM_SPLIT";
  }
  if (static_cast<std::int32_t>(encoding) == 10) return "ALP (encoding 10)";
  return fmt::format("encoding {}", static_cast<std::int32_t>(encoding));
}

std::string to_string(PageType type) {
  switch (type) {
    case PageType::kDataPage:
      return "DATA_PAGE";
    case PageType::kIndexPage:
      return "INDEX_PAGE";
    case PageType::kDictionaryPage:
      return "DICTIONARY_PAGE";
    case PageType::kDataPageV2:
      return "DATA_PAGE_V2";
  }
  return fmt::format("page type {}", static_cast<std::int32_t>(type));
}

namespace thrift {

// ---------------------------------------------------------------------------------------------
// CompactReader

void CompactReader::fail(const std::string& what) const {
  throw Error(fmt::format("byte {}: {}", pos_, what));
}

void CompactReader::enter() {
  if (++depth_ > max_depth_) fail(fmt::format("structures nested deeper than {} levels", max_depth_));
}

std::uint64_t CompactReader::read_varint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= data_.size()) fail("truncated varint");
    const std::uint8_t b = data_[pos_++];
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  fail("varint longer than 10 bytes");
}

std::int8_t CompactReader::read_byte() {
  if (pos_ >= data_.size()) fail("truncated byte");
  return static_cast<std::int8_t>(data_[pos_++]);
}

std::int16_t CompactReader::read_i16() {
  const std::int64_t v = read_zigzag();
  if (v < std::numeric_limits<std::int16_t>::min() || v > std::numeric_limits<std::int16_t>::max())
    fail(fmt::format("i16 value {} out of range", v));
  return static_cast<std::int16_t>(v);
}

std::int32_t CompactReader::read_i32() {
  const std::int64_t v = read_zigzag();
  if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
    fail(fmt::format("i32 value {} out of range", v));
  return static_cast<std::int32_t>(v);
}

std::int64_t CompactReader::read_i64() { return read_zigzag(); }

double CompactReader::read_double() {
  if (remaining() < 8) fail("truncated double");
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(data_[pos_ + i]) << (8 * i);
  pos_ += 8;
  return std::bit_cast<double>(bits);
}

std::string CompactReader::read_binary() {
  const std::uint64_t n = read_varint();
  if (n > remaining())
    fail(fmt::format("string of {} bytes runs past the end ({} bytes left)", n, remaining()));
  std::string s(reinterpret_cast<const char*>(data_.data() + pos_), static_cast<std::size_t>(n));
  pos_ += static_cast<std::size_t>(n);
  return s;
}

bool CompactReader::read_bool_element() { return read_byte() == 1; }

CompactReader::ListHeader CompactReader::read_list_header() {
  const std::uint8_t b = static_cast<std::uint8_t>(read_byte());
  ListHeader h;
  h.element_type = static_cast<WireType>(b & 0x0f);
  std::uint64_t size = b >> 4;
  if (size == 15) size = read_varint();
  // Every element takes at least one byte: a larger count is a lie, refused before allocating.
  if (size > remaining()) fail(fmt::format("list of {} elements in the {} bytes left", size, remaining()));
  h.size = static_cast<std::uint32_t>(size);
  return h;
}

bool CompactReader::next_field(std::int16_t& last_id, Field& f) {
  const std::uint8_t b = static_cast<std::uint8_t>(read_byte());
  if (b == 0) return false;
  f.type = static_cast<WireType>(b & 0x0f);
  if (f.type == WireType::kStop ||
      static_cast<std::uint8_t>(f.type) > static_cast<std::uint8_t>(WireType::kUuid))
    fail(fmt::format("unknown field type {}", b & 0x0f));
  const int delta = b >> 4;
  f.id = delta == 0 ? read_i16() : static_cast<std::int16_t>(last_id + delta);
  last_id = f.id;
  return true;
}

void CompactReader::skip_value(WireType type, bool in_collection) {
  switch (type) {
    case WireType::kBoolTrue:
    case WireType::kBoolFalse:
      if (in_collection) read_byte();
      return;
    case WireType::kByte:
      read_byte();
      return;
    case WireType::kI16:
    case WireType::kI32:
    case WireType::kI64:
      read_varint();
      return;
    case WireType::kDouble:
      if (remaining() < 8) fail("truncated double");
      pos_ += 8;
      return;
    case WireType::kUuid:
      if (remaining() < 16) fail("truncated uuid");
      pos_ += 16;
      return;
    case WireType::kBinary: {
      const std::uint64_t n = read_varint();
      if (n > remaining())
        fail(fmt::format("string of {} bytes runs past the end ({} bytes left)", n, remaining()));
      pos_ += static_cast<std::size_t>(n);
      return;
    }
    case WireType::kList:
    case WireType::kSet: {
      const ListHeader h = read_list_header();
      enter();
      for (std::uint32_t i = 0; i < h.size; ++i) skip_value(h.element_type, true);
      --depth_;
      return;
    }
    case WireType::kMap: {
      const std::uint64_t n = read_varint();
      if (n == 0) return;
      if (n > remaining() / 2) fail(fmt::format("map of {} entries in the {} bytes left", n, remaining()));
      const std::uint8_t kv = static_cast<std::uint8_t>(read_byte());
      enter();
      for (std::uint64_t i = 0; i < n; ++i) {
        skip_value(static_cast<WireType>(kv >> 4), true);
        skip_value(static_cast<WireType>(kv & 0x0f), true);
      }
      --depth_;
      return;
    }
    case WireType::kStruct:
      read_struct([](const Field&) { return false; });
      return;
    case WireType::kStop:
      break;
  }
  fail(fmt::format("cannot skip a value of unknown type {}", static_cast<int>(type)));
}

// ---------------------------------------------------------------------------------------------
// CompactWriter

void CompactWriter::end_struct() {
  bytes_.push_back(0);
  last_ids_.pop_back();
}

void CompactWriter::write_varint(std::uint64_t v) {
  while (v >= 0x80) {
    bytes_.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  bytes_.push_back(static_cast<std::uint8_t>(v));
}

void CompactWriter::field_header(std::int16_t id, WireType type) {
  std::int16_t& last = last_ids_.back();
  const int delta = id - last;
  if (delta > 0 && delta <= 15) {
    bytes_.push_back(static_cast<std::uint8_t>((delta << 4) | static_cast<int>(type)));
  } else {
    bytes_.push_back(static_cast<std::uint8_t>(type));
    write_zigzag(id);
  }
  last = id;
}

void CompactWriter::field_i8(std::int16_t id, std::int8_t v) {
  field_header(id, WireType::kByte);
  bytes_.push_back(static_cast<std::uint8_t>(v));
}
void CompactWriter::field_i16(std::int16_t id, std::int16_t v) {
  field_header(id, WireType::kI16);
  write_zigzag(v);
}
void CompactWriter::field_i32(std::int16_t id, std::int32_t v) {
  field_header(id, WireType::kI32);
  write_zigzag(v);
}
void CompactWriter::field_i64(std::int16_t id, std::int64_t v) {
  field_header(id, WireType::kI64);
  write_zigzag(v);
}
void CompactWriter::field_double(std::int16_t id, double v) {
  field_header(id, WireType::kDouble);
  const auto bits = std::bit_cast<std::uint64_t>(v);
  for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
}
void CompactWriter::field_binary(std::int16_t id, std::string_view v) {
  field_header(id, WireType::kBinary);
  write_binary(v);
}
void CompactWriter::write_binary(std::string_view v) {
  write_varint(v.size());
  bytes_.insert(bytes_.end(), v.begin(), v.end());
}
void CompactWriter::field_struct(std::int16_t id) {
  field_header(id, WireType::kStruct);
  begin_struct();
}
void CompactWriter::field_list(std::int16_t id, WireType element_type, std::size_t size) {
  field_header(id, WireType::kList);
  if (size < 15) {
    bytes_.push_back(static_cast<std::uint8_t>((size << 4) | static_cast<int>(element_type)));
  } else {
    bytes_.push_back(static_cast<std::uint8_t>(0xf0 | static_cast<int>(element_type)));
    write_varint(size);
  }
}
void CompactWriter::field_map_header(std::int16_t id, std::size_t size, WireType key, WireType value) {
  field_header(id, WireType::kMap);
  write_varint(size);
  if (size > 0)
    bytes_.push_back(static_cast<std::uint8_t>((static_cast<int>(key) << 4) | static_cast<int>(value)));
}

// ---------------------------------------------------------------------------------------------
// Struct decoders

namespace {

using Field = CompactReader::Field;

// Reads a struct, returning the set of field ids (< 64) that were read (not skipped).
template <class OnField>
std::uint64_t read_fields(CompactReader& r, OnField&& on_field) {
  std::uint64_t seen = 0;
  r.read_struct([&](const Field& f) {
    const bool used = on_field(f);
    if (used && f.id >= 0 && f.id < 64) seen |= std::uint64_t{1} << f.id;
    return used;
  });
  return seen;
}

void require(const CompactReader& r, std::uint64_t seen, const char* struct_name,
             std::initializer_list<std::pair<int, const char*>> fields) {
  for (const auto& [id, name] : fields) {
    if ((seen & (std::uint64_t{1} << id)) == 0)
      r.fail(fmt::format("{} is missing its required field {} ({})", struct_name, id, name));
  }
}

bool get(CompactReader& r, const Field& f, std::string& out) {
  if (f.type != WireType::kBinary) return false;
  out = r.read_binary();
  return true;
}
bool get(CompactReader& r, const Field& f, std::int64_t& out) {
  if (f.type != WireType::kI64 && f.type != WireType::kI32) return false;
  out = r.read_i64();
  return true;
}
bool get(CompactReader& r, const Field& f, std::int32_t& out) {
  if (f.type != WireType::kI32) return false;
  out = r.read_i32();
  return true;
}
bool get(CompactReader& r, const Field& f, std::int16_t& out) {
  if (f.type != WireType::kI16) return false;
  out = r.read_i16();
  return true;
}
bool get(CompactReader& r, const Field& f, std::int8_t& out) {
  if (f.type != WireType::kByte) return false;
  out = r.read_byte();
  return true;
}
bool get(CompactReader&, const Field& f, bool& out) {
  if (f.type != WireType::kBoolTrue && f.type != WireType::kBoolFalse) return false;
  out = CompactReader::field_bool(f);
  return true;
}
template <class E>
requires std::is_enum_v<E>
bool get(CompactReader& r, const Field& f, E& out) {
  std::int32_t v = 0;
  if (!get(r, f, v)) return false;
  out = static_cast<E>(v);
  return true;
}
template <class T>
bool get(CompactReader& r, const Field& f, std::optional<T>& out) {
  T v{};
  if (!get(r, f, v)) return false;
  out = std::move(v);
  return true;
}

// Reads a list field whose elements are of `element`, calling read_one() per element.
template <class ReadOne>
bool get_list(CompactReader& r, const Field& f, WireType element, ReadOne&& read_one) {
  if (f.type != WireType::kList && f.type != WireType::kSet) return false;
  const auto h = r.read_list_header();
  if (h.size > 0 && h.element_type != element)
    r.fail(fmt::format("list field {} holds elements of type {}, expected type {}", f.id,
                       static_cast<int>(h.element_type), static_cast<int>(element)));
  for (std::uint32_t i = 0; i < h.size; ++i) read_one();
  return true;
}

Statistics read_statistics(CompactReader& r) {
  Statistics s;
  read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get(r, f, s.max);
      case 2:
        return get(r, f, s.min);
      case 3:
        return get(r, f, s.null_count);
      case 4:
        return get(r, f, s.distinct_count);
      case 5:
        return get(r, f, s.max_value);
      case 6:
        return get(r, f, s.min_value);
      case 9:
        return get(r, f, s.nan_count);
      default:
        return false;
    }
  });
  return s;
}

TimeUnit read_time_unit(CompactReader& r) {
  TimeUnit unit = TimeUnit::kMillis;
  bool found = false;
  r.read_struct([&](const Field& f) {
    if (f.type != WireType::kStruct || f.id < 1 || f.id > 3) return false;
    unit = f.id == 1 ? TimeUnit::kMillis : f.id == 2 ? TimeUnit::kMicros : TimeUnit::kNanos;
    found = true;
    return false;  // skip the (empty) member struct
  });
  if (!found) r.fail("TimeUnit union has no known member (MILLIS, MICROS or NANOS)");
  return unit;
}

std::optional<LogicalType> read_logical_type(CompactReader& r) {
  std::optional<LogicalType> result;
  r.read_struct([&](const Field& f) {
    if (f.type != WireType::kStruct) return false;
    LogicalType lt;
    lt.kind = static_cast<LogicalType::Kind>(f.id);
    switch (lt.kind) {
      case LogicalType::Kind::kDecimal: {
        const auto seen = read_fields(r, [&](const Field& g) {
          if (g.id == 1) return get(r, g, lt.decimal_scale);
          if (g.id == 2) return get(r, g, lt.decimal_precision);
          return false;
        });
        require(r, seen, "DecimalType", {{1, "scale"}, {2, "precision"}});
        break;
      }
      case LogicalType::Kind::kTime:
      case LogicalType::Kind::kTimestamp: {
        const auto seen = read_fields(r, [&](const Field& g) {
          if (g.id == 1) return get(r, g, lt.adjusted_to_utc);
          if (g.id == 2 && g.type == WireType::kStruct) {
            lt.unit = read_time_unit(r);
            return true;
          }
          return false;
        });
        require(r, seen, lt.kind == LogicalType::Kind::kTime ? "TimeType" : "TimestampType",
                {{1, "isAdjustedToUTC"}, {2, "unit"}});
        break;
      }
      case LogicalType::Kind::kInteger: {
        const auto seen = read_fields(r, [&](const Field& g) {
          if (g.id == 1) return get(r, g, lt.bit_width);
          if (g.id == 2) return get(r, g, lt.is_signed);
          return false;
        });
        require(r, seen, "IntType", {{1, "bitWidth"}, {2, "isSigned"}});
        break;
      }
      default:
        r.skip(WireType::kStruct);
        break;
    }
    result = lt;
    return true;
  });
  return result;
}

SchemaElement read_schema_element(CompactReader& r) {
  SchemaElement e;
  const auto seen = read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get(r, f, e.type);
      case 2:
        return get(r, f, e.type_length);
      case 3:
        return get(r, f, e.repetition_type);
      case 4:
        return get(r, f, e.name);
      case 5:
        return get(r, f, e.num_children);
      case 6:
        return get(r, f, e.converted_type);
      case 7:
        return get(r, f, e.scale);
      case 8:
        return get(r, f, e.precision);
      case 9:
        return get(r, f, e.field_id);
      case 10:
        if (f.type != WireType::kStruct) return false;
        e.logical_type = read_logical_type(r);
        return true;
      default:
        return false;
    }
  });
  require(r, seen, "SchemaElement", {{4, "name"}});
  return e;
}

KeyValue read_key_value(CompactReader& r) {
  KeyValue kv;
  const auto seen = read_fields(r, [&](const Field& f) {
    if (f.id == 1) return get(r, f, kv.key);
    if (f.id == 2) return get(r, f, kv.value);
    return false;
  });
  require(r, seen, "KeyValue", {{1, "key"}});
  return kv;
}

PageEncodingStats read_page_encoding_stats(CompactReader& r) {
  PageEncodingStats s;
  const auto seen = read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get(r, f, s.page_type);
      case 2:
        return get(r, f, s.encoding);
      case 3:
        return get(r, f, s.count);
      default:
        return false;
    }
  });
  require(r, seen, "PageEncodingStats", {{1, "page_type"}, {2, "encoding"}, {3, "count"}});
  return s;
}

ColumnMetaData read_column_meta_data(CompactReader& r) {
  ColumnMetaData m;
  const auto seen = read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get(r, f, m.type);
      case 2:
        return get_list(r, f, WireType::kI32,
                        [&] { m.encodings.push_back(static_cast<Encoding>(r.read_i32())); });
      case 3:
        return get_list(r, f, WireType::kBinary, [&] { m.path_in_schema.push_back(r.read_binary()); });
      case 4:
        return get(r, f, m.codec);
      case 5:
        return get(r, f, m.num_values);
      case 6:
        return get(r, f, m.total_uncompressed_size);
      case 7:
        return get(r, f, m.total_compressed_size);
      case 8:
        return get_list(r, f, WireType::kStruct, [&] { m.key_value_metadata.push_back(read_key_value(r)); });
      case 9:
        return get(r, f, m.data_page_offset);
      case 10:
        return get(r, f, m.index_page_offset);
      case 11:
        return get(r, f, m.dictionary_page_offset);
      case 12:
        if (f.type != WireType::kStruct) return false;
        m.statistics = read_statistics(r);
        return true;
      case 13:
        return get_list(r, f, WireType::kStruct,
                        [&] { m.encoding_stats.push_back(read_page_encoding_stats(r)); });
      default:
        return false;
    }
  });
  require(r, seen, "ColumnMetaData",
          {{1, "type"},
           {2, "encodings"},
           {3, "path_in_schema"},
           {4, "codec"},
           {5, "num_values"},
           {6, "total_uncompressed_size"},
           {7, "total_compressed_size"},
           {9, "data_page_offset"}});
  return m;
}

ColumnChunk read_column_chunk(CompactReader& r) {
  ColumnChunk c;
  read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get(r, f, c.file_path);
      case 2:
        return get(r, f, c.file_offset);
      case 3:
        if (f.type != WireType::kStruct) return false;
        c.meta_data = read_column_meta_data(r);
        return true;
      case 8:
      case 9:
        c.encrypted = true;
        return false;
      default:
        return false;
    }
  });
  return c;
}

RowGroup read_row_group(CompactReader& r) {
  RowGroup g;
  const auto seen = read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get_list(r, f, WireType::kStruct, [&] { g.columns.push_back(read_column_chunk(r)); });
      case 2:
        return get(r, f, g.total_byte_size);
      case 3:
        return get(r, f, g.num_rows);
      case 5:
        return get(r, f, g.file_offset);
      case 6:
        return get(r, f, g.total_compressed_size);
      case 7:
        return get(r, f, g.ordinal);
      default:
        return false;
    }
  });
  require(r, seen, "RowGroup", {{1, "columns"}, {2, "total_byte_size"}, {3, "num_rows"}});
  return g;
}

DataPageHeader read_data_page_header(CompactReader& r) {
  DataPageHeader h;
  const auto seen = read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get(r, f, h.num_values);
      case 2:
        return get(r, f, h.encoding);
      case 3:
        return get(r, f, h.definition_level_encoding);
      case 4:
        return get(r, f, h.repetition_level_encoding);
      case 5:
        if (f.type != WireType::kStruct) return false;
        h.statistics = read_statistics(r);
        return true;
      default:
        return false;
    }
  });
  require(r, seen, "DataPageHeader",
          {{1, "num_values"},
           {2, "encoding"},
           {3, "definition_level_encoding"},
           {4, "repetition_level_encoding"}});
  return h;
}

DictionaryPageHeader read_dictionary_page_header(CompactReader& r) {
  DictionaryPageHeader h;
  const auto seen = read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get(r, f, h.num_values);
      case 2:
        return get(r, f, h.encoding);
      case 3:
        return get(r, f, h.is_sorted);
      default:
        return false;
    }
  });
  require(r, seen, "DictionaryPageHeader", {{1, "num_values"}, {2, "encoding"}});
  return h;
}

DataPageHeaderV2 read_data_page_header_v2(CompactReader& r) {
  DataPageHeaderV2 h;
  const auto seen = read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get(r, f, h.num_values);
      case 2:
        return get(r, f, h.num_nulls);
      case 3:
        return get(r, f, h.num_rows);
      case 4:
        return get(r, f, h.encoding);
      case 5:
        return get(r, f, h.definition_levels_byte_length);
      case 6:
        return get(r, f, h.repetition_levels_byte_length);
      case 7:
        return get(r, f, h.is_compressed);
      case 8:
        if (f.type != WireType::kStruct) return false;
        h.statistics = read_statistics(r);
        return true;
      default:
        return false;
    }
  });
  require(r, seen, "DataPageHeaderV2",
          {{1, "num_values"},
           {2, "num_nulls"},
           {3, "num_rows"},
           {4, "encoding"},
           {5, "definition_levels_byte_length"},
           {6, "repetition_levels_byte_length"}});
  return h;
}

// ---------------------------------------------------------------------------------------------
// Struct encoders

void write_statistics(CompactWriter& w, std::int16_t id, const Statistics& s) {
  w.field_struct(id);
  if (s.max) w.field_binary(1, *s.max);
  if (s.min) w.field_binary(2, *s.min);
  if (s.null_count) w.field_i64(3, *s.null_count);
  if (s.distinct_count) w.field_i64(4, *s.distinct_count);
  if (s.max_value) w.field_binary(5, *s.max_value);
  if (s.min_value) w.field_binary(6, *s.min_value);
  if (s.nan_count) w.field_i64(9, *s.nan_count);
  w.end_struct();
}

void write_empty_struct(CompactWriter& w, std::int16_t id) {
  w.field_struct(id);
  w.end_struct();
}

void write_logical_type(CompactWriter& w, const LogicalType& lt) {
  w.field_struct(10);
  const auto id = static_cast<std::int16_t>(lt.kind);
  switch (lt.kind) {
    case LogicalType::Kind::kDecimal:
      w.field_struct(id);
      w.field_i32(1, lt.decimal_scale);
      w.field_i32(2, lt.decimal_precision);
      w.end_struct();
      break;
    case LogicalType::Kind::kTime:
    case LogicalType::Kind::kTimestamp:
      w.field_struct(id);
      w.field_bool(1, lt.adjusted_to_utc);
      w.field_struct(2);
      write_empty_struct(w, lt.unit == TimeUnit::kMillis ? 1 : lt.unit == TimeUnit::kMicros ? 2 : 3);
      w.end_struct();
      w.end_struct();
      break;
    case LogicalType::Kind::kInteger:
      w.field_struct(id);
      w.field_i8(1, lt.bit_width);
      w.field_bool(2, lt.is_signed);
      w.end_struct();
      break;
    default:
      write_empty_struct(w, id);
      break;
  }
  w.end_struct();
}

void write_schema_element(CompactWriter& w, const SchemaElement& e) {
  w.begin_struct();
  if (e.type) w.field_i32(1, static_cast<std::int32_t>(*e.type));
  if (e.type_length) w.field_i32(2, *e.type_length);
  if (e.repetition_type) w.field_i32(3, static_cast<std::int32_t>(*e.repetition_type));
  w.field_binary(4, e.name);
  if (e.num_children) w.field_i32(5, *e.num_children);
  if (e.converted_type) w.field_i32(6, static_cast<std::int32_t>(*e.converted_type));
  if (e.scale) w.field_i32(7, *e.scale);
  if (e.precision) w.field_i32(8, *e.precision);
  if (e.field_id) w.field_i32(9, *e.field_id);
  if (e.logical_type) write_logical_type(w, *e.logical_type);
  w.end_struct();
}

void write_key_values(CompactWriter& w, std::int16_t id, const std::vector<KeyValue>& kvs) {
  if (kvs.empty()) return;
  w.field_list(id, WireType::kStruct, kvs.size());
  for (const auto& kv : kvs) {
    w.begin_struct();
    w.field_binary(1, kv.key);
    if (kv.value) w.field_binary(2, *kv.value);
    w.end_struct();
  }
}

void write_column_meta_data(CompactWriter& w, const ColumnMetaData& m) {
  w.field_struct(3);
  w.field_i32(1, static_cast<std::int32_t>(m.type));
  w.field_list(2, WireType::kI32, m.encodings.size());
  for (Encoding e : m.encodings) w.write_i32(static_cast<std::int32_t>(e));
  w.field_list(3, WireType::kBinary, m.path_in_schema.size());
  for (const auto& p : m.path_in_schema) w.write_binary(p);
  w.field_i32(4, static_cast<std::int32_t>(m.codec));
  w.field_i64(5, m.num_values);
  w.field_i64(6, m.total_uncompressed_size);
  w.field_i64(7, m.total_compressed_size);
  write_key_values(w, 8, m.key_value_metadata);
  w.field_i64(9, m.data_page_offset);
  if (m.index_page_offset) w.field_i64(10, *m.index_page_offset);
  if (m.dictionary_page_offset) w.field_i64(11, *m.dictionary_page_offset);
  if (m.statistics) write_statistics(w, 12, *m.statistics);
  if (!m.encoding_stats.empty()) {
    w.field_list(13, WireType::kStruct, m.encoding_stats.size());
    for (const auto& s : m.encoding_stats) {
      w.begin_struct();
      w.field_i32(1, static_cast<std::int32_t>(s.page_type));
      w.field_i32(2, static_cast<std::int32_t>(s.encoding));
      w.field_i32(3, s.count);
      w.end_struct();
    }
  }
  w.end_struct();
}

void write_row_group(CompactWriter& w, const RowGroup& g) {
  w.begin_struct();
  w.field_list(1, WireType::kStruct, g.columns.size());
  for (const auto& c : g.columns) {
    w.begin_struct();
    if (c.file_path) w.field_binary(1, *c.file_path);
    w.field_i64(2, c.file_offset);
    if (c.meta_data) write_column_meta_data(w, *c.meta_data);
    w.end_struct();
  }
  w.field_i64(2, g.total_byte_size);
  w.field_i64(3, g.num_rows);
  if (g.file_offset) w.field_i64(5, *g.file_offset);
  if (g.total_compressed_size) w.field_i64(6, *g.total_compressed_size);
  if (g.ordinal) w.field_i16(7, *g.ordinal);
  w.end_struct();
}

}  // namespace

FileMetaData decode_file_metadata(ByteSpan bytes, int max_depth) {
  CompactReader r(bytes, max_depth);
  FileMetaData m;
  const auto seen = read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get(r, f, m.version);
      case 2:
        return get_list(r, f, WireType::kStruct, [&] { m.schema.push_back(read_schema_element(r)); });
      case 3:
        return get(r, f, m.num_rows);
      case 4:
        return get_list(r, f, WireType::kStruct, [&] { m.row_groups.push_back(read_row_group(r)); });
      case 5:
        return get_list(r, f, WireType::kStruct, [&] { m.key_value_metadata.push_back(read_key_value(r)); });
      case 6:
        return get(r, f, m.created_by);
      case 7:
        return get_list(r, f, WireType::kStruct, [&] {
          std::int16_t order = 0;
          r.read_struct([&](const Field& g) {
            order = g.id;
            return false;
          });
          m.column_orders.push_back(order);
        });
      case 8:
        m.encrypted = true;
        return false;
      default:
        return false;
    }
  });
  require(r, seen, "FileMetaData", {{1, "version"}, {2, "schema"}, {3, "num_rows"}, {4, "row_groups"}});
  return m;
}

PageHeader decode_page_header(ByteSpan bytes, std::size_t& header_size, int max_depth) {
  CompactReader r(bytes, max_depth);
  PageHeader h;
  const auto seen = read_fields(r, [&](const Field& f) {
    switch (f.id) {
      case 1:
        return get(r, f, h.type);
      case 2:
        return get(r, f, h.uncompressed_page_size);
      case 3:
        return get(r, f, h.compressed_page_size);
      case 4:
        return get(r, f, h.crc);
      case 5:
        if (f.type != WireType::kStruct) return false;
        h.data_page_header = read_data_page_header(r);
        return true;
      case 7:
        if (f.type != WireType::kStruct) return false;
        h.dictionary_page_header = read_dictionary_page_header(r);
        return true;
      case 8:
        if (f.type != WireType::kStruct) return false;
        h.data_page_header_v2 = read_data_page_header_v2(r);
        return true;
      default:
        return false;
    }
  });
  require(r, seen, "PageHeader", {{1, "type"}, {2, "uncompressed_page_size"}, {3, "compressed_page_size"}});
  header_size = r.position();
  return h;
}

void encode(CompactWriter& w, const FileMetaData& m) {
  w.begin_struct();
  w.field_i32(1, m.version);
  w.field_list(2, WireType::kStruct, m.schema.size());
  for (const auto& e : m.schema) write_schema_element(w, e);
  w.field_i64(3, m.num_rows);
  w.field_list(4, WireType::kStruct, m.row_groups.size());
  for (const auto& g : m.row_groups) write_row_group(w, g);
  write_key_values(w, 5, m.key_value_metadata);
  if (m.created_by) w.field_binary(6, *m.created_by);
  if (!m.column_orders.empty()) {
    w.field_list(7, WireType::kStruct, m.column_orders.size());
    for (std::int16_t order : m.column_orders) {
      w.begin_struct();
      write_empty_struct(w, order);
      w.end_struct();
    }
  }
  w.end_struct();
}

void encode(CompactWriter& w, const PageHeader& h) {
  w.begin_struct();
  w.field_i32(1, static_cast<std::int32_t>(h.type));
  w.field_i32(2, h.uncompressed_page_size);
  w.field_i32(3, h.compressed_page_size);
  if (h.crc) w.field_i32(4, *h.crc);
  if (h.data_page_header) {
    const auto& d = *h.data_page_header;
    w.field_struct(5);
    w.field_i32(1, d.num_values);
    w.field_i32(2, static_cast<std::int32_t>(d.encoding));
    w.field_i32(3, static_cast<std::int32_t>(d.definition_level_encoding));
    w.field_i32(4, static_cast<std::int32_t>(d.repetition_level_encoding));
    if (d.statistics) write_statistics(w, 5, *d.statistics);
    w.end_struct();
  }
  if (h.dictionary_page_header) {
    const auto& d = *h.dictionary_page_header;
    w.field_struct(7);
    w.field_i32(1, d.num_values);
    w.field_i32(2, static_cast<std::int32_t>(d.encoding));
    if (d.is_sorted) w.field_bool(3, *d.is_sorted);
    w.end_struct();
  }
  if (h.data_page_header_v2) {
    const auto& d = *h.data_page_header_v2;
    w.field_struct(8);
    w.field_i32(1, d.num_values);
    w.field_i32(2, d.num_nulls);
    w.field_i32(3, d.num_rows);
    w.field_i32(4, static_cast<std::int32_t>(d.encoding));
    w.field_i32(5, d.definition_levels_byte_length);
    w.field_i32(6, d.repetition_levels_byte_length);
    w.field_bool(7, d.is_compressed);
    if (d.statistics) write_statistics(w, 8, *d.statistics);
    w.end_struct();
  }
  w.end_struct();
}

Bytes encode_file_metadata(const FileMetaData& m) {
  CompactWriter w;
  encode(w, m);
  return w.take();
}

Bytes encode_page_header(const PageHeader& h) {
  CompactWriter w;
  encode(w, h);
  return w.take();
}

}  // namespace thrift
}  // namespace st::parquet
